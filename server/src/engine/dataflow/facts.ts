// Constants that decide branches: `static const int STATIC_CONST_TRUE = 1;`, a never-written `static int
// staticFive = 5;`, `int globalTrue = 1;` in another file, helpers whose body is `return 1;`.
import type { Node as TsNode, Tree } from 'web-tree-sitter';
import { hasStaticStorage, isStaticDefinition, memoised, type FunctionCandidate } from '../parse/functions';
import type { Inferred } from './wrappers';
import { mergeAnnotations, type Annotations, type FileAnnotations } from '../catalogue/annotations';
import { CallGraph } from '../context/call-graph';
import type { CallGraphFacts } from '../context/call-graph-facts';

export interface ConstantFacts {
  globals: Map<string, number>;
  functions: Map<string, number>;
  /** Functions some file declares or infers as never returning (`NORETURN die(…)` in a header). */
  noreturn: Set<string>;
  /** Static functions that never return, of any file: only headers see them (a header may be included into the file
   *  that defines them: git's clar `summary.h` calls clar.c's static `clar_abort`). */
  staticNoreturn?: Set<string>;
  /** `__builtin_expect` wrapper macros defined anywhere (`likely`, `BE`). */
  transparent: Set<string>;
  /** What the files' declarations say (`__attribute__((malloc))`, …), merged in file order; resolved with the
   *  wrappers into `inferred`. */
  annotations?: Annotations;
  /** Allocation wrappers, die-wrappers and releasers inferred from the files of the run (`resolveInferred`, set by
   *  the CLI's pool between the phases). */
  inferred?: Inferred;
  /** Every file's calls and allocations, for the context rules (alloc-in-no-alloc-context, blocking-alloc-in-atomic). */
  callGraph?: CallGraph;
}

/** What one file contributes; merged across files by `mergeFacts`. */
export interface FileFacts {
  /** File-scope variables with a constant initializer, by name: [value, isStatic, isConst]. */
  variables: Array<[string, number, boolean, boolean]>;
  /** Functions whose body is a single `return <constant>;`: [name, value, isStatic]. */
  functions: Array<[string, number, boolean]>;
  /** Identifiers this file writes (assigns, increments, takes the address of). */
  written: string[];
  noreturn: string[];
  transparent: string[];
  /** Static functions of this file that never return (known in this file only). */
  staticNoreturn?: string[];
  /** Macros and functions that end in a call of a function this file cannot tell about (`FileKnowledge`). */
  forwards?: Array<[string, string]>;
  /** Allocators, releasers, … its declarations annotate (absent: none). */
  annotations?: FileAnnotations;
  /** The file's calls, allocations and no-alloc/atomic contexts (engine/context/call-graph-facts.ts). */
  calls?: CallGraphFacts;
}

export const NO_FACTS: ConstantFacts = { globals: new Map(), functions: new Map(), noreturn: new Set(), transparent: new Set() };

function constantValue(n: TsNode | null): number | undefined {
  if (!n) return undefined;
  switch (n.type) {
    case 'number_literal': {
      const sign = n.text.startsWith('-') ? -1 : 1;
      const t = n.text.replace(/^[-+]/, '').replace(/[uUlL]+$/, '');
      const v = /^0[xX]/.test(t) ? parseInt(t, 16) : /^\d+$/.test(t) ? parseInt(t, 10) : NaN;
      return Number.isNaN(v) ? undefined : sign * v;
    }
    case 'true': return 1;
    case 'false': return 0;
    case 'parenthesized_expression': return constantValue(n.namedChild(0));
    case 'unary_expression': {
      const v = constantValue(n.childForFieldName('argument'));
      const op = n.child(0)?.type;
      return v === undefined ? undefined : op === '-' ? -v : op === '!' ? +!v : undefined;
    }
    default: return undefined;
  }
}

/** Whether an identifier node is written: the left of an assignment, the operand of `++`/`--`, or has its address
 *  taken (`&x`). */
function isWritten(id: TsNode): boolean {
  const parent = id.parent;
  if (!parent) return false;
  const is = (field: string) => parent.childForFieldName(field)?.startIndex === id.startIndex;
  if (parent.type === 'assignment_expression') return is('left');
  if (parent.type === 'update_expression') return is('argument');
  return parent.type === 'pointer_expression' && parent.childForFieldName('operator')?.type === '&' && is('argument');
}

/** `source`: the text `tree` was parsed from. `outside`: a memo of what lies outside the file's functions, kept by the
 *  language server while an edit changes only the inside of one function (file-knowledge.ts). */
