// Finds the function definitions of a file, also inside ERROR regions that error recovery left behind
// (a function whose body could not be closed is still analysed for the statements that parsed).
import type { Node as TsNode } from 'web-tree-sitter';
import { toSyntax, child, walk, type Syntax } from './syntax';
import { LineIndex } from './line-index';

export type ReturnKind = 'void' | 'pointer' | 'bool' | 'int' | 'other';

/** What a function copied out of the tree holds besides its body. */
interface FunctionFields {
  name: string;
  isStatic: boolean;
  returns: ReturnKind;
  params: string[];
  /** Names declared inside the body (any block). */
  locals: Set<string>;
  /** Locals of a union type: all their members are one place. */
  unionLocals: Set<string>;
  /** The whole definition's range, and the closing brace (where falling off the end leaves). */
  start: number;
  end: number;
  line: number;
  endLine: number;
  closeLine: number;
  closeCol: number;
  /** Source text of the whole definition (prefilter for allocation calls). */
  text: string;
  /** Line of the first token of the definition (for `/* failpath: no-alloc *\/` markers above it). */
  headerLine: number;
  recovered: boolean;
}

/**
 * A function copied out of the tree into the dataflow's own syntax. The language server keeps copies across edits
 * and moves them when only their place changed (`moveBy`): the definition's own positions at once, its body's nodes
 * when the body is next read. After a character typed near the top of a large file, most functions move and few of
 * them are read again.
 */
export interface FunctionSyntax extends FunctionFields {}
export class FunctionSyntax {
  private readonly syntax: Syntax;
  /** How far the body's nodes still have to move. */
  private offsetDue = 0;
  private linesDue = 0;

  constructor(fields: FunctionFields, body: Syntax) {
    Object.assign(this, fields);
    this.syntax = body;
  }

  get body(): Syntax {
    if (this.offsetDue !== 0 || this.linesDue !== 0) {
      moveSyntax(this.syntax, this.offsetDue, this.linesDue);
      this.offsetDue = 0;
      this.linesDue = 0;
    }
    return this.syntax;
  }

  /** Moves the function by `dOffset` characters and `dLine` lines. */
  moveBy(dOffset: number, dLine: number): void {
    this.start += dOffset;
    this.end += dOffset;
    this.line += dLine;
    this.endLine += dLine;
    this.closeLine += dLine;
    this.headerLine += dLine;
    this.offsetDue += dOffset;
    this.linesDue += dLine;
  }
}

function moveSyntax(n: Syntax, dOffset: number, dLine: number): void {
  n.start += dOffset;
  n.end += dOffset;
  n.line += dLine;
  n.endLine += dLine;
  for (const c of n.children) moveSyntax(c, dOffset, dLine);
}

/** A function definition found cheaply, before its body is copied out of the tree. */
export interface FunctionCandidate {
  name: string;
  node: TsNode;
  /** For functions inside ERROR regions: the nodes that make the body. */
  looseBody?: TsNode[];
  start: number;
  end: number;
  /** What was found in its text, carried from one version of a document to the next (the language server:
   *  carried-by-span.ts); `memoised` reads it. */
  memo?: Map<unknown, unknown>;
}

/** `compute()`, kept in the candidate's carried memo under `key` when it has one. */
export function memoised<T>(c: FunctionCandidate, key: symbol, compute: () => T): T {
  if (!c.memo) return compute();
  if (c.memo.has(key)) return c.memo.get(key) as T;
  const value = compute();
  c.memo.set(key, value);
  return value;
}

const CONTAINERS = new Set([
  'translation_unit', 'preproc_if', 'preproc_ifdef', 'preproc_else', 'preproc_elif', 'preproc_elifdef',
  'linkage_specification', 'declaration_list', 'ERROR',
]);

function functionDeclarator(n: TsNode | null): TsNode | null {
  let d = n;
  for (let guard = 0; d && guard < 50; guard++) {
    if (d.type === 'function_declarator') return d;
    d = d.childForFieldName('declarator') ?? (d.type === 'parenthesized_declarator' ? d.namedChild(0) : null);
  }
  return null;
}

function declaratorName(n: TsNode | null): string | undefined {
  let d = n;
  for (let guard = 0; d && guard < 50; guard++) {
    if (d.type === 'identifier' || d.type === 'field_identifier') return d.text;
    d = d.childForFieldName('declarator') ?? d.namedChild(0);
  }
  return undefined;
}

