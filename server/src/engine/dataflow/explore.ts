// Path-sensitive exploration of one allocation site (ESP-style property simulation, Das et al. PLDI 2002):
// the site's value is followed in two worlds, "the allocation succeeded" and "it failed", and every branch whose
// condition the state decides (a test of the value, a known constant, a correlated flag) takes one side only.
// Same-file callees are inlined (bounded), so flags, sources and sinks in helpers are followed too.
import { child, calleeName, callArgs, unwrap, walk, type Syntax } from '../parse/syntax';
import { innermostIdentifier as declaratorName, type FunctionSyntax } from '../parse/functions';
import type { Catalogue } from '../catalogue/catalogue';
import type { Cfg, CfgNode } from '../cfg/cfg';
import { unwrapCondition } from '../cfg/build';
import type { AllocationSite } from './site';
import { cloneState, deleteVar, FactAgreement, isFact, setVar, holders, initialState, stateIdentity, StateSet, valueKey, type State, type Value } from './state';
import { spanKey, spanOf, type SiteOutcome, type Span, type TestKind } from './outcome';
import type { ConstantFacts } from './facts';
import type { CalleeSummary } from './callee-summary';
import type { FileKnowledge } from '../parse/file-knowledge';
import { RELEASES, TAKES_OWNERSHIP, type CalleeEffects, type DerefOrigin } from './param-effects';
import { ERROR_LABEL, isErrorConstant, recordsFailure } from './error-values';
import { placeText, releasedPlaces } from './released-places';
import { splitPath, type EffectPath } from './param-summary';
import { nonBlankLength } from '../parse/layout';
import { isLargeFunction } from '../parse/function-size';
import { liveness } from './liveness';
import type { DependencyKind } from '../function-cache';

export interface ExploreContext {
  catalogue: Catalogue;
  facts: ConstantFacts;
  /** Same-file functions by name. */
  functions: Map<string, FunctionSyntax>;
  cfgOf(fn: FunctionSyntax): Cfg;
  summaryOf(fn: FunctionSyntax): CalleeSummary;
  /** Whom a same-file function calls (its summary's callees; read as its 'calls', with whether it is large: a
   *  caller asking where a site lies need not read the rest of its summary). */
  calleesOf(fn: FunctionSyntax): readonly string[];
  /** File-static pointers that nothing releases (storing there does not escape). */
  unreleasedStatics: ReadonlySet<string>;
  knowledge: FileKnowledge;
  /** Names whose integer facts can decide something (see relevance.ts); other facts are not kept. */
  relevant: ReadonlySet<string>;
  /** What functions of other files do to their arguments (param-effects.ts). */
  effects?: ReadonlyMap<string, CalleeEffects>;
  /** Told of every other function whose text (`cfgOf`) or summary (`summaryOf`) is read, or whose handed-back
   *  allocations are followed ('sites'): the language server's cache keeps a function's result while what it read
   *  is unchanged. */
  onRead?: (fn: FunctionSyntax, kind: DependencyKind) => void;
  /** Whether a same-file function is small enough to inline (part of its summary: reading it is not reading its
   *  text). */
  fitsInline(fn: FunctionSyntax): boolean;
  /** The globals a same-file function's conditions read, and whether it assigns one (apart from the rest of its
   *  summary: a caller that knows no global never asks). */
  globalsOf(fn: FunctionSyntax): { read: ReadonlySet<string>; writes: boolean };
  /** Whether a same-file function's conditions read the global `name` (read as that alone: `tests:NAME`). */
  testsGlobal(fn: FunctionSyntax, name: string): boolean;
}

const STATES_PER_NODE = 6;
/** Steps for all the sites of one function together; each site gets its share (at least MIN_SITE_STEPS). */
const FUNCTION_STEP_BUDGET = 20000;
const MIN_SITE_STEPS = 2000;
const MAX_SITE_STEPS = 5000;
/** An inferred die-wrapper's untested result (`s = xstrdup(…)`) can only leak, and it is everywhere (git holds one
 *  in a variable in a thousand functions): a smaller share, so that it costs a fraction of the run. */
const DIE_WRAPPER_SITE_STEPS = 300;
const MAX_INLINE_DEPTH = 3;
/** A callee with a larger CFG is never inlined (`ExploreContext.fitsInline`). */
export const MAX_INLINE_NODES = 600;
/** Functions that report an error and return an error value (git's `error()`, `error_errno()`). */
const ERROR_REPORTER = /^(error|error_errno|err_ret|fail|failure|report_error|set_error)$/i;
const STATUS_NAME = /^(ret|rc|err|error|r|res|result|status|rv|retval|ecode|errcode|e)$/i;

type Step = [number, State];

/** One site's share of its function's step budget. */
export function siteStepBudget(sitesInFunction: number): number {
  return Math.min(MAX_SITE_STEPS, Math.max(MIN_SITE_STEPS, Math.floor(FUNCTION_STEP_BUDGET / sitesInFunction)));
}

export class SiteExplorer {
  readonly outcome: SiteOutcome;
  steps = 0;
  private depth = 0;
  /** Calls in outer frames, outermost first: a use inside a callee is reported at callStack[0]. */
  private readonly callStack: Syntax[] = [];
  private readonly fnStack: FunctionSyntax[] = [];
  private readonly inlineActive = new Set<string>();
  private currentStatement: Syntax | undefined;

  private readonly budget: number;
  /** Record the failure-world paths (simulation): a trail per state, so only when asked. */
  trace = false;
  /** Wrapper summaries (wrapper-summary.ts): told what each return of the analysed function gives back, in which
   *  world, and whether the pointer had already escaped (a cached object is not a fresh allocation). */
  onReturn: ((st: State, ret: Value | undefined, escapedBefore: boolean) => void) | undefined;

  /** `leaksOnly`: the site can only give a leak (a die-wrapper's result that is not tested): a smaller budget, and
   *  same-file callees it is passed to are applied by their summaries instead of inlined. */
  constructor(private readonly ctx: ExploreContext, private readonly top: Cfg, private readonly site: AllocationSite, sitesInFunction = 1, private readonly leaksOnly = false) {
    this.budget = leaksOnly ? DIE_WRAPPER_SITE_STEPS
      : siteStepBudget(sitesInFunction);
    this.outcome = {
      site, fn: top.fn, uses: new Map(), tests: new Map(), leaks: new Map(), failureExits: new Map(), lost: new Map(), undetectedTests: new Set(),
      failureReturns: false, storedUntested: new Map(),
      complete: true,
    };
  }

  /**
   * Explores the function for this site. `prefix` (from `explorePrefix`) holds the states that reach each node
   * before any site is allocated; a site of the function itself then starts at its own node instead of the entry.
   */
  run(prefix?: Map<number, State[]>): SiteOutcome {
    this.fnStack.push(this.top.fn);
    this.inlineActive.add(this.top.fn.name); // recursion is summarised, never inlined
    const own = this.site.inFunction === this.top.fn.name ? [...this.siteNodes(this.top)] : [];
    const exits = prefix && own.length === 1
      ? this.explore(this.top, prefix.get(own[0]) ?? [], own[0])
      : this.explore(this.top, [initialState()]);
    for (const st of exits) this.recordExit(st);
    return this.outcome;
  }

  /** The states arriving at `targets` on paths where no site has been allocated yet (shared by all sites). */
  static explorePrefix(ctx: ExploreContext, top: Cfg, targets: Set<number>, budget: number): Map<number, State[]> | undefined {
    const none: AllocationSite = {
      call: { id: -1, type: 'none', field: null, start: -1, end: -1, line: 0, col: 0, endLine: 0, endCol: 0, children: [] },
      callee: '', spec: { name: '', failure: 'null', profile: '', abortsByPolicy: false }, canFail: false, failKind: 'null', owned: false, inFunction: '',
    };
    const e = new SiteExplorer(ctx, top, none);
    e.collect = { targets, states: new Map() };
    e.budgetOverride = budget;
    e.run();
    return e.outcome.complete ? e.collect.states : undefined; // a partial prefix would hide paths
  }
  private collect: { targets: Set<number>; states: Map<number, State[]> } | undefined;
  private budgetOverride: number | undefined;

  // ---------------------------------------------------------------- graph walk

  private explore(cfg: Cfg, starts: State[], at = cfg.entry): State[] {
    const exits: State[] = [];
    const seen: Array<StateSet | undefined> = new Array(cfg.nodes.length);
    const agreement: Array<FactAgreement | undefined> = new Array(cfg.nodes.length);
    const work: Step[] = starts.map((s) => [at, s]);
    const collect = this.depth === 0 ? this.collect : undefined;
    const siteNode = this.siteNodes(cfg);
    while (work.length) {
      if (++this.steps > (this.budgetOverride ?? this.budget)) {
        this.outcome.complete = false;
        if (process.env.FAILPATH_DEBUG) console.error(`budget exceeded: ${this.top.fn.name} site ${this.site.callee}@${this.site.call.line + 1}`);
        return exits;
      }
      let [id, st] = work.pop()!;
      if (this.depth === 0 && cfg === this.top && st.env.globalKeys > 0) {
        const dying = liveness(cfg).dying[id];
        if (dying) st = withoutDeadFacts(st, dying, (name) => liveness(cfg).liveAt(id, name), (name) => this.readAfter(cfg, id, name));
      }
      let set = seen[id];
      if (!set) seen[id] = set = new StateSet();
      let key = stateIdentity(st);
      if (set.has(key)) continue;
      let facts = agreement[id];
      if (!facts) agreement[id] = facts = new FactAgreement();
      if (set.size >= STATES_PER_NODE) {
        const widened = facts.widen(st, set);
        if (!widened) continue;
        st = widened;
        key = stateIdentity(st);
        if (set.has(key)) continue;
      }
      facts.observe(st);
      set.add(key);
      if (this.trace && this.depth === 0 && st.phase === 'failure') {
        const prev = st.trail;
        st = cloneState(st);
        st.trail = { node: id, prev };
      }
      if (collect?.targets.has(id)) {
        let list = collect.states.get(id);
        if (!list) collect.states.set(id, (list = []));
        list.push(st);
      }
      const node = cfg.nodes[id];
      if (node.kind === 'exit') {
        exits.push(st);
        continue;
      }
      const forks = siteNode.has(id) ? this.arm(st) : [st];
      for (const s of forks) for (const step of this.step(cfg, node, s)) work.push(step);
    }
    return exits;
  }

  /** Whether the top function mentions the global `name` at `node` or after it, or a same-file function it calls
   *  there tests it. Asked only for a fact that would die, and of each callee only about that global (`tests:NAME`):
   *  an edit in a callee re-runs the caller only when it starts or stops testing it. A callee's callees are not
   *  asked (whom a function calls changes with most edits of its calls); a global only they test is forgotten, and
   *  their test of it takes both ways. */
  private readAfter(cfg: Cfg, node: number, name: string): boolean {
    const live = liveness(cfg);
    if (live.liveAt(node, name)) return true;
    const key = `${node}\0${name}`;
    let read = this.readsAfter.get(key);
    if (read === undefined) {
      read = live.callsAfter(node).some((c) => {
        const f = this.ctx.functions.get(c);
        return !!f && this.ctx.testsGlobal(f, name);
      });
      this.readsAfter.set(key, read);
    }
    return read;
  }
  private readonly readsAfter = new Map<string, boolean>();

