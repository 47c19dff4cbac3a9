// Quick fixes: text edits that remove a finding, written in the function's own conventions. Every fix is
// verified (verify.ts) before a front end offers it.
import type { Node as TsNode, Tree } from 'web-tree-sitter';
import type { Finding } from '../findings';
import type { Catalogue } from '../catalogue/catalogue';
import type { Span } from '../dataflow/outcome';
import { offsetAt } from '../text-position';

/** Replace [start, end) of the text (UTF-16 offsets) with `newText`. */
export interface FixEdit {
  start: number;
  end: number;
  newText: string;
}

export interface Fix {
  title: string;
  rule: string;
  edits: FixEdit[];
  /** Part of `source.fixAll.failpath`: mechanical and behaviour-preserving on the success path. */
  safe: boolean;
  /** The suppression comment: it removes the finding by silencing it (verified differently). */
  suppression?: boolean;
}

export interface FixContext {
  text: string;
  tree: Tree;
  finding: Finding;
  catalogue: Catalogue;
}

export type FixProvider = (ctx: FixContext) => Fix | undefined;

/** Applies non-overlapping edits (any order given). */
export function applyEdits(text: string, edits: FixEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

/** The smallest node of `type` that covers a span of the finding. */
export function nodeAtSpan(ctx: FixContext, span: Span, types: string[]): TsNode | undefined {
  return nodeAt(ctx.tree, offsetAt(ctx.text, span.line, span.col), offsetAt(ctx.text, span.endLine, span.endCol), types);
}

/** The smallest node of `type` that covers [start, end). */
export function nodeAt(tree: Tree, start: number, end: number, types: string[]): TsNode | undefined {
  for (let n: TsNode | null = tree.rootNode.descendantForIndex(start, Math.max(start, end - 1)); n; n = n.parent) {
    if (types.includes(n.type) && n.startIndex <= start && n.endIndex >= end) return n;
  }
  return undefined;
}

export function ancestor(n: TsNode, types: string[]): TsNode | undefined {
  for (let p = n.parent; p; p = p.parent) if (types.includes(p.type)) return p;
  return undefined;
}

/** The statement that holds `n` directly inside a block (`{ … }`), or undefined. */
export function blockStatement(n: TsNode): TsNode | undefined {
  for (let s: TsNode | null = n; s && s.parent; s = s.parent) {
    if (s.parent.type === 'compound_statement') return s;
    if (s.type === 'function_definition') return undefined;
  }
  return undefined;
}