export function findFunctions(root: TsNode): FunctionCandidate[] {
  const found: FunctionCandidate[] = [];
  const visit = (container: TsNode, depth: number) => {
    const kids = container.namedChildren.filter((k): k is TsNode => k !== null);
    for (let i = 0; i < kids.length; i++) {
      const k = kids[i];
      if (k.type === 'function_definition') {
        const name = declaratorName(functionDeclarator(k.childForFieldName('declarator')));
        if (name) found.push({ name, node: k, start: k.startIndex, end: k.endIndex });
      } else if ((CONTAINERS.has(k.type) || (k.type === 'compound_statement' && container.type === 'translation_unit')) && depth < 20) {
        // A block at file level only exists after an error (a stray `{`): the functions inside are still whole.
        if (k.type === 'ERROR') recoverFromError(k, found);
        else visit(k, depth + 1);
      }
    }
  };
  if (root.type === 'ERROR') recoverFromError(root, found);
  else visit(root, 0);
  return found;
}

/** Inside an ERROR node: a function declarator followed by a body or by loose statements. */
function recoverFromError(err: TsNode, found: FunctionCandidate[]): void {
  const kids = err.namedChildren.filter((k): k is TsNode => k !== null);
  for (let i = 0; i < kids.length; i++) {
    const k = kids[i];
    if (k.type === 'function_definition') {
      const name = declaratorName(functionDeclarator(k.childForFieldName('declarator')));
      if (name) found.push({ name, node: k, start: k.startIndex, end: k.endIndex });
      continue;
    }
    if (k.type === 'ERROR') { recoverFromError(k, found); continue; }
    const fd = k.type === 'function_declarator' ? k : k.type === 'pointer_declarator' ? functionDeclarator(k) : null;
    if (!fd) continue;
    const name = declaratorName(fd);
    if (!name) continue;
    const body: TsNode[] = [];
    let j = i + 1;
    for (; j < kids.length; j++) {
      const n = kids[j];
      if (n.type === 'function_declarator' || n.type === 'function_definition' || functionDeclarator(n) && n.type === 'pointer_declarator') break;
      body.push(n);
    }
    if (body.length > 0) {
      found.push({ name, node: k, looseBody: body, start: k.startIndex, end: body[body.length - 1].endIndex });
    }
    i = j - 1;
  }
}

function returnKind(def: TsNode): ReturnKind {
  const type = def.childForFieldName('type')?.text ?? 'int';
  const decl = def.childForFieldName('declarator');
  if (decl && decl.type === 'pointer_declarator') return 'pointer';
  if (/^(void)$/.test(type)) return 'void';
  if (/^(bool|_Bool|gboolean|BOOL|boolean)$/.test(type)) return 'bool';
  if (/^((signed|unsigned)\s+)?(int|long|short|long\s+(long|int))$|^(ssize_t|int(8|16|32|64)_t|intptr_t|ptrdiff_t|s(8|16|32|64)|errno_t)$/.test(type)) return 'int';
  // The projects' own: GLib's gint/glong/gssize, nginx's ngx_int_t, Python's Py_ssize_t.
  if (/^(gint(8|16|32|64)?|glong|gssize|ngx_int_t|Py_ssize_t)$/.test(type)) return 'int';
  // Status types by name: CURLcode, CURLMcode, NTSTATUS, HRESULT, esp_err_t, git_error_code…
  if (/^[A-Z]\w*code$|^\w+_(code|status|err|error|result)(_t)?$|^(NTSTATUS|HRESULT|errno_t|esp_err_t|status_t)$/.test(type)) return 'int';
  return type.endsWith('*') ? 'pointer' : 'other';
}

function paramNames(fd: TsNode | null): string[] {
  const params = fd?.childForFieldName('parameters');
  if (!params) return [];
  const names: string[] = [];
  for (const p of params.namedChildren) {
    if (p && p.type === 'parameter_declaration') {
      const n = declaratorName(p.childForFieldName('declarator'));
      if (n) names.push(n);
    }
  }
  return names;
}

export function declaredNames(body: Syntax, unionTypes: ReadonlySet<string> = new Set()): { locals: Set<string>; unionLocals: Set<string> } {
  const locals = new Set<string>();
  const unionLocals = new Set<string>();
  walk(body, (n) => {
    if (n.type === 'declaration') {
      // `static` and `extern` declarations inside a body name storage that outlives the call: not locals.
      if (n.children.some((c) => c.type === 'storage_class_specifier' && (c.text === 'static' || c.text === 'extern'))) return;
      const type = child(n, 'type');
      const isUnion = !!type && (type.type === 'union_specifier' || (type.type === 'type_identifier' && unionTypes.has(type.text ?? '')));
      for (const d of n.children) {
        if (d.field !== 'declarator') continue;
        const id = innermostIdentifier(d);
        if (!id) continue;
        locals.add(id);
        if (isUnion && (d.type === 'identifier' || (d.type === 'init_declarator' && child(d, 'declarator')?.type === 'identifier'))) unionLocals.add(id);
      }
    }
  });
  return { locals, unionLocals };
}