  private readonly siteNodeCache = new Map<Cfg, Set<number>>();
  /** CFG nodes whose syntax contains the site's call. */
  private siteNodes(cfg: Cfg): Set<number> {
    let s = this.siteNodeCache.get(cfg);
    if (s) return s;
    s = new Set();
    const target = this.site.call;
    for (const n of cfg.nodes) {
      const syn = n.syntax;
      if (syn && syn.start <= target.start && target.end <= syn.end) {
        let found = false;
        walk(syn, (x) => {
          if (found) return false;
          if (x === target) found = true;
          return x.start <= target.start && target.end <= x.end;
        });
        if (found) s.add(n.id);
      }
    }
    this.siteNodeCache.set(cfg, s);
    return s;
  }

  /** On the node that makes the allocation: one state per world. */
  private arm(st: State): State[] {
    const ok = cloneState(st);
    ok.arming = 'success';
    if (!this.site.canFail) return [ok];
    const bad = cloneState(st);
    bad.arming = 'failure';
    if (this.site.failKind !== 'errOrNull') return [ok, bad];
    const asErr = cloneState(bad);
    bad.failKind = 'null';
    asErr.failKind = 'err';
    return [ok, bad, asErr];
  }

  private step(cfg: Cfg, node: CfgNode, st0: State): Step[] {
    this.currentStatement = node.statement ?? node.syntax;
    switch (node.kind) {
      case 'entry':
      case 'join':
      case 'label':
        return node.next.map((n) => [n, st0]);
      case 'goto': {
        const st = cloneState(st0);
        if (st.phase !== 'before' && st.firstJump < 0) st.firstJump = node.id;
        if (node.label && ERROR_LABEL.test(node.label)) st.errorPath = true;
        return [[node.next[0], st]];
      }
      case 'eval': {
        const results = this.evalStatement(node.syntax!, cloneState(st0));
        const out: Step[] = [];
        for (const st of results) {
          if (!this.settleArming(st)) continue;
          for (const n of node.next) out.push([n, st]);
        }
        return out;
      }
      case 'return': {
        const out: Step[] = [];
        for (const st of this.evalReturn(node, cloneState(st0))) {
          if (!this.settleArming(st)) continue;
          if (st.phase !== 'before' && st.returnNode < 0 && this.depth === 0) st.returnNode = node.id;
          out.push([node.next[0], st]);
        }
        return out;
      }
      case 'branch':
        return this.branch(node, cloneState(st0));
      case 'switch': {
        const st = cloneState(st0);
        const v = node.syntax ? this.ev(node.syntax, st) : undefined;
        if (!this.settleArming(st)) return [];
        const cases = node.cases ?? [];
        if (v?.k === 'int') {
          for (let i = 0; i < cases.length; i++) {
            const c = cases[i];
            if (c) {
              const cv = this.ev(c, cloneState(st));
              if (cv?.k === 'int' && cv.n === v.n) return [[node.next[i], st]];
            }
          }
          const def = cases.indexOf(null);
          return def >= 0 ? [[node.next[def], st]] : [];
        }
        return node.next.map((n) => [n, cloneState(st)]);
      }
      default:
        return node.next.map((n) => [n, st0]);
    }
  }

  /** After a node: a failure-world copy whose allocation was not reached on this path is a duplicate. */
  private settleArming(st: State): boolean {
    if (st.arming === null) return true;
    if (st.arming === 'failure') return false;
    st.arming = null;
    return true;
  }

  private branch(node: CfgNode, st: State): Step[] {
    if (!node.syntax) return node.next.map((n) => [n, cloneState(st)]);
    const cond = unwrapCondition(node.syntax, this.ctx.catalogue, this.ctx.knowledge.transparent);
    const v = this.ev(cond, st);
    if (!this.settleArming(st)) return [];
    // The same side-effect-free condition, asked again with none of its variables changed, has the same answer
    // (`if (n > LIMIT) p = malloc(n); … if (n > LIMIT) free(p);`).
    const memo = this.truth(v, st, cond) === undefined && this.repeatedCondition(cond) ? conditionMemoKey(cond, this.fnStack[this.fnStack.length - 1]) : undefined;
    const remembered = memo ? st.env.get(memo) : undefined;
    const t = remembered?.k === 'int' ? remembered.n !== 0 : this.truth(v, st, cond);
    // Which direction means "something failed" (for the error-path classification of leaks).
    let failDirection: boolean | undefined;
    if (v?.k === 'failtest') failDirection = v.whenTrue;
    else if (v?.k === 'alloc') failDirection = v.failTest === 'status';
    else if (v?.k === 'error') failDirection = true;
    if (node.loop) failDirection = undefined;
    const reallocFailed = (v?.k === 'failtest' || v?.k === 'alloc') && v.tookTracked;
    const out: Step[] = [];
    for (const dir of [true, false]) {
      if (t !== undefined && t !== dir) continue;
      const s = t === undefined ? cloneState(st) : st;
      if (failDirection === dir) {
        s.errorPath = true;
        if (reallocFailed && s.phase === 'success') s.released = false;
      }
      if (memo && t === undefined) setVar(s, memo, { k: 'int', n: dir ? 1 : 0 });
      this.refine(cond, dir, s);
      out.push([node.next[dir ? 0 : 1], s]);
    }
    return out;
  }

  /** Conditions that occur more than once in a function (only those are worth remembering). */
  private readonly repeated = new Map<FunctionSyntax, Set<string>>();
  private repeatedCondition(cond: Syntax): boolean {
    const fn = this.fnStack[this.fnStack.length - 1];
    let set = this.repeated.get(fn);
    if (!set) {
      const seen = new Set<string>();
      set = new Set();
      walk(fn.body, (n) => {
        const c = n.type === 'if_statement' || n.type === 'while_statement' || n.type === 'conditional_expression' ? child(n, 'condition') : undefined;
        if (c) {
          const t = conditionText(unwrapCondition(c, this.ctx.catalogue, this.ctx.knowledge.transparent));
          if (seen.has(t)) set!.add(t);
          seen.add(t);
        }
      });
      this.repeated.set(fn, set);
    }
    return set.size > 0 && set.has(conditionText(cond));
  }

  /** What a branch teaches about plain variables: `if (x)` → x ≠ 0, `if (x == 3)` → x = 3. */
  private refine(cond: Syntax, dir: boolean, st: State): void {
    let e = cond;
    let d = dir;
    while (e.type === 'unary_expression' && e.op === '!') {
      const a = child(e, 'argument');
      if (!a) return;
      e = unwrap(a);
      d = !d;
    }
    if (e.type === 'identifier') {
      const key = this.keyOf(e);
      if (!key) return;
      const cur = st.env.get(key);
      if (cur && cur.k !== 'int' && cur.k !== 'nonzero') return;
      setVar(st, key, d ? cur?.k === 'int' ? cur : { k: 'nonzero' } : { k: 'int', n: 0 });
      this.settleComparisons(key, st, st.env.get(key));
      return;
    }
    if (e.type === 'binary_expression' && (e.op === '==' || e.op === '!=')) {
      const l = child(e, 'left');
      const r = child(e, 'right');
      if (!l || !r) return;
      const lu = unwrap(l);
      if (lu.type !== 'identifier') return;
      const key = this.keyOf(lu);
      if (!key) return;
      const cur = st.env.get(key);
      if (cur && cur.k !== 'int' && cur.k !== 'nonzero') return;
      const rv = this.constantOf(r);
      if (rv === undefined) return;
      const equal = e.op === '==' ? d : !d;
      if (equal) setVar(st, key, { k: 'int', n: rv });
      else if (rv === 0) setVar(st, key, cur?.k === 'int' ? cur : { k: 'nonzero' });
      this.settleComparisons(key, st, st.env.get(key));
    }
  }

  private constantOf(e: Syntax): number | undefined {
    const v = this.ev(e, initialState());
    return v?.k === 'int' ? v.n : undefined;
  }

  // ---------------------------------------------------------------- statements, inlining

  private evalStatement(s: Syntax, st: State): State[] {
    const target = this.inlineTarget(s, st);
    if (target) {
      const results = this.inlineCall(target.call, target.callee, st);
      if (results) {
        return results.map(([r, ret]) => {
          if (target.assignTo) this.assignTo(target.assignTo, ret, r, target.declaration);
          return r;
        });
      }
    }
    this.overwritten = undefined;
    this.ev(s, st);
    if (this.overwritten) this.checkLost(st, this.overwritten);
    return [st];
  }

  private evalReturn(node: CfgNode, st: State): State[] {
    if (node.returnValue === 'error') {
      st.ret = { k: 'error' };
      st.errorPath = true;
      if (this.onReturn && this.depth === 0) this.onReturn(st, st.ret, st.escaped);
      return [st];
    }
    const valueSyntax = node.returnValue === 'void' ? undefined : node.returnValue ?? node.syntax?.children[0];
    if (!valueSyntax) {
      st.ret = undefined;
      if (this.onReturn && this.depth === 0) this.onReturn(st, undefined, st.escaped);
      return [st];
    }
    const target = this.inlineTarget(valueSyntax, st);
    if (target && !target.assignTo) {
      const results = this.inlineCall(target.call, target.callee, st);
      if (results) return results.map(([r, ret]) => this.finishReturn(r, ret, valueSyntax));
    }
    const v = this.ev(valueSyntax, st);
    return [this.finishReturn(st, v, valueSyntax)];
  }

  private finishReturn(st: State, v: Value | undefined, syntax: Syntax): State {
    st.ret = v;
    if (this.onReturn && this.depth === 0) this.onReturn(st, v, st.escaped);
    // `return &iter->base;`, `return (T *)((uintptr_t)e | TAG);`: the caller gets the block back through its
    // embedded member or a tagged pointer.
    const returned = v?.k === 'tracked' || this.pointsIntoTracked(v, st) || (v === undefined && this.carriesTracked(syntax, st));
    if (returned && st.phase !== 'before' && this.depth === 0) st.escaped = true;
    if (this.isErrorReturn(v, syntax)) st.errorPath = true;
    return st;
  }

  private isErrorReturn(v: Value | undefined, syntax: Syntax): boolean {
    const fn = this.fnStack[this.fnStack.length - 1];
    if (v?.k === 'error') return true;
    if (v?.k === 'int') {
      if (v.n < 0) return true;
      if (v.n === 0 && (fn.returns === 'pointer' || fn.returns === 'bool')) return true;
    }
    const u = unwrap(syntax);
    if (u.type === 'unary_expression' && u.op === '-') return true;
    // `return REDIS_ERR;`, `return CURLE_URL_MALFORMAT;`, `return EINVAL;`, `return error("…");` (git), `return FALSE;`
    if (u.type === 'identifier' && isErrorConstant(u.text ?? '')) return true;
    if (u.type === 'call_expression' && ERROR_REPORTER.test(calleeName(u) ?? '')) return true;
    return false;
  }

