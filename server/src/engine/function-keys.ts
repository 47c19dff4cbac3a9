// What an analysed function's cached result (function-cache.ts) depends on, for the language server: its key (its
// own tokens, the facts and names it mentions) and the digests of what its exploration read of the other
// functions of the file (`Dependency`).
import { createHash } from 'node:crypto';
import type { PreparedFile } from './analyze';
import type { ConstantFacts } from './dataflow/facts';
import type { FunctionSyntax } from './parse/functions';
import { calleeName } from './parse/syntax';
import type { ExploreContext } from './dataflow/explore';
import { allocationCalls } from './dataflow/site';
import type { Dependency, DependencyKind, FunctionPlaces, PlacedFunction } from './function-cache';
import { tokenText } from './parse/layout';
import { followedFromCallers, handedBackCalls, mentionedFunctions } from './helper-sources';
import { isLargeFunction } from './parse/function-size';
import { identifiersOf } from './function-selection';

/**
 * What the keys of all the file's functions depend on besides their own tokens, helpers and the names they mention:
 * the configuration, the facts and inferred names in force, and which functions the file defines. A function whose
 * copy, helpers and context are those of the last analysis keeps the part of its key they make (`functionKeys`);
 * the names in force that it mentions (`mentionedContext`) are looked up on every analysis, as one edit can make a
 * name relevant.
 */
export function contextDigest(p: PreparedFile, ctx: ExploreContext, project: ConstantFacts): string {
  const own = p.facts;
  return createHash('sha1').update(projectDigest(project)).update(JSON.stringify([
    p.config, p.file, own.variables, own.functions, own.written, own.noreturn, own.staticNoreturn ?? null, own.transparent, p.inferred ?? null, [...ctx.functions.keys()],
  ])).digest('base64');
}

/** The facts of the other files of the run (the workspace index's: the same object across a document's edits). */
function projectDigest(project: ConstantFacts): string {
  let digest = projectDigests.get(project);
  if (digest === undefined) {
    const { globals, functions, noreturn, staticNoreturn, transparent } = project;
    digest = createHash('sha1').update(JSON.stringify([[...globals], [...functions], [...noreturn], [...(staticNoreturn ?? [])], [...transparent]])).digest('base64');
    projectDigests.set(project, digest);
  }
  return digest;
}
const projectDigests = new WeakMap<ConstantFacts, string>();

interface KeyMemo {
  context: string;
  /** The digest of the function's tokens, its callers' where they count, and the helpers it reaches. */
  base: string;
  /** The helpers the key covers, by name (the same copies: the same tokens and mentions). */
  reached: Array<[string, FunctionSyntax]>;
  /** A static helper's realloc: the callers whose tokens the key covers. */
  callers?: FunctionSyntax[];
}
const keyMemos = new WeakMap<FunctionSyntax, KeyMemo>();

/**
 * What a function's findings depend on: its own tokens (not its layout: the cache moves its findings to the new
 * blanks), which same-file functions it may inline, and the configuration, facts and relevant names it mentions
 * (`mentionedContext`; those its helpers mention are in the digests of the helpers it reads), so that typing in one
 * function leaves the others' keys alone. `context` is
 * `contextDigest`: a function whose copy and helpers' copies did not change keeps its key without hashing again.
 */
