// Between the phases of a multi-file run a file holds only the copies summarising it reads (`keepForSummaries`), and
// after it was summarised none (`withoutCopies`): phase 2 parses what it analyses again. The wrapper summaries and the
// findings must be those of a run that keeps every copy, on every workspace, example and fixture of the repository.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { Engine, type PreparedFile } from '../server/src/engine/analyze';
import { ConfigResolver } from '../server/src/engine/config/discovery';
import { RULE_IDS } from '../server/src/engine/rules/registry';
import { mergeFacts } from '../server/src/engine/dataflow/facts';
import { resolveInferred } from '../server/src/engine/dataflow/wrappers';
import { collectFiles, readSource } from '../server/src/workspace/files';

const root = path.resolve(__dirname, '..', '..');

async function run(dir: string, release: boolean): Promise<{ summaries: string; findings: string[] }> {
  const engine = await Engine.create();
  const configs = new ConfigResolver(RULE_IDS);
  const files = collectFiles([dir], configs, []);
  let prepared: PreparedFile[] = files.map((f) => engine.prepare(f, readSource(f), configs.forFile(f).config, undefined, undefined, { summariseWrappers: true }));
  const merged = mergeFacts(prepared.map((p) => p.facts));
  if (release) prepared = prepared.map((p) => engine.keepForSummaries(p));
  const summaries = prepared.map((p) => engine.summariseWrappers(p, merged));
  if (release) prepared = prepared.map((p) => engine.withoutCopies(p));
  merged.inferred = resolveInferred(summaries, merged.annotations);
  const findings = prepared.flatMap((p) => engine.analyze(p, merged).findings.map((f) => `${path.relative(root, f.file)}:${f.span.line + 1}:${f.span.col + 1}: ${f.rule}: ${f.message}`));
  return { summaries: JSON.stringify(summaries), findings };
}

for (const dir of ['test/workspaces', 'examples', 'test/fixtures']) {
  test(`${dir}: the summaries and findings of a run that lets its copies go are those of one that keeps them`, async () => {
    const kept = await run(path.join(root, dir), false);
    const released = await run(path.join(root, dir), true);
    assert.ok(kept.findings.length > 0);
    assert.equal(released.summaries, kept.summaries);
    assert.deepEqual(released.findings, kept.findings);
  });
}
