// Between the phases: every file's parameter summaries (param-summary.ts) resolved into callee effects, following
// what a function passes on to other functions, in its file or another, to a fixpoint (a sink chain a → b → c → d
// across four files). A callee no file defines keeps the engine's view of an unknown function: it borrows what it
// is given, unless its name says it frees or takes it, and it may do anything with what its argument points to.
import type { Span } from './outcome';
import { splitPath, type EffectPath, type ParamSummary, type Pass } from './param-summary';

/** One file's summaries, as phase 1 gives them. */
export interface ParamFacts {
  file: string;
  functions: ParamSummary[];
}

/** A dereference without a test, where it happens: the chain of calls from the summarised function to it. */
export interface DerefOrigin {
  path: EffectPath;
  file: string;
  at: Span;
  chain: string[];
}

/** What a call of `name` does to the places its caller can see (paths as in param-summary.ts). */
export interface CalleeEffects {
  name: string;
  derefs: DerefOrigin[];
  releases: EffectPath[];
  keeps: EffectPath[];
}

/** Callees whose name says they take ownership, or release, when no file of the run defines them (as explore.ts).
 *  Release macros spell it in capitals (libxml2's `FREE_AND_NULL(str)`, `SAFE_FREE(p)`). */
export const TAKES_OWNERSHIP = /(add|append|prepend|push|insert|enqueue|queue|put|store|attach|register|take|steal|adopt|own|give|transfer|assign|move|link|keep|cache|install|submit|replace|swap)/i;
export const RELEASES = /(^|_)(free|destroy|release|unref|dispose|delete|cleanup|drop)\w*$|[a-z](Free|Destroy|Unref|Dispose|Release|Delete)$|(^|_)(FREE|DESTROY|RELEASE|UNREF|DISPOSE)(_|$)/;

/** Bounds how often one summary grows through a cycle of calls. */
const MAX_ROUNDS = 16;

interface Resolved {
  derefs: Map<EffectPath, DerefOrigin>;
  releases: Set<EffectPath>;
  keeps: Set<EffectPath>;
}

/**
 * Resolves the summaries of all files (in file order). Static functions are seen only from their file; a
 * non-static name defined in several files is left unknown. Only non-static functions with an effect are returned,
 * sorted by name: a file's own functions are followed by the dataflow itself.
 */
