import type { Rule } from './rule';
import { allocatedHere } from './rule';

export const failureSwallowed: Rule = {
  id: 'failure-swallowed',
  title: 'Allocation failure reported as success',
  severity: 'warning',
  category: 'other',
  doc: {
    what: 'On the path taken when an allocation fails, a function that returns a status returns its success value (`0`, `true`): typically `ret` is still 0 when the failure branch jumps to `cleanup:`.',
    why: 'The caller goes on as if the work was done: the OOM turns into missing data, a half-initialised object or a crash somewhere else, with no error reported.',
    bad: 'int ret = 0;\nif (VIR_ALLOC(def) < 0)\n    goto cleanup;   /* returns 0 */\n...\ncleanup:\n    return ret;',
    good: 'int ret = -1;\nif (VIR_ALLOC(def) < 0)\n    goto cleanup;\n...\nret = 0;\ncleanup:\n    return ret;',
  },
  check(ctx, report) {
    const { fn, site } = ctx.outcome;
    if (!ctx.functionReturnsErrors || (fn.returns !== 'int' && fn.returns !== 'bool')) return;
    // Files, directories, processes fail for reasons that are often answers (ENOENT): only memory counts here.
    if (site.spec.resource) return;
    const success = fn.returns === 'bool' ? 1 : 0;
    for (const exit of ctx.outcome.failureExits.values()) {
      const v = exit.returned;
      if (v?.k !== 'int' || (fn.returns === 'bool' ? v.n === 0 : v.n !== success)) continue;
      report({
        at: exit.at,
        message: `when ${site.callee}() fails, ${fn.name}() returns ${fn.returns === 'bool' ? 'true' : '0'} (success)`,
        related: [allocatedHere(ctx), ...(exit.via === 'goto' ? [{ at: exit.exitAt, message: 'returns here' }] : [])],
      });
    }
  },
};
