import type { Rule } from './rule';
import { allocatedHere } from './rule';
import type { ExitEvent } from '../dataflow/outcome';

export const failureSwallowed: Rule = {
  id: 'failure-swallowed',
  title: 'Allocation failure reported as success',
  severity: 'warning',
  category: 'other',
  doc: {
    what: 'On the path taken when an allocation fails, a function that returns a status returns its success value (`0`, `true`): typically `ret` is still 0 when the failure branch jumps to `cleanup:`. A failure path that records the error where the caller reads it (`xmlXPathPErrMemory(ctxt)`, `set_error(err, …)`), also under a shared error label, is not counted; a message to a log is.',
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
    const says = fn.returns === 'bool' ? 'true' : '0';
    const successful = (exit: ExitEvent) => exit.returned?.k === 'int' && (fn.returns === 'bool' ? exit.returned.n !== 0 : exit.returned.n === success);
    for (const exit of ctx.outcome.failureExits.values()) {
      if (!successful(exit) || exit.reported) continue;
      report({
        at: exit.at,
        message: `when ${site.callee}() fails, ${fn.name}() returns ${says} (success)`,
        related: [allocatedHere(ctx), ...(exit.via === 'goto' ? [{ at: exit.exitAt, message: 'returns here' }] : [])],
      });
    }
    // Stored untested (`s->name = strdup(x); return 0;`): one finding, at the allocation, since no test exists.
    const stored = [...ctx.outcome.storedUntested.values()].filter(successful);
    if (stored.length && ctx.outcome.failureExits.size === 0 && !ctx.inlinedSite) {
      report({
        at: site.call,
        message: `${site.callee}() is not tested: when it fails, ${fn.name}() stores NULL and returns ${says} (success)`,
        related: [allocatedHere(ctx), ...stored.slice(0, 5).map((e) => ({ at: e.exitAt, message: 'returns success here' }))],
      });
    }
  },
};
