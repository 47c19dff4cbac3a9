// Findings per function between analyses of one document (the language server): an edit re-analyses only the
// functions whose text or context changed. Entries are keyed by content (see analyze.ts `functionKeys`) and
// stored relative to the function's first line, so a function that only moved is reused.
import type { Finding } from './findings';
import type { Span } from './dataflow/outcome';

interface Entry {
  findings: Finding[];
  sites: number;
  used: boolean;
}

export class FunctionResultCache {
  private entries = new Map<string, Entry>();
  hits = 0;
  misses = 0;

  /** The cached findings of a function now starting at `line`, or undefined. */
  take(key: string, line: number, file: string): { findings: Finding[]; sites: number } | undefined {
    const e = this.entries.get(key);
    if (!e) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    e.used = true;
    return { findings: e.findings.map((f) => moveFinding(f, line, file)), sites: e.sites };
  }

  put(key: string, line: number, findings: Finding[], sites: number): void {
    this.entries.set(key, { findings: findings.map((f) => moveFinding(f, -line, f.file)), sites, used: true });
  }

  /** After an analysis: forget the functions it did not use (their text is gone). */
  sweep(): void {
    for (const [k, e] of this.entries) {
      if (!e.used) this.entries.delete(k);
      else e.used = false;
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

function moveSpan(s: Span, by: number): Span {
  return { line: s.line + by, col: s.col, endLine: s.endLine + by, endCol: s.endCol };
}

function moveFinding(f: Finding, by: number, file: string): Finding {
  return {
    ...f, file, span: moveSpan(f.span, by),
    allocation: f.allocation && { ...f.allocation, span: moveSpan(f.allocation.span, by) },
    related: f.related.map((r) => ({ ...r, file, span: moveSpan(r.span, by) })),
  };
}
