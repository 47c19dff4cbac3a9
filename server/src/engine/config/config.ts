// `.failpath.json` (DESIGN §5): JSON with comments, found upward from each file. Configuration is data only.
import * as path from 'node:path';
import { parseTree, findNodeAtLocation, type Node as JsonNode, type ParseError, printParseErrorCode } from 'jsonc-parser';
import type { AllocatorSpec, FailureConvention } from '../catalogue/types';
import { LineIndex } from '../parse/line-index';
import { PROFILE_NAMES } from '../catalogue/profiles';
import { parseCppcheckLibrary, type LibraryData } from '../catalogue/cppcheck-library';

export type Severity = 'error' | 'warning' | 'hint';
export type RuleSetting = Severity | 'off';

export interface FailpathConfig {
  profiles: string[];
  policy: 'handle' | 'abort';
  allocators: AllocatorSpec[];
  noAlloc: string[];
  rules: Record<string, RuleSetting>;
  exclude: string[];
  /** cppcheck library files, as written (relative to the configuration file). */
  cppcheckLibraries: string[];
  /** What those files say (absent when none was read). */
  library?: LibraryData;
}

export const DEFAULT_CONFIG: FailpathConfig = Object.freeze({
  profiles: ['libc', 'posix'],
  policy: 'handle',
  allocators: [],
  noAlloc: [],
  rules: {},
  exclude: [],
  cppcheckLibraries: [],
}) as FailpathConfig;

export interface ConfigProblem {
  file: string;
  line: number; // 0-based
  column: number;
  key: string;
  message: string;
}

export interface LoadedConfig {
  config: FailpathConfig;
  problems: ConfigProblem[];
}

export const CONVENTIONS: FailureConvention[] = [
  'null', 'err-ptr', 'err-ptr-or-null', 'map-failed', 'negative-return', 'nonzero-return', 'minus-one-return', 'aborts', 'gfp',
];
const SETTINGS: RuleSetting[] = ['error', 'warning', 'hint', 'off'];
export const OWNERS: Array<NonNullable<AllocatorSpec['ownedBy']>> = ['pool', 'device', 'gc'];
/** The keys of an `allocators` entry (the JSON Schema's, scripts/config-schema.ts). */
export const ALLOCATOR_KEYS: ReadonlySet<string> = new Set(['name', 'failure', 'result', 'release', 'reallocArg', 'consumesArg', 'gfpArg', 'nullIfArgNull', 'failsOnlyWithoutReclaim', 'ownedBy', 'resource']);

/** Where a configuration's cppcheck library files are read from (the caller's file system access). */
export interface LibraryReader {
  /** The directory relative paths start from (the configuration file's). */
  baseDir: string;
  /** The file's text; throws when it cannot be read. */
  read(path: string): string;
}

/** Parses and checks one configuration text. Whatever is invalid is reported and replaced by its default.
 *  Without a `reader`, "cppcheckLibraries" is checked but no library file is read. */
