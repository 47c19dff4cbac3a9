// The allocator catalogue: what the engine knows about allocation APIs. Profiles are JSON data files
// (profiles/<name>.json) of type `ProfileData`; `.failpath.json` "allocators" entries use `AllocatorSpec`.

/** How an allocator reports failure (DESIGN §5). */
export type FailureConvention =
  | 'null' // returns NULL
  | 'err-ptr' // returns ERR_PTR(-E…), tested with IS_ERR
  | 'err-ptr-or-null' // either (tested with IS_ERR_OR_NULL)
  | 'map-failed' // returns MAP_FAILED ((void *) -1)
  | 'negative-return' // returns < 0, the pointer goes to an out argument (`result`)
  | 'nonzero-return' // returns an errno value (posix_memalign), the pointer goes to an out argument
  | 'minus-one-return' // returns -1 (asprintf), the pointer goes to an out argument
  | 'aborts' // never returns failure: aborts on OOM (g_malloc, xmalloc)
  | 'gfp'; // kernel: returns NULL unless __GFP_NOFAIL is in the flags argument

export interface AllocatorSpec {
  name: string;
  failure: FailureConvention;
  /** Where the new pointer goes: the return value (default) or an out argument `argN`
   *  (`&p` for functions, `p` itself for macros such as VIR_ALLOC(p)). */
  result?: 'return' | `arg${number}`;
  /** Functions (or macros) that release what this returns. Default: the profile's releasers. */
  release?: string[];
  /** realloc kin: index of the argument that is the old block (which stays valid on failure). */
  reallocArg?: number;
  /** The call takes over this argument whether it succeeds or not (`freopen` closes the stream it is given). */
  consumesArg?: number;
  /** The argument for which NULL gives NULL, which is no failure (`g_strdup(NULL)`, `kstrdup(NULL, gfp)`): a test of
   *  the result is dead only where that argument cannot be NULL. */
  nullIfArgNull?: number;
  /** Kernel: index of the gfp flags argument (`__GFP_NOFAIL` there means it cannot fail). */
  gfpArg?: number;
  /** mempool_alloc: cannot fail when the gfp mask allows direct reclaim (GFP_KERNEL, GFP_NOIO, GFP_NOFS). */
  failsOnlyWithoutReclaim?: boolean;
  /** Memory owned by something else and released with it: `pool` (nginx), `device` (devm_*), `gc` (libxl).
   *  Such allocations never leak by hand. */
  ownedBy?: 'pool' | 'device' | 'gc';
  /** The allocation is a resource other than heap memory (e.g. `mapping` for mmap, `page`, `skb`, `thread`). */
  resource?: string;
  /** Inferred wrappers: the function, then what it wraps down to the catalogue allocator (`zalloc → malloc`). */
  chain?: string[];
  /** An inferred die-wrapper that also returns NULL for reasons of its own (`copy_ref(NULL)`, a lookup that found
   *  nothing): a test of its result is not dead. */
  nullOtherwise?: boolean;
}

export interface ReleaserSpec {
  name: string;
  /** Index of the argument that is released (default 0). */
  arg?: number;
  /** The argument is the address of the pointer (`g_clear_pointer(&p, g_free)`, `g_free_and_null(&p)`). */
  byAddress?: boolean;
}

/** A macro or function that tests a pointer (DESIGN §6 "Checks come in many spellings"). */
export interface CheckSpec {
  name: string;
  /** Index of the argument tested (default 0). */
  arg?: number;
  kind:
    | 'transparent' // likely(x), unlikely(x), __builtin_expect(x, …): value is the argument's
    | 'assert-true' // assert(cond), BUG_ON(!cond)-style negation is handled by `assert-false`: aborts unless cond holds
    | 'assert-false' // BUG_ON(cond): aborts if cond holds
    | 'warn-true' // WARN_ON(cond): returns cond (so `if (WARN_ON(!p))` is a test)
    | 'return-if-null' // GIT_ERROR_CHECK_ALLOC(p): returns an error from the function when p is NULL
    | 'return-unless' // g_return_val_if_fail(cond, val): returns val unless cond holds
    | 'is-err' // IS_ERR(p): true for ERR_PTR values
    | 'is-err-or-null' // IS_ERR_OR_NULL(p)
    | 'ptr-err-or-zero' // PTR_ERR_OR_ZERO(p): nonzero for ERR_PTR values
    | 'ptr-err'; // PTR_ERR(p): the error value (not a test)
}

/** A declaration spelling that releases a variable when it goes out of scope. */
export interface ScopeReleaseSpec {
  /** The token in the declaration: `g_autofree`, `g_autoptr`, `_cleanup_free_`, `__free`, `VIR_AUTOFREE`,
   *  `__attribute__` (for `__attribute__((cleanup(f)))`). */
  token: string;
}

/** Functions that need a valid pointer in some arguments (`memcpy(dst, src, n)`: 0 and 1). */
export interface DerefArgsSpec {
  name: string;
  args: number[];
}

export interface ProfileData {
  name: string;
  description: string;
  allocators: AllocatorSpec[];
  releasers: ReleaserSpec[];
  checks: CheckSpec[];
  noreturn: string[];
  scopeRelease: ScopeReleaseSpec[];
  derefArgs: DerefArgsSpec[];
  /** Functions that keep a pointer they are given (`putenv`, `setprogname`): it escapes, it does not leak. */
  takesOwnership?: DerefArgsSpec[];
  /** Functions that give back one of their arguments (`memcpy(dst, …)` returns dst): its value is the call's. */
  returnsArgument?: Array<{ name: string; arg: number }>;
  /** Profiles whose allocators abort under `"policy": "abort"` are the project's own: every profile but libc/posix. */
}
