// An open document in the language server: its text, its tree-sitter tree kept across edits (each LSP change is
// applied to the tree with `edit`, then re-parsed incrementally), the per-function result cache, and the latest
// analysis. Analysis runs between messages and is dropped when a newer version arrives.
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver/node';
import type { Tree } from 'web-tree-sitter';
import type { Engine, FileResult, ParsedSource, PreparedFile } from '../engine/analyze';
import type { FailpathConfig } from '../engine/config/config';
import { FunctionResultCache } from '../engine/function-cache';
import { offsetAt } from '../engine/text-position';
import { NO_FACTS, type ConstantFacts } from '../engine/dataflow/facts';
import { FunctionCopies } from '../engine/parse/function-copies';
import { mayHaveContexts, mayHaveContextsAfterEdit } from '../engine/context/call-graph-facts';
import { TextIdentifiers } from '../engine/parse/text-identifiers';
import type { KnownSame } from '../engine/parse/text-edit';

export interface Analysis {
  version: number;
  result: FileResult;
  prepared: PreparedFile;
  /** Wall time of the analysis (parse + dataflow), for the language status item. */
  ms: number;
  functionsReanalysed: number;
}

/** The workspace index's facts (with the inferred wrappers), and a generation that changes with them. */
export interface ProjectFacts {
  facts: ConstantFacts;
  generation: number;
}

/** Yield to the event loop after this much uninterrupted work, so a newer edit can cancel the run. */
const SLICE_MS = 8;

export class OpenDocument {
  private parsed: ParsedSource | undefined;
  private readonly cache = new FunctionResultCache();
  private readonly copies = new FunctionCopies();
  private latest: Analysis | undefined;
  private running: Promise<void> | undefined;
  private waiters: Array<{ resolve: (a: Analysis) => void; reject: (e: unknown) => void }> = [];
  private configKey = '';
  /** Whether the last analysed text may put a function in a context by itself (`mayHaveContexts`). */
  private contextSpellings: { text: string; config: FailpathConfig; value: boolean } | undefined;
  /** The text's identifiers, kept up to date by the edits (made on the first analysis). */
  private identifiers: TextIdentifiers | undefined;
  /** What the edits since the last analysis began left the same at the start and the end of its text (undefined:
   *  no edit since): the parse looks for the change there, not through the whole text. */
  private unchanged: KnownSame | undefined;

  constructor(readonly uri: string, readonly file: string, private text: string, private version: number, private readonly engineReady: Promise<Engine>) {}

  get currentVersion(): number {
    return this.version;
  }
  get currentText(): string {
    return this.text;
  }
  /** An analysis is under way (or waiting for the engine). */
  get analysing(): boolean {
    return this.running !== undefined;
  }
  /** The tree of the last analysed version (quick fixes navigate it); undefined after a full replace. */
  get analysedTree(): Tree | undefined {
    return this.latest && this.latest.version === this.version ? this.parsed?.tree : undefined;
  }

  /** Applies LSP content changes (in order) to the text; the tree catches up on the next analysis. */
  applyChanges(changes: TextDocumentContentChangeEvent[], version: number): void {
    for (const change of changes) {
      if (!('range' in change)) {
        this.text = change.text;
        this.identifiers = undefined; // counted again when asked
        this.unchanged = { prefix: 0, suffix: 0 };
        continue;
      }
      const start = offsetAt(this.text, change.range.start.line, change.range.start.character);
      const end = offsetAt(this.text, change.range.end.line, change.range.end.character);
      const u = this.unchanged;
      this.unchanged = { prefix: Math.min(u?.prefix ?? start, start), suffix: Math.min(u?.suffix ?? this.text.length - end, this.text.length - end) };
      this.identifiers?.replace(this.text, start, end, change.text);
      this.text = this.text.slice(0, start) + change.text + this.text.slice(end);
    }
    this.version = version;
  }

  /** The analysis of the current version: the cached one, or a new run (shared by concurrent callers). */
  analysis(config: FailpathConfig, project: ProjectFacts = { facts: NO_FACTS, generation: 0 }): Promise<Analysis> {
    const key = `${project.generation}\0${JSON.stringify(config)}`;
    if (key !== this.configKey) {
      this.configKey = key;
      this.latest = undefined;
    }
    if (this.latest && this.latest.version === this.version) return Promise.resolve(this.latest);
    const p = new Promise<Analysis>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.requested = { config, facts: project.facts };
    if (!this.running) this.start();
    return p;
  }
  private requested: { config: FailpathConfig; facts: ConstantFacts } | undefined;

  private start(): void {
    const { config, facts } = this.requested!;
    this.running = this.run(config, facts).then(() => {
      this.running = undefined;
      // A request made after the run woke its waiters but before it ended (an edit in between) gets a run of its own.
      if (this.waiters.length) this.start();
    }, (error: unknown) => {
      this.running = undefined;
      // The run failed (the engine did not load, or threw on this text): its waiters get the error, and the next
      // request tries again; starting over here would fail the same way for ever.
      const waiters = this.waiters;
      this.waiters = [];
      for (const w of waiters) w.reject(error);
    });
  }

  /** Runs until an analysis matches the current version (a newer edit restarts it), then wakes the waiters. */
  private async run(config: FailpathConfig, projectFacts: ConstantFacts): Promise<Analysis | undefined> {
    const engine = await this.engineReady;
    for (;;) {
      await new Promise((r) => setImmediate(r)); // let queued edits arrive first
      const version = this.version;
      const started = performance.now();
      const text = this.text;
      const known = this.unchanged ?? { prefix: text.length, suffix: text.length };
      this.unchanged = undefined;
      // tree-sitter edits the last tree where the text differs and re-parses only that part.
      this.parsed = engine.parseSource(text, this.parsed, known);
      // The file's own call graph only when it may hold a context (else the workspace index's facts about it do).
      const mayHave = this.contextSpellings && this.contextSpellings.config === config ? mayHaveContextsAfterEdit(this.contextSpellings, text, config, known) : mayHaveContexts(text, config);
      this.contextSpellings = { text, config, value: mayHave };
      const callGraph = mayHave || !!projectFacts.callGraph?.contextsIn(this.file).length;
      // With the workspace's wrappers this file calls in its catalogue (from the document's identifiers).
      const mentions = (this.identifiers ??= new TextIdentifiers(text));
      const prepared = engine.prepare(this.file, text, config, this.parsed, this.copies, { callGraph, project: { facts: projectFacts, mentions } });
      const hitsBefore = this.cache.misses;
      const steps = engine.analyzeSteps(prepared, projectFacts, this.cache, mentions);
      let slice = performance.now();
      let result: FileResult | undefined;
      let stale = false;
      for (;;) {
        const r = steps.next();
        if (r.done) {
          result = r.value;
          break;
        }
        if (performance.now() - slice > SLICE_MS) {
          await new Promise((res) => setImmediate(res));
          slice = performance.now();
          if (this.version !== version) {
            stale = true;
            break;
          }
        }
      }
      if (stale || this.version !== version || !result) continue;
      const analysis: Analysis = { version, result, prepared, ms: performance.now() - started, functionsReanalysed: this.cache.misses - hitsBefore };
      this.latest = analysis;
      const waiters = this.waiters;
      this.waiters = [];
      for (const w of waiters) w.resolve(analysis);
      return analysis;
    }
  }

  /** Forget the analysis (configuration changed): the next request re-analyses. */
  invalidate(): void {
    this.latest = undefined;
    this.configKey = '';
  }

  dispose(): void {
    this.dropTree();
  }

  private dropTree(): void {
    this.parsed?.tree.delete();
    this.parsed = undefined;
  }
}
