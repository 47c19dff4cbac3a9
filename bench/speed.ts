// Speed benchmark: `npm run bench -- DIR`. Measures, on the .c/.h files under DIR: the parse-only floor (tree-sitter
// on one core, in this process), the CLI end to end with --jobs 1 and --jobs 2 (wall time, peak RSS), and cppcheck
// -j1/-j2 when it is on PATH; prints Markdown tables with the ratios the project targets.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { createCParser } from '../server/src/engine/parse/parser';
import { readSource } from '../server/src/cli/pool';

const MB = 1e6; // throughput and memory in 10^6 bytes
const SOURCE = /\.(c|h)$/i;
const SKIP = new Set(['.git', 'node_modules']);

interface Row {
  label: string;
  seconds: number;
  files?: number; // for a rate; cppcheck only checks .c files itself, so it gets none
  peakBytes?: number;
  cpuSeconds?: number;
  note?: string;
}

function listSources(dir: string, out: Array<{ file: string; bytes: number }> = []): Array<{ file: string; bytes: number }> {
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && !SKIP.has(e.name)) listSources(p, out);
    else if (e.isFile() && SOURCE.test(e.name)) out.push({ file: p, bytes: fs.statSync(p).size });
  }
  return out;
}

/** Runs a command to completion; polls the child's VmHWM (peak RSS; worker threads share the process) and its
 *  user+system CPU time (all threads; USER_HZ = 100) every 50 ms. */
function measure(cmd: string, args: string[]): Promise<{ seconds: number; peakBytes: number; cpuSeconds: number; code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let peakKb = 0;
    let ticks = 0;
    let stderr = '';
    const sample = () => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakKb = Math.max(peakKb, Number(m[1]));
        const stat = fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]?.split(' ');
        if (stat) ticks = Math.max(ticks, Number(stat[11]) + Number(stat[12])); // fields 14 and 15
      } catch {
        // gone, or not Linux
      }
    };
    const timer = setInterval(sample, 50);
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    child.on('error', (e) => {
      clearInterval(timer);
      reject(e);
    });
    child.on('exit', (code) => {
      clearInterval(timer);
      resolve({ seconds: (performance.now() - started) / 1000, peakBytes: peakKb * 1024, cpuSeconds: ticks / 100, code, stderr });
    });
  });
}

