// Kernel: whether an allocation may sleep, from its gfp mask (the flags' spelling at the call) or, for allocators
// without one, from the API itself (vmalloc and kin always sleep; the *_alloc_skb helpers use GFP_ATOMIC).
import type { AllocatorEntry } from '../catalogue/catalogue';

/** `yes`: may sleep; `no`: never sleeps; `unknown`: the mask is a variable, a call, or both kinds by condition. */
export type Sleeps = 'yes' | 'no' | 'unknown';

/** Masks that allow direct reclaim (`__GFP_DIRECT_RECLAIM` is in them): the allocation may sleep. */
const SLEEPING_MASKS = new Set([
  'GFP_KERNEL', 'GFP_KERNEL_ACCOUNT', 'GFP_NOFS', 'GFP_NOIO', 'GFP_USER', 'GFP_HIGHUSER', 'GFP_HIGHUSER_MOVABLE',
  'GFP_TRANSHUGE', '__GFP_DIRECT_RECLAIM', '__GFP_RECLAIM',
]);
/** Masks without direct reclaim. Other `__GFP_` modifiers (zone, `__GFP_ZERO`, `__GFP_NOWARN`) add nothing to sleep. */
const ATOMIC_MASKS = new Set(['GFP_ATOMIC', 'GFP_NOWAIT', 'GFP_DMA', 'GFP_DMA32', 'GFP_TRANSHUGE_LIGHT']);

/** Kernel allocators without a gfp argument that do not sleep (they allocate with GFP_ATOMIC inside). */
const NEVER_SLEEPS = new Set(['netdev_alloc_skb', 'dev_alloc_skb', 'napi_alloc_skb']);

/** What a gfp expression says about sleeping (`GFP_KERNEL | __GFP_ZERO`: yes; `gfp`: unknown). */
export function gfpSleeps(mask: string): Sleeps {
  const names = mask.match(/[A-Za-z_]\w*/g) ?? [];
  // `flags & ~__GFP_DIRECT_RECLAIM` takes reclaim out.
  if (/~\s*\(?\s*__GFP_(?:DIRECT_)?RECLAIM\b/.test(mask)) return 'no';
  let sleeping = false;
  let atomic = false;
  for (const n of names) {
    if (SLEEPING_MASKS.has(n)) sleeping = true;
    else if (ATOMIC_MASKS.has(n) || n.startsWith('__GFP_')) atomic = true;
    else return 'unknown'; // a variable or a call: decided by the caller
  }
  if (sleeping && /[?]/.test(mask)) return 'unknown'; // `in_atomic() ? GFP_ATOMIC : GFP_KERNEL`
  return sleeping ? 'yes' : atomic ? 'no' : 'unknown';
}

/** Whether a call of `spec` with `mask` (its gfp argument's text, when it has one) may sleep. Allocators from
 *  outside the kernel profile are not judged (user space does not sleep in this sense). */
export function allocationSleeps(spec: AllocatorEntry, mask: string | undefined): Sleeps {
  if (spec.gfpArg !== undefined) return mask === undefined ? 'unknown' : gfpSleeps(mask);
  if (spec.profile !== 'linux-kernel') return 'unknown';
  return NEVER_SLEEPS.has(spec.name) ? 'no' : 'yes';
}

/** Whether a call argument is spelled as a gfp mask at all (worth classifying). */
export function looksLikeGfp(text: string): boolean {
  return /\b_{0,2}GFP_/.test(text);
}
