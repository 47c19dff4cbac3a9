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

/** The identity of a state for deduplication at CFG nodes: taken once, when the state is first compared, and kept
 *  (a state is not changed once it is queued; clones start without one). The environment enters as its size and
 *  two order-independent hashes of its entries (sum and xor); a collision would merge two states, at odds of
 *  ~2^-64. Numbers rather than a string key: building and hashing a key string per step cost more than a step. */
export interface StateIdentity {
  hash: number;
  flags: number;
  pendingUse: number;
  firstJump: number;
  returnNode: number;
  siteFrame: number;
  undetected: string;
  envSize: number;
  envSum: number;
  envXor: number;
}

/**
 * The environment: variable keys to abstract values, with the order-independent hash of its entries kept up to
 * date on every write, so that a state's identity does not walk the environment.
 */
/** `g:x…` or `?…`. */
function isGlobalKey(k: string): boolean {
  const c = k.charCodeAt(0);
  return c === 63 /* ? */ || (c === 103 /* g */ && k.charCodeAt(1) === 58 /* : */);
}

export class Env {
  private readonly map: Map<string, Value>;
  sum = 0;
  xor = 0;
  /** How many of its keys are globals' (`g:…`) or remembered conditions (`?…`): only those can die (liveness.ts). */
  globalKeys = 0;
  /** How many are remembered conditions (an assignment forgets those that read the variable). */
  conditionKeys = 0;

  constructor(from?: Env) {
    if (from) {
      // Entry by entry: faster than `new Map(from.map)` for the small maps states have.
      const map = new Map<string, Value>();
      from.map.forEach((v, k) => map.set(k, v));
      this.map = map;
      this.sum = from.sum;
      this.xor = from.xor;
      this.globalKeys = from.globalKeys;
      this.conditionKeys = from.conditionKeys;
    } else this.map = new Map();
  }

  get size(): number {
    return this.map.size;
  }
  get(k: string): Value | undefined {
    return this.map.get(k);
  }
  has(k: string): boolean {
    return this.map.has(k);
  }
  set(k: string, v: Value): this {
    const old = this.map.get(k);
    if (old !== undefined) this.unmix(entryHash(k, old));
    else if (isGlobalKey(k)) {
      this.globalKeys++;
      if (k.charCodeAt(0) === 63 /* ? */) this.conditionKeys++;
    }
    this.map.set(k, v);
    this.mix(entryHash(k, v));
    return this;
  }
  delete(k: string): boolean {
    const old = this.map.get(k);
    if (old === undefined) return false;
    this.unmix(entryHash(k, old));
    if (isGlobalKey(k)) {
      this.globalKeys--;
      if (k.charCodeAt(0) === 63 /* ? */) this.conditionKeys--;
    }
    return this.map.delete(k);
  }
  keys(): IterableIterator<string> {
    return this.map.keys();
  }
  [Symbol.iterator](): IterableIterator<[string, Value]> {
    return this.map[Symbol.iterator]();
  }

  private mix(h: number): void {
    this.sum = (this.sum + (h >>> 0)) % 0x100000000;
    this.xor ^= h;
  }
  private unmix(h: number): void {
    this.sum = sumWithout(this.sum, h);
    this.xor ^= h;
  }
}

