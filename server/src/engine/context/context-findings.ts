// Phase 2 of the context rules, for one file with the run's call graph: `alloc-in-no-alloc-context` for the
// file's functions that must not allocate (marked, configured, signal handlers), and `blocking-alloc-in-atomic` for
// its interrupt handlers, timer callbacks and tasklets, and for the calls its functions make in atomic sections.
// A finding is at the allocation, or at the call in the function that leads to one; its related locations walk the
// chain down to the allocation, then show why the function is in its context.
import type { Catalogue } from '../catalogue/catalogue';
import type { Cfg } from '../cfg/cfg';
import type { Severity } from '../config/config';
import type { Span } from '../dataflow/outcome';
import type { Finding, RelatedLocation } from '../findings';
import type { FunctionSyntax } from '../parse/functions';
import { callArgs, calleeName, type Syntax } from '../parse/syntax';
import { atomicCalls, type Held } from './atomic-regions';
import type { CallGraph, Chain } from './call-graph';
import { spanOfPos, type AllocFact, type CallGraphFacts, type ContextFact, type ContextKind, type GfpArg } from './call-graph-facts';
import { allocationSleeps, gfpSleeps, looksLikeGfp } from './gfp';

import { allocInNoAllocContext } from '../rules/alloc-in-no-alloc-context';
import { blockingAllocInAtomic } from '../rules/blocking-alloc-in-atomic';

const NO_ALLOC_RULE = allocInNoAllocContext.id;
const ATOMIC_RULE = blockingAllocInAtomic.id;

export interface ContextCheck {
  file: string;
  text: string;
  /** The file's own call-graph facts (as prepared: an open document's current text). */
  facts: CallGraphFacts;
  /** Functions that may enter an atomic section (kernel code only). */
  atomicCandidates: FunctionSyntax[];
  catalogue: Catalogue;
  cfgOf: (fn: FunctionSyntax) => Cfg;
  /** The severity a rule has in this file's configuration, or undefined when it is off. */
  severity: (rule: string, dflt: Severity) => Severity | undefined;
}

const NO_ALLOC_KINDS: ContextKind[] = ['marked', 'configured', 'signal'];
const WHERE: Partial<Record<ContextKind, string>> = {
  irq: 'in interrupt context (an interrupt handler)',
  timer: 'in softirq context (a timer callback)',
  tasklet: 'in softirq context (a tasklet)',
};

export function contextFindings(check: ContextCheck, graph: CallGraph): Finding[] {
  const noAlloc = check.severity(NO_ALLOC_RULE, allocInNoAllocContext.severity);
  const atomic = check.severity(ATOMIC_RULE, blockingAllocInAtomic.severity);
  if (!noAlloc && !atomic) return [];
  const g = graph.withFile(check.facts);
  const out: Finding[] = [];
  const file = check.file;
  for (const { def, contexts } of g.contextsIn(file)) {
    const name = def.fn.name;
    const first = (kinds: ContextKind[]) => kinds.map((k) => contexts.find((c) => c.context.kind === k)).find((c) => c !== undefined);
    const why = first(NO_ALLOC_KINDS);
    if (why && noAlloc) {
      const reason = why.context.kind === 'marked' ? 'is marked no-alloc' : why.context.kind === 'configured' ? `matches the noAlloc pattern "${why.context.via}"` : 'is a signal handler';
      const tail = (alloc: string) => (why.context.kind === 'signal' ? ` (${alloc}() is not async-signal-safe)` : '');
      const origin = originOf(why.context, why.file);
      for (const a of def.fn.allocs) {
        const at = spanOfPos(a.at);
        out.push(finding(NO_ALLOC_RULE, noAlloc, file, at, `${name}() ${reason}, but allocates with ${a.callee}()${tail(a.callee)}`, origin, { span: at, callee: a.callee }));
      }
      for (const call of def.fn.calls) {
        const chain = g.reachFromCall(file, call.callee, 'any');
        if (!chain) continue;
        out.push(finding(NO_ALLOC_RULE, noAlloc, file, spanOfPos(call.at),
          `${name}() ${reason}, but reaches ${chain.alloc.callee}() through ${chainText(name, chain)}${tail(chain.alloc.callee)}`,
          [...chainRelated(chain, 'any'), ...origin]));
      }
      continue;
    }
    const where = first(['irq', 'timer', 'tasklet']);
    if (where && atomic) {
      const origin = originOf(where.context, where.file);
      const runs = `${name}() runs ${WHERE[where.context.kind]}`;
      for (const a of def.fn.allocs) {
        if (a.sleeps !== 'yes') continue;
        const at = spanOfPos(a.at);
        out.push(finding(ATOMIC_RULE, atomic, file, at, `${runs}, but ${allocText(a.callee, a.mask)} may sleep`, origin, { span: at, callee: a.callee }));
      }
      for (const call of def.fn.calls) {
        const chain = g.reachFromCall(file, call.callee, 'sleeps', call.gfpArgs);
        if (!chain) continue;
        out.push(finding(ATOMIC_RULE, atomic, file, spanOfPos(call.at),
          `${runs}, but reaches ${allocText(chain.alloc.callee, chain.mask ?? chain.alloc.mask)}, which may sleep: ${chainText(name, chain)}`,
          [...chainRelated(chain, 'sleeps'), ...origin]));
      }
    }
  }
  if (atomic) out.push(...atomicSectionFindings(check, g, atomic));
  return out;
}

