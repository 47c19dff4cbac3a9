// Findings per function between analyses of one document (the language server): an edit re-analyses only the
// functions whose text or context changed. Entries are keyed by content (see analyze.ts `functionKeys`) and carry
// what the function's exploration read of the other functions of the file (`Dependency`): an entry stays valid
// while each of those reads the same, so editing a helper re-analyses the callers that inlined it, not those that
// only consulted its summary. Each span is stored relative to the function it lies in (the analysed one, or a
// helper it inlines), so functions that only moved are reused.
import type { Finding } from './findings';
import type { Span } from './dataflow/outcome';

interface AnchoredSpan {
  anchor: string;
  delta: number;
  span: Span;
}

/** Another function of the file as an exploration read it: its tokens (inlined, or an allocation followed into
 *  it), only its summary (what it does to its parameters, whom it calls), or its exact layout (a finding lies in
 *  it: its columns move with the blanks). */
export type DependencyKind = 'text' | 'summary' | 'layout';
export interface Dependency {
  name: string;
  kind: DependencyKind;
  digest: string;
}

interface Entry {
  findings: Array<{ finding: Finding; spans: AnchoredSpan[] }>;
  sites: number;
  dependencies: Dependency[];
  used: boolean;
}

/** Where the functions of the current text start: name → first line, and the function a line lies in. */
export interface FunctionLines {
  lineOf(name: string): number | undefined;
  nameAt(line: number): string | undefined;
}

export class FunctionResultCache {
  private entries = new Map<string, Entry>();
  misses = 0;

  /** The cached findings of a function, placed in the current text; undefined when absent or when a function it
   *  read now reads differently (`digest`: the current digest of a dependency, undefined when it is gone). */
  take(key: string, lines: FunctionLines, digest: (d: Dependency) => string | undefined): { findings: Finding[]; sites: number } | undefined {
    let e = this.entries.get(key);
    if (e && !e.dependencies.every((d) => digest(d) === d.digest)) e = undefined;
    const placed = e && e.findings.map((f) => place(f.finding, f.spans, lines));
    if (!e || !placed || placed.some((f) => !f)) {
      this.misses++;
      return undefined;
    }
    e.used = true;
    return { findings: placed as Finding[], sites: e.sites };
  }

  put(key: string, findings: Finding[], sites: number, lines: FunctionLines, dependencies: Dependency[]): void {
    this.entries.set(key, { findings: findings.map((f) => ({ finding: f, spans: spansOf(f).map((s) => anchor(s, lines)) })), sites, dependencies, used: true });
  }

  /** After an analysis: forget the functions it did not use (their text is gone). */
  sweep(): void {
    for (const [k, e] of this.entries) {
      if (!e.used) this.entries.delete(k);
      else e.used = false;
    }
  }
}

/** Every span of a finding, in a fixed order (primary, allocation, related). */
export function spansOf(f: Finding): Span[] {
  return [f.span, ...(f.allocation ? [f.allocation.span] : []), ...f.related.map((r) => r.span)];
}

function anchor(span: Span, lines: FunctionLines): AnchoredSpan {
  const name = lines.nameAt(span.line) ?? '';
  return { anchor: name, delta: span.line - (lines.lineOf(name) ?? 0), span };
}

function place(f: Finding, spans: AnchoredSpan[], lines: FunctionLines): Finding | undefined {
  const moved: Span[] = [];
  for (const a of spans) {
    const base = a.anchor ? lines.lineOf(a.anchor) : 0;
    if (base === undefined) return undefined;
    const line = base + a.delta;
    moved.push({ line, col: a.span.col, endLine: line + a.span.endLine - a.span.line, endCol: a.span.endCol });
  }
  let i = 0;
  return {
    ...f, span: moved[i++],
    allocation: f.allocation && { ...f.allocation, span: moved[i++] },
    related: f.related.map((r) => ({ ...r, span: moved[i++] })),
  };
}
