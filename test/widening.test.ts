// A node that has seen too many states widens them (dataflow/state.ts `FactAgreement`): facts the states disagree
// on are dropped, so that paths that differ only in those facts stop multiplying.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../server/src/engine/analyze';
import { FIXTURES } from './support/fixtures';

test('a table of callbacks stored one by one (`if (old->cb) new->cb = cbSplit;`) is explored within the budget', async () => {
  const engine = await Engine.create();
  const file = path.join(FIXTURES, 'leak-on-error-path', 'callback_tables.c');
  const p = engine.prepare(file, fs.readFileSync(file, 'utf8'));
  const fn = p.analysed.find((f) => f.name === 'plug_new')!;
  const runs = engine.exploreFunction(p, fn, engine.contextFor(p));
  assert.equal(runs.length, 2);
  for (const r of runs) assert.equal(r.outcome.complete, true, `the run of ${r.outcome.site.callee}() finished within its budget`);
});
