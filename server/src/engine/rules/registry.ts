// The rule catalogue, in DESIGN §2 order. Rule ids are fixed; docs/rules/*.md and the README table come from here.
import type { Rule } from './rule';
import { uncheckedAlloc } from './unchecked-alloc';
import { useBeforeCheck } from './use-before-check';
import { leakOnErrorPath } from './leak-on-error-path';
import { leak } from './leak';
import { wrongFailureCheck } from './wrong-failure-check';
import { reallocLeak } from './realloc-leak';
import { failureSwallowed } from './failure-swallowed';
import { deadOomCheck } from './dead-oom-check';
import { allocInNoAllocContext } from './alloc-in-no-alloc-context';
import { blockingAllocInAtomic } from './blocking-alloc-in-atomic';
import { unmatchedSuppression } from './unmatched-suppression';

export const RULES: readonly Rule[] = [
  uncheckedAlloc, useBeforeCheck, leakOnErrorPath, leak, wrongFailureCheck, reallocLeak, failureSwallowed, deadOomCheck,
  allocInNoAllocContext, blockingAllocInAtomic, unmatchedSuppression,
];

export const RULE_IDS: readonly string[] = RULES.map((r) => r.id);

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}
