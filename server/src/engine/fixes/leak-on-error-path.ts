// leak-on-error-path: release the allocation under the cleanup label the error path jumps to, or before the
// early return.
import type { Node as TsNode } from 'web-tree-sitter';
import { allocationOf } from './allocation';
import { indentOf, indentUnit } from './conventions';
import { nodeAtSpan, type FixProvider } from './fix';

export const fixLeakOnErrorPath: FixProvider = (ctx) => {
  const a = allocationOf(ctx);
  if (!a?.holder || !a.release || !/^[A-Za-z_][\w.>-]*$/.test(a.holder)) return undefined;
  const exit = nodeAtSpan(ctx, ctx.finding.span, ['goto_statement', 'return_statement']);
  if (!exit) return undefined;
  const release = `${a.release}(${a.holder});`;
  const title = `Release ${a.holder} with ${a.release}() on this error path`;
  if (exit.type === 'goto_statement') {
    const label = exit.childForFieldName('label')?.text;
    const target = label ? findLabel(a.fn, label) : undefined;
    // Under the label only when every jump there comes after the allocation (else it would release a pointer
    // that is not set yet) or the pointer starts out NULL.
    if (target && label && (startsNull(a.fn, a.holder) || jumpsTo(a.fn, label).every((g) => g.startIndex > a.call.endIndex))) {
      const inner = target.namedChildren.find((c) => c && c.type !== 'statement_identifier');
      const indent = inner ? indentOf(ctx.text, inner) : indentOf(ctx.text, target) + indentUnit(ctx.text);
      const colon = ctx.text.indexOf(':', target.startIndex) + 1;
      return { title, rule: 'leak-on-error-path', safe: false, edits: [{ start: colon, end: colon, newText: `\n${indent}${release}` }] };
    }
  }
  return beforeStatement(ctx.text, exit, release, title);
};

/** Inserts `stmt` before `exit`, adding braces when `exit` is the unbraced body of an if/else. */
function beforeStatement(text: string, exit: TsNode, stmt: string, title: string) {
  const indent = indentOf(text, exit);
  if (exit.parent?.type === 'compound_statement') {
    return { title, rule: 'leak-on-error-path', safe: false, edits: [{ start: exit.startIndex, end: exit.startIndex, newText: `${stmt}\n${indent}` }] };
  }
  const owner = exit.parent?.type === 'else_clause' ? exit.parent.parent : exit.parent;
  if (!owner || owner.type !== 'if_statement') return undefined;
  const outer = indentOf(text, owner);
  const unit = indentUnit(text);
  const body = `{\n${outer}${unit}${stmt}\n${outer}${unit}${text.slice(exit.startIndex, exit.endIndex)}\n${outer}}`;
  const lineStart = text.lastIndexOf('\n', exit.startIndex - 1);
  const sameLine = !/^[ \t]*$/.test(text.slice(lineStart + 1, exit.startIndex));
  const from = sameLine ? exit.startIndex : text.lastIndexOf(')', exit.startIndex) + 1 || exit.startIndex;
  return { title, rule: 'leak-on-error-path', safe: false, edits: [{ start: from, end: exit.endIndex, newText: (sameLine ? '' : ' ') + body }] };
}

export function findLabel(fn: TsNode, label: string): TsNode | undefined {
  return fn.descendantsOfType('labeled_statement').find((l) => l?.childForFieldName('label')?.text === label) ?? undefined;
}

export function jumpsTo(fn: TsNode, label: string): TsNode[] {
  return fn.descendantsOfType('goto_statement').filter((g): g is TsNode => !!g && g.childForFieldName('label')?.text === label);
}

/** `char *buf = NULL;`: releasing it before it is allocated is harmless. */
function startsNull(fn: TsNode, holder: string): boolean {
  return new RegExp(`\\*\\s*${holder.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*=\\s*(NULL|0|nullptr)\\s*[,;]`).test(fn.text);
}
