// The engine's entry point: source text → findings. Two phases, so that a multi-file run can share facts:
// `prepare` parses and copies out what the analysis needs (the tree is freed), `analyze` runs the dataflow.
import type { Edit, Parser, Tree } from 'web-tree-sitter';
import { createCParser } from './parse/parser';
import { FunctionCopies } from './parse/function-copies';
import { positionAt } from './text-position';
import { findFunctions, toFunctionSyntax, unionTypeNames, type FunctionCandidate, type FunctionSyntax } from './parse/functions';
import { hasConditionalDirectives, maskAttributes, maskConditionals } from './parse/preprocessor-mask';
import { walk, child, unwrap, calleeName, type Syntax } from './parse/syntax';
import { Catalogue } from './catalogue/catalogue';
import { DEFAULT_CONFIG, type FailpathConfig, type Severity } from './config/config';
import { buildCfg } from './cfg/build';
import type { Cfg } from './cfg/cfg';
import { allocationCalls, siteFor } from './dataflow/site';
import { SiteExplorer, type ExploreContext } from './dataflow/explore';
import { collectFileFacts, factsForFile, type ConstantFacts, type FileFacts, NO_FACTS } from './dataflow/facts';
import { summarize, type CalleeSummary } from './dataflow/callee-summary';
import { unreleasedStatics } from './dataflow/static-storage';
import { MAX_WRAPPER_LINES, MAY_RETURN_CALL, summariseWrapper, type InferenceFacts, type WrapperSummary } from './dataflow/wrapper-summary';
import type { Inferred } from './dataflow/wrappers';
import { relevantNames } from './dataflow/relevance';
import { fileKnowledge, type FileKnowledge } from './parse/file-knowledge';
import { LineIndex } from './parse/line-index';
import { spanOf, type SiteOutcome } from './dataflow/outcome';
import { RULES } from './rules/registry';
import type { SiteRuleContext } from './rules/rule';
import { findSuppressions, applySuppressions, type Suppression } from './suppressions';
import type { FileStats, Finding } from './findings';
import { compareFindings } from './findings';
import type { FunctionResultCache, FunctionLines } from './function-cache';
import { createHash } from 'node:crypto';
import { collectCallGraph } from './context/call-graph-facts';
import { CallGraph } from './context/call-graph';
import { MAY_ENTER_ATOMIC } from './context/atomic-regions';
import { contextFindings } from './context/context-findings';
import { allocInNoAllocContext } from './rules/alloc-in-no-alloc-context';
import { blockingAllocInAtomic } from './rules/blocking-alloc-in-atomic';

export interface PreparedFile {
  file: string;
  config: FailpathConfig;
  facts: FileFacts;
  /** Functions that allocate, and the same-file functions they may call (for inlining). */
  functions: Map<string, FunctionSyntax>;
  /** Every function to analyse, also those sharing a name (macro-made names like `internal_function`). */
  analysed: FunctionSyntax[];
  /** File-static pointers that nothing releases: storing there is not an escape. */
  unreleasedStatics: Set<string>;
  suppressions: Suppression[];
  stats: FileStats;
  /** Why the file could not be used at all (binary, too large): counted in stats.parseErrors. */
  unusable?: string;
  text: string;
  /** Other files' inferred wrappers and releasers this file was prepared with (in its catalogue). */
  inferred?: Inferred;
  /** Small functions kept for inference (`summariseWrappers`), when the run infers wrappers: pointer functions,
   *  and non-static functions that call a releaser. */
  wrapperCandidates?: FunctionSyntax[];
  releaserCandidates?: FunctionSyntax[];
  /** Kernel code: functions that may enter an atomic section (blocking-alloc-in-atomic follows their locks). */
  atomicCandidates?: FunctionSyntax[];
}

export interface PrepareOptions {
  /** Phase 1 of a multi-file run: keep the file's small pointer functions for wrapper summaries. */
  summariseWrappers?: boolean;
  /** Phase 2: other files' wrappers and releasers, in this file's catalogue. */
  inferred?: Inferred;
  /** Collect the file's call-graph facts (default: yes, unless `inferred` is given: phase 2 keeps phase 1's facts).
   *  The language server skips them for a file that can have no context (`mayHaveContexts`). */
  callGraph?: boolean;
}

export interface FileResult {
  file: string;
  findings: Finding[];
  stats: FileStats;
  unusable?: string;
}

