// Findings per function between analyses of one document (the language server): an edit re-analyses only the
// functions whose tokens or context changed. Entries are keyed by content (see function-keys.ts `functionKeys`: the
// function's tokens, not its layout) and carry what the function's exploration read of the other functions of the
// file (`Dependency`): an entry stays valid while each of those reads the same, so editing a helper re-analyses the
// callers that inlined it, not those that only consulted its summary. What is read is kept per run (one allocation
// site explored from the function): a caller explores again only the runs that read the edited helper. Each span is stored relative to the function
// it lies in (the analysed one, or a helper it inlines), with that function's text: a function that moved is
// reused, and one whose blanks changed too, its spans carried over to the same tokens (`LayoutMap`).
import type { Finding } from './findings';
import type { Span } from './dataflow/outcome';
import { LayoutMap } from './parse/layout';

/** A span relative to the function it lies in (`anchor`: its name, '' for the analysed function itself, undefined
 *  for a span outside the file's functions or in another file, kept as it is). */
interface AnchoredSpan {
  anchor: string | undefined;
  span: Span;
}

/** Another function of the file as an exploration read it: its tokens (inlined, or an allocation followed into
 *  it), only its summary (what it does to its parameters, whom it calls), whom it calls and whether it hands an
 *  allocation back (choosing the helpers to follow), which of its allocations it hands back (the sites a caller
 *  follows into it: one run each), the globals its conditions read, or whether they read one global (`tests:NAME`:
 *  a path's fact about it is kept only while something may still read it). */
export type DependencyKind = 'text' | 'summary' | 'calls' | 'sites' | 'globals' | `tests:${string}`;
export interface Dependency {
  name: string;
  kind: DependencyKind;
  digest: string;
}

/** A function where it lies in the current text (`col`: the column it starts at). */
export interface PlacedFunction {
  name: string;
  text: string;
  line: number;
  closeLine: number;
  col: number;
}

/** The exploration of one allocation site from the analysed function (its own, or a helper's it follows): what it
 *  read, and the findings the rules gave it. */
export interface RunResult {
  /** The site: its function ('' for the analysed one) and its place among that function's allocation calls. */
  id: string;
  findings: Finding[];
  dependencies: Dependency[];
}

interface CachedRun {
  id: string;
  findings: Array<{ finding: Finding; spans: AnchoredSpan[] }>;
  dependencies: Dependency[];
}

interface Entry {
  runs: CachedRun[];
  runCount: number;
  /** The text and first column of the functions the spans lie in, as they were ('' is the analysed function). */
  anchors: Map<string, Layout>;
  sites: number;
  /** What choosing the runs read (which helpers' allocations to follow). */
  dependencies: Dependency[];
  /** What the entry and all its runs read, each once (runs read mostly the same): checked first. */
  read: Dependency[];
  /** Analyses since the entry was last used. */
  age: number;
}

/** A cached function that did not read all the same: the runs that did (their findings placed in the current
 *  text), to keep where the function still has them with the same share of its budget. */
export interface PartialHit {
  kept: RunResult[];
  /** How many runs the function had (each run's budget is its share). */
  runCount: number;
}

/** An entry not used by this many analyses in a row is forgotten. */
const KEPT_ANALYSES = 3;
/** Entries of one key kept at once (the same function's text, over different helpers). */
const KEPT_PER_KEY = 3;

type Layout = Pick<PlacedFunction, 'text' | 'col'>;

/** The functions of the current text: by name (the first definition), and the one a line lies in. */
export interface FunctionPlaces {
  named(name: string): PlacedFunction | undefined;
  at(line: number): PlacedFunction | undefined;
}

export class FunctionResultCache {
  private entries = new Map<string, Entry[]>();
  misses = 0;

  /** The cached findings of `fn`, placed in the current text; undefined when absent, or when a span has no place in
   *  the current text. When something it read now reads differently (`digest`: the current digest of a dependency,
   *  undefined when it is gone), the runs that read only what is the same (`partial`). */
  take(key: string, fn: PlacedFunction, places: FunctionPlaces, digest: (d: Dependency) => string | undefined): { findings: Finding[]; sites: number } | { partial: PartialHit } | undefined {
    const same = (d: Dependency) => digest(d) === d.digest;
    let partial: { entry: Entry; valid: CachedRun[] } | undefined;
    for (const e of this.entries.get(key) ?? []) {
      if (!e.read.every(same)) {
        // The entry that keeps the most runs.
        const valid = e.runs.filter((r) => r.dependencies.every(same));
        if (!partial || valid.length > partial.valid.length) partial = { entry: e, valid };
        continue;
      }
      const placed = place(e, e.runs, fn, places);
      if (!placed) continue;
      e.age = 0;
      return { findings: placed.flatMap((r) => r.findings), sites: e.sites };
    }
    this.misses++;
    const kept = partial?.valid.length ? place(partial.entry, partial.valid, fn, places) : undefined;
    if (!kept) return undefined;
    partial!.entry.age = 0;
    return { partial: { kept, runCount: partial!.entry.runCount } };
  }

