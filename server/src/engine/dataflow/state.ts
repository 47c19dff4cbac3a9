// The abstract state of one path, ESP-style: the tracked allocation's property state plus the facts that decide
// branches (known integer values, aliases, other allocations' results). Copied on write.
import type { FailKind } from './site';
import type { Span } from './outcome';

/** A path as a shared linked list (clones share their past). */
export interface Trail {
  node: number;
  prev: Trail | undefined;
}

/** Abstract values. Anything not listed is unknown (absent from the environment). */
export type Value =
  | { k: 'int'; n: number } // a known integer (NULL is 0)
  | { k: 'nonzero' }
  | { k: 'tracked' } // the pointer of the allocation under study
  | { k: 'status' } // the status returned by the tracked out-argument allocator
  | { k: 'alloc'; failTest: 'null' | 'err' | 'status'; tookTracked?: boolean } // another allocation's result; tookTracked: a realloc given the tracked block
  | { k: 'failtest'; whenTrue: boolean; tookTracked?: boolean } // holds exactly when something failed (or did not)
  | { k: 'error' } // a known error value: ERR_PTR(…), PTR_ERR(…), -EXXX
  | { k: 'mapfailed' } // MAP_FAILED
  | { k: 'addr'; key: string } // &var
  | { k: 'fn'; name: string } // a function designator
  | { k: 'cmp'; key: string; eq: boolean; n: number }; // `key == n` (eq) or `key != n`, decided once key is known

export type Phase = 'before' | 'success' | 'failure';

export interface State {
  env: Map<string, Value>;
  phase: Phase;
  /** Set on the node that makes the allocation: which world the next evaluation of the site enters. */
  arming: 'success' | 'failure' | null;
  released: boolean;
  escaped: boolean;
  /** err-ptr-or-null allocators fail in two ways: each is a world of its own. */
  failKind: FailKind | null;
  /** Failure-world tests passed on this path that did not tell the failure from success. */
  undetected: string[];
  /** The value (or its status) has been tested on this path. */
  tested: boolean;
  statusTested: boolean;
  /** On the failure path, a test that detects the failure (one that matches the convention) was passed. */
  noticed: boolean;
  /** A failure-path use was reported on this path: later uses are the same crash. */
  crashed: boolean;
  /** The failure-path use not yet followed by a test (for use-before-check). */
  pendingUse: number;
  errorPath: boolean;
  /** First goto after the allocation, and the return taken (node ids), for finding locations. */
  firstJump: number;
  returnNode: number;
  /** The value returned (set by return nodes). */
  ret: Value | undefined;
  /** Depth of the inlined frame that created the site, and whether that frame is still running. */
  siteFrame: number;
  /** Simulation only (not part of the key): the top-level CFG nodes a failure-world path ran, newest first,
   *  and where it crashed. */
  trail?: Trail;
  crashAt?: Span;
  /** Cached `stateKey` (a state is not changed once it is queued; clones start without one). */
  key?: string;
  /** The environment is shared with another state: copy it before writing (`envOf`). */
  envShared?: boolean;
}

export function initialState(): State {
  return {
    env: new Map(), phase: 'before', arming: null, failKind: null, undetected: [], released: false, escaped: false, tested: false,
    statusTested: false, noticed: false, crashed: false, pendingUse: -1, errorPath: false, firstJump: -1, returnNode: -1, ret: undefined,
    siteFrame: 0,
  };
}

export function cloneState(s: State): State {
  // Copy on write: most steps do not change the environment, so the clone shares it until one does.
  s.envShared = true;
  return { ...s, undetected: s.undetected.slice(), key: undefined, envShared: true };
}

/** The environment of `s`, for writing. */
export function envOf(s: State): Map<string, Value> {
  if (s.envShared) {
    s.env = new Map(s.env);
    s.envShared = false;
  }
  return s.env;
}