/** Files larger than this are not parsed (a generated table, not code a person maintains). */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;
const ERROR_RETURN = /\breturn\s+(-\s*\w+|false|FALSE|NULL|ret|rc|err|error|res|result|status|rv|retval|[A-Z][A-Z0-9_]*(ERR|ERROR|FAIL|NOMEM|OUT_OF_MEMORY|INVALID)[A-Z0-9_]*)\s*;|=\s*-\s*(E[A-Z0-9]+|\d+)\s*;/;

export class Engine {
  private constructor(private readonly parser: Parser) {}

  static async create(): Promise<Engine> {
    return new Engine(await createCParser());
  }

  private readonly catalogues = new Map<string, Catalogue>();
  catalogueFor(config: FailpathConfig, inferred?: Inferred): Catalogue {
    const key = JSON.stringify([config.profiles, config.policy, config.allocators, inferred ?? null]);
    if (this.catalogues.size > 256) this.catalogues.clear(); // a long-running server sees many inferred sets
    let c = this.catalogues.get(key);
    if (!c) {
      c = new Catalogue({ profiles: config.profiles, policy: config.policy, allocators: config.allocators, inferred: inferred?.allocators, inferredReleasers: inferred?.releasers });
      this.catalogues.set(key, c);
    }
    return c;
  }

