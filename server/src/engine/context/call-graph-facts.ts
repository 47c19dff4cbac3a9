// Phase 1 of the context rules (alloc-in-no-alloc-context, blocking-alloc-in-atomic): per function of a file, what
// it allocates (which allocator, where, and in kernel code whether it may sleep) and what it calls; and the functions
// the file puts in a context: marked `/* failpath: no-alloc */`, matched by the configuration's `noAlloc` globs,
// registered as signal handlers, or (kernel) as interrupt handlers, timer callbacks and tasklets. Read from the tree
// with queries (no copy of the functions); plain data, merged across the files of a run in file order (call-graph.ts).
import { Query, type Node as TsNode, type Tree } from 'web-tree-sitter';
import picomatch from 'picomatch';
import type { Catalogue } from '../catalogue/catalogue';
import type { FailpathConfig } from '../config/config';
import type { Span } from '../dataflow/outcome';
import { candidateParams, type FunctionCandidate } from '../parse/functions';
import type { LineIndex } from '../parse/line-index';
import { allocationSleeps, gfpSleeps, looksLikeGfp, type Sleeps } from './gfp';

/** A sleeping gfp mask passed as an argument (`fill(buf, GFP_KERNEL)`): the callee may allocate with it. */
export interface GfpArg {
  arg: number;
  mask: string;
}

/** A call of a function that is not a catalogue allocator; one per callee per function (the first). */
export interface CallFact {
  callee: string;
  at: Span;
  gfpArgs?: GfpArg[];
}

export interface AllocFact {
  callee: string;
  at: Span;
  /** Kernel: whether it may sleep (`unknown` outside the kernel profile, or with a variable mask). */
  sleeps: Sleeps;
  /** The gfp argument's text, when the allocator has one. */
  mask?: string;
  /** The gfp argument is this parameter of the function (`kmalloc(n, gfp)`): its callers decide. */
  gfpParam?: number;
}

export interface FunctionFact {
  name: string;
  isStatic: boolean;
  calls: CallFact[];
  allocs: AllocFact[];
}

/** Why a function must not allocate (`marked`, `configured`, `signal`) or must not sleep (`irq`, `timer`, `tasklet`). */
export type ContextKind = 'marked' | 'configured' | 'signal' | 'irq' | 'timer' | 'tasklet';

export interface ContextFact {
  /** The function (defined in this file for `marked`/`configured`; anywhere in the run for registrations). */
  name: string;
  kind: ContextKind;
  /** The mark, or the registration. */
  at?: Span;
  /** The registering API (`signal`, `sigaction`, `request_irq`…), or the `noAlloc` glob. */
  via: string;
}

export interface CallGraphFacts {
  file: string;
  functions: FunctionFact[];
  contexts: ContextFact[];
}

/** Registration APIs: the argument that is the handler, and the context it runs in. */
const REGISTRATIONS: Record<string, { arg: number; kind: ContextKind; kernel?: boolean }> = {
  signal: { arg: 1, kind: 'signal' },
  sigset: { arg: 1, kind: 'signal' },
  bsd_signal: { arg: 1, kind: 'signal' },
  sysv_signal: { arg: 1, kind: 'signal' },
  // The primary handler runs in hard interrupt context; request_threaded_irq's thread function may sleep.
  request_irq: { arg: 1, kind: 'irq', kernel: true },
  request_threaded_irq: { arg: 1, kind: 'irq', kernel: true },
  request_any_context_irq: { arg: 1, kind: 'irq', kernel: true },
  request_percpu_irq: { arg: 1, kind: 'irq', kernel: true },
  devm_request_irq: { arg: 2, kind: 'irq', kernel: true },
  devm_request_threaded_irq: { arg: 2, kind: 'irq', kernel: true },
  devm_request_any_context_irq: { arg: 2, kind: 'irq', kernel: true },
  // Timer callbacks and tasklets run in softirq context.
  timer_setup: { arg: 1, kind: 'timer', kernel: true },
  setup_timer: { arg: 1, kind: 'timer', kernel: true },
  tasklet_init: { arg: 1, kind: 'tasklet', kernel: true },
  tasklet_setup: { arg: 1, kind: 'tasklet', kernel: true },
};
const NOT_A_HANDLER = new Set(['SIG_IGN', 'SIG_DFL', 'SIG_ERR', 'SIG_HOLD', 'NULL']);
const MARK = /failpath:[ \t]*no-alloc\b/;