export class State {
  env: Env;
  phase: Phase = 'before';
  /** Set on the node that makes the allocation: which world the next evaluation of the site enters. */
  arming: 'success' | 'failure' | null = null;
  released = false;
  escaped = false;
  /** err-ptr-or-null allocators fail in two ways: each is a world of its own. */
  failKind: FailKind | null = null;
  /** Failure-world tests passed on this path that did not tell the failure from success (never mutated in
   *  place: states share it). */
  undetected: readonly string[] = [];
  /** The value (or its status) has been tested on this path. */
  tested = false;
  statusTested = false;
  /** On the failure path, a test that detects the failure (one that matches the convention) was passed. */
  noticed = false;
  /** A failure-path use was reported on this path: later uses are the same crash. */
  crashed = false;
  /** The failure-path use not yet followed by a test (for use-before-check). */
  pendingUse = -1;
  errorPath = false;
  /** On the failure path, after the test that noticed it, the failure was recorded where the caller reads it
   *  (`xmlXPathPErrMemory(ctxt)`): whatever the function returns after, the failure is not swallowed. */
  reported = false;
  /** First goto after the allocation, and the return taken (node ids), for finding locations. */
  firstJump = -1;
  returnNode = -1;
  /** The value returned (set by return nodes). */
  ret: Value | undefined = undefined;
  /** Depth of the inlined frame that created the site, and whether that frame is still running. */
  siteFrame = 0;
  /** Simulation only (not part of the identity): the top-level CFG nodes a failure-world path ran, newest
   *  first, and where it crashed. */
  trail: Trail | undefined = undefined;
  crashAt: Span | undefined = undefined;
  /** Cached `stateIdentity`. */
  identity: StateIdentity | undefined = undefined;
  /** The environment is shared with another state: copy it before writing (`envOf`). */
  envShared = false;

  /** `env`: given by `clone` (shared), else a new empty one. */
  constructor(env?: Env) {
    this.env = env ?? new Env();
  }

  /** A copy that shares the environment until one of the two writes to it (most steps do not). Copies every field
   *  but the identity, one by one (faster than a spread): a field added to State must be copied here too. */
  clone(): State {
    const c = new State(this.env);
    this.envShared = true;
    c.envShared = true;
    c.phase = this.phase;
    c.arming = this.arming;
    c.released = this.released;
    c.escaped = this.escaped;
    c.failKind = this.failKind;
    c.undetected = this.undetected;
    c.tested = this.tested;
    c.statusTested = this.statusTested;
    c.noticed = this.noticed;
    c.crashed = this.crashed;
    c.pendingUse = this.pendingUse;
    c.errorPath = this.errorPath;
    c.reported = this.reported;
    c.firstJump = this.firstJump;
    c.returnNode = this.returnNode;
    c.ret = this.ret;
    c.siteFrame = this.siteFrame;
    c.trail = this.trail;
    c.crashAt = this.crashAt;
    return c;
  }
}

export function initialState(): State {
  return new State();
}

export function cloneState(s: State): State {
  return s.clone();
}

/** The environment of `s`, for writing. */
export function envOf(s: State): Env {
  if (s.envShared) {
    s.env = new Env(s.env);
    s.envShared = false;
  }
  return s.env;
}

/** Writes a variable, copying a shared environment only when the value really changes. */
export function setVar(s: State, k: string, v: Value): void {
  const old = s.env.get(k);
  if (old !== undefined && sameValue(old, v)) return;
  envOf(s).set(k, v);
}

/** Forgets a variable, copying a shared environment only when it was there. */
export function deleteVar(s: State, k: string): void {
  if (s.env.has(k)) envOf(s).delete(k);
}

/** Interchangeable values (conservative: kinds whose every field is compared). */
function sameValue(a: Value, b: Value): boolean {
  if (a === b) return true;
  switch (a.k) {
    case 'int': return b.k === 'int' && a.n === b.n;
    case 'nonzero':
    case 'tracked':
    case 'status':
    case 'error':
    case 'mapfailed':
      return b.k === a.k;
    default:
      return false;
  }
}

