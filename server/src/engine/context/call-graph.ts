// The call graph of a run: every file's call-graph facts (in file order), and which functions reach an allocation
// (any, or one that may sleep) by which chain of calls. Names resolve as the linker would: the calling file's own
// definition first, then a non-static one of any file, then a static one defined in a header (static inline).
// Calls through function pointers and of functions defined nowhere in the run are not followed.
import { createHash } from 'node:crypto';
import type { AllocFact, CallFact, CallGraphFacts, ContextFact, ContextKind, FunctionFact, GfpArg } from './call-graph-facts';

export interface Definition {
  id: number;
  file: string;
  fn: FunctionFact;
}

/** `any`: every catalogue allocation counts; `sleeps`: only kernel allocations that may sleep. */
export type Reach = 'any' | 'sleeps';

/** `from` calls `to` at `call` (a position in `from.file`). */
export interface ChainHop {
  from: Definition;
  call: CallFact;
  to: Definition;
}

/** The calls down to an allocation made by `holder`. `mask`: the sleeping gfp mask a caller passed down to an
 *  allocation whose mask is a parameter. */
export interface Chain {
  hops: ChainHop[];
  holder: Definition;
  alloc: AllocFact;
  mask?: string;
}

/** A function in a context, with every reason it is in one (its marks, globs, registrations). */
export interface ContextEntry {
  def: Definition;
  contexts: Array<{ context: ContextFact; file: string }>;
}

/** How a function reaches an allocation: directly (`alloc`), or by a call (`next`) to a function that does. When both
 *  are set, the call passes a sleeping mask to an allocation of `next.to` that takes its mask from a parameter. */
interface Step {
  dist: number;
  next?: { call: CallFact; to: Definition };
  alloc?: AllocFact;
  mask?: string;
}

interface Index {
  defs: Definition[];
  local: Map<string, Definition[]>; // `${file}\0${name}`
  global: Map<string, Definition[]>;
  headerStatic: Map<string, Definition[]>;
  /** Who calls each definition (by id), in file order. */
  callers?: Array<Array<{ from: Definition; call: CallFact }>>;
  contexts?: Map<string, ContextEntry[]>;
}

const HEADER = /\.(h|hh|hpp|hxx|inc)$/i;

export class CallGraph {
  private index?: Index;
  private readonly steps = new Map<Reach, Array<Step | undefined>>();
  private digest?: string;

  constructor(readonly files: readonly CallGraphFacts[]) {}

  /** The graph with `facts` in place of its file's entry (an open document's unsaved text), or the same graph. */
  withFile(facts: CallGraphFacts): CallGraph {
    const i = this.files.findIndex((f) => f.file === facts.file);
    if (i >= 0 && this.files[i].digest === facts.digest) return this;
    return new CallGraph(i >= 0 ? this.files.map((f, j) => (j === i ? facts : f)) : [...this.files, facts]);
  }

  /** A hash of the whole graph: analyses that read it are cached on it. */
  get hash(): string {
    this.digest ??= createHash('sha1').update(this.files.map((f) => f.digest).join()).digest('base64');
    return this.digest;
  }

  /** What the context findings of `file` read from the graph: its contexts, and for each function it calls, the
   *  chains from there to an allocation and the allocations that take the caller's mask. A cached analysis of the
   *  file stays valid while this does not change (other files' edits that leave its chains alone do not). */
  digestFor(file: string): string {
    const own = this.files.find((f) => f.file === file);
    const callees = new Set((own?.functions ?? []).flatMap((fn) => fn.calls.map((c) => c.callee)));
    const chain = (c: Chain | undefined) => c && [c.hops.map((h) => [h.from.file, h.from.fn.name, h.call.at, h.to.fn.name]), c.holder.file, c.holder.fn.name, c.alloc, c.mask];
    const reached = [...callees].sort().map((name) => {
      const t = this.resolve(file, name)[0];
      return [name, chain(this.reachFromCall(file, name, 'any')), chain(this.reachFromCall(file, name, 'sleeps')), t && t.file !== file ? t.fn.allocs.filter((a) => a.gfpParam !== undefined) : undefined];
    });
    const contexts = this.contextsIn(file).map((e) => [e.def.fn.name, e.contexts]);
    return createHash('sha1').update(JSON.stringify([contexts, reached])).digest('base64');
  }

