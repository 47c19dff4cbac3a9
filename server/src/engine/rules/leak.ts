import type { Rule } from './rule';
import { reportLeaks } from './leak-report';
import { calleeChain } from '../dataflow/site';

export const leak: Rule = {
  id: 'leak',
  title: 'Resource leaked',
  severity: 'warning',
  category: 'leak',
  doc: {
    what: 'A path that is not an error path (the success return, a `cleanup:` label reached on success, the end of the function) leaves with an allocated resource neither released, returned nor stored where it outlives the call; or the last pointer to it is overwritten.',
    why: 'A leak on the normal path grows with every call: long-running processes and kernels run out of memory.',
    bad: 'char *line = strdup(input);\nparse(line);\nreturn 0;   /* line is never freed */',
    good: 'char *line = strdup(input);\nif (!line)\n    return -1;\nparse(line);\nfree(line);\nreturn 0;',
  },
  check(ctx, report) {
    reportLeaks(ctx, false, report);
    const [at] = [...ctx.outcome.lost.values()].sort((a, b) => a.line - b.line || a.col - b.col);
    if (at) {
      report({
        at,
        message: `the last pointer to the memory from ${ctx.outcome.site.callee}() is overwritten while it is still allocated`,
        related: [{ at: ctx.outcome.site.call, message: `allocated here by ${calleeChain(ctx.outcome.site)}` }],
      });
    }
  },
};
