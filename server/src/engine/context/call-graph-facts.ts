// Phase 1 of the context rules (alloc-in-no-alloc-context, blocking-alloc-in-atomic): per function of a file, what
// it allocates (which allocator, where, and in kernel code whether it may sleep) and what it calls; and the functions
// the file puts in a context: marked `/* failpath: no-alloc */`, matched by the configuration's `noAlloc` globs,
// registered as signal handlers, or (kernel) as interrupt handlers, timer callbacks and tasklets. Read from the tree
// with queries, and from the function bodies the file copied out anyway; plain data, merged across the files of a
// run in file order (call-graph.ts).
import { Query, type Node as TsNode, type Tree } from 'web-tree-sitter';
import picomatch from 'picomatch';
import { createHash } from 'node:crypto';
import type { Catalogue } from '../catalogue/catalogue';
import type { FailpathConfig } from '../config/config';
import type { Span } from '../dataflow/outcome';
import { isStaticDefinition, type FunctionCandidate } from '../parse/functions';
import type { LineIndex } from '../parse/line-index';
import { child, isWholeCopy, walk, type Syntax } from '../parse/syntax';
import { allocationSleeps, gfpSleeps, looksLikeGfp, type Sleeps } from './gfp';
import { MAY_ENTER_ATOMIC } from './atomic-regions';
import { commonPrefix, commonSuffix, type KnownSame } from '../parse/text-edit';
import { lineEndOf, lineStartOf } from '../text-position';

/** A place, compactly (these facts are kept for every call of a run): 0-based line, column, end line, end column. */
export type Pos = [number, number, number, number];

export function spanOfPos(p: Pos): Span {
  return { line: p[0], col: p[1], endLine: p[2], endCol: p[3] };
}

/** A sleeping gfp mask passed as an argument (`fill(buf, GFP_KERNEL)`): the callee may allocate with it. */
export interface GfpArg {
  arg: number;
  mask: string;
}

/** A call of a function that is not a catalogue allocator; one per callee per function (the first). */
export interface CallFact {
  callee: string;
  /** The callee's name at the call. */
  at: Pos;
  gfpArgs?: GfpArg[];
}

export interface AllocFact {
  callee: string;
  at: Pos;
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
  /** Parameters it installs as handlers (`sigchain_push(int sig, sigchain_fun f) { … signal(sig, f); }`). */
  registers?: Array<{ param: number; kind: ContextKind }>;
}

/** A function of this file, or a parameter of the calling function, passed as an argument: a handler installed
 *  through the project's own registration function (`sigchain_push_common(remove_junk_on_signal)`). */
export interface PassFact {
  callee: string;
  arg: number;
  at: Pos;
  /** The function passed. */
  name?: string;
  /** Or the caller's parameter passed on: `from` forwards its parameter `param`. */
  from?: string;
  param?: number;
}

/** Why a function must not allocate (`marked`, `configured`, `signal`) or must not sleep (`irq`, `timer`, `tasklet`). */
export type ContextKind = 'marked' | 'configured' | 'signal' | 'irq' | 'timer' | 'tasklet';

export interface ContextFact {
  /** The function (defined in this file for `marked`/`configured`; anywhere in the run for registrations). */
  name: string;
  kind: ContextKind;
  /** The mark, or the registration. */
  at?: Pos;
  /** The registering API (`signal`, `sigaction`, `request_irq`…), or the `noAlloc` glob. */
  via: string;
}

