// wrong-failure-check: replace the test with the one the allocator's convention needs (IS_ERR ↔ `!p`,
// MAP_FAILED), keeping its sense (`if (p)` tests success, `if (!p)` failure).
import type { Node as TsNode } from 'web-tree-sitter';
import { allocationOf } from './allocation';
import { failureTest, successTest } from './conventions';
import { nodeAtSpan, type FixProvider } from './fix';

export const fixWrongFailureCheck: FixProvider = (ctx) => {
  const a = allocationOf(ctx);
  if (!a || a.spec.result?.startsWith('arg') || a.failKind === 'garbage') return undefined;
  let test = nodeAtSpan(ctx, ctx.finding.span, ['call_expression', 'unary_expression', 'binary_expression', 'identifier', 'field_expression']);
  if (!test) return undefined;
  if (test.parent?.type === 'unary_expression' && test.parent.text.startsWith('!') && test.type === 'call_expression') test = test.parent;
  const read = readTest(test);
  if (!read) return undefined;
  const replacement = read.failure ? failureTest(read.value, a.failKind, a.fn) : successTest(read.value, a.failKind);
  const needsParens = /\s/.test(replacement) && test.parent?.type !== 'parenthesized_expression';
  return {
    title: `Test with ${replacement}`, rule: 'wrong-failure-check', safe: true,
    edits: [{ start: test.startIndex, end: test.endIndex, newText: needsParens ? `(${replacement})` : replacement }],
  };
};

/** What a test tests: the value, and whether it is true on failure. */
function readTest(n: TsNode): { value: string; failure: boolean } | undefined {
  if (n.type === 'unary_expression' && n.text.startsWith('!')) {
    const inner = unparen(n.childForFieldName('argument'));
    if (!inner) return undefined;
    const r = readTest(inner);
    return r ? { value: r.value, failure: !r.failure } : { value: inner.text, failure: true };
  }
  if (n.type === 'call_expression' && /^(IS_ERR|IS_ERR_OR_NULL|unlikely|likely)$/.test(n.childForFieldName('function')?.text ?? '')) {
    const arg = unparen(n.childForFieldName('arguments')?.namedChildren[0] ?? null);
    if (!arg) return undefined;
    if (/likely/.test(n.childForFieldName('function')!.text)) return readTest(arg);
    return { value: arg.text, failure: true };
  }
  if (n.type === 'binary_expression') {
    const op = n.childForFieldName('operator')?.text;
    const l = n.childForFieldName('left');
    const r = n.childForFieldName('right');
    if (!l || !r || (op !== '==' && op !== '!=')) return undefined;
    const sentinel = (x: TsNode) => /^(NULL|0|MAP_FAILED|\(\s*void\s*\*\s*\)\s*-1|nullptr)$/.test(x.text);
    const value = sentinel(r) ? l : sentinel(l) ? r : undefined;
    return value ? { value: value.text, failure: op === '==' } : undefined;
  }
  if (n.type === 'identifier' || n.type === 'field_expression') return { value: n.text, failure: false };
  return undefined;
}

function unparen(n: TsNode | null): TsNode | undefined {
  while (n?.type === 'parenthesized_expression') n = n.namedChildren[0] ?? null;
  return n ?? undefined;
}
