// The language server's cache of findings per function (function-cache.ts) and its keys (function-keys.ts): what a
// function's cached findings depend on, and what an edit explores again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../server/src/engine/analyze';
import { functionKeys } from '../server/src/engine/function-keys';
import { FunctionResultCache } from '../server/src/engine/function-cache';
import { isLargeFunction } from '../server/src/engine/parse/function-size';

/** An engine, the runs it explores, and `rules(text)`: the findings (`line:rule`) of `file` with that text,
 *  analysed with one result cache across calls (as the language server does edit by edit). */
async function analysedWithCache(file: string): Promise<{ engine: Engine; explored: { take(): string[] }; rules: (text: string) => string[] }> {
  const engine = await Engine.create();
  const explored = exploredRuns(engine);
  const cache = new FunctionResultCache();
  const rules = (text: string) => engine.analyze(engine.prepare(file, text), undefined, cache).findings.map((f) => `${f.span.line + 1}:${f.rule}`);
  return { engine, explored, rules };
}

/** The runs `engine` explores from now on, as `function:function the site is in`; `take()` returns and forgets them. */
function exploredRuns(engine: Engine): { take(): string[] } {
  let explored: string[] = [];
  const exploreFunction = engine.exploreFunction.bind(engine);
  engine.exploreFunction = (...args: Parameters<Engine['exploreFunction']>) => {
    const runs = exploreFunction(...args);
    explored.push(...runs.map((r) => `${r.fn.name}:${r.owner.name}`));
    return runs;
  };
  return {
    take: () => {
      const out = explored;
      explored = [];
      return out;
    },
  };
}

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
  const { engine, explored, rules } = await analysedWithCache('use.c');
  assert.deepEqual(rules(HELPERS), ['20:leak-on-error-path']);
  assert.deepEqual(explored.take().sort(), ['make_a:make_a', 'make_b:make_b', 'use:make_a', 'use:make_b']);
  const edited = HELPERS.replace('memset(a, 0, n)', 'memset(a, 1, n)');
  assert.deepEqual(rules(edited), ['20:leak-on-error-path']);
  assert.deepEqual(explored.take().sort(), ['make_a:make_a', 'use:make_a'], 'the run of make_b\'s allocation from use is kept');
  assert.deepEqual(rules(edited), engine.analyzeText('use.c', edited).findings.map((f) => `${f.span.line + 1}:${f.rule}`));
});

// A large function between a caller and a helper that allocates: `parse_type` → `parse_group` → `new_node`.
const LARGE_BETWEEN = `#include <stdlib.h>
struct node { int kind; struct node *next; };
static struct node *new_node(int kind) {
  struct node *n = malloc(sizeof *n);
  if (!n) return NULL;
  n->kind = kind;
  n->next = NULL;
  return n;
}
static struct node *parse_group(int k) {
  struct node *n = new_node(k);
  if (!n) return NULL;
${Array.from({ length: 80 }, (_, i) => `  if (k == ${i}) n->kind += ${i + 1};`).join('\n')}
  return n;
}
int parse_type(int k) {
  struct node *g = parse_group(k);
  if (!g) return -1;
  g->next = NULL;
  free(g);
  return 0;
}
`;

test('a caller does not reach a helper\'s allocation through a large function: an edit in it explores only it', async () => {
  const { engine, explored, rules } = await analysedWithCache('parse.c');
  const prepared = engine.prepare('parse.c', LARGE_BETWEEN);
  assert.ok(isLargeFunction(prepared.functions.get('parse_group')!), 'the fixture\'s parse_group is large');
  assert.deepEqual(rules(LARGE_BETWEEN), []);
  assert.deepEqual(explored.take().sort(), ['new_node:new_node', 'parse_group:new_node']);
  const edited = LARGE_BETWEEN.replace('k == 7)', 'k == 77)');
  assert.deepEqual(rules(edited), []);
  assert.deepEqual(explored.take(), ['parse_group:new_node'], 'parse_type is not explored again');
});

// A large static function with a realloc: its callers do not follow it, so their text is not part of its key.
const LARGE_REALLOC = `#include <stdlib.h>
struct buf { char *data; int kind; };
static int grow(struct buf *b, size_t n) {
  char *t = realloc(b->data, n);
  if (!t) return -1;
  b->data = t;
${Array.from({ length: 80 }, (_, i) => `  if (n == ${i}) b->kind += ${i + 1};`).join('\n')}
  return 0;
}
int push(struct buf *b) {
  if (grow(b, 16) < 0) return -1;
  b->data[0] = 1;
  return 0;
}
`;

test('an edit in a caller of a large static function with a realloc does not explore that function again', async () => {
  const { explored, rules } = await analysedWithCache('grow.c');
  const before = rules(LARGE_REALLOC);
  assert.deepEqual(explored.take(), ['grow:grow']);
  const edited = LARGE_REALLOC.replace('b->data[0] = 1;', 'b->data[0] = 2;');
  assert.deepEqual(rules(edited), before);
  assert.deepEqual(explored.take(), [], 'grow is not explored again');
});

// A global tested once (`verbose`), then calls of a helper that assigns a global: once the test is behind, the path's
// fact about `verbose` cannot decide anything, and the helper is applied by its summary, not explored.
const GLOBAL_TESTED_ONCE = `#include <stdlib.h>
int verbose;
int counter;
static void note(int n) {
  if (counter > n) counter = 0;
  else counter++;
}
int run(int n) {
  if (verbose) n++;
  note(n);
  char *p = malloc(n);
  if (!p) return -1;
  note(n);
  p[0] = 1;
  free(p);
  return 0;
}
`;

test('a global no condition reads again is forgotten: an edit in a helper that assigns globals does not explore its caller again', async () => {
  const { explored, rules } = await analysedWithCache('run.c');
  assert.deepEqual(rules(GLOBAL_TESTED_ONCE), []);
  assert.deepEqual(explored.take(), ['run:run']);
  const edited = GLOBAL_TESTED_ONCE.replace('counter = 0', 'counter = 1');
  assert.deepEqual(rules(edited), []);
  assert.deepEqual(explored.take(), [], 'run is not explored again');
});
