// Failure conventions: which tests detect the failure of which allocator (DESIGN §5).
import type { TestKind } from './outcome';
import type { AllocationSite } from './site';

/** Whether a test of `kind` detects the failure of `site`, and what to use instead. */
export function testMismatch(site: AllocationSite, kind: TestKind, statusTestedBefore: boolean): string | undefined {
  const f = site.spec.failure;
  if (!site.canFail) return undefined; // dead-oom-check's business
  switch (f) {
    case 'null':
    case 'gfp':
    case 'negative-return':
      if (kind === 'is-err') return `${site.callee}() returns NULL on failure, never an ERR_PTR: IS_ERR() is always false here; test \`!p\``;
      if (kind === 'map-failed') return `${site.callee}() returns NULL on failure, not MAP_FAILED`;
      return undefined;
    case 'err-ptr':
      if (kind === 'null') return `${site.callee}() returns an ERR_PTR on failure, never NULL: test it with IS_ERR()`;
      if (kind === 'map-failed') return `${site.callee}() returns an ERR_PTR on failure: test it with IS_ERR()`;
      return undefined;
    case 'map-failed':
      if (kind === 'null' || kind === 'is-err-or-null') return `${site.callee}() returns MAP_FAILED on failure, not NULL: compare with MAP_FAILED`;
      if (kind === 'is-err') return `${site.callee}() returns MAP_FAILED on failure: compare with MAP_FAILED`;
      return undefined;
    case 'nonzero-return':
      if (kind === 'status-sign') return `${site.callee}() returns a positive error number on failure, never a negative one: test \`!= 0\``;
      if (kind === 'null' && !statusTestedBefore) return `the pointer is undefined when ${site.callee}() fails: test its return value instead`;
      return undefined;
    case 'minus-one-return':
      if (kind === 'null' && !statusTestedBefore) return `the pointer is undefined when ${site.callee}() fails: test its return value (-1) instead`;
      return undefined;
    default:
      return undefined;
  }
}

