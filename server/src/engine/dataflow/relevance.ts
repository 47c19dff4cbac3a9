// ESP tracks only the facts that can decide a branch. Integer facts about variables that no condition, return
// or helper call ever reads (`len = 42`, `i++` of a counter nobody tests) would only multiply the states.
import { child, calleeName, walk, type Syntax } from '../parse/syntax';
import type { FunctionSyntax } from '../parse/functions';

const CONDITION_PARENTS = new Set(['if_statement', 'while_statement', 'do_statement', 'for_statement', 'switch_statement', 'conditional_expression']);

function names(n: Syntax | undefined, into: Set<string>): void {
  if (!n) return;
  walk(n, (x) => {
    if ((x.type === 'identifier' || x.type === 'field_identifier') && x.text) into.add(x.text);
  });
}

/** Names whose integer values may decide a branch or a returned status, in these functions. */
export function relevantNames(functionList: Iterable<FunctionSyntax>): Set<string> {
  const functions = [...functionList];
  const relevant = new Set<string>();
  const assignments: Array<[string, Syntax]> = [];
  const local = new Set<string>();
  for (const fn of functions) local.add(fn.name);
  for (const fn of functions) {
    walk(fn.body, (n) => {
      if (CONDITION_PARENTS.has(n.type)) names(child(n, 'condition'), relevant);
      else if (n.type === 'binary_expression' && (n.op === '&&' || n.op === '||')) {
        names(child(n, 'left'), relevant);
        names(child(n, 'right'), relevant);
      } else if (n.type === 'unary_expression' && n.op === '!') names(n, relevant);
      else if (n.type === 'return_statement') names(n, relevant);
      else if (n.type === 'call_expression') {
        const callee = calleeName(n);
        // Arguments of same-file helpers (they may be inlined) and of check macros.
        if (!callee || local.has(callee) || /assert|BUG_ON|WARN|return_if|return_val_if|CHECK/i.test(callee)) names(child(n, 'arguments'), relevant);
      } else if (n.type === 'assignment_expression') {
        const l = child(n, 'left');
        const r = child(n, 'right');
        if (l?.type === 'identifier' && l.text && r) assignments.push([l.text, r]);
      } else if (n.type === 'init_declarator') {
        const d = child(n, 'declarator');
        const v = child(n, 'value');
        if (d?.type === 'identifier' && d.text && v) assignments.push([d.text, v]);
      }
    });
  }
  // What flows into a relevant variable is relevant too (`x = y; if (x)`).
  for (let round = 0; round < 3; round++) {
    const before = relevant.size;
    for (const [target, value] of assignments) if (relevant.has(target)) names(value, relevant);
    if (relevant.size === before) break;
  }
  return relevant;
}