export function functionKeys(p: PreparedFile, ctx: ExploreContext, context: string): Map<FunctionSyntax, string> {
  const fileKey = createHash('sha1').update(JSON.stringify(p.config)).digest('base64');
  const keys = new Map<FunctionSyntax, string>();
  for (const fn of p.analysed) {
    // A static helper's realloc is judged by what its callers pass it (their runs of it): their text is part of its
    // key, when they follow it.
    const callers = fn.isStatic && handsBackRealloc(fn, ctx) ? p.analysed.filter((caller) => caller !== fn && identifiersOf(caller).has(fn.name)) : undefined;
    const memo = keyMemos.get(fn);
    if (memo && memo.context === context && memo.reached.every(([name, g]) => ctx.functions.get(name) === g) && sameCopies(memo.callers, callers)) {
      keys.set(fn, keyOf(memo.base, fn, p, ctx, context));
      continue;
    }
    const h = createHash('sha1').update(fileKey).update(tokensOf(fn));
    for (const caller of callers ?? []) h.update(`\0caller\0`).update(tokensOf(caller));
    const reached: KeyMemo['reached'] = [];
    const seen = new Set([fn.name]);
    let frontier = [fn];
    for (let depth = 0; depth < 3 && frontier.length; depth++) {
      const next: FunctionSyntax[] = [];
      for (const f of frontier) {
        for (const name of mentionedFunctions(f, ctx)) {
          if (seen.has(name)) continue;
          seen.add(name);
          const g = ctx.functions.get(name)!;
          // Which same-file functions exist: what the exploration read of them is checked by its dependencies (the
          // names of theirs that are relevant or facts with their text: `FunctionDigests`).
          h.update(`\0${name}\0`);
          reached.push([name, g]);
          next.push(g);
        }
      }
      frontier = next;
    }
    const base = h.digest('base64');
    keys.set(fn, keyOf(base, fn, p, ctx, context));
    keyMemos.set(fn, { context, base, reached, callers });
  }
  return keys;
}

/** Whether a function's callers follow a realloc of it (`followedFromCallers`), per copy and catalogue. */
function handsBackRealloc(fn: FunctionSyntax, ctx: ExploreContext): boolean {
  const memo = reallocs.get(fn);
  if (memo?.catalogue === ctx.catalogue) return memo.value;
  const value = followedFromCallers(fn, ctx.catalogue) && handedBackCalls(fn, ctx.catalogue).some((c) => {
    const name = calleeName(c);
    return name !== undefined && ctx.catalogue.allocator(name)?.reallocArg !== undefined;
  });
  reallocs.set(fn, { catalogue: ctx.catalogue, value });
  return value;
}
const reallocs = new WeakMap<FunctionSyntax, { catalogue: ExploreContext['catalogue']; value: boolean }>();

function sameCopies(a: readonly FunctionSyntax[] | undefined, b: readonly FunctionSyntax[] | undefined): boolean {
  return a === b || (!!a && !!b && a.length === b.length && a.every((f, i) => f === b[i]));
}

function keyOf(base: string, fn: FunctionSyntax, p: PreparedFile, ctx: ExploreContext, context: string): string {
  const mentioned = mentionedContext(fn, p, ctx, context);
  const memo = finalKeys.get(fn);
  if (memo?.base === base && memo.mentioned === mentioned) return memo.key;
  const key = createHash('sha1').update(base).update(mentioned).digest('base64');
  finalKeys.set(fn, { base, mentioned, key });
  return key;
}
/** Per copy: its key, from the base and what it mentions of the names in force. */
const finalKeys = new WeakMap<FunctionSyntax, { base: string; mentioned: string; key: string }>();

/**
 * The configuration, facts and names in force that a function's text mentions: part of its own key, and of the
 * digest of its text where another function's exploration read it (an edit that makes a name relevant changes the
 * keys of the functions that mention it, not of every function that could reach them).
 */
function mentionedContext(fn: FunctionSyntax, p: PreparedFile, ctx: ExploreContext, context: string): string {
  const index = namesInForce(p, ctx, context);
  const memo = mentionedContexts.get(fn);
  if (memo?.names === index.digest) return memo.text;
  // Made with other names in force: the same text, unless the function mentions a name whose entries changed.
  const changed = memo && index.changedSince(memo.names);
  if (changed && ![...changed].some((name) => identifiersOf(fn).has(name))) {
    memo!.names = index.digest;
    return memo!.text;
  }
  const text = mentionedIn(fn, index.entriesOf);
  mentionedContexts.set(fn, { names: index.digest, text });
  return text;
}
/** Per copy, with the digest of the names in force it was made with (the same on most edits). */
const mentionedContexts = new WeakMap<FunctionSyntax, { names: string; text: string }>();

