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

const DIRECTIVE = /failpath-ignore(-next-line|-file)?\b([^\n]*)/g;

/** Finds the suppressions in `text`; `isComment(offset)` tells whether an offset lies inside a comment. */
export function findSuppressions(text: string, isComment: (offset: number) => boolean): Suppression[] {
  const out: Suppression[] = [];
  if (!text.includes('failpath-ignore')) return out;
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  DIRECTIVE.lastIndex = 0;
  for (let m = DIRECTIVE.exec(text); m; m = DIRECTIVE.exec(text)) {
    if (!isComment(m.index)) continue;
    let lo = 0, hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= m.index) lo = mid; else hi = mid - 1;
    }
    const rest = m[2].split('*/')[0];
    const rules = rest.split(/[\s,]+/).map((s) => s.trim()).filter((s) => /^[a-z][a-z-]*$/.test(s));
    out.push({
      line: lo, col: m.index - lineStarts[lo], endCol: m.index - lineStarts[lo] + m[0].length - (m[2].length - rest.length),
      scope: m[1] === '-next-line' ? 'next-line' : m[1] === '-file' ? 'file' : 'line',
      rules, used: false,
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