  /** The definitions a call of `name` from `file` may reach. */
  resolve(file: string, name: string): Definition[] {
    const ix = this.build();
    return ix.local.get(`${file}\0${name}`) ?? ix.global.get(name) ?? ix.headerStatic.get(name) ?? [];
  }

  /** The functions defined in `file` that are in a context (marked, configured, registered anywhere in the run). */
  contextsIn(file: string): ContextEntry[] {
    const ix = this.build();
    if (!ix.contexts) {
      const byDef = new Map<Definition, ContextEntry>();
      for (const f of this.files) {
        for (const context of [...f.contexts, ...this.registeredThrough(f)]) {
          // Marks and globs name the file's own definitions; a registration names whatever the call would reach.
          const own = context.kind === 'marked' || context.kind === 'configured';
          const targets = own ? ix.local.get(`${f.file}\0${context.name}`) ?? [] : this.resolve(f.file, context.name);
          for (const def of targets) {
            let e = byDef.get(def);
            if (!e) byDef.set(def, (e = { def, contexts: [] }));
            e.contexts.push({ context, file: f.file });
          }
        }
      }
      ix.contexts = new Map();
      for (const e of [...byDef.values()].sort((a, b) => a.def.id - b.def.id)) {
        let list = ix.contexts.get(e.def.file);
        if (!list) ix.contexts.set(e.def.file, (list = []));
        list.push(e);
      }
    }
    return ix.contexts.get(file) ?? [];
  }

  /** How a call of `callee` from `file` reaches an allocation, if it does; `gfpArgs`: the sleeping masks it passes. */
  reachFromCall(file: string, callee: string, reach: Reach, gfpArgs?: GfpArg[]): Chain | undefined {
    const targets = this.resolve(file, callee);
    for (const t of targets) {
      const c = this.chainFrom(t, reach);
      if (c) return c;
    }
    if (reach === 'sleeps' && gfpArgs) {
      for (const t of targets) {
        const passed = passedMask(t, gfpArgs);
        if (passed) return { hops: [], holder: t, alloc: passed.alloc, mask: passed.mask };
      }
    }
    return undefined;
  }

  /** The shortest chain from `def` down to an allocation of the kind, if there is one. */
  chainFrom(def: Definition, reach: Reach): Chain | undefined {
    const steps = this.stepsFor(reach);
    let s = steps[def.id];
    if (!s) return undefined;
    const hops: ChainHop[] = [];
    let at = def;
    for (;;) {
      if (!s.next) return { hops, holder: at, alloc: s.alloc!, mask: s.mask };
      hops.push({ from: at, call: s.next.call, to: s.next.to });
      if (s.alloc) return { hops, holder: s.next.to, alloc: s.alloc, mask: s.mask };
      at = s.next.to;
      s = steps[at.id]!;
    }
  }

  /** Handlers `f` installs through the run's own registration functions (a function that passes its parameter to
   *  `signal()`, or to another such function: git's `sigchain_push_common` → `sigchain_push` → `signal`). */
  private registeredThrough(f: CallGraphFacts): ContextFact[] {
    if (!f.passes) return [];
    const registrars = this.registrars();
    const out: ContextFact[] = [];
    for (const pass of f.passes) {
      if (!pass.name) continue;
      for (const t of this.resolve(f.file, pass.callee)) {
        const kind = registrars.get(t)?.get(pass.arg);
        if (kind) {
          out.push({ name: pass.name, kind, at: pass.at, via: pass.callee });
          break;
        }
      }
    }
    return out;
  }

