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

/** Names whose integer values may decide a branch or a returned status, in these functions: those their conditions,
 *  returns and helper calls read, and what flows into one of those by assignment (`x = y; if (x)`), at any depth. */
export function relevantNames(functionList: Iterable<FunctionSyntax>): ReadonlySet<string> {
  const functions = [...functionList];
  const local = new Set<string>();
  for (const fn of functions) local.add(fn.name);
  const localKey = [...local].join(',');
  const found = new Set(functions.map((fn) => relevanceIn(fn, local, localKey)));
  let totals = totalsByFunctions.get(localKey);
  if (!totals) {
    totals = new RelevanceTotals();
    totalsByFunctions.set(localKey, totals);
    if (totalsByFunctions.size > KEPT_TOTALS) totalsByFunctions.delete(totalsByFunctions.keys().next().value!);
  }
  totals.update(found);
  return totals.closure();
}

/**
 * What the functions' relevance adds up to, kept from one analysis of a document to the next (by the names of its
 * functions): after an edit only the edited function's part is taken out and put in again.
 */
class RelevanceTotals {
  private counted = new Set<FunctionRelevance>();
  /** How many functions read each name directly. */
  private readonly direct = new Map<string, number>();
  /** For each assigned variable, the names its values read, counted. */
  private readonly flows = new Map<string, Map<string, number>>();

  /** The last closure, while no name or flow came or went. */
  private last: Set<string> | undefined;

  update(found: ReadonlySet<FunctionRelevance>): void {
    for (const r of this.counted) if (!found.has(r)) this.count(r, -1);
    for (const r of found) if (!this.counted.has(r)) this.count(r, 1);
    this.counted = new Set(found);
  }

  private count(r: FunctionRelevance, by: number): void {
    for (const n of r.names) this.add(this.direct, n, by);
    for (const [target, read] of r.assignments) {
      let names = this.flows.get(target);
      if (!names) this.flows.set(target, (names = new Map()));
      for (const n of read) this.add(names, n, by);
      if (names.size === 0) this.flows.delete(target);
    }
  }

  private add(counts: Map<string, number>, name: string, by: number): void {
    const n = (counts.get(name) ?? 0) + by;
    if (n === 0) counts.delete(name);
    else counts.set(name, n);
    if (n === 0 || n === by) this.last = undefined; // a name or flow came or went
  }

  /** The names read directly, and what flows into them (the same set while they are the same: not to be changed). */
  closure(): ReadonlySet<string> {
    if (this.last) return this.last;
    const relevant = new Set(this.direct.keys());
    const queue = [...relevant];
    while (queue.length) {
      const names = this.flows.get(queue.pop()!);
      if (names) for (const n of names.keys()) if (!relevant.has(n)) {
        relevant.add(n);
        queue.push(n);
      }
    }
    return (this.last = relevant);
  }
}
const totalsByFunctions = new Map<string, RelevanceTotals>();
/** Documents analysed in turn keep their totals (each is found by its functions' names). */
const KEPT_TOTALS = 4;

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
