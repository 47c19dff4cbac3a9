// `Failpath: Audit Workspace`: every C file of the workspace folders, in the CLI's phases (facts of all files,
// wrapper inference with the merged facts, then the analysis). Results are cached per file by content (and by the merged
// facts), in memory and in the editor's storage, so a re-run only analyses what changed.
import * as path from 'node:path';
import picomatch from 'picomatch';
import type { Engine, PreparedFile } from '../engine/analyze';
import { mergeFacts, type ConstantFacts } from '../engine/dataflow/facts';
import type { InferenceFacts } from '../engine/dataflow/wrapper-summary';
import { resolveInferred } from '../engine/dataflow/wrappers';
import { addStats, compareFindings, emptyStats, type FileStats, type Finding } from '../engine/findings';
import { ConfigResolver } from '../engine/config/discovery';
import { RULE_IDS } from '../engine/rules/registry';
import { collectFiles, readSource } from '../workspace/files';
import { analysisHasher, factsHashOf, ResultCache, type CachedFile } from '../workspace/result-cache';

export interface AuditProgress {
  report(done: number, total: number, file: string): void;
  cancelled(): boolean;
  /** Resolves when the work may go on after a file (the language server lets open documents' analyses go first);
   *  by default, after the messages that are waiting. */
  pause?(): Promise<void>;
}

export interface WorkspaceIndex {
  files: string[];
  entries: Map<string, CachedFile>;
  prepared: Map<string, PreparedFile>;
  /** Every file's facts merged, with the inferred wrappers and releasers: the project facts of an analysis. */
  merged: ConstantFacts;
  factsHash: string;
  configs: ConfigResolver;
  errors: string[];
  done: number;
}

export interface AuditResult {
  findings: Finding[];
  stats: FileStats & { durationMs: number; fromCache: number };
  failures: Array<{ file: string; reason: string }>;
  cancelled: boolean;
}

export class WorkspaceAudit {
  private readonly cache: ResultCache;

  /** `storageDir`: the editor's storage for this workspace (absent: memory only). */
  constructor(private readonly engine: Engine, storageDir?: string) {
    this.cache = new ResultCache(storageDir);
  }

  /**
   * The workspace index without the analysis: every file's facts and wrapper summaries (from the cache when
   * unchanged), merged and resolved. The language server analyses open files with it, so the editor agrees with the
   * CLI on the project's wrappers; `run` goes on to analyse every file.
   */
  async index(folders: string[], filesExclude: string[], progress: AuditProgress, share = 1): Promise<WorkspaceIndex | undefined> {
    const configs = new ConfigResolver(RULE_IDS);
    const errors: string[] = [];
    const excluded = filesExclude.length ? picomatch(filesExclude, { dot: true }) : undefined;
    const files = collectFiles(folders, configs, errors).filter((f) => {
      if (!excluded) return true;
      const folder = folders.find((d) => f.startsWith(d + path.sep));
      return !excluded(folder ? path.relative(folder, f).split(path.sep).join('/') : f);
    });
    // `share`: the part of the progress this phase is (the audit analyses after it).
    const total = Math.round(files.length / share);
    let done = 0;
    const prepared = new Map<string, PreparedFile>();
    const entries = new Map<string, CachedFile>();
    const yieldNow = () => progress.pause?.() ?? new Promise((r) => setImmediate(r));
    // Facts, from the cache when the file did not change.
    for (const file of files) {
      if (progress.cancelled()) return undefined;
      const config = configs.forFile(file).config;
      const text = readSource(file);
      const { hash, cached } = this.cache.lookup(file, text, config);
      let entry = cached;
      if (!entry) {
        const p = this.engine.prepare(file, text, config, undefined, undefined, { summariseWrappers: true });
        prepared.set(file, p);
        entry = { hash, facts: p.facts };
      }
      entries.set(file, entry);
      progress.report(++done, total, file);
      await yieldNow();
    }
    const merged = mergeFacts([...entries.values()].map((e) => e.facts));
    const factsHash = factsHashOf(merged);
    // Wrapper inference as in the CLI: each file's summaries with the merged facts, resolved in file order.
    const summaries: InferenceFacts[] = [];
    for (const file of files) {
      if (progress.cancelled()) return undefined;
      const entry = entries.get(file)!;
      if (!entry.summaries || entry.summariesFactsHash !== factsHash) {
        let p = prepared.get(file);
        if (!p) prepared.set(file, (p = this.engine.prepare(file, readSource(file), configs.forFile(file).config, undefined, undefined, { summariseWrappers: true })));
        entry.summaries = this.engine.summariseWrappers(p, merged);
        entry.summariesFactsHash = factsHash;
        await yieldNow();
      }
      summaries.push(entry.summaries);
    }
    merged.inferred = resolveInferred(summaries, merged.annotations);
    for (const [file, entry] of entries) this.cache.set(file, entry);
    this.cache.save();
    return { files, entries, prepared, merged, factsHash, configs, errors, done };
  }

  async run(folders: string[], filesExclude: string[], progress: AuditProgress): Promise<AuditResult> {
    const started = Date.now();
    const index = await this.index(folders, filesExclude, progress, 0.5);
    if (!index) return this.cancelledResult(started);
    const { files, entries, prepared, merged, factsHash, configs, errors } = index;
    const total = files.length * 2;
    let done = index.done;
    const yieldNow = () => new Promise((r) => setImmediate(r));
    const analysisHashOf = analysisHasher(factsHash, merged);
    // Phase 2: the analysis, from the cache when neither the file nor the facts changed.
    let stats = emptyStats();
    let fromCache = 0;
    const findings: Finding[] = [];
    const failures: AuditResult['failures'] = [];
    for (const file of files) {
      if (progress.cancelled()) return this.cancelledResult(started);
      const entry = entries.get(file)!;
      const text = readSource(file);
      const analysisHash = analysisHashOf(file, text);
      if (entry.analysisHash !== analysisHash || !entry.findings || !entry.stats) {
        const p = prepared.get(file) ?? this.engine.prepare(file, text, configs.forFile(file).config, undefined, undefined, { summariseWrappers: true });
        prepared.delete(file);
        const r = this.engine.analyze(p, merged);
        Object.assign(entry, { analysisHash, findings: r.findings, stats: r.stats, unusable: r.unusable });
      } else fromCache++;
      this.cache.set(file, entry);
      findings.push(...entry.findings!);
      stats = addStats(stats, entry.stats!);
      if (entry.unusable) failures.push({ file, reason: entry.unusable });
      progress.report(++done, total, file);
      await yieldNow();
    }
    this.cache.retain(new Set(entries.keys()));
    this.cache.save();
    findings.sort(compareFindings);
    for (const e of errors) failures.push({ file: '', reason: e });
    return { findings, stats: { ...stats, durationMs: Date.now() - started, fromCache }, failures, cancelled: false };
  }

  private cancelledResult(started: number): AuditResult {
    return { findings: [], stats: { ...emptyStats(), durationMs: Date.now() - started, fromCache: 0 }, failures: [], cancelled: true };
  }
}
