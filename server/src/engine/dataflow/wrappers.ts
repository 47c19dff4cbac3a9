// Phase between the two: the wrapper summaries of every file of a run (in file order) resolved into allocators.
// A function is a wrapper when, in some allocation's success world, it returns that allocation (not stored
// elsewhere first), and no return in any world gives back anything but that allocation, NULL or another
// allocation; it passes NULL on (`null`) when some return gives NULL in a world where an allocation happened, and
// it is a die-wrapper (`aborts`) when none does. A call's result counts as an allocation once its callee is a
// wrapper, so wrappers of wrappers are found, to any depth and across files, by iterating.
import type { InferenceFacts, ReturnClass, WorldReturns, WrapperSummary } from './wrapper-summary';
import { declaredWrapper, type Annotations, type DeclaredAllocator } from '../catalogue/annotations';
import { resolveEffects, type CalleeEffects } from './param-effects';

export interface InferredWrapper {
  name: string;
  /** How the wrapper fails: NULL, an error pointer (`ERR_PTR(-ENOMEM)`: kernel style), either, or never. */
  failure: 'null' | 'err-ptr' | 'err-ptr-or-null' | 'negative-return' | 'aborts';
  /** Where the allocation goes when it is not the return value: `arg0` for `int buf_new(char **out)`. */
  result?: `arg${number}`;
  /** The function itself, then what it wraps, down to the catalogue allocator: `zalloc → malloc`. */
  chain: string[];
  release?: string[];
  ownedBy?: 'pool' | 'device' | 'gc';
  resource?: string;
  /** A wrapper around realloc: the parameter whose block it resizes (`grow(p, n)` → 0). */
  reallocArg?: number;
  /** A die-wrapper that also returns NULL where it did not call what it wraps (see AllocatorSpec). */
  nullOtherwise?: boolean;
  /** Declared an allocator in the source (`declaredWrapper`), and its results owned like a catalogue allocator's. */
  declared?: boolean;
}

/** What the files of a run taught each other: allocators (wrappers) and releasers (functions that free a parameter). */
export interface Inferred {
  allocators: InferredWrapper[];
  releasers: Array<{ name: string; arg: number }>;
  /** Declared `ownership_holds`: functions that keep an argument. */
  keeps?: Array<{ name: string; arg: number }>;
  /** Declared `returns_nonnull` (no allocators): their result is never NULL. */
  nonnull?: string[];
  /** What functions of other files do to what their callers give them (param-effects.ts). */
  effects: CalleeEffects[];
}

/** Resolves every file's inference facts (in file order). A releaser defined in several files with different
 *  arguments is dropped. What the source declares (`annotations`, merged over the files) wins over inference. */
export function resolveInferred(files: InferenceFacts[], annotations?: Annotations): Inferred {
  const releasers = new Map<string, { name: string; arg: number } | null>();
  for (const f of files) {
    for (const r of f.releasers) {
      const prev = releasers.get(r.name);
      if (prev === undefined) releasers.set(r.name, r);
      else if (prev && prev.arg !== r.arg) releasers.set(r.name, null);
    }
  }
  for (const r of annotations?.releasers ?? []) releasers.set(r.name, r);
  const released = [...releasers.values()].filter((r): r is { name: string; arg: number } => !!r).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (process.env.FAILPATH_DEBUG) for (const r of released) console.error(`releaser ${r.name} arg ${r.arg}`);
  if (process.env.FAILPATH_DEBUG && annotations) {
    for (const a of annotations.allocators) console.error(`declared allocator ${a.name}${a.nonnull ? ' returns_nonnull' : ''}${a.release ? ` release ${a.release}` : ''}`);
    for (const r of annotations.releasers) console.error(`declared releaser ${r.name} arg ${r.arg}`);
    for (const k of annotations.keeps) console.error(`declared keeps ${k.name} arg ${k.arg}`);
    for (const n of annotations.nonnull) console.error(`declared returns_nonnull ${n}`);
  }
  const allocators = resolveWrappers(files.map((f) => f.functions), annotations?.allocators);
  const declared = new Set(annotations?.allocators.map((a) => a.name));
  const effects = resolveEffects(files.flatMap((f) => (f.params?.functions.length ? [f.params] : [])));
  const inferred: Inferred = { allocators, releasers: released.filter((r) => !declared.has(r.name)), effects };
  if (annotations?.keeps.length) inferred.keeps = annotations.keeps;
  if (annotations?.nonnull.length) inferred.nonnull = annotations.nonnull;
  return inferred;
}