/** Sleeping allocations (direct, or through calls) made while a function holds a lock or is otherwise atomic. */
function atomicSectionFindings(check: ContextCheck, g: CallGraph, severity: Severity): Finding[] {
  const out: Finding[] = [];
  const text = (n: Syntax) => check.text.slice(n.start, n.end);
  for (const fn of check.atomicCandidates) {
    for (const { call, held } of atomicCalls(fn, check.cfgOf(fn), text)) {
      const name = calleeName(call);
      if (!name) continue;
      const at = spanOf(call);
      const taken = heldRelated(check.file, held);
      const spec = check.catalogue.allocator(name);
      if (spec && spec.profile !== 'inferred') {
        const maskNode = spec.gfpArg !== undefined ? callArgs(call)[spec.gfpArg] : undefined;
        const mask = maskNode ? text(maskNode).replace(/\s+/g, ' ') : undefined;
        if (allocationSleeps(spec, mask) !== 'yes') continue;
        out.push(finding(ATOMIC_RULE, severity, check.file, at, `${allocText(name, mask)} may sleep ${held.phrase}`, [taken], { span: at, callee: name }));
        continue;
      }
      const gfpArgs: GfpArg[] = [];
      callArgs(call).forEach((a, arg) => {
        const mask = text(a);
        if (looksLikeGfp(mask) && gfpSleeps(mask) === 'yes') gfpArgs.push({ arg, mask: mask.replace(/\s+/g, ' ') });
      });
      const chain = g.reachFromCall(check.file, name, 'sleeps', gfpArgs.length ? gfpArgs : undefined);
      if (!chain) continue;
      out.push(finding(ATOMIC_RULE, severity, check.file, at,
        `${name}() may sleep in ${allocText(chain.alloc.callee, chain.mask ?? chain.alloc.mask)} (${chainText(undefined, chain)}) ${held.phrase}`,
        [...chainRelated(chain, 'sleeps'), taken]));
    }
  }
  return out;
}

function finding(rule: string, severity: Severity, file: string, span: Span, message: string, related: RelatedLocation[], allocation?: { span: Span; callee: string }): Finding {
  return { rule, severity, message, file, span, related, ...(allocation ? { allocation } : {}) };
}

/** `kmalloc(GFP_KERNEL)`, `vmalloc()`. */
function allocText(callee: string, mask: string | undefined): string {
  if (!mask) return `${callee}()`;
  return `${callee}(${mask.length > 40 ? mask.slice(0, 37) + '...' : mask})`;
}

/** `handler → log_event → format_msg → malloc`: from the function (when given) down to the allocator. */
function chainText(from: string | undefined, chain: Chain): string {
  const names = chain.hops.length ? [chain.hops[0].from.fn.name, ...chain.hops.map((h) => h.to.fn.name)] : [chain.holder.fn.name];
  return [...(from ? [from] : []), ...names, chain.alloc.callee].join(' → ');
}

/** Each call after the first (which is the finding itself), then the allocation. */
function chainRelated(chain: Chain, reach: 'any' | 'sleeps'): RelatedLocation[] {
  const out: RelatedLocation[] = chain.hops.map((h) => ({ file: h.from.file, span: spanOfPos(h.call.at), message: `${h.from.fn.name}() calls ${h.to.fn.name}()` }));
  const alloc: AllocFact = chain.alloc;
  const what = reach === 'sleeps' ? allocText(alloc.callee, chain.mask ?? alloc.mask) : `${alloc.callee}()`;
  out.push({ file: chain.holder.file, span: spanOfPos(alloc.at), message: `${chain.holder.fn.name}() allocates with ${what}${chain.mask ? ` (its caller's mask)` : ''}` });
  return out;
}

/** Where the function was put in its context: the mark, the registration. */
function originOf(context: ContextFact, file: string): RelatedLocation[] {
  if (!context.at) return [];
  const message = context.kind === 'marked' ? 'marked no-alloc here'
    : context.via === 'sigaction' ? 'installed as a signal handler here (struct sigaction)'
    : context.kind === 'signal' ? `installed as a signal handler here with ${context.via}()`
    : `registered here with ${context.via}()`;
  return [{ file, span: spanOfPos(context.at), message }];
}

function heldRelated(file: string, held: Held): RelatedLocation {
  return { file, span: spanOf(held.at), message: `${held.by} here` };
}

function spanOf(n: Syntax): Span {
  return { line: n.line, col: n.col, endLine: n.endLine, endCol: n.endCol };
}
