// Which names a function may still read after each node of its CFG (ESP keeps a fact only while some branch may
// still be decided by it): a name is live at a node when the node or a node after it mentions it, or calls a
// same-file function whose conditions (or its callees') read it. A fact about a name that is no longer live cannot
// decide anything; the states that differ only in it are the same from there on (libxml2's
// `if (globalHandlers != NULL)`, tested once, doubled every path after it: explore.ts `withoutDeadFacts`).
import { calleeName, walk, type Syntax } from '../parse/syntax';
import type { Cfg, CfgNode } from '../cfg/cfg';

export interface Liveness {
  /** Per node: the names that die on entering it (live before some edge into it, not live in it). */
  dying: Array<ReadonlySet<string> | undefined>;
  /** Whether `name` is live at `node`. */
  liveAt(node: number, name: string): boolean;
}

/** The names each node mentions (identifiers and field names) and the functions it calls; per CFG. */
interface NodeMentions {
  names: string[];
  calls: string[];
}
const mentionsByCfg = new WeakMap<Cfg, NodeMentions[]>();

function mentionsOf(cfg: Cfg): NodeMentions[] {
  let m = mentionsByCfg.get(cfg);
  if (m) return m;
  m = cfg.nodes.map((n) => nodeMentions(n));
  mentionsByCfg.set(cfg, m);
  return m;
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

/**
 * The names that die on entering each node of `cfg`. `calleeReads(name)`: the globals a same-file function's
 * conditions read, with its callees' (undefined for a function of another file: it is not explored, so what it
 * reads decides nothing here).
 */
export function liveness(cfg: Cfg, calleeReads: (name: string) => ReadonlySet<string> | undefined): Liveness {
  const mentions = mentionsOf(cfg);
  // Bit sets over the names the function and its callees mention.
  const index = new Map<string, number>();
  const ids = (names: Iterable<string>) => {
    const out: number[] = [];
    for (const n of names) {
      let i = index.get(n);
      if (i === undefined) index.set(n, (i = index.size));
      out.push(i);
    }
    return out;
  };
  const own = mentions.map((m) => {
    const list = ids(m.names);
    for (const c of m.calls) {
      const reads = calleeReads(c);
      if (reads) list.push(...ids(reads));
    }
    return list;
  });
  const words = (index.size + 31) >>> 5;
  const count = cfg.nodes.length;
  const live = new Uint32Array(count * words);
  const gen = new Uint32Array(count * words);
  own.forEach((list, n) => {
    for (const i of list) gen[n * words + (i >>> 5)] |= 1 << (i & 31);
  });
  // Backward: live(n) = gen(n) ∪ live(successors), to a fixpoint (loops).
  for (let changed = true; changed; ) {
    changed = false;
    for (let n = count - 1; n >= 0; n--) {
      const base = n * words;
      for (let w = 0; w < words; w++) {
        let v = gen[base + w];
        for (const s of cfg.nodes[n].next) v |= live[s * words + w];
        v >>>= 0; // as the array holds it (bit 31 makes `|` negative)
        if (v !== live[base + w]) {
          live[base + w] = v;
          changed = true;
        }
      }
    }
  }
  const names: string[] = [];
  for (const [name, i] of index) names[i] = name;
  const dying: Liveness['dying'] = new Array(count);
  for (const p of cfg.nodes) {
    for (const n of p.next) {
      for (let w = 0; w < words; w++) {
        const gone = live[p.id * words + w] & ~live[n * words + w];
        if (!gone) continue;
        let set = dying[n] as Set<string> | undefined;
        if (!set) dying[n] = set = new Set();
        for (let b = 0; b < 32; b++) if (gone & (1 << b)) set.add(names[w * 32 + b]);
      }
    }
  }
  const liveAt = (node: number, name: string) => {
    const i = index.get(name);
    return i !== undefined && (live[node * words + (i >>> 5)] & (1 << (i & 31))) !== 0;
  };
  return { dying, liveAt };
}