export function parseConfig(text: string, file: string, knownRules: readonly string[], reader?: LibraryReader): LoadedConfig {
  const problems: ConfigProblem[] = [];
  const lines = new LineIndex(text);
  const at = (offset: number) => {
    const line = lines.line(offset);
    return { line, column: lines.column(offset, line) };
  };
  const report = (node: JsonNode | undefined, key: string, message: string) => {
    const pos = at(node?.offset ?? 0);
    problems.push({ file, ...pos, key, message });
  };
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  for (const e of errors) {
    const pos = at(e.offset);
    problems.push({ file, ...pos, key: '', message: `invalid JSON: ${printParseErrorCode(e.error)}` });
  }
  const config: FailpathConfig = { ...DEFAULT_CONFIG, rules: {}, allocators: [], noAlloc: [], exclude: [], cppcheckLibraries: [] };
  if (!root || root.type !== 'object') {
    if (root) report(root, '', 'the configuration must be a JSON object');
    return { config, problems };
  }
  const known = new Set(['profiles', 'policy', 'allocators', 'noAlloc', 'rules', 'exclude', 'cppcheckLibraries', '$schema']);
  for (const prop of root.children ?? []) {
    const keyNode = prop.children?.[0];
    const key = String(keyNode?.value);
    if (!known.has(key)) report(keyNode, key, `unknown key "${key}"`);
  }
  const stringList = (key: string, check?: (s: string, n: JsonNode) => boolean): string[] | undefined => {
    const node = findNodeAtLocation(root, [key]);
    if (!node) return undefined;
    if (node.type !== 'array') {
      report(node, key, `"${key}" must be an array of strings`);
      return undefined;
    }
    const out: string[] = [];
    (node.children ?? []).forEach((item, i) => {
      if (item.type !== 'string') report(item, `${key}[${i}]`, `"${key}" entries must be strings`);
      else if (!check || check(item.value as string, item)) out.push(item.value as string);
    });
    return out;
  };
  const profiles = stringList('profiles', (s, n) => {
    if (PROFILE_NAMES.includes(s)) return true;
    report(n, 'profiles', `unknown profile "${s}" (known: ${PROFILE_NAMES.join(', ')})`);
    return false;
  });
  if (profiles) config.profiles = profiles;
  const policy = findNodeAtLocation(root, ['policy']);
  if (policy) {
    if (policy.value === 'handle' || policy.value === 'abort') config.policy = policy.value;
    else report(policy, 'policy', '"policy" must be "handle" or "abort"');
  }
  const noAlloc = stringList('noAlloc');
  if (noAlloc) config.noAlloc = noAlloc;
  const exclude = stringList('exclude');
  if (exclude) config.exclude = exclude;
  const rules = findNodeAtLocation(root, ['rules']);
  if (rules) {
    if (rules.type !== 'object') report(rules, 'rules', '"rules" must be an object of rule id → severity');
    for (const prop of rules.children ?? []) {
      const [k, v] = prop.children ?? [];
      const id = String(k?.value);
      if (!knownRules.includes(id)) report(k, `rules.${id}`, `unknown rule "${id}"`);
      else if (!SETTINGS.includes(v?.value)) report(v, `rules.${id}`, `rule setting must be one of ${SETTINGS.join(', ')}`);
      else config.rules[id] = v.value as RuleSetting;
    }
  }
  const allocators = findNodeAtLocation(root, ['allocators']);
  if (allocators) {
    if (allocators.type !== 'array') report(allocators, 'allocators', '"allocators" must be an array of objects');
    (allocators.children ?? []).forEach((item, i) => {
      const where = `allocators[${i}]`;
      const name = findNodeAtLocation(item, ['name']);
      const failure = findNodeAtLocation(item, ['failure']);
      if (item.type !== 'object' || !name || typeof name.value !== 'string' || !/^[A-Za-z_]\w*$/.test(name.value)) {
        report(name ?? item, `${where}.name`, 'an allocator needs a "name" that is a C identifier');
        return;
      }
      if (!failure || !CONVENTIONS.includes(failure.value)) {
        report(failure ?? item, `${where}.failure`, `"failure" must be one of ${CONVENTIONS.join(', ')}`);
        return;
      }
      const spec: AllocatorSpec = { name: name.value, failure: failure.value };
      const result = findNodeAtLocation(item, ['result']);
      if (result) {
        if (typeof result.value === 'string' && /^(return|arg\d+)$/.test(result.value)) spec.result = result.value as AllocatorSpec['result'];
        else report(result, `${where}.result`, '"result" must be "return" or "argN"');
      }
      const release = findNodeAtLocation(item, ['release']);
      if (release) {
        if (release.type === 'array' && (release.children ?? []).every((r) => typeof r.value === 'string')) {
          spec.release = (release.children ?? []).map((r) => r.value as string);
        } else report(release, `${where}.release`, '"release" must be an array of function names');
      }
      for (const key of ['reallocArg', 'consumesArg', 'gfpArg', 'nullIfArgNull'] as const) {
        const n = findNodeAtLocation(item, [key]);
        if (n) {
          if (Number.isInteger(n.value) && n.value >= 0) spec[key] = n.value;
          else report(n, `${where}.${key}`, `"${key}" must be a non-negative integer`);
        }
      }
      const reclaim = findNodeAtLocation(item, ['failsOnlyWithoutReclaim']);
      if (reclaim) {
        if (typeof reclaim.value === 'boolean') spec.failsOnlyWithoutReclaim = reclaim.value;
        else report(reclaim, `${where}.failsOnlyWithoutReclaim`, '"failsOnlyWithoutReclaim" must be true or false');
      }
      const owner = findNodeAtLocation(item, ['ownedBy']);
      if (owner) {
        if (OWNERS.includes(owner.value)) spec.ownedBy = owner.value;
        else report(owner, `${where}.ownedBy`, `"ownedBy" must be one of ${OWNERS.join(', ')}`);
      }
      const resource = findNodeAtLocation(item, ['resource']);
      if (resource) {
        if (typeof resource.value === 'string' && resource.value.trim()) spec.resource = resource.value;
        else report(resource, `${where}.resource`, '"resource" must be a non-empty string (what the allocation is: "mapping", "thread", …)');
      }
      for (const prop of item.children ?? []) {
        const keyNode = prop.children?.[0];
        const key = String(keyNode?.value);
        if (!ALLOCATOR_KEYS.has(key)) report(keyNode, `${where}.${key}`, `unknown allocator key "${key}" (known: ${[...ALLOCATOR_KEYS].join(', ')})`);
      }
      config.allocators.push(spec);
    });
  }
  const libraries = stringList('cppcheckLibraries', (s, n) => {
    if (s.trim()) return true;
    report(n, 'cppcheckLibraries', 'a cppcheck library must be a path to a .cfg file');
    return false;
  });
  if (libraries?.length) {
    config.cppcheckLibraries = libraries;
    if (reader) config.library = readLibraries(findNodeAtLocation(root, ['cppcheckLibraries'])!, reader, report, problems);
  }
  return { config, problems };
}

/** The library files in order, concatenated (the first file naming a function wins in the catalogue). A file that
 *  cannot be read is reported at its entry; a malformed one at the place in it. */
function readLibraries(list: JsonNode, reader: LibraryReader, report: (n: JsonNode, key: string, message: string) => void, problems: ConfigProblem[]): LibraryData {
  const out: LibraryData = { allocators: [], releasers: [], keeps: [], noreturn: [] };
  (list.children ?? []).forEach((item, i) => {
    if (item.type !== 'string' || !(item.value as string).trim()) return;
    const file = path.resolve(reader.baseDir, item.value as string);
    let text: string;
    try {
      text = reader.read(file);
    } catch (e) {
      report(item, `cppcheckLibraries[${i}]`, `cannot read cppcheck library ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      return;
    }
    const { library, problems: found } = parseCppcheckLibrary(text);
    for (const p of found) problems.push({ file, line: p.line, column: p.column, key: `cppcheckLibraries[${i}]`, message: p.message });
    out.allocators.push(...library.allocators);
    out.releasers.push(...library.releasers);
    out.keeps.push(...library.keeps);
    out.noreturn.push(...library.noreturn);
  });
  return out;
}
