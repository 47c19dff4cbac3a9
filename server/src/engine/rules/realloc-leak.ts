import type { Rule } from './rule';
import { allocatedHere } from './rule';

export const reallocLeak: Rule = {
  id: 'realloc-leak',
  title: 'realloc result overwrites the only pointer to the old block',
  severity: 'warning',
  category: 'leak',
  doc: {
    what: '`p = realloc(p, n)` and its kin (`krealloc`, `g_try_realloc`, `xmlRealloc`…): when the call fails it returns NULL and leaves the old block allocated, but the assignment has already overwritten the only pointer to it.',
    why: 'On failure the old block leaks, and the code that follows usually also loses the data it held.',
    bad: 'buf->data = realloc(buf->data, buf->cap * 2);\nif (!buf->data)\n    return -1;',
    good: 'char *tmp = realloc(buf->data, buf->cap * 2);\nif (!tmp)\n    return -1;   /* buf->data is still valid */\nbuf->data = tmp;',
  },
  check(ctx, report) {
    const t = ctx.reallocTarget;
    const { site } = ctx.outcome;
    if (!t || !site.canFail || !t.oldMayBeLive || t.lhs !== t.old) return;
    // When every failure path aborts (`assert(p)`, `if (!p) die(…)`), the lost block does not matter.
    if (!ctx.outcome.failureReturns && ctx.outcome.complete) return;
    report({
      at: site.call,
      message: `if ${site.callee}() fails it returns NULL and the old block of ${t.old} leaks: assign the result to a temporary first`,
      related: [allocatedHere(ctx)],
    });
  },
};
