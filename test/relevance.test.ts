// Which names' values are tracked (dataflow/relevance.ts): those a condition, a return or a same-file call reads,
// and what flows into them by assignment, kept up to date edit by edit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../server/src/engine/analyze';
import { relevantNames } from '../server/src/engine/dataflow/relevance';

/** A function whose test of `a` reads, through a chain of assignments written in reverse order, `e` (and `x` too
 *  when `withX`). */
function source(withX: boolean): string {
  return `#include <stdlib.h>
int chain(int e, int x) {
  int a, b, c, d;
  char *p = malloc(4);
  d = e${withX ? ' + x' : ''};
  c = d;
  b = c;
  a = b;
  if (a) {
    free(p);
    return 1;
  }
  free(p);
  return 0;
}
`;
}

async function relevantIn(engine: Engine, text: string): Promise<ReadonlySet<string>> {
  const p = engine.prepare('chain.c', text);
  return relevantNames(new Set([...p.functions.values(), ...p.analysed]));
}

test('what flows into a tested variable is relevant however deep the chain and whatever order it is written in', async () => {
  const engine = await Engine.create();
  const relevant = await relevantIn(engine, source(false));
  for (const name of ['a', 'b', 'c', 'd', 'e']) assert.ok(relevant.has(name), `${name} flows into the test of a`);
  assert.ok(!relevant.has('x'), 'x is read by nothing that decides anything');
});

test('an edit that adds or removes a flow adds or removes the names only it made relevant', async () => {
  const engine = await Engine.create();
  assert.ok(!(await relevantIn(engine, source(false))).has('x'));
  assert.ok((await relevantIn(engine, source(true))).has('x'), 'x now flows into d');
  assert.ok(!(await relevantIn(engine, source(false))).has('x'), 'and no longer does');
  assert.ok((await relevantIn(engine, source(false))).has('e'));
});
