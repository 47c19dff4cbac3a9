// The language server's cache of findings per function (function-cache.ts) and its keys (function-keys.ts): what a
// function's cached findings depend on, and what an edit explores again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../server/src/engine/analyze';
import { functionKeys } from '../server/src/engine/function-keys';
import { FunctionResultCache } from '../server/src/engine/function-cache';

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

const HELPERS = `#include <stdlib.h>
#include <string.h>
static char *make_a(int n) {
  char *a = malloc(n);
  if (!a) return NULL;
  memset(a, 0, n);
  return a;
}
static char *make_b(int n) {
  char *b = malloc(n + 1);
  if (!b) return NULL;
  b[0] = 0;
  return b;
}
int use(int n) {
  char *a = make_a(n);
  char *b = make_b(n);
  if (!a || !b) {
    free(a);
    return -1;
  }
  free(a);
  free(b);
  return 0;
}
`;

test('an edit in one helper explores again the runs of its callers that read it, and keeps the others', async () => {
  const engine = await Engine.create();
  let explored: string[] = [];
  const exploreFunction = engine.exploreFunction.bind(engine);
  engine.exploreFunction = (...args: Parameters<Engine['exploreFunction']>) => {
    const runs = exploreFunction(...args);
    explored.push(...runs.map((r) => `${r.fn.name}:${r.owner.name}`));
    return runs;
  };
  const cache = new FunctionResultCache();
  const rules = (text: string) => engine.analyze(engine.prepare('use.c', text), undefined, cache).findings.map((f) => `${f.span.line + 1}:${f.rule}`);
  assert.deepEqual(rules(HELPERS), ['20:leak-on-error-path']);
  assert.deepEqual(explored.sort(), ['make_a:make_a', 'make_b:make_b', 'use:make_a', 'use:make_b']);
  explored = [];
  const edited = HELPERS.replace('memset(a, 0, n)', 'memset(a, 1, n)');
  assert.deepEqual(rules(edited), ['20:leak-on-error-path']);
  assert.deepEqual(explored.sort(), ['make_a:make_a', 'use:make_a'], 'the run of make_b\'s allocation from use is kept');
  assert.deepEqual(rules(edited), engine.analyzeText('use.c', edited).findings.map((f) => `${f.span.line + 1}:${f.rule}`));
});
