// unchecked-alloc: insert the failure test right after the allocation, leaving the way the function's other
// error paths leave (its cleanup label, or its error return after releasing what is already held).
import type { Node as TsNode } from 'web-tree-sitter';
import { allocationOf, simpleReleaser } from './allocation';
import { errorExit, exitStatements, failureTest, ifStatement, indentOf, indentUnit } from './conventions';
import type { FixContext, FixProvider } from './fix';

export const fixUncheckedAlloc: FixProvider = (ctx) => {
  const a = allocationOf(ctx);
  if (!a?.holder || !a.statement || a.spec.result?.startsWith('arg')) return undefined;
  const exit = errorExit(a.fn, a.kernel);
  const releases = exit.kind === 'return' ? heldBefore(ctx, a.fn, a.statement) : [];
  if (releases.includes('')) return undefined;
  const indent = indentOf(ctx.text, a.statement);
  const test = ifStatement(failureTest(a.holder, a.failKind, a.fn), exitStatements(exit, releases), indent, indentUnit(ctx.text));
  return {
    title: `Test the result of ${a.spec.name}() for failure`, rule: 'unchecked-alloc', safe: true,
    edits: [{ start: a.statement.endIndex, end: a.statement.endIndex, newText: `\n${indent}${test}` }],
  };
};

/** Earlier allocations of the function, stored in plain locals and not released before `at`: an early
 *  return must release them. */
export function heldBefore(ctx: FixContext, fn: TsNode, at: TsNode): string[] {
  const held: string[] = [];
  const body = fn.childForFieldName('body');
  if (!body) return held;
  const visit = (n: TsNode) => {
    if (n.startIndex >= at.startIndex) return;
    if (n.type === 'call_expression') {
      const name = n.childForFieldName('function')?.text ?? '';
      const spec = ctx.catalogue.allocator(name);
      const p = n.parent;
      const holder = p?.type === 'assignment_expression' ? p.childForFieldName('left')?.text : p?.type === 'init_declarator' ? p.childForFieldName('declarator')?.text.replace(/^[*\s]+/, '') : undefined;
      if (spec && !spec.ownedBy && spec.failure !== 'aborts' && holder && /^[A-Za-z_]\w*$/.test(holder)) {
        const between = ctx.text.slice(n.endIndex, at.startIndex);
        const released = new RegExp(`\\b\\w*(free|release|destroy|unref|put)\\w*\\s*\\(\\s*&?${holder}\\b|\\breturn\\s+${holder}\\b`).test(between);
        const release = simpleReleaser(ctx.catalogue, spec);
        if (!released) held.push(release ? `${release}(${holder});` : '');
      }
    }
    for (const c of n.namedChildren) if (c) visit(c);
  };
  visit(body);
  return [...new Set(held)];
}
