// Runs the two engine phases over many files, on worker threads (`--jobs`): prepare every file (parse, facts),
// merge the facts of all files, then analyse each file where it was prepared.
import * as fs from 'node:fs';
import * as os from 'node:os';
import { Worker, isMainThread, parentPort } from 'node:worker_threads';
import { Engine, type PreparedFile, type FileResult } from '../engine/analyze';
import { mergeFacts, type ConstantFacts, type FileFacts } from '../engine/dataflow/facts';
import type { FailpathConfig } from '../engine/config/config';
import { resolveInferred, type Inferred } from '../engine/dataflow/wrappers';
import type { InferenceFacts } from '../engine/dataflow/wrapper-summary';
import { readSource } from '../workspace/files';
import { CallGraph } from '../engine/context/call-graph';
import type { CallGraphFacts } from '../engine/context/call-graph-facts';

export { readSource }; // bench/speed.ts reads files the way the CLI does

export interface Job {
  file: string;
  config: FailpathConfig;
}

type ToWorker =
  | { type: 'prepare'; job: Job }
  | { type: 'facts'; facts: SerializedFacts }
  | { type: 'summarise'; files: string[] } // wrapper summaries of the files it prepared, with the merged facts
  | { type: 'inferred'; inferred: Inferred }
  | { type: 'analyze'; files: string[] }
  | { type: 'steal'; job: Job }; // prepare and analyze a file another worker prepared but has not reached
type FromWorker =
  | { type: 'prepared'; file: string; facts: FileFacts; cost: number }
  | { type: 'results'; results: FileResult[] }
  | { type: 'summaries'; summaries: Array<[string, InferenceFacts]> }
  | { type: 'failed'; file: string; error: string };

interface SerializedFacts {
  globals: [string, number][];
  functions: [string, number][];
  noreturn: string[];
  transparent: string[];
  callGraph: CallGraphFacts[];
}

/** One thread's share of the work: the files it prepared, until it analyses them. */
class Share {
  private readonly prepared = new Map<string, PreparedFile>();
  constructor(private readonly engine: Engine) {}
  prepare(job: Job): { facts: FileFacts; cost: number } {
    const p = this.engine.prepare(job.file, readSource(job.file), job.config, undefined, undefined, { summariseWrappers: true });
    this.prepared.set(job.file, p);
    return { facts: p.facts, cost: analysisCost(p) };
  }
  /** Between the phases: what the file's small pointer functions return (wrapper inference). */
  summarise(file: string, facts: ConstantFacts): InferenceFacts {
    return this.engine.summariseWrappers(this.prepared.get(file)!, facts);
  }
  analyze(file: string, facts: ConstantFacts): FileResult {
    const p = this.prepared.get(file)!;
    this.prepared.delete(file);
    return this.engine.analyze(p, facts);
  }
  /** A file prepared by another thread: parsing it again is cheaper than waiting for that thread. */
  steal(job: Job, facts: ConstantFacts): FileResult {
    return this.engine.analyze(this.engine.prepare(job.file, readSource(job.file), job.config, undefined, undefined, { summariseWrappers: true }), facts);
  }
  files(): string[] {
    return [...this.prepared.keys()];
  }
}

/** A rough guess of a prepared file's analysis time, to start the heavy files first: the amount of code the
 *  dataflow will explore. Files with nothing to analyse cost (next to) nothing. */
