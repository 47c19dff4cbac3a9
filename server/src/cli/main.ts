// The `failpath` command: audits C files and prints findings as text, JSON or SARIF (DESIGN §3).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { workerData } from 'node:worker_threads';
import { ConfigResolver } from '../engine/config/discovery';
import { RULE_IDS } from '../engine/rules/registry';
import type { FailpathConfig } from '../engine/config/config';
import { addStats, compareFindings, emptyStats, type Finding } from '../engine/findings';
import { collectFiles } from '../workspace/files';
import { defaultJobs, runJobs, startWorkerIfNeeded, type Job } from './pool';
import { ResultCache } from '../workspace/result-cache';
import { formatJson, formatSarif, formatText, displayPath, type RunReport } from '../report/formats';
import { version } from '../../../package.json';
import { runSimulate } from './simulate';
import { startLanguageServer } from '../lsp/server';

const USAGE = `usage: failpath [paths…] [--format text|json|sarif] [--output FILE] [--fail-on error|warning|hint|none]
                [--jobs N] [--config FILE] [--rules id,…] [--cache DIR]
       failpath simulate FILE:LINE [PATH…] [--format text|json] [--config FILE]
       failpath lsp --stdio
Audits the allocation error paths of C files (directories are searched for .c and .h files).
--cache DIR keeps what each file gave (by content) for the next run, which then parses and analyses only
what changed.
Exit status: 0 no finding at or above --fail-on, 1 findings, 2 usage or internal error.
Rules: ${RULE_IDS.join(', ')}`;

const SEVERITY_RANK = { hint: 1, warning: 2, error: 3 } as const;

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'lsp') {
    if (!argv.includes('--stdio')) throw new UsageError('lsp: only --stdio is supported');
    startLanguageServer();
    return new Promise<number>(() => undefined); // runs until the client exits it
  }
  if (argv[0] === 'simulate') {
    const sim = parseArgs({ args: argv.slice(1), allowPositionals: true, strict: true, options: { format: { type: 'string', default: 'text' }, config: { type: 'string' } } });
    if (sim.positionals.length < 1) throw new UsageError('simulate: expected FILE:LINE');
    try {
      return await runSimulate(sim.positionals[0], sim.positionals.slice(1), sim.values.format!, sim.values.config);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  let args;
  try {
    args = parseArgs({
      args: argv, allowPositionals: true, strict: true,
      options: {
        format: { type: 'string', default: 'text' }, output: { type: 'string', short: 'o' },
        'fail-on': { type: 'string', default: 'warning' }, jobs: { type: 'string', short: 'j' },
        config: { type: 'string' }, rules: { type: 'string' }, cache: { type: 'string' }, help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' }, color: { type: 'boolean' }, 'no-color': { type: 'boolean' },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const o = args.values;
  if (o.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (o.version) {
    process.stdout.write(`failpath ${version}\n`);
    return 0;
  }
  const format = o.format!;
  if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`--format must be text, json or sarif, not "${format}"`);
  const failOn = o['fail-on']!;
  if (!['error', 'warning', 'hint', 'none'].includes(failOn)) throw new UsageError(`--fail-on must be error, warning, hint or none, not "${failOn}"`);
  const jobs = o.jobs === undefined ? defaultJobs() : Number(o.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`--jobs must be a positive integer, not "${o.jobs}"`);
  const only = o.rules?.split(',').map((s) => s.trim()).filter(Boolean);
  for (const id of only ?? []) if (!RULE_IDS.includes(id)) throw new UsageError(`unknown rule "${id}" (known: ${RULE_IDS.join(', ')})`);
  if (o.config && !fs.existsSync(o.config)) throw new UsageError(`--config ${o.config}: no such file`);
  const paths = args.positionals.length ? args.positionals : ['.'];

  const started = Date.now();
  const configs = new ConfigResolver(RULE_IDS, o.config);
  const errors: string[] = [];
  const files = collectFiles(paths, configs, errors);
  for (const e of errors) process.stderr.write(`failpath: ${e}\n`);
  if (errors.length && files.length === 0) return 2;
  for (const p of configs.problems()) {
    process.stderr.write(`${displayPath(p.file)}:${p.line + 1}:${p.column + 1}: error: ${p.key ? `"${p.key}": ` : ''}${p.message} (the default is used instead)\n`);
  }
  const jobList: Job[] = files.map((file) => ({ file, config: restrict(configs.forFile(file).config, only) }));
  const showProgress = process.stderr.isTTY && files.length > 20;
  let lastDraw = 0;
  const results = await runJobs(jobList, {
    jobs,
    cache: o.cache ? new ResultCache(path.resolve(o.cache)) : undefined,
    onProgress: showProgress ? (done, total) => {
      const now = Date.now();
      if (now - started < 1000 || (now - lastDraw < 100 && done < total)) return;
      lastDraw = now;
      process.stderr.write(`\rfailpath: ${Math.round((100 * done) / total)}% (${files.length} files)`);
      if (done === total) process.stderr.write('\r\x1b[K');
    } : undefined,
  });
  let stats = emptyStats();
  const findings: Finding[] = [];
  const failures: RunReport['failures'] = [];
  for (const r of results) {
    stats = addStats(stats, r.stats);
    findings.push(...r.findings);
    if (r.unusable) {
      failures.push({ file: r.file, reason: r.unusable });
      process.stderr.write(`failpath: ${displayPath(r.file)}: skipped: ${r.unusable}\n`);
    }
  }
  findings.sort(compareFindings);
  const report: RunReport = { findings, stats: { ...stats, durationMs: Date.now() - started }, failures, version };
  const color = o.color ?? (!o['no-color'] && !o.output && process.stdout.isTTY && !process.env.NO_COLOR);
  const out = format === 'json' ? formatJson(report) : format === 'sarif' ? formatSarif(report) : formatText(report, !!color);
  if (o.output) fs.writeFileSync(o.output, out);
  else process.stdout.write(out);
  if (failOn === 'none') return 0;
  const threshold = SEVERITY_RANK[failOn as keyof typeof SEVERITY_RANK];
  return findings.some((f) => SEVERITY_RANK[f.severity] >= threshold) ? 1 : 0;
}

/** `--rules a,b`: every other rule is off. */
function restrict(config: FailpathConfig, only: string[] | undefined): FailpathConfig {
  if (!only) return config;
  const rules = { ...config.rules };
  for (const id of RULE_IDS) if (!only.includes(id)) rules[id] = 'off';
  return { ...config, rules };
}

if (!startWorkerIfNeeded(workerData)) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      if (e instanceof UsageError) process.stderr.write(`failpath: ${e.message}\n${USAGE}\n`);
      else process.stderr.write(`failpath: internal error: ${(e as Error).stack ?? e}\n`);
      process.exitCode = 2;
    },
  );
}