  /** Parses one file. Parsing never fails: syntax errors leave ERROR nodes, and what parsed is analysed.
   *  `reuse` is the caller's parse of `text` (the language server's, kept across edits); it is not deleted. */
  prepare(file: string, text: string, config: FailpathConfig = DEFAULT_CONFIG, reuse?: ParsedSource, kept?: FunctionCopies, options: PrepareOptions = {}): PreparedFile {
    const stats: FileStats = { files: 1, bytes: text.length, functions: 0, allocationSites: 0, parseErrors: 0 };
    const empty: PreparedFile = {
      file, config, text, facts: { variables: [], functions: [], written: [], noreturn: [], transparent: [] }, functions: new Map(), analysed: [],
      unreleasedStatics: new Set(), suppressions: [], stats, inferred: options.inferred,
    };
    if (text.length > MAX_FILE_BYTES) return this.unusable(empty, `larger than ${MAX_FILE_BYTES >> 20} MB`);
    if (text.indexOf('\0') >= 0) return this.unusable(empty, 'binary file (contains NUL bytes)');
    const parsed = reuse ?? this.parseSource(text);
    if (!parsed) return this.unusable(empty, 'the parser gave up (time budget)');
    const { tree, source } = parsed;
    try {
      const catalogue = this.catalogueFor(config, options.inferred);
      const candidates = findFunctions(tree.rootNode);
      const unionTypes = unionTypeNames(tree.rootNode);
      stats.functions = candidates.length;
      const byName = new Map<string, FunctionCandidate>();
      for (const c of candidates) if (!byName.has(c.name)) byName.set(c.name, c);
      const facts = collectFileFacts(tree, candidates, fileKnowledge(tree.rootNode, candidates, text, catalogue));
      const functions = new Map<string, FunctionSyntax>();
      const analysed: FunctionSyntax[] = [];
      const copies = new Map<FunctionCandidate, FunctionSyntax>();
      const lines = new LineIndex(source);
      // The context rules' call graph; not collected when both rules are off.
      if ((options.callGraph ?? !options.inferred) && (severityOf(config, allocInNoAllocContext.id, allocInNoAllocContext.severity) || severityOf(config, blockingAllocInAtomic.id, blockingAllocInAtomic.severity))) {
        facts.calls = collectCallGraph(file, tree, candidates, catalogue, config, text, lines);
      }
      const copy = (c: FunctionCandidate) => {
        let fs = copies.get(c);
        if (fs) return fs;
        if (kept) {
          // The language server keeps copies across edits: an unchanged function is only moved.
          const key = FunctionCopies.key(source.slice(c.start, c.end), c.start - (source.lastIndexOf('\n', c.start - 1) + 1), unionTypes);
          fs = kept.take(key, c.start, c.node.startPosition.row);
          if (!fs) kept.put(key, (fs = toFunctionSyntax(c, source, unionTypes, lines)));
        } else fs = toFunctionSyntax(c, source, unionTypes, lines);
        copies.set(c, fs);
        return fs;
      };
      const want = (c: FunctionCandidate, depth: number) => {
        if (functions.has(c.name) && depth > 0) return;
        const fs = copy(c);
        if (!functions.has(c.name)) functions.set(c.name, fs);
        if (depth >= 3) return;
        // Same-file functions it mentions (called, or taken as a function pointer) may be inlined.
        for (const id of identifiersOf(fs)) {
          const callee = byName.get(id);
          if (callee && callee !== c && !functions.has(id)) want(callee, depth + 1);
        }
      };
      // Functions that allocate, then (twice) the functions that call a same-file function that allocates:
      // a helper's allocation may come back to its caller (a wrapper, a "source" function).
      let sources = new Set<string>();
      const chosen = new Set<FunctionCandidate>();
      // Calls of inferred die-wrappers matter only to a function that tests their result (dead-oom-check).
      const dieWrappers = options.inferred?.allocators.filter((w) => w.failure === 'aborts') ?? [];
      const allocates = dieWrappers.length
        ? this.catalogueFor(config, { ...options.inferred!, allocators: options.inferred!.allocators.filter((w) => w.failure !== 'aborts') }).allocationPattern
        : catalogue.allocationPattern;
      for (const c of candidates) {
        const body = text.slice(c.start, c.end);
        if (allocates.test(body) || dieWrappers.some((w) => body.includes(w.name) && resultTested(body, w.name))) {
          chosen.add(c);
          sources.add(c.name);
        }
      }
      for (let round = 0; round < 2 && sources.size > 0 && chosen.size < candidates.length; round++) {
        const mentions = new RegExp(`\\b(?:${[...sources].join('|')})\\b`);
        const next = new Set<string>();
        for (const c of candidates) {
          if (chosen.has(c)) continue;
          const body = text.slice(c.start, c.end);
          const own = body.indexOf(c.name);
          if (mentions.test(own >= 0 ? body.slice(own + c.name.length) : body)) {
            chosen.add(c);
            next.add(c.name);
          }
        }
        sources = next;
      }
      for (const c of candidates) {
        if (!chosen.has(c)) continue;
        want(c, 0);
        analysed.push(copy(c));
      }
      const suppressions = findSuppressions(text, (offset) => {
        const n = tree.rootNode.descendantForIndex(offset);
        return n?.type === 'comment' ? n.startIndex : -1;
      });
      const statics = analysed.length ? unreleasedStatics(tree, candidates, source, catalogue) : new Set<string>();
      const prepared: PreparedFile = { file, config, text, facts, functions, analysed, unreleasedStatics: statics, suppressions, stats, inferred: options.inferred };
      if (config.profiles.includes('linux-kernel')) prepared.atomicCandidates = candidates.filter((c) => MAY_ENTER_ATOMIC.test(text.slice(c.start, c.end))).map(copy);
      if (options.summariseWrappers) {
        // Functions that may return another function's result (a wrapper of a wrapper) are copied out too.
        const more = candidates.filter((c) => !chosen.has(c) && !c.looseBody && returnsPointer(c) && c.node.endPosition.row - c.node.startPosition.row <= MAX_WRAPPER_LINES && MAY_RETURN_CALL.test(text.slice(c.start, c.end))).map(copy);
        prepared.wrapperCandidates = [...analysed, ...more].filter((fn) => fn.returns === 'pointer' && fn.endLine - fn.line <= MAX_WRAPPER_LINES);
        const small = (c: FunctionCandidate) => !c.looseBody && c.node.endPosition.row - c.node.startPosition.row <= MAX_WRAPPER_LINES;
        prepared.releaserCandidates = candidates.filter((c) => small(c) && catalogue.releasePattern.test(text.slice(c.start, c.end))).map(copy).filter((fn) => !fn.isStatic && fn.params.length > 0);
      }
      return prepared;
    } finally {
      kept?.endRound();
      if (!reuse) tree.delete();
    }
  }

  /**
   * Parses `text` for analysis. Code a preprocessor-less parser only half understands is parsed again with
   * brace-breaking #if branches and stray attributes blanked out (offsets stay the same), keeping whichever parses
   * better. With `previous` (the last parse of this document, which this call consumes), the masks it needed are
   * applied again and tree-sitter re-parses only what changed.
   */
  parseSource(text: string, previous?: ParsedSource): ParsedSource | undefined {
    let masks = previous?.masks ?? [];
    const tried = new Set(previous?.tried ?? []);
    let source = masks.reduce((s, mask) => mask(s), text);
    let tree: Tree | null;
    if (previous) {
      previous.tree.edit(editBetween(previous.source, source));
      tree = this.parse(source, previous.tree);
      previous.tree.delete();
    } else tree = this.parse(source);
    if (!tree) return undefined;
    for (const mask of [hasConditionalDirectives(text) ? maskConditionals : undefined, maskAttributes]) {
      // A mask that did not help before is not tried again on every edit (each try is a full parse).
      if (!mask || tried.has(mask) || brokenStructure(tree) === 0) continue;
      tried.add(mask);
      const masked = mask(source);
      if (masked === source) continue;
      const retry = this.parse(masked);
      if (retry && brokenStructure(retry) < brokenStructure(tree)) {
        tree.delete();
        tree = retry;
        source = masked;
        masks = [...masks, mask];
      } else retry?.delete();
    }
    return { tree, source, masks, tried: [...tried] };
  }

