import type { Rule } from './rule';
import { allocatedHere } from './rule';

export const deadOomCheck: Rule = {
  id: 'dead-oom-check',
  title: 'Failure test of an allocation that cannot fail',
  severity: 'hint',
  category: 'other',
  unnecessary: true,
  doc: {
    what: 'A failure test of an allocation that cannot fail: allocators that abort on OOM (`g_malloc`, `xmalloc`, the project\'s own under `"policy": "abort"`), `__GFP_NOFAIL`, `mempool_alloc()` with a mask that allows direct reclaim.',
    why: 'The branch is dead code that suggests a failure mode that does not exist, and its untested cleanup tends to rot.',
    bad: 'gchar *name = g_strdup_printf("%s-%d", base, n);\nif (!name)\n    return FALSE;',
    good: 'gchar *name = g_strdup_printf("%s-%d", base, n);   /* aborts on OOM */',
  },
  check(ctx, report) {
    const { site } = ctx.outcome;
    // In a caller, the helper may return NULL for other reasons: only the allocating function's own tests are dead.
    if (site.canFail || ctx.inlinedSite) return;
    for (const test of ctx.outcome.tests.values()) {
      report({ at: test.at, message: `this test is dead: ${site.cannotFailReason ?? `${site.callee}() cannot fail`}`, related: [allocatedHere(ctx)] });
    }
  },
};
