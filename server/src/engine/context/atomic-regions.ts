// Kernel: where a function runs atomic — a spinlock or rwlock held, under rcu_read_lock(), with preemption,
// interrupts or bottom halves disabled. A small forward dataflow over the function's CFG: the state is what is held
// on EVERY path to a point (a lock taken and released in one branch does not leak into the other; a lock dropped in
// a branch is not held there), matched by the lock's argument. `spin_trylock()` holds on the branch where it
// succeeded. cleanup.h guards (`guard(spinlock)(&l);`, `scoped_guard(rcu) { … }`) hold to the end of their scope.
import { callArgs, calleeName, child, unwrap, walk, type Syntax } from '../parse/syntax';
import type { FunctionSyntax } from '../parse/functions';
import type { Cfg, CfgNode } from '../cfg/cfg';

/** Something held that makes the code atomic, and where it was taken. */
export interface Held {
  /** `lock:&d->lock`, `rcu`, `preempt`, `irq`, `bh`. */
  key: string;
  /** How a message says it: `while spin lock &d->lock is held`. */
  phrase: string;
  at: Syntax;
  /** The call that took it, as written (`spin_lock_irqsave(&d->lock, flags)`). */
  by: string;
}

/** A cheap test on a function's text before its CFG is built: it may enter an atomic section. */
export const MAY_ENTER_ATOMIC = /\b(?:(?:raw_)?(?:spin|read|write)_(?:try)?lock|write_seqlock|rcu_read_lock|preempt_disable|get_cpu|local_irq_(?:disable|save)|local_bh_disable|guard|scoped_guard)\w*\s*\(/;

const LOCK = /^(?:raw_)?(spin|read|write)_lock(?:_irq|_irqsave|_bh)?(?:_nested)?$|^write_(seq)lock(?:_irq|_irqsave|_bh)?$/;
const UNLOCK = /^(?:raw_)?(spin|read|write)_unlock(?:_irq|_irqrestore|_bh)?$|^write_(seq)unlock(?:_irq|_irqrestore|_bh)?$/;
const TRYLOCK = /^(?:raw_)?(spin|read|write)_trylock(?:_irq|_irqsave|_bh)?$/;
const SECTIONS: Record<string, { key: string; enter: boolean }> = {
  rcu_read_lock: { key: 'rcu', enter: true }, rcu_read_lock_bh: { key: 'rcu', enter: true }, rcu_read_lock_sched: { key: 'rcu', enter: true },
  rcu_read_unlock: { key: 'rcu', enter: false }, rcu_read_unlock_bh: { key: 'rcu', enter: false }, rcu_read_unlock_sched: { key: 'rcu', enter: false },
  preempt_disable: { key: 'preempt', enter: true }, preempt_disable_notrace: { key: 'preempt', enter: true }, get_cpu: { key: 'preempt', enter: true },
  preempt_enable: { key: 'preempt', enter: false }, preempt_enable_notrace: { key: 'preempt', enter: false },
  preempt_enable_no_resched: { key: 'preempt', enter: false }, put_cpu: { key: 'preempt', enter: false },
  local_irq_disable: { key: 'irq', enter: true }, local_irq_save: { key: 'irq', enter: true },
  local_irq_enable: { key: 'irq', enter: false }, local_irq_restore: { key: 'irq', enter: false },
  local_bh_disable: { key: 'bh', enter: true }, local_bh_enable: { key: 'bh', enter: false },
};
const SECTION_PHRASE: Record<string, string> = {
  rcu: 'inside an rcu_read_lock() section',
  preempt: 'while preemption is disabled',
  irq: 'while interrupts are disabled',
  bh: 'while bottom halves are disabled',
};
/** cleanup.h guard classes that make the scope atomic (not mutex, rwsem, srcu: those may sleep). */
const GUARD_CLASS = /^(?:(raw_)?spinlock(?:_irq|_irqsave|_bh)?(?:_nested)?|(read|write)_lock(?:_irq|_irqsave|_bh)?|rcu|preempt(?:_notrace)?|irq|irqsave)$/;
const MAX_HELD = 8;

/** What a call does to the atomic state, if anything. */
interface Effect {
  enter: boolean;
  key: string;
  phrase: string;
  lock: boolean;
}

function lockWord(family: string): string {
  return family === 'spin' ? 'spin lock' : family === 'seq' ? 'seqlock' : 'rwlock';
}

function effectOf(call: Syntax, text: (n: Syntax) => string): Effect | undefined {
  const name = calleeName(call);
  if (!name) return undefined;
  const m = LOCK.exec(name) ?? UNLOCK.exec(name);
  if (m) {
    const arg = callArgs(call)[0];
    const what = arg ? text(arg).replace(/\s+/g, '') : '?';
    return { enter: LOCK.test(name), key: `lock:${what}`, phrase: `while ${lockWord(m[1] ?? m[2])} ${what} is held`, lock: true };
  }
  const s = SECTIONS[name];
  return s ? { enter: s.enter, key: s.key, phrase: SECTION_PHRASE[s.key], lock: false } : undefined;
}

/** A trylock as a branch condition: held on its true side (`if (spin_trylock(&l))`), or false side (`if (!…)`). */
function trylockOnEdge(node: CfgNode, edge: number, text: (n: Syntax) => string): Held | undefined {
  if (node.kind !== 'branch' || !node.syntax) return undefined;
  let c = unwrap(node.syntax);
  let side = 0;
  if (c.type === 'unary_expression' && c.op === '!' && c.children[0]) {
    c = unwrap(c.children[0]);
    side = 1;
  }
  if (c.type !== 'call_expression' || side !== edge) return undefined;
  const m = TRYLOCK.exec(calleeName(c) ?? '');
  if (!m) return undefined;
  const arg = callArgs(c)[0];
  const what = arg ? text(arg).replace(/\s+/g, '') : '?';
  return { key: `lock:${what}`, phrase: `while ${lockWord(m[1])} ${what} is held`, at: c, by: spelled(c, text) };
}

function spelled(call: Syntax, text: (n: Syntax) => string): string {
  const t = text(call).replace(/\s+/g, ' ');
  return t.length > 60 ? t.slice(0, 57) + '...' : t;
}

function apply(state: Held[], call: Syntax, e: Effect, text: (n: Syntax) => string): Held[] {
  if (e.enter) return state.length >= MAX_HELD ? state : [...state, { key: e.key, phrase: e.phrase, at: call, by: spelled(call, text) }];
  let i = state.map((h) => h.key).lastIndexOf(e.key);
  // An unlock spelled differently from its lock (`&priv->lock` vs `&p->lock`) releases the latest lock.
  if (i < 0 && e.lock) i = state.map((h) => h.key.startsWith('lock:')).lastIndexOf(true);
  return i < 0 ? state : [...state.slice(0, i), ...state.slice(i + 1)];
}

/** What both states hold (`a`'s order). */
function meet(a: Held[], b: Held[]): Held[] {
  const left = b.map((h) => h.key);
  return a.filter((h) => {
    const i = left.indexOf(h.key);
    if (i < 0) return false;
    left.splice(i, 1);
    return true;
  });
}

function same(a: Held[], b: Held[]): boolean {
  return a.length === b.length && a.every((h, i) => h.key === b[i].key);
}

/** The calls of a node's syntax in evaluation order (arguments before the call). */
function callsOf(node: CfgNode): Syntax[] {
  if (!node.syntax) return [];
  const calls: Syntax[] = [];
  walk(node.syntax, (n) => {
    if (n.type === 'call_expression') calls.push(n);
  });
  return calls.sort((a, b) => a.end - b.end || b.start - a.start);
}

/** Scopes held by cleanup.h guards: `guard(class)(args);` to the end of its block, `scoped_guard(class, args) {…}`. */
function guardScopes(fn: FunctionSyntax, text: (n: Syntax) => string): Array<{ start: number; end: number; held: Held }> {
  const out: Array<{ start: number; end: number; held: Held }> = [];
  walk(fn.body, (block) => {
    if (block.type !== 'compound_statement') return;
    block.children.forEach((s, i) => {
      if (s.type !== 'expression_statement' || !s.children[0]) return;
      const call = unwrap(s.children[0]);
      if (call.type !== 'call_expression') return;
      const callee = child(call, 'function');
      let cls: Syntax | undefined;
      let lockArg: Syntax | undefined;
      let scope: { start: number; end: number } | undefined;
      if (callee?.type === 'call_expression' && calleeName(callee) === 'guard') {
        cls = callArgs(callee)[0];
        lockArg = callArgs(call)[0];
        scope = { start: s.end, end: block.end };
      } else if (calleeName(call) === 'scoped_guard' && block.children[i + 1]) {
        [cls, lockArg] = callArgs(call);
        scope = { start: block.children[i + 1].start, end: block.children[i + 1].end };
      }
      const m = cls && GUARD_CLASS.exec(text(cls));
      if (!m || !scope) return;
      const c = text(cls!);
      const what = lockArg ? text(lockArg).replace(/\s+/g, '') : '?';
      const phrase = /spinlock/.test(c) ? `while spin lock ${what} is held` : /lock/.test(c) ? `while rwlock ${what} is held`
        : c === 'rcu' ? SECTION_PHRASE.rcu : c.startsWith('preempt') ? SECTION_PHRASE.preempt : SECTION_PHRASE.irq;
      out.push({ ...scope, held: { key: `guard:${c}:${what}`, phrase, at: call, by: spelled(call, text) } });
    });
  });
  return out;
}

/**
 * The calls of `fn` made while it is atomic on every path to them, in source order, each with what is held
 * (the latest taken). Lock calls themselves are not listed.
 */
export function atomicCalls(fn: FunctionSyntax, cfg: Cfg, text: (n: Syntax) => string): Array<{ call: Syntax; held: Held }> {
  const nodes = cfg.nodes;
  const calls = new Map<number, Syntax[]>();
  const callsAt = (id: number) => {
    let c = calls.get(id);
    if (!c) calls.set(id, (c = callsOf(nodes[id])));
    return c;
  };
  const transfer = (id: number, state: Held[], record?: (call: Syntax, s: Held[]) => void): Held[] => {
    let s = state;
    for (const call of callsAt(id)) {
      const e = effectOf(call, text);
      if (e) s = apply(s, call, e, text);
      else if (record && !TRYLOCK.test(calleeName(call) ?? '')) record(call, s);
    }
    return s;
  };
  const states: Array<Held[] | undefined> = new Array(nodes.length);
  states[cfg.entry] = [];
  const queue = [cfg.entry];
  const queued = new Uint8Array(nodes.length);
  queued[cfg.entry] = 1;
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head];
    queued[id] = 0;
    const out = transfer(id, states[id]!);
    nodes[id].next.forEach((succ, edge) => {
      const taken = trylockOnEdge(nodes[id], edge, text);
      const o = taken && out.length < MAX_HELD ? [...out, taken] : out;
      const prev = states[succ];
      const merged = prev === undefined ? o : meet(prev, o);
      if (prev !== undefined && same(prev, merged)) return;
      states[succ] = merged;
      if (!queued[succ]) {
        queued[succ] = 1;
        queue.push(succ);
      }
    });
  }
  const guards = guardScopes(fn, text);
  const found = new Map<Syntax, Held>();
  nodes.forEach((_, id) => {
    const state = states[id];
    if (state === undefined) return;
    transfer(id, state, (call, s) => {
      const guard = guards.filter((g) => g.start <= call.start && call.end <= g.end).pop();
      const held = s.length ? s[s.length - 1] : guard?.held;
      if (held && !found.has(call)) found.set(call, held);
    });
  });
  return [...found].map(([call, held]) => ({ call, held })).sort((a, b) => a.call.start - b.call.start);
}