  private unusable(p: PreparedFile, why: string): PreparedFile {
    p.stats.parseErrors = 1;
    p.unusable = why;
    return p;
  }

  /** Parses `text`; with `old` (already `edit`ed to match), tree-sitter reuses what did not change. */
  parse(text: string, old?: Tree): Tree | null {
    const started = Date.now();
    const budgetMs = 2000 + text.length / 100; // generous: ~100 KB/s worst case
    try {
      return this.parser.parse(text, old ?? null, { progressCallback: () => Date.now() - started > budgetMs });
    } catch {
      return null;
    }
  }

  /** The dataflow context of a prepared file (shared by its functions). */
  contextFor(p: PreparedFile, projectFacts: ConstantFacts = NO_FACTS): ExploreContext {
    const catalogue = this.catalogueFor(p.config, p.inferred);
    const facts = factsForFile(projectFacts, p.facts);
    const knowledge: FileKnowledge = { noreturn: facts.noreturn, transparent: facts.transparent };
    const cfgs = new Map<FunctionSyntax, Cfg>();
    const summaries = new Map<FunctionSyntax, CalleeSummary>();
    return {
      catalogue, facts, functions: p.functions, unreleasedStatics: p.unreleasedStatics, knowledge,
      relevant: relevantNames(new Set([...p.functions.values(), ...p.analysed])),
      cfgOf: (fn) => {
        let c = cfgs.get(fn);
        if (!c) cfgs.set(fn, (c = buildCfg(fn, { catalogue, knowledge })));
        return c;
      },
      summaryOf: (fn) => {
        let s = summaries.get(fn);
        if (!s) summaries.set(fn, (s = summarize(fn, catalogue)));
        return s;
      },
    };
  }

  /**
   * Explores every allocation site of `fn` (its own, and those of same-file helpers it may get an allocation
   * back from). Sites in `traced` also record their failure-world paths (simulation).
   */
  exploreFunction(p: PreparedFile, fn: FunctionSyntax, ctx: ExploreContext, traced?: ReadonlySet<Syntax>, memo: HelperMemo = newHelperMemo()): SiteRun[] {
    const catalogue = ctx.catalogue;
    const text = (n: Syntax) => p.text.slice(n.start, n.end);
    const cfg = ctx.cfgOf(fn);
    const calls = allocationCalls(fn.body, catalogue);
    const all = this.siteCalls(fn, calls, ctx, memo);
    // The paths up to each of the function's own allocations are the same for every site: explored once.
    const callNodes = callsToNodes(cfg, new Set(calls));
    const prefix = calls.length > 1 ? SiteExplorer.explorePrefix(ctx, cfg, new Set(callNodes.values()), PREFIX_STEP_BUDGET) : undefined;
    const runs: SiteRun[] = [];
    for (const [call, owner] of all) {
      const site = siteFor(call, catalogue, owner.name, text);
      if (!site) continue;
      const explorer = new SiteExplorer(ctx, cfg, site, all.length);
      explorer.trace = !!traced?.has(call);
      const outcome = explorer.run(prefix);
      if (DEBUG) debugSteps.set(`${p.file}:${fn.name}`, (debugSteps.get(`${p.file}:${fn.name}`) ?? 0) + explorer.steps);
      runs.push({ fn, owner, call, outcome, oldMayBeLive: explorer.realloc?.oldMayBeLive, cfg });
    }
    return runs;
  }

  /** The allocation calls followed from `fn`: its own, then those of same-file helpers that may return their
   *  allocation to it; each with the function that holds it. */
  private siteCalls(fn: FunctionSyntax, calls: Syntax[], ctx: ExploreContext, memo: HelperMemo): Array<[Syntax, FunctionSyntax]> {
    const inlined: Array<[Syntax, FunctionSyntax]> = [];
    for (const callee of this.helperSources(fn, ctx, ctx.catalogue, memo)) for (const c of allocationCalls(callee.body, ctx.catalogue)) inlined.push([c, callee]);
    return [...calls.map((c) => [c, fn] as [Syntax, FunctionSyntax]), ...inlined];
  }

