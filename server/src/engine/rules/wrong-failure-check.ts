import type { Rule } from './rule';
import { testMismatch } from '../dataflow/conventions';
import { allocatedHere } from './rule';

export const wrongFailureCheck: Rule = {
  id: 'wrong-failure-check',
  title: "Failure test that does not match the allocator's convention",
  severity: 'error',
  category: 'other',
  doc: {
    what: "The test does not match how the allocator reports failure: `IS_ERR()` on `kmalloc()` (NULL on failure), `!p` on `kthread_run()` (an ERR_PTR on failure), `== NULL` on `mmap()` (MAP_FAILED), the pointer tested instead of `posix_memalign()`'s or `asprintf()`'s return value.",
    why: 'The test never sees the failure, so the failure path runs as if the allocation had succeeded and dereferences an invalid pointer.',
    bad: 'void *m = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);\nif (m == NULL)\n    return -1;',
    good: 'void *m = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);\nif (m == MAP_FAILED)\n    return -1;',
  },
  check(ctx, report) {
    for (const test of ctx.outcome.tests.values()) {
      const { site } = ctx.outcome;
      // Only a test that lets a failure through unnoticed is wrong: `assert(p != NULL)` before the real
      // `p == MAP_FAILED` test is redundant, not a bug.
      if (!ctx.outcome.undetectedTests.has(`${test.at.line}:${test.at.col}`)) continue;
      const why = testMismatch(site, test.kind, test.statusTestedBefore)
        ?? (site.failKind === 'errOrNull' ? `${site.callee}() returns NULL or an ERR_PTR on failure and this test misses one of them: use IS_ERR_OR_NULL()` : undefined);
      if (why) report({ at: test.at, message: why, related: [allocatedHere(ctx)] });
    }
  },
};
