// The same-file functions an analysed function may get an allocation back from: the helpers it mentions that
// allocate and hand the result back (return it, or store it through a parameter or a global).
import type { Catalogue } from './catalogue/catalogue';
import type { ExploreContext } from './dataflow/explore';
import type { FunctionSyntax } from './parse/functions';
import { child, unwrap, walk } from './parse/syntax';
import { identifiersOf } from './function-selection';
import { allocationCalls } from './dataflow/site';

/** The same-file functions a function's text mentions (calls, or takes the address of). */
export function mentionedFunctions(f: FunctionSyntax, ctx: ExploreContext): string[] {
  return [...identifiersOf(f)].filter((n) => n !== f.name && ctx.functions.has(n));
}

/** A caller follows the allocations of a helper that hands one back only when it has at most this many: a helper
 *  with more builds something of its own (libxml2's xmlSchemaFormatItemForReport: 62 string operations into
 *  `*buf`) and is analysed in its own right; followed from every caller, each of them would cost a caller's
 *  exploration, cut short by the budget anyway. */
const MAX_HELPER_SITES = 4;

/** A same-file function whose allocations its callers' analyses follow (a "source"): it allocates, a few times,
 *  and may hand the allocation back. */
export function handsBackAllocation(g: FunctionSyntax, catalogue: Catalogue): boolean {
  return catalogue.allocationPattern.test(g.text) && mayHandBack(g) && allocationCalls(g.body, catalogue).length <= MAX_HELPER_SITES;
}

/** A helper can give its allocation to the caller: it returns a pointer, or writes through a parameter or a global. */
function mayHandBack(g: FunctionSyntax): boolean {
  if (g.returns === 'pointer') return true;
  let writes = false;
  walk(g.body, (n) => {
    if (writes) return false;
    if (n.type === 'assignment_expression') {
      const l = child(n, 'left');
      const u = l ? unwrap(l) : undefined;
      if (u && (u.type !== 'identifier' || !g.locals.has(u.text ?? ''))) writes = true;
    }
    return undefined;
  });
  return writes;
}
