// Whether a function is large: a caller's analysis neither follows a large helper's allocations nor reaches a
// helper's allocation through a large function (helper-sources.ts, analyze.ts, explore.ts).
import type { FunctionSyntax } from './functions';
import { walk } from './syntax';

/** About 90 lines of code. A large function that allocates and hands the result back is a module of its own (a
 *  schema parser's `xmlSchemaParseRestriction`, `xmlSchemaAddSchemaDoc`), analysed in its own right: followed from
 *  each caller, its paths would multiply with theirs, and every edit in it would explore its callers again. Wrapper
 *  inference still follows large helpers (a wrapper's allocation may come from one). */
const MAX_FOLLOWED_HELPER_NODES = 600;

/**
 * More syntax nodes than a helper whose allocations its callers follow may have. Nor do callers reach a small
 * helper's allocation through a large function (`xmlSchemaParseComplexType` → `xmlSchemaParseModelGroup` →
 * `xmlSchemaAddParticle`): the large function follows the helper in its own analysis, and each of its callers
 * inlining it to reach the helper would explore its paths again — and again on every edit in it.
 */
export function isLargeFunction(g: FunctionSyntax): boolean {
  return syntaxSize(g) > MAX_FOLLOWED_HELPER_NODES;
}

const syntaxSizes = new WeakMap<FunctionSyntax, number>();
/** The number of syntax nodes of a function's body (comments and blanks are not nodes), per copy. */
function syntaxSize(g: FunctionSyntax): number {
  let n = syntaxSizes.get(g);
  if (n === undefined) {
    let count = 0;
    walk(g.body, () => {
      count++;
    });
    syntaxSizes.set(g, (n = count));
  }
  return n;
}