  private registrarCache?: Map<Definition, Map<number, ContextKind>>;
  private registrars(): Map<Definition, Map<number, ContextKind>> {
    if (this.registrarCache) return this.registrarCache;
    const ix = this.build();
    const out = new Map<Definition, Map<number, ContextKind>>();
    for (const d of ix.defs) if (d.fn.registers) out.set(d, new Map(d.fn.registers.map((r) => [r.param, r.kind])));
    // Forwarding, to a fixpoint (a few rounds: registration wrappers are shallow).
    for (let round = 0, changed = out.size > 0; changed && round < 6; round++) {
      changed = false;
      for (const f of this.files) {
        for (const pass of f.passes ?? []) {
          if (pass.from === undefined || pass.param === undefined) continue;
          const kind = this.resolve(f.file, pass.callee).map((t) => out.get(t)?.get(pass.arg)).find((k) => k !== undefined);
          if (!kind) continue;
          for (const from of ix.local.get(`${f.file}\0${pass.from}`) ?? []) {
            let m = out.get(from);
            if (!m) out.set(from, (m = new Map()));
            if (!m.has(pass.param)) {
              m.set(pass.param, kind);
              changed = true;
            }
          }
        }
      }
    }
    return (this.registrarCache = out);
  }

  private build(): Index {
    if (this.index) return this.index;
    const ix: Index = { defs: [], local: new Map(), global: new Map(), headerStatic: new Map() };
    const add = (map: Map<string, Definition[]>, key: string, d: Definition) => {
      const list = map.get(key);
      if (list) list.push(d);
      else map.set(key, [d]);
    };
    for (const f of this.files) {
      for (const fn of f.functions) {
        const d: Definition = { id: ix.defs.length, file: f.file, fn };
        ix.defs.push(d);
        add(ix.local, `${f.file}\0${fn.name}`, d);
        if (!fn.isStatic) add(ix.global, fn.name, d);
        else if (HEADER.test(f.file)) add(ix.headerStatic, fn.name, d);
      }
    }
    return (this.index = ix);
  }

  private callers(): Array<Array<{ from: Definition; call: CallFact }>> {
    const ix = this.build();
    if (!ix.callers) {
      const callers: Array<Array<{ from: Definition; call: CallFact }>> = ix.defs.map(() => []);
      for (const d of ix.defs) {
        for (const call of d.fn.calls) for (const t of this.resolve(d.file, call.callee)) if (t !== d) callers[t.id].push({ from: d, call });
      }
      ix.callers = callers;
    }
    return ix.callers;
  }

  /** Breadth-first from the allocating functions over the callers: every function's shortest way to an allocation
   *  (ties go to the earlier file, function and call, so the chains do not depend on how the run was split). */
  private stepsFor(reach: Reach): Array<Step | undefined> {
    let steps = this.steps.get(reach);
    if (steps) return steps;
    const ix = this.build();
    const callers = this.callers();
    steps = new Array<Step | undefined>(ix.defs.length);
    const levels: Definition[][] = [[], []];
    for (const d of ix.defs) {
      const alloc = reach === 'any' ? d.fn.allocs[0] : d.fn.allocs.find((a) => a.sleeps === 'yes');
      if (alloc) {
        steps[d.id] = { dist: 0, alloc };
        levels[0].push(d);
      }
    }
    if (reach === 'sleeps') {
      // A call that passes GFP_KERNEL to a function allocating with that parameter as its mask.
      for (const d of ix.defs) {
        if (steps[d.id]) continue;
        for (const call of d.fn.calls) {
          if (!call.gfpArgs) continue;
          const to = this.resolve(d.file, call.callee).find((t) => passedMask(t, call.gfpArgs!));
          if (!to) continue;
          const passed = passedMask(to, call.gfpArgs)!;
          steps[d.id] = { dist: 1, next: { call, to }, alloc: passed.alloc, mask: passed.mask };
          levels[1].push(d);
          break;
        }
      }
    }
    for (let dist = 0; dist < levels.length; dist++) {
      for (const d of levels[dist]) {
        for (const { from, call } of callers[d.id]) {
          if (steps[from.id]) continue;
          steps[from.id] = { dist: dist + 1, next: { call, to: d } };
          (levels[dist + 1] ??= []).push(from);
        }
      }
    }
    this.steps.set(reach, steps);
    return steps;
  }
}

/** The allocation of `def` whose mask is a parameter that one of `gfpArgs` fills with a sleeping mask. */
function passedMask(def: Definition, gfpArgs: GfpArg[]): { alloc: AllocFact; mask: string } | undefined {
  for (const alloc of def.fn.allocs) {
    if (alloc.gfpParam === undefined) continue;
    const arg = gfpArgs.find((g) => g.arg === alloc.gfpParam);
    if (arg) return { alloc, mask: arg.mask };
  }
  return undefined;
}
