// `failpath-ignore` comments (DESIGN §4). Suppressions that silence nothing are reported, so they cannot go stale.
import type { Finding } from './findings';
import { RULE_IDS } from './rules/registry';

export interface Suppression {
  /** 0-based line of the comment. */
  line: number;
  col: number;
  endCol: number;
  scope: 'line' | 'next-line' | 'file';
  /** Rule ids; empty means every rule. */
  rules: string[];
  used: boolean;
}

const DIRECTIVE = /failpath-ignore(-next-line|-file)?(?![\w-])([^\n]*)/g;
const RULE_ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/**
 * Finds the suppressions in `text`. A directive opens its comment (`// failpath-ignore leak`,
 * `/* failpath-ignore-file realloc-leak *\/`) and is followed by rule ids, optionally `-- a reason`; a comment that
 * merely mentions the word in prose is not a directive. `commentStart(offset)` gives the start of the comment
 * that contains an offset, or -1.
 */
export function findSuppressions(text: string, commentStart: (offset: number) => number): Suppression[] {
  const out: Suppression[] = [];
  if (!text.includes('failpath-ignore')) return out;
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  DIRECTIVE.lastIndex = 0;
  for (let m = DIRECTIVE.exec(text); m; m = DIRECTIVE.exec(text)) {
    const start = commentStart(m.index);
    if (start < 0 || !/^(\/\/|\/\*)[\s*!/]*$/.test(text.slice(start, m.index))) continue;
    const rest = m[2].split('*/')[0].split(/\s--(\s|$)/)[0];
    const tokens = rest.split(/[\s,]+/).filter(Boolean);
    if (!tokens.every((t) => RULE_ID.test(t))) continue; // prose, not a directive
    let lo = 0, hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= m.index) lo = mid; else hi = mid - 1;
    }
    const col = m.index - lineStarts[lo];
    out.push({
      line: lo, col, endCol: col + m[0].length - (m[2].length - m[2].split('*/')[0].trimEnd().length),
      scope: m[1] === '-next-line' ? 'next-line' : m[1] === '-file' ? 'file' : 'line',
      rules: tokens, used: false,
    });
  }
  return out;
}

function matches(s: Suppression, f: Finding): boolean {
  if (s.rules.length > 0 && !s.rules.includes(f.rule)) return false;
  if (s.scope === 'file') return true;
  const target = s.scope === 'line' ? s.line : s.line + 1;
  return f.span.line === target;
}

/** Drops suppressed findings and adds one `unmatched-suppression` finding per suppression that silenced nothing. */
export function applySuppressions(findings: Finding[], suppressions: Suppression[], file: string, enabled: boolean): Finding[] {
  if (suppressions.length === 0) return findings;
  const kept = findings.filter((f) => {
    let suppressed = false;
    for (const s of suppressions) {
      if (matches(s, f)) {
        s.used = true;
        suppressed = true;
      }
    }
    return !suppressed;
  });
  if (!enabled) return kept;
  for (const s of suppressions) {
    const unknown = s.rules.filter((r) => !RULE_IDS.includes(r));
    if (s.used && unknown.length === 0) continue;
    kept.push({
      rule: 'unmatched-suppression', severity: 'warning', file,
      span: { line: s.line, col: s.col, endLine: s.line, endCol: s.endCol },
      message: unknown.length
        ? `this suppression names unknown rule${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`
        : `this suppression silences no finding${s.rules.length ? ` of ${s.rules.join(', ')}` : ''}: remove it`,
      related: [],
    });
  }
  return kept;
}