  /**
   * Wrapper inference, between the phases: the summaries of the file's small pointer functions (wrapper-summary.ts),
   * with the project's facts (a die-wrapper's `die()` is declared noreturn in some header of the run).
   */
  summariseWrappers(p: PreparedFile, projectFacts: ConstantFacts = NO_FACTS): InferenceFacts {
    const releasers: InferenceFacts['releasers'] = [];
    const catalogue = this.catalogueFor(p.config);
    for (const fn of p.releaserCandidates ?? []) {
      const arg = [...summarize(fn, catalogue).releasesParam].sort((a, b) => a - b)[0];
      if (arg !== undefined) releasers.push({ name: fn.name, arg });
    }
    const fns = p.wrapperCandidates ?? [];
    if (fns.length === 0) return { functions: [], releasers };
    // Storing into any static counts as an escape here: a function that keeps what it returns is no wrapper.
    const ctx = this.contextFor({ ...p, analysed: [...new Set([...p.analysed, ...fns])], unreleasedStatics: new Set() }, projectFacts);
    const memo = newHelperMemo();
    const text = (n: Syntax) => p.text.slice(n.start, n.end);
    const out: WrapperSummary[] = [];
    for (const fn of fns) {
      const s = summariseWrapper(fn, ctx, this.siteCalls(fn, allocationCalls(fn.body, ctx.catalogue), ctx, memo), text);
      if (s) out.push(s);
    }
    return { functions: out, releasers };
  }

  /**
   * Phase 2 of wrapper inference: with other files' wrappers known, a file that calls one is prepared again with
   * them as allocators (phase 1 chose its functions without them). Its own are left out: a same-file wrapper is
   * inlined where it is called, and its allocation followed there.
   */
  private withInferred(p: PreparedFile, projectFacts: ConstantFacts): PreparedFile {
    const inferred = this.inferredFor(p, projectFacts);
    if (!inferred) return p;
    // Releasers alone do not change which functions are analysed: only a called wrapper makes a file prepared again.
    if (inferred.allocators.length === 0) return { ...p, inferred };
    const again = this.prepare(p.file, p.text, p.config, undefined, undefined, { inferred });
    again.facts = p.facts; // what the file told the others stays what it was
    return again;
  }

  /** The other files' wrappers and releasers that apply in this file, or undefined when none does (or the file was
   *  prepared with them already). The language server prepares again with them itself, reusing its tree. */
  inferredFor(p: PreparedFile, projectFacts: ConstantFacts): Inferred | undefined {
    const all = projectFacts.inferred;
    if (!all || (!all.allocators.length && !all.releasers.length) || p.inferred || p.unusable) return undefined;
    const own = new Set([...p.functions.keys(), ...p.analysed.map((f) => f.name), ...(p.wrapperCandidates ?? []).map((f) => f.name), ...(p.releaserCandidates ?? []).map((f) => f.name)]);
    const base = this.catalogueFor(p.config);
    const mentioned = new Set(p.text.match(/[A-Za-z_]\w*/g) ?? []);
    const applies = (name: string) => mentioned.has(name) && !own.has(name) && !base.allocator(name) && !base.releaser(name);
    // A die-wrapper's call can only give a dead-oom-check (its result never fails, and leaks of inferred wrappers
    // are not reported yet): it is an allocator here only where the file tests a variable it was assigned to. The
    // analysis of every function that calls `xmalloc` would cost 4× the run for nothing.
    const inferred: Inferred = {
      allocators: all.allocators.filter((w) => applies(w.name) && (w.failure !== 'aborts' || resultTested(p.text, w.name))),
      releasers: all.releasers.filter((r) => applies(r.name)),
    };
    return inferred.allocators.length || inferred.releasers.length ? inferred : undefined;
  }

  /**
   * Runs the dataflow and the rules over a prepared file. `projectFacts` come from the other files of the run.
   * With a `cache` (the language server), a function whose text and context did not change is not re-analysed.
   */
  analyze(p: PreparedFile, projectFacts: ConstantFacts = NO_FACTS, cache?: FunctionResultCache): FileResult {
    const steps = this.analyzeSteps(p, projectFacts, cache);
    for (;;) {
      const r = steps.next();
      if (r.done) return r.value;
    }
  }