/** A value as text: hashed for a state's identity, and part of an inlined call's key (explore.ts). */
export function valueKey(v: Value): string {
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
const intHashes = new Map<number, number>();
function valueHash(v: Value): number {
  // Integers are the most common values and usually fresh objects: cached by number, not by object.
  if (v.k === 'int') {
    let h = intHashes.get(v.n);
    if (h === undefined) {
      if (intHashes.size > 100000) intHashes.clear();
      intHashes.set(v.n, (h = hash(valueKey(v))));
    }
    return h;
  }
  let h = valueHashes.get(v);
  if (h === undefined) valueHashes.set(v, (h = hash(valueKey(v))));
  return h;
}

/** An environment's sum of entry hashes without one entry's. */
function sumWithout(sum: number, h: number): number {
  return (sum - (h >>> 0) + 0x100000000) % 0x100000000;
}

function entryHash(k: string, v: Value): number {
  return Math.imul(keyHash(k) ^ 0x9e3779b9, 0x85ebca6b) ^ valueHash(v);
}

/** 32-bit FNV-1a of a string. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const PHASES: Record<Phase, number> = { before: 0, success: 1, failure: 2 };
const FAIL_KINDS: Record<FailKind, number> = { null: 1, err: 2, errOrNull: 3, mapFailed: 4, garbage: 5 };

/** The identity of `s` (see StateIdentity), taken on first use. */
export function stateIdentity(s: State): StateIdentity {
  if (s.identity !== undefined) return s.identity;
  return (s.identity = identityWith(s, s.env.size, s.env.sum, s.env.xor));
}

/** The identity of `s` with an environment of that size and those hashes. */
function identityWith(s: State, envSize: number, envSum: number, envXor: number): StateIdentity {
  const flags = PHASES[s.phase] | (s.arming === null ? 0 : s.arming === 'success' ? 4 : 8) | ((s.failKind === null ? 0 : FAIL_KINDS[s.failKind]) << 4)
    | (+s.released << 8) | (+s.escaped << 9) | (+s.tested << 10) | (+s.statusTested << 11) | (+s.noticed << 12) | (+s.crashed << 13) | (+s.errorPath << 14) | (+s.reported << 15);
  const undetected = s.undetected.length === 0 ? '' : s.undetected.join(';');
  let h = Math.imul(flags ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ s.pendingUse, 0x01000193);
  h = Math.imul(h ^ s.firstJump, 0x01000193);
  h = Math.imul(h ^ s.returnNode, 0x01000193);
  h = Math.imul(h ^ s.siteFrame, 0x01000193);
  h = Math.imul(h ^ envSize, 0x01000193);
  h = Math.imul(h ^ envSum, 0x01000193);
  h = Math.imul(h ^ envXor, 0x01000193);
  if (undetected) h = Math.imul(h ^ hash(undetected), 0x01000193);
  return {
    hash: h >>> 0, flags, pendingUse: s.pendingUse, firstJump: s.firstJump, returnNode: s.returnNode, siteFrame: s.siteFrame, undetected,
    envSize, envSum, envXor,
  };
}

function sameIdentity(a: StateIdentity, b: StateIdentity): boolean {
  return a.hash === b.hash && a.flags === b.flags && a.envSum === b.envSum && a.envXor === b.envXor && a.envSize === b.envSize
    && a.pendingUse === b.pendingUse && a.firstJump === b.firstJump && a.returnNode === b.returnNode && a.siteFrame === b.siteFrame
    && a.undetected === b.undetected;
}

/** The distinct states (by identity) seen at one CFG node. */
export class StateSet {
  private readonly buckets = new Map<number, StateIdentity | StateIdentity[]>();
  size = 0;

  has(id: StateIdentity): boolean {
    const b = this.buckets.get(id.hash);
    if (b === undefined) return false;
    if (!Array.isArray(b)) return sameIdentity(b, id);
    for (const x of b) if (sameIdentity(x, id)) return true;
    return false;
  }

  /** Adds an identity that `has` said is new. */
  add(id: StateIdentity): void {
    const b = this.buckets.get(id.hash);
    if (b === undefined) this.buckets.set(id.hash, id);
    else if (Array.isArray(b)) b.push(id);
    else this.buckets.set(id.hash, [b, id]);
    this.size++;
  }
}

/** The facts a node widens: known integers and deferred comparisons (they decide branches), and function
 *  designators (a call through the pointer goes to that function). A run of `if (old->cb) new->cb = cbSplit;` would
 *  otherwise keep a state per combination of the functions stored. */
export function isFact(v: Value): boolean {
  return v.k === 'int' || v.k === 'nonzero' || v.k === 'cmp' || v.k === 'fn';
}

/** The property part of a state: states that differ only in facts are the same ESP "property state". */
function propertyCode(s: State): number {
  return PHASES[s.phase] | (s.arming === null ? 0 : s.arming === 'success' ? 4 : 8) | ((s.failKind === null ? 0 : FAIL_KINDS[s.failKind]) << 4)
    | (+s.released << 8) | (+s.escaped << 9) | (+s.noticed << 10) | (+s.crashed << 11) | (+s.reported << 12);
}

/** Two facts are the same (what comparing their `valueKey`s says, without building the strings). */
function sameFact(a: Value, b: Value): boolean {
  switch (a.k) {
    case 'int': return b.k === 'int' && (a.n === b.n || (a.n !== a.n && b.n !== b.n));
    case 'cmp': return b.k === 'cmp' && a.key === b.key && a.eq === b.eq && (a.n === b.n || (a.n !== a.n && b.n !== b.n));
    case 'fn': return b.k === 'fn' && a.name === b.name;
    default: return a.k === b.k;
  }
}

/**
 * Facts every state seen at a node (with the same property) agreed on. When a node has seen too many states
 * (a loop counting up), a new state keeps only the agreed facts: `i` is forgotten, a flag set before the loop
 * is not. Most nodes never see enough states to widen, so the states are only kept until the first `widen`
 * needs their agreement (they are not changed once queued).
 */
export class FactAgreement {
  private agreed: Map<number, Map<string, Value>> | undefined;
  /** The property codes and environments of the states seen so far (not the states: fewer objects stay alive
   *  through the exploration, and each one that does costs every young-generation collection a copy). */
  private pendingCodes: number[] | undefined = [];
  private pendingEnvs: Env[] = [];

  observe(s: State): void {
    if (this.pendingCodes) {
      this.pendingCodes.push(propertyCode(s));
      this.pendingEnvs.push(s.env);
    } else this.observeNow(this.agreed!, propertyCode(s), s.env);
  }

  private observeNow(agreed: Map<number, Map<string, Value>>, pk: number, env: Env): void {
    const prev = agreed.get(pk);
    if (!prev) {
      const facts = new Map<string, Value>();
      for (const [k, v] of env) if (isFact(v)) facts.set(k, v);
      agreed.set(pk, facts);
      return;
    }
    for (const [k, v] of prev) {
      const cur = env.get(k);
      if (!cur || !sameFact(cur, v)) prev.delete(k);
    }
  }

  /** `s` with only the agreed facts, or undefined when `seen` has that state already (most widened states are: the
   *  environment is then not copied). */
  widen(s: State, seen: StateSet): State | undefined {
    if (this.pendingCodes) {
      const agreed = new Map<number, Map<string, Value>>();
      for (let i = 0; i < this.pendingCodes.length; i++) this.observeNow(agreed, this.pendingCodes[i], this.pendingEnvs[i]);
      this.agreed = agreed;
      this.pendingCodes = undefined;
      this.pendingEnvs = [];
    }
    const agreed = this.agreed!.get(propertyCode(s));
    if (!agreed) return s; // the first state of its kind here: nothing to disagree with yet
    let dropped: string[] | undefined;
    let sum = s.env.sum;
    let xor = s.env.xor;
    for (const [k, v] of s.env) {
      if (!isFact(v)) continue;
      const a = agreed.get(k);
      if (a && sameFact(a, v)) continue;
      (dropped ??= []).push(k);
      const h = entryHash(k, v);
      sum = sumWithout(sum, h);
      xor ^= h;
    }
    if (!dropped) return s;
    const identity = identityWith(s, s.env.size - dropped.length, sum, xor);
    if (seen.has(identity)) return undefined;
    const w = cloneState(s);
    for (const k of dropped) deleteVar(w, k);
    w.identity = identity;
    return w;
  }
}

export function holders(s: State): string[] {
  const out: string[] = [];
  for (const [k, v] of s.env) if (v.k === 'tracked') out.push(k);
  return out;
}