/** Chains are short in practice; the bound only keeps a pathological run finite. */
const MAX_ROUNDS = 12;

/**
 * Resolves the summaries of all files (`files[i]` is file i's, in file order). Static functions are wrappers only
 * within their file, and are not returned (a file's own helpers are inlined there); a non-static name defined in
 * several files is a wrapper only when every definition agrees on its convention. Declared allocators are
 * allocators from the start (their wrappers are found like a catalogue allocator's), with the convention their
 * bodies show when the declaration does not say it (`declaredWrapper`).
 */
export function resolveWrappers(files: WrapperSummary[][], declared: DeclaredAllocator[] = []): InferredWrapper[] {
  // A plain `malloc` attribute says nothing of how the function fails: where its body is in the run and inference
  // could not tell (redis' `zmalloc_no_tcache` calls jemalloc's `mallocx`), it is left alone rather than taken to
  // return NULL.
  const defined = new Set(files.flatMap((summaries) => summaries.filter((s) => !s.isStatic).map((s) => s.name)));
  const withDeclared = (m: Map<string, InferredWrapper>) => {
    for (const d of declared) {
      const inferred = m.get(d.name);
      if (!inferred && defined.has(d.name) && !d.nonnull && !d.release && !d.ownership) continue;
      m.set(d.name, declaredWrapper(d, inferred));
    }
    return m;
  };
  let known = withDeclared(new Map<string, InferredWrapper>()); // `${file}\0name` for statics, `name` otherwise
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const next = new Map<string, InferredWrapper>();
    const global = new Map<string, InferredWrapper | null>();
    const disagree = new Set<string>();
    files.forEach((summaries, file) => {
      const lookup = (name: string) => known.get(`${file}\0${name}`) ?? known.get(name);
      for (const s of summaries) {
        const w = verdict(s, lookup);
        if (s.isStatic) {
          if (w) next.set(`${file}\0${s.name}`, w);
          continue;
        }
        // A definition that is no wrapper (summarised, none found) also disagrees with one that is.
        const prev = global.get(s.name);
        if (prev === undefined) global.set(s.name, w ?? null);
        else if (prev?.failure !== w?.failure) disagree.add(s.name);
      }
    });
    for (const [name, w] of global) if (w && !disagree.has(name)) next.set(name, w);
    withDeclared(next);
    if (sameWrappers(known, next)) break;
    known = next;
  }
  const out = [...known].filter(([key]) => !key.includes('\0')).map(([, w]) => w).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (process.env.FAILPATH_DEBUG) for (const w of out) console.error(`wrapper ${w.failure} ${w.chain.join(' → ')}`);
  return out;
}

/** A status-returning function that hands its one allocation back through a parameter: 0 on success, negative
 *  when the allocation failed (`negative-return`), or a die-wrapper of that shape. */
function outVerdict(s: WrapperSummary): InferredWrapper | undefined {
  const [r] = s.sites;
  if (s.sites.length !== 1 || r.outParam === undefined || (r.convention !== 'null' && r.convention !== 'aborts')) return undefined;
  const only = (w: ReturnClass[], c: ReturnClass) => w.length > 0 && w.every((x) => x === c);
  if (!only(r.success, 'zero') || r.before.some((c) => c !== 'negative')) return undefined;
  if (r.convention === 'null' && !only(r.failure, 'negative')) return undefined;
  return {
    name: s.name, failure: r.convention === 'null' ? 'negative-return' : 'aborts', chain: [s.name, r.callee], result: `arg${r.outParam}`,
    release: r.release, ownedBy: r.ownedBy, resource: r.resource,
  };
}

