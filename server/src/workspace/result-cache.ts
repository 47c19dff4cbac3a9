// What a multi-file run learns about each file, kept between runs by content: its facts, its wrapper summaries
// (with the merged facts they were made with) and its analysis (with the merged facts and the inferred names it
// mentions). The CLI keeps it in `--cache DIR`, the language server's workspace audit in the editor's storage; a
// run parses and analyses only what changed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import type { ConstantFacts, FileFacts } from '../engine/dataflow/facts';
import type { InferenceFacts } from '../engine/dataflow/wrapper-summary';
import { MAY_ENTER_ATOMIC } from '../engine/context/atomic-regions';
import type { FailpathConfig } from '../engine/config/config';
import type { FileStats, Finding } from '../engine/findings';
import { version } from '../../../package.json';

export interface CachedFile {
  /** Of the engine version, the file's configuration and its text. */
  hash: string;
  facts: FileFacts;
  summaries?: InferenceFacts;
  summariesFactsHash?: string;
  analysisHash?: string;
  findings?: Finding[];
  stats?: FileStats;
  unusable?: string;
}

export const CACHE_FILE = 'failpath-cache.json';
/** Bumped when what is cached changes shape (parameter summaries, …): older entries are not read. */
const FORMAT = 6;
const STAMP = `${version}/${FORMAT}`;

export class ResultCache {
  private entries = new Map<string, CachedFile>();
  private loaded = false;

  /** `dir`: where the cache file lives (created on save); undefined keeps it in memory only. */
  constructor(private readonly dir?: string) {}

  /** The cached entry of `file` when its text and configuration are the ones it was made from. */
  lookup(file: string, text: string, config: FailpathConfig): { hash: string; cached?: CachedFile } {
    this.load();
    const hash = contentHash(text, config);
    const cached = this.entries.get(file);
    return { hash, cached: cached?.hash === hash ? cached : undefined };
  }

  set(file: string, entry: CachedFile): void {
    this.entries.set(file, entry);
  }

  /** Forgets files that are no longer part of the run. */
  retain(files: ReadonlySet<string>): void {
    for (const f of [...this.entries.keys()]) if (!files.has(f)) this.entries.delete(f);
  }

  /** Writes the cache (when it has a directory). A cache that cannot be written only makes the next run slower. */
  save(): void {
    if (!this.dir) return;
    try {
      fs.mkdirSync(this.dir, { recursive: true });
      const target = path.join(this.dir, CACHE_FILE);
      const temporary = `${target}.${process.pid}.tmp`;
      fs.writeFileSync(temporary, JSON.stringify({ version: STAMP, entries: [...this.entries] }));
      fs.renameSync(temporary, target); // two runs sharing a directory never see half a file
    } catch {
      // read-only or full: the next run starts cold
    }
  }

  private load(): void {
    if (this.loaded || !this.dir) return;
    this.loaded = true;
    try {
      const data = JSON.parse(fs.readFileSync(path.join(this.dir, CACHE_FILE), 'utf8')) as { version: string; entries: Array<[string, CachedFile]> };
      if (data.version === STAMP && Array.isArray(data.entries)) this.entries = new Map(data.entries);
    } catch {
      // no cache yet, or an unreadable one: start empty
    }
  }
}

function hashOf(value: unknown): string {
  return createHash('sha1').update(JSON.stringify(value)).digest('base64');
}

function contentHash(text: string, config: FailpathConfig): string {
  return createHash('sha1').update(STAMP).update(JSON.stringify(config)).update(text).digest('base64');
}

/** The merged facts a file's summaries and analysis were made with. */
export function factsHashOf(merged: ConstantFacts): string {
  return hashOf([[...merged.globals], [...merged.functions], [...merged.noreturn], [...merged.staticNoreturn ?? []], [...merged.transparent]]);
}

/** A file's analysis depends on the merged facts, on the inferred (or declared) names it mentions (wrappers,
 *  releasers, callee effects, what declarations say), and on what the call graph says about its calls when it has
 *  no-alloc or atomic contexts (or may take a lock). */
export function analysisHasher(factsHash: string, merged: ConstantFacts): (file: string, text: string) => string {
  const inferred = merged.inferred!;
  const graph = merged.callGraph;
  const names = new Set([
    ...inferred.allocators.map((a) => a.name), ...inferred.releasers.map((r) => r.name), ...inferred.effects.map((e) => e.name),
    ...(inferred.keeps ?? []).map((k) => k.name), ...(inferred.nonnull ?? []),
  ]);
  return (file, text) => {
    const mentioned = new Set((text.match(/[A-Za-z_]\w*/g) ?? []).filter((id) => names.has(id)));
    return hashOf([
      factsHash, inferred.allocators.filter((a) => mentioned.has(a.name)), inferred.releasers.filter((r) => mentioned.has(r.name)),
      inferred.effects.filter((e) => mentioned.has(e.name)), (inferred.keeps ?? []).filter((k) => mentioned.has(k.name)),
      (inferred.nonnull ?? []).filter((n) => mentioned.has(n)),
      graph && (graph.contextsIn(file).length || MAY_ENTER_ATOMIC.test(text)) ? graph.digestFor(file) : '',
    ]);
  };
}
