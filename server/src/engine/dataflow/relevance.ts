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
  const local = new Set<string>();
  for (const fn of functions) local.add(fn.name);
  const localKey = [...local].join(',');
  const relevant = new Set<string>();
  const assignments: Array<[string, Set<string>]> = [];
  for (const fn of functions) {
    const own = relevanceIn(fn, local, localKey);
    for (const n of own.names) relevant.add(n);
    for (const a of own.assignments) assignments.push(a);
  }
  // What flows into a relevant variable is relevant too (`x = y; if (x)`).
  for (let round = 0; round < 3; round++) {
    const before = relevant.size;
    for (const [target, value] of assignments) if (relevant.has(target)) for (const n of value) relevant.add(n);
    if (relevant.size === before) break;
  }
  return relevant;
}

interface FunctionRelevance {
  /** The functions of the file it was found with (a call of one of them passes relevant names). */
  localKey: string;
  names: Set<string>;
  /** Plain assignments: the variable, and the names its value reads. */
  assignments: Array<[string, Set<string>]>;
}
/** Per function copy: the language server keeps copies across edits, and most functions did not change. */
const relevanceMemo = new WeakMap<FunctionSyntax, FunctionRelevance>();

/** The names one function's conditions, returns and helper calls read, and its plain assignments. */
function relevanceIn(fn: FunctionSyntax, local: ReadonlySet<string>, localKey: string): FunctionRelevance {
  const memo = relevanceMemo.get(fn);
  if (memo?.localKey === localKey) return memo;
  const relevant = new Set<string>();
  const assignments: Array<[string, Set<string>]> = [];
  const assign = (target: string, value: Syntax) => {
    const read = new Set<string>();
    names(value, read);
    assignments.push([target, read]);
  };
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
      if (l?.type === 'identifier' && l.text && r) assign(l.text, r);
    } else if (n.type === 'init_declarator') {
      const d = child(n, 'declarator');
      const v = child(n, 'value');
      if (d?.type === 'identifier' && d.text && v) assign(d.text, v);
    }
  });
  const out = { localKey, names: relevant, assignments };
  relevanceMemo.set(fn, out);
  return out;
}
