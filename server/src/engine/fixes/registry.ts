// Which fix each rule has, and the check every fix passes before it is offered.
import type { Engine } from '../analyze';
import type { FailpathConfig } from '../config/config';
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

function countParseErrors(engine: Engine, text: string): number {
  const tree = engine.parse(text);
  if (!tree) return Number.MAX_SAFE_INTEGER;
  try {
    let n = 0;
    const cursor = tree.walk();
    // Depth-first over every node: ERROR and MISSING nodes are what a fix must not add.
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
  } finally {
    tree.delete();
  }
}

/**
 * Applies the fix to a copy and re-analyses it: the fix must remove its finding, add none, and add no parse
 * error. `before` are the findings of `text` (as the front end shows them).
 */
export function verifyFix(engine: Engine, file: string, text: string, config: FailpathConfig, target: Finding, before: Finding[], fix: Fix): boolean {
  const after = applyEdits(text, fix.edits);
  if (countParseErrors(engine, after) > countParseErrors(engine, text)) return false;
  const result = engine.analyzeText(file, after, config);
  const count = (list: Finding[]) => {
    const m = new Map<string, number>();
    for (const f of list) m.set(identity(f), (m.get(identity(f)) ?? 0) + 1);
    return m;
  };
  const was = count(before);
  const now = count(result.findings);
  const key = identity(target);
  if ((now.get(key) ?? 0) >= (was.get(key) ?? 0)) return false;
  for (const [k, n] of now) if (n > (was.get(k) ?? 0)) return false;
  return true;
}

/** The verified fixes of one finding. */
export function verifiedFixes(engine: Engine, file: string, ctx: FixContext, config: FailpathConfig, before: Finding[]): Fix[] {
  return candidateFixes(ctx).filter((f) => verifyFix(engine, file, ctx.text, config, ctx.finding, before, f));
}

/** `source.fixAll`: the safe fixes of a file, applied one at a time, each verified on the result of the last. */
export function fixAll(engine: Engine, file: string, text: string, config: FailpathConfig): { text: string; applied: number } {
  const catalogue = engine.catalogueFor(config);
  let current = text;
  let applied = 0;
  const tried = new Set<string>();
  for (let round = 0; round < 50; round++) {
    const findings = engine.analyzeText(file, current, config).findings;
    const tree = engine.parse(current);
    if (!tree) break;
    let progressed = false;
    try {
      for (const finding of findings) {
        const key = `${identity(finding)}|${finding.span.line}`;
        if (tried.has(key)) continue;
        tried.add(key);
        const fix = candidateFixes({ text: current, tree, finding, catalogue }).find((x) => x.safe && !x.suppression);
        if (fix && verifyFix(engine, file, current, config, finding, findings, fix)) {
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