function onPath(exe: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((d) => {
    try {
      fs.accessSync(path.join(d, exe), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

const fmt = (n: number | undefined, digits = 2): string => (n === undefined || !Number.isFinite(n) ? '—' : n.toFixed(digits));
const load = (): string => os.loadavg().map((l) => l.toFixed(2)).join(' ');

async function main(): Promise<number> {
  const dir = process.argv[2];
  if (!dir || !fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
    process.stderr.write('usage: npm run bench -- DIR\n');
    return 2;
  }
  const root = path.resolve(__dirname, '..', '..'); // out/bench/speed.js → repo root
  const cli = path.join(root, 'dist', 'cli.js');
  const sources = listSources(dir);
  const bytes = sources.reduce((s, f) => s + f.bytes, 0);
  const loadBefore = load();
  const rows: Row[] = [];
  const commands: string[] = [];

  // 1. Parse-only floor: each file once, one core, only parser.parse timed. The first pass is what a CLI run pays
  // (wasm tier-up included) and is the floor; a second pass shows the warmed-up parser.
  const parser = await createCParser();
  for (const pass of ['cold', 'warm']) {
    let parseMs = 0;
    let cpuMicros = 0;
    for (const { file } of sources) {
      const text = readSource(file);
      const [t0, c0] = [performance.now(), process.cpuUsage()];
      const tree = parser.parse(text);
      const c = process.cpuUsage(c0);
      parseMs += performance.now() - t0;
      cpuMicros += c.user + c.system;
      tree?.delete();
    }
    rows.push({ label: `parse only, ${pass} (tree-sitter, in-process, 1 core)`, seconds: parseMs / 1000, cpuSeconds: cpuMicros / 1e6, files: sources.length, note: pass === 'cold' ? 'first pass: the floor' : 'second pass, same parser' });
  }
  parser.delete();

  // 2. End to end, --jobs 1 and 2.
  for (const jobs of [1, 2]) {
    const args = [cli, dir, '--jobs', String(jobs), '--format', 'json', '--output', '/dev/null', '--fail-on', 'none'];
    commands.push([process.execPath, ...args].join(' '));
    const r = await measure(process.execPath, args);
    rows.push({ label: `failpath --jobs ${jobs}`, seconds: r.seconds, files: sources.length, peakBytes: r.peakBytes, cpuSeconds: r.cpuSeconds, note: r.code === 0 ? undefined : `exit ${r.code}: ${r.stderr.trim().split('\n').pop()}` });
  }

  // 3. cppcheck, if installed.
  const hasCppcheck = onPath('cppcheck');
  for (const jobs of hasCppcheck ? [1, 2] : []) {
    const args = [`-j${jobs}`, '--quiet', '--enable=warning', dir];
    commands.push(['cppcheck', ...args].join(' '));
    const r = await measure('cppcheck', args);
    rows.push({ label: `cppcheck -j${jobs}`, seconds: r.seconds, peakBytes: r.peakBytes, cpuSeconds: r.cpuSeconds, note: `${r.code === 0 ? '' : `exit ${r.code}; `}${jobs > 1 ? 'RSS and CPU of the main process only' : ''}` });
  }

  const rate = (r: Row) => bytes / MB / r.seconds;
  const [parse, j1, j2, c1] = [rows[0], rows[2], rows[3], rows.find((r) => r.label === 'cppcheck -j1')];
  const peak = Math.max(j1.peakBytes ?? 0, j2.peakBytes ?? 0);
  const ratio = (v: number, target: string, ok: boolean | undefined) => `${fmt(v)} | ${target} | ${ok === undefined ? '' : ok ? 'yes' : 'no'}`;
  const out = [
    `### ${path.resolve(dir)}`,
    '',
    `${sources.length} .c/.h files, ${fmt(bytes / MB)} MB; node ${process.version}, ${os.availableParallelism()} cores; load average before ${loadBefore}, after ${load()}`,
    '',
    '| run | wall s | CPU s | MB/s | files/s | peak RSS MB | note |',
    '|---|---:|---:|---:|---:|---:|---|',
    ...rows.map((r) => `| ${r.label} | ${fmt(r.seconds)} | ${fmt(r.cpuSeconds)} | ${r.files ? fmt(rate(r)) : '—'} | ${r.files ? fmt(r.files / r.seconds, 0) : '—'} | ${fmt(r.peakBytes && r.peakBytes / MB, 0)} | ${r.note ?? ''} |`),
    ...(hasCppcheck ? [] : ['| cppcheck | — | — | — | — | — | skipped: cppcheck is not on PATH |']),
    '',
    '| ratio | value | target | met |',
    '|---|---:|---|---|',
    `| end-to-end --jobs 1 rate / parse-only (cold) rate | ${ratio(rate(j1) / rate(parse), '≥ 0.5', rate(j1) / rate(parse) >= 0.5)} |`,
    `| --jobs 2 / --jobs 1 speed-up | ${ratio(j1.seconds / j2.seconds, '≥ 1.7', j1.seconds / j2.seconds >= 1.7)} |`,
    `| peak RSS MB (max of both runs; this tree is ${fmt(bytes / MB, 1)} MB) | ${ratio(peak / MB, '≤ 400 on a 15 MB tree', peak > 400 * MB ? false : bytes >= 15 * MB ? true : undefined)} |`,
    `| failpath --jobs 1 time / cppcheck -j1 time | ${c1 ? ratio(j1.seconds / c1.seconds, '—', undefined) : 'skipped | — | '} |`,
    '',
    'Commands:',
    '',
    `    ${[process.execPath, ...process.argv.slice(1)].join(' ')}`,
    ...commands.map((c) => `    ${c}`),
    '',
  ];
  process.stdout.write(out.join('\n'));
  return rows.some((r) => r.note?.startsWith('exit')) ? 1 : 0;
}

main().then(
  (code) => (process.exitCode = code),
  (e) => {
    process.stderr.write(`bench: ${(e as Error).stack ?? e}\n`);
    process.exitCode = 2;
  },
);