export function collectFileFacts(tree: Tree, source: string, functions: FunctionCandidate[], knowledge: { noreturn: Set<string>; transparent: Set<string>; forwards?: Array<[string, string]> }, outside?: Map<unknown, unknown>): FileFacts {
  let variables = outside?.get(VARIABLES) as FileFacts['variables'] | undefined;
  if (!variables) {
    variables = constantVariables(tree);
    outside?.set(VARIABLES, variables);
  }
  const constFunctions: FileFacts['functions'] = [];
  for (const f of functions) {
    if (f.looseBody) continue;
    const v = memoised(f, CONSTANT_RESULT, () => constantResult(f));
    if (v !== undefined) constFunctions.push([f.name, v, isStaticDefinition(f)]);
  }
  const written = new Set<string>();
  if (variables.length > 0) {
    // Only where their names occur (a walk of the whole tree, even inside the parser's wasm, costs more than the
    // rest of an edit in the language server).
    const names = new Set(variables.map((v) => v[0]));
    const occurrences = new RegExp(`\\b(?:${[...names].join('|')})\\b`, 'g');
    for (const m of source.matchAll(occurrences)) {
      if (written.has(m[0])) continue;
      const n = tree.rootNode.descendantForIndex(m.index, m.index + m[0].length);
      if (n?.type === 'identifier' && n.startIndex === m.index && n.endIndex === m.index + m[0].length && isWritten(n)) written.add(m[0]);
    }
  }
  // A static function's name means this file's function only (and its headers'): it stays out of the run's noreturn
  // set (openssh's regress/check-perm.c has a static `fatal()` that exits; the real `fatal` is a macro).
  const statics = new Set(functions.filter(isStaticDefinition).map((f) => f.name));
  for (const f of functions) if (!isStaticDefinition(f)) statics.delete(f.name);
  const noreturn = [...knowledge.noreturn];
  const facts: FileFacts = { variables, functions: constFunctions, written: [...written], noreturn: noreturn.filter((n) => !statics.has(n)), transparent: [...knowledge.transparent] };
  const staticNoreturn = noreturn.filter((n) => statics.has(n));
  if (staticNoreturn.length) facts.staticNoreturn = staticNoreturn;
  if (knowledge.forwards?.length) facts.forwards = knowledge.forwards;
  return facts;
}

const VARIABLES = Symbol('constant variables');
const CONSTANT_RESULT = Symbol('constant result');

/** The file's variables initialised with a constant: `[name, value, static, const]`. */
function constantVariables(tree: Tree): FileFacts['variables'] {
  const variables: FileFacts['variables'] = [];
  for (const d of tree.rootNode.namedChildren) {
    if (!d || d.type !== 'declaration') continue;
    const isStatic = hasStaticStorage(d);
    const isExtern = d.namedChildren.some((k) => k?.type === 'storage_class_specifier' && k.text === 'extern');
    const isConst = d.namedChildren.some((k) => k?.type === 'type_qualifier' && k.text === 'const');
    if (isExtern) continue;
    for (const decl of d.childrenForFieldName('declarator')) {
      if (!decl || decl.type !== 'init_declarator') continue;
      const name = decl.childForFieldName('declarator');
      if (name?.type !== 'identifier') continue;
      const v = constantValue(decl.childForFieldName('value'));
      if (v !== undefined) variables.push([name.text, v, isStatic, isConst]);
    }
  }
  return variables;
}

/** The constant a function body of one `return CONSTANT;` returns. */
function constantResult(f: FunctionCandidate): number | undefined {
  const body = f.node.childForFieldName('body');
  if (!body || body.namedChildCount !== 1) return undefined;
  const ret = body.namedChild(0);
  return ret?.type === 'return_statement' ? constantValue(ret.namedChild(0)) : undefined;
}

/** Functions that never return, declared or inferred in any file, closed over the forwarders of all files (a macro
 *  or function of one file that ends in a call of another's: openssh's `fatal_f` → `sshfatal`). */
function noreturnOfRun(all: FileFacts[]): Set<string> {
  const noreturn = new Set(all.flatMap((f) => f.noreturn));
  const forwards = all.flatMap((f) => f.forwards ?? []);
  for (let changed = forwards.length > 0; changed; ) {
    changed = false;
    for (const [name, callee] of forwards) {
      if (noreturn.has(name) || !noreturn.has(callee)) continue;
      noreturn.add(name);
      changed = true;
    }
  }
  return noreturn;
}

/** Project facts: constants defined anywhere and written nowhere (static ones only within their file). */
export function mergeFacts(all: FileFacts[]): ConstantFacts {
  const written = new Set(all.flatMap((f) => f.written));
  const globals = new Map<string, number>();
  const functions = new Map<string, number>();
  const seen = new Map<string, number>();
  for (const f of all) {
    for (const [name, v, isStatic, isConst] of f.variables) {
      if (isStatic) continue;
      if (!isConst && written.has(name)) continue;
      seen.set(name, (seen.get(name) ?? 0) + 1);
      globals.set(name, v);
    }
    for (const [name, v, isStatic] of f.functions) if (!isStatic) functions.set(name, v);
  }
  for (const [name, count] of seen) if (count > 1) globals.delete(name);
  return {
    globals, functions, noreturn: noreturnOfRun(all), staticNoreturn: new Set(all.flatMap((f) => f.staticNoreturn ?? [])),
    transparent: new Set(all.flatMap((f) => f.transparent)),
    annotations: mergeAnnotations(all.map((f) => f.annotations)),
    callGraph: new CallGraph(all.flatMap((f) => (f.calls ? [f.calls] : []))),
  };
}

/** The facts in force in one file: the project's plus the file's own static ones (a header's: every file's). */
export function factsForFile(project: ConstantFacts, own: FileFacts, header = false): ConstantFacts {
  const written = new Set(own.written);
  const globals = new Map(project.globals);
  const functions = new Map(project.functions);
  for (const [name, v, isStatic, isConst] of own.variables) {
    if (isStatic && (isConst || !written.has(name))) globals.set(name, v);
    else if (!isConst && written.has(name)) globals.delete(name);
  }
  for (const [name, v] of own.functions) functions.set(name, v);
  return {
    globals, functions,
    noreturn: new Set([...project.noreturn, ...own.noreturn, ...(own.staticNoreturn ?? []), ...(header ? project.staticNoreturn ?? [] : [])]),
    transparent: new Set([...project.transparent, ...own.transparent]),
    inferred: project.inferred, callGraph: project.callGraph,
  };
}