export interface CallGraphFacts {
  file: string;
  functions: FunctionFact[];
  contexts: ContextFact[];
  passes?: PassFact[];
  /** A hash of the facts: an open document's facts are compared with the workspace index's by it. */
  digest: string;
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
/** Whether a file may put one of its functions in a context by itself (a mark, a glob, a registration, a lock), or
 *  needs its call-graph facts for that. A file that does not is judged with the workspace's facts about it. */
export function mayHaveContexts(text: string, config: FailpathConfig): boolean {
  return config.noAlloc.length > 0 || MAY_REGISTER.test(text) || (config.profiles.includes('linux-kernel') && MAY_ENTER_ATOMIC.test(text));
}

/**
 * `mayHaveContexts` of a document's text after an edit, from its answer before. A text that had none of those
 * spellings can only have gained one where it changed: the lines of the change are read again, with the nearest
 * line with code on either side (a lock's name and its `(` may have blank lines between them).
 */
export function mayHaveContextsAfterEdit(before: { text: string; value: boolean }, text: string, config: FailpathConfig, known?: KnownSame): boolean {
  if (before.value || config.noAlloc.length > 0) return mayHaveContexts(text, config);
  const from = commonPrefix(before.text, text, known?.prefix);
  const to = text.length - commonSuffix(before.text, text, from, known?.suffix);
  let start = lineStartOf(text, from);
  while (start > 0) {
    start = lineStartOf(text, start - 1);
    if (text.slice(start, lineEndOf(text, start)).trim()) break;
  }
  let end = lineEndOf(text, to);
  while (end < text.length) {
    const next = lineEndOf(text, end + 1);
    const line = text.slice(end + 1, next);
    end = next;
    if (line.trim()) break;
  }
  return mayHaveContexts(text.slice(start, end), config);
}
const MAY_REGISTER = /failpath:[ \t]*no-alloc|\b(?:signal|sigset|bsd_signal|sysv_signal|sa_handler|sa_sigaction|request_\w*irq|devm_request_\w*irq|timer_setup|setup_timer|tasklet_init|tasklet_setup)\b/;

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

/** `copiedBodies`: function bodies already copied out of this tree (their calls are read from the copies). */
export function collectCallGraph(file: string, tree: Tree, candidates: FunctionCandidate[], catalogue: Catalogue, config: FailpathConfig, text: string, lines: LineIndex, copiedBodies: Iterable<Syntax> = []): CallGraphFacts {
  const kernel = config.profiles.includes('linux-kernel');
  const sorted = [...candidates].sort((a, b) => a.start - b.start);
  const pos = (start: number, end: number): Pos => {
    const line = lines.line(start);
    const endLine = lines.line(end);
    return [line, lines.column(start, line), endLine, lines.column(end, endLine)];
  };
  const span = (n: TsNode): Pos => pos(n.startIndex, n.endIndex);
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
  const params = new Map<FunctionCandidate, Param[]>();
  const paramsOf = (c: FunctionCandidate) => {
    let p = params.get(c);
    if (!p) params.set(c, (p = headerParams(c, text)));
    return p;
  };
  const paramIndex = (c: FunctionCandidate, name: string) => paramsOf(c).findIndex((p) => p.name === name);
  const contexts: ContextFact[] = [];
  const registers = new Map<FunctionCandidate, Array<{ param: number; kind: ContextKind }>>();

  // Names and positions are read from the text: each property of a node asked of web-tree-sitter is a call into
  // its wasm, and a file has thousands of calls. The call node itself is fetched only for calls that are kept.
  for (const found of namedCalls(tree, copiedBodies, text.length)) {
    const start = found.start;
    const name = identifierAt(text, start);
    const fn = containing(start);
    const callNode = () => (found.callee ?? tree.rootNode.descendantForIndex(start, start + name.length)!).parent!;
    const registration = REGISTRATIONS[name];
    if (registration && (!registration.kernel || kernel)) {
      const call = callNode();
      const handler = handlerName(argumentsOf(call)[registration.arg]);
      const param = handler && fn ? paramIndex(fn, handler) : -1;
      if (param >= 0) {
        let list = registers.get(fn!);
        if (!list) registers.set(fn!, (list = []));
        list.push({ param, kind: registration.kind });
      } else if (handler) contexts.push({ name: handler, kind: registration.kind, at: span(call), via: name });
    }
    if (!fn || name === fn.name) continue;
    const spec = catalogue.allocator(name);
    // Inferred wrappers are followed through their own bodies, which are in the graph.
    if (spec && spec.profile !== 'inferred') {
      const maskNode = spec.gfpArg !== undefined ? argumentsOf(callNode())[spec.gfpArg] : undefined;
      const mask = maskNode?.text.replace(/\s+/g, ' ');
      const alloc: AllocFact = { callee: name, at: found.callEnd !== undefined ? pos(start, found.callEnd) : span(callNode()), sleeps: allocationSleeps(spec, mask) };
      if (mask !== undefined) alloc.mask = mask;
      if (kernel) {
        // `kmalloc(n, gfp | __GFP_ZERO)`: the mask is the caller's. In a function that takes a gfp_t, an allocation
        // without a mask (vzalloc) is made only when the caller's mask allows it (`if (gfp == GFP_KERNEL)`).
        const names = (mask?.match(/[A-Za-z_]\w*/g) ?? []).filter((n) => !/^_{0,2}GFP_/.test(n));
        const param = names.length === 1 ? paramIndex(fn, names[0]) : mask === undefined && alloc.sleeps === 'yes' ? paramsOf(fn).findIndex((p) => p.gfp) : -1;
        if (param >= 0 && (mask === undefined || !/~/.test(mask))) {
          alloc.gfpParam = param;
          alloc.sleeps = 'unknown';
        }
      }
      factsOf(fn).allocs.push(alloc);
      continue;
    }
    if (catalogue.releaser(name) || catalogue.check(name) || catalogue.isNoreturn(name)) continue;
    const calls = factsOf(fn).calls;
    // Kernel: a call that passes a sleeping mask (`GFP_` in its argument text, then the arguments themselves).
    let gfpArgs: GfpArg[] | undefined;
    if (kernel && looksLikeGfp(argumentText(text, start + name.length))) {
      argumentsOf(callNode()).forEach((a, arg) => {
        const mask = a.text;
        if (looksLikeGfp(mask) && gfpSleeps(mask) === 'yes') (gfpArgs ??= []).push({ arg, mask: mask.replace(/\s+/g, ' ') });
      });
    }
    // The first call of each callee, and the first that passes it a sleeping mask.
    const key = gfpArgs ? `${name}\0gfp` : name;
    if (calls.has(key)) continue;
    // The callee's name is the call's place: no further call into the tree for it.
    const at = pos(start, start + name.length);
    calls.set(key, gfpArgs ? { callee: name, at, gfpArgs } : { callee: name, at });
  }

  const passes = collectPasses(tree, text, sorted, containing, paramsOf, pos);

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
      const fn = handler ? containing(field.startIndex) : undefined;
      const param = fn && handler ? paramIndex(fn, handler) : -1;
      if (param >= 0) {
        let list = registers.get(fn!);
        if (!list) registers.set(fn!, (list = []));
        list.push({ param, kind: 'signal' });
      } else if (handler) contexts.push({ name: handler, kind: 'signal', at: span(holder!.parent!), via: 'sigaction' });
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
    const isStatic = isStaticDefinition(c);
    const fact: FunctionFact = { name: c.name, isStatic, calls: [...f.calls.values()], allocs: f.allocs };
    const r = registers.get(c);
    if (r) fact.registers = r;
    functions.push(fact);
  }
  for (const [c, r] of registers) if (!perFunction.has(c)) functions.push({ name: c.name, isStatic: isStaticDefinition(c), calls: [], allocs: [], registers: r });
  const out: Omit<CallGraphFacts, 'digest'> & { passes?: PassFact[] } = { file, functions, contexts };
  if (passes.length) out.passes = passes;
  return { ...out, digest: createHash('sha1').update(JSON.stringify(out)).digest('base64') };
}