function analysisCost(p: PreparedFile): number {
  let bytes = 0;
  for (const fn of p.analysed) bytes += fn.end - fn.start;
  return bytes;
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
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
      facts.push(share.prepare(job).facts);
      progress();
    }
    const merged = mergeFacts(facts);
    merged.inferred = resolveInferred(jobs.map((job) => share.summarise(job.file, merged)));
    for (const file of share.files()) {
      results.push(share.analyze(file, merged));
      progress();
    }
    return results;
  }
  const workers = Array.from({ length: threads }, () => new Worker(__filename, { workerData: { failpathWorker: true } }));
  const byFile = new Map(jobs.map((j) => [j.file, j]));
  try {
    // Phase 1: files go to whichever worker is free, largest first (a large file last would leave the other
    // workers idle at the end); each keeps what it prepared.
    const bySize = jobs.map((job) => ({ job, size: fileSize(job.file) })).sort((a, b) => b.size - a.size).map((x) => x.job);
    const allFacts: Array<[number, FileFacts]> = [];
    const queues: Array<Array<{ file: string; cost: number }>> = workers.map(() => []);
    let next = 0;
    await Promise.all(workers.map((w, i) => new Promise<void>((resolve, reject) => {
      const feed = () => {
        if (next >= bySize.length) {
          w.off('message', onMessage);
          resolve();
          return;
        }
        w.postMessage({ type: 'prepare', job: bySize[next++] } satisfies ToWorker);
      };
      const onMessage = (m: FromWorker) => {
        if (m.type === 'prepared') {
          allFacts.push([order.get(m.file) ?? 0, m.facts]);
          queues[i].push({ file: m.file, cost: m.cost });
          progress();
          feed();
        } else if (m.type === 'failed') reject(new Error(`${m.file}: ${m.error}`));
      };
      w.on('message', onMessage);
      w.once('error', reject);
      feed();
    })));
    // Phase 2: the files with nothing to analyse in one batch per worker, then the others one at a time, the
    // heaviest first; a worker with none left takes the heaviest file of the queue with the most work left (work
    // stealing: it parses that file again, which costs far less than analysing a heavy one), so one heavy file
    // does not leave the other core idle. Facts are merged in file order, as with one thread.
    allFacts.sort((a, b) => a[0] - b[0]);
    const merged = mergeFacts(allFacts.map((f) => f[1]));
    const facts: SerializedFacts = { globals: [...merged.globals], functions: [...merged.functions], noreturn: [...merged.noreturn], transparent: [...merged.transparent], callGraph: [...merged.callGraph?.files ?? []] };
    // Wrapper inference: each worker summarises the files it prepared, with the merged facts (noreturn functions
    // declared in headers); the summaries are resolved in file order, so the wrappers do not depend on --jobs.
    const summaries = new Map<string, InferenceFacts>();
    await Promise.all(workers.map((w, i) => new Promise<void>((resolve, reject) => {
      const onMessage = (m: FromWorker) => {
        if (m.type === 'summaries') {
          for (const [file, s] of m.summaries) summaries.set(file, s);
          w.off('message', onMessage);
          resolve();
        } else if (m.type === 'failed') reject(new Error(`${m.file}: ${m.error}`));
      };
      w.on('message', onMessage);
      w.postMessage({ type: 'facts', facts } satisfies ToWorker);
      w.postMessage({ type: 'summarise', files: queues[i].map((f) => f.file) } satisfies ToWorker);
    })));
    const inferred = resolveInferred(jobs.map((job) => summaries.get(job.file) ?? { functions: [], releasers: [] }));
    const light = queues.map((q) => q.filter((f) => f.cost === 0).map((f) => f.file));
    for (const q of queues) {
      const heavy = q.filter((f) => f.cost > 0).sort((a, b) => b.cost - a.cost);
      q.length = 0;
      q.push(...heavy);
    }
    const remaining = (q: Array<{ cost: number }>) => q.reduce((sum, f) => sum + f.cost, 0);
    await Promise.all(workers.map((w, i) => new Promise<void>((resolve, reject) => {
      const feed = () => {
        const own = queues[i].shift();
        if (own !== undefined) {
          w.postMessage({ type: 'analyze', files: [own.file] } satisfies ToWorker);
          return;
        }
        const victim = queues.reduce((best, q, j) => (remaining(q) > remaining(queues[best]) ? j : best), 0);
        const stolen = queues[victim].shift();
        if (stolen !== undefined) {
          w.postMessage({ type: 'steal', job: byFile.get(stolen.file)! } satisfies ToWorker);
          return;
        }
        w.off('message', onMessage);
        resolve();
      };
      const onMessage = (m: FromWorker) => {
        if (m.type === 'results') {
          for (const r of m.results) {
            results.push(r);
            progress();
          }
          feed();
        } else if (m.type === 'failed') reject(new Error(`${m.file}: ${m.error}`));
      };
      w.on('message', onMessage);
      w.once('error', reject);
      w.postMessage({ type: 'inferred', inferred } satisfies ToWorker);
      if (light[i].length) w.postMessage({ type: 'analyze', files: light[i] } satisfies ToWorker);
      else feed();
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
    let file = m.type === 'prepare' || m.type === 'steal' ? m.job.file : '';
    try {
      if (m.type === 'prepare') port.postMessage({ type: 'prepared', file, ...share.prepare(m.job) } satisfies FromWorker);
      else if (m.type === 'facts') {
        facts = {
          globals: new Map(m.facts.globals), functions: new Map(m.facts.functions), noreturn: new Set(m.facts.noreturn), transparent: new Set(m.facts.transparent),
          callGraph: new CallGraph(m.facts.callGraph),
        };
      } else if (m.type === 'summarise') {
        const summaries: Array<[string, InferenceFacts]> = [];
        for (file of m.files) summaries.push([file, share.summarise(file, facts!)]);
        port.postMessage({ type: 'summaries', summaries } satisfies FromWorker);
      } else if (m.type === 'inferred') {
        facts!.inferred = m.inferred;
      } else if (m.type === 'analyze') {
        const results: FileResult[] = [];
        for (file of m.files) results.push(share.analyze(file, facts!));
        port.postMessage({ type: 'results', results } satisfies FromWorker);
      } else port.postMessage({ type: 'results', results: [share.steal(m.job, facts!)] } satisfies FromWorker);
    } catch (e) {
      port.postMessage({ type: 'failed', file, error: (e as Error).stack ?? String(e) } satisfies FromWorker);
    }
  });
  return true;
}
