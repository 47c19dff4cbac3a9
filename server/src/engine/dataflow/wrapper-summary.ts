// Phase 1 of wrapper inference: for a small function that returns a pointer, what its returns give back in each
// world of each allocation it makes (a catalogue allocator, also inside an inlined same-file helper), and of each
// call whose result it may return (in case that callee turns out, in some file of the run, to be a wrapper).
// Only what a file tells the others is kept: plain data, merged across files by `resolveWrappers` (wrappers.ts).
import { callArgs, calleeName, child, unwrap, walk, type Syntax } from '../parse/syntax';
import type { FunctionSyntax } from '../parse/functions';
import type { Catalogue } from '../catalogue/catalogue';
import { SiteExplorer, type ExploreContext } from './explore';
import { siteFor, type AllocationSite } from './site';
import type { State, Value } from './state';
import type { ParamFacts } from './param-effects';

/** What one return gives back: the tracked allocation (not stored elsewhere first), NULL, an error pointer
 *  (`ERR_PTR(-ENOMEM)`), another allocation, or anything else (a cached object, a static buffer, an unknown value). */
export type ReturnClass = 'fresh' | 'null' | 'error' | 'alloc' | 'other' | 'zero' | 'negative';

/** One allocation seen from the function that makes it: what its returns give back, per world. */
export interface WorldReturns {
  /** The allocator called (for a catalogue allocator), or the callee whose result may be an allocation. */
  callee: string;
  /** Known here for catalogue allocators; undefined when it depends on `callee`'s own summary (another file's, or
   *  this file's). 'unsupported': a convention wrappers are not inferred for yet (err-ptr, out arguments). */
  convention?: 'null' | 'aborts' | 'unsupported';
  /** Of a catalogue allocator: passed on to the wrapper. */
  release?: string[];
  ownedBy?: 'pool' | 'device' | 'gc';
  resource?: string;
  /** Of a realloc: the function's parameter it resizes (`p = realloc(p, n)` with `p` the first parameter → 0). */
  reallocParam?: number;
  /** Of a function that returns a status: the parameter through which it hands the allocation back (`*out = p`),
   *  on every success-world return; its returns are then classed `zero` / `negative` / `other`. */
  outParam?: number;
  /** Of an allocator that gives NULL for a NULL argument (`g_strdup(s)`): that argument may be NULL here. */
  nullForNullInput?: boolean;
  /** Returns on paths that did not reach this allocation, and in its success and failure worlds. */
  before: ReturnClass[];
  success: ReturnClass[];
  failure: ReturnClass[];
}

/** What a file tells the others for inference: its wrapper summaries, and the functions that release a parameter
 *  (`zfree(p)`, a destructor by a catalogue releaser), from the same-file callee summary. */
export interface InferenceFacts {
  functions: WrapperSummary[];
  releasers: Array<{ name: string; arg: number }>;
  /** What the file's functions do to their parameters (param-summary.ts), for callee effects. */
  params?: ParamFacts;
}

export interface WrapperSummary {
  name: string;
  isStatic: boolean;
  /** Catalogue allocations; when there are any, `calls` are not consulted (they are context-blind). */
  sites: WorldReturns[];
  /** Calls whose result may be returned, each explored as if the callee were an allocator returning NULL. */
  calls: WorldReturns[];
}

/** Wrappers are small: longer functions are not summarised (exploration costs, and they are rarely wrappers). */
export const MAX_WRAPPER_LINES = 60;
const MAX_CALLS = 4;

