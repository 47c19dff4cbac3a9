import type { Rule } from './rule';
import { allocatedHere } from './rule';
import { child, unwrap, walk, type Syntax } from '../parse/syntax';
import type { FunctionSyntax } from '../parse/functions';

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
    const { site, fn } = ctx.outcome;
    // In a caller, the helper may return NULL for other reasons: only the allocating function's own tests are dead.
    if (site.canFail || ctx.inlinedSite) return;
    // An inferred die-wrapper is called all over a tree, often into a variable that other paths fill from a call
    // that may give NULL (`p = cond ? lookup() : xstrdup(s); if (p)`): its test counts as dead only when that
    // variable gets nothing else in the function, and the test is in the function itself (not in a callee).
    if (site.spec.profile === 'inferred' && !soleValue(fn, site.call)) return;
    for (const test of ctx.outcome.tests.values()) {
      if (site.spec.profile === 'inferred' && test.inCallee) continue;
      report({ at: test.at, message: `this test is dead: ${site.cannotFailReason ?? `${site.callee}() cannot fail`}`, related: [allocatedHere(ctx)] });
    }
  },
};

/** Whether `call` initialises or is assigned to a local that no other assignment in `fn` writes. */
function soleValue(fn: FunctionSyntax, call: Syntax): boolean {
  let target: string | undefined;
  const writes = new Map<string, number>();
  walk(fn.body, (n) => {
    const left = n.type === 'assignment_expression' ? child(n, 'left') : n.type === 'init_declarator' ? child(n, 'declarator') : undefined;
    const right = n.type === 'assignment_expression' ? child(n, 'right') : n.type === 'init_declarator' ? child(n, 'value') : undefined;
    if (!left || !right) return;
    let l: Syntax | undefined = unwrap(left);
    while (l && l.type === 'pointer_declarator') l = child(l, 'declarator');
    if (l?.type !== 'identifier' || !l.text) return;
    writes.set(l.text, (writes.get(l.text) ?? 0) + 1);
    if (unwrap(right) === call) target = l.text;
  });
  return target !== undefined && writes.get(target) === 1 && fn.locals.has(target);
}
