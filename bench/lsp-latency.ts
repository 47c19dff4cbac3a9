// Editor latency: `npm run bench:lsp -- FILE… [--include DIR]`. For each file: open it in `failpath lsp --stdio`,
// then make 200 single-character edits inside function bodies (insert a space, then remove it, alternately), each
// followed by a pull-diagnostics request, and time didChange → fresh diagnostics. Prints p50/p95 and, on the same
// files in the same run, the single-file time of cppcheck and of clang-tidy's analyzer checks (what a user would
// run instead), when they are installed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { TestClient } from '../test/support/lsp-client';

let EDITS = 200; // `--edits N` for a quick look; the figures in BENCHMARKS.md use 200

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** A small deterministic PRNG (the same edits on every run). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

function timeTool(cmd: string, args: string[]): string {
  const started = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 600_000 });
  if (r.error) return 'not installed';
  return `${((performance.now() - started) / 1000).toFixed(2)} s`;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const includes: string[] = [];
  let peers = true;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--include') includes.push(args[++i]);
    else if (args[i] === '--edits') EDITS = Number(args[++i]);
    else if (args[i] === '--no-peers') peers = false;
    else files.push(path.resolve(args[i]));
  }
  if (files.length === 0) {
    console.error('usage: npm run bench:lsp -- FILE… [--include DIR] [--edits N] [--no-peers]');
    process.exit(2);
  }
  const rows: string[] = [];
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const client = await TestClient.start({ rootDir: path.dirname(file) });
    const uri = client.open(file, text);
    let started = performance.now();
    const first = await client.diagnostics(uri);
    const openMs = performance.now() - started;
    // Lines inside function bodies: indented and not a comment or preprocessor line.
    const lines = text.split('\n');
    const candidates = lines.map((l, i) => [l, i] as const).filter(([l]) => /^\s+[A-Za-z_(*]/.test(l) && !/^\s*(\*|\/\/|#)/.test(l)).map(([, i]) => i);
    const random = lcg(42);
    const times: number[] = [];
    let count = first.length;
    for (let n = 0; n < EDITS; n++) {
      const line = candidates[Math.floor(random() * candidates.length)];
      const insert = n % 2 === 0;
      const at = /^\s*/.exec(client.text(uri).split('\n', line + 1)[line])![0].length;
      started = performance.now();
      client.edit(uri, [insert
        ? { range: { start: { line, character: at }, end: { line, character: at } }, newText: ' ' }
        : { range: { start: { line, character: at - 1 }, end: { line, character: at } }, newText: '' }]);
      count = (await client.diagnostics(uri)).length;
      times.push(performance.now() - started);
      if (!insert) continue;
      // The removal goes back to the same line.
      const undoStarted = performance.now();
      client.edit(uri, [{ range: { start: { line, character: at }, end: { line, character: at + 1 } }, newText: '' }]);
      count = (await client.diagnostics(uri)).length;
      times.push(performance.now() - undoStarted);
      n++;
    }
    await client.stop();
    times.sort((a, b) => a - b);
    const inc = includes.flatMap((d) => ['-I', d]);
    const cppcheck = peers ? timeTool('cppcheck', ['--quiet', '--enable=warning', ...inc, file]) : 'not run';
    const tidy = peers ? timeTool('clang-tidy', ['--quiet', '--checks=-*,clang-analyzer-*', file, '--', '-std=gnu11', ...inc]) : 'not run';
    rows.push(`| ${path.basename(file)} | ${lines.length} | ${(text.length / 1024).toFixed(0)} KB | ${openMs.toFixed(0)} | ${percentile(times, 50).toFixed(1)} | ${percentile(times, 95).toFixed(1)} | ${percentile(times, 100).toFixed(1)} | ${count} | ${cppcheck} | ${tidy} |`);
  }
  console.log(`${EDITS} single-character edits per file, didChange → pull diagnostics, ms:\n`);
  console.log('| file | lines | size | open (first diagnostics) | p50 | p95 | max | findings | cppcheck (file) | clang-tidy analyzer (file) |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) console.log(r);
}

void main();