  private inlineTarget(s: Syntax, st: State): { call: Syntax; callee: FunctionSyntax; assignTo?: Syntax; declaration?: boolean } | undefined {
    let call: Syntax | undefined;
    let assignTo: Syntax | undefined;
    let declaration = false;
    const u = unwrap(s);
    if (u.type === 'call_expression') call = u;
    else if (u.type === 'assignment_expression' && u.op === '=') {
      const r = child(u, 'right');
      if (r && unwrap(r).type === 'call_expression') {
        call = unwrap(r);
        assignTo = child(u, 'left');
      }
    } else if (u.type === 'init_declarator') {
      const v = child(u, 'value');
      if (v && unwrap(v).type === 'call_expression') {
        call = unwrap(v);
        assignTo = child(u, 'declarator');
        declaration = true;
      }
    }
    if (!call) return undefined;
    const callee = this.resolveCallee(call, st);
    if (!callee) return undefined;
    return { call, callee, assignTo, declaration };
  }

  /** A same-file function called directly or through a function pointer with a known target. */
  private resolveCallee(call: Syntax, st: State): FunctionSyntax | undefined {
    const fnExpr = child(call, 'function');
    if (!fnExpr) return undefined;
    const u = unwrap(fnExpr);
    let v: Value | undefined;
    if (u.type === 'identifier') v = this.read(this.keyOf(u), st);
    else if (u.type === 'pointer_expression' && u.op === '*') {
      const a = child(u, 'argument');
      v = a ? this.read(this.keyOf(a), st) : undefined;
    }
    return v?.k === 'fn' ? this.ctx.functions.get(v.name) : undefined;
  }

  /** Runs a same-file callee on the current state; undefined when it is not worth or not possible to inline. */
  /** A call on the failure path, after the test that noticed the failure, that records it where the caller reads it
   *  (`xmlSchemaVErrMemory(vctxt)`, inlined or not). */
  private noteReported(name: string, args: Syntax[], st: State): void {
    if (st.phase === 'failure' && st.noticed && this.depth === 0 && recordsFailure(name, args, this.top.fn.params)) st.reported = true;
  }

  private inlineCall(call: Syntax, callee: FunctionSyntax, st: State): Array<[State, Value | undefined]> | undefined {
    this.noteReported(callee.name, callArgs(call), st);
    if (this.depth >= MAX_INLINE_DEPTH || this.inlineActive.has(callee.name)) return undefined;
    if (!this.ctx.fitsInline(callee)) return undefined;
    const args = callArgs(call);
    const values = args.map((a) => this.ev(a, st));
    const passesTracked = !this.leaksOnly && values.some((v, i) => v?.k === 'tracked' || (v?.k === 'addr' && st.env.get(v.key)?.k === 'tracked') || (v === undefined && this.arrayHoldsTracked(args[i], st)));
    const siteInside = st.phase === 'before' && this.siteWithinCached(callee);
    let globalsTracked = false;
    let anyGlobal = false;
    for (const [k, v] of st.env) {
      if (!k.startsWith('g:')) continue;
      anyGlobal = true;
      if (v.k === 'tracked') {
        globalsTracked = true;
        break;
      }
    }
    const needsFlags = anyGlobal && this.ctx.summaryOf(callee).readsGlobals && this.mayReadOrChangeKnown(callee, st);
    if (!passesTracked && !siteInside && !globalsTracked && !needsFlags) {
      // Not inlined: the call is evaluated with the callee's summary instead.
      this.applySummary(call, callee, values, st);
      return [[st, undefined]];
    }
    // A state the callee cannot tell from one it was already entered with leaves it the same way (not when tracing:
    // the simulation wants each path).
    const memoKey = this.trace ? undefined : this.inlineKey(call, callee, values, st);
    const memo = memoKey === undefined ? undefined : this.inlineMemo.get(memoKey);
    if (memo) {
      this.ctx.onRead?.(callee, 'text');
      return memo.exits.map(([e, ret]) => [spliceExit(st, memo.entry, e), ret]);
    }
    const cfg = this.ctx.cfgOf(callee); // its text is read only when it is inlined
    const frame = this.depth + 1;
    const entry = cloneState(st);
    callee.params.forEach((p, i) => {
      const v = values[i];
      if (v) setVar(entry, `${frame}:${p}`, v);
      else deleteVar(entry, `${frame}:${p}`);
    });
    const saved = { errorPath: st.errorPath, firstJump: st.firstJump, returnNode: st.returnNode };
    this.depth = frame;
    this.callStack.push(this.currentStatement ?? call);
    this.fnStack.push(callee);
    this.inlineActive.add(callee.name);
    const exits = this.explore(cfg, [entry]);
    this.inlineActive.delete(callee.name);
    this.fnStack.pop();
    this.callStack.pop();
    this.depth = frame - 1;
    const prefix = `${frame}:`;
    const result = exits.map((e): [State, Value | undefined] => {
      const ret = e.ret;
      let frameVars: string[] | undefined;
      for (const k of e.env.keys()) if (k.startsWith(prefix)) (frameVars ??= []).push(k);
      if (frameVars) for (const k of frameVars) deleteVar(e, k);
      if (e.siteFrame === frame) e.siteFrame = frame - 1;
      e.ret = undefined;
      e.errorPath = saved.errorPath;
      e.firstJump = saved.firstJump;
      e.returnNode = saved.returnNode;
      return [e, ret];
    });
    if (memoKey !== undefined) this.inlineMemo.set(memoKey, { entry: cloneState(st), exits: result });
    return result;
  }

  /**
   * Whether a callee that is given nothing tracked can still matter to the path: it (or a same-file function it
   * calls, as deep as inlining goes) tests a global this path knows, or has remembered a test of, or assigns a
   * global. An error reporter that tests some other global (`if (xmlGenericErrorContext)`) is applied by its
   * summary instead of explored.
   */
  private mayReadOrChangeKnown(callee: FunctionSyntax, st: State): boolean {
    const { read, writes } = this.globalsTouched(callee);
    if (writes) return true;
    for (const k of st.env.keys()) {
      if (k.startsWith('g:') ? read.has(rootName(k.slice(2))) : k.charCodeAt(0) === 63 /* ? */ && k.slice(1, k.indexOf('|')).split(',').some((n) => read.has(n))) return true;
    }
    return false;
  }

  private globalsTouched(fn: FunctionSyntax): { read: ReadonlySet<string>; writes: boolean } {
    let t = this.touchedGlobals.get(fn);
    if (t) return t;
    t = { read: new Set<string>(), writes: false };
    const seen = new Set<FunctionSyntax>();
    let frontier = [fn];
    for (let depth = 0; depth <= MAX_INLINE_DEPTH && frontier.length; depth++) {
      const next: FunctionSyntax[] = [];
      for (const f of frontier) {
        if (seen.has(f)) continue;
        seen.add(f);
        const own = this.ctx.globalsOf(f);
        for (const g of own.read) t.read.add(g);
        if (own.writes) t.writes = true;
        for (const c of this.ctx.calleesOf(f)) {
          const g = this.ctx.functions.get(c);
          if (g) next.push(g);
        }
      }
      frontier = next;
    }
    this.touchedGlobals.set(fn, t);
    return t;
  }
  /** Per run (the summaries read are the run's dependencies). */
  private readonly touchedGlobals = new Map<FunctionSyntax, { read: Set<string>; writes: boolean }>();

  /**
   * What an inlined call's exploration depends on: the call and the frames around it (where its events are reported),
   * the property part of the state, the argument values, and what of the caller's environment the callee can read or
   * change — globals, remembered conditions, the holders of the tracked value, the storage behind the addresses it is
   * given. Caller states that agree on these and differ in the caller's own facts (a flag tested before the call)
   * leave the callee the same way (`spliceExit`): each state reaching a call would otherwise explore the callee anew,
   * and a callee two calls down once per pair of states.
   */
  private inlineKey(call: Syntax, callee: FunctionSyntax, values: Array<Value | undefined>, st: State): string {
    const parts: string[] = [callee.name, String(call.start), String(this.depth), this.fnStack.map((f) => f.name).join(','), this.callStack.map((c) => c.start).join(','),
      st.phase, String(st.arming), String(st.failKind), String(+st.released) + +st.escaped + +st.tested + +st.statusTested + +st.noticed + +st.crashed + +st.errorPath,
      String(st.pendingUse), String(st.siteFrame), st.undetected.join(';'), values.map(valueText).join(',')];
    const targets: string[] = [];
    for (const v of values) if (v?.k === 'addr') targets.push(v.key);
    for (const [k, v] of st.env) {
      if (k.startsWith('g:') || k.startsWith('?') || v.k === 'tracked') {
        parts.push(`${k}=${valueText(v)}`);
        if (v.k === 'addr') targets.push(v.key);
      }
    }
    if (targets.length) {
      for (const [k, v] of st.env) {
        if (targets.some((t) => k === t || k.startsWith(`${t}.`) || k.startsWith(`${t}->`) || k.startsWith(`${t}[`) || k === `*${t}`)) parts.push(`${k}=${valueText(v)}`);
      }
    }
    return parts.join('|');
  }
  /** The inlined calls explored for this site, by `inlineKey`: the state they were entered with, and their exits. */
  private readonly inlineMemo = new Map<string, { entry: State; exits: Array<[State, Value | undefined]> }>();

  /** `siteWithin(fn, 0)`, asked at every call while no site has been allocated: the answer is fixed per callee. */
  private siteWithinCached(fn: FunctionSyntax): boolean {
    let r = this.siteWithinAnswers.get(fn);
    if (r === undefined) this.siteWithinAnswers.set(fn, (r = this.siteWithin(fn, 0)));
    return r;
  }
  private readonly siteWithinAnswers = new Map<FunctionSyntax, boolean>();

  /** Whether the site lies in `fn` or in what it calls, through functions that are not large (a caller reaches a
   *  helper's allocation through small functions only: `helperSources`). */
  private siteWithin(fn: FunctionSyntax, depth: number): boolean {
    if (this.site.inFunction === fn.name) return true;
    if (depth >= MAX_INLINE_DEPTH) return false;
    const callees = this.ctx.calleesOf(fn); // with whether it is large
    if (isLargeFunction(fn)) return false;
    return callees.some((c) => {
      const g = this.ctx.functions.get(c);
      return !!g && g !== fn && this.siteWithin(g, depth + 1);
    });
  }

