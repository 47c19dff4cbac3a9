// Which same-file helpers' allocations an analysed function follows (analyze.ts `siteCalls`): a helper that hands
// its allocation back is followed from its callers only while it has few allocations of its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../server/src/engine/analyze';

/** `describe` writes one of `cases` allocations into `*buf`; `report` gets it back and frees it. */
function source(cases: number): string {
  const arms = Array.from({ length: cases }, (_, i) => `  case ${i}: *buf = strdup("kind ${i}"); break;`).join('\n');
  return `#include <stdlib.h>
#include <string.h>
#include <stdio.h>
static void describe(char **buf, int kind) {
  switch (kind) {
${arms}
  }
}
void report(int kind) {
  char *s = NULL;
  describe(&s, kind);
  puts(s);
  free(s);
}
`;
}

test('a caller follows the allocations of a helper with up to four of them, and not those of a larger one', async () => {
  const engine = await Engine.create();
  for (const [cases, followed] of [[1, 1], [4, 4], [5, 0], [60, 0]]) {
    const p = engine.prepare('report.c', source(cases));
    const report = p.analysed.find((f) => f.name === 'report');
    assert.ok(report, 'report is analysed');
    const runs = engine.exploreFunction(p, report, engine.contextFor(p));
    assert.equal(runs.filter((r) => r.owner.name === 'describe').length, followed, `${cases} allocations in the helper`);
    // The helper's own analysis follows every one of them.
    const describe = p.analysed.find((f) => f.name === 'describe')!;
    assert.equal(engine.exploreFunction(p, describe, engine.contextFor(p)).length, cases);
  }
});

test('a caller does not follow the allocation of a large helper, which is analysed on its own', async () => {
  const engine = await Engine.create();
  const source = (work: number) => `#include <stdlib.h>
static int *table(int n) {
  int *t = malloc(sizeof *t * n);
  if (!t) return NULL;
  int x = 0;
${Array.from({ length: work }, (_, i) => `  x += n * ${i + 1};`).join('\n')}
  t[0] = x;
  return t;
}
int use(int n) {
  int *t = table(n);
  return t[0];
}
`;
  for (const [work, followed] of [[10, 1], [100, 0]] as const) {
    const p = engine.prepare('use.c', source(work));
    const use = p.analysed.find((f) => f.name === 'use')!;
    assert.equal(engine.exploreFunction(p, use, engine.contextFor(p)).filter((r) => r.owner.name === 'table').length, followed, `${work} statements in the helper`);
    // The large helper's own analysis still follows its allocation.
    const table = p.analysed.find((f) => f.name === 'table')!;
    assert.equal(engine.exploreFunction(p, table, engine.contextFor(p)).length, 1);
  }
});

test('a caller follows only the allocations a helper hands back: returned or stored out, directly or through locals', async () => {
  const engine = await Engine.create();
  const text = `#include <stdlib.h>
#include <string.h>
static char *label(const char *name) {
  char *scratch = strdup(name);
  unsigned char *p = malloc(strlen(name) + 2);
  if (!scratch || !p) { free(scratch); free(p); return NULL; }
  char *ret = (char *)p;
  strcpy(ret, scratch);
  free(scratch);
  return ret;
}
static void keep(char **out, const char *name) {
  char *copy = strdup(name);
  *out = copy;
}
static int count(const char *name) {
  char *tmp = strdup(name);
  int n = tmp ? (int)strlen(tmp) : -1;
  free(tmp);
  return n;
}
int use(const char *name) {
  char *a = label(name);
  char *b = NULL;
  keep(&b, name);
  int n = count(name);
  free(a);
  free(b);
  return n;
}
`;
  const p = engine.prepare('use.c', text);
  const use = p.analysed.find((f) => f.name === 'use')!;
  const followed = engine.exploreFunction(p, use, engine.contextFor(p)).filter((r) => r.owner !== use)
    .map((r) => `${r.owner.name}:${text.slice(r.call.start, r.call.end).replace(/\(.*/s, '')}`).sort();
  // label's malloc comes back through `ret`; its scratch strdup does not; count keeps its strdup to itself.
  assert.deepEqual(followed, ['keep:strdup', 'label:malloc']);
});

test('a helper reached on many paths is explored once per state it can tell apart, so its allocation is followed to the end', async () => {
  const engine = await Engine.create();
  // Flags tested before each call: every state reaching a call enters the callee anew, and a callee cannot tell
  // its caller's flags apart.
  const tests = (names: string[]) => names.map((f, i) => `  if (${f}) n += ${i + 1};\n  if (n > ${i * 3}) n--;`).join('\n');
  const a = Array.from({ length: 8 }, (_, i) => `a${i}`);
  const r = Array.from({ length: 8 }, (_, i) => `r${i}`);
  const text = `#include <stdlib.h>
static char *make(int size, int fill) {
  char *p = malloc(size);
  if (!p) return NULL;
  int n = 0;
${tests(['fill', 'size', 'fill > 2', 'size > 8', 'fill < 0', 'size < 4'])}
  p[0] = (char)n;
  return p;
}
static char *build(int size, ${a.map((f) => `int ${f}`).join(', ')}) {
  int n = 0;
${tests(a)}
  return make(size, n);
}
int run(${r.map((f) => `int ${f}`).join(', ')}) {
  int n = 0;
${tests(r)}
  char *buf = build(16, ${a.map(() => 'n').join(', ')});
  if (!buf) return -1;
  buf[1] = (char)n;
  free(buf);
  return 0;
}
`;
  const p = engine.prepare('run.c', text);
  const run = p.analysed.find((f) => f.name === 'run')!;
  const followed = engine.exploreFunction(p, run, engine.contextFor(p)).filter((x) => x.owner.name === 'make');
  assert.equal(followed.length, 1);
  assert.equal(followed[0].outcome.complete, true, 'the exploration of make()\'s malloc from run() finished within its budget');
});
