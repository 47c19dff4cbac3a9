import type { Rule } from './rule';
import { allocatedHere } from './rule';
import { child, unwrap, walk, type Syntax } from '../parse/syntax';
import type { FunctionSyntax } from '../parse/functions';
import type { Span } from '../dataflow/outcome';

export const deadOomCheck: Rule = {
  id: 'dead-oom-check',
  title: 'Failure test of an allocation that cannot fail',
  severity: 'hint',
  category: 'other',
  unnecessary: true,
  doc: {
    what: 'A failure test of an allocation that cannot fail: allocators that abort on OOM (`g_malloc`, `xmalloc`, the project\'s own under `"policy": "abort"`), `__GFP_NOFAIL`, `mempool_alloc()` with a mask that allows direct reclaim. `g_strdup(s)` and its kin give NULL for a NULL `s`: their test counts as dead only when `s` cannot be NULL.',
    why: 'The branch is dead code that suggests a failure mode that does not exist, and its untested cleanup tends to rot.',
    bad: 'gchar *name = g_strdup_printf("%s-%d", base, n);\nif (!name)\n    return FALSE;',
    good: 'gchar *name = g_strdup_printf("%s-%d", base, n);   /* aborts on OOM */',
  },
  check(ctx, report) {
    const { site, fn } = ctx.outcome;
    // In a caller, the helper may return NULL for other reasons: only the allocating function's own tests are dead.
    // Nor when the call gives NULL for a NULL argument that may be one (`g_strdup(name)`): the test is of the input.
    if (site.canFail || ctx.inlinedSite || site.spec.nullOtherwise || site.nullForNullInput) return;
    // An inferred die-wrapper is called all over a tree, often into a variable that other paths fill from a call
    // that may give NULL (`p = cond ? lookup() : xstrdup(s); if (p)`): its test counts as dead only when that
    // variable gets nothing else in the function, and the test is in the function itself (not in a callee).
    const held = site.spec.profile === 'inferred' ? soleValue(fn, site.call) : undefined;
    if (held === null) return;
    for (const test of ctx.outcome.tests.values()) {
      // …and tests that variable itself: an alias other paths leave NULL (`user = os` on one branch) is no proof.
      if (held !== undefined && (test.inCallee || !mentions(fn, test.at, held))) continue;
      report({ at: test.at, message: `this test is dead: ${site.cannotFailReason ?? `${site.callee}() cannot fail`}`, related: [allocatedHere(ctx)] });
    }
  },
};

/** The local `call` initialises or is assigned to, when nothing else in `fn` writes it (no other assignment, and its
 *  address is not taken: `strsep(&cp, ",")` moves it); else null. */
function soleValue(fn: FunctionSyntax, call: Syntax): string | null {
  let target: string | undefined;
  const writes = new Map<string, number>();
  walk(fn.body, (n) => {
    const left = n.type === 'assignment_expression' ? child(n, 'left') : n.type === 'init_declarator' ? child(n, 'declarator') : undefined;
    const right = n.type === 'assignment_expression' ? child(n, 'right') : n.type === 'init_declarator' ? child(n, 'value') : undefined;
    if (n.type === 'pointer_expression' && n.op === '&') {
      const a = child(n, 'argument');
      const name = a && unwrap(a).type === 'identifier' ? unwrap(a).text : undefined;
      if (name) writes.set(name, Infinity);
      return;
    }
    if (!left || !right) return;
    let l: Syntax | undefined = unwrap(left);
    while (l && l.type === 'pointer_declarator') l = child(l, 'declarator');
    if (l?.type !== 'identifier' || !l.text) return;
    writes.set(l.text, (writes.get(l.text) ?? 0) + 1);
    if (unwrap(right) === call) target = l.text;
  });
  return target !== undefined && writes.get(target) === 1 && fn.locals.has(target) ? target : null;
}

/** Whether the expression of `fn` at `at` names `variable`. */
function mentions(fn: FunctionSyntax, at: Span, variable: string): boolean {
  let found = false;
  walk(fn.body, (n) => {
    if (found || n.end <= 0) return false;
    if (n.line === at.line && n.col === at.col && n.endLine === at.endLine && n.endCol === at.endCol) {
      walk(n, (m) => {
        if (m.type === 'identifier' && m.text === variable) found = true;
      });
      return false;
    }
    return n.line <= at.line && n.endLine >= at.endLine ? undefined : false;
  });
  return found;
}
