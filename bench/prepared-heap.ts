// Memory benchmark: `node --expose-gc out/bench/prepared-heap.js DIR…`. Prepares every file the CLI would audit the
// way phase 1 of a run does (the copies, facts and summaries a `--jobs 1` run holds until phase 2), keeps them all,
// and prints the live heap they hold after a full GC: unlike peak RSS, it does not depend on when the GC ran, so
// it compares two builds on a busy machine.
import { performance } from 'node:perf_hooks';
import { Engine, type PreparedFile } from '../server/src/engine/analyze';
import { ConfigResolver } from '../server/src/engine/config/discovery';
import { RULE_IDS } from '../server/src/engine/rules/registry';
import { collectFiles } from '../server/src/workspace/files';
import { readSource } from '../server/src/cli/pool';

async function main(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  const dirs = process.argv.slice(2);
  if (!gc || dirs.length === 0) {
    process.stderr.write('usage: node --expose-gc out/bench/prepared-heap.js DIR…\n');
    process.exit(2);
  }
  const configs = new ConfigResolver(RULE_IDS);
  const files = collectFiles(dirs, configs, []);
  const engine = await Engine.create();
  gc();
  const before = process.memoryUsage().heapUsed;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const prepared: PreparedFile[] = [];
  let bytes = 0;
  for (const file of files) {
    const text = readSource(file);
    bytes += text.length;
    prepared.push(engine.prepare(file, text, configs.forFile(file).config, undefined, undefined, { summariseWrappers: true }));
  }
  const seconds = (performance.now() - started) / 1000;
  const { user, system } = process.cpuUsage(cpu);
  gc();
  const held = process.memoryUsage().heapUsed - before;
  const functions = prepared.reduce((n, p) => n + p.analysed.length, 0);
  process.stdout.write(`${files.length} files, ${(bytes / 1e6).toFixed(2)} MB of text, ${functions} functions to analyse\n`);
  process.stdout.write(`prepare: ${seconds.toFixed(2)} s wall, ${((user + system) / 1e6).toFixed(2)} s CPU\n`);
  process.stdout.write(`heap held by the prepared files: ${(held / 1048576).toFixed(1)} MB\n`);
}

void main();