export function resolveEffects(files: ParamFacts[]): CalleeEffects[] {
  const global = new Map<string, [number, ParamSummary] | null>();
  const statics = new Map<string, ParamSummary>();
  files.forEach((f, i) => {
    for (const s of f.functions) {
      if (s.isStatic) statics.set(`${i}\0${s.name}`, s);
      else global.set(s.name, global.has(s.name) ? null : [i, s]);
    }
  });
  const defined = new Set([...global.keys(), ...[...statics.keys()].map((k) => k.slice(k.indexOf('\0') + 1))]);
  const state = new Map<ParamSummary, Resolved>();
  files.forEach((f) => {
    for (const s of f.functions) {
      state.set(s, {
        derefs: new Map(s.derefs.map((d): [EffectPath, DerefOrigin] => [d.path, { path: d.path, file: f.file, at: { line: d.line, col: d.col, endLine: d.endLine, endCol: d.endCol }, chain: [s.name] }]).reverse()),
        releases: new Set(s.releases),
        keeps: new Set(s.keeps),
      });
    }
  });
  // Each pass resolved once to its callee; then a worklist: a summary whose effects grew is looked at again by the
  // summaries that pass something to it.
  const edges: Array<{ from: ParamSummary; pass: Pass; callee: ParamSummary }> = [];
  const callers = new Map<ParamSummary, number[]>();
  files.forEach((f, i) => {
    for (const s of f.functions) {
      const mine = state.get(s)!;
      for (const pass of s.passes) {
        const callee = statics.get(`${i}\0${pass.callee}`) ?? global.get(pass.callee)?.[1];
        if (callee === s) continue;
        if (callee) {
          let list = callers.get(callee);
          if (!list) callers.set(callee, (list = []));
          list.push(edges.length);
          edges.push({ from: s, pass, callee });
        } else if (!defined.has(pass.callee)) unknownCallee(mine, pass); // a name defined in several files: nothing known
      }
    }
  });
  const queue = edges.map((_, i) => i);
  const queued = new Set(queue);
  const visits = new Map<ParamSummary, number>();
  const testedOf = new Map<ParamSummary, Set<EffectPath>>();
  for (let head = 0; head < queue.length; head++) {
    const e = queue[head];
    queued.delete(e);
    const { from, pass, callee } = edges[e];
    let tested = testedOf.get(from);
    if (!tested) testedOf.set(from, (tested = new Set(from.tested)));
    if (!propagate(state.get(from)!, tested, from.name, pass, state.get(callee)!)) continue;
    // Sets only grow, and each is bounded by the paths in the run: the visit bound only keeps a cycle finite.
    const n = (visits.get(from) ?? 0) + 1;
    visits.set(from, n);
    if (n > MAX_ROUNDS * 8) continue;
    for (const c of callers.get(from) ?? []) {
      if (!queued.has(c)) {
        queued.add(c);
        queue.push(c);
      }
    }
  }
  const out: CalleeEffects[] = [];
  for (const [name, entry] of global) {
    if (!entry) continue;
    const r = state.get(entry[1])!;
    if (!r.derefs.size && !r.releases.size && !r.keeps.size) continue;
    out.push({
      name,
      derefs: [...r.derefs.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
      releases: [...r.releases].sort(),
      keeps: [...r.keeps].sort(),
    });
  }
  out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (process.env.FAILPATH_DEBUG) {
    for (const e of out) console.error(`effects ${e.name}: derefs [${e.derefs.map((d) => `${d.path} via ${d.chain.join(' → ')}`).join(', ')}] releases [${e.releases.join(', ')}] keeps [${e.keeps.join(', ')}]`);
  }
  return out;
}

/** A callee no file of the run defines: the engine's unknown function (explore.ts). */
function unknownCallee(mine: Resolved, p: Pass): void {
  if (p.addr) {
    mine.keeps.add(p.path);
    const block = blockOfMember(p.path);
    if (block !== undefined) mine.keeps.add(block);
    return;
  }
  if (RELEASES.test(p.callee)) mine.releases.add(p.path);
  else if (TAKES_OWNERSHIP.test(p.callee)) mine.keeps.add(p.path);
  const [root, access] = splitPath(p.path);
  if (access === '' && !root.startsWith('g:')) mine.keeps.add(`${root}?`);
}

/** Adds what the callee does to the argument `p` passes it, in the caller's terms; whether anything was new. */
function propagate(mine: Resolved, tested: Set<EffectPath>, name: string, p: Pass, theirs: Resolved): boolean {
  let changed = false;
  const add = (set: Set<EffectPath>, path: EffectPath | undefined) => {
    if (path !== undefined && !set.has(path)) {
      set.add(path);
      changed = true;
    }
  };
  const root = String(p.arg);
  for (const [path, origin] of theirs.derefs) {
    const mapped = compose(p.path, p.addr, path, root);
    if (mapped === undefined || tested.has(mapped) || mine.derefs.has(mapped)) continue;
    mine.derefs.set(mapped, { ...origin, path: mapped, chain: [name, ...origin.chain] });
    changed = true;
  }
  for (const path of theirs.releases) add(mine.releases, compose(p.path, p.addr, path, root));
  for (const path of theirs.keeps) add(mine.keeps, compose(p.path, p.addr, path, root) ?? (p.addr && path === root ? blockOfMember(p.path) : undefined));
  return changed;
}

/** `0->node` → `0`: a callee that keeps the address of a member keeps the block it is embedded in (a list or
 *  hash-map node, found again with `container_of`: git's `hashmap_put(&map, &e->ent)`). */
function blockOfMember(path: EffectPath): EffectPath | undefined {
  const [root, access] = splitPath(path);
  return !root.startsWith('g:') && /^->\w+$/.test(access) ? root : undefined;
}

/**
 * A callee's effect on `calleePath` (rooted at its parameter `root`), seen from a function that passed it `path`
 * (or `&path` when `addr`): the same place in the function's own terms, or undefined when it is more than one
 * access away from a root.
 */
function compose(path: EffectPath, addr: boolean | undefined, calleePath: EffectPath, root: string): EffectPath | undefined {
  const [calleeRoot, calleeAccess] = splitPath(calleePath);
  if (calleeRoot !== root) return undefined; // a callee's own globals are its direct callers' business only
  const [myRoot, myAccess] = splitPath(path);
  if (myRoot.startsWith('g:')) return calleeAccess === '' && !addr ? path : undefined;
  if (addr) {
    // The callee was given `&place`: its `*arg` is the place, and anything reachable from it is reachable here.
    if (calleeAccess === '*') return path;
    if (calleeAccess === '?') return myAccess === '' ? `${myRoot}?` : path;
    return undefined;
  }
  if (calleeAccess === '') return path;
  if (myAccess === '') return `${myRoot}${calleeAccess}`;
  if (calleeAccess === '?') return `${myRoot}?`;
  return undefined;
}