function mentionedIn(fn: FunctionSyntax, entriesOf: NamesInForce['entriesOf']): string {
  const parts: string[] = [];
  for (const id of sortedIdentifiers(fn)) {
    const entries = entriesOf(id);
    if (!entries) continue;
    const texts = entries.map(([kind, x]) => `${kind}:${typeof x === 'string' ? x : JSON.stringify(x)}`);
    // Sorted: the lists are rebuilt on every analysis, and an edit elsewhere can change their order, not what they hold.
    parts.push(id, ...(texts.length > 1 ? texts.sort() : texts));
  }
  return parts.join('\0');
}

/** Everything in force that a function can mention, by name: relevant names, unreleased statics, facts, inferred
 *  functions. Once per analysis (its context); each name is looked up where it may be, when a copy's
 *  `mentionedContext` is not kept. */
function namesInForce(p: PreparedFile, ctx: ExploreContext, context: string): NamesInForce {
  let names = namesByContext.get(ctx);
  if (names) return names;
  // The facts and inferred names are in `context` (contextDigest) already.
  const digest = createHash('sha1').update(context).update([...ctx.relevant].join('\0')).update('\0\0').update([...p.unreleasedStatics].join('\0')).digest('base64');
  let inferred: Map<string, Array<[string, unknown]>> | undefined;
  const inferredByName = () => {
    if (inferred) return inferred;
    const made = new Map<string, Array<[string, unknown]>>();
    const add = <T>(kind: string, list: Iterable<T> | undefined, name: (x: T) => string) => {
      for (const x of list ?? []) {
        const n = name(x);
        let entries = made.get(n);
        if (!entries) made.set(n, (entries = []));
        entries.push([kind, x]);
      }
    };
    add('allocator', p.inferred?.allocators, (a) => a.name);
    add('releaser', p.inferred?.releasers, (r) => r.name);
    add('effects', p.inferred?.effects, (e) => e.name);
    add('keeps', p.inferred?.keeps, (k) => k.name);
    add('nonnull', p.inferred?.nonnull, (n) => n);
    return (inferred = made);
  };
  const entriesOf = (n: string): Array<[string, unknown]> | undefined => {
    const out: Array<[string, unknown]> = [];
    if (ctx.relevant.has(n)) out.push(['relevant', n]);
    if (p.unreleasedStatics.has(n)) out.push(['static', n]);
    // The facts in force (this file's, with the other files' of the run), whatever file they came from.
    const global = ctx.facts.globals.get(n);
    if (global !== undefined) out.push(['global', [n, global]]);
    const constant = ctx.facts.functions.get(n);
    if (constant !== undefined) out.push(['function', [n, constant]]);
    if (ctx.facts.noreturn.has(n)) out.push(['noreturn', n]);
    if (ctx.facts.transparent.has(n)) out.push(['transparent', n]);
    out.push(...(inferredByName().get(n) ?? []));
    return out.length ? out : undefined;
  };
  const since = new Map<string, ReadonlySet<string> | undefined>();
  const changedSince = (earlier: string) => {
    if (since.has(earlier)) return since.get(earlier);
    const was = recentNames.get(earlier);
    let changed: Set<string> | undefined;
    // Only relevant names and statics are outside `context`: with the same context, only they can differ.
    if (was?.context === context) {
      changed = new Set();
      for (const [before, now] of [[was.relevant, ctx.relevant], [was.statics, p.unreleasedStatics]]) {
        for (const n of before) if (!now.has(n)) changed.add(n);
        for (const n of now) if (!before.has(n)) changed.add(n);
      }
    }
    since.set(earlier, changed);
    return changed;
  };
  recentNames.delete(digest);
  recentNames.set(digest, { context, relevant: ctx.relevant, statics: p.unreleasedStatics });
  if (recentNames.size > RECENT_NAMES) recentNames.delete(recentNames.keys().next().value!);
  namesByContext.set(ctx, (names = { entriesOf, digest, changedSince }));
  return names;
}
interface NamesInForce {
  /** What is in force under one name (`[kind, entry]`), or undefined. */
  entriesOf(name: string): Array<[string, unknown]> | undefined;
  /** Of everything in it (a copy's `mentionedContext` is kept while it is the same). */
  digest: string;
  /** The names whose entries may differ from those of the names in force of digest `earlier` (undefined: not known). */
  changedSince(earlier: string): ReadonlySet<string> | undefined;
}
/** The names in force of the last analyses, by digest: an edit usually changes a few relevant names, and a function
 *  that mentions none of them keeps its `mentionedContext`. */
