// The same-file functions an analysed function may get an allocation back from: the helpers it mentions that
// allocate and hand the result back (return it, or store it through a parameter or a global).
import type { Catalogue } from './catalogue/catalogue';
import type { ExploreContext } from './dataflow/explore';
import type { FunctionSyntax } from './parse/functions';
import { child, unwrap, walk, type Syntax } from './parse/syntax';
import { identifiersOf } from './function-selection';
import { allocationCalls } from './dataflow/site';
import { isLargeFunction } from './parse/function-size';

/** The same-file functions a function's text mentions (calls, or takes the address of). */
export function mentionedFunctions(f: FunctionSyntax, ctx: ExploreContext): string[] {
  const names = functionNamesOf(ctx);
  const memo = mentioned.get(f);
  if (memo?.names === names) return memo.list;
  const list = [...identifiersOf(f)].filter((n) => n !== f.name && ctx.functions.has(n));
  mentioned.set(f, { names, list });
  return list;
}
/** Per copy, with the names of the file's functions it was found among (one string object per set of names). */
const mentioned = new WeakMap<FunctionSyntax, { names: string; list: string[] }>();

/** The names of the file's functions as one string, the same object for the same names (compared by identity). */
function functionNamesOf(ctx: ExploreContext): string {
  let names = functionNames.get(ctx);
  if (names === undefined) {
    const text = [...ctx.functions.keys()].join('\0');
    names = canonicalNames.get(text) ?? text;
    canonicalNames.delete(names);
    canonicalNames.set(names, names);
    if (canonicalNames.size > 8) canonicalNames.delete(canonicalNames.keys().next().value!);
    functionNames.set(ctx, names);
  }
  return names;
}
const functionNames = new WeakMap<ExploreContext, string>();
const canonicalNames = new Map<string, string>();

/** A caller follows the allocations of a helper that hands one back only when it has at most this many: a helper
 *  with more builds something of its own (libxml2's xmlSchemaFormatItemForReport: 62 string operations into
 *  `*buf`) and is analysed in its own right; followed from every caller, each of them would cost a caller's
 *  exploration, cut short by the budget anyway. */
const MAX_HELPER_SITES = 4;

/** A same-file function that allocates, a few times, and may hand the allocation back (a "source" for wrapper
 *  inference; for a caller's analysis too when it is not large: `followedFromCallers`). */
export function handsBackAllocation(g: FunctionSyntax, catalogue: Catalogue): boolean {
  if (!catalogue.allocationPattern.test(g.text) || !mayHandBack(g) || allocationCalls(g.body, catalogue).length > MAX_HELPER_SITES) return false;
  return handedBackCalls(g, catalogue).length > 0;
}

/** `handsBackAllocation`, and not large: the helpers whose allocations a caller's analysis follows. */
export function followedFromCallers(g: FunctionSyntax, catalogue: Catalogue): boolean {
  return !isLargeFunction(g) && handsBackAllocation(g, catalogue);
}

/**
 * The allocation calls of a helper whose result may reach its caller: returned, or stored through a parameter, into
 * a member or a global — directly, or through a local that is returned or stored so. A block the helper keeps to
 * itself (a scratch string it frees) is the helper's own business: its callers do not follow it.
 */
export function handedBackCalls(g: FunctionSyntax, catalogue: Catalogue): Syntax[] {
  const memo = handedBack.get(g);
  // Reading the body first: a kept copy that moved since moves its nodes, the calls handed out among them.
  const body = g.body;
  if (memo?.catalogue === catalogue && memo.body === body) return memo.calls;
  const calls = handedBackOf(g, catalogue);
  handedBack.set(g, { catalogue, body, calls });
  return calls;
}
/** Asked for every caller of a helper: kept per copy of the helper and catalogue in force. */
const handedBack = new WeakMap<FunctionSyntax, { catalogue: Catalogue; body: Syntax; calls: Syntax[] }>();

function handedBackOf(g: FunctionSyntax, catalogue: Catalogue): Syntax[] {
  const calls = allocationCalls(g.body, catalogue);
  if (calls.length === 0) return calls;
  const isCall = new Set(calls);
  const isLocal = (n: Syntax | undefined): n is Syntax => n?.type === 'identifier' && g.locals.has(n.text ?? '');
  const direct = new Set<Syntax>();
  const viaLocal = new Map<Syntax, string>();
  const leaving = new Set<string>();
  /** `b = a` or `T *b = a` between locals: when b leaves, a does (`char *ret = (char *)p; … return ret;`). */
  const copiedTo = new Map<string, string[]>();
  const copy = (from: string, to: string) => copiedTo.set(from, [...(copiedTo.get(from) ?? []), to]);
  walk(g.body, (n) => {
    if (n.type === 'return_statement' && n.children.length) {
      const v = unwrap(n.children[0]);
      if (isCall.has(v)) direct.add(v);
      else if (isLocal(v)) leaving.add(v.text!);
    } else if (n.type === 'assignment_expression') {
      const l = child(n, 'left');
      const r = child(n, 'right');
      if (!l || !r) return;
      const left = unwrap(l);
      const right = unwrap(r);
      if (isCall.has(right)) {
        if (isLocal(left)) viaLocal.set(right, left.text!);
        else direct.add(right);
      } else if (isLocal(right)) {
        if (isLocal(left)) copy(right.text!, left.text!);
        else leaving.add(right.text!);
      }
    } else if (n.type === 'init_declarator') {
      const v = child(n, 'value');
      let d = child(n, 'declarator');
      while (d && d.type !== 'identifier') d = child(d, 'declarator');
      const value = v && unwrap(v);
      if (!value || !d?.text) return;
      if (isCall.has(value)) viaLocal.set(value, d.text);
      else if (isLocal(value)) copy(value.text!, d.text);
    }
  });
  const leaves = (name: string, seen = new Set<string>()): boolean => {
    if (leaving.has(name)) return true;
    if (seen.has(name)) return false;
    seen.add(name);
    return (copiedTo.get(name) ?? []).some((to) => leaves(to, seen));
  };
  return calls.filter((c) => direct.has(c) || (viaLocal.has(c) && leaves(viaLocal.get(c)!)));
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
