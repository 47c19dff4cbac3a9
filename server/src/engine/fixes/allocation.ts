// The allocation a finding is about, found again in the current tree: its call, the statement that holds it,
// the variable it is stored in, and its catalogue entry.
import type { Node as TsNode } from 'web-tree-sitter';
import type { AllocatorEntry, Catalogue } from '../catalogue/catalogue';
import { failKindOf, type FailKind } from '../dataflow/site';
import { ancestor, blockStatement, nodeAtSpan, type FixContext } from './fix';

export interface AllocationInTree {
  call: TsNode;
  fn: TsNode;
  /** The statement directly inside a block that makes the allocation (undefined: an unbraced if body…). */
  statement?: TsNode;
  /** The variable (or lvalue) the result is assigned to, as written. */
  holder?: string;
  /** Where the holder is declared, when the call is its initialiser. */
  declaration?: TsNode;
  spec: AllocatorEntry;
  failKind: FailKind;
  /** The catalogue's first release function for it (one that takes the pointer as its only argument). */
  release: string;
  kernel: boolean;
}

export function allocationOf(ctx: FixContext): AllocationInTree | undefined {
  const a = ctx.finding.allocation;
  if (!a) return undefined;
  const call = nodeAtSpan(ctx, a.span, ['call_expression']);
  const spec = ctx.catalogue.allocator(a.callee);
  if (!call || !spec) return undefined;
  const fn = ancestor(call, ['function_definition']);
  if (!fn) return undefined;
  let holder: string | undefined;
  let declaration: TsNode | undefined;
  let value: TsNode = call;
  while (value.parent && ['parenthesized_expression', 'cast_expression'].includes(value.parent.type)) value = value.parent;
  const parent = value.parent;
  const out = /^arg(\d+)$/.exec(spec.result ?? '');
  if (out) {
    // `VIR_ALLOC(p)`, `posix_memalign(&p, …)`: the pointer goes to an argument.
    holder = call.childForFieldName('arguments')?.namedChildren[Number(out[1])]?.text.replace(/^&\s*/, '');
  } else if (parent?.type === 'assignment_expression' && parent.childForFieldName('right')?.equals(value) && parent.childForFieldName('operator')?.text !== '+=') {
    holder = parent.childForFieldName('left')?.text;
  } else if (parent?.type === 'init_declarator' && parent.childForFieldName('value')?.equals(value)) {
    holder = innermostName(parent.childForFieldName('declarator'));
    declaration = parent.parent ?? undefined;
  }
  return {
    call, fn, statement: blockStatement(call), holder, declaration, spec, failKind: failKindOf(spec),
    release: simpleReleaser(ctx.catalogue, spec), kernel: spec.profile === 'linux-kernel',
  };
}

function innermostName(d: TsNode | null): string | undefined {
  for (let n = d; n; n = n.childForFieldName('declarator')) if (n.type === 'identifier') return n.text;
  return undefined;
}

/** `free(p)`-shaped releasers only: `dma_free_coherent(dev, size, p, handle)` cannot be written from `p` alone. */
export function simpleReleaser(catalogue: Catalogue, spec: AllocatorEntry): string {
  for (const name of spec.release ?? ['free']) {
    const r = catalogue.releaser(name);
    if (!r || ((r.arg ?? 0) === 0 && !r.byAddress)) return name;
  }
  return '';
}
