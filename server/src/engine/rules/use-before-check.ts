import type { Rule } from './rule';
import { allocatedHere } from './rule';

export const useBeforeCheck: Rule = {
  id: 'use-before-check',
  title: 'Allocation result used before its failure test',
  severity: 'warning',
  category: 'null-deref',
  doc: {
    what: 'A use that needs a valid pointer comes before a later failure test of the same value: the test shows that failure was expected, but the use already crashed.',
    why: 'The check is in the wrong place: the code looks handled in review, yet the failure path dereferences NULL before it gets to the test.',
    bad: 'struct conn *c = calloc(1, sizeof(*c));\nc->fd = fd;\nif (!c)\n    return NULL;',
    good: 'struct conn *c = calloc(1, sizeof(*c));\nif (!c)\n    return NULL;\nc->fd = fd;',
  },
  check(ctx, report) {
    for (const use of ctx.outcome.uses.values()) {
      if (!use.laterTest) continue;
      const related = [allocatedHere(ctx), { at: use.laterTest, message: 'tested here, too late' }];
      if (use.chain && use.inner) related.push({ at: use.inner, message: `dereferenced in ${use.innerFunction}()`, file: use.innerFile });
      const via = use.chain ? ` (passed to ${use.chain.map((n) => `${n}()`).join(' → ')}, which dereferences it)` : '';
      report({
        at: use.at,
        // No line number in the message: the test is a related location, and messages must not change when code moves.
        message: `the result of ${ctx.outcome.site.callee}() is used here before it is tested for failure; the test comes too late${via}`,
        related,
      });
    }
  },
};