  /** `analyze`, pausing after each function that was analysed afresh: the language server drops a stale run
   *  between two functions when a newer edit arrives. */
  *analyzeSteps(p: PreparedFile, projectFacts: ConstantFacts = NO_FACTS, cache?: FunctionResultCache): Generator<void, FileResult> {
    if (p.unusable) return { file: p.file, findings: [], stats: p.stats, unusable: p.unusable };
    p = this.withInferred(p, projectFacts);
    const ctx = this.contextFor(p, projectFacts);
    const keys = cache ? functionKeys(p, ctx) : undefined;
    const lines = cache ? functionLines(p) : undefined;
    const findings: Finding[] = [];
    // First every site in every context, then the rules: a static helper's realloc is judged by what its
    // callers in this file pass it (a caller passing NULL makes `p = realloc(p, n)` a plain allocation).
    const runs: SiteRun[] = [];
    const fresh: FunctionSyntax[] = [];
    const helperMemo = newHelperMemo();
    for (const fn of p.analysed) {
      const hit = keys && cache!.take(keys.get(fn)!, lines!);
      if (hit) {
        findings.push(...hit.findings);
        p.stats.allocationSites += hit.sites;
        continue;
      }
      fresh.push(fn);
      p.stats.allocationSites += allocationCalls(fn.body, ctx.catalogue).length;
      runs.push(...this.exploreFunction(p, fn, ctx, undefined, helperMemo));
      yield;
    }
    const byFunction = this.applyRules(p, runs);
    for (const fn of fresh) {
      const own = byFunction.get(fn) ?? [];
      findings.push(...own);
      if (keys) cache!.put(keys.get(fn)!, own, allocationCalls(fn.body, ctx.catalogue).length, lines!);
    }
    cache?.sweep();
    if (p.facts.calls) {
      findings.push(...contextFindings({
        file: p.file, text: p.text, facts: p.facts.calls, atomicCandidates: p.atomicCandidates ?? [], catalogue: ctx.catalogue, cfgOf: ctx.cfgOf,
        severity: (id, dflt) => severityOf(p.config, id, dflt),
      }, projectFacts.callGraph ?? new CallGraph([])));
    }
    const unique = dedupe(findings);
    const kept = applySuppressions(unique, p.suppressions, p.file, severityOf(p.config, 'unmatched-suppression', 'warning') !== undefined);
    kept.sort(compareFindings);
    return { file: p.file, findings: kept, stats: p.stats };
  }

  /** The rules over explored sites, findings grouped by the analysed function. */
  applyRules(p: PreparedFile, runs: SiteRun[]): Map<FunctionSyntax, Finding[]> {
    const text = (n: Syntax) => p.text.slice(n.start, n.end);
    const liveInCallers = new Map<Syntax, boolean>();
    for (const r of runs) if (r.owner !== r.fn && r.oldMayBeLive !== undefined) liveInCallers.set(r.call, (liveInCallers.get(r.call) ?? false) || r.oldMayBeLive);
    const out = new Map<FunctionSyntax, Finding[]>();
    const assignments = new Map<FunctionSyntax, Map<Syntax, Syntax>>();
    for (const run of runs) {
      const { fn, owner, call, outcome } = run;
      const site = outcome.site;
      let findings = out.get(fn);
      if (!findings) out.set(fn, (findings = []));
      let targets = assignments.get(fn);
      if (!targets) assignments.set(fn, (targets = assignmentTargets(fn)));
      const target = owner === fn ? targets.get(call) : undefined;
      const oldArg = site.spec.reallocArg !== undefined ? call.children.find((c) => c.field === 'arguments')?.children[site.spec.reallocArg] : undefined;
      const fromCallers = fn.isStatic ? liveInCallers.get(call) : undefined;
      const ruleCtx: SiteRuleContext = {
        outcome,
        inlinedSite: owner !== fn,
        functionReturnsErrors: ERROR_RETURN.test(fn.text),
        reallocTarget: target && oldArg ? {
          lhs: normalise(text(target)), old: normalise(text(oldArg)),
          oldMayBeLive: (fromCallers ?? run.oldMayBeLive ?? true) && !savedBefore(fn, normalise(text(oldArg)), call, text),
        } : undefined,
      };
      for (const rule of RULES) {
        if (!rule.check) continue;
        const severity = severityOf(p.config, rule.id, rule.severity);
        if (!severity) continue;
        rule.check(ruleCtx, (r) => {
          findings!.push({
            rule: rule.id, severity, message: r.message, file: p.file, span: r.at,
            allocation: { span: spanOf(call), callee: site.callee },
            related: (r.related ?? []).map((x) => ({ file: p.file, span: x.at, message: x.message })),
          });
        });
      }
    }
    return out;
  }