const recentNames = new Map<string, { context: string; relevant: ReadonlySet<string>; statics: ReadonlySet<string> }>();
const RECENT_NAMES = 8;
const namesByContext = new WeakMap<ExploreContext, NamesInForce>();

const sortedIdentifierLists = new WeakMap<FunctionSyntax, string[]>();
function sortedIdentifiers(fn: FunctionSyntax): string[] {
  let ids = sortedIdentifierLists.get(fn);
  if (!ids) sortedIdentifierLists.set(fn, (ids = [...identifiersOf(fn)].sort()));
  return ids;
}

/** The current digests of what explorations read of the file's functions (function-cache.ts `Dependency`). */
export class FunctionDigests {
  /** `context`: `contextDigest` (a summary digest made in the same context is kept across analyses). */
  /** Text digests of this analysis (the names in force they include can change with any edit). */
  private readonly texts = new Map<FunctionSyntax, string>();
  constructor(private readonly p: PreparedFile, private readonly ctx: ExploreContext, private readonly context: string) {}

  of(name: string, kind: DependencyKind): string | undefined {
    const fn = this.ctx.functions.get(name);
    if (!fn) return undefined;
    if (kind === 'calls') {
      const memo = callsDigests.get(fn);
      if (memo?.context === this.context) return memo.digest;
      // Of its callees, only the file's own functions are read (helpers to follow).
      const ownCallees = this.ctx.summaryOf(fn).callees.filter((c) => this.ctx.functions.has(c));
      const digest = JSON.stringify([ownCallees, mentionedFunctions(fn, this.ctx), followedFromCallers(fn, this.ctx.catalogue), isLargeFunction(fn)]);
      callsDigests.set(fn, { context: this.context, digest });
      return digest;
    }
    if (kind === 'sites') {
      const memo = sitesDigests.get(fn);
      if (memo?.catalogue === this.ctx.catalogue) return memo.digest;
      // The allocations a caller follows into it, by their place among its allocation calls (`runId`).
      const calls = allocationCalls(fn.body, this.ctx.catalogue);
      const digest = JSON.stringify(handedBackCalls(fn, this.ctx.catalogue).map((c) => [calls.indexOf(c), calleeName(c)]));
      sitesDigests.set(fn, { catalogue: this.ctx.catalogue, digest });
      return digest;
    }
    if (kind === 'globals') {
      const memo = globalsDigests.get(fn);
      if (memo?.context === this.context) return memo.digest;
      const g = this.ctx.globalsOf(fn);
      const digest = JSON.stringify([[...g.read].sort(), g.writes]);
      globalsDigests.set(fn, { context: this.context, digest });
      return digest;
    }
    if (kind.startsWith('tests:')) return String(this.ctx.globalsOf(fn).read.has(kind.slice(6)));
    if (kind === 'text') {
      let digest = this.texts.get(fn);
      if (digest === undefined) this.texts.set(fn, (digest = `${tokenDigest(fn)} ${mentionedContext(fn, this.p, this.ctx, this.context)}`));
      return digest;
    }
    const memo = summaryDigests.get(fn);
    if (memo?.context === this.context) return memo.digest;
    const s = this.ctx.summaryOf(fn);
    const sorted = (set: Set<number>) => [...set].sort((a, b) => a - b);
    // Of its callees, only the file's own functions are read (whether a site lies within, helpers to follow).
    const ownCallees = s.callees.filter((c) => this.ctx.functions.has(c));
    const digest = JSON.stringify([sorted(s.derefsParam), sorted(s.releasesParam), sorted(s.storesParam), s.readsGlobals, ownCallees, mentionedFunctions(fn, this.ctx), followedFromCallers(fn, this.ctx.catalogue), this.ctx.fitsInline(fn), fn.params.length, fn.returns]);
    summaryDigests.set(fn, { context: this.context, digest });
    return digest;
  }

