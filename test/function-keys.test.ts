// The language server's cache keys (function-keys.ts): what a function's cached findings depend on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../server/src/engine/analyze';
import { functionKeys } from '../server/src/engine/function-keys';

const SOURCE = `#include <stdlib.h>
int a, b, c;
int keep(int n) {
  int *v = malloc(sizeof *v * n);
  if (c) n++;
  if (b) n--;
  if (a) n *= 2;
  v[0] = n;
  free(v);
  return 0;
}
`;

test('a key depends on the relevant names a function mentions, not on the order the file\'s analysis found them in', async () => {
  const engine = await Engine.create();
  const p = engine.prepare('keep.c', SOURCE);
  const ctx = engine.contextFor(p);
  assert.ok(['a', 'b', 'c'].every((n) => ctx.relevant.has(n)), 'the tested globals are relevant');
  const keep = p.analysed.find((f) => f.name === 'keep')!;
  // A new context string each time: keys are not taken from the memo.
  const key = functionKeys(p, ctx, 'first').get(keep);
  const reordered = functionKeys(p, { ...ctx, relevant: new Set([...ctx.relevant].reverse()) }, 'second').get(keep);
  assert.equal(reordered, key);
  const fewer = functionKeys(p, { ...ctx, relevant: new Set([...ctx.relevant].filter((n) => n !== 'b')) }, 'third').get(keep);
  assert.notEqual(fewer, key, 'a name that stops being relevant changes the key');
});