  /** A same-file call that is not inlined: what the callee does to its pointer arguments, from its summary. */
  private applySummary(call: Syntax, callee: FunctionSyntax, values: (Value | undefined)[], st: State): void {
    const summary = this.ctx.summaryOf(callee);
    const args = callArgs(call);
    values.forEach((v, i) => {
      if (v === undefined && this.arrayHoldsTracked(args[i], st)) this.escape(st);
      if (summary.storesParam.has(i) && this.pointsIntoTracked(v, st)) this.escape(st);
      if (v?.k !== 'tracked') return;
      if (summary.derefsParam.has(i)) this.derefUse(v, st, call);
      if (summary.releasesParam.has(i)) this.release(st);
      if (summary.storesParam.has(i)) this.escape(st);
    });
  }

  // ---------------------------------------------------------------- expressions

  /** The key of an lvalue: `0:x` for locals of frame 0, `g:x` for globals, `0:s->f`, `*0:pp`… Access paths
   *  longer than MAX_PATH steps are not tracked (a list walk `t = &(*t)->next` would grow keys forever). */
  private keyOf(e: Syntax, st?: State): string | undefined {
    if (e.type === 'identifier') return this.identifierKey(e.text ?? ''); // no access steps
    const key = this.accessPath(e, st);
    return key !== undefined && pathSteps(key) <= MAX_PATH ? key : undefined;
  }

  /** `0:x` for a local or parameter of the innermost frame (only its locals are visible), else `g:x`. Cached per
   *  frame: asked for every identifier evaluated. */
  private identifierKey(name: string): string {
    const d = this.fnStack.length - 1;
    if (d < 0) return `g:${name}`;
    const fn = this.fnStack[d];
    let frame = this.identifierKeys[d];
    if (!frame || frame.fn !== fn) this.identifierKeys[d] = frame = { fn, keys: new Map() };
    let key = frame.keys.get(name);
    if (key === undefined) frame.keys.set(name, (key = fn.locals.has(name) || fn.params.includes(name) ? `${d}:${name}` : `g:${name}`));
    return key;
  }
  private readonly identifierKeys: Array<{ fn: FunctionSyntax; keys: Map<string, string> }> = [];

  private accessPath(e: Syntax, st?: State): string | undefined {
    const u = unwrap(e);
    switch (u.type) {
      case 'identifier':
        return this.identifierKey(u.text ?? '');
      case 'field_expression': {
        const base = child(u, 'argument');
        const field = child(u, 'field');
        if (!base || !field) return undefined;
        const bk = this.keyOf(base, st);
        if (!bk) return undefined;
        // Every member of a local union is the same storage.
        const ub = unwrap(base);
        if (u.op !== '->' && ub.type === 'identifier' && this.fnStack[this.fnStack.length - 1].unionLocals.has(ub.text ?? '')) return `${bk}.<union>`;
        return `${bk}${u.op === '->' ? '->' : '.'}${field.text}`;
      }
      case 'pointer_expression': {
        if (u.op !== '*') return undefined;
        const a = child(u, 'argument');
        if (!a) return undefined;
        const ak = this.keyOf(a, st);
        if (!ak) return undefined;
        const v = st?.env.get(ak);
        if (v?.k === 'addr') return v.key;
        return `*${ak}`;
      }
      case 'subscript_expression': {
        const a = child(u, 'argument');
        const i = child(u, 'index');
        if (!a || !i) return undefined;
        const ak = this.keyOf(a, st);
        const v = ak ? st?.env.get(ak) : undefined;
        if (v?.k === 'addr') return i.text === '0' ? v.key : undefined;
        if (!ak) return undefined;
        if (/^\d+$/.test(i.text ?? '')) return `${ak}[${i.text}]`;
        // `arr[i]` by the index variable's key, until it is assigned (`arr[i] = malloc(n); if (!arr[i])`).
        const index = unwrap(i);
        if (index.type !== 'identifier') return undefined;
        const ik = this.keyOf(index);
        if (!ik) return undefined;
        this.indexKeys.add(ik);
        return `${ak}[#${ik}]`;
      }
      default:
        return undefined;
    }
  }

  /** A local variable, a member of a local struct or union, or an element of a local array (still this frame's
   *  storage). */
  private isPlainLocal(key: string): boolean {
    if (/^\d+:[A-Za-z_]\w*(\.[\w<>]+)*$/.test(key)) return true;
    const m = /^(\d+):([A-Za-z_]\w*)\[\d+\]$/.exec(key);
    return !!m && localArrays(this.fnStack[Number(m[1])]).has(m[2]);
  }

  /** `arr` of a local array `T *arr[N]` one of whose elements holds the value (the callee gets its address). */
  private arrayHoldsTracked(arg: Syntax | undefined, st: State): boolean {
    const u = arg ? unwrap(arg) : undefined;
    if (u?.type !== 'identifier') return false;
    const key = this.keyOf(u);
    const m = key ? /^(\d+):(.*)$/.exec(key) : null;
    if (!m || !localArrays(this.fnStack[Number(m[1])]).has(m[2])) return false;
    for (const [k, v] of st.env) if (v.k === 'tracked' && k.startsWith(`${key}[`)) return true;
    return false;
  }

  private read(key: string | undefined, st: State): Value | undefined {
    if (!key) return undefined;
    const v = st.env.get(key);
    if (v) return v;
    if (key.startsWith('g:')) {
      const name = key.slice(2);
      const c = this.ctx.facts.globals.get(name);
      if (c !== undefined) return { k: 'int', n: c };
      if (this.ctx.functions.has(name) || this.ctx.effects?.has(name)) return { k: 'fn', name };
    }
    return undefined;
  }

  private assign(key: string | undefined, v: Value | undefined, st: State, at?: Syntax): void {
    if (!key) {
      if (v?.k === 'tracked') this.escape(st);
      return;
    }
    const old = st.env.get(key);
    this.settleComparisons(key, st, old);
    forgetConditionsOn(lastName(key), st);
    if (this.indexKeys.has(key)) forgetElementsAt(key, st);
    const irrelevant = (v?.k === 'int' || v?.k === 'nonzero' || v?.k === 'cmp') && !this.ctx.relevant.has(lastName(key));
    if (v && !irrelevant) setVar(st, key, v);
    else deleteVar(st, key);
    // A pointer into the block stored in the block itself (`s->cur = &s->first`) keeps nothing alive.
    const interior = this.pointsIntoTracked(v, st) && !this.pointsIntoTracked({ k: 'addr', key }, st);
    // A file static nothing frees holds a leak (Juliet's flow 45) — of a plain allocation: one of the project's own
    // objects kept there is its permanent state (redis' eviction pool).
    const leakedInStatic = this.ctx.unreleasedStatics.has(key.slice(2)) && this.site.spec.profile !== 'inferred';
    if ((v?.k === 'tracked' || interior) && !this.isPlainLocal(key) && !leakedInStatic) {
      const ownedHere = v?.k === 'tracked' && st.phase === 'success' && this.ownedUntilSuccess(key, at);
      if (!ownedHere) this.escape(st);
    }
    // Whether that lost the last pointer is decided when the statement ends: the value may still be in
    // flight (`s->items[i] = g_steal_pointer(&p)`).
    if (old?.k === 'tracked' && v?.k !== 'tracked') this.overwritten = at ?? this.currentStatement;
  }
  private overwritten: Syntax | undefined;

  /**
   * `f->b` of a parameter `f` that the function itself releases somewhere (`kfree(f->b)` on its unwind ladder): it
   * owns what it stores there on its error paths (a leak when one skips the release), the caller once it succeeds.
   */
  private ownedUntilSuccess(key: string, at: Syntax | undefined): boolean {
    if (this.depth !== 0 || !at) return false;
    const m = /^0:([A-Za-z_]\w*)->/.exec(key);
    if (!m || !this.top.fn.params.includes(m[1])) return false;
    const place = at.type === 'assignment_expression' ? child(at, 'left') : at;
    const releasedAt = place ? releasedPlaces(this.top.fn, this.ctx.catalogue).get(placeText(this.top.fn, place.start, place.end)) : undefined;
    const owned = releasedAt !== undefined && releasedAt > place!.end;
    if (owned) this.callerFields.add(key);
    return owned;
  }
  /** Keys `ownedUntilSuccess` kept: a successful exit leaves them to the caller. */
  private readonly callerFields = new Set<string>();
  /** The keys of variables that index a key (`0:arr[#0:i]`): assigning one forgets those elements. */
  private readonly indexKeys = new Set<string>();

  private assignTo(lhs: Syntax, v: Value | undefined, st: State, declaration?: boolean): void {
    if (declaration) {
      const name = declaratorName(lhs);
      if (name) this.assign(`${this.depth}:${name}`, v, st, lhs);
      return;
    }
    this.evalLvalueBase(lhs, st);
    this.assign(this.keyOf(lhs, st), v, st, lhs);
  }

  /** Writing `p->f = …`, `*p = …` or `p[i] = …` needs a valid `p`. */
  private evalLvalueBase(lhs: Syntax, st: State): void {
    const u = unwrap(lhs);
    if (u.type === 'field_expression') {
      const base = child(u, 'argument');
      if (base) {
        const bv = this.ev(base, st);
        if (u.op === '->') this.derefUse(bv, st, u);
      }
    } else if (u.type === 'pointer_expression' && u.op === '*') {
      const a = child(u, 'argument');
      if (a) this.derefUse(this.ev(a, st), st, u);
    } else if (u.type === 'subscript_expression') {
      const a = child(u, 'argument');
      const i = child(u, 'index');
      if (a) this.derefUse(this.ev(a, st), st, u);
      if (i) this.ev(i, st);
    }
  }

  private checkLost(st: State, at?: Syntax): void {
    if (st.phase !== 'success' || st.released || st.escaped || !this.site.owned) return;
    if (holders(st).length > 0 || this.suppressedHere(st)) return;
    const where = this.reportSpan(at ?? this.currentStatement);
    if (where) this.outcome.lost.set(spanKey(where), where);
  }

