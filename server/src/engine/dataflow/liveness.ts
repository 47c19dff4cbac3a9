// Which names a function may still read after each node of its CFG (ESP keeps a fact only while some branch may
// still be decided by it): what the node or a node after it mentions, and the functions called there. A fact about a
// name nothing later mentions, and no same-file function called later reads in a condition, cannot decide anything;
// the states that differ only in it are the same from there on (libxml2's `if (globalHandlers != NULL)`, tested
// once, doubled every path after it: explore.ts `withoutDeadFacts`).
import { calleeName, walk, type Syntax } from '../parse/syntax';
import type { Cfg, CfgNode } from '../cfg/cfg';

export interface Liveness {
  /** Per node: the names that die on entering it (mentioned before some edge into it, not at or after it). */
  dying: Array<ReadonlySet<string> | undefined>;
  /** Whether the node or one after it mentions `name`. */
  liveAt(node: number, name: string): boolean;
  /** The functions called at the node or after it (what they read is asked only for a fact about to die). */
  callsAfter(node: number): string[];
}

/** The names each node mentions (identifiers and field names) and the functions it calls; per CFG. */
interface NodeMentions {
  names: string[];
  calls: string[];
}

function nodeMentions(n: CfgNode): NodeMentions {
  const names = new Set<string>();
  const calls = new Set<string>();
  const add = (s: Syntax | undefined | null) => {
    if (!s) return;
    walk(s, (x) => {
      if ((x.type === 'identifier' || x.type === 'field_identifier') && x.text) names.add(x.text);
      else if (x.type === 'call_expression') {
        const c = calleeName(x);
        if (c) calls.add(c);
      }
    });
  };
  add(n.syntax);
  if (n.returnValue && typeof n.returnValue !== 'string') add(n.returnValue);
  for (const c of n.cases ?? []) add(c);
  return { names: [...names], calls: [...calls] };
}

const livenessByCfg = new WeakMap<Cfg, Liveness>();

/** What each node of `cfg` and the nodes after it mention and call (per CFG: it reads nothing else). */
export function liveness(cfg: Cfg): Liveness {
  let l = livenessByCfg.get(cfg);
  if (!l) livenessByCfg.set(cfg, (l = compute(cfg)));
  return l;
}

/** Bit sets per node over a vocabulary, closed backwards over the CFG: at a node, what it or a later node has. */
class Backward {
  readonly index = new Map<string, number>();
  private words = 0;
  private bits = new Uint32Array(0);

  constructor(cfg: Cfg, own: string[][]) {
    const ids = own.map((list) => list.map((n) => {
      let i = this.index.get(n);
      if (i === undefined) this.index.set(n, (i = this.index.size));
      return i;
    }));
    const words = (this.words = (this.index.size + 31) >>> 5);
    const count = cfg.nodes.length;
    const gen = new Uint32Array(count * words);
    ids.forEach((list, n) => {
      for (const i of list) gen[n * words + (i >>> 5)] |= 1 << (i & 31);
    });
    const bits = (this.bits = new Uint32Array(count * words));
    // live(n) = gen(n) ∪ live(successors), to a fixpoint (loops).
    for (let changed = true; changed; ) {
      changed = false;
      for (let n = count - 1; n >= 0; n--) {
        const base = n * words;
        for (let w = 0; w < words; w++) {
          let v = gen[base + w];
          for (const s of cfg.nodes[n].next) v |= bits[s * words + w];
          v >>>= 0; // as the array holds it (bit 31 makes `|` negative)
          if (v !== bits[base + w]) {
            bits[base + w] = v;
            changed = true;
          }
        }
      }
    }
  }

  has(node: number, name: string): boolean {
    const i = this.index.get(name);
    return i !== undefined && (this.bits[node * this.words + (i >>> 5)] & (1 << (i & 31))) !== 0;
  }

  /** The names set at `node`. */
  at(node: number): string[] {
    const out: string[] = [];
    for (const [name, i] of this.index) if (this.bits[node * this.words + (i >>> 5)] & (1 << (i & 31))) out.push(name);
    return out;
  }

  /** The names set at `from` and not at `to`. */
  gone(from: number, to: number): string[] {
    const out: string[] = [];
    for (let w = 0; w < this.words; w++) {
      const bits = this.bits[from * this.words + w] & ~this.bits[to * this.words + w];
      if (!bits) continue;
      this.names ??= [...this.index.keys()];
      for (let b = 0; b < 32; b++) if (bits & (1 << b)) out.push(this.names[w * 32 + b]);
    }
    return out;
  }
  private names: string[] | undefined;
}

function compute(cfg: Cfg): Liveness {
  const mentions = cfg.nodes.map(nodeMentions);
  const names = new Backward(cfg, mentions.map((m) => m.names));
  const calls = new Backward(cfg, mentions.map((m) => m.calls));
  const dying: Liveness['dying'] = new Array(cfg.nodes.length);
  for (const p of cfg.nodes) {
    for (const n of p.next) {
      for (const name of names.gone(p.id, n)) {
        let set = dying[n] as Set<string> | undefined;
        if (!set) dying[n] = set = new Set();
        set.add(name);
      }
    }
  }
  const callsMemo = new Map<number, string[]>();
  return {
    dying,
    liveAt: (node, name) => names.has(node, name),
    callsAfter: (node) => {
      let c = callsMemo.get(node);
      if (!c) callsMemo.set(node, (c = calls.at(node)));
      return c;
    },
  };
}
