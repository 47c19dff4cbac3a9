// Every fixture under test/fixtures: the findings are exactly the ones marked inline, nothing else.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { Engine } from '../server/src/engine/analyze';
import { FIXTURES, byLine, listFixtures, readFixture } from './support/fixtures';

const engine = Engine.create();
const files = listFixtures().filter((f) => !f.includes(`${path.sep}workspaces${path.sep}`));

test('there are fixtures for every site rule', () => {
  const dirs = new Set(files.map((f) => path.relative(FIXTURES, f).split(path.sep)[0]));
  for (const id of ['unchecked-alloc', 'use-before-check', 'leak', 'leak-on-error-path', 'wrong-failure-check', 'realloc-leak', 'failure-swallowed', 'dead-oom-check', 'alloc-in-no-alloc-context', 'blocking-alloc-in-atomic', 'suppressions']) {
    assert.ok(dirs.has(id), `no fixtures in test/fixtures/${id}`);
  }
});

for (const file of files) {
  test(path.relative(FIXTURES, file), async () => {
    const fx = readFixture(file);
    const result = (await engine).analyzeText(file, fx.text, fx.config);
    const actual = result.findings.map((f) => `${f.span.line + 1}:${f.rule}`).sort(byLine);
    const explain = result.findings.map((f) => `  ${f.span.line + 1}: [${f.rule}] ${f.message}`).join('\n');
    assert.deepEqual(actual, fx.expected, `findings differ from the expectations in ${path.relative(FIXTURES, file)}:\n${explain}`);
  });
}