  /** Same-file functions called from `fn` (up to 2 levels) that allocate and may hand the allocation back. */
  private helperSources(fn: FunctionSyntax, ctx: ExploreContext, catalogue: Catalogue, memo: HelperMemo): FunctionSyntax[] {
    const out: FunctionSyntax[] = [];
    const seen = new Set([fn.name]);
    let frontier = [fn];
    for (let depth = 0; depth < 2 && frontier.length; depth++) {
      const next: FunctionSyntax[] = [];
      for (const f of frontier) {
        let names = memo.reached.get(f);
        if (!names) memo.reached.set(f, (names = ctx.summaryOf(f).callees.concat(mentionedFunctions(f, ctx))));
        for (const name of names) {
          const g = ctx.functions.get(name);
          if (!g || seen.has(name)) continue;
          seen.add(name);
          next.push(g);
          let source = memo.source.get(g);
          if (source === undefined) memo.source.set(g, (source = catalogue.allocationPattern.test(g.text) && mayHandBack(g)));
          if (source) out.push(g);
        }
      }
      frontier = next;
    }
    return out;
  }

  /** Convenience: one file on its own (its own facts only). */
  analyzeText(file: string, text: string, config: FailpathConfig = DEFAULT_CONFIG): FileResult {
    return this.analyze(this.prepare(file, text, config));
  }
}

/** Per file: what each function calls or mentions, and whether a helper may hand an allocation back (asked again
 *  for every analysed function that reaches it). */
function newHelperMemo(): HelperMemo {
  return { reached: new Map(), source: new Map() };
}

interface HelperMemo {
  reached: Map<FunctionSyntax, string[]>;
  source: Map<FunctionSyntax, boolean>;
}

const PREFIX_STEP_BUDGET = 30000;
const DEBUG = !!process.env.FAILPATH_DEBUG;
const debugSteps = new Map<string, number>();
if (DEBUG) {
  process.on('exit', () => {
    const top = [...debugSteps].sort((a, b) => b[1] - a[1]).slice(0, 15);
    console.error(`steps total ${[...debugSteps.values()].reduce((a, b) => a + b, 0)} in ${debugSteps.size} functions`);
    for (const [k, v] of top) console.error(`steps ${v} ${k}`);
  });
}

/** A tree and the text it was parsed from (the file's text, perhaps with masks applied). */
export interface ParsedSource {
  tree: Tree;
  source: string;
  masks: Array<(text: string) => string>;
  /** Masks tried on this document (applied or not). */
  tried: Array<(text: string) => string>;
}

/** The tree-sitter edit that turns `before` into `after`: the span between their common prefix and suffix. */
function editBetween(before: string, after: string): Edit {
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let suffix = 0;
  while (suffix < max - start && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  const point = (text: string, offset: number) => {
    const { line, column } = positionAt(text, offset);
    return { row: line, column };
  };
  const startPosition = point(before, start);
  return {
    startIndex: start, oldEndIndex: before.length - suffix, newEndIndex: after.length - suffix,
    startPosition, oldEndPosition: point(before, before.length - suffix), newEndPosition: point(after, after.length - suffix),
  };
}

/** One allocation site explored in the context of an analysed function. */
export interface SiteRun {
  fn: FunctionSyntax;
  owner: FunctionSyntax;
  call: Syntax;
  outcome: SiteOutcome;
  oldMayBeLive?: boolean;
  cfg: Cfg;
}

function severityOf(config: FailpathConfig, id: string, dflt: Severity): Severity | undefined {
  const s = config.rules[id];
  return s === 'off' ? undefined : s ?? dflt;
}

/**
 * What a function's findings depend on: its own text and column, the same-file functions it may inline (text and
 * offset), and the configuration, facts and relevant names — only those it or its helpers mention, so that typing
 * in one function leaves the others' keys alone.
 */
function functionKeys(p: PreparedFile, ctx: ExploreContext): Map<FunctionSyntax, string> {
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
          h.update(`\0${name}\0`).update(g.text);
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
      only(p.inferred?.allocators ?? [], (a) => a.name), only(p.inferred?.releasers ?? [], (r) => r.name),
    ]));
    keys.set(fn, h.digest('base64'));
  }
  return keys;
}

/** Where each function of the file starts (the cache places findings by it). */
function functionLines(p: PreparedFile): FunctionLines {
  const all = [...p.analysed, ...p.functions.values()].sort((a, b) => a.line - b.line);
  const first = new Map<string, number>();
  for (const f of all) if (!first.has(f.name)) first.set(f.name, f.line);
  return {
    lineOf: (name) => first.get(name),
    nameAt: (line) => all.find((f) => f.line <= line && line <= f.closeLine && first.get(f.name) === f.line)?.name,
  };
}

