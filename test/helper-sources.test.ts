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