  private ev(e: Syntax, st: State): Value | undefined {
    switch (e.type) {
      case 'number_literal': {
        const n = parseNumber(e.text ?? '');
        return n === undefined ? undefined : { k: 'int', n };
      }
      case 'null':
        return { k: 'int', n: 0 };
      case 'true':
        return { k: 'int', n: 1 };
      case 'false':
        return { k: 'int', n: 0 };
      case 'string_literal':
      case 'concatenated_string':
        return { k: 'nonzero' };
      case 'char_literal':
        return undefined;
      case 'identifier':
        return this.evIdentifier(e, st);
      case 'parenthesized_expression':
        return e.children.length ? this.ev(e.children[e.children.length - 1], st) : undefined;
      case 'cast_expression': {
        const v = child(e, 'value');
        return v ? this.ev(v, st) : undefined;
      }
      case 'sizeof_expression':
      case 'alignof_expression':
      case 'offsetof_expression':
        return undefined; // not evaluated: `sizeof(*p)` does not dereference
      case 'comma_expression': {
        const l = child(e, 'left');
        const r = child(e, 'right');
        if (l) this.ev(l, st);
        return r ? this.ev(r, st) : undefined;
      }
      case 'unary_expression':
        return this.evUnary(e, st);
      case 'pointer_expression':
        return this.evPointer(e, st);
      case 'field_expression': {
        const base = child(e, 'argument');
        if (!base) return undefined;
        const bv = this.ev(base, st);
        if (e.op === '->') this.derefUse(bv, st, e);
        return this.read(this.keyOf(e, st), st);
      }
      case 'subscript_expression': {
        const a = child(e, 'argument');
        const i = child(e, 'index');
        const av = a ? this.ev(a, st) : undefined;
        if (i) this.ev(i, st);
        this.derefUse(av, st, e);
        return this.read(this.keyOf(e, st), st);
      }
      case 'assignment_expression':
        return this.evAssignment(e, st);
      case 'update_expression': {
        const a = child(e, 'argument');
        if (!a) return undefined;
        const key = this.keyOf(a, st);
        const v = this.ev(a, st);
        if (v?.k === 'int') {
          const n = e.op === '++' ? v.n + 1 : v.n - 1;
          this.assign(key, { k: 'int', n }, st);
          return { k: 'int', n: e.text?.startsWith(e.op ?? '') ? n : v.n };
        }
        if (v?.k !== 'tracked') this.assign(key, undefined, st);
        return v?.k === 'tracked' ? v : undefined;
      }
      case 'binary_expression':
        return this.evBinary(e, st);
      case 'conditional_expression':
        return this.evConditional(e, st);
      case 'call_expression':
        return this.evCall(e, st) ?? this.declaredNonnull(e);
      case 'init_declarator': {
        const d = child(e, 'declarator');
        const v = child(e, 'value');
        const val = v ? this.ev(v, st) : undefined;
        const name = d ? declaratorName(d) : undefined;
        if (name) {
          const key = `${this.depth}:${name}`;
          this.assign(key, val, st, e);
        }
        return val;
      }
      case 'initializer_list': {
        for (const c of e.children) {
          const v = this.ev(c.type === 'initializer_pair' ? c.children[c.children.length - 1] : c, st);
          if (v?.k === 'tracked') this.escape(st);
        }
        return undefined;
      }
      case 'compound_literal_expression':
        for (const c of e.children) this.ev(c, st);
        return undefined;
      case 'identifier_list':
      case 'array_declarator':
      case 'pointer_declarator':
      case 'function_declarator':
      case 'parenthesized_declarator': {
        // A declaration without initializer: a fresh variable.
        const name = declaratorName(e);
        if (name) this.assign(`${this.depth}:${name}`, undefined, st, e);
        return undefined;
      }
      default:
        for (const c of e.children) this.ev(c, st);
        return undefined;
    }
  }

  private evIdentifier(e: Syntax, st: State): Value | undefined {
    const name = e.text ?? '';
    switch (name) {
      case 'NULL':
      case 'FALSE':
      case 'false':
        return { k: 'int', n: 0 };
      case 'TRUE':
      case 'true':
        return { k: 'int', n: 1 };
      case 'MAP_FAILED':
        return { k: 'mapfailed' };
    }
    const key = this.keyOf(e);
    const v = this.read(key, st);
    if (v) return v;
    if (/^E[A-Z0-9]{2,}$/.test(name)) return { k: 'int', n: 12 };
    // Status enums name success `…_OK` and give it 0: CURLE_OK, SQLITE_OK, REDIS_OK, Z_OK.
    if (/^[A-Z][A-Z0-9]*_OK$/.test(name)) return { k: 'int', n: 0 };
    return undefined;
  }

  private evUnary(e: Syntax, st: State): Value | undefined {
    const a = child(e, 'argument');
    if (!a) return undefined;
    const v = this.ev(a, st);
    switch (e.op) {
      case '!': {
        if (v?.k === 'failtest') return { ...v, whenTrue: !v.whenTrue };
        if (v?.k === 'alloc') return { k: 'failtest', whenTrue: v.failTest !== 'status', tookTracked: v.tookTracked };
        const t = this.truth(v, st, unwrap(a));
        return t === undefined ? undefined : { k: 'int', n: t ? 0 : 1 };
      }
      case '-':
        if (v?.k === 'int') return { k: 'int', n: -v.n };
        return { k: 'error' } as Value;
      case '+':
        return v;
      case '~':
        return v?.k === 'int' ? { k: 'int', n: ~v.n } : undefined;
      default:
        return undefined;
    }
  }

  private evPointer(e: Syntax, st: State): Value | undefined {
    const a = child(e, 'argument');
    if (!a) return undefined;
    if (e.op === '&') {
      const key = this.keyOf(a, st);
      if (unwrap(a).type !== 'identifier') this.ev(a, st);
      // `&arr[i]` stays that element when `i` changes: its key does not.
      if (!key || key.includes('[#')) return { k: 'nonzero' };
      const target = st.env.get(key);
      if (target?.k === 'fn') return target;
      return { k: 'addr', key };
    }
    const v = this.ev(a, st);
    this.derefUse(v, st, e);
    if (v?.k === 'addr') return this.read(v.key, st);
    if (v?.k === 'fn') return v;
    return this.read(this.keyOf(e, st), st);
  }

  private evAssignment(e: Syntax, st: State): Value | undefined {
    const l = child(e, 'left');
    const r = child(e, 'right');
    if (!l || !r) return undefined;
    const rv = this.ev(r, st);
    if (rv?.k === 'tracked' && !LVALUE.has(unwrap(l).type)) {
      // `u8 *p __free(kfree) = kmalloc(…)` with an unknown type name parses as `__free(kfree) = …`: error
      // recovery, not code. Nothing is concluded about this allocation on this path.
      st.crashed = true;
      this.escape(st);
      return rv;
    }
    this.evalLvalueBase(l, st);
    const key = this.keyOf(l, st);
    if (e.op === '=') {
      this.assign(key, rv, st, e);
      return rv;
    }
    const cur = this.read(key, st);
    let nv: Value | undefined;
    if (cur?.k === 'int' && rv?.k === 'int') nv = arith(e.op?.slice(0, -1) ?? '', cur.n, rv.n);
    else if (cur?.k === 'tracked' && (e.op === '+=' || e.op === '-=')) nv = cur;
    this.assign(key, nv, st, e);
    return nv;
  }

  private evBinary(e: Syntax, st: State): Value | undefined {
    const op = e.op ?? '';
    const l = child(e, 'left');
    const r = child(e, 'right');
    if (!l || !r) return undefined;
    if (op === '&&' || op === '||') {
      const lv = this.ev(l, st);
      const lt = this.truth(lv, st, unwrap(l));
      if (op === '&&' && lt === false) return { k: 'int', n: 0 };
      if (op === '||' && lt === true) return { k: 'int', n: 1 };
      const rv = this.ev(r, st);
      const rt = this.truth(rv, st, unwrap(r));
      if (lt !== undefined && rt !== undefined) return { k: 'int', n: (op === '&&' ? lt && rt : lt || rt) ? 1 : 0 };
      if (op === '||' && rt === true) return { k: 'int', n: 1 };
      if (op === '&&' && rt === false) return { k: 'int', n: 0 };
      if (lv?.k === 'failtest' && rv?.k === 'failtest' && lv.whenTrue === rv.whenTrue && (op === '||') === lv.whenTrue) return lv;
      return undefined;
    }
    const lv = this.ev(l, st);
    const rv = this.ev(r, st);
    if (op === '==' || op === '!=') {
      const eq = this.equality(lv, rv, st, e);
      if (eq === undefined) return lv === undefined ? this.deferredComparison(e, st) : undefined;
      if (typeof eq === 'object') return op === '==' ? eq : { ...eq, whenTrue: !eq.whenTrue };
      return { k: 'int', n: (op === '==') === eq ? 1 : 0 };
    }
    if (op === '<' || op === '<=' || op === '>' || op === '>=') {
      if (lv?.k === 'status' || rv?.k === 'status') {
        const kind: TestKind = this.site.spec.failure === 'nonzero-return' && (op === '<' || op === '>') ? 'status-sign' : 'status';
        this.recordTest(kind, e, st);
        const s = this.statusValue(st);
        const other = lv?.k === 'status' ? rv : lv;
        if (s === undefined || other?.k !== 'int') return undefined;
        const [a, b] = lv?.k === 'status' ? [s, other.n] : [other.n, s];
        return { k: 'int', n: compare(op, a, b) ? 1 : 0 };
      }
      if (lv?.k === 'int' && rv?.k === 'int') return { k: 'int', n: compare(op, lv.n, rv.n) ? 1 : 0 };
      // `x < 0` on a status: true means an error.
      if (rv?.k === 'int' && rv.n === 0 && (op === '<' || op === '>=')) {
        if (lv?.k === 'alloc' || lv === undefined || lv.k === 'error') return { k: 'failtest', whenTrue: op === '<' };
      }
      return undefined;
    }
    if (lv?.k === 'tracked' && rv?.k !== 'tracked' && (op === '+' || op === '-')) return lv;
    if (rv?.k === 'tracked' && op === '+') return rv;
    if (lv?.k === 'int' && rv?.k === 'int') return arith(op, lv.n, rv.n);
    return undefined;
  }

  /** `a == b`: a boolean, a failure test of another allocation, or unknown. Records tests of the tracked value. */
  private equality(lv: Value | undefined, rv: Value | undefined, st: State, e: Syntax): boolean | Extract<Value, { k: 'failtest' }> | undefined {
    const isNull = (v: Value | undefined) => v?.k === 'int' && v.n === 0;
    if (lv?.k === 'tracked' || rv?.k === 'tracked') {
      const other = lv?.k === 'tracked' ? rv : lv;
      if (isNull(other)) {
        this.recordTest('null', e, st);
        const n = this.pointerIsNull(st);
        return n;
      }
      if (other?.k === 'mapfailed') {
        this.recordTest('map-failed', e, st);
        return this.isMapFailed(st);
      }
      if (lv?.k === 'tracked' && rv?.k === 'tracked') return true;
      // A fresh allocation is no pointer that existed before it (`if (in != stdin) fclose(in)`).
      if (st.phase === 'success' && (other === undefined || other.k === 'alloc' || other.k === 'addr' || other.k === 'fn')) return false;
      return undefined;
    }
    if (lv?.k === 'status' || rv?.k === 'status') {
      const other = lv?.k === 'status' ? rv : lv;
      this.recordTest('status', e, st);
      const s = this.statusValue(st);
      if (s === undefined || other?.k !== 'int') return undefined;
      return s === other.n;
    }
    if (lv?.k === 'alloc' || rv?.k === 'alloc') {
      const a = (lv?.k === 'alloc' ? lv : rv) as Extract<Value, { k: 'alloc' }>;
      const other = lv?.k === 'alloc' ? rv : lv;
      if (a.failTest === 'null' && isNull(other)) return { k: 'failtest', whenTrue: true, tookTracked: a.tookTracked };
      if (a.failTest === 'status' && isNull(other)) return { k: 'failtest', whenTrue: false };
      if (a.failTest === 'status' && other?.k === 'int' && other.n < 0) return { k: 'failtest', whenTrue: true };
      return undefined;
    }
    if (lv?.k === 'int' && rv?.k === 'int') return lv.n === rv.n;
    if ((lv?.k === 'nonzero' && isNull(rv)) || (rv?.k === 'nonzero' && isNull(lv))) return false;
    if ((lv?.k === 'addr' || lv?.k === 'fn') && isNull(rv)) return false;
    // `ret == -1` / `rc != 0` on an unknown status.
    const l = child(e, 'left');
    const r = child(e, 'right');
    if (lv === undefined && rv?.k === 'int' && l && r) {
      const lu = unwrap(l);
      const ru = unwrap(r);
      // `f() == NULL` is a pointer that failed; `ret == 0` / `f() == 0` is a status that succeeded.
      if (ru.type === 'null' || ru.text === 'NULL') return lu.type === 'call_expression' ? { k: 'failtest', whenTrue: true } : undefined;
      const statusLike = lu.type === 'identifier' && STATUS_NAME.test(lu.text ?? '');
      if (rv.n < 0) return { k: 'failtest', whenTrue: true };
      if (rv.n === 0 && statusLike) return { k: 'failtest', whenTrue: false };
    }
    return undefined;
  }

