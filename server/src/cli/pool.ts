// Runs the engine's phases over many files, in-process (`--jobs 1`) or on worker threads: prepare every file (parse,
// facts), merge the facts of all files, summarise each file for wrapper inference with the merged facts and resolve
// the summaries in file order, then analyse each file where it was prepared. With a `ResultCache` (`--cache DIR`),
// a file whose text, configuration and merged facts did not change is taken from the cache at each phase.
import * as fs from 'node:fs';
import * as os from 'node:os';
import { Worker, isMainThread, parentPort } from 'node:worker_threads';
import { Engine, type PreparedFile, type FileResult } from '../engine/analyze';
import { mergeFacts, type ConstantFacts, type FileFacts } from '../engine/dataflow/facts';
import type { FailpathConfig } from '../engine/config/config';
import { resolveInferred, type Inferred } from '../engine/dataflow/wrappers';
import type { InferenceFacts } from '../engine/dataflow/wrapper-summary';
import { readSource } from '../workspace/files';
import { analysisHasher, factsHashOf, type CachedFile, type ResultCache } from '../workspace/result-cache';
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
  | { type: 'summarise'; files: string[] } // wrapper summaries of files it prepared, with the merged facts
  | { type: 'inferred'; inferred: Inferred }
  | { type: 'analyze'; files: string[] }
  | { type: 'steal'; job: Job } // prepare and analyze a file it did not prepare
  | { type: 'drop'; files: string[] }; // prepared for their summaries only: the analysis came from the cache
type FromWorker =
  | { type: 'prepared'; file: string; facts: FileFacts; cost: number }
  | { type: 'results'; results: FileResult[] }
  | { type: 'summaries'; summaries: Array<[string, InferenceFacts]> }
  | { type: 'failed'; file: string; error: string };

interface SerializedFacts {
  globals: [string, number][];
  functions: [string, number][];
  noreturn: string[];
  staticNoreturn: string[];
  transparent: string[];
  callGraph: CallGraphFacts[];
}

function serialize(facts: ConstantFacts): SerializedFacts {
  return { globals: [...facts.globals], functions: [...facts.functions], noreturn: [...facts.noreturn], staticNoreturn: [...facts.staticNoreturn ?? []], transparent: [...facts.transparent], callGraph: [...facts.callGraph?.files ?? []] };
}

