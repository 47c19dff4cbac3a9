// Runs the engine's phases over many files, in-process (`--jobs 1`) or on N threads (the main thread and N - 1 worker
// threads, which take their files from shared queues): prepare every file (parse, facts), merge the facts of all files, summarise each file for wrapper inference with the merged facts and resolve
// the summaries in file order, then analyse each file where it was prepared. With a `ResultCache` (`--cache DIR`),
// a file whose text, configuration and merged facts did not change is taken from the cache at each phase.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as v8 from 'node:v8';
import { EventEmitter } from 'node:events';
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
  | { type: 'prepare'; jobs: Job[]; next: SharedArrayBuffer } // the jobs it takes from the shared counter
  | { type: 'facts'; facts: SerializedFacts }
  | { type: 'summarise'; files: string[] } // wrapper summaries of files it prepared, with the merged facts
  | { type: 'inferred'; inferred: Inferred }
  | { type: 'analyze'; work: SharedWork; own: number }
  | { type: 'drop'; files: string[] }; // prepared for their summaries only: the analysis came from the cache
type FromWorker =
  | { type: 'prepared'; file: string; facts: FileFacts; cost: number }
  | { type: 'results'; results: FileResult[] }
  | { type: 'summaries'; summaries: Array<[string, InferenceFacts]> }
  | { type: 'done' } // the last answer to a prepare, summarise or analyze request
  | { type: 'failed'; file: string; error: string };

/**
 * Phase 2's files, taken by the threads themselves (Atomics on `heads`), so that no thread waits for the main
 * thread between two files: one queue per thread of the files it prepared, heaviest first, and a last one of files
 * no thread prepared. A thread takes the head of its own queue, then the head of the queue with the most work left
 * (parsing that file again costs far less than leaving a core idle).
 */
interface SharedWork {
  queues: Job[][];
  costs: number[][];
  heads: SharedArrayBuffer; // an Int32Array: the next index of each queue
}

/** The next file for thread `own`, and whether it prepared it; undefined when every queue is taken. */
function takeWork(work: SharedWork, own: number, heads: Int32Array, left: number[][]): { job: Job; prepared: boolean } | undefined {
  const i = Atomics.add(heads, own, 1);
  if (i < work.queues[own].length) return { job: work.queues[own][i], prepared: true };
  for (;;) {
    let victim = -1;
    let most = -1;
    for (let q = 0; q < work.queues.length; q++) {
      const h = Atomics.load(heads, q);
      if (q === own || h >= work.queues[q].length || left[q][h] <= most) continue;
      victim = q;
      most = left[q][h];
    }
    if (victim < 0) return undefined;
    const j = Atomics.add(heads, victim, 1);
    if (j < work.queues[victim].length) return { job: work.queues[victim][j], prepared: false };
  }
}