/** Type names that are unions: `typedef union { … } name;` at file scope. */
export function unionTypeNames(root: TsNode): Set<string> {
  const names = new Set<string>();
  for (const d of root.namedChildren) {
    if (d?.type !== 'type_definition' || d.childForFieldName('type')?.type !== 'union_specifier') continue;
    for (const decl of d.childrenForFieldName('declarator')) if (decl?.type === 'type_identifier') names.add(decl.text);
  }
  return names;
}

/** The variable a declarator declares. `void *fw __free(kfree) = …` parses as a function declarator named
 *  `__free` with the real name in an ERROR node beside it: the ERROR's identifier wins there. */
export function innermostIdentifier(d: Syntax): string | undefined {
  let n: Syntax | undefined = d;
  for (let guard = 0; n && guard < 50; guard++) {
    if (n.type === 'identifier') return n.text;
    const recovered = n.children.find((c) => c.type === 'ERROR' && c.children.length === 1 && c.children[0].type === 'identifier');
    const next: Syntax | undefined = child(n, 'declarator') ?? (n.type === 'parenthesized_declarator' ? n.children[0] : undefined);
    if (recovered && next?.type === 'function_declarator') return recovered.children[0].text;
    n = next;
  }
  return undefined;
}

/** Copies one function out of the tree into the dataflow's own syntax. */
export function toFunctionSyntax(c: FunctionCandidate, source: string, unionTypes: ReadonlySet<string> = new Set(), lines = new LineIndex(source)): FunctionSyntax {
  let body: Syntax;
  let returns: ReturnKind = 'int';
  let params: string[] = [];
  let isStatic = false;
  const def = c.node;
  if (c.looseBody) {
    const parts = c.looseBody.map((n) => toSyntax(n, source, undefined, lines));
    const flattened = parts.flatMap((p) => (p.type === 'compound_statement' && parts.length === 1 ? p.children : [p]));
    const first = parts[0];
    const last = parts[parts.length - 1];
    body = {
      id: -first.id, type: 'compound_statement', field: 'body', start: first.start, end: last.end,
      line: first.line, col: first.col, endLine: last.endLine, endCol: last.endCol, children: flattened,
    };
    params = paramNames(def.type === 'function_declarator' ? def : functionDeclarator(def));
  } else {
    const b = def.childForFieldName('body');
    body = b ? toSyntax(b, source, undefined, lines) : {
      id: 0, type: 'compound_statement', field: 'body', start: def.endIndex, end: def.endIndex,
      line: def.endPosition.row, col: def.endPosition.column, endLine: def.endPosition.row, endCol: def.endPosition.column, children: [],
    };
    returns = returnKind(def);
    params = paramNames(functionDeclarator(def.childForFieldName('declarator')));
    isStatic = hasStaticStorage(def);
  }
  const { locals, unionLocals } = declaredNames(body, unionTypes);
  const closeLine = body.endLine;
  const closeCol = Math.max(0, body.endCol - 1);
  return new FunctionSyntax({
    name: c.name, isStatic, returns, params, locals, unionLocals,
    start: c.start, end: c.end, line: def.startPosition.row, endLine: body.endLine, closeLine, closeCol,
    text: source.slice(c.start, c.end), headerLine: def.startPosition.row, recovered: !!c.looseBody || def.hasError,
  }, body);
}

/** The parameter names of a function candidate, before it is copied out (call-graph facts read them). */
export function candidateParams(c: FunctionCandidate): string[] {
  if (c.looseBody) return paramNames(c.node.type === 'function_declarator' ? c.node : functionDeclarator(c.node));
  return paramNames(functionDeclarator(c.node.childForFieldName('declarator')));
}

/** A declaration or definition with `static` storage (its name means this file's only). */
export function hasStaticStorage(node: TsNode): boolean {
  return node.namedChildren.some((k) => k?.type === 'storage_class_specifier' && k.text === 'static');
}

/** A function definition declared `static` (one recovered from an ERROR region is taken as not). */
export function isStaticDefinition(c: FunctionCandidate): boolean {
  return memoised(c, STATIC_DEFINITION, () => !c.looseBody && hasStaticStorage(c.node));
}
const STATIC_DEFINITION = Symbol('static definition');
