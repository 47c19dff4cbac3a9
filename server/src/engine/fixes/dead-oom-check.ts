// dead-oom-check: the allocator aborts on OOM, so the failure branch never runs. Remove it, and the label it
// alone jumped to.
import type { Node as TsNode } from 'web-tree-sitter';
import { allocationOf } from './allocation';
import { nodeAtSpan, type FixEdit, type FixProvider } from './fix';
import { offsetAt } from '../text-position';
import { findLabel, jumpsTo } from './leak-on-error-path';

export const fixDeadOomCheck: FixProvider = (ctx) => {
  const a = allocationOf(ctx);
  if (!a) return undefined;
  const f = ctx.finding.span;
  const stmt = nodeAtSpan(ctx, f, ['if_statement']);
  const cond = stmt?.childForFieldName('condition');
  // Only when the whole condition is the dead test, the `if` has no else, and it sits in a block.
  if (!stmt || !cond || stmt.childForFieldName('alternative') || stmt.parent?.type !== 'compound_statement') return undefined;
  const inner = cond.text.replace(/^\(\s*|\s*\)$/g, '');
  if (inner.length > offsetAt(ctx.text, f.endLine, f.endCol) - offsetAt(ctx.text, f.line, f.col) + 2) return undefined;
  const edits: FixEdit[] = [removeLines(ctx.text, stmt)];
  for (const g of stmt.descendantsOfType('goto_statement')) {
    const label = g?.childForFieldName('label')?.text;
    if (!label) continue;
    const others = jumpsTo(a.fn, label).filter((j) => j.startIndex < stmt.startIndex || j.startIndex >= stmt.endIndex);
    const target = findLabel(a.fn, label);
    if (others.length === 0 && target) edits.push(removeLabel(ctx.text, target));
  }
  return { title: `Remove the dead failure test (${a.spec.name}() cannot fail)`, rule: 'dead-oom-check', safe: true, edits };
};

/** Removes a statement with its indentation and line break when it is alone on its lines. */
function removeLines(text: string, n: TsNode): FixEdit {
  const lineStart = text.lastIndexOf('\n', n.startIndex - 1) + 1;
  const lineEnd = text.indexOf('\n', n.endIndex);
  const alone = /^[ \t]*$/.test(text.slice(lineStart, n.startIndex)) && /^[ \t]*$/.test(text.slice(n.endIndex, lineEnd < 0 ? text.length : lineEnd));
  return alone ? { start: lineStart, end: lineEnd < 0 ? text.length : lineEnd + 1, newText: '' } : { start: n.startIndex, end: n.endIndex, newText: '' };
}

/** `label:` goes; the statement it labelled stays. */
function removeLabel(text: string, labelled: TsNode): FixEdit {
  const colon = text.indexOf(':', labelled.startIndex);
  const lineStart = text.lastIndexOf('\n', labelled.startIndex - 1) + 1;
  const after = /^[ \t]*\n/.exec(text.slice(colon + 1));
  if (after && /^[ \t]*$/.test(text.slice(lineStart, labelled.startIndex))) return { start: lineStart, end: colon + 1 + after[0].length, newText: '' };
  return { start: labelled.startIndex, end: colon + 1, newText: '' };
}