/** A call of a function by name: where the name starts, and the name's node (from the query) or the call's end
 *  (from a copy; the node is looked up only when the call's arguments are read). */
interface NamedCall {
  start: number;
  callee?: TsNode;
  callEnd?: number;
}

const CALLS_BY_NAME = '(call_expression function: (identifier) @callee)';

/** The calls by name in the file, in order. Those inside copied bodies are read from the copies; the query runs over
 *  the rest only (a query visits every node of the tree it is given, which cost as much as a tenth of the run). */
function namedCalls(tree: Tree, copiedBodies: Iterable<Syntax>, length: number): NamedCall[] {
  const out: NamedCall[] = [];
  const calls = query(tree, CALLS_BY_NAME);
  // Both ends included (a name the parser inserted has no width), duplicates dropped below.
  const queryRange = (start: number, end: number) => {
    // web-tree-sitter's ranges count bytes of UTF-16; it returns the captures that overlap the range.
    for (const { node } of calls.captures(tree.rootNode, { startIndex: 2 * start, endIndex: 2 * end + 2 })) {
      if (node.startIndex >= start && node.startIndex <= end) out.push({ start: node.startIndex, callee: node });
    }
  };
  let from = 0;
  for (const body of [...copiedBodies].filter(isWholeCopy).sort((a, b) => a.start - b.start)) {
    if (body.start < from) continue; // overlapping copies: the part the first does not cover is queried
    queryRange(from, body.start);
    walk(body, (n) => {
      if (n.type !== 'call_expression') return;
      const fn = child(n, 'function');
      if (fn?.type === 'identifier') out.push({ start: fn.start, callEnd: n.end });
    });
    from = body.end;
  }
  queryRange(from, length);
  out.sort((a, b) => a.start - b.start);
  // Two names of calls cannot start at one place: the same call seen from both sides of a boundary.
  return out.filter((c, i) => i === 0 || out[i - 1].start !== c.start);
}

