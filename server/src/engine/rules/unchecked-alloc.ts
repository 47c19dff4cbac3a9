import type { Rule } from './rule';
import { allocatedHere } from './rule';

export const uncheckedAlloc: Rule = {
  id: 'unchecked-alloc',
  title: 'Allocation result used without a failure test',
  severity: 'warning',
  category: 'null-deref',
  doc: {
    what: 'The result of an allocation that can fail reaches a use that needs a valid pointer (`*p`, `p->f`, `p[i]`, a non-NULL argument of `memcpy`, `strcpy`, `strlen`…, or a parameter that a function of the workspace dereferences, in this file or another) on a path where it was never tested.',
    why: 'When the allocation fails the program dereferences NULL (or an ERR_PTR) and crashes, usually far from the OOM condition that caused it. Allocation failures are rare in testing and common under memory pressure, in containers and under fuzzing.',
    bad: 'char *buf = malloc(len + 1);\nmemcpy(buf, src, len);   /* NULL when malloc fails */',
    good: 'char *buf = malloc(len + 1);\nif (!buf)\n    return -ENOMEM;\nmemcpy(buf, src, len);',
  },
  check(ctx, report) {
    const { site } = ctx.outcome;
    const failure = site.failKind === 'err' ? 'an ERR_PTR' : site.failKind === 'mapFailed' ? 'MAP_FAILED' : site.failKind === 'garbage' ? 'undefined' : 'NULL';
    for (const use of ctx.outcome.uses.values()) {
      if (use.laterTest) continue;
      const related = [allocatedHere(ctx)];
      if (use.inner) related.push({ at: use.inner, message: `dereferenced in ${use.innerFunction}()`, file: use.innerFile });
      const via = use.chain ? ` (passed to ${use.chain.map((n) => `${n}()`).join(' → ')}, which dereferences it)` : use.innerFunction ? ` (passed to ${use.innerFunction}(), which dereferences it)` : '';
      report({
        at: use.at,
        message: use.afterTest
          ? `the result of ${site.callee}() is used on the path where it failed (${failure})${via}`
          : `the result of ${site.callee}() is used without a failure test; it is ${failure} when the allocation fails${via}`,
        related,
      });
    }
  },
};