function valueKey(v: Value): string {
  switch (v.k) {
    case 'int': return `i${v.n}`;
    case 'addr': return `&${v.key}`;
    case 'fn': return `f${v.name}`;
    case 'alloc': return `a${v.failTest}${v.tookTracked ? 'r' : ''}`;
    case 'failtest': return `t${v.whenTrue ? 1 : 0}${v.tookTracked ? 'r' : ''}`;
    case 'cmp': return `c${v.key}${v.eq ? '==' : '!='}${v.n}`;
    default: return v.k;
  }
}

// Hashes of environment keys (a bounded set of names per run) and of values (immutable, shared between clones).
const keyHashes = new Map<string, number>();
function keyHash(k: string): number {
  let h = keyHashes.get(k);
  if (h === undefined) {
    if (keyHashes.size > 100000) keyHashes.clear();
    keyHashes.set(k, (h = hash(k)));
  }
  return h;
}
const valueHashes = new WeakMap<Value, number>();
function valueHash(v: Value): number {
  let h = valueHashes.get(v);
  if (h === undefined) valueHashes.set(v, (h = hash(valueKey(v))));
  return h;
}

/** Identity of a state for deduplication at CFG nodes. */
/** 32-bit FNV-1a of a string. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Identity of a state for deduplication at CFG nodes. The environment enters as two order-independent hashes
 *  of its entries (sum and xor), so no sort is needed; a collision would merge two states, at odds of ~2^-64. */
export function stateKey(s: State): string {
  if (s.key !== undefined) return s.key;
  let sum = 0;
  let xor = 0;
  for (const [k, v] of s.env) {
    const h = Math.imul(keyHash(k) ^ 0x9e3779b9, 0x85ebca6b) ^ valueHash(v);
    sum = (sum + (h >>> 0)) % 0x100000000;
    xor ^= h;
  }
  const env = `${s.env.size}:${sum.toString(36)}:${(xor >>> 0).toString(36)}`;
  return (s.key = `${s.phase}${s.arming ?? ''}|${+s.released}${+s.escaped}${+s.tested}${+s.statusTested}${+s.noticed}${+s.crashed}${+s.errorPath}|${s.pendingUse}|${s.firstJump}|${s.returnNode}|${s.siteFrame}|${s.failKind ?? ''}|${s.undetected.join(';')}|${env}`);
}

/** The facts that decide branches: known integers and deferred comparisons. */
function isFact(v: Value): boolean {
  return v.k === 'int' || v.k === 'nonzero' || v.k === 'cmp';
}

/** The property part of a state: states that differ only in facts are the same ESP "property state". */
export function propertyKey(s: State): string {
  return `${s.phase}${s.arming ?? ''}${s.failKind ?? ''}${+s.released}${+s.escaped}${+s.noticed}${+s.crashed}`;
}

/**
 * Facts every state seen at a node (with the same property) agreed on. When a node has seen too many states
 * (a loop counting up), a new state keeps only the agreed facts: `i` is forgotten, a flag set before the loop
 * is not.
 */
export class FactAgreement {
  private readonly agreed = new Map<string, Map<string, string>>();

  observe(s: State): void {
    const pk = propertyKey(s);
    const prev = this.agreed.get(pk);
    if (!prev) {
      const facts = new Map<string, string>();
      for (const [k, v] of s.env) if (isFact(v)) facts.set(k, valueKey(v));
      this.agreed.set(pk, facts);
      return;
    }
    for (const [k, v] of prev) {
      const cur = s.env.get(k);
      if (!cur || valueKey(cur) !== v) prev.delete(k);
    }
  }

  widen(s: State): State {
    const agreed = this.agreed.get(propertyKey(s));
    if (!agreed) return s; // the first state of its kind here: nothing to disagree with yet
    const w = cloneState(s);
    for (const [k, v] of w.env) if (isFact(v) && agreed.get(k) !== valueKey(v)) envOf(w).delete(k);
    return w;
  }
}

export function holders(s: State): string[] {
  const out: string[] = [];
  for (const [k, v] of s.env) if (v.k === 'tracked') out.push(k);
  return out;
}