/** The identifier that starts at `start`. */
function identifierAt(text: string, start: number): string {
  let end = start;
  for (let c = text.charCodeAt(end); (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95; c = text.charCodeAt(++end));
  return text.slice(start, end);
}

/** The text of a call's argument list, from its `(` (a prefilter: parentheses in strings may cut it short). */
function argumentText(text: string, from: number): string {
  const open = text.indexOf('(', from);
  if (open < 0) return '';
  let depth = 0;
  for (let i = open; i < text.length && i < open + 2000; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return text.slice(open, i + 1);
  }
  return text.slice(open, open + 2000);
}

interface Param {
  name: string;
  /** Declared `gfp_t`. */
  gfp: boolean;
  /** Declared as a function pointer (`void (*f)(int)`), or with a type named like one (`sighandler_t`, `sigchain_fun`). */
  fnptr: boolean;
}
/** A header that may declare a function-pointer parameter (cheap test before its parameters are read). */
const MAY_TAKE_FUNCTION = /\(\s*\*|fn|fun|handler|callback|cb|proc|sig/i;
const FUNCTION_TYPE = /(?:^|_)(?:fn|fun|func|function|handler|callback|cb|proc)(?:_t|_type)?$|^sig_t$|^sighandler_t$/i;

/** A function's parameters, read from its header text (no tree walk): the parenthesised list after its name. */
function headerParams(c: FunctionCandidate, text: string): Param[] {
  if (c.looseBody) return [];
  const body = text.indexOf('{', c.start);
  const header = text.slice(c.start, body < 0 || body > c.end ? c.end : body);
  const at = header.search(new RegExp(`\\b${c.name}\\s*\\(`));
  if (at < 0) return [];
  const open = header.indexOf('(', at);
  const segments: string[] = [];
  let depth = 0;
  let from = open + 1;
  for (let i = open; i < header.length; i++) {
    const ch = header[i];
    if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) {
      segments.push(header.slice(from, i));
      break;
    } else if (ch === ',' && depth === 1) {
      segments.push(header.slice(from, i));
      from = i + 1;
    }
  }
  return segments.map((seg) => {
    const fp = /\(\s*\*\s*(\w+)\s*\)/.exec(seg);
    if (fp) return { name: fp[1], fnptr: true, gfp: false };
    const ids = seg.replace(/\[[^\]]*\]/g, '').match(/[A-Za-z_]\w*/g) ?? [];
    const name = ids[ids.length - 1] ?? '';
    return { name, fnptr: ids.length > 1 && FUNCTION_TYPE.test(ids[ids.length - 2]), gfp: ids.length > 1 && ids[ids.length - 2] === 'gfp_t' };
  });
}


/** Arguments that name a function of the file, or pass on a function-pointer parameter of the calling function
 *  (handlers installed through the project's own registration functions). Found in the text (a name right after
 *  `(` or `,` and not called), then confirmed in the tree: such arguments are rare, calls are not. */
function collectPasses(tree: Tree, text: string, sorted: FunctionCandidate[], containing: (offset: number) => FunctionCandidate | undefined, paramsOf: (c: FunctionCandidate) => Param[], pos: (start: number, end: number) => Pos): PassFact[] {
  const out: PassFact[] = [];
  const found = (offset: number, fn: FunctionCandidate, passed: { name: string } | { param: number }) => {
    const id = tree.rootNode.descendantForIndex(offset);
    const call = id?.type === 'identifier' && id.parent?.type === 'argument_list' ? id.parent.parent : null;
    const calleeNode = call?.type === 'call_expression' ? call.childForFieldName('function') : null;
    if (!call || calleeNode?.type !== 'identifier') return;
    const callee = identifierAt(text, calleeNode.startIndex);
    if (REGISTRATIONS[callee]) return;
    const arg = argumentsOf(call).findIndex((a) => a.startIndex === offset);
    if (arg < 0) return;
    const at = pos(call.startIndex, call.endIndex);
    out.push('name' in passed ? { callee, arg, at, name: passed.name } : { callee, arg, at, from: fn.name, param: passed.param });
  };
  const names = new Set(sorted.map((c) => c.name));
  const mayForward = new Set(sorted.filter((c) => MAY_TAKE_FUNCTION.test(text.slice(c.start, Math.min(c.end, c.start + 300)).split('{')[0])));
  // A lone identifier between `(`/`,` and `,`/`)`: an argument that is not called.
  for (const m of text.matchAll(/[(,]\s*([A-Za-z_]\w*)\s*(?=[,)])/g)) {
    const name = m[1];
    const offset = m.index + m[0].length - name.length;
    const fn = containing(offset);
    if (!fn || fn.name === name) continue;
    if (names.has(name)) found(offset, fn, { name });
    else if (mayForward.has(fn)) {
      const param = paramsOf(fn).findIndex((p) => p.fnptr && p.name === name);
      if (param >= 0) found(offset, fn, { param });
    }
  }
  return out.sort((a, b) => a.at[0] - b.at[0] || a.at[1] - b.at[1] || a.arg - b.arg);
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
