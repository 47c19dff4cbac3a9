// What the workspace's own declarations say about allocation (issue 4): GNU `__attribute__((malloc))`,
// `malloc(dealloc, N)`, `returns_nonnull`, `warn_unused_result`, Clang's `ownership_returns/takes/holds`, the same in
// C23 `[[gnu::…]]` form, and the macro spellings projects use for them (`__malloc`, `G_GNUC_MALLOC`, `__wur`, …).
// Read in phase 1 from the tree that is already there; merged over the files of a run in file order; given to the
// catalogue with the inferred wrappers (wrappers.ts), which they override. Noreturn annotations are file-knowledge.ts'.
import { hasStaticStorage } from '../parse/functions';
import type { Node as TsNode } from 'web-tree-sitter';
import type { InferredWrapper } from '../dataflow/wrappers';

/** A function declared (or defined) as an allocator. */
export interface DeclaredAllocator {
  name: string;
  /** `returns_nonnull` with it: it never returns failure (it aborts on OOM). */
  nonnull: boolean;
  /** `malloc(dealloc, N)`: the function that releases what it returns. */
  release?: string;
  /** `warn_unused_result`: recorded only (dropping the result of an allocator is a leak anyway). */
  mustUse: boolean;
  /** Clang's `ownership_returns`: the caller owns the result. */
  ownership: boolean;
}

/** What one file declares, in source order. Plain data: it travels with the file's facts. */
export interface FileAnnotations {
  allocators: DeclaredAllocator[];
  /** `ownership_takes(kind, N)`, and the `dealloc` of `malloc(dealloc, N)`: releases argument `arg` (0-based). */
  releasers: Array<{ name: string; arg: number }>;
  /** `ownership_holds(kind, N)`: keeps argument `arg` (it is no leak to give it away). */
  keeps: Array<{ name: string; arg: number }>;
  /** `returns_nonnull` on a function that is no allocator: its result is never NULL. */
  nonnull: string[];
}

/** Every file's annotations merged (`mergeAnnotations`), for the whole run. */
export type Annotations = FileAnnotations;

export const NO_ANNOTATIONS: Annotations = Object.freeze({ allocators: [], releasers: [], keeps: [], nonnull: [] }) as unknown as Annotations;

