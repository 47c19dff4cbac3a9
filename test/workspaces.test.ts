// Workspaces of several files (test/workspaces/<name>/), run through the CLI as one run: the findings are exactly
// the ones marked inline (`// expect: rule`) in all its files, with one worker and with two (the facts files tell
// each other, such as inferred wrappers, are merged in file order either way).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { byLine, listFixtures, readFixture } from './support/fixtures';

const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'dist', 'cli.js');
const WORKSPACES = path.join(root, 'test', 'workspaces');

interface JsonFinding { file: string; line: number; rule: string; message: string; related: { file: string; line: number; message: string }[] }

function audit(dir: string, jobs: number): JsonFinding[] {
  const r = spawnSync(process.execPath, [cli, dir, '--format', 'json', '--fail-on', 'none', '--jobs', String(jobs)], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout).findings;
}

for (const name of fs.existsSync(WORKSPACES) ? fs.readdirSync(WORKSPACES).sort() : []) {
  const dir = path.join(WORKSPACES, name);
  const expected = listFixtures(dir).flatMap((file) => readFixture(file).expected.map((e) => `${path.relative(root, file)}:${e}`)).sort(byLine);
  for (const jobs of [1, 2]) {
    test(`workspace ${name}, --jobs ${jobs}`, () => {
      const findings = audit(path.relative(root, dir), jobs);
      const actual = findings.map((f) => `${f.file}:${f.line}:${f.rule}`).sort(byLine);
      const explain = findings.map((f) => `  ${f.file}:${f.line}: [${f.rule}] ${f.message}`).join('\n');
      assert.deepEqual(actual.sort(), expected.sort(), `findings differ from the expectations in test/workspaces/${name}:\n${explain}`);
    });
  }
}

test('an inferred wrapper names its chain down to the allocator', () => {
  const findings = audit('test/workspaces/wrappers', 1);
  const unchecked = findings.find((f) => f.rule === 'unchecked-alloc');
  assert.equal(unchecked?.related[0].message, 'allocated here by zalloc_node() → zalloc() → malloc()');
  const dead = findings.find((f) => f.rule === 'dead-oom-check');
  assert.match(dead?.message ?? '', /xstrdup2\(\) never returns when malloc\(\) fails \(xstrdup2\(\) → xalloc\(\) → malloc\(\)\)/);
});

test('a use in another file names the calls that lead to it and points at the dereference', () => {
  const findings = audit('test/workspaces/callee-effects', 1);
  const chain = findings.find((f) => f.rule === 'unchecked-alloc' && f.line === 11);
  assert.match(chain?.message ?? '', /\(passed to relay_unchecked\(\) → fill_unchecked\(\), which dereferences it\)/);
  const at = chain?.related.find((r) => r.message === 'dereferenced in fill_unchecked()');
  assert.equal(at && `${path.basename(at.file)}:${at.line}`, 'sink.c:9');
});

test('a context finding names its chain across files and walks it in its related locations (JSON and SARIF)', () => {
  const findings = audit('test/workspaces/no-alloc', 1);
  const oom = findings.find((f) => f.file.endsWith('oom.c') && f.line === 22)!;
  assert.equal(oom.message, 'oom_notify() is marked no-alloc, but reaches malloc() through oom_notify → log_event → format_msg → malloc');
  assert.deepEqual(oom.related.map((r) => r.message), ['log_event() calls format_msg()', 'format_msg() allocates with malloc()', 'marked no-alloc here']);
  const r = spawnSync(process.execPath, [cli, 'test/workspaces/no-alloc', '--format', 'sarif', '--fail-on', 'none'], { cwd: root, encoding: 'utf8' });
  const result = JSON.parse(r.stdout).runs[0].results.find((x: { locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }> }) =>
    x.locations[0].physicalLocation.artifactLocation.uri.endsWith('oom.c') && x.locations[0].physicalLocation.region.startLine === 22);
  assert.equal(result.ruleId, 'alloc-in-no-alloc-context');
  assert.deepEqual(result.relatedLocations.map((l: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } }; message: { text: string } }) =>
    `${path.basename(l.physicalLocation.artifactLocation.uri)}:${l.physicalLocation.region.startLine}: ${l.message.text}`),
  ['log.c:21: log_event() calls format_msg()', 'log.c:11: format_msg() allocates with malloc()', 'oom.c:18: marked no-alloc here']);
});

test('a sleeping allocation under a spinlock points at the lock; through a helper of another file, at the helper\'s allocation', () => {
  const findings = audit('test/workspaces/kernel-atomic', 1);
  const direct = findings.find((f) => f.file.endsWith('locks.c') && f.line === 12)!;
  assert.equal(direct.message, 'kmalloc(GFP_KERNEL) may sleep while spin lock &d->lock is held');
  assert.deepEqual(direct.related.map((r) => `${path.basename(r.file)}:${r.line}: ${r.message}`), ['locks.c:11: spin_lock_irqsave(&d->lock, flags) here']);
  const helper = findings.find((f) => f.file.endsWith('locks.c') && f.line === 97)!;
  assert.equal(helper.message, 'foo_entry_new() may sleep in kmalloc(GFP_KERNEL) (foo_entry_new → kmalloc) while spin lock &d->lock is held');
  assert.deepEqual(helper.related.map((r) => `${path.basename(r.file)}:${r.line}: ${r.message}`), [
    'helpers.c:20: foo_entry_new() allocates with kmalloc(GFP_KERNEL) (its caller\'s mask)', 'locks.c:96: spin_lock(&d->lock) here',
  ]);
  const irq = findings.find((f) => f.file.endsWith('irq.c'))!;
  assert.match(irq.message, /^foo_irq\(\) runs in interrupt context .*: foo_irq → foo_fill → kzalloc$/);
  assert.equal(irq.related.at(-1)?.message, 'registered here with request_irq()');
});