/** Cheap text test before a function is copied out of the tree: it may return a call's result. */
export const MAY_RETURN_CALL = /\breturn\s+(?:\([^()]*\)\s*)?[A-Za-z_]\w*\s*\(|=\s*(?:\([^()]*\)\s*)?[A-Za-z_]\w*\s*\([^;]*;[^]*\breturn\s+[A-Za-z_]\w*\s*;/;

/**
 * The summary of `fn`, or undefined when it cannot be a wrapper (not a pointer function, too long, nothing it
 * returns could be an allocation). `siteCalls` gives the catalogue allocations to follow from `fn` (its own and
 * those of same-file helpers it may inline), with the function that holds each.
 */
export function summariseWrapper(fn: FunctionSyntax, ctx: ExploreContext, siteCalls: Array<[Syntax, FunctionSyntax]>, text: (n: Syntax) => string): WrapperSummary | undefined {
  if (fn.endLine - fn.line > MAX_WRAPPER_LINES) return undefined;
  if (fn.returns === 'int') return summariseOutWrapper(fn, ctx, siteCalls, text);
  if (fn.returns !== 'pointer') return undefined;
  const catalogue = ctx.catalogue;
  const cfg = ctx.cfgOf(fn);
  const sites: WorldReturns[] = [];
  for (const [call, owner] of siteCalls) {
    const site = siteFor(call, catalogue, owner.name, text);
    if (!site) continue;
    // A realloc is a wrapper's allocation when what it resizes is one of the wrapper's own parameters.
    const reallocParam = site.spec.reallocArg === undefined ? undefined : resizedParam(fn, owner, call, site.spec.reallocArg);
    const convention = site.resultArg !== undefined || site.failKind !== 'null' || (site.spec.reallocArg !== undefined && reallocParam === undefined) ? 'unsupported' : site.canFail ? 'null' : 'aborts';
    const r = explore(ctx, cfg, site, siteCalls.length);
    if (!r) return undefined;
    const returns: WorldReturns = { ...r, callee: site.callee, convention, release: site.spec.release, ownedBy: site.spec.ownedBy, resource: site.spec.resource };
    if (site.nullForNullInput) returns.nullForNullInput = true;
    if (reallocParam !== undefined) returns.reallocParam = reallocParam;
    sites.push(returns);
  }
  const calls: WorldReturns[] = [];
  if (sites.length === 0) {
    for (const call of returnedCalls(fn, catalogue).slice(0, MAX_CALLS)) {
      const callee = calleeName(call)!;
      const site: AllocationSite = {
        call, callee, spec: { name: callee, failure: 'null', profile: 'inferred', abortsByPolicy: false },
        canFail: true, failKind: 'null', owned: true, inFunction: fn.name,
      };
      const r = explore(ctx, cfg, site, 1);
      if (r) calls.push({ ...r, callee });
    }
    if (calls.length === 0) return undefined;
  }
  return { name: fn.name, isStatic: fn.isStatic, sites, calls };
}

/**
 * A function that returns a status and hands its allocation back through a parameter (`int buf_new(char **out)`:
 * `*out = malloc(n); if (!*out) return -ENOMEM; return 0;`): its catalogue allocations, with the parameter each one
 * leaves in and the status each world returns.
 */
function summariseOutWrapper(fn: FunctionSyntax, ctx: ExploreContext, siteCalls: Array<[Syntax, FunctionSyntax]>, text: (n: Syntax) => string): WrapperSummary | undefined {
  if (!fn.text.includes('*') || siteCalls.length === 0 || siteCalls.length > MAX_CALLS) return undefined;
  const sites: WorldReturns[] = [];
  for (const [call, owner] of siteCalls) {
    const site = siteFor(call, ctx.catalogue, owner.name, text);
    if (!site || site.resultArg !== undefined || site.failKind !== 'null' || site.spec.reallocArg !== undefined) return undefined;
    // The parameter the allocation is left in, on every success-world return.
    const outs = new Set<number>();
    const r = explore(ctx, ctx.cfgOf(fn), site, siteCalls.length, (st, ret) => {
      if (st.phase === 'success') outs.add(fn.params.findIndex((p) => st.env.get(`*0:${p}`)?.k === 'tracked'));
      return classifyStatus(ret);
    });
    const [out] = outs;
    if (!r || outs.size !== 1 || out < 0) return undefined;
    const returns: WorldReturns = { ...r, callee: site.callee, convention: site.canFail ? 'null' : 'aborts', release: site.spec.release, ownedBy: site.spec.ownedBy, resource: site.spec.resource, outParam: out };
    if (site.nullForNullInput) returns.nullForNullInput = true;
    sites.push(returns);
  }
  return { name: fn.name, isStatic: fn.isStatic, sites, calls: [] };
}

/** A status: 0 (success), negative (`-1`, `-ENOMEM`), or anything else. */
function classifyStatus(ret: Value | undefined): ReturnClass {
  if (ret?.k === 'int') return ret.n === 0 ? 'zero' : ret.n < 0 ? 'negative' : 'other';
  return ret?.k === 'error' ? 'negative' : 'other';
}

/** The classes of what the function returns in each world of `site` (`classifyReturn`), or undefined when the
 *  exploration was cut short (it could hide the return that disqualifies). */
function explore(
  ctx: ExploreContext, cfg: ReturnType<ExploreContext['cfgOf']>, site: AllocationSite, sitesInFunction: number,
  classifyReturn: (st: State, ret: Value | undefined, escapedBefore: boolean) => ReturnClass = classify,
): Pick<WorldReturns, 'before' | 'success' | 'failure'> | undefined {
  const worlds = { before: new Set<ReturnClass>(), success: new Set<ReturnClass>(), failure: new Set<ReturnClass>() };
  const explorer = new SiteExplorer(ctx, cfg, site, sitesInFunction);
  explorer.onReturn = (st: State, ret: Value | undefined, escapedBefore: boolean) => {
    worlds[st.phase].add(classifyReturn(st, ret, escapedBefore));
  };
  if (!explorer.run().complete) return undefined;
  const list = (s: Set<ReturnClass>) => [...s].sort();
  return { before: list(worlds.before), success: list(worlds.success), failure: list(worlds.failure) };
}

function classify(st: State, ret: Value | undefined, escapedBefore: boolean): ReturnClass {
  if (!ret) return 'other';
  switch (ret.k) {
    case 'tracked':
      // The failed pointer itself, after a test noticed the failure (`if (!p) oom_handler(n); return p;`): the
      // branch was probably meant not to return, through a handler this analysis cannot see; neither NULL nor dies.
      if (st.phase === 'failure') return (st.failKind === 'null' || st.failKind === null) && !st.noticed ? 'null' : 'other';
      return escapedBefore || st.released ? 'other' : 'fresh';
    case 'int': return ret.n === 0 ? 'null' : 'other';
    case 'error': return 'error';
    case 'alloc': return ret.failTest === 'null' && !ret.tookTracked ? 'alloc' : 'other';
    default: return 'other';
  }
}

/** Calls of non-catalogue functions whose result is returned, directly or through a local that is returned. */
function returnedCalls(fn: FunctionSyntax, catalogue: Catalogue): Syntax[] {
  const returned = new Set<string>();
  const direct: Syntax[] = [];
  walk(fn.body, (n) => {
    if (n.type === 'return_statement' && n.children[0]) {
      const v = throughReturnedArgument(unwrap(n.children[0]), catalogue);
      if (v.type === 'identifier' && v.text) returned.add(v.text);
      else if (v.type === 'call_expression') direct.push(v);
    }
    return undefined;
  });
  const assigned: Syntax[] = [];
  walk(fn.body, (n) => {
    let target: Syntax | undefined;
    let value: Syntax | undefined;
    if (n.type === 'assignment_expression' && n.op === '=') {
      target = child(n, 'left');
      value = child(n, 'right');
    } else if (n.type === 'init_declarator') {
      target = child(n, 'declarator');
      value = child(n, 'value');
    }
    if (!target || !value) return undefined;
    const t = unwrap(target);
    const name = t.type === 'identifier' ? t.text : t.type === 'pointer_declarator' ? declaratorIdentifier(t) : undefined;
    const v = unwrap(value);
    if (name && returned.has(name) && v.type === 'call_expression') assigned.push(v);
    return undefined;
  });
  return [...direct, ...assigned].filter((call) => {
    const name = calleeName(call);
    return !!name && !catalogue.allocator(name) && !catalogue.releaser(name) && !catalogue.check(name) && !catalogue.isNoreturn(name);
  }).sort((a, b) => a.start - b.start);
}

/** The index of `fn`'s parameter that argument `arg` of `call` names (`realloc(p, n)`), when the call is `fn`'s own. */
function resizedParam(fn: FunctionSyntax, owner: FunctionSyntax, call: Syntax, arg: number): number | undefined {
  const a = callArgs(call)[arg];
  const u = a ? unwrap(a) : undefined;
  if (owner !== fn || u?.type !== 'identifier' || !u.text) return undefined;
  const i = fn.params.indexOf(u.text);
  return i >= 0 ? i : undefined;
}

/** `memcpy(xmallocz(n), s, n)` → `xmallocz(n)`: what a call that gives back one of its arguments returns. */
function throughReturnedArgument(e: Syntax, catalogue: Catalogue): Syntax {
  for (let guard = 0; guard < 4 && e.type === 'call_expression'; guard++) {
    const i = catalogue.returnedArg(calleeName(e) ?? '');
    const arg = i === undefined ? undefined : callArgs(e)[i];
    if (!arg) break;
    e = unwrap(arg);
  }
  return e;
}

function declaratorIdentifier(d: Syntax): string | undefined {
  let n: Syntax | undefined = d;
  while (n && n.type === 'pointer_declarator') n = child(n, 'declarator');
  return n?.type === 'identifier' ? n.text : undefined;
}
