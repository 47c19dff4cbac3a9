// What an analysed function's cached result (function-cache.ts) depends on, for the language server: its key (its
// own text and place, the facts and names it mentions) and the digests of what its exploration read of the other
// functions of the file (`Dependency`).
import { createHash } from 'node:crypto';
import type { PreparedFile } from './analyze';
import type { FunctionSyntax } from './parse/functions';
import { calleeName } from './parse/syntax';
import type { ExploreContext } from './dataflow/explore';
import { allocationCalls } from './dataflow/site';
import { spansOf, type Dependency, type DependencyKind, type FunctionLines } from './function-cache';
import type { Finding } from './findings';
import { handsBackAllocation, mentionedFunctions } from './helper-sources';

/**
 * What a function's findings depend on: its own text and column, the same-file functions it may inline (text and
 * offset), and the configuration, facts and relevant names — only those it or its helpers mention, so that typing
 * in one function leaves the others' keys alone.
 */
export function functionKeys(p: PreparedFile, ctx: ExploreContext): Map<FunctionSyntax, string> {
  const fileKey = createHash('sha1').update(JSON.stringify(p.config)).digest('base64');
  const hasRealloc = (fn: FunctionSyntax) => allocationCalls(fn.body, ctx.catalogue).some((c) => {
    const name = calleeName(c);
    return name !== undefined && ctx.catalogue.allocator(name)?.reallocArg !== undefined;
  });
  const keys = new Map<FunctionSyntax, string>();
  for (const fn of p.analysed) {
    const h = createHash('sha1').update(fileKey).update(String(fn.start - (p.text.lastIndexOf('\n', fn.start - 1) + 1))).update(fn.text);
    // A static helper's realloc is judged by what its callers pass it: their text is part of its key.
    if (fn.isStatic && hasRealloc(fn)) {
      const callerPattern = new RegExp(`\\b${fn.name}\\b`);
      for (const caller of p.analysed) if (caller !== fn && callerPattern.test(caller.text)) h.update(`\0caller\0`).update(caller.text);
    }
    const texts = [fn.text];
    const seen = new Set([fn.name]);
    let frontier = [fn];
    for (let depth = 0; depth < 3 && frontier.length; depth++) {
      const next: FunctionSyntax[] = [];
      for (const f of frontier) {
        for (const name of mentionedFunctions(f, ctx)) {
          if (seen.has(name)) continue;
          seen.add(name);
          const g = ctx.functions.get(name)!;
          // Which same-file functions exist: what the exploration read of them is checked by its dependencies.
          h.update(`\0${name}\0`);
          texts.push(g.text);
          next.push(g);
        }
      }
      frontier = next;
    }
    const mentioned = new Set(texts.join('\n').match(/[A-Za-z_]\w*/g) ?? []);
    const only = <T>(list: Iterable<T>, name: (x: T) => string) => [...list].filter((x) => mentioned.has(name(x)));
    h.update(JSON.stringify([
      only(ctx.relevant, (n) => n), only(p.unreleasedStatics, (n) => n),
      // The facts in force (this file's, with the other files' of the run), whatever file they came from.
      only(ctx.facts.globals, (g) => g[0]), only(ctx.facts.functions, (f) => f[0]), only(ctx.facts.noreturn, (n) => n), only(ctx.facts.transparent, (n) => n),
      only(p.inferred?.allocators ?? [], (a) => a.name), only(p.inferred?.releasers ?? [], (r) => r.name), only(p.inferred?.effects ?? [], (e) => e.name),
      only(p.inferred?.keeps ?? [], (k) => k.name), only(p.inferred?.nonnull ?? [], (n) => n),
    ]));
    keys.set(fn, h.digest('base64'));
  }
  return keys;
}

/** The current digests of what explorations read of the file's functions (function-cache.ts `Dependency`). */
export class FunctionDigests {
  private readonly summaries = new Map<FunctionSyntax, string>();
  constructor(private readonly ctx: ExploreContext) {}

  of(name: string, kind: DependencyKind): string | undefined {
    const fn = this.ctx.functions.get(name);
    if (!fn) return undefined;
    if (kind === 'text') return textDigest(fn, 'tokens');
    if (kind === 'layout') return textDigest(fn, 'exact');
    let d = this.summaries.get(fn);
    if (d === undefined) {
      const s = this.ctx.summaryOf(fn);
      const sorted = (set: Set<number>) => [...set].sort((a, b) => a - b);
      d = JSON.stringify([sorted(s.derefsParam), sorted(s.releasesParam), sorted(s.storesParam), s.readsGlobals, s.callees, mentionedFunctions(fn, this.ctx), handsBackAllocation(fn, this.ctx.catalogue), fn.params.length, fn.returns]);
      this.summaries.set(fn, d);
    }
    return d;
  }

  /** The functions other than `fn` in which a finding of `fn` has a span (an inlined helper): their exact layout. */
  layout(fn: FunctionSyntax, findings: Finding[], lines: FunctionLines): Dependency[] {
    const names = new Set<string>();
    for (const f of findings) {
      for (const span of spansOf(f)) {
        const name = lines.nameAt(span.line);
        if (name && name !== fn.name) names.add(name);
      }
    }
    const out: Dependency[] = [];
    for (const name of names) {
      const digest = this.of(name, 'layout');
      if (digest !== undefined) out.push({ name, kind: 'layout', digest });
    }
    return out;
  }

  dependencies(reads: Map<string, DependencyKind | 'both'>): Dependency[] {
    const out: Dependency[] = [];
    for (const [name, kind] of reads) {
      for (const k of kind === 'both' ? (['text', 'summary'] as const) : [kind]) {
        const digest = this.of(name, k);
        if (digest !== undefined) out.push({ name, kind: k, digest });
      }
    }
    return out;
  }
}

const textDigests = { tokens: new WeakMap<FunctionSyntax, string>(), exact: new WeakMap<FunctionSyntax, string>() };
/** `exact`: the text as it is; `tokens`: with runs of blanks within a line made one space — what an inlining caller's
 *  findings depend on, unless one of them lies in this function (then its columns do: a `layout` dependency). */
function textDigest(fn: FunctionSyntax, how: 'tokens' | 'exact'): string {
  let d = textDigests[how].get(fn);
  if (d === undefined) textDigests[how].set(fn, (d = createHash('sha1').update(how === 'exact' ? fn.text : fn.text.replace(/[ \t]+/g, ' ')).digest('base64')));
  return d;
}

/** Where each function of the file starts (the cache places findings by it). */
export function functionLines(p: PreparedFile): FunctionLines {
  const all = [...p.analysed, ...p.functions.values()].sort((a, b) => a.line - b.line);
  const first = new Map<string, number>();
  for (const f of all) if (!first.has(f.name)) first.set(f.name, f.line);
  return {
    lineOf: (name) => first.get(name),
    nameAt: (line) => all.find((f) => f.line <= line && line <= f.closeLine && first.get(f.name) === f.line)?.name,
  };
}