/** One thread's share of the work: the files it prepared, until it analyses them. */
class Share {
  private readonly prepared = new Map<string, PreparedFile>();
  constructor(private readonly engine: Engine) {}
  /** `text`: the file's text when the caller has read it already (the cache hashes it). */
  prepare(job: Job, text = readSource(job.file)): { facts: FileFacts; cost: number } {
    const p = this.engine.prepare(job.file, text, job.config, undefined, undefined, { summariseWrappers: true });
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
  /** A file prepared elsewhere (or not at all): parsing it again is cheaper than waiting for another thread. */
  steal(job: Job, facts: ConstantFacts, text = readSource(job.file)): FileResult {
    return this.engine.analyze(this.engine.prepare(job.file, text, job.config, undefined, undefined, { summariseWrappers: true }), facts);
  }
  drop(file: string): void {
    this.prepared.delete(file);
  }
  /** A worker's prepared files take their call-graph facts from the merged graph it was sent (the same facts, one
   *  copy instead of two). */
  adopt(graph: CallGraph): void {
    const merged = new Map(graph.files.map((f) => [f.file, f]));
    for (const p of this.prepared.values()) {
      const same = p.facts.calls && merged.get(p.file);
      if (same && same.digest === p.facts.calls!.digest) p.facts.calls = same;
    }
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

/** Where the phases run: in this thread, or spread over worker threads. */
interface Backend {
  /** Prepares the files (each stays where it was prepared) and gives their facts and analysis cost. */
  prepare(jobs: Job[], progress: () => void): Promise<Map<string, { facts: FileFacts; cost: number }>>;
  /** Wrapper summaries of prepared files, with the merged facts. */
  summarise(files: string[], facts: ConstantFacts): Promise<Map<string, InferenceFacts>>;
  /** Analyses the files (prepared ones where they are, the others anywhere), with the merged facts and what was
   *  inferred; `cost` orders the heavy ones first. */
  analyze(jobs: Job[], cost: Map<string, number>, facts: ConstantFacts, progress: () => void): Promise<FileResult[]>;
  drop(files: string[]): void;
  close(): Promise<void>;
}

class InProcess implements Backend {
  /** `texts`: the files the cache has read already (not read twice). */
  private constructor(private readonly share: Share, private readonly texts: ReadonlyMap<string, string>) {}
  static async create(texts: ReadonlyMap<string, string>): Promise<InProcess> {
    return new InProcess(new Share(await Engine.create()), texts);
  }
  async prepare(jobs: Job[], progress: () => void) {
    const out = new Map<string, { facts: FileFacts; cost: number }>();
    for (const job of jobs) {
      out.set(job.file, this.share.prepare(job, this.texts.get(job.file)));
      progress();
    }
    return out;
  }
  async summarise(files: string[], facts: ConstantFacts) {
    return new Map(files.map((f) => [f, this.share.summarise(f, facts)]));
  }
  async analyze(jobs: Job[], cost: Map<string, number>, facts: ConstantFacts, progress: () => void) {
    const results: FileResult[] = [];
    for (const job of jobs) {
      results.push(cost.has(job.file) ? this.share.analyze(job.file, facts) : this.share.steal(job, facts, this.texts.get(job.file)));
      progress();
    }
    return results;
  }
  drop(files: string[]): void {
    for (const f of files) this.share.drop(f);
  }
  async close(): Promise<void> {}
}

class Threads implements Backend {
  private started: Worker[] | undefined;
  /** The merged facts each worker was sent (they are sent once; the call graph is large). */
  private readonly factsSent: Array<ConstantFacts | undefined>;
  /** The files each worker prepared and has not analysed yet. */
  private readonly held: Array<Set<string>>;
  constructor(private readonly threads: number) {
    this.held = Array.from({ length: threads }, () => new Set());
    this.factsSent = Array.from({ length: threads }, () => undefined);
  }

  private sendFacts(i: number, facts: ConstantFacts, send: (m: ToWorker) => void): void {
    if (this.factsSent[i] === facts) return;
    this.factsSent[i] = facts;
    send({ type: 'facts', facts: serialize(facts) });
  }
  /** Started on first use: a run the cache answers entirely starts none. */
  private get workers(): Worker[] {
    return (this.started ??= Array.from({ length: this.threads }, () => new Worker(__filename, { workerData: { failpathWorker: true } })));
  }

  async prepare(jobs: Job[], progress: () => void) {
    if (jobs.length === 0) return new Map<string, { facts: FileFacts; cost: number }>();
    // Largest first, to whichever worker is free: a large file last would leave the others idle at the end.
    const bySize = jobs.map((job) => ({ job, size: fileSize(job.file) })).sort((a, b) => b.size - a.size).map((x) => x.job);
    const out = new Map<string, { facts: FileFacts; cost: number }>();
    let next = 0;
    await Promise.all(this.workers.map((w, i) => this.converse(w, (send) => {
      if (next >= bySize.length) return false;
      send({ type: 'prepare', job: bySize[next++] });
      return true;
    }, (m) => {
      if (m.type !== 'prepared') return;
      out.set(m.file, { facts: m.facts, cost: m.cost });
      this.held[i].add(m.file);
      progress();
    })));
    return out;
  }

  async summarise(files: string[], facts: ConstantFacts) {
    const wanted = new Set(files);
    const out = new Map<string, InferenceFacts>();
    if (files.length === 0) return out;
    await Promise.all(this.workers.map((w, i) => {
      let sent = false;
      return this.converse(w, (send) => {
        if (sent) return false;
        sent = true;
        this.sendFacts(i, facts, send);
        send({ type: 'summarise', files: [...this.held[i]].filter((f) => wanted.has(f)) });
        return true;
      }, (m) => {
        if (m.type === 'summaries') for (const [file, s] of m.summaries) out.set(file, s);
      });
    }));
    return out;
  }

  async analyze(jobs: Job[], cost: Map<string, number>, facts: ConstantFacts, progress: () => void) {
    // The files with nothing to analyse in one batch per worker, then the others one at a time, the heaviest first;
    // a worker with none left takes the heaviest file of the queue with the most work left (work stealing: it
    // parses that file again, which costs far less than analysing a heavy one), so one heavy file does not leave
    // the other core idle. Files no worker prepared are shared out the same way.
    const wanted = new Map(jobs.map((j) => [j.file, j]));
    const queues = this.held.map((held) => [...held].filter((f) => wanted.has(f)).map((file) => ({ file, cost: cost.get(file) ?? 0 })));
    const light = queues.map((q) => q.filter((f) => f.cost === 0).map((f) => f.file));
    for (const q of queues) {
      const heavy = q.filter((f) => f.cost > 0).sort((a, b) => b.cost - a.cost);
      q.length = 0;
      q.push(...heavy);
    }
    const unprepared = jobs.filter((j) => !cost.has(j.file)).map((j) => ({ file: j.file, cost: fileSize(j.file) }));
    const remaining = (q: Array<{ cost: number }>) => q.reduce((sum, f) => sum + f.cost, 0);
    const results: FileResult[] = [];
    if (jobs.length === 0) return results;
    await Promise.all(this.workers.map((w, i) => {
      let started = false;
      return this.converse(w, (send) => {
        if (!started) {
          started = true;
          this.sendFacts(i, facts, send); // also to workers that summarised nothing
          send({ type: 'inferred', inferred: facts.inferred! });
          if (light[i].length) {
            send({ type: 'analyze', files: light[i] });
            for (const f of light[i]) this.held[i].delete(f);
            return true;
          }
        }
        const own = queues[i].shift();
        if (own !== undefined) {
          this.held[i].delete(own.file);
          send({ type: 'analyze', files: [own.file] });
          return true;
        }
        const victim = [...queues.keys()].reduce((best, j) => (remaining(queues[j]) > remaining(queues[best]) ? j : best), 0);
        const stolen = queues[victim].shift() ?? unprepared.shift();
        if (stolen === undefined) return false;
        this.held[victim].delete(stolen.file); // the victim's copy is dropped with the worker
        send({ type: 'steal', job: wanted.get(stolen.file)! });
        return true;
      }, (m) => {
        if (m.type !== 'results') return;
        for (const r of m.results) {
          results.push(r);
          progress();
        }
      });
    }));
    return results;
  }

  drop(files: string[]): void {
    const gone = new Set(files);
    this.started?.forEach((w, i) => {
      const mine = [...this.held[i]].filter((f) => gone.has(f));
      if (!mine.length) return;
      for (const f of mine) this.held[i].delete(f);
      w.postMessage({ type: 'drop', files: mine } satisfies ToWorker);
    });
  }

  async close(): Promise<void> {
    await Promise.all((this.started ?? []).map((w) => w.terminate()));
  }

  /** Feeds one worker: `next` sends the next request (false: nothing left), called once at the start and after
   *  every answer; `onAnswer` sees each answer. Resolves when `next` has nothing left. */
  private converse(w: Worker, next: (send: (m: ToWorker) => void) => boolean, onAnswer: (m: FromWorker) => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const send = (m: ToWorker) => w.postMessage(m);
      const finish = () => {
        w.off('message', onMessage);
        w.off('error', reject);
        resolve();
      };
      const onMessage = (m: FromWorker) => {
        if (m.type === 'failed') {
          w.off('message', onMessage);
          reject(new Error(`${m.file}: ${m.error}`));
          return;
        }
        onAnswer(m);
        if (!next(send)) finish();
      };
      w.on('message', onMessage);
      w.once('error', reject);
      if (!next(send)) finish();
    });
  }
}

export interface PoolOptions {
  jobs: number;
  onProgress?: (done: number, total: number) => void;
  /** Results of earlier runs by content (`--cache DIR`): what did not change is not parsed or analysed again. */
  cache?: ResultCache;
}

export async function runJobs(jobs: Job[], options: PoolOptions): Promise<FileResult[]> {
  const threads = Math.max(1, Math.min(options.jobs, jobs.length));
  const order = new Map(jobs.map((j, i) => [j.file, i]));
  const byFile = new Map(jobs.map((j) => [j.file, j]));
  const total = jobs.length * 2;
  let done = 0;
  const progress = () => options.onProgress?.(++done, total);
  const cache = options.cache;
  // What the cache knows: every file is read and hashed here (a file that changed is prepared by a worker).
  const texts = new Map<string, string>();
  const entries = new Map<string, CachedFile>();
  const hashes = new Map<string, string>();
  if (cache) {
    for (const job of jobs) {
      const text = readSource(job.file);
      const { hash, cached } = cache.lookup(job.file, text, job.config);
      texts.set(job.file, text);
      hashes.set(job.file, hash);
      if (cached) entries.set(job.file, cached);
    }
  }
  const backend: Backend = threads === 1 ? await InProcess.create(texts) : new Threads(threads);
  try {
    // Phase 1: facts (and the analysis cost) of the files the cache does not know.
    const prepared = await backend.prepare(jobs.filter((j) => !entries.has(j.file)), progress);
    for (const [file, p] of prepared) entries.set(file, { ...(entries.get(file) ?? {}), hash: hashes.get(file) ?? '', facts: p.facts });
    for (let i = prepared.size; i < jobs.length; i++) progress();
    const merged = mergeFacts(jobs.map((j) => entries.get(j.file)!.facts)); // in file order, as with one thread
    // Wrapper inference: summaries made with other merged facts are made again (their files prepared first), and
    // resolved in file order, so the wrappers do not depend on --jobs or on the cache.
    const factsHash = factsHashOf(merged);
    const stale = jobs.filter((j) => entries.get(j.file)!.summariesFactsHash !== factsHash || !entries.get(j.file)!.summaries);
    const again = await backend.prepare(stale.filter((j) => !prepared.has(j.file)), () => undefined);
    for (const [file, p] of again) prepared.set(file, p);
    const summaries = await backend.summarise(stale.map((j) => j.file), merged);
    for (const [file, s] of summaries) Object.assign(entries.get(file)!, { summaries: s, summariesFactsHash: factsHash });
    merged.inferred = resolveInferred(jobs.map((j) => entries.get(j.file)!.summaries ?? { functions: [], releasers: [] }), merged.annotations);
    // Phase 2: the analysis of every file whose cached one was made with other facts or other inferred names.
    const hashAnalysis = analysisHasher(factsHash, merged);
    const analysisHash = new Map<string, string>();
    const todo: Job[] = [];
    for (const job of jobs) {
      const e = entries.get(job.file)!;
      if (cache) {
        const h = hashAnalysis(job.file, texts.get(job.file)!);
        analysisHash.set(job.file, h);
        if (e.analysisHash === h && e.findings && e.stats) continue;
      }
      todo.push(job);
    }
    const needed = new Set(todo.map((j) => j.file));
    backend.drop([...prepared.keys()].filter((f) => !needed.has(f)));
    const cost = new Map([...prepared].filter(([f]) => needed.has(f)).map(([f, p]) => [f, p.cost]));
    const fresh = new Map((await backend.analyze(todo, cost, merged, progress)).map((r) => [r.file, r]));
    for (let i = todo.length; i < jobs.length; i++) progress();
    const results: FileResult[] = [];
    for (const job of jobs) {
      const e = entries.get(job.file)!;
      const r = fresh.get(job.file);
      if (r) Object.assign(e, { analysisHash: analysisHash.get(job.file), findings: r.findings, stats: r.stats, unusable: r.unusable });
      results.push(r ?? { file: job.file, findings: e.findings!, stats: e.stats!, unusable: e.unusable });
      cache?.set(job.file, e);
    }
    if (cache) {
      cache.retain(new Set(byFile.keys()));
      cache.save();
    }
    results.sort((a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0));
    return results;
  } finally {
    await backend.close();
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
          globals: new Map(m.facts.globals), functions: new Map(m.facts.functions), noreturn: new Set(m.facts.noreturn), staticNoreturn: new Set(m.facts.staticNoreturn), transparent: new Set(m.facts.transparent),
          callGraph: new CallGraph(m.facts.callGraph),
        };
        share.adopt(facts.callGraph!);
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
      } else if (m.type === 'drop') {
        for (const f of m.files) share.drop(f);
      } else port.postMessage({ type: 'results', results: [share.steal(m.job, facts!)] } satisfies FromWorker);
    } catch (e) {
      port.postMessage({ type: 'failed', file, error: (e as Error).stack ?? String(e) } satisfies FromWorker);
    }
  });
  return true;
}