  dependencies(reads: ReadonlyMap<string, ReadonlySet<DependencyKind>>): Dependency[] {
    const out: Dependency[] = [];
    for (const [name, kinds] of reads) {
      for (const kind of kinds) {
        const digest = this.of(name, kind);
        if (digest !== undefined) out.push({ name, kind, digest });
      }
    }
    return out;
  }
}

/** Told to `RunSelection.onRun` (analyze.ts) while the paths shared by the function's own sites are explored. */
export const PREFIX_RUN = 'prefix';

/** What the exploration of one analysed function read of the file's other functions: while choosing its runs, and in
 *  each run (analyze.ts `RunSelection`). */
export class RunReads {
  private readonly byRun = new Map<string | undefined, Map<string, Set<DependencyKind>>>();
  private current: string | undefined;
  constructor(private readonly fn: FunctionSyntax) {}

  readonly onRead = (f: FunctionSyntax, kind: DependencyKind): void => {
    if (f === this.fn) return;
    let reads = this.byRun.get(this.current);
    if (!reads) this.byRun.set(this.current, (reads = new Map()));
    let kinds = reads.get(f.name);
    if (!kinds) reads.set(f.name, (kinds = new Set()));
    kinds.add(kind);
  };
  readonly onRun = (id: string | undefined): void => {
    this.current = id;
  };
  /** What a run read; a run of an own site also what the paths shared by the own sites read. */
  ofRun(id: string): ReadonlyMap<string, ReadonlySet<DependencyKind>> {
    const own = this.byRun.get(id);
    const shared = id.startsWith('#') ? this.byRun.get(PREFIX_RUN) : undefined;
    if (!shared) return own ?? new Map();
    const out = new Map<string, Set<DependencyKind>>();
    for (const reads of [own, shared]) for (const [name, kinds] of reads ?? []) out.set(name, new Set([...(out.get(name) ?? []), ...kinds]));
    return out;
  }
  ofFunction(): ReadonlyMap<string, ReadonlySet<DependencyKind>> {
    return this.byRun.get(undefined) ?? new Map();
  }
}

const globalsDigests = new WeakMap<FunctionSyntax, { context: string; digest: string }>();
const summaryDigests = new WeakMap<FunctionSyntax, { context: string; digest: string }>();
const callsDigests = new WeakMap<FunctionSyntax, { context: string; digest: string }>();
const sitesDigests = new WeakMap<FunctionSyntax, { catalogue: ExploreContext['catalogue']; digest: string }>();
const tokenTexts = new WeakMap<FunctionSyntax, string>();
const tokenDigests = new WeakMap<FunctionSyntax, string>();
/** A function's tokens (parse/layout.ts): what its findings and its inlining callers' depend on, not its blanks. */
function tokensOf(fn: FunctionSyntax): string {
  let t = tokenTexts.get(fn);
  if (t === undefined) tokenTexts.set(fn, (t = tokenText(fn.text)));
  return t;
}
function tokenDigest(fn: FunctionSyntax): string {
  let d = tokenDigests.get(fn);
  if (d === undefined) tokenDigests.set(fn, (d = createHash('sha1').update(tokensOf(fn)).digest('base64')));
  return d;
}

/** Where each function of the file lies (the cache places findings by it). */
export function functionPlaces(p: PreparedFile): FunctionPlaces {
  const all = [...p.analysed, ...p.functions.values()].sort((a, b) => a.line - b.line);
  const first = new Map<string, FunctionSyntax>();
  for (const f of all) if (!first.has(f.name)) first.set(f.name, f);
  const placed = new Map<FunctionSyntax, PlacedFunction>();
  const place = (f: FunctionSyntax | undefined) => {
    if (!f) return undefined;
    let pf = placed.get(f);
    if (!pf) placed.set(f, (pf = placedFunction(p, f)));
    return pf;
  };
  return {
    named: (name) => place(first.get(name)),
    at: (line) => place(all.find((f) => f.line <= line && line <= f.closeLine && first.get(f.name) === f)),
  };
}

/** A function where it lies now. */
export function placedFunction(p: PreparedFile, f: FunctionSyntax): PlacedFunction {
  return { name: f.name, text: f.text, line: f.line, closeLine: f.closeLine, col: f.start - (p.text.lastIndexOf('\n', f.start - 1) + 1) };
}
