import type { Rule } from './rule';
import { reportLeaks } from './leak-report';

export const leakOnErrorPath: Rule = {
  id: 'leak-on-error-path',
  title: 'Resource leaked on an error path',
  severity: 'warning',
  category: 'leak',
  doc: {
    what: 'A path leaves the function as a failure (an error return, a `goto` to an error label, the branch taken because another allocation or call failed) while a resource the function allocated is neither released, returned nor stored where it outlives the call.',
    why: 'Error paths are the least tested code. Each leak is small, but OOM and I/O errors tend to repeat, and a daemon that leaks on every failed request eventually runs out of memory for good.',
    bad: 'a = malloc(n);\nif (!a)\n    return -1;\nb = malloc(m);\nif (!b)\n    return -1;   /* leaks a */',
    good: 'a = malloc(n);\nif (!a)\n    return -1;\nb = malloc(m);\nif (!b) {\n    free(a);\n    return -1;\n}',
  },
  check(ctx, report) {
    reportLeaks(ctx, true, report);
  },
};