  /** `flag = (fp == NULL)` on an unknown `fp`: a comparison decided later, when a branch teaches what fp is. */
  private deferredComparison(e: Syntax, st: State): Value | undefined {
    if (e.type !== 'binary_expression' || (e.op !== '==' && e.op !== '!=')) return undefined;
    const l = child(e, 'left');
    const r = child(e, 'right');
    if (!l || !r || unwrap(l).type !== 'identifier') return undefined;
    const key = this.keyOf(l, st);
    const n = this.constantOf(r);
    if (!key || n === undefined || st.env.has(key)) return undefined;
    return { k: 'cmp', key, eq: e.op === '==', n };
  }

  /** A variable became known (or was overwritten): comparisons that waited for it are decided, or forgotten. */
  private settleComparisons(key: string, st: State, known: Value | undefined): void {
    for (const [k, v] of st.env) {
      if (v.k !== 'cmp' || v.key !== key) continue;
      if (known?.k === 'int') setVar(st, k, { k: 'int', n: (known.n === v.n) === v.eq ? 1 : 0 });
      else if (known?.k === 'nonzero' && v.n === 0) setVar(st, k, { k: 'int', n: v.eq ? 0 : 1 });
      else deleteVar(st, k);
    }
  }

  private evConditional(e: Syntax, st: State): Value | undefined {
    const c = child(e, 'condition');
    const yes = child(e, 'consequence');
    const no = child(e, 'alternative');
    const cv = c ? this.ev(c, st) : undefined;
    const t = c ? this.truth(cv, st, unwrap(c)) : undefined;
    if (t === true) return yes ? this.ev(yes, st) : cv;
    if (t === false) return no ? this.ev(no, st) : undefined;
    const a = yes ? this.ev(yes, st) : cv;
    const b = no ? this.ev(no, st) : undefined;
    return a && b && stateValueEqual(a, b) ? a : undefined;
  }

  /** A call of a function declared `returns_nonnull` gives a value known not to be NULL. */
  private declaredNonnull(call: Syntax): Value | undefined {
    const name = calleeName(call);
    return name && this.ctx.catalogue.returnsNonnull(name) ? { k: 'nonzero' } : undefined;
  }

  private evCall(call: Syntax, st: State): Value | undefined {
    const fnExpr = child(call, 'function');
    let name = calleeName(call);
    if (fnExpr && !name) {
      const fv = this.ev(fnExpr, st);
      if (fv?.k === 'fn') name = fv.name;
    } else if (name) {
      const fv = st.env.get(this.keyOf(fnExpr!) ?? '');
      if (fv?.k === 'fn') name = fv.name;
    }
    const args = callArgs(call);
    const cat = this.ctx.catalogue;

    if (call === this.site.call && st.arming) return this.allocate(call, args, st);

    if (name && this.ctx.knowledge.transparent.has(name)) return this.evCheck('transparent', args[0], args, st, call);
    const check = name ? cat.check(name) : undefined;
    if (check && name) return this.evCheck(check.kind, args[check.arg ?? 0], args, st, call);
    if (name === 'ERR_PTR') {
      for (const a of args) this.ev(a, st);
      return { k: 'error' };
    }

    const values = args.map((a) => this.ev(a, st));
    if (!name) {
      values.forEach((v) => v?.k === 'tracked' && this.escape(st));
      return undefined;
    }
    this.noteReported(name, args, st);

    const alloc = cat.allocator(name);
    if (alloc) {
      let tookTracked = false;
      for (const i of [alloc.reallocArg, alloc.consumesArg]) {
        if (i !== undefined && values[i]?.k === 'tracked') {
          this.release(st);
          // A realloc that fails leaves the old block with its owner: the failure branch gives it back.
          tookTracked = i === alloc.reallocArg;
        }
      }
      const m = alloc.result && /^arg(\d+)$/.exec(alloc.result);
      const failTest = alloc.failure === 'err-ptr' || alloc.failure === 'err-ptr-or-null' ? 'err' : 'null';
      if (m) {
        const target = args[Number(m[1])];
        if (target) this.assign(this.outKey(target, st), { k: 'alloc', failTest: 'null' }, st, call);
        return { k: 'alloc', failTest: 'status' };
      }
      // An allocating function of the project may also keep what it is given (`createObject(type, ptr)`).
      const effects = this.ctx.effects?.get(name);
      const local = effects ? undefined : this.ctx.functions.get(name);
      if (effects) this.applyEffects(call, effects, args, values, st);
      else if (local) this.applySummary(call, local, values, st);
      return tookTracked ? { k: 'alloc', failTest, tookTracked } : { k: 'alloc', failTest };
    }

    const effects = this.ctx.effects?.get(name);
    if (effects) {
      this.applyEffects(call, effects, args, values, st);
      return undefined;
    }

    const rel = cat.releaser(name);
    if (rel) {
      const idx = rel.arg ?? 0;
      const target = args[idx];
      if (target) {
        const v = rel.byAddress ? this.read(this.outKey(target, st), st) : values[idx];
        if (v?.k === 'tracked') {
          this.release(st);
          if (rel.byAddress) this.assign(this.outKey(target, st), { k: 'int', n: 0 }, st);
        }
      }
      return undefined;
    }

    const derefs = cat.dereferencedArgs(name);
    if (derefs) for (const i of derefs) this.derefUse(values[i], st, call);
    for (const i of cat.keptArgs(name) ?? []) if (values[i]?.k === 'tracked' || this.pointsIntoTracked(values[i], st)) this.escape(st);

    // `return memcpy(p, src, n);`: these give back their destination (openssh's `xstrdup`, git's `xmemdupz`).
    const returned = cat.returnedArg(name);
    if (returned !== undefined) return values[returned];

    const constant = this.ctx.facts.functions.get(name);
    if (constant !== undefined) return { k: 'int', n: constant };

    if (name === 'g_steal_pointer' && args[0]) {
      const key = this.outKey(args[0], st);
      const v = this.read(key, st);
      this.assign(key, { k: 'int', n: 0 }, st);
      return v;
    }

    const local = this.ctx.functions.get(name);
    if (local) {
      this.applySummary(call, local, values, st);
      return undefined;
    }
    if (derefs) return undefined;
    // An unknown function: it borrows what it is given, unless its name says it takes or frees it, or it gets
    // the address of the pointer (it may free or replace it).
    values.forEach((v, i) => {
      // `&p`, or `&s` where a member of the local struct `s` holds the pointer: the callee may keep or free it.
      if (v?.k === 'addr' && (this.holdsTracked(v.key, st) || this.pointsIntoTracked(v, st))) this.escape(st);
      else if (v === undefined && this.arrayHoldsTracked(args[i], st)) this.escape(st);
      else if (v?.k === 'tracked') {
        if (RELEASES.test(name!)) this.release(st);
        // An inferred wrapper's result is one of the project's own objects: a function the run cannot see into
        // (a function pointer, a library) may be where it goes — only what the run sees can leak it.
        else if (TAKES_OWNERSHIP.test(name!) || this.site.spec.profile === 'inferred') this.escape(st);
      }
    });
    return undefined;
  }

  private holdsTracked(key: string, st: State): boolean {
    for (const [k, v] of st.env) if (v.k === 'tracked' && (k === key || k.startsWith(`${key}.`) || k.startsWith(`${key}->`) || k.startsWith(`${key}[`))) return true;
    return false;
  }

  /** A function of another file, by its inferred effects: what it does to the places its arguments reach. */
  private applyEffects(call: Syntax, effects: CalleeEffects, args: Syntax[], values: (Value | undefined)[], st: State): void {
    for (const d of effects.derefs) this.derefUse(this.placeValue(d.path, args, values, st), st, call, d);
    for (const path of effects.releases) if (this.placeValue(path, args, values, st)?.k === 'tracked') this.release(st);
    for (const path of effects.keeps) {
      if (path.endsWith('?')) {
        if (this.reaches(path, args, values, st)) this.escape(st);
        continue;
      }
      const v = this.placeValue(path, args, values, st);
      if (v?.k === 'tracked' || this.pointsIntoTracked(v, st)) this.escape(st);
    }
  }

  /** The key of the variable the current statement assigns `call`'s result to (`p = f()`, `T *p = f()`). */
  private assignedBy(call: Syntax, st: State): string | undefined {
    let key: string | undefined;
    let found = false;
    if (this.currentStatement) walk(this.currentStatement, (n) => {
      if (found) return false;
      const value = n.type === 'assignment_expression' && n.op === '=' ? child(n, 'right') : n.type === 'init_declarator' ? child(n, 'value') : undefined;
      if (!value || unwrap(value) !== call) return undefined;
      found = true;
      const target = child(n, n.type === 'init_declarator' ? 'declarator' : 'left');
      const declared = n.type === 'init_declarator' && target ? declaratorName(target) : undefined;
      key = declared ? this.identifierKey(declared) : target ? this.keyOf(target, st) : undefined;
      return false;
    });
    return key;
  }

  /** Whether an expression the evaluator could not follow carries the tracked pointer: through casts and pointer
   *  arithmetic or tag bits (`(T *)((uintptr_t)e | TAG)`), not through what it points to (`p[0] == 'x'`). */
  private carriesTracked(e: Syntax, st: State): boolean {
    const u = unwrap(e);
    switch (u.type) {
      case 'identifier':
        return this.read(this.keyOf(u), st)?.k === 'tracked';
      case 'binary_expression':
        return POINTER_ARITHMETIC.has(u.op ?? '') && u.children.some((c) => this.carriesTracked(c, st));
      case 'conditional_expression': {
        const [yes, no] = [child(u, 'consequence'), child(u, 'alternative')];
        return (!!yes && this.carriesTracked(yes, st)) || (!!no && this.carriesTracked(no, st));
      }
      default:
        return false;
    }
  }

