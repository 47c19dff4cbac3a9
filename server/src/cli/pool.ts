// Runs the two engine phases over many files, on worker threads (`--jobs`): prepare every file (parse, facts),
// merge the facts of all files, then analyse each file where it was prepared.
import * as os from 'node:os';
import { Worker, isMainThread, parentPort } from 'node:worker_threads';
import { Engine, type PreparedFile, type FileResult } from '../engine/analyze';
import { mergeFacts, type ConstantFacts, type FileFacts } from '../engine/dataflow/facts';
import type { FailpathConfig } from '../engine/config/config';
import { readSource } from '../workspace/files';

export { readSource }; // bench/speed.ts reads files the way the CLI does

export interface Job {
  file: string;
  config: FailpathConfig;
}

type ToWorker =
  | { type: 'prepare'; job: Job }
  | { type: 'facts'; facts: SerializedFacts }
  | { type: 'analyze'; file: string }
  | { type: 'steal'; job: Job }; // prepare and analyze a file another worker prepared but has not reached
type FromWorker =
  | { type: 'prepared'; file: string; facts: FileFacts }
  | { type: 'result'; result: FileResult }
  | { type: 'failed'; file: string; error: string };

interface SerializedFacts {
  globals: [string, number][];
  functions: [string, number][];
  noreturn: string[];
  transparent: string[];
}

/** One thread's share of the work: the files it prepared, until it analyses them. */
class Share {
  private readonly prepared = new Map<string, PreparedFile>();
  constructor(private readonly engine: Engine) {}
  prepare(job: Job): FileFacts {
    const p = this.engine.prepare(job.file, readSource(job.file), job.config);
    this.prepared.set(job.file, p);
    return p.facts;
  }
  analyze(file: string, facts: ConstantFacts): FileResult {
    const p = this.prepared.get(file)!;
    this.prepared.delete(file);
    return this.engine.analyze(p, facts);
  }
  /** A file prepared by another thread: parsing it again is cheaper than waiting for that thread. */
  steal(job: Job, facts: ConstantFacts): FileResult {
    return this.engine.analyze(this.engine.prepare(job.file, readSource(job.file), job.config), facts);
  }
  files(): string[] {
    return [...this.prepared.keys()];
  }
}

export interface PoolOptions {
  jobs: number;
  onProgress?: (done: number, total: number) => void;
}

export async function runJobs(jobs: Job[], options: PoolOptions): Promise<FileResult[]> {
  const threads = Math.max(1, Math.min(options.jobs, jobs.length));
  const results: FileResult[] = [];
  const order = new Map(jobs.map((j, i) => [j.file, i]));
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
    const merged = mergeFacts(facts);
    for (const file of share.files()) {
      results.push(share.analyze(file, merged));
      progress();
    }
    return results;
  }
  const workers = Array.from({ length: threads }, () => new Worker(__filename, { workerData: { failpathWorker: true } }));
  const byFile = new Map(jobs.map((j) => [j.file, j]));
  try {
    // Phase 1: files go to whichever worker is free; each keeps what it prepared.
    const allFacts: FileFacts[] = [];
    const queues: string[][] = workers.map(() => []);
    let next = 0;
    await Promise.all(workers.map((w, i) => new Promise<void>((resolve, reject) => {
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
          queues[i].push(m.file);
          progress();
          feed();
        } else if (m.type === 'failed') reject(new Error(`${m.file}: ${m.error}`));
      };
      w.on('message', onMessage);
      w.once('error', reject);
      feed();
    })));
    // Phase 2: one file at a time, own files first; a worker with none left takes the last file of the
    // busiest queue (work stealing), so one heavy file does not leave the other core idle.
    const merged = mergeFacts(allFacts);
    const facts: SerializedFacts = { globals: [...merged.globals], functions: [...merged.functions], noreturn: [...merged.noreturn], transparent: [...merged.transparent] };
    await Promise.all(workers.map((w, i) => new Promise<void>((resolve, reject) => {
      const feed = () => {
        const own = queues[i].shift();
        if (own !== undefined) {
          w.postMessage({ type: 'analyze', file: own } satisfies ToWorker);
          return;
        }
        const victim = queues.reduce((best, q, j) => (q.length > queues[best].length ? j : best), 0);
        const stolen = queues[victim].pop();
        if (stolen !== undefined) {
          w.postMessage({ type: 'steal', job: byFile.get(stolen)! } satisfies ToWorker);
          return;
        }
        w.off('message', onMessage);
        resolve();
      };
      const onMessage = (m: FromWorker) => {
        if (m.type === 'result') {
          results.push(m.result);
          progress();
          feed();
        } else if (m.type === 'failed') reject(new Error(`${m.file}: ${m.error}`));
      };
      w.on('message', onMessage);
      w.once('error', reject);
      w.postMessage({ type: 'facts', facts } satisfies ToWorker);
      feed();
    })));
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  results.sort((a, b) => byFileOrder(a.file) - byFileOrder(b.file));
  return results;

  function byFileOrder(file: string): number {
    return order.get(file) ?? 0;
  }
}

export function defaultJobs(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

/** Worker thread entry: the same bundle, started with workerData.failpathWorker. */
export function startWorkerIfNeeded(workerData: unknown): boolean {
  if (isMainThread || !(workerData as { failpathWorker?: boolean })?.failpathWorker || !parentPort) return false;
  const port = parentPort;
  const ready = Engine.create().then((e) => new Share(e));
  let facts: ConstantFacts | undefined;
  port.on('message', async (m: ToWorker) => {
    const share = await ready;
    const file = m.type === 'prepare' || m.type === 'steal' ? m.job.file : m.type === 'analyze' ? m.file : '';
    try {
      if (m.type === 'prepare') port.postMessage({ type: 'prepared', file, facts: share.prepare(m.job) } satisfies FromWorker);
      else if (m.type === 'facts') {
        facts = { globals: new Map(m.facts.globals), functions: new Map(m.facts.functions), noreturn: new Set(m.facts.noreturn), transparent: new Set(m.facts.transparent) };
      } else if (m.type === 'analyze') port.postMessage({ type: 'result', result: share.analyze(m.file, facts!) } satisfies FromWorker);
      else port.postMessage({ type: 'result', result: share.steal(m.job, facts!) } satisfies FromWorker);
    } catch (e) {
      port.postMessage({ type: 'failed', file, error: (e as Error).stack ?? String(e) } satisfies FromWorker);
    }
  });
  return true;
}
