// realloc-leak: `p = realloc(p, n)` loses the old block when realloc fails. Rewrite through a temporary: the
// old block stays in `p` on failure, and `p` takes the new one only after the test.
import type { Node as TsNode } from 'web-tree-sitter';
import { allocationOf } from './allocation';
import { errorExit, exitStatements, failureTest, ifStatement, indentOf, indentUnit } from './conventions';
import type { FixProvider } from './fix';

export const fixReallocLeak: FixProvider = (ctx) => {
  const a = allocationOf(ctx);
  if (!a?.holder || !a.statement || a.statement.type !== 'expression_statement' || a.declaration) return undefined;
  const p = a.holder;
  const tmp = freshName(a.fn, /^[A-Za-z_]\w*$/.test(p) ? `new_${p}` : 'tmp');
  const indent = indentOf(ctx.text, a.statement);
  const unit = indentUnit(ctx.text);
  const call = ctx.text.slice(a.call.startIndex, a.call.endIndex);
  const decl = `${declaredType(a.fn, p) ?? 'void *'}${tmp} = ${call};`;
  // An existing test of `p` right after it becomes the test of the temporary.
  const next = a.statement.nextNamedSibling;
  const cond = next?.type === 'if_statement' ? next.childForFieldName('condition') : undefined;
  const testsP = cond && new RegExp(`^\\(\\s*(!\\s*${escape(p)}|${escape(p)}\\s*==\\s*NULL|NULL\\s*==\\s*${escape(p)})\\s*\\)$`).test(cond.text);
  if (next && cond && testsP && !next.childForFieldName('alternative')) {
    const edits = [
      { start: a.statement.startIndex, end: a.statement.endIndex, newText: decl },
      { start: cond.startIndex, end: cond.endIndex, newText: `(${failureTest(tmp, a.failKind, a.fn)})` },
      { start: next.endIndex, end: next.endIndex, newText: `\n${indent}${p} = ${tmp};` },
    ];
    // The old block is still ours on that path now: an early return there must release it.
    const body = next.childForFieldName('consequence');
    if (body?.type === 'return_statement' && a.release && /^[A-Za-z_]\w*$/.test(p)) {
      edits.push({ start: body.startIndex, end: body.endIndex, newText: `{\n${indent}${unit}${a.release}(${p});\n${indent}${unit}${body.text}\n${indent}}` });
      const paren = ctx.text.lastIndexOf(')', body.startIndex);
      edits.push({ start: paren + 1, end: body.startIndex, newText: ' ' });
    } else if (body?.type === 'compound_statement' && a.release && /^[A-Za-z_]\w*$/.test(p)) {
      const last = body.namedChildren[body.namedChildren.length - 1];
      if (last?.type === 'return_statement') edits.push({ start: last.startIndex, end: last.startIndex, newText: `${a.release}(${p});\n${indentOf(ctx.text, last)}` });
    }
    return { title: `Keep the old block: realloc into ${tmp}`, rule: 'realloc-leak', safe: true, edits };
  }
  const exit = errorExit(a.fn, a.kernel);
  const body = exitStatements(exit, exit.kind === 'return' && a.release && /^[A-Za-z_]\w*$/.test(p) ? [`${a.release}(${p});`] : []);
  return {
    title: `Keep the old block: realloc into ${tmp} and test it`, rule: 'realloc-leak', safe: true,
    edits: [{
      start: a.statement.startIndex, end: a.statement.endIndex,
      newText: `${decl}\n${indent}${ifStatement(failureTest(tmp, a.failKind, a.fn), body, indent, unit)}\n${indent}${p} = ${tmp};`,
    }],
  };
};

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `char *` for `char *p;` declared in the function (or a parameter); undefined when not a plain local. */
function declaredType(fn: TsNode, name: string): string | undefined {
  for (const d of [...fn.descendantsOfType('declaration'), ...fn.descendantsOfType('parameter_declaration')]) {
    if (!d) continue;
    const type = d.childForFieldName('type')?.text;
    for (const decl of d.childrenForFieldName('declarator')) {
      let n: TsNode | null = decl;
      let stars = 0;
      while (n && n.type !== 'identifier') {
        if (n.type === 'pointer_declarator') stars++;
        n = n.childForFieldName('declarator');
      }
      if (n?.text === name && type && stars > 0) {
        const quals = d.children.filter((c) => c?.type === 'type_qualifier').map((c) => c!.text).join(' ');
        return `${quals ? quals + ' ' : ''}${type} ${'*'.repeat(stars)}`;
      }
    }
  }
  return undefined;
}

function freshName(fn: TsNode, base: string): string {
  const used = new Set(fn.descendantsOfType('identifier').map((n) => n?.text));
  if (!used.has(base)) return base;
  for (let i = 2; ; i++) if (!used.has(`${base}${i}`)) return `${base}${i}`;
}
