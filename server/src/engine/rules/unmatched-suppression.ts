import type { Rule } from './rule';

export const unmatchedSuppression: Rule = {
  id: 'unmatched-suppression',
  title: 'Suppression comment that silences nothing',
  severity: 'warning',
  category: 'other',
  doc: {
    what: 'A `failpath-ignore` comment (on a line, the next line or the file) that silenced no finding, or that names a rule that does not exist.',
    why: 'Stale suppressions hide the next real finding on that line and mislead readers; reporting them keeps suppressions honest (cppcheck\'s unmatchedSuppression is the precedent).',
    bad: 'char *p = strdup(s);   // failpath-ignore leak\nif (!p)\n    return -1;\nfree(p);',
    good: 'char *p = strdup(s);\nif (!p)\n    return -1;\nfree(p);',
  },
};
