// For every rule: "ignore on this line" — the `// failpath-ignore <rule>` comment of DESIGN §4.
import type { Fix, FixContext } from './fix';
import { offsetAt } from '../text-position';

export function suppressionFix(ctx: FixContext): Fix | undefined {
  const line = ctx.finding.span.line;
  const start = offsetAt(ctx.text, line, 0);
  const nl = ctx.text.indexOf('\n', start);
  const end = nl < 0 ? ctx.text.length : ctx.text[nl - 1] === '\r' ? nl - 1 : nl;
  const content = ctx.text.slice(start, end);
  if (/\\$/.test(content)) return undefined; // a macro continues on the next line: a comment would end it
  const existing = /\/\/\s*failpath-ignore\s+([a-z0-9, -]+)$/.exec(content);
  const edit = existing
    ? { start: end, end, newText: `, ${ctx.finding.rule}` }
    : { start: end, end, newText: `${content.trim() ? ' ' : ''}// failpath-ignore ${ctx.finding.rule}` };
  // An open block comment at the end of the line would swallow the directive.
  if (!existing && content.lastIndexOf('/*') > content.lastIndexOf('*/')) return undefined;
  return { title: `Ignore ${ctx.finding.rule} on this line`, rule: ctx.finding.rule, edits: [edit], safe: false, suppression: true };
}
