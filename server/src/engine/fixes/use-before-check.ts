// use-before-check: move the existing failure test up to just after the allocation.
import type { Node as TsNode } from 'web-tree-sitter';
import { allocationOf } from './allocation';
import { indentOf } from './conventions';
import { nodeAtSpan, type FixProvider } from './fix';

export const fixUseBeforeCheck: FixProvider = (ctx) => {
  const a = allocationOf(ctx);
  const late = ctx.finding.related.find((r) => /too late/.test(r.message));
  if (!a?.statement || !late) return undefined;
  const test = nodeAtSpan(ctx, late.span, ['if_statement']);
  // Only a test in the same block, later, that is a whole `if`: moving anything else changes more than order.
  if (!test || !test.parent?.equals(a.statement.parent!) || test.startIndex <= a.statement.endIndex) return undefined;
  const lineStart = ctx.text.lastIndexOf('\n', test.startIndex - 1);
  const removeFrom = /^[ \t]*$/.test(ctx.text.slice(lineStart + 1, test.startIndex)) ? lineStart : test.startIndex;
  const indent = indentOf(ctx.text, a.statement);
  return {
    title: `Move the failure test of ${a.spec.name}() up to the allocation`, rule: 'use-before-check', safe: false,
    edits: [
      { start: a.statement.endIndex, end: a.statement.endIndex, newText: `\n${indent}${reindent(test, ctx.text, indentOf(ctx.text, test), indent)}` },
      { start: removeFrom, end: test.endIndex, newText: '' },
    ],
  };
};

function reindent(n: TsNode, text: string, from: string, to: string): string {
  return text.slice(n.startIndex, n.endIndex).split('\n').map((l, i) => (i > 0 && l.startsWith(from) ? to + l.slice(from.length) : l)).join('\n');
}