const queries = new Map<string, Query>();
function query(tree: Tree, source: string): Query {
  let q = queries.get(source);
  if (!q) queries.set(source, (q = new Query(tree.language, source)));
  return q;
}

const globMatchers = new Map<string, Array<[string, (name: string) => boolean]>>();
function noAllocMatchers(globs: string[]): Array<[string, (name: string) => boolean]> {
  const key = JSON.stringify(globs);
  let m = globMatchers.get(key);
  if (!m) globMatchers.set(key, (m = globs.map((g) => [g, picomatch(g)])));
  return m;
}

export function collectCallGraph(file: string, tree: Tree, candidates: FunctionCandidate[], catalogue: Catalogue, config: FailpathConfig, text: string, lines: LineIndex): CallGraphFacts {
  const kernel = config.profiles.includes('linux-kernel');
  const sorted = [...candidates].sort((a, b) => a.start - b.start);
  const span = (n: TsNode): Span => {
    const line = lines.line(n.startIndex);
    const endLine = lines.line(n.endIndex);
    return { line, col: lines.column(n.startIndex, line), endLine, endCol: lines.column(n.endIndex, endLine) };
  };
  const containing = (offset: number): FunctionCandidate | undefined => {
    let lo = 0;
    let hi = sorted.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (sorted[mid].start <= offset) lo = mid;
      else hi = mid - 1;
    }
    const c = sorted[lo];
    return c && c.start <= offset && offset < c.end ? c : undefined;
  };
  const perFunction = new Map<FunctionCandidate, { calls: Map<string, CallFact>; allocs: AllocFact[] }>();
  const factsOf = (c: FunctionCandidate) => {
    let f = perFunction.get(c);
    if (!f) perFunction.set(c, (f = { calls: new Map(), allocs: [] }));
    return f;
  };
  const params = new Map<FunctionCandidate, string[]>();
  const paramsOf = (c: FunctionCandidate) => {
    let p = params.get(c);
    if (!p) params.set(c, (p = candidateParams(c)));
    return p;
  };
  const contexts: ContextFact[] = [];

  for (const capture of query(tree, '(call_expression function: (identifier) @callee)').captures(tree.rootNode)) {
    const name = capture.node.text;
    const call = capture.node.parent;
    if (!call) continue;
    const registration = REGISTRATIONS[name];
    if (registration && (!registration.kernel || kernel)) {
      const handler = handlerName(argumentsOf(call)[registration.arg]);
      if (handler) contexts.push({ name: handler, kind: registration.kind, at: span(call), via: name });
    }
    const fn = containing(call.startIndex);
    if (!fn || name === fn.name) continue;
    const spec = catalogue.allocator(name);
    // Inferred wrappers are followed through their own bodies, which are in the graph.
    if (spec && spec.profile !== 'inferred') {
      const maskNode = spec.gfpArg !== undefined ? argumentsOf(call)[spec.gfpArg] : undefined;
      const mask = maskNode?.text.replace(/\s+/g, ' ');
      const alloc: AllocFact = { callee: name, at: span(call), sleeps: allocationSleeps(spec, mask) };
      if (mask !== undefined) {
        alloc.mask = mask;
        const param = /^[A-Za-z_]\w*$/.test(mask) ? paramsOf(fn).indexOf(mask) : -1;
        if (param >= 0) alloc.gfpParam = param;
      }
      factsOf(fn).allocs.push(alloc);
      continue;
    }
    if (catalogue.releaser(name) || catalogue.check(name) || catalogue.isNoreturn(name)) continue;
    let gfpArgs: GfpArg[] | undefined;
    if (kernel) {
      const args = argumentsOf(call);
      args.forEach((a, arg) => {
        const mask = a.text;
        if (looksLikeGfp(mask) && gfpSleeps(mask) === 'yes') (gfpArgs ??= []).push({ arg, mask: mask.replace(/\s+/g, ' ') });
      });
    }
    const calls = factsOf(fn).calls;
    // The first call of each callee, and the first that passes it a sleeping mask.
    const key = gfpArgs ? `${name}\0gfp` : name;
    if (!calls.has(key)) calls.set(key, gfpArgs ? { callee: name, at: span(call), gfpArgs } : { callee: name, at: span(call) });
  }

  // `sa.sa_handler = h;`, `struct sigaction sa = { .sa_handler = h };`
  if (text.includes('sa_handler') || text.includes('sa_sigaction')) {
    for (const capture of query(tree, '((field_identifier) @field (#any-of? @field "sa_handler" "sa_sigaction"))').captures(tree.rootNode)) {
      const field = capture.node;
      const holder = field.parent;
      let value: TsNode | null | undefined;
      if (holder?.type === 'field_expression' && holder.parent?.type === 'assignment_expression' && holder.parent.childForFieldName('left')?.equals(holder)) {
        value = holder.parent.childForFieldName('right');
      } else if (holder?.type === 'field_designator' && holder.parent?.type === 'initializer_pair') {
        value = holder.parent.childForFieldName('value');
      }
      const handler = handlerName(value ?? undefined);
      if (handler) contexts.push({ name: handler, kind: 'signal', at: span(holder!.parent!), via: 'sigaction' });
    }
  }

  // `/* failpath: no-alloc */` directly before a function, or on its first lines before the first statement.
  if (text.includes('failpath:')) {
    for (const capture of query(tree, '(comment) @comment').captures(tree.rootNode)) {
      const comment = capture.node;
      if (!MARK.test(comment.text)) continue;
      const marked = markedFunction(comment, sorted, containing, lines);
      if (marked) contexts.push({ name: marked.name, kind: 'marked', at: span(comment), via: 'failpath: no-alloc' });
    }
  }

  if (config.noAlloc.length) {
    const matchers = noAllocMatchers(config.noAlloc);
    for (const c of sorted) {
      const glob = matchers.find(([, m]) => m(c.name));
      if (glob) contexts.push({ name: c.name, kind: 'configured', via: glob[0] });
    }
  }

  const functions: FunctionFact[] = [];
  for (const c of sorted) {
    const f = perFunction.get(c);
    if (!f) continue;
    const isStatic = !c.looseBody && c.node.namedChildren.some((k) => k?.type === 'storage_class_specifier' && k.text === 'static');
    functions.push({ name: c.name, isStatic, calls: [...f.calls.values()], allocs: f.allocs });
  }
  return { file, functions, contexts };
}

