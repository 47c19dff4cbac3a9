// Runs the two engine phases over many files, on worker threads (`--jobs`): prepare every file (parse, facts),
// merge the facts of all files, then analyse each file where it was prepared.
import * as fs from 'node:fs';
import * as os from 'node:os';
import { Worker, isMainThread, parentPort } from 'node:worker_threads';
import { Engine, type PreparedFile, type FileResult } from '../engine/analyze';
import { mergeFacts, type ConstantFacts, type FileFacts } from '../engine/dataflow/facts';
import type { FailpathConfig } from '../engine/config/config';

export interface Job {
  file: string;
  config: FailpathConfig;
}

type ToWorker = { type: 'prepare'; job: Job } | { type: 'analyze'; facts: SerializedFacts };
type FromWorker =
  | { type: 'prepared'; file: string; facts: FileFacts }
  | { type: 'result'; result: FileResult }
  | { type: 'analyzed' }
  | { type: 'failed'; file: string; error: string };

interface SerializedFacts {
  globals: [string, number][];
  functions: [string, number][];
  noreturn: string[];
  transparent: string[];
}

/** Reads a source file. Invalid UTF-8 is replaced, never fatal; a BOM is dropped. */
export function readSource(file: string): string {
  const buf = fs.readFileSync(file);
  if (buf.includes(0)) return '\0';
  let text = new TextDecoder('utf-8', { fatal: false }).decode(buf);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text;
}

/** One thread's share of the work. */
class Share {
  private readonly prepared: PreparedFile[] = [];
  constructor(private readonly engine: Engine) {}
  prepare(job: Job): FileFacts {
    const p = this.engine.prepare(job.file, readSource(job.file), job.config);
    this.prepared.push(p);
    return p.facts;
  }
  analyze(facts: ConstantFacts, emit: (r: FileResult) => void): void {
    for (const p of this.prepared.splice(0)) emit(this.engine.analyze(p, facts));
  }
}

export interface PoolOptions {
  jobs: number;
  onProgress?: (done: number, total: number) => void;
}

export async function runJobs(jobs: Job[], options: PoolOptions): Promise<FileResult[]> {
  const threads = Math.max(1, Math.min(options.jobs, jobs.length));
  const results: FileResult[] = [];
  const total = jobs.length * 2;
  let done = 0;
  const progress = () => options.onProgress?.(++done, total);
  if (threads === 1) {
    const share = new Share(await Engine.create());
    const facts: FileFacts[] = [];
    for (const job of jobs) {
      facts.push(share.prepare(job));
      progress();
    }
    share.analyze(mergeFacts(facts), (r) => {
      results.push(r);
      progress();
    });
    return results;
  }
  const workers = Array.from({ length: threads }, () => new Worker(__filename, { workerData: { failpathWorker: true } }));
  try {
    const allFacts: FileFacts[] = [];
    let next = 0;
    await Promise.all(workers.map((w) => new Promise<void>((resolve, reject) => {
      const feed = () => {
        if (next >= jobs.length) {
          w.off('message', onMessage);
          resolve();
          return;
        }
        w.postMessage({ type: 'prepare', job: jobs[next++] } satisfies ToWorker);
      };
      const onMessage = (m: FromWorker) => {
        if (m.type === 'prepared') {
          allFacts.push(m.facts);
          progress();
          feed();
        } else if (m.type === 'failed') reject(new Error(`${m.file}: ${m.error}`));
      };
      w.on('message', onMessage);
      w.once('error', reject);
      feed();
    })));
    const merged = mergeFacts(allFacts);
    const facts: SerializedFacts = { globals: [...merged.globals], functions: [...merged.functions], noreturn: [...merged.noreturn], transparent: [...merged.transparent] };
    await Promise.all(workers.map((w) => new Promise<void>((resolve, reject) => {
      const onMessage = (m: FromWorker) => {
        if (m.type === 'result') {
          results.push(m.result);
          progress();
        } else if (m.type === 'analyzed') {
          w.off('message', onMessage);
          resolve();
        } else if (m.type === 'failed') reject(new Error(`${m.file}: ${m.error}`));
      };
      w.on('message', onMessage);
      w.once('error', reject);
      w.postMessage({ type: 'analyze', facts } satisfies ToWorker);
    })));
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}

export function defaultJobs(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

/** Worker thread entry: the same bundle, started with workerData.failpathWorker. */
export function startWorkerIfNeeded(workerData: unknown): boolean {
  if (isMainThread || !(workerData as { failpathWorker?: boolean })?.failpathWorker || !parentPort) return false;
  const port = parentPort;
  const ready = Engine.create().then((e) => new Share(e));
  port.on('message', async (m: ToWorker) => {
    const share = await ready;
    if (m.type === 'prepare') {
      try {
        port.postMessage({ type: 'prepared', file: m.job.file, facts: share.prepare(m.job) } satisfies FromWorker);
      } catch (e) {
        port.postMessage({ type: 'failed', file: m.job.file, error: (e as Error).stack ?? String(e) } satisfies FromWorker);
      }
    } else {
      const facts: ConstantFacts = {
        globals: new Map(m.facts.globals), functions: new Map(m.facts.functions), noreturn: new Set(m.facts.noreturn), transparent: new Set(m.facts.transparent),
      };
      try {
        share.analyze(facts, (result) => port.postMessage({ type: 'result', result } satisfies FromWorker));
      } catch (e) {
        port.postMessage({ type: 'failed', file: '(analysis)', error: (e as Error).stack ?? String(e) } satisfies FromWorker);
      }
      port.postMessage({ type: 'analyzed' } satisfies FromWorker);
    }
  });
  return true;
}