  put(key: string, runs: RunResult[], runCount: number, sites: number, fn: PlacedFunction, places: FunctionPlaces, dependencies: Dependency[]): void {
    const anchors = new Map<string, Layout>();
    const anchored = (span: Span, inFile: boolean): AnchoredSpan => {
      const g = !inFile ? undefined : fn.line <= span.line && span.line <= fn.closeLine ? fn : places.at(span.line);
      if (!g) return { anchor: undefined, span };
      const anchor = g === fn ? '' : g.name;
      anchors.set(anchor, { text: g.text, col: g.col });
      return { anchor, span: { line: span.line - g.line, col: span.col, endLine: span.endLine - g.line, endCol: span.endCol } };
    };
    const entry: Entry = {
      runs: runs.map((r) => ({
        id: r.id, dependencies: r.dependencies,
        findings: r.findings.map((f) => ({ finding: f, spans: spansOf(f).map(([span, file]) => anchored(span, file === f.file)) })),
      })),
      anchors, runCount, sites, dependencies, read: distinctReads([dependencies, ...runs.map((r) => r.dependencies)]), age: 0,
    };
    // Newest first; an older entry of the same key stays while it is young (its helpers may be typed back).
    this.entries.set(key, [entry, ...(this.entries.get(key) ?? [])].slice(0, KEPT_PER_KEY));
  }

  /** After an analysis: forget what the last analyses did not use (an edit typed and removed again, or undone,
   *  finds the function's findings from before it). */
  sweep(): void {
    for (const [k, list] of this.entries) {
      const kept = list.filter((e) => e.age++ < KEPT_ANALYSES);
      if (kept.length) this.entries.set(k, kept);
      else this.entries.delete(k);
    }
  }
}

/** Each dependency of the lists once (by function and kind: those read in one analysis have the same digest). */
function distinctReads(lists: Dependency[][]): Dependency[] {
  const byRead = new Map<string, Dependency>();
  for (const list of lists) for (const d of list) byRead.set(`${d.name}\0${d.kind}`, d);
  return [...byRead.values()];
}

/** Every span of a finding with its file, in a fixed order (primary, allocation, related). */
function spansOf(f: Finding): Array<[Span, string]> {
  return [[f.span, f.file], ...(f.allocation ? [[f.allocation.span, f.file] as [Span, string]] : []), ...f.related.map((r): [Span, string] => [r.span, r.file])];
}

/** The runs' findings in the current text, or undefined when a span has no place there. */
function place(e: Entry, runs: CachedRun[], fn: PlacedFunction, places: FunctionPlaces): RunResult[] | undefined {
  const movers = new Map<string, ((s: Span) => Span | undefined) | undefined>();
  const moverFor = (anchor: string) => {
    if (movers.has(anchor)) return movers.get(anchor);
    const was = e.anchors.get(anchor)!;
    const now = anchor === '' ? fn : places.named(anchor);
    const mover = now && moverOf(was, now);
    movers.set(anchor, mover);
    return mover;
  };
  const out: RunResult[] = [];
  for (const run of runs) {
    const findings: Finding[] = [];
    for (const { finding: f, spans } of run.findings) {
      const moved: Span[] = [];
      for (const a of spans) {
        const mover = a.anchor === undefined ? undefined : moverFor(a.anchor);
        const s = a.anchor === undefined ? a.span : mover?.(a.span);
        if (!s) return undefined;
        moved.push(s);
      }
      let i = 0;
      findings.push({
        ...f, span: moved[i++],
        allocation: f.allocation && { ...f.allocation, span: moved[i++] },
        related: f.related.map((r) => ({ ...r, span: moved[i++] })),
      });
    }
    out.push({ id: run.id, findings, dependencies: run.dependencies });
  }
  return out;
}

/** How a span relative to `was` moves to `now`: by lines when the text is the same, else token by token; undefined
 *  when the tokens differ. */
function moverOf(was: Layout, now: PlacedFunction): ((s: Span) => Span | undefined) | undefined {
  if (was.text === now.text && was.col === now.col) {
    return (s) => ({ line: now.line + s.line, col: s.col, endLine: now.line + s.endLine, endCol: s.endCol });
  }
  const map = LayoutMap.between(was.text, now.text);
  if (!map) return undefined;
  const from = new TextLines(was), to = new TextLines(now);
  return (s) => {
    const wasStart = from.offset(s.line, s.col), wasEnd = from.offset(s.endLine, s.endCol);
    const start = wasStart === undefined ? undefined : map.offset(wasStart);
    const end = wasEnd === undefined ? undefined : map.offset(wasEnd);
    if (start === undefined || end === undefined) return undefined;
    const a = to.position(start), b = to.position(end);
    return { line: now.line + a.line, col: a.col, endLine: now.line + b.line, endCol: b.col };
  };
}

/** Line and column (relative to the function's first line; columns of the file) ↔ offset in a function's text. */
class TextLines {
  private readonly starts = [0];
  constructor(private readonly fn: Layout) {
    for (let i = fn.text.indexOf('\n'); i >= 0; i = fn.text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }
  /** Undefined for a place outside the text. */
  offset(line: number, col: number): number | undefined {
    const offset = line === 0 ? col - this.fn.col : line < this.starts.length ? this.starts[line] + col : -1;
    return offset >= 0 && offset <= this.fn.text.length ? offset : undefined;
  }
  position(offset: number): { line: number; col: number } {
    let lo = 0, hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, col: lo === 0 ? offset + this.fn.col : offset - this.starts[lo] };
  }
}
