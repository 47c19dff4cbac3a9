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
  const title = `Ignore ${ctx.finding.rule} on this line`;
  if (!existing && endsInLineComment(content)) {
    // A directive must open its comment: after `// a note` it would be part of the note. It goes on the line above.
    const indent = /^[ \t]*/.exec(content)![0];
    return { title, rule: ctx.finding.rule, edits: [{ start, end: start, newText: `${indent}// failpath-ignore-next-line ${ctx.finding.rule}\n` }], safe: false, suppression: true };
  }
  const edit = existing
    ? { start: end, end, newText: `, ${ctx.finding.rule}` }
    : { start: end, end, newText: `${content.trim() ? ' ' : ''}// failpath-ignore ${ctx.finding.rule}` };
  // An open block comment at the end of the line would swallow the directive.
  if (!existing && content.lastIndexOf('/*') > content.lastIndexOf('*/')) return undefined;
  return { title, rule: ctx.finding.rule, edits: [edit], safe: false, suppression: true };
}

/** Whether the line ends in a `//` comment (not one inside a string or a character literal). */
function endsInLineComment(content: string): boolean {
  let quote: string | undefined;
  for (let i = 0; i < content.length; i++) {
    const c = content[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '/' && content[i + 1] === '/') return true;
    else if (c === '/' && content[i + 1] === '*') {
      const close = content.indexOf('*/', i + 2);
      if (close < 0) return false;
      i = close + 1;
    }
  }
  return false;
}
