// Editor latency: `npm run bench:lsp -- FILE… [--include DIR] [--edit-kind blank|token]`. For each file: open it in
// `failpath lsp --stdio`, then make 200 single-character edits inside function bodies, each followed by a
// pull-diagnostics request, and time didChange → fresh diagnostics. `blank` (the default) inserts a space at a
// line's indentation and removes it again; `token` types a character at the end of an identifier or number on the
// line and removes it again (a real keystroke: the function's tokens change). The edits start once the server has
// applied its background index of the workspace (the file's directory: the other files' wrappers and facts), up to
// 5 minutes after the open; `--no-index-wait` starts them right after the first diagnostics. Prints p50/p95 and, on the same
// files in the same run, the single-file time of cppcheck and of clang-tidy's analyzer checks (what a user would
// run instead), when they are installed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { TestClient } from '../test/support/lsp-client';

let EDITS = 200; // `--edits N` for a quick look; the figures in BENCHMARKS.md use 200
type EditKind = 'blank' | 'token';

/** Where on `line` an edit of `kind` inserts its character (and which): the end of the indentation (a space), or
 *  the end of an identifier or number before any comment or string on the line (an `x`, or a `1` in a number). */
function insertion(line: string, kind: EditKind, random: () => number): { at: number; char: string } | undefined {
  const indent = /^\s*/.exec(line)![0].length;
  if (kind === 'blank') return { at: indent, char: ' ' };
  const code = line.slice(0, line.search(/\/\/|\/\*|"|'|$/));
  const words = [...code.matchAll(/\b[A-Za-z_0-9]\w*/g)];
  if (words.length === 0) return undefined;
  const w = words[Math.floor(random() * words.length)];
  return { at: w.index! + w[0].length, char: /^\d/.test(w[0]) ? '1' : 'x' };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** A small deterministic PRNG (the same edits on every run). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** CPU time (user + system) of a process so far, in ms (Linux; 0 elsewhere). */
function cpuMs(pid: number | undefined): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return 0;
  }
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
  let kind: EditKind = 'blank';
  let indexWait = true;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--include') includes.push(args[++i]);
    else if (args[i] === '--edits') EDITS = Number(args[++i]);
    else if (args[i] === '--no-peers') peers = false;
    else if (args[i] === '--no-index-wait') indexWait = false;
    else if (args[i] === '--edit-kind' && (args[i + 1] === 'blank' || args[i + 1] === 'token')) kind = args[++i] as EditKind;
    else files.push(path.resolve(args[i]));
  }
  if (files.length === 0) {
    console.error('usage: npm run bench:lsp -- FILE… [--include DIR] [--edits N] [--edit-kind blank|token] [--no-index-wait] [--no-peers]');
    process.exit(2);
  }
  const rows: string[] = [];
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const client = await TestClient.start({ rootDir: path.dirname(file) });
    // The server asks for fresh diagnostics when its workspace index changed what the open file is analysed with.
    let indexApplied: () => void = () => undefined;
    const applied = new Promise<void>((resolve) => (indexApplied = resolve));
    client.connection.onRequest('workspace/diagnostic/refresh', () => {
      indexApplied();
      return null;
    });
    const uri = client.open(file, text);
    let started = performance.now();
    const first = await client.diagnostics(uri);
    const openMs = performance.now() - started;
    let indexMs = '—';
    if (indexWait) {
      let timer: NodeJS.Timeout | undefined;
      const seen = await Promise.race([applied.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), 300_000)))]);
      clearTimeout(timer);
      // The analysis with the index's facts, before the edits.
      await client.diagnostics(uri);
      indexMs = seen ? `${((performance.now() - started) / 1000).toFixed(1)} s` : 'not seen';
    }
    // Lines inside function bodies: indented and not a comment or preprocessor line.
    const lines = text.split('\n');
    const candidates = lines.map((l, i) => [l, i] as const).filter(([l]) => /^\s+[A-Za-z_(*]/.test(l) && !/^\s*(\*|\/\/|#)/.test(l)).map(([, i]) => i);
    const random = lcg(42);
    const times: number[] = [];
    let count = first.length;
    const cpuBefore = cpuMs(client.serverPid);
    for (let n = 0; n < EDITS; n += 2) {
      const line = candidates[Math.floor(random() * candidates.length)];
      const at = insertion(client.text(uri).split('\n', line + 1)[line], kind, random);
      if (!at) {
        n -= 2; // no identifier on the line: draw another
        continue;
      }
      // The insertion, then its removal (the text is as before).
      for (const edit of [{ start: at.at, end: at.at, newText: at.char }, { start: at.at, end: at.at + 1, newText: '' }]) {
        started = performance.now();
        client.edit(uri, [{ range: { start: { line, character: edit.start }, end: { line, character: edit.end } }, newText: edit.newText }]);
        count = (await client.diagnostics(uri)).length;
        times.push(performance.now() - started);
      }
    }
    const cpuPerEdit = (cpuMs(client.serverPid) - cpuBefore) / times.length;
    await client.stop();
    times.sort((a, b) => a - b);
    const inc = includes.flatMap((d) => ['-I', d]);
    const cppcheck = peers ? timeTool('cppcheck', ['--quiet', '--enable=warning', ...inc, file]) : 'not run';
    const tidy = peers ? timeTool('clang-tidy', ['--quiet', '--checks=-*,clang-analyzer-*', file, '--', '-std=gnu11', ...inc]) : 'not run';
    rows.push(`| ${path.basename(file)} | ${lines.length} | ${(text.length / 1024).toFixed(0)} KB | ${openMs.toFixed(0)} | ${indexMs} | ${percentile(times, 50).toFixed(1)} | ${percentile(times, 95).toFixed(1)} | ${percentile(times, 100).toFixed(1)} | ${cpuPerEdit.toFixed(1)} | ${count} | ${cppcheck} | ${tidy} |`);
  }
  console.log(`${EDITS} single-character edits per file (${kind === 'blank' ? 'a space at the indentation' : 'a character at the end of an identifier or number'}, then its removal), didChange → pull diagnostics, ms:\n`);
  console.log('| file | lines | size | open (first diagnostics) | workspace index applied | p50 | p95 | max | server CPU per edit (mean) | findings | cppcheck (file) | clang-tidy analyzer (file) |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) console.log(r);
}

void main();
