// Which functions of a file the analysis needs, decided from names and text alone (no tree): the functions that
// allocate, their callers (a helper's allocation may come back to its caller), and the same-file functions those
// mention, which the dataflow may inline. `Engine.prepare` copies the plan out of the tree; phase 2 of wrapper
// inference plans again with the other files' wrappers and parses only the functions the first plan did not copy.
import type { FunctionSyntax } from './parse/functions';
import { resultMatters } from './dataflow/result-test';

/** A function definition by its range in the file. */
export interface FunctionSpan {
  name: string;
  start: number;
  end: number;
}

export interface SelectionPlan {
  /** Candidate indices in the order they are copied (the order `functions` and `analysed` are filled). */
  copyOrder: number[];
  /** Same-file functions by name (the first definition of a name wins), for inlining. */
  functions: Array<[string, number]>;
  /** Every function to analyse, in file order, also those sharing a name. */
  analysed: number[];
  /** The identifiers of the functions followed for mentions (given to their copies: `identifiersOf`). */
  identifiers: Map<number, Set<string>>;
}

/** What the language server keeps of each function's text between edits (`FunctionCopies`). */
export interface SelectionMemo {
  /** Results found in candidate `i`'s text, by key; empty when its text is new. */
  of(i: number): Map<unknown, unknown>;
  /** One string object per key text (a key is looked up for every candidate: hashed once). */
  key(text: string): string;
}
const IDENTIFIERS = Symbol('identifiers');
const TESTS = Symbol('tests');
const MENTIONED = Symbol('mentioned functions');
const MAX_KEPT_TESTS = 8;

/** How deep the same-file functions an analysed function mentions are followed (the dataflow inlines to depth 3). */
const MENTION_DEPTH = 3;

/**
 * `text` is the file, `source` the text that was parsed (with brace-breaking `#if` branches blanked: the copies
 * are made from it). `allocates` matches a call of an allocator that can fail; a die-wrapper's call matters only
 * to a function that tests its result (dead-oom-check) or holds it in a variable (leak). `memo`: what the language
 * server keeps of each function's text across edits (`FunctionCopies`).
 */
export function selectFunctions(candidates: readonly FunctionSpan[], text: string, source: string, allocates: RegExp, dieWrappers: ReadonlyArray<{ name: string }>, memo?: SelectionMemo): SelectionPlan {
  const byName = new Map<string, number>();
  candidates.forEach((c, i) => {
    if (!byName.has(c.name)) byName.set(c.name, i);
  });
  /** A test of candidate `i`'s text, remembered by `key` where the language server keeps what its text gave. */
  const tested = (i: number, key: unknown, test: () => boolean): boolean => {
    const m = memo?.of(i);
    if (!m) return test();
    let tests = m.get(TESTS) as Map<unknown, boolean> | undefined;
    if (!tests) m.set(TESTS, (tests = new Map()));
    let v = tests.get(key);
    if (v === undefined) {
      // The sets of functions tested for come and go with the edits: a few are kept.
      if (tests.size >= MAX_KEPT_TESTS) tests.clear();
      tests.set(key, (v = test()));
    }
    return v;
  };
  // Functions that allocate, then (twice) the functions that call a same-file function that allocates.
  const chosen = new Set<number>();
  let sources = new Set<string>();
  const allocatesKey = memo?.key(`${allocates.source}\0${dieWrappers.map((w) => w.name).join(',')}`);
  candidates.forEach((c, i) => {
    const allocating = tested(i, allocatesKey, () => {
      const body = text.slice(c.start, c.end);
      return allocates.test(body) || dieWrappers.some((w) => body.includes(w.name) && resultMatters(body, w.name));
    });
    if (allocating) {
      chosen.add(i);
      sources.add(c.name);
    }
  });
  for (let round = 0; round < 2 && sources.size > 0 && chosen.size < candidates.length; round++) {
    const alternatives = [...sources].join('|');
    const mentions = new RegExp(`\\b(?:${alternatives})\\b`);
    const mentionsKey = memo?.key(alternatives);
    const next = new Set<string>();
    candidates.forEach((c, i) => {
      if (chosen.has(i)) return;
      const mentioning = tested(i, mentionsKey, () => {
        const body = text.slice(c.start, c.end);
        const own = body.indexOf(c.name);
        return mentions.test(own >= 0 ? body.slice(own + c.name.length) : body);
      });
      if (mentioning) {
        chosen.add(i);
        next.add(c.name);
      }
    });
    sources = next;
  }
  const plan: SelectionPlan = { copyOrder: [], functions: [], analysed: [], identifiers: new Map() };
  const copied = new Set<number>();
  const named = new Set<string>();
  const copy = (i: number) => {
    if (copied.has(i)) return;
    copied.add(i);
    plan.copyOrder.push(i);
  };
  const namesKey = memo?.key([...byName.keys()].join(','));
  /** The file's functions that candidate `i` mentions, in the order of its identifiers. */
  const mentionedOf = (i: number, ids: ReadonlySet<string>): string[] => {
    const m = memo?.of(i);
    const kept = m?.get(MENTIONED) as { names: string; mentioned: string[] } | undefined;
    if (kept && kept.names === namesKey) return kept.mentioned;
    const mentioned = [...ids].filter((id) => byName.has(id));
    if (m && namesKey !== undefined) m.set(MENTIONED, { names: namesKey, mentioned });
    return mentioned;
  };
  const want = (i: number, depth: number) => {
    const c = candidates[i];
    if (named.has(c.name) && depth > 0) return;
    copy(i);
    if (!named.has(c.name)) {
      named.add(c.name);
      plan.functions.push([c.name, i]);
    }
    if (depth >= MENTION_DEPTH) return;
    // Same-file functions it mentions (called, or taken as a function pointer) may be inlined.
    let ids = plan.identifiers.get(i);
    if (!ids) {
      const m = memo?.of(i);
      ids = m?.get(IDENTIFIERS) as Set<string> | undefined;
      if (!ids) {
        ids = identifiersIn(source.slice(c.start, c.end));
        m?.set(IDENTIFIERS, ids);
      }
      plan.identifiers.set(i, ids);
    }
    for (const id of mentionedOf(i, ids)) {
      const callee = byName.get(id)!;
      if (callee !== i && !named.has(id)) want(callee, depth + 1);
    }
  };
  candidates.forEach((_, i) => {
    if (!chosen.has(i)) return;
    want(i, 0);
    plan.analysed.push(i);
  });
  return plan;
}

/** The identifiers a function's text mentions; kept per copy, which the language server reuses across edits. */
const identifierSets = new WeakMap<FunctionSyntax, Set<string>>();
export function identifiersOf(fs: FunctionSyntax, known?: Set<string>): Set<string> {
  let ids = identifierSets.get(fs);
  if (!ids) identifierSets.set(fs, (ids = known ?? identifiersIn(fs.text)));
  return ids;
}

export function identifiersIn(text: string): Set<string> {
  return new Set(text.match(/[A-Za-z_]\w*/g) ?? []);
}