/** left[i] = the cost of the queue from index i on. */
function costLeft(costs: number[]): number[] {
  const left = new Array<number>(costs.length + 1).fill(0);
  for (let i = costs.length - 1; i >= 0; i--) left[i] = left[i + 1] + costs[i];
  return left;
}

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
    // Until phase 2 the file holds only what summarising it reads; phase 2 parses what it analyses again.
    this.prepared.set(job.file, this.engine.keepForSummaries(p));
    return { facts: p.facts, cost: analysisCost(p) };
  }
  /** Between the phases: what the file's small pointer functions return (wrapper inference). */
  summarise(file: string, facts: ConstantFacts): InferenceFacts {
    const p = this.prepared.get(file)!;
    const summaries = this.engine.summariseWrappers(p, facts);
    this.prepared.set(file, { ...this.engine.withoutCopies(p), paramSummaries: undefined });
    return summaries;
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
  dropAll(): void {
    this.prepared.clear();
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

/** A guess of the size of a function phase 2 adds to a file's analysis: one that calls another file's wrapper. */
const GUESSED_FUNCTION_BYTES = 1500;

/** Phase 2 also analyses a file's functions that call other files' wrappers, which phase 1 could not know: their
 *  share of the cost, guessed from the calls the file's call-graph facts list (a file with none is light). */
function inferredCallCost(facts: FileFacts, wrappers: ReadonlySet<string>): number {
  let functions = 0;
  for (const fn of facts.calls?.functions ?? []) if (fn.calls.some((c) => wrappers.has(c.callee))) functions++;
  return functions * GUESSED_FUNCTION_BYTES;
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
  private started: Array<Worker | LocalWorker> | undefined;
  /** The merged facts each thread was sent (they are sent once; the call graph is large). */
  private readonly factsSent: Array<ConstantFacts | undefined>;
  /** The files each thread prepared and has not analysed yet. */
  private readonly held: Array<Set<string>>;
  constructor(private readonly threads: number) {
    this.held = Array.from({ length: threads }, () => new Set());
    this.factsSent = Array.from({ length: threads }, () => undefined);
  }

  /** Started on first use: a run the cache answers entirely starts none. The main thread is the first. */
  private get workers(): Array<Worker | LocalWorker> {
    return (this.started ??= [new LocalWorker(), ...Array.from({ length: this.threads - 1 }, () => new Worker(__filename, { workerData: { failpathWorker: true } }))]);
  }

  private sendFacts(i: number, facts: ConstantFacts): void {
    if (this.factsSent[i] === facts) return;
    this.factsSent[i] = facts;
    const w = this.workers[i];
    if (w instanceof LocalWorker) w.useFacts(facts);
    else w.postMessage({ type: 'facts', facts: serialize(facts) } satisfies ToWorker);
  }

  async prepare(jobs: Job[], progress: () => void) {
    const out = new Map<string, { facts: FileFacts; cost: number }>();
    if (jobs.length === 0) return out;
    // Largest first: a large file last would leave the others idle at the end.
    const bySize = jobs.map((job) => ({ job, size: fileSize(job.file) })).sort((a, b) => b.size - a.size).map((x) => x.job);
    const next = new SharedArrayBuffer(4);
    await this.everyThread((w) => w.postMessage({ type: 'prepare', jobs: bySize, next }), (m, i) => {
      if (m.type !== 'prepared') return;
      out.set(m.file, { facts: m.facts, cost: m.cost });
      this.held[i].add(m.file);
      progress();
    });
    return out;
  }

  async summarise(files: string[], facts: ConstantFacts) {
    const wanted = new Set(files);
    const out = new Map<string, InferenceFacts>();
    if (files.length === 0) return out;
    await this.everyThread((w, i) => {
      this.sendFacts(i, facts);
      w.postMessage({ type: 'summarise', files: [...this.held[i]].filter((f) => wanted.has(f)) });
    }, (m) => {
      if (m.type === 'summaries') for (const [file, s] of m.summaries) out.set(file, s);
    });
    return out;
  }

  async analyze(jobs: Job[], cost: Map<string, number>, facts: ConstantFacts, progress: () => void) {
    const results: FileResult[] = [];
    if (jobs.length === 0) return results;
    const byFile = new Map(jobs.map((j) => [j.file, j]));
    const queues = this.held.map((held) => [...held].filter((f) => byFile.has(f)).map((file) => ({ file, cost: cost.get(file) ?? 0 })));
    queues.push(jobs.filter((j) => !cost.has(j.file)).map((j) => ({ file: j.file, cost: fileSize(j.file) })));
    for (const q of queues) q.sort((a, b) => b.cost - a.cost);
    for (const held of this.held) for (const file of byFile.keys()) held.delete(file);
    const work: SharedWork = { queues: queues.map((q) => q.map((f) => byFile.get(f.file)!)), costs: queues.map((q) => q.map((f) => f.cost)), heads: new SharedArrayBuffer(4 * queues.length) };
    await this.everyThread((w, i) => {
      this.sendFacts(i, facts);
      w.postMessage({ type: 'inferred', inferred: facts.inferred! });
      w.postMessage({ type: 'analyze', work, own: i });
    }, (m) => {
      if (m.type !== 'results') return;
      for (const r of m.results) {
        results.push(r);
        progress();
      }
    });
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

  /** Starts one request on every thread (`start` sends it) and resolves when each has answered `done`; `onAnswer`
   *  sees the answers before it. */
  private everyThread(start: (w: Worker | LocalWorker, i: number) => void, onAnswer: (m: FromWorker, i: number) => void): Promise<void> {
    return Promise.all(this.workers.map((w, i) => new Promise<void>((resolve, reject) => {
      const stop = () => {
        w.off('message', onMessage);
        w.off('error', reject);
      };
      const onMessage = (m: FromWorker) => {
        if (m.type === 'failed') {
          stop();
          reject(new Error(`${m.file}: ${m.error}`));
        } else if (m.type === 'done') {
          stop();
          resolve();
        } else onAnswer(m, i);
      };
      w.on('message', onMessage);
      w.once('error', reject);
      start(w, i);
    }))).then(() => undefined);
  }
}

export interface PoolOptions {
  jobs: number;
  onProgress?: (done: number, total: number) => void;
  /** Results of earlier runs by content (`--cache DIR`): what did not change is not parsed or analysed again. */
  cache?: ResultCache;
}

/**
 * V8 settings for a run, measured on git and FreeRDP (BENCHMARKS.md, "Speed and memory"; flags are process-wide and
 * read by every thread's heap and compiler, so they are set before the workers start):
 * - How much a heap may grow past what the last full collection kept before the next one. V8 lets it grow up to
 *   four times on a machine with this much memory; a run throws away far more than it holds, so that factor, per
 *   thread, was most of the peak memory (git: 430–520 MB with two threads; 320–360 MB with 25%).
 * - No inlining by the optimising compiler. The explorer's functions are large and see many shapes of values:
 *   TurboFan compiled and recompiled them for ~9 s of a background thread's CPU on git, which with two threads
 *   competes with the analysis; inlining at most 300 bytecodes, 5.3 s; none, 3.8 s, and less time than either.
 */
const V8_FLAGS = ['--heap-growing-percent=25', '--no-turbo-inlining'];

export async function runJobs(jobs: Job[], options: PoolOptions): Promise<FileResult[]> {
  for (const flag of V8_FLAGS) v8.setFlagsFromString(flag);
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
    const wrappers = new Set(merged.inferred.allocators.map((w) => w.name));
    const cost = new Map([...prepared].filter(([f]) => needed.has(f)).map(([f, p]) => [f, p.cost + inferredCallCost(entries.get(f)!.facts, wrappers)]));
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

/** What a thread's share does with one request: the loop of a worker thread, and of the main thread's own share.
 *  `handle` pauses after each file (the main thread reads the workers' answers there). */
class Server {
  private facts: ConstantFacts | undefined;
  constructor(private readonly share: Share) {}
  /** The merged facts as they are (the main thread's own share: nothing to copy). */
  useFacts(facts: ConstantFacts): void {
    this.facts = facts;
    this.share.adopt(facts.callGraph!);
  }
  *handle(m: ToWorker, reply: (m: FromWorker) => void): Generator<void, void> {
    let file = '';
    try {
      if (m.type === 'prepare') {
        const next = new Int32Array(m.next);
        for (let i = Atomics.add(next, 0, 1); i < m.jobs.length; i = Atomics.add(next, 0, 1)) {
          file = m.jobs[i].file;
          reply({ type: 'prepared', file, ...this.share.prepare(m.jobs[i]) });
          yield;
        }
        reply({ type: 'done' });
      } else if (m.type === 'facts') {
        this.useFacts({
          globals: new Map(m.facts.globals), functions: new Map(m.facts.functions), noreturn: new Set(m.facts.noreturn), staticNoreturn: new Set(m.facts.staticNoreturn), transparent: new Set(m.facts.transparent),
          callGraph: new CallGraph(m.facts.callGraph),
        });
      } else if (m.type === 'summarise') {
        const summaries: Array<[string, InferenceFacts]> = [];
        for (file of m.files) summaries.push([file, this.share.summarise(file, this.facts!)]);
        reply({ type: 'summaries', summaries });
        reply({ type: 'done' });
      } else if (m.type === 'inferred') {
        this.facts!.inferred = m.inferred;
      } else if (m.type === 'analyze') {
        const heads = new Int32Array(m.work.heads);
        const left = m.work.costs.map(costLeft);
        for (let taken = takeWork(m.work, m.own, heads, left); taken; taken = takeWork(m.work, m.own, heads, left)) {
          file = taken.job.file;
          reply({ type: 'results', results: [taken.prepared ? this.share.analyze(file, this.facts!) : this.share.steal(taken.job, this.facts!)] });
          yield;
        }
        this.share.dropAll(); // what others took from this thread's queue
        reply({ type: 'done' });
      } else if (m.type === 'drop') {
        for (const f of m.files) this.share.drop(f);
      }
    } catch (e) {
      reply({ type: 'failed', file, error: (e as Error).stack ?? String(e) });
    }
  }
}

function startServer(): Promise<Server> {
  return Engine.create().then((e) => new Server(new Share(e)));
}

/**
 * The main thread's share of a multi-threaded run, spoken to like a worker: `--jobs N` runs N - 1 worker threads
 * and this, so a run pays for one engine (wasm, compiled code, young generation) less. It works a file per turn of
 * the event loop, so the workers' answers are read between two of its files; the workers never wait for it (they
 * take their files from the shared queues themselves).
 */
class LocalWorker extends EventEmitter {
  private readonly queue: Array<Iterator<void> | ((server: Server) => Iterator<void> | void)> = [];
  private running = false;
  private readonly server = startServer();

  postMessage(m: ToWorker): void {
    this.enqueue((server) => server.handle(m, (answer) => this.emit('message', answer)));
  }
  /** The merged facts without a copy (they are this thread's own). */
  useFacts(facts: ConstantFacts): void {
    this.enqueue((server) => server.useFacts(facts));
  }
  async terminate(): Promise<void> {
    this.queue.length = 0;
  }
  private enqueue(request: (server: Server) => Iterator<void> | void): void {
    this.queue.push(request);
    if (this.running) return;
    this.running = true;
    void this.server.then((server) => setImmediate(() => this.step(server)));
  }
  /** One file of the request at the head of the queue (or the whole of a request that is not per file). */
  private step(server: Server): void {
    const head = this.queue[0];
    if (head === undefined) {
      this.running = false;
      return;
    }
    const work = typeof head === 'function' ? head(server) : head;
    if (work && !work.next().done) this.queue[0] = work;
    else this.queue.shift();
    setImmediate(() => this.step(server));
  }
}

/** Worker thread entry: the same bundle, started with workerData.failpathWorker. */
export function startWorkerIfNeeded(workerData: unknown): boolean {
  if (isMainThread || !(workerData as { failpathWorker?: boolean })?.failpathWorker || !parentPort) return false;
  const port = parentPort;
  const ready = startServer();
  port.on('message', async (m: ToWorker) => {
    const server = await ready;
    for (const _ of server.handle(m, (answer) => port.postMessage(answer))); // eslint-disable-line @typescript-eslint/no-unused-vars
  });
  return true;
}