function verdict(s: WrapperSummary, lookup: (name: string) => InferredWrapper | undefined): InferredWrapper | undefined {
  if (s.sites.some((r) => r.outParam !== undefined)) return outVerdict(s);
  // Catalogue allocations are followed in context (through inlined helpers); calls only when there are none.
  const records: Array<{ r: WorldReturns; failure: 'null' | 'aborts' | InferredWrapper['failure']; chain: string[]; base?: InferredWrapper }> = [];
  for (const r of s.sites) {
    if (r.convention === 'unsupported' || !r.convention) return undefined;
    records.push({ r, failure: r.convention, chain: [r.callee] });
  }
  for (const r of s.sites.length ? [] : s.calls) {
    const base = lookup(r.callee);
    // A wrapper of a realloc wrapper would need its parameters mapped again, and the call of an error-pointer
    // wrapper was explored as if it returned NULL: neither is inferred.
    if (base && base.name !== s.name && base.reallocArg === undefined && (base.failure === 'null' || base.failure === 'aborts')) {
      records.push({ r, failure: base.failure, chain: base.chain, base });
    }
  }
  if (records.length === 0) return undefined;
  let fresh: (typeof records)[number] | undefined;
  let returnsNull = false;
  let returnsError = false;
  for (const rec of records) {
    const worlds: ReturnClass[][] = [rec.r.before, rec.r.success];
    if (rec.failure === 'null') worlds.push(rec.r.failure);
    // NULL or an error returned before any allocation (an argument check) is not counted: only what happens once
    // one was made.
    if (worlds.some((w) => w.includes('other'))) return undefined;
    const returns = (c: ReturnClass) => rec.r.success.includes(c) || (rec.failure === 'null' && rec.r.failure.includes(c));
    if (returns('null')) returnsNull = true;
    if (returns('error')) returnsError = true;
    if (!fresh && rec.r.success.includes('fresh')) fresh = rec;
  }
  if (!fresh) return undefined;
  const first = fresh.base ?? fresh.r;
  const w: InferredWrapper = {
    name: s.name, failure: returnsError ? (returnsNull ? 'err-ptr-or-null' : 'err-ptr') : returnsNull ? 'null' : 'aborts', chain: [s.name, ...fresh.chain],
    release: first.release, ownedBy: first.ownedBy, resource: first.resource,
  };
  if (fresh.r.reallocParam !== undefined) w.reallocArg = fresh.r.reallocParam;
  // NULL returned where a wrapped die-wrapper was not called (`copy_ref(NULL)`, openssh's `match_list` finding no
  // match) is a result of its own. Not so for a catalogue allocator's wrapper: its early NULL is a limit or argument
  // check of the allocation itself (git's `xmalloc` → `memory_limit_check`), and it stays a die-wrapper.
  // A wrapper of `g_strdup(s)` with `s` its parameter gives NULL for NULL as well.
  if (w.failure === 'aborts' && records.some((rec) => rec.r.nullForNullInput || (rec.base && (rec.base.nullOtherwise || rec.r.before.includes('null'))))) w.nullOtherwise = true;
  return w;
}

function sameWrappers(a: Map<string, InferredWrapper>, b: Map<string, InferredWrapper>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, w] of a) {
    const o = b.get(k);
    if (!o || o.failure !== w.failure || o.chain.join() !== w.chain.join() || o.reallocArg !== w.reallocArg || o.nullOtherwise !== w.nullOtherwise || o.result !== w.result) return false;
  }
  return true;
}
