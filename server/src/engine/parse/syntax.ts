// A compact, plain-JS mirror of the tree-sitter nodes of one function. Crossing into wasm for every node
// property is slow, and the dataflow visits nodes many times: each function is copied once, with one cursor walk.
import type { Node as TsNode } from 'web-tree-sitter';
import { LineIndex } from './line-index';
import { TreeWalk } from './tree-walk';

export interface Syntax {
  id: number;
  type: string;
  /** Field name in the parent (`condition`, `left`, `function`, …) or null. */
  field: string | null;
  start: number; // UTF-16 offsets in the source text
  end: number;
  line: number; // 0-based; columns are UTF-16 code units
  col: number;
  endLine: number;
  endCol: number;
  children: Syntax[]; // named children only (comments dropped)
  /** First operator token of an expression (`==`, `!`, `->`, `&`, `++`, `=`…). */
  op?: string;
  /** Source text of a leaf (identifiers, literals). */
  text?: string;
  /** The node is a MISSING token inserted by error recovery, or has one as a direct child. */
  missing?: boolean;
  hasMissingChild?: boolean;
}

const PUNCTUATION = new Set(['(', ')', '[', ']', '{', '}', ',', ';', ':', '"', "'", '?']);
/** The children of every leaf, shared (only `toSyntax` adds children, and it replaces this array when it does).
 *  Made holding an object once, so that it has the elements kind of every other children array. */
const NO_CHILDREN: Syntax[] = [{} as Syntax];
NO_CHILDREN.length = 0;
/** Copies that hold every node of their subtree (none cut at `maxDepth`). */
const wholeCopies = new WeakSet<Syntax>();
/** Whether `root` was copied with its whole subtree: what a walk of it finds is all the tree has there. */
export function isWholeCopy(root: Syntax): boolean {
  return wholeCopies.has(root);
}
let nextId = 1;
/** Whether a node type (by id) is named: a property of the grammar's symbol, asked of the parser once per type. */
const namedTypes: Array<boolean | undefined> = [];

/** Copies `root` and its subtree. Depth is bounded so that pathological nesting cannot exhaust the stack.
 *  Every property read from the cursor is a call into the parser's wasm, so the copy reads as few as it can:
 *  positions come from `lines`, namedness from the type id, and MISSING tokens are only looked for under a
 *  node that has an error. */
export function toSyntax(root: TsNode, source: string, maxDepth = 400, lines: LineIndex = new LineIndex(source)): Syntax {
  const { types, fields } = root.tree.language;
  const mayMiss = root.hasError;
  const cursor = TreeWalk.from(root);
  const make = (type: string): Syntax => {
    const start = cursor.startIndex();
    const end = cursor.endIndex();
    const line = lines.line(start);
    const endLine = lines.line(end);
    return {
      id: nextId++, type, field: fields[cursor.fieldId()] ?? null, start, end,
      line, col: lines.column(start, line), endLine, endCol: lines.column(end, endLine), children: NO_CHILDREN,
      // Present from the start (most nodes get one of them): every node then has one shape, which keeps the
      // dataflow's property reads monomorphic and spares leaves a separate property store.
      op: undefined, text: undefined,
    };
  };
  const typeOf = (typeId: number) => types[typeId] || 'ERROR';
  const top = make(typeOf(cursor.typeId()));
  const stack: Syntax[] = [top];
  let depth = 0;
  let cut = false;
  // Iterative pre-order walk over all children (anonymous ones give operators).
  if (cursor.firstChild()) {
    depth = 1;
    for (;;) {
      const parent = stack[stack.length - 1];
      const typeId = cursor.typeId();
      const type = typeOf(typeId);
      let named = namedTypes[typeId];
      if (named === undefined) named = namedTypes[typeId] = cursor.isNamed();
      const missing = mayMiss && cursor.isMissing();
      let descended = false;
      if (missing) parent.hasMissingChild = true;
      if (named && type !== 'comment') {
        const node = make(type);
        if (missing) node.missing = true;
        if (parent.children === NO_CHILDREN) parent.children = [node];
        else parent.children.push(node);
        if (depth < maxDepth && cursor.firstChild()) {
          stack.push(node);
          depth++;
          descended = true;
        } else {
          if (depth >= maxDepth) cut = true;
          node.text = source.slice(node.start, node.end);
        }
      } else if (!named && parent.op === undefined && !PUNCTUATION.has(type)) {
        parent.op = type;
      }
      if (descended) continue;
      while (!cursor.nextSibling()) {
        if (!cursor.parent() || depth <= 1) {
          cursor.done();
          return finish(top, source, cut);
        }
        depth--;
        const done = stack.pop()!;
        if (done.type === 'macro_type_specifier' && stack[stack.length - 1].type === 'compound_statement') statementMacroCall(done);
        if (done.children.length === 0) done.text = source.slice(done.start, done.end);
        // An array grown by push keeps room for 16 more elements.
        else if (done.children.length > 1) done.children = done.children.slice();
      }
    }
  }
  cursor.done();
  return finish(top, source, cut);
}

/**
 * `FREE_AND_NULL(msg)` as the last statement of a block, with no semicolon (libxml2's statement macros): tree-sitter
 * reads it as a macro type specifier with a missing `;`. In statement position it can only be the macro's use: made
 * the call statement it is (same spans; the argument a plain identifier).
 */
function statementMacroCall(node: Syntax): void {
  const name = child(node, 'name');
  const described = child(node, 'type');
  const arg = described?.children.length === 1 ? described.children[0] : undefined;
  if (!name || !described || arg?.type !== 'type_identifier') return;
  arg.type = 'identifier';
  arg.field = null;
  name.field = 'function';
  described.type = 'argument_list';
  described.field = 'arguments';
  const call: Syntax = { ...node, id: nextId++, type: 'call_expression', field: null, children: [name, described] };
  node.type = 'expression_statement';
  node.children = [call];
}

function finish(node: Syntax, source: string, cut: boolean): Syntax {
  if (!cut) wholeCopies.add(node);
  if (node.children.length === 0) {
    if (node.text === undefined) node.text = source.slice(node.start, node.end);
  } else if (node.children.length > 1) node.children = node.children.slice();
  return node;
}

export function child(node: Syntax, field: string): Syntax | undefined {
  for (const c of node.children) if (c.field === field) return c;
  return undefined;
}

/** Strips parentheses and casts: `((char *) p)` is `p` for the dataflow. */
export function unwrap(node: Syntax): Syntax {
  let n = node;
  for (;;) {
    if (n.type === 'parenthesized_expression' && n.children.length === 1) n = n.children[0];
    else if (n.type === 'cast_expression') {
      const v = child(n, 'value');
      if (!v) return n;
      n = v;
    } else return n;
  }
}

/** The callee's name of a call (`f(…)` → `f`), or undefined for calls through expressions. */
export function calleeName(call: Syntax): string | undefined {
  const fn = child(call, 'function');
  if (!fn) return undefined;
  const u = unwrap(fn);
  return u.type === 'identifier' ? u.text : undefined;
}

export function callArgs(call: Syntax): Syntax[] {
  const args = child(call, 'arguments');
  return args ? args.children.filter((c) => c.type !== 'ERROR' || c.children.length > 0) : [];
}

export function walk(node: Syntax, visit: (n: Syntax) => boolean | void): void {
  const stack = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (visit(n) === false) continue;
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
}