/** The identifiers a function's text mentions; kept per copy, which the language server reuses across edits. */
const identifierSets = new WeakMap<FunctionSyntax, Set<string>>();
function identifiersOf(fs: FunctionSyntax): Set<string> {
  let ids = identifierSets.get(fs);
  if (!ids) identifierSets.set(fs, (ids = new Set(fs.text.match(/[A-Za-z_]\w*/g) ?? [])));
  return ids;
}

/** For each call, the CFG node whose syntax contains it. */
function callsToNodes(cfg: Cfg, calls: Set<Syntax>): Map<Syntax, number> {
  const out = new Map<Syntax, number>();
  for (const n of cfg.nodes) {
    if (!n.syntax) continue;
    walk(n.syntax, (x) => {
      if (calls.has(x)) out.set(x, n.id);
    });
  }
  return out;
}

/** Whether `text` assigns a call of `fn` to a variable and tests that variable for NULL within the next few lines
 *  (cheap, textual: `p = xmalloc(n); if (!p)`, `if ((p = xmalloc(n)) == NULL)`). */
function resultTested(text: string, fn: string): boolean {
  for (const m of text.matchAll(new RegExp(`([A-Za-z_]\\w*)\\s*=\\s*(?:\\([^()]*\\)\\s*)?${fn}\\s*\\(`, 'g'))) {
    const v = m[1];
    const after = text.slice(m.index, m.index + 400);
    if (new RegExp(`!\\s*${v}\\b|\\b${v}\\s*[!=]=\\s*(?:NULL|0)\\b|\\b(?:NULL|0)\\s*[!=]=\\s*${v}\\b|\\bif\\s*\\(\\s*${v}\\s*\\)`).test(after)) return true;
    if (/\(\s*$/.test(text.slice(Math.max(0, m.index - 4), m.index)) && /^[^;]*\)\s*[!=]=\s*(?:NULL|0)\b/.test(after)) return true;
  }
  return false;
}

/** Whether a function candidate is declared to return a pointer (before its body is copied out). */
function returnsPointer(c: FunctionCandidate): boolean {
  const decl = c.node.childForFieldName('declarator');
  return decl?.type === 'pointer_declarator' || /\*\s*$/.test(c.node.childForFieldName('type')?.text ?? '');
}

function mentionedFunctions(f: FunctionSyntax, ctx: ExploreContext): string[] {
  return [...new Set(f.text.match(/[A-Za-z_]\w*/g) ?? [])].filter((n) => n !== f.name && ctx.functions.has(n));
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

function assignmentTargets(fn: FunctionSyntax): Map<Syntax, Syntax> {
  const out = new Map<Syntax, Syntax>();
  walk(fn.body, (n) => {
    if (n.type === 'assignment_expression' && n.op === '=') {
      const r = child(n, 'right');
      const l = child(n, 'left');
      if (r && l && unwrap(r).type === 'call_expression') out.set(unwrap(r), l);
    }
  });
  return out;
}

/** `old = p; p = realloc(p, n);`: another pointer keeps the old block, so the overwrite loses nothing. */
function savedBefore(fn: FunctionSyntax, old: string, call: Syntax, text: (n: Syntax) => string): boolean {
  let saved = false;
  walk(fn.body, (n) => {
    if (saved || n.start >= call.start) return false;
    const value = n.type === 'assignment_expression' && n.op === '=' ? child(n, 'right') : n.type === 'init_declarator' ? child(n, 'value') : undefined;
    if (value && normalise(text(value)) === old) saved = true;
    return undefined;
  });
  return saved;
}

function normalise(s: string): string {
  return s.replace(/\s+/g, '').replace(/^\((?:const)?[\w\s*]+\*?\)/, '');
}


/** Errors that break the file's structure: top-level ERROR regions, statements outside any function. Errors
 *  inside a function body (an odd macro) are local and not worth a second parse. */
function brokenStructure(tree: Tree): number {
  let n = 0;
  for (const c of tree.rootNode.namedChildren) if (c && (c.type === 'ERROR' || TOP_LEVEL_STATEMENT.has(c.type))) n++;
  return n;
}
const TOP_LEVEL_STATEMENT = new Set(['return_statement', 'if_statement', 'while_statement', 'for_statement', 'goto_statement', 'labeled_statement', 'compound_statement', 'break_statement', 'continue_statement']);

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.rule}|${f.span.line}|${f.span.col}|${f.allocation?.span.line}:${f.allocation?.span.col}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
