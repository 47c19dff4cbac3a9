// What a rule is: its fixed id (DESIGN §2), title, default severity, doc, and its check over one site's outcome.
import type { SiteOutcome, Span } from '../dataflow/outcome';
import type { Severity } from '../config/config';
import { calleeChain } from '../dataflow/site';

/** The Juliet scorer's categories (and SARIF `properties.category`). */
export type RuleCategory = 'null-deref' | 'leak' | 'other';

export interface RuleDoc {
  /** What it finds, one paragraph. */
  what: string;
  /** Why it matters. */
  why: string;
  bad: string;
  good: string;
}

export interface SiteReport {
  at: Span;
  message: string;
  /** Related locations, in the analysed file unless `file` says another. */
  related?: { at: Span; message: string; file?: string }[];
}

export interface SiteRuleContext {
  outcome: SiteOutcome;
  /** For realloc kin: the assignment target of the call, when the call is `x = realloc(old, n)`. */
  reallocTarget?: { lhs: string; old: string; oldMayBeLive: boolean };
  /** The site is in a same-file helper followed from the analysed function (not the function's own call). */
  inlinedSite: boolean;
  /** The function has returns of error values (negative constants, -EXXX, false). */
  functionReturnsErrors: boolean;
}

export interface Rule {
  id: string;
  title: string;
  severity: Severity;
  category: RuleCategory;
  /** LSP `Unnecessary` tag (faded code). */
  unnecessary?: boolean;
  doc: RuleDoc;
  /** Site rules read a site's outcome; the file rule `unmatched-suppression` is checked by suppressions.ts. */
  check?(ctx: SiteRuleContext, report: (r: SiteReport) => void): void;
}

export function allocatedHere(ctx: SiteRuleContext): { at: Span; message: string; file?: string } {
  const call = ctx.outcome.site.call;
  return { at: { line: call.line, col: call.col, endLine: call.endLine, endCol: call.endCol }, message: `allocated here by ${calleeChain(ctx.outcome.site)}` };
}