  /** `&e->list`, `&s->a.b`: a pointer into the tracked block. A callee that keeps it keeps the block (a list or
   *  hash-map entry embedded in it, found again with `container_of`). */
  private pointsIntoTracked(v: Value | undefined, st: State): boolean {
    if (v?.k !== 'addr') return false;
    for (let key = v.key, cut = lastAccess(key); cut > 0; cut = lastAccess(key)) {
      key = key.slice(0, cut);
      if (st.env.get(key)?.k === 'tracked') return true;
    }
    return false;
  }

  /** The caller's value at a callee's place: `0` the argument, `0*` what `&x` points to, `0->f` a member of it,
   *  `0[2]` an element of an array argument, `0.f` a member of a struct argument, `g:x` a global. */
  private placeValue(path: EffectPath, args: Syntax[], values: (Value | undefined)[], st: State): Value | undefined {
    const [root, access] = splitPath(path);
    if (root.startsWith('g:')) return st.env.get(root);
    const i = Number(root);
    const v = values[i];
    if (access === '') return v;
    if (access === '*') return v?.k === 'addr' ? this.read(v.key, st) : undefined;
    if (access.startsWith('->')) return v?.k === 'addr' ? this.read(`${v.key}.${access.slice(2)}`, st) : undefined;
    if (v?.k === 'addr') return access === '[0]' ? this.read(v.key, st) : undefined;
    const key = args[i] ? this.keyOf(args[i], st) : undefined;
    return key && (access.startsWith('.') || access.startsWith('[')) ? this.read(`${key}${access}`, st) : undefined;
  }

  /** Whether the value is reachable through argument `path`'s root, other than as the argument itself. */
  private reaches(path: EffectPath, args: Syntax[], values: (Value | undefined)[], st: State): boolean {
    const i = Number(splitPath(path)[0]);
    const v = values[i];
    if (v?.k === 'addr') return this.holdsTracked(v.key, st);
    const key = v === undefined && args[i] ? this.keyOf(args[i], st) : undefined;
    return !!key && this.holdsTracked(key, st);
  }

  /** The key an out argument writes: `&p` → p; a macro's bare `p` (VIR_ALLOC(p)) → p. */
  private outKey(target: Syntax, st: State): string | undefined {
    const u = unwrap(target);
    if (u.type === 'pointer_expression' && u.op === '&') {
      const a = child(u, 'argument');
      return a ? this.keyOf(a, st) : undefined;
    }
    const v = this.read(this.keyOf(u, st), st);
    if (v?.k === 'addr') return v.key;
    return this.keyOf(u, st);
  }

  private allocate(call: Syntax, args: Syntax[], st: State): Value {
    const spec = this.site.spec;
    const values = args.map((a) => this.ev(a, st));
    // realloc kin (and freopen) consume the previous instance they are given.
    for (const i of [spec.reallocArg, spec.consumesArg]) if (i !== undefined && values[i]?.k === 'tracked') this.release(st);
    // The previous instance of this site (a loop) is lost if it was still owned and only the variable this call
    // assigns held it; held elsewhere too (`*tail = n;` a list being built), it is not followed further.
    const held = st.phase === 'success' && !st.released && !st.escaped && this.site.owned ? holders(st) : [];
    const target = held.length ? this.assignedBy(call, st) : undefined;
    if (held.length > 0 && held.every((h) => h === target) && !this.suppressedHere(st)) {
      const where = this.reportSpan(this.currentStatement);
      if (where) this.outcome.lost.set(spanKey(where), where);
    }
    if (spec.reallocArg !== undefined) {
      const old = values[spec.reallocArg];
      this.realloc = { oldMayBeLive: !(old?.k === 'int' && old.n === 0) };
    }
    for (const [k, v] of [...st.env]) if (v.k === 'tracked' || v.k === 'status') deleteVar(st, k);
    st.phase = st.arming!;
    st.arming = null;
    st.released = false;
    st.escaped = false;
    st.tested = false;
    st.statusTested = false;
    st.noticed = false;
    st.undetected = [];
    st.crashed = false;
    st.pendingUse = -1;
    st.errorPath = false;
    st.reported = false;
    st.firstJump = -1;
    st.returnNode = -1;
    st.siteFrame = this.depth;
    if (this.site.resultArg !== undefined) {
      const target = args[this.site.resultArg];
      if (target) this.assign(this.outKey(target, st), { k: 'tracked' }, st, call);
      return { k: 'status' };
    }
    return { k: 'tracked' };
  }
  /** For realloc kin: whether the old block may be a live allocation when the site runs. */
  realloc: { oldMayBeLive: boolean } | undefined;

  private evCheck(kind: string, arg: Syntax | undefined, args: Syntax[], st: State, call: Syntax): Value | undefined {
    if (!arg) return undefined;
    const v = this.ev(arg, st);
    for (const a of args) if (a !== arg) this.ev(a, st);
    switch (kind) {
      case 'transparent':
      case 'warn-true':
        return v;
      case 'is-err':
      case 'ptr-err-or-zero': {
        if (v?.k === 'tracked') {
          this.recordTest('is-err', call, st);
          const r = this.isErr(st);
          if (r === undefined) return undefined;
          return kind === 'is-err' ? { k: 'int', n: r ? 1 : 0 } : r ? { k: 'error' } : { k: 'int', n: 0 };
        }
        if (v?.k === 'error') return kind === 'is-err' ? { k: 'int', n: 1 } : v;
        return { k: 'failtest', whenTrue: true };
      }
      case 'is-err-or-null': {
        if (v?.k === 'tracked') {
          this.recordTest('is-err-or-null', call, st);
          const n = this.pointerIsNull(st);
          const r = this.isErr(st);
          if (n === true || r === true) return { k: 'int', n: 1 };
          if (n === false && r === false) return { k: 'int', n: 0 };
          return undefined;
        }
        return { k: 'failtest', whenTrue: true };
      }
      case 'ptr-err':
        return { k: 'error' };
      default:
        return undefined;
    }
  }

  /** Truthiness of a value in a condition; testing the tracked pointer or its status is a failure test. */
  private truth(v: Value | undefined, st: State, at: Syntax): boolean | undefined {
    if (!v) return undefined;
    switch (v.k) {
      case 'int':
        return v.n !== 0;
      case 'nonzero':
      case 'addr':
      case 'fn':
      case 'mapfailed':
      case 'error':
        return true;
      case 'tracked': {
        this.recordTest('null', at, st);
        const n = this.pointerIsNull(st);
        return n === undefined ? undefined : !n;
      }
      case 'cmp': {
        const known = st.env.get(v.key);
        if (known?.k === 'int') return (known.n === v.n) === v.eq;
        if (known?.k === 'nonzero' && v.n === 0) return !v.eq;
        return undefined;
      }
      case 'status': {
        this.recordTest('status', at, st);
        const s = this.statusValue(st);
        return s === undefined ? undefined : s !== 0;
      }
      default:
        return undefined;
    }
  }

  // ---------------------------------------------------------------- the property

  private pointerIsNull(st: State): boolean | undefined {
    if (st.phase === 'success') return false;
    if (st.phase !== 'failure') return undefined;
    switch (st.failKind ?? this.site.failKind) {
      case 'null': return true;
      case 'err':
      case 'mapFailed': return false;
      default: return undefined;
    }
  }

  private isMapFailed(st: State): boolean | undefined {
    if (st.phase === 'success') return false;
    if (st.phase !== 'failure') return undefined;
    const k = st.failKind ?? this.site.failKind;
    return k === 'mapFailed' ? true : k === 'null' || k === 'err' ? false : undefined;
  }

  private isErr(st: State): boolean | undefined {
    if (st.phase === 'success') return false;
    if (st.phase !== 'failure') return undefined;
    const k = st.failKind ?? this.site.failKind;
    return k === 'err' || k === 'mapFailed' ? true : k === 'null' ? false : undefined;
  }

  private statusValue(st: State): number | undefined {
    if (st.phase === 'success') return 0;
    if (st.phase !== 'failure') return undefined;
    return this.site.spec.failure === 'nonzero-return' ? 12 : -1;
  }

  private suppressedHere(st: State): boolean {
    return st.siteFrame > 0 && this.depth >= st.siteFrame;
  }

  /** Reports go to the analysed function: a place inside a callee is reported at the outermost call. */
  private reportSpan(at: Syntax | undefined): Span | undefined {
    if (this.callStack.length) return spanOf(this.callStack[0]);
    return at ? spanOf(at) : undefined;
  }

  /** `via`: the use is a call of another file's function that dereferences the value there. */
  private derefUse(v: Value | undefined, st: State, at: Syntax, via?: DerefOrigin): void {
    if (v?.k !== 'tracked' || st.phase !== 'failure' || st.crashed || this.suppressedHere(st)) return;
    const where = this.reportSpan(at)!;
    const key = spanKey(where);
    const prev = this.outcome.uses.get(key);
    if (!prev) {
      this.outcome.uses.set(key, via ? {
        at: where, inner: via.at, innerFile: via.file, innerFunction: via.chain[via.chain.length - 1], chain: via.chain, afterTest: st.tested,
      } : {
        at: where,
        inner: this.callStack.length ? spanOf(at) : undefined,
        innerFunction: this.callStack.length ? this.fnStack[this.fnStack.length - 1].name : undefined,
        afterTest: st.tested,
      });
    } else if (!st.tested) prev.afterTest = false;
    st.crashed = true;
    if (this.trace) st.crashAt = where;
    if (!st.tested) st.pendingUse = where.line * 100000 + where.col;
  }

  private recordTest(kind: TestKind, at: Syntax, st: State): void {
    if (st.phase === 'before') return;
    if (!this.suppressedHere(st)) {
      const where = this.reportSpan(at)!;
      const key = spanKey(where);
      if (!this.outcome.tests.has(key)) this.outcome.tests.set(key, { at: where, kind, statusTestedBefore: st.statusTested, inCallee: this.depth > 0 });
      if (st.phase === 'failure' && st.pendingUse >= 0) {
        for (const u of this.outcome.uses.values()) {
          if (u.at.line * 100000 + u.at.col === st.pendingUse) u.laterTest = where;
        }
      }
    }
    st.pendingUse = -1;
    if (st.phase === 'failure') {
      if (this.detects(kind, st)) {
        st.noticed = true;
        st.undetected = [];
      } else if (!st.noticed) st.undetected = [...st.undetected, spanKey(this.reportSpan(at)!)];
    }
    st.tested = true;
    if (kind === 'status' || kind === 'status-sign') st.statusTested = true;
  }

  /** Whether a test of this kind tells this failure world from the success world. */
  private detects(kind: TestKind, st: State): boolean {
    switch (kind) {
      case 'null': return this.pointerIsNull(st) === true;
      case 'is-err': return this.isErr(st) === true;
      case 'is-err-or-null': return this.pointerIsNull(st) === true || this.isErr(st) === true;
      case 'map-failed': return this.isMapFailed(st) === true;
      case 'status': return true;
      case 'status-sign': return this.site.spec.failure !== 'nonzero-return';
    }
  }

