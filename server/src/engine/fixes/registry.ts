// Which fix each rule has, and the check every fix passes before it is offered.
import type { Engine } from '../analyze';
import type { Tree } from 'web-tree-sitter';
import type { Catalogue } from '../catalogue/catalogue';
import type { Finding } from '../findings';
import { applyEdits, type Fix, type FixContext, type FixProvider } from './fix';
import { fixUncheckedAlloc } from './unchecked-alloc';
import { fixUseBeforeCheck } from './use-before-check';
import { fixLeakOnErrorPath } from './leak-on-error-path';
import { fixReallocLeak } from './realloc-leak';
import { fixWrongFailureCheck } from './wrong-failure-check';
import { fixFailureSwallowed } from './failure-swallowed';
import { fixDeadOomCheck } from './dead-oom-check';
import { suppressionFix } from './suppression';

const BY_RULE: Record<string, FixProvider> = {
  'unchecked-alloc': fixUncheckedAlloc,
  'use-before-check': fixUseBeforeCheck,
  'leak-on-error-path': fixLeakOnErrorPath,
  'realloc-leak': fixReallocLeak,
  'wrong-failure-check': fixWrongFailureCheck,
  'failure-swallowed': fixFailureSwallowed,
  'dead-oom-check': fixDeadOomCheck,
};

/** The candidate fixes of one finding: the rule's own fix (if it can be written here) and the suppression. */
export function candidateFixes(ctx: FixContext): Fix[] {
  const out: Fix[] = [];
  let own: Fix | undefined;
  try {
    own = BY_RULE[ctx.finding.rule]?.(ctx);
  } catch {
    own = undefined; // a fix that cannot be written for this code is simply not offered
  }
  if (own && own.edits.length) out.push(own);
  if (ctx.finding.rule !== 'unmatched-suppression') {
    const s = suppressionFix(ctx);
    if (s) out.push(s);
  }
  return out;
}

/** Messages without line numbers: the same finding after an edit that moved lines. */
function identity(f: Finding): string {
  return `${f.rule}|${f.message.replace(/line \d+/g, 'line _')}`;
}

/** ERROR and MISSING nodes of a tree: what a fix must not add. */
function countParseErrors(tree: Tree): number {
  let n = 0;
  const cursor = tree.walk();
  for (let more = true; more;) {
    const node = cursor.currentNode;
    if (node.isError || node.isMissing) n++;
    if (node.hasError && cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) {
        more = false;
        break;
      }
    }
  }
  return n;
}

/** The text fixes are written against: its findings (as the front end shows them) and its parse errors. */
export interface FixBaseline {
  text: string;
  findings: Finding[];
  parseErrors: number;
  /** Analyses a fixed copy the way `findings` were found (same configuration, same project facts). */
  analyse: (text: string) => Finding[];
}

/** How a front end analyses a copy of one file. */
export type CopyAnalysis = (text: string) => Finding[];

/**
 * Applies the fix to a copy and re-analyses it: the fix must remove its finding, add none, and add no parse
 * error.
 */
export function verifyFix(engine: Engine, baseline: FixBaseline, target: Finding, fix: Fix): boolean {
  const after = applyEdits(baseline.text, fix.edits);
  const tree = engine.parse(after);
  if (!tree) return false;
  try {
    if (countParseErrors(tree) > baseline.parseErrors) return false;
  } finally {
    tree.delete();
  }
  const findings = baseline.analyse(after);
  const count = (list: Finding[]) => {
    const m = new Map<string, number>();
    for (const f of list) m.set(identity(f), (m.get(identity(f)) ?? 0) + 1);
    return m;
  };
  const was = count(baseline.findings);
  const now = count(findings);
  const key = identity(target);
  if ((now.get(key) ?? 0) >= (was.get(key) ?? 0)) return false;
  for (const [k, n] of now) if (n > (was.get(k) ?? 0)) return false;
  return true;
}

/** The baseline of `text` (parsed as written, like the copies a fix is checked on). */
export function fixBaseline(engine: Engine, text: string, findings: Finding[], analyse: CopyAnalysis): FixBaseline {
  const tree = engine.parse(text);
  if (!tree) return { text, findings, parseErrors: Number.MAX_SAFE_INTEGER, analyse };
  try {
    return { text, findings, parseErrors: countParseErrors(tree), analyse };
  } finally {
    tree.delete();
  }
}

/** The verified fixes of one finding. */
export function verifiedFixes(engine: Engine, ctx: FixContext, baseline: FixBaseline): Fix[] {
  return candidateFixes(ctx).filter((f) => verifyFix(engine, baseline, ctx.finding, f));
}

/** `source.fixAll`: the safe fixes of a file, applied one at a time, each verified on the result of the last. */
export function fixAll(engine: Engine, text: string, catalogue: Catalogue, analyse: CopyAnalysis): { text: string; applied: number } {
  let current = text;
  let applied = 0;
  const tried = new Set<string>();
  for (let round = 0; round < 50; round++) {
    const findings = analyse(current);
    const tree = engine.parse(current);
    if (!tree) break;
    let progressed = false;
    try {
      const baseline = { text: current, findings, parseErrors: countParseErrors(tree), analyse };
      for (const finding of findings) {
        const key = `${identity(finding)}|${finding.span.line}`;
        if (tried.has(key)) continue;
        tried.add(key);
        const fix = candidateFixes({ text: current, tree, finding, catalogue }).find((x) => x.safe && !x.suppression);
        if (fix && verifyFix(engine, baseline, finding, fix)) {
          current = applyEdits(current, fix.edits);
          applied++;
          progressed = true;
          break; // positions moved: analyse again
        }
      }
    } finally {
      tree.delete();
    }
    if (!progressed) break;
  }
  return { text: current, applied };
}
