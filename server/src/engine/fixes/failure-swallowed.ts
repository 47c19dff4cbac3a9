// failure-swallowed: the failure path returns success. Set the error value before the jump, or return it.
import type { Node as TsNode } from 'web-tree-sitter';
import { allocationOf } from './allocation';
import { defaultErrorValue, indentOf, indentUnit } from './conventions';
import { nodeAtSpan, type FixProvider } from './fix';
import { findLabel } from './leak-on-error-path';

export const fixFailureSwallowed: FixProvider = (ctx) => {
  const a = allocationOf(ctx);
  if (!a) return undefined;
  const exit = nodeAtSpan(ctx, ctx.finding.span, ['goto_statement', 'return_statement']);
  if (!exit) return undefined;
  if (exit.type === 'return_statement') {
    const value = exit.namedChildren[0];
    const error = errorValue(a.fn, undefined, a.kernel);
    if (!value || !/^(0|NULL|true|TRUE|[A-Z_]*OK)$/.test(value.text) || !error) return undefined;
    return { title: `Return ${error}`, rule: 'failure-swallowed', safe: false, edits: [{ start: value.startIndex, end: value.endIndex, newText: error }] };
  }
  // A jump: the function returns a status variable after the label; set it first.
  const label = exit.childForFieldName('label')?.text;
  const target = label ? findLabel(a.fn, label) : undefined;
  if (!target) return undefined;
  const ret = a.fn.descendantsOfType('return_statement').find((r) => r && r.startIndex > target.startIndex && r.namedChildren[0]?.type === 'identifier');
  const status = ret?.namedChildren[0]?.text;
  const error = status ? errorValue(a.fn, status, a.kernel) : undefined;
  if (!status || !error) return undefined;
  const assign = `${status} = ${error};`;
  const title = `Set ${status} = ${error} before the jump`;
  const indent = indentOf(ctx.text, exit);
  if (exit.parent?.type === 'compound_statement') {
    return { title, rule: 'failure-swallowed', safe: false, edits: [{ start: exit.startIndex, end: exit.startIndex, newText: `${assign}\n${indent}` }] };
  }
  if (exit.parent?.type !== 'if_statement') return undefined;
  const outer = indentOf(ctx.text, exit.parent);
  const unit = indentUnit(ctx.text);
  const from = ctx.text.lastIndexOf(')', exit.startIndex) + 1;
  return {
    title, rule: 'failure-swallowed', safe: false,
    edits: [{ start: from, end: exit.endIndex, newText: ` {\n${outer}${unit}${assign}\n${outer}${unit}${exit.text}\n${outer}}` }],
  };
};

/** The error value the function uses for `status` (`ret = -ENOMEM` elsewhere), else its type's default. */
function errorValue(fn: TsNode, status: string | undefined, kernel: boolean): string | undefined {
  const counts = new Map<string, number>();
  for (const asg of fn.descendantsOfType('assignment_expression')) {
    if (!asg || (status && asg.childForFieldName('left')?.text !== status)) continue;
    const v = asg.childForFieldName('right')?.text.replace(/\s+/g, '') ?? '';
    if (/^(-E[A-Z0-9]+|-\d+|[A-Z][A-Z0-9_]*(ERR|ERROR|FAIL|NOMEM|OUT_OF_MEMORY)[A-Z0-9_]*)$/.test(v)) counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const nomem = [...counts.keys()].find((v) => /NOMEM|OUT_OF_MEMORY/.test(v));
  const common = nomem ?? [...counts].sort((x, y) => y[1] - x[1])[0]?.[0];
  return common ?? (defaultErrorValue(fn, kernel) || undefined);
}
