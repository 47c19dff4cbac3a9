// An allocation site: one call of a catalogue allocator, with what its failure looks like.
import { calleeName, callArgs, child, unwrap, walk, type Syntax } from '../parse/syntax';
import type { AllocatorEntry, Catalogue } from '../catalogue/catalogue';

/** What the pointer holds on the failure path. */
export type FailKind = 'null' | 'err' | 'errOrNull' | 'mapFailed' | 'garbage';

export interface AllocationSite {
  call: Syntax;
  callee: string;
  spec: AllocatorEntry;
  /** False for allocators that abort on OOM (g_malloc, xmalloc, __GFP_NOFAIL, policy "abort"). */
  canFail: boolean;
  /** Why it cannot fail, for messages. */
  cannotFailReason?: string;
  failKind: FailKind;
  /** Index of the out argument that receives the pointer, if any. */
  resultArg?: number;
  /** Whether the function must release it (not pool-, device- or gc-owned). */
  owned: boolean;
  /** The function (name) whose body holds the call: the analysed function or a same-file callee. */
  inFunction: string;
  /** The call gives NULL without failing when its `nullIfArgNull` argument is NULL (`g_strdup(name)`), and that
   *  argument may be NULL here. */
  nullForNullInput?: boolean;
}

const DIRECT_RECLAIM = /\b(GFP_KERNEL|GFP_NOIO|GFP_NOFS|GFP_USER|GFP_HIGHUSER\w*|__GFP_DIRECT_RECLAIM|__GFP_RECLAIM)\b/;

export function failKindOf(spec: AllocatorEntry): FailKind {
  switch (spec.failure) {
    case 'err-ptr': return 'err';
    case 'err-ptr-or-null': return 'errOrNull';
    case 'map-failed': return 'mapFailed';
    case 'nonzero-return':
    case 'minus-one-return': return 'garbage';
    default: return 'null';
  }
}

export function siteFor(call: Syntax, catalogue: Catalogue, inFunction: string, text: (n: Syntax) => string): AllocationSite | undefined {
  const callee = calleeName(call);
  if (!callee) return undefined;
  const spec = catalogue.allocator(callee);
  if (!spec) return undefined;
  const args = callArgs(call);
  let canFail = true;
  let cannotFailReason: string | undefined;
  if (spec.failure === 'aborts') {
    canFail = false;
    cannotFailReason = spec.chain && spec.chain.length > 1 ? `${callee}() never returns when ${spec.chain[spec.chain.length - 1]}() fails (${spec.chain.map((n) => `${n}()`).join(' → ')})`
      : spec.profile === 'annotation' ? `${callee}() is declared returns_nonnull: it never returns NULL`
      : `${callee} aborts on OOM`;
  } else if (spec.abortsByPolicy) {
    canFail = false;
    cannotFailReason = `${callee} aborts on OOM under "policy": "abort"`;
  } else if (spec.gfpArg !== undefined || spec.failure === 'gfp' || spec.failsOnlyWithoutReclaim) {
    const flags = args[spec.gfpArg ?? args.length - 1];
    const flagText = flags ? text(flags) : '';
    if (/__GFP_NOFAIL/.test(flagText)) {
      canFail = false;
      cannotFailReason = `${callee} with __GFP_NOFAIL cannot fail`;
    } else if (spec.failsOnlyWithoutReclaim && DIRECT_RECLAIM.test(flagText)) {
      canFail = false;
      cannotFailReason = `${callee} cannot fail when the gfp mask allows direct reclaim`;
    }
  }
  const m = spec.result && /^arg(\d+)$/.exec(spec.result);
  const site: AllocationSite = {
    call, callee, spec, canFail, cannotFailReason, failKind: failKindOf(spec),
    resultArg: m ? Number(m[1]) : undefined,
    owned: !spec.ownedBy,
    inFunction,
  };
  if (spec.nullIfArgNull !== undefined && mayBeNull(args[spec.nullIfArgNull], catalogue)) site.nullForNullInput = true;
  return site;
}

/** Whether an argument may be NULL, from its spelling: a string literal, an address (`&x`) and the result of an
 *  allocator that never gives NULL are not; anything else may be. */
function mayBeNull(arg: Syntax | undefined, catalogue: Catalogue): boolean {
  if (!arg) return false;
  const v = unwrap(arg);
  if (v.type === 'string_literal' || v.type === 'concatenated_string') return false;
  if (v.type === 'pointer_expression' && v.op === '&') return false;
  if (v.type === 'conditional_expression') {
    const yes = child(v, 'consequence');
    const no = child(v, 'alternative');
    return !yes || !no || mayBeNull(yes, catalogue) || mayBeNull(no, catalogue);
  }
  if (v.type === 'call_expression') {
    const name = calleeName(v);
    const spec = name ? catalogue.allocator(name) : undefined;
    if (spec?.failure === 'aborts' && spec.nullIfArgNull === undefined && !spec.nullOtherwise) return false;
  }
  return true;
}

/** `malloc()`, or for an inferred wrapper the chain down to the allocator: `zalloc() → malloc()`. */
export function calleeChain(site: AllocationSite): string {
  return (site.spec.chain ?? [site.callee]).map((n) => `${n}()`).join(' → ');
}

/** Every allocation call in `body`, in source order. */
export function allocationCalls(body: Syntax, catalogue: Catalogue): Syntax[] {
  const calls: Syntax[] = [];
  walk(body, (n) => {
    if (n.type === 'sizeof_expression') return false;
    if (n.type === 'call_expression') {
      const name = calleeName(n);
      if (name && catalogue.allocator(name)) calls.push(n);
    }
    return undefined;
  });
  return calls;
}