  private release(st: State): void {
    if (st.phase === 'success') st.released = true;
  }

  private escape(st: State): void {
    if (st.phase !== 'before') st.escaped = true;
  }

  // ---------------------------------------------------------------- exits

  private recordExit(st: State): void {
    if (st.phase === 'before') return;
    if (st.phase === 'failure') this.outcome.failureReturns = true;
    const fn = this.top.fn;
    const via: 'goto' | 'return' | 'end' = st.firstJump >= 0 ? 'goto' : st.returnNode >= 0 ? 'return' : 'end';
    const closing: Span = { line: fn.closeLine, col: fn.closeCol, endLine: fn.closeLine, endCol: fn.closeCol + 1 };
    const nodeSpan = (id: number) => spanOf(this.top.nodes[id].syntax ?? this.top.nodes[id].statement!);
    const exitAt = st.returnNode >= 0 ? nodeSpan(st.returnNode) : closing;
    const at = st.firstJump >= 0 ? nodeSpan(st.firstJump) : exitAt;
    const event = { at, via, exitAt, errorPath: st.errorPath, reported: st.reported, returned: st.ret };
    const live = holders(st).filter((k) => !this.top.scopeReleased.has(k.replace(/^0:/, '')));
    if (this.trace && st.phase === 'failure' && st.siteFrame === 0) {
      const nodes: number[] = [];
      for (let t = st.trail; t; t = t.prev) nodes.push(t.node);
      (this.outcome.failurePaths ??= []).push({ nodes: nodes.reverse(), exit: event, crashAt: st.crashAt, noticed: st.noticed });
    }
    if (st.phase === 'success') {
      if (!this.site.owned || st.released || st.escaped || st.siteFrame > 0) return;
      // Held in a member of a parameter the function frees on its error paths: the caller's, once it succeeds.
      if (!st.errorPath && live.some((k) => this.callerFields.has(k))) return;
      if (live.length === 0) return;
      const key = `${spanKey(at)}|${+st.errorPath}`;
      if (!this.outcome.leaks.has(key)) this.outcome.leaks.set(key, event);
    } else if (!st.noticed) {
      for (const k of st.undetected) this.outcome.undetectedTests.add(k);
      // Never tested, but stored where the caller will find it: the caller is told "success" and gets NULL.
      if (!st.tested && st.escaped && !st.crashed && st.siteFrame === 0) {
        const key = spanKey(at);
        if (!this.outcome.storedUntested.has(key)) this.outcome.storedUntested.set(key, event);
      }
    } else if (holders(st).length > 0 && st.siteFrame === 0) {
      const key = spanKey(at);
      if (!this.outcome.failureExits.has(key)) this.outcome.failureExits.set(key, event);
    }
  }
}

/** A value as text, for `inlineKey` (undefined: unknown). */
function valueText(v: Value | undefined): string {
  return v === undefined ? '?' : valueKey(v);
}

/**
 * An exit of a remembered inlined call (`entry` → `exit`) for another caller state `now` that agrees with `entry` on
 * what the callee can see: the exit's property part, and `now`'s environment with what the callee changed of
 * `entry`'s; the caller's own jump and return bookkeeping stay `now`'s.
 */
function spliceExit(now: State, entry: State, exit: State): State {
  const c = exit.clone();
  c.env = now.env;
  now.envShared = true;
  c.envShared = true;
  for (const [k, v] of exit.env) if (entry.env.get(k) !== v) setVar(c, k, v);
  for (const k of entry.env.keys()) if (!exit.env.has(k)) deleteVar(c, k);
  c.firstJump = now.firstJump;
  c.returnNode = now.returnNode;
  c.errorPath = now.errorPath;
  c.reported = now.reported;
  c.trail = now.trail;
  c.crashAt = now.crashed ? now.crashAt : exit.crashAt;
  return c;
}

const MAX_PATH = 4;
const LVALUE = new Set(['identifier', 'field_expression', 'pointer_expression', 'subscript_expression']);

function pathSteps(key: string): number {
  let n = 0;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c === 46 /* . */ || c === 42 /* * */ || c === 91 /* [ */ || (c === 62 /* > */ && key.charCodeAt(i - 1) === 45)) n++;
  }
  return n;
}

/** `?n,LIMIT|n>LIMIT` for a condition made of names, constants and operators only; undefined otherwise. */
function conditionMemoKey(cond: Syntax, fn: FunctionSyntax): string | undefined {
  const names = new Set<string>();
  let pure = true;
  walk(cond, (n) => {
    if (!pure) return false;
    if (n.type === 'call_expression' || n.type === 'assignment_expression' || n.type === 'update_expression') pure = false;
    else if ((n.type === 'identifier' || n.type === 'field_identifier') && n.text) names.add(n.text);
    return undefined;
  });
  const inFn = cond.start >= fn.start && cond.end <= fn.end;
  if (!pure || names.size === 0 || (inFn ? nonBlankLength(fn.text, cond.start - fn.start, cond.end - fn.start) : cond.end - cond.start) > 200) return undefined;
  return `?${[...names].join(',')}|${conditionText(cond)}`;
}

/** The shape of a condition, for recognising the same condition asked twice (cached: asked at every branch). */
function conditionText(n: Syntax): string {
  if (!n.children.length) return n.text ?? '';
  let t = conditionTexts.get(n);
  if (t === undefined) conditionTexts.set(n, (t = `${n.type}(${n.op ?? ''}${n.children.map(conditionText).join(',')})`));
  return t;
}
const conditionTexts = new WeakMap<Syntax, string>();

/** The names a remembered condition's key (`conditionMemoKey`) reads. */
function conditionNames(key: string): string[] {
  return key.slice(1, key.indexOf('|')).split(',');
}

/** `arr[i]` is another element once `i` changes. */
function forgetElementsAt(indexKey: string, st: State): void {
  const marker = `[#${indexKey}]`;
  for (const k of [...st.env.keys()]) if (k.includes(marker)) deleteVar(st, k);
}

/** An assignment to `name` makes remembered conditions that read it stale. */
function forgetConditionsOn(name: string, st: State): void {
  if (st.env.conditionKeys === 0) return;
  for (const k of st.env.keys()) {
    if (k.charCodeAt(0) === 63 /* ? */ && conditionNames(k).includes(name)) deleteVar(st, k);
  }
}

const POINTER_ARITHMETIC = new Set(['+', '-', '|', '&', '^']);

/** Where the last member access of a key starts (`0:e->list` → 3), or -1. */
function lastAccess(key: string): number {
  return Math.max(key.lastIndexOf('->'), key.lastIndexOf('.'));
}

/** `ctx->len` → `ctx`, `table[2]` → `table`. */
function rootName(path: string): string {
  const m = /^[A-Za-z_]\w*/.exec(path);
  return m ? m[0] : path;
}

/**
 * `st` without its facts (known integers, comparisons, function designators) about the globals that die here
 * (`live`: nothing after reads them), and its remembered conditions none of whose names the function still
 * `mentioned`; not a global whose address is held (`p = &g`: `*p` still reads it). A global the path knows makes
 * every same-file callee that assigns one be explored rather than summarised, and doubles the states after its test.
 * Locals' facts are left to widening: dropping them too changed which paths of large functions their budget
 * reaches, for no time measured on git.
 */
function withoutDeadFacts(st: State, dying: ReadonlySet<string>, mentioned: (name: string) => boolean, live: (name: string) => boolean): State {
  let out: State | undefined;
  let addressed: Set<string> | undefined;
  const addressHeld = (name: string) => {
    if (!addressed) {
      addressed = new Set();
      for (const [, a] of st.env) if (a.k === 'addr' && a.key.startsWith('g:')) addressed.add(rootName(a.key.slice(2)));
    }
    return addressed.has(name);
  };
  for (const [k, v] of st.env) {
    if (!isFact(v)) continue;
    let dead = false;
    if (k.charCodeAt(0) === 63 /* ? */) {
      // A remembered condition is asked again only as the same text: by the function itself.
      const names = conditionNames(k);
      dead = names.some((n) => dying.has(n)) && !names.some(mentioned);
    } else if (k.startsWith('g:')) {
      const name = rootName(k.slice(2));
      dead = dying.has(name) && !live(name) && !addressHeld(name);
    }
    if (dead) deleteVar((out ??= cloneState(st)), k);
  }
  return out ?? st;
}

/** `0:s->len` → `len`, `g:flag` → `flag`. */
function lastName(key: string): string {
  const m = /([A-Za-z_]\w*)(?:\[(?:\d+|#[^\]]+)\])?$/.exec(key);
  return m ? m[1] : key;
}

function parseNumber(text: string): number | undefined {
  const sign = text.startsWith('-') ? -1 : 1;
  const t = text.replace(/^[-+]\s*/, '').replace(/[uUlL]+$/, '');
  const n = parseMagnitude(t);
  return n === undefined ? undefined : sign * n;
}

function parseMagnitude(t: string): number | undefined {
  if (/^0[xX][0-9a-fA-F]+$/.test(t)) return parseInt(t, 16);
  if (/^0[0-7]*$/.test(t)) return parseInt(t, 8);
  if (/^\d+$/.test(t)) return parseInt(t, 10);
  if (/^\d*\.\d*([eE][-+]?\d+)?[fF]?$/.test(t)) return parseFloat(t);
  return undefined;
}

function arith(op: string, a: number, b: number): Value | undefined {
  switch (op) {
    case '+': return { k: 'int', n: a + b };
    case '-': return { k: 'int', n: a - b };
    case '*': return { k: 'int', n: a * b };
    case '/': return b === 0 ? undefined : { k: 'int', n: Math.trunc(a / b) };
    case '%': return b === 0 ? undefined : { k: 'int', n: a % b };
    case '&': return { k: 'int', n: a & b };
    case '|': return { k: 'int', n: a | b };
    case '^': return { k: 'int', n: a ^ b };
    case '<<': return { k: 'int', n: a << b };
    case '>>': return { k: 'int', n: a >> b };
    default: return undefined;
  }
}

function compare(op: string, a: number, b: number): boolean {
  switch (op) {
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    default: return a >= b;
  }
}

function stateValueEqual(a: Value, b: Value): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Local arrays of a function (`char *items[4]`): their elements are its own storage. */
function localArrays(fn: FunctionSyntax | undefined): Set<string> {
  if (!fn) return NO_NAMES;
  let set = arrayLocals.get(fn);
  if (!set) {
    set = new Set();
    walk(fn.body, (n) => {
      if (n.type === 'array_declarator') {
        const name = declaratorName(n);
        if (name) set!.add(name);
      }
      return n.type !== 'expression_statement';
    });
    arrayLocals.set(fn, set);
  }
  return set;
}
const arrayLocals = new WeakMap<FunctionSyntax, Set<string>>();
const NO_NAMES: Set<string> = new Set();