/** Cheap test of the file's text before any tree is walked: an attribute, or a macro spelling. */
const MAY_HAVE_ATTRIBUTES = /__attribute__|\[\[|\b(?:__malloc|G_GNUC_MALLOC|ATTRIBUTE_MALLOC|ATTRIBUTE_RETURNS_NONNULL|__attribute_malloc__|_GL_ATTRIBUTE_MALLOC|_GL_ATTRIBUTE_RETURNS_NONNULL|__returns_nonnull)\b/;
/** The test of one declaration's text (up to a definition's body). */
const MAY_ANNOTATE = /\b(?:__)?(?:malloc|returns_nonnull|ownership_(?:returns|takes|holds))(?:__)?\b|\b(?:G_GNUC_MALLOC|ATTRIBUTE_MALLOC|ATTRIBUTE_RETURNS_NONNULL|__attribute_malloc__|_GL_ATTRIBUTE_MALLOC|_GL_ATTRIBUTE_RETURNS_NONNULL|__returns_nonnull)\b/;

/** Macro spellings whose meaning is unambiguous, by what they expand to. */
const MACROS: Record<string, Attribute['name']> = {
  __malloc: 'malloc', // Linux
  G_GNUC_MALLOC: 'malloc', // GLib
  ATTRIBUTE_MALLOC: 'malloc', // libiberty, binutils
  __attribute_malloc__: 'malloc', // glibc
  _GL_ATTRIBUTE_MALLOC: 'malloc', // gnulib
  ATTRIBUTE_RETURNS_NONNULL: 'returns_nonnull', // libiberty
  _GL_ATTRIBUTE_RETURNS_NONNULL: 'returns_nonnull', // gnulib
  __returns_nonnull: 'returns_nonnull', // Linux
  __must_check: 'warn_unused_result', // Linux
  __wur: 'warn_unused_result', // glibc
  G_GNUC_WARN_UNUSED_RESULT: 'warn_unused_result', // GLib
  WARN_UNUSED_RESULT: 'warn_unused_result',
  ATTRIBUTE_WARN_UNUSED_RESULT: 'warn_unused_result',
};

interface Attribute {
  name: 'malloc' | 'returns_nonnull' | 'warn_unused_result' | 'ownership_returns' | 'ownership_takes' | 'ownership_holds';
  /** The arguments as written: identifiers and numbers. */
  args: string[];
}
const KNOWN = new Set<string>(['malloc', 'returns_nonnull', 'warn_unused_result', 'nodiscard', 'ownership_returns', 'ownership_takes', 'ownership_holds']);

/** The annotations of one file's declarations and definitions, or undefined when it has none. `static` functions
 *  are left out: calls of them are in their own file, which inlines them. `text` is what the tree was parsed from. */
export function readAnnotations(root: TsNode, text: string): FileAnnotations | undefined {
  if (!MAY_HAVE_ATTRIBUTES.test(text)) return undefined;
  const out: FileAnnotations = { allocators: [], releasers: [], keeps: [], nonnull: [] };
  const visit = (n: TsNode, depth: number) => {
    for (const d of n.namedChildren) {
      if (!d) continue;
      if (d.type === 'declaration' || d.type === 'function_definition' || d.type === 'ERROR') {
        read(d, text, out);
        if (d.type === 'ERROR' && depth < 8) visit(d, depth + 1);
      } else if (depth < 8 && (/^preproc_(if|ifdef|else|elif|elifdef)$/.test(d.type) || d.type === 'linkage_specification' || d.type === 'declaration_list')) {
        visit(d, depth + 1);
      }
    }
  };
  visit(root, 0);
  return out.allocators.length || out.releasers.length || out.keeps.length || out.nonnull.length ? out : undefined;
}

function read(d: TsNode, text: string, out: FileAnnotations): void {
  const body = d.type === 'function_definition' ? d.childForFieldName('body') : null;
  if (!MAY_ANNOTATE.test(text.slice(d.startIndex, body ? body.startIndex : d.endIndex))) return;
  if (hasStaticStorage(d)) return;
  // `void *f(size_t) G_GNUC_MALLOC;` does not parse as a declaration: an ERROR holding the declarator, taken only
  // when it holds one (attributes could not be told apart otherwise).
  const inError = d.type === 'ERROR' ? d.namedChildren.filter((k) => k?.type === 'function_declarator') : [];
  const declarator = d.type === 'ERROR' ? (inError.length === 1 ? inError[0] : null) : d.childForFieldName('declarator');
  const fn = functionDeclarator(declarator);
  const name = fn?.childForFieldName('declarator');
  if (!fn || name?.type !== 'identifier') return;
  const attrs: Attribute[] = [];
  collectAttributes(d, fn, attrs, 0);
  const has = (a: Attribute['name']) => attrs.some((x) => x.name === a);
  const argIndex = (s: string | undefined) => (s && /^\d+$/.test(s) && Number(s) >= 1 ? Number(s) - 1 : undefined);
  let allocator = false;
  let release: string | undefined;
  for (const a of attrs) {
    if (a.name === 'malloc' || a.name === 'ownership_returns') allocator = true;
    if (a.name === 'malloc' && a.args[0] && /^[A-Za-z_]\w*$/.test(a.args[0])) {
      // GCC 11: `malloc(dealloc)` or `malloc(dealloc, N)`: `dealloc` releases its argument N (default 1).
      release ??= a.args[0];
      out.releasers.push({ name: a.args[0], arg: argIndex(a.args[1]) ?? 0 });
    }
    if (a.name === 'ownership_takes' || a.name === 'ownership_holds') {
      const arg = argIndex(a.args[1]);
      if (arg !== undefined) (a.name === 'ownership_takes' ? out.releasers : out.keeps).push({ name: name.text, arg });
    }
  }
  if (allocator) out.allocators.push({ name: name.text, nonnull: has('returns_nonnull'), release, mustUse: has('warn_unused_result'), ownership: has('ownership_returns') });
  else if (has('returns_nonnull')) out.nonnull.push(name.text);
}

function functionDeclarator(n: TsNode | null): TsNode | undefined {
  for (let d = n, guard = 0; d && guard < 20; guard++) {
    if (d.type === 'function_declarator') return d;
    d = d.childForFieldName('declarator');
  }
  return undefined;
}

/** Attributes anywhere in the declaration but its parameters, body and initialisers: `__attribute__((…))`,
 *  `[[gnu::…]]`, and the macro spellings (as identifiers, or as the type an unknown macro was taken for). */
function collectAttributes(n: TsNode, fn: TsNode, out: Attribute[], depth: number): void {
  if (depth > 12) return;
  for (const k of n.children) {
    if (!k) continue;
    switch (k.type) {
      case 'parameter_list':
      case 'compound_statement':
      case 'string_literal':
      case 'declaration': // nested ones (in an ERROR) are read on their own
      case 'function_definition':
      case 'ERROR':
        continue;
      case 'attribute_specifier':
        for (const item of k.namedChildren.find((c) => c?.type === 'argument_list')?.namedChildren ?? []) {
          if (item?.type === 'identifier') push(out, item.text, []);
          else if (item?.type === 'call_expression') push(out, item.childForFieldName('function')?.text ?? '', argumentsOf(item.childForFieldName('arguments')));
        }
        continue;
      case 'attribute': {
        // `[[gnu::malloc(f, 1)]]`, `[[nodiscard]]`: only the gnu and clang namespaces, or none.
        const prefix = k.childForFieldName('prefix')?.text;
        if (!prefix || prefix === 'gnu' || prefix === 'clang') push(out, k.childForFieldName('name')?.text ?? '', argumentsOf(k.namedChildren.find((c) => c?.type === 'argument_list') ?? null));
        continue;
      }
      case 'identifier':
      case 'type_identifier':
        if (k !== fn.childForFieldName('declarator') && Object.hasOwn(MACROS, k.text)) out.push({ name: MACROS[k.text], args: [] });
        continue;
      default:
        if (k.type === 'init_declarator') collectAttributes(k.childForFieldName('declarator') ?? k, fn, out, depth + 1);
        else if (k.childCount > 0) collectAttributes(k, fn, out, depth + 1);
    }
  }
}

function push(out: Attribute[], raw: string, args: string[]): void {
  const name = raw.replace(/^__(\w+)__$/, '$1');
  if (!KNOWN.has(name)) return;
  out.push({ name: name === 'nodiscard' ? 'warn_unused_result' : (name as Attribute['name']), args });
}

function argumentsOf(list: TsNode | null): string[] {
  return (list?.namedChildren ?? []).map((a) => a?.text ?? '');
}

/**
 * The annotations of all files, in file order. A name annotated in several places (a header's declaration and the
 * definition) gets the union of what they say, as GCC merges the attributes of redeclarations; the first
 * deallocator named wins. A releaser or kept argument named differently in two places is dropped.
 */
export function mergeAnnotations(files: Array<FileAnnotations | undefined>): Annotations {
  const allocators = new Map<string, DeclaredAllocator>();
  const releasers = new Map<string, { name: string; arg: number } | null>();
  const keeps = new Map<string, { name: string; arg: number } | null>();
  const nonnull = new Set<string>();
  const once = (into: Map<string, { name: string; arg: number } | null>, r: { name: string; arg: number }) => {
    const prev = into.get(r.name);
    if (prev === undefined) into.set(r.name, r);
    else if (prev && prev.arg !== r.arg) into.set(r.name, null);
  };
  for (const f of files) {
    if (!f) continue;
    for (const a of f.allocators) {
      const prev = allocators.get(a.name);
      allocators.set(a.name, prev ? {
        name: a.name, nonnull: prev.nonnull || a.nonnull, release: prev.release ?? a.release, mustUse: prev.mustUse || a.mustUse, ownership: prev.ownership || a.ownership,
      } : { ...a });
    }
    for (const r of f.releasers) once(releasers, r);
    for (const k of f.keeps) once(keeps, k);
    for (const n of f.nonnull) nonnull.add(n);
  }
  // A function declared an allocator in one place and returns_nonnull in another is a non-failing allocator.
  for (const n of nonnull) {
    const a = allocators.get(n);
    if (a) a.nonnull = true;
  }
  const present = <T>(m: Map<string, T | null>) => [...m.values()].filter((x): x is T => !!x);
  return { allocators: [...allocators.values()], releasers: present(releasers), keeps: present(keeps), nonnull: [...nonnull].filter((n) => !allocators.has(n)) };
}

/**
 * A declared allocator as the catalogue gets it, given what inference found in its body (if the run defines it and
 * its body is a wrapper). `returns_nonnull` says it never fails; `malloc` alone does not say how it fails (redis'
 * `zmalloc` is declared `malloc` and aborts on OOM), so the body's verdict decides when there is one, NULL when there
 * is none. The deallocator named wins over the one inference passed on; `free` when neither names one.
 * Its results are owned (leaks are reported) when the declaration says who releases them (`malloc(dealloc)`,
 * `ownership_returns`) or when nothing but the declaration is known; a plain `malloc` on a body inference resolved
 * adds no more than inference knew, and is treated as the inferred wrapper it is (whose leaks wait for destructor
 * and ownership summaries: on redis, owning `zmalloc`'s results gave 65 leaks, nearly all of blocks linked into
 * structures or handed to callees that keep them).
 */
export function declaredWrapper(d: DeclaredAllocator, inferred: InferredWrapper | undefined): InferredWrapper {
  const w: InferredWrapper = {
    name: d.name,
    failure: d.nonnull ? 'aborts' : inferred?.failure ?? 'null',
    chain: inferred?.chain ?? [d.name],
    release: d.release ? [d.release] : inferred?.release ?? ['free'],
  };
  if (inferred?.ownedBy) w.ownedBy = inferred.ownedBy;
  if (inferred?.resource) w.resource = inferred.resource;
  if (!inferred || d.release || d.ownership) w.declared = true;
  return w;
}