function argumentsOf(call: TsNode): TsNode[] {
  const args = call.childForFieldName('arguments');
  return args ? args.namedChildren.filter((a): a is TsNode => !!a && a.type !== 'comment') : [];
}

/** The function named by a handler argument: `h`, `&h`, `(sighandler_t) h`; not SIG_IGN/SIG_DFL/NULL. */
function handlerName(n: TsNode | undefined): string | undefined {
  let v: TsNode | null | undefined = n;
  for (let guard = 0; v && guard < 8; guard++) {
    if (v.type === 'identifier') return NOT_A_HANDLER.has(v.text) ? undefined : v.text;
    if (v.type === 'parenthesized_expression') v = v.namedChild(0);
    else if (v.type === 'cast_expression') v = v.childForFieldName('value');
    else if (v.type === 'pointer_expression' && v.child(0)?.type === '&') v = v.childForFieldName('argument');
    else return undefined;
  }
  return undefined;
}

/** The function a no-alloc mark belongs to: the one that starts on the mark's line or the next, or the one whose
 *  header or body holds it before the first statement. */
function markedFunction(comment: TsNode, sorted: FunctionCandidate[], containing: (offset: number) => FunctionCandidate | undefined, lines: LineIndex): FunctionCandidate | undefined {
  const inside = containing(comment.startIndex);
  if (inside) {
    const body = inside.looseBody ? undefined : inside.node.childForFieldName('body');
    if (!body || comment.startIndex < body.startIndex) return inside;
    const first = body.namedChildren.find((k) => k && k.type !== 'comment');
    return !first || comment.startIndex < first.startIndex ? inside : undefined;
  }
  const next = sorted.find((c) => c.start >= comment.endIndex);
  if (!next) return undefined;
  return lines.line(next.start) - lines.line(comment.endIndex) <= 1 ? next : undefined;
}
