// The places a function's unwind ladder releases by name (`err_free_b: kfree(f->b);`, `VIR_FREE(def->name)` after
// `error:`), and where it last does: a function whose ladder frees a member of its parameter after storing into it
// owns what it stores there until it succeeds. A release elsewhere (a setter freeing the old value, a branch that
// empties the member) says nothing of who owns it on an error path.
import type { Catalogue } from '../catalogue/catalogue';
import type { FunctionSyntax } from '../parse/functions';
import { calleeName, callArgs, child, unwrap, walk, type Syntax } from '../parse/syntax';
import { ERROR_LABEL } from './error-values';

const byCatalogue = new WeakMap<Catalogue, WeakMap<FunctionSyntax, ReadonlyMap<string, number>>>();

/** The text (without blanks) of every argument `fn` gives a releaser of `catalogue` to release, and the offset of
 *  the last such call. */
export function releasedPlaces(fn: FunctionSyntax, catalogue: Catalogue): ReadonlyMap<string, number> {
  let perFunction = byCatalogue.get(catalogue);
  if (!perFunction) byCatalogue.set(catalogue, (perFunction = new WeakMap()));
  let places = perFunction.get(fn);
  if (places) return places;
  const found = new Map<string, number>();
  const record = (n: Syntax) => {
    if (n.type !== 'call_expression') return;
    const spec = catalogue.releaser(calleeName(n) ?? '');
    const arg = spec ? callArgs(n)[spec.arg ?? 0] : undefined;
    if (!arg) return;
    let place = unwrap(arg);
    if (spec!.byAddress && place.type === 'pointer_expression' && place.op === '&' && place.children[0]) place = unwrap(place.children[0]);
    const text = placeText(fn, place.start, place.end);
    found.set(text, Math.max(found.get(text) ?? -1, n.start));
  };
  // In a block, what follows an error label is the ladder (a label holds only the statement after it).
  walk(fn.body, (n) => {
    if (n.type !== 'compound_statement') return;
    let ladder = false;
    for (const statement of n.children) {
      if (statement.type === 'labeled_statement' && ERROR_LABEL.test(child(statement, 'label')?.text ?? '')) ladder = true;
      if (ladder) walk(statement, (m) => void record(m));
    }
  });
  perFunction.set(fn, (places = found));
  return places;
}

/** The function's text between two offsets, without blanks (`f -> b` and `f->b` are one place). */
export function placeText(fn: FunctionSyntax, start: number, end: number): string {
  return fn.text.slice(start - fn.start, end - fn.start).replace(/\s+/g, '');
}
