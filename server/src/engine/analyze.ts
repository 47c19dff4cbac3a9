// The engine's entry point: source text → findings. Two phases, so that a multi-file run can share facts:
// `prepare` parses and copies out what the analysis needs (the tree is freed), `analyze` runs the dataflow.
import type { Node as TsNode, Parser, Range, Tree } from 'web-tree-sitter';
import { createCParser } from './parse/parser';
import { FunctionCopies } from './parse/function-copies';
import { findFunctions, hasStaticStorage, isStaticDefinition, toFunctionSyntax, unionTypeNames, type FunctionCandidate, type FunctionSyntax } from './parse/functions';
import { hasConditionalDirectives, maskAttributes, maskConditionals } from './parse/preprocessor-mask';
import { applyLineMasks, lineMasksOf, reapplyLineMasks, type LineMasks } from './parse/line-masks';
import { editBetween, spanningChange, type KnownSame } from './parse/text-edit';
import type { TextChange } from './parse/carried-by-span';
import { walk, child, unwrap, type Syntax } from './parse/syntax';
import { Catalogue } from './catalogue/catalogue';
import { DEFAULT_CONFIG, type FailpathConfig, type Severity } from './config/config';
import { buildCfg } from './cfg/build';
import type { Cfg } from './cfg/cfg';
import { allocationCalls, siteFor } from './dataflow/site';
import { MAX_INLINE_NODES, SiteExplorer, siteStepBudget, type ExploreContext } from './dataflow/explore';
import { collectFileFacts, factsForFile, type ConstantFacts, type FileFacts, NO_FACTS } from './dataflow/facts';
import { summarize, type CalleeSummary } from './dataflow/callee-summary';
import { unreleasedStatics } from './dataflow/static-storage';
import { MAX_WRAPPER_LINES, MAY_RETURN_CALL, summariseWrapper, type InferenceFacts, type WrapperSummary } from './dataflow/wrapper-summary';
import type { Inferred } from './dataflow/wrappers';
import { MAX_SUMMARY_LINES, summariseParams, type ParamSummary } from './dataflow/param-summary';
import { relevantNames } from './dataflow/relevance';
import { callResultHeld, callResultTested, resultMatters, resultTested, TESTED_WITHIN } from './dataflow/result-test';
import { identifiersOf, selectFunctions, type FunctionSpan, type SelectionPlan } from './function-selection';
import { fileKnowledge, type FileKnowledge } from './parse/file-knowledge';
import { readAnnotations } from './catalogue/annotations';
import { LineIndex } from './parse/line-index';
import { spanOf, type SiteOutcome } from './dataflow/outcome';
import { RULES } from './rules/registry';
import type { SiteRuleContext } from './rules/rule';
import { findSuppressions, applySuppressions, type Suppression } from './suppressions';
import type { FileStats, Finding } from './findings';
import { compareFindings } from './findings';
import type { FunctionResultCache, RunResult } from './function-cache';
import { contextDigest, FunctionDigests, functionKeys, functionPlaces, placedFunction, PREFIX_RUN, RunReads } from './function-keys';
import { followedFromCallers, handedBackCalls, handsBackAllocation, mentionedFunctions } from './helper-sources';
import { isLargeFunction } from './parse/function-size';
import { collectCallGraph } from './context/call-graph-facts';
import { CallGraph } from './context/call-graph';
import { MAY_ENTER_ATOMIC } from './context/atomic-regions';
import { contextFindings } from './context/context-findings';
import { allocInNoAllocContext } from './rules/alloc-in-no-alloc-context';
import { blockingAllocInAtomic } from './rules/blocking-alloc-in-atomic';
import { returnsErrors } from './dataflow/error-values';

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
  /** When the run infers: what the file's functions do to their parameters (param-summary.ts), and every name
   *  it defines (another file's function of the same name is not the one its calls reach). */
  paramSummaries?: ParamSummary[];
  definedNames?: string[];
  /** Phase 1 of a multi-file run: every function's range, so that phase 2 can copy more without parsing the file
   *  again (`prepareAgain`). */
  outline?: FileOutline;
  /** Its copies were let go between the phases (`withoutCopies`): phase 2 parses the functions it analyses again,
   *  from the outline. */
  copiesReleased?: boolean;
  /** The names relevant in the whole file (relevance.ts), computed before its copies were cut down to those that
   *  summarising it reads (`keepForSummaries`). */
  relevant?: ReadonlySet<string>;
  /** Kernel code: functions that may enter an atomic section (blocking-alloc-in-atomic follows their locks). */
  atomicCandidates?: FunctionSyntax[];
}

interface FileOutline {
  functions: Array<FunctionSpan & { loose: boolean }>;
  /** The text that was parsed (masks applied). */
  source: string;
  unionTypes: Set<string>;
}

export interface PrepareOptions {
  /** Phase 1 of a multi-file run: keep the file's small pointer functions for wrapper summaries. */
  summariseWrappers?: boolean;
  /** Phase 2: other files' wrappers and releasers, in this file's catalogue. */
  inferred?: Inferred;
  /** Collect the file's call-graph facts (default: yes, unless `inferred` is given: phase 2 keeps phase 1's facts).
   *  The language server skips them for a file that can have no context (`mayHaveContexts`). */
  callGraph?: boolean;
  /** The language server: the workspace's facts, whose wrappers and releasers this file mentions (`mentions`, else
   *  its text) are put into its catalogue in the same pass, as phase 2 would (the file's own definitions shadow
   *  them); its facts for the others are read with the profiles' catalogue alone. */
  project?: { facts: ConstantFacts; mentions?: Mentions };
}

export interface FileResult {
  file: string;
  findings: Finding[];
  stats: FileStats;
  unusable?: string;
}

/** Name indexes of the run's inferred lists (by list: they are made once per run). */
const nameIndexes = new WeakMap<readonly unknown[], Map<string, number[]>>();

/** The entries of `list` that a file mentions, in the list's order, looked up from the smaller side: a run infers
 *  thousands of callee effects, and a file mentions hundreds of names (the language server's counted identifiers
 *  are only asked). */
function mentionedIn<T extends { name: string }>(list: readonly T[], mentioned: Mentions): T[] {
  if (!(mentioned instanceof Set) || list.length <= mentioned.size) return list.filter((t) => mentioned.has(t.name));
  let index = nameIndexes.get(list);
  if (!index) {
    index = new Map();
    for (let i = 0; i < list.length; i++) {
      const at = index.get(list[i].name);
      if (at) at.push(i);
      else index.set(list[i].name, [i]);
    }
    nameIndexes.set(list, index);
  }
  const found: number[] = [];
  for (const name of mentioned) for (const i of index.get(name) ?? []) found.push(i);
  return found.sort((a, b) => a - b).map((i) => list[i]);
}

/** Files larger than this are not parsed (a generated table, not code a person maintains). */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

export class Engine {
  private constructor(private readonly parser: Parser) {}

  static async create(): Promise<Engine> {
    return new Engine(await createCParser());
  }

  private readonly catalogues = new Map<string, Catalogue>();
  /** The last catalogue made for an inferred set (asked again and again for one file: no key to compute). */
  private readonly byInferred = new WeakMap<Inferred, { config: FailpathConfig; catalogue: Catalogue }>();
  /** Likewise per configuration, without inferred names (its key would serialise the cppcheck libraries). */
  private readonly byConfig = new WeakMap<FailpathConfig, Catalogue>();
  catalogueFor(config: FailpathConfig, inferred?: Inferred): Catalogue {
    const last = inferred && this.byInferred.get(inferred);
    if (last && last.config === config) return last.catalogue;
    const mine = inferred ? undefined : this.byConfig.get(config);
    if (mine) return mine;
    // Callee effects are not in the catalogue (contextFor): files that call the same wrappers share one.
    const key = JSON.stringify([
      config.profiles, config.policy, config.allocators, config.library ?? null,
      inferred?.allocators ?? null, inferred?.releasers ?? null, inferred?.keeps ?? null, inferred?.nonnull ?? null,
    ]);
    if (this.catalogues.size > 256) this.catalogues.clear(); // a long-running server sees many inferred sets
    let c = this.catalogues.get(key);
    if (!c) {
      c = new Catalogue({
        profiles: config.profiles, policy: config.policy, allocators: config.allocators, library: config.library,
        inferred: inferred?.allocators, inferredReleasers: inferred?.releasers, inferredKeeps: inferred?.keeps, nonnull: inferred?.nonnull,
      });
      this.catalogues.set(key, c);
    }
    if (inferred) this.byInferred.set(inferred, { config, catalogue: c });
    else this.byConfig.set(config, c);
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
      const candidates = findFunctions(tree.rootNode);
      // What the file tells the other files (its facts, its calls) is read with the catalogue it was given.
      const factsCatalogue = this.catalogueFor(config, options.inferred);
      const inferred = options.inferred ?? (options.project && this.inferredIn(text, config, new Set(candidates.map((c) => c.name)), options.project.facts, options.project.mentions));
      // Releasers alone leave the choice of functions as it is (as `withInferred` does).
      const catalogue = inferred?.allocators.length ? this.catalogueFor(config, inferred) : factsCatalogue;
      const unionTypes = unionTypeNames(tree.rootNode);
      kept?.beginRound(source, parsed.changedFrom, parsed.change, unionTypes);
      kept?.carryMemos(candidates);
      const outside = kept?.outsideFunctions(candidates, (i) => !candidates[i].looseBody && !insideError(candidates[i].node));
      stats.functions = candidates.length;
      const facts = collectFileFacts(tree, source, candidates, fileKnowledge(tree.rootNode, candidates, text, factsCatalogue, outside), outside);
      const annotations = readAnnotations(tree.rootNode, source);
      if (annotations) facts.annotations = annotations;
      const copies = new Map<FunctionCandidate, FunctionSyntax>();
      // Made when a function is copied anew (after an edit, most are only moved).
      let lines: LineIndex | undefined;
      const linesOf = () => (lines ??= new LineIndex(source));
      const copy = (c: FunctionCandidate) => {
        let fs = copies.get(c);
        if (fs) return fs;
        // The language server keeps copies across edits: an unchanged function is only moved, and the one an edit
        // changed is copied with an index of its own lines.
        if (kept) {
          const lineStart = source.lastIndexOf('\n', c.start - 1) + 1;
          const row = c.node.startPosition.row;
          fs = kept.copy(c.start, c.end, c.start - lineStart, row, () => source.slice(c.start, c.end), () => toFunctionSyntax(c, source, unionTypes, lines ?? new LineIndex(source, lineStart, c.end, row)));
        } else fs = toFunctionSyntax(c, source, unionTypes, linesOf());
        copies.set(c, fs);
        return fs;
      };
      const plan = this.plan(candidates, text, source, config, inferred?.allocators.length ? inferred : undefined, kept);
      const { functions, analysed } = this.copyPlan(plan, (i) => copy(candidates[i]));
      const suppressions = findSuppressions(text, (offset) => {
        const n = tree.rootNode.descendantForIndex(offset);
        return n?.type === 'comment' ? n.startIndex : -1;
      });
      // A multi-file run keeps them for phase 2, which may analyse more of the file (wrappers of other files).
      const statics = analysed.length || options.summariseWrappers ? unreleasedStatics(tree, candidates, source, catalogue) : new Set<string>();
      const prepared: PreparedFile = { file, config, text, facts, functions, analysed, unreleasedStatics: statics, suppressions, stats, inferred: inferred || undefined };
      if (config.profiles.includes('linux-kernel')) prepared.atomicCandidates = candidates.filter((c) => MAY_ENTER_ATOMIC.test(text.slice(c.start, c.end))).map(copy);
      if (options.summariseWrappers) {
        // Functions that may return another function's result (a wrapper of a wrapper) are copied out too.
        const chosen = new Set(plan.analysed.map((i) => candidates[i]));
        const more = candidates.filter((c) => !chosen.has(c) && !c.looseBody && returnsPointer(c) && c.node.endPosition.row - c.node.startPosition.row <= MAX_WRAPPER_LINES && MAY_RETURN_CALL.test(text.slice(c.start, c.end))).map(copy);
        // …and status functions that store through a pointer parameter (`*out = malloc(n)`): out-parameter wrappers.
        prepared.wrapperCandidates = [...analysed, ...more].filter((fn) => (fn.returns === 'pointer' || (fn.returns === 'int' && STORES_THROUGH_POINTER.test(fn.text))) && fn.endLine - fn.line <= MAX_WRAPPER_LINES);
        const small = (c: FunctionCandidate) => !c.looseBody && c.node.endPosition.row - c.node.startPosition.row <= MAX_WRAPPER_LINES;
        prepared.releaserCandidates = candidates.filter((c) => small(c) && catalogue.releasePattern.test(text.slice(c.start, c.end))).map(copy).filter((fn) => !fn.isStatic && fn.params.length > 0);
        const fileStatics = staticVariables(tree.rootNode);
        const byName = new Map<string, FunctionCandidate>();
        for (const c of candidates) if (!byName.has(c.name)) byName.set(c.name, c);
        prepared.definedNames = [...byName.keys()];
        // The functions other files can call, and the static helpers they pass something on to.
        const summaries = new Map<FunctionCandidate, ParamSummary | undefined>();
        const summarise = (c: FunctionCandidate) => {
          if (summaries.has(c) || c.looseBody || c.node.endPosition.row - c.node.startPosition.row > MAX_SUMMARY_LINES) return;
          const s = summariseParams(copy(c), catalogue, fileStatics);
          summaries.set(c, s);
          for (const pass of s?.passes ?? []) {
            const helper = byName.get(pass.callee);
            if (helper) summarise(helper);
          }
        };
        for (const c of byName.values()) if (!isStaticDefinition(c) && !onlyScalarParams(c)) summarise(c);
        prepared.paramSummaries = [...summaries.values()].filter((s): s is ParamSummary => !!s).sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
        prepared.outline = { functions: candidates.map((c) => ({ name: c.name, start: c.start, end: c.end, loose: !!c.looseBody })), source, unionTypes };
      }
      // The context rules' call graph; not collected when both rules are off. Last: the calls in the bodies copied
      // above are read from the copies.
      if ((options.callGraph ?? !options.inferred) && (severityOf(config, allocInNoAllocContext.id, allocInNoAllocContext.severity) || severityOf(config, blockingAllocInAtomic.id, blockingAllocInAtomic.severity))) {
        facts.calls = collectCallGraph(file, tree, candidates, factsCatalogue, config, text, linesOf(), [...copies.values()].map((fs) => fs.body));
      }
      return prepared;
    } finally {
      kept?.endRound();
      if (!reuse) tree.delete();
    }
  }

  /** Which functions to copy out and analyse (function-selection.ts), with the allocators in force. */
  private plan(candidates: readonly FunctionSpan[], text: string, source: string, config: FailpathConfig, inferred?: Inferred, kept?: FunctionCopies): SelectionPlan {
    // Calls of inferred die-wrappers matter only to a function that tests their result (dead-oom-check).
    // Declared ones (annotations, cppcheck libraries) are allocators like the profiles'.
    const dieWrappers = inferred?.allocators.filter((w) => w.failure === 'aborts' && !w.declared) ?? [];
    const allocates = dieWrappers.length
      ? this.catalogueFor(config, { ...inferred!, allocators: inferred!.allocators.filter((w) => w.failure !== 'aborts' || w.declared) }).allocationPattern
      : this.catalogueFor(config, inferred).allocationPattern;
    return selectFunctions(candidates, text, source, allocates, dieWrappers, kept?.selectionMemo(candidates));
  }

  private copyPlan(plan: SelectionPlan, copy: (i: number) => FunctionSyntax): { functions: Map<string, FunctionSyntax>; analysed: FunctionSyntax[] } {
    const copies = new Map<number, FunctionSyntax>();
    for (const i of plan.copyOrder) {
      const fs = copy(i);
      identifiersOf(fs, plan.identifiers.get(i));
      copies.set(i, fs);
    }
    return { functions: new Map(plan.functions.map(([name, i]) => [name, copies.get(i)!])), analysed: plan.analysed.map((i) => copies.get(i)!) };
  }

  /**
   * Phase 2 of wrapper inference for a file prepared in phase 1: the functions to analyse are chosen again with the
   * other files' wrappers, and only those phase 1 did not copy are parsed (the file's text restricted to their
   * ranges), so the file is not parsed twice. Undefined when that cannot be done (a function recovered from an
   * ERROR region, a range that parses differently alone): the caller prepares the file again.
   */
  private prepareAgain(p: PreparedFile, inferred: Inferred | undefined): PreparedFile | undefined {
    const outline = p.outline;
    if (!outline) return undefined;
    const plan = this.plan(outline.functions, p.text, outline.source, p.config, inferred);
    // What phase 1 copied (the copies made for parameter summaries alone were let go).
    const have = new Map([...p.functions.values(), ...p.analysed, ...(p.wrapperCandidates ?? []), ...(p.releaserCandidates ?? [])].map((fs) => [fs.start, fs]));
    const missing = plan.copyOrder.filter((i) => !have.has(outline.functions[i].start));
    if (missing.some((i) => outline.functions[i].loose)) return undefined;
    const copies = new Map<number, FunctionSyntax>();
    if (missing.length) {
      const lines = new LineIndex(outline.source);
      const ranges = missing.map((i) => outline.functions[i]).sort((a, b) => a.start - b.start).map((f): Range => {
        const row = lines.line(f.start);
        const endRow = lines.line(f.end);
        return { startIndex: f.start, endIndex: f.end, startPosition: { row, column: lines.column(f.start, row) }, endPosition: { row: endRow, column: lines.column(f.end, endRow) } };
      });
      const tree = this.parse(outline.source, undefined, ranges);
      if (!tree) return undefined;
      try {
        const found = new Map(findFunctions(tree.rootNode).map((c) => [c.start, c]));
        for (const i of missing) {
          const f = outline.functions[i];
          const c = found.get(f.start);
          if (!c || c.end !== f.end || c.name !== f.name || c.looseBody) return undefined;
          copies.set(i, toFunctionSyntax(c, outline.source, outline.unionTypes, lines));
        }
      } finally {
        tree.delete();
      }
    }
    const { functions, analysed } = this.copyPlan(plan, (i) => copies.get(i) ?? have.get(outline.functions[i].start)!);
    return { ...p, functions, analysed, inferred, outline: undefined, wrapperCandidates: undefined, releaserCandidates: undefined, copiesReleased: undefined, relevant: undefined };
  }

  /**
   * Parses `text` for analysis. Code a preprocessor-less parser only half understands is parsed again with
   * brace-breaking #if branches and stray attributes blanked out (offsets stay the same), keeping whichever parses
   * better. With `previous` (the last parse of this document, which this call consumes), the masks it needed are
   * applied again and tree-sitter re-parses only what changed (`known`: what `text` is known to share with the
   * previous text, from the edits applied to it).
   */
  parseSource(text: string, previous?: ParsedSource, known?: KnownSame): ParsedSource | undefined {
    // The file's own cast and statement macros are masked from the start: where they are used, the parse is wrong,
    // not just worse. After an edit, only the lines it can change are masked again (line-masks.ts).
    let masks = previous?.masks ?? [];
    const tried = new Set(previous?.tried ?? []);
    let lineMasks = previous?.lineMasks;
    const kept: KnownSame = { prefix: 0, suffix: 0 };
    let source = previous && lineMasks && !masks.length ? reapplyLineMasks(previous, text, lineMasks, known, kept) : undefined;
    if (source === undefined) {
      lineMasks = lineMasksOf(text);
      source = masks.reduce((s, mask) => mask(s), applyLineMasks(text, lineMasks));
    }
    let tree: Tree | null;
    let change: TextChange | undefined;
    if (previous) {
      const edit = editBetween(previous.source, source, kept);
      previous.tree.edit(edit);
      tree = this.parse(source, previous.tree);
      previous.tree.delete();
      change = spanningChange(edit, previous.text, text, known);
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
        change = undefined;
      } else retry?.delete();
    }
    return { tree, text, source, lineMasks: lineMasks!, masks, tried: [...tried], change, changedFrom: change && previous?.source };
  }

  private unusable(p: PreparedFile, why: string): PreparedFile {
    p.stats.parseErrors = 1;
    p.unusable = why;
    return p;
  }

  /** Parses `text`; with `old` (already `edit`ed to match), tree-sitter reuses what did not change. */
  parse(text: string, old?: Tree, includedRanges?: Range[]): Tree | null {
    const started = Date.now();
    const budgetMs = 2000 + text.length / 100; // generous: ~100 KB/s worst case
    try {
      return this.parser.parse(text, old ?? null, { progressCallback: () => Date.now() - started > budgetMs, includedRanges });
    } catch {
      return null;
    }
  }

  /** The dataflow context of a prepared file (shared by its functions). */
  contextFor(p: PreparedFile, projectFacts: ConstantFacts = NO_FACTS): ExploreContext {
    const catalogue = this.catalogueFor(p.config, p.inferred);
    const facts = factsForFile(projectFacts, p.facts, /\.h$/i.test(p.file));
    const knowledge: FileKnowledge = { noreturn: facts.noreturn, transparent: facts.transparent };
    const cfgs = new Map<FunctionSyntax, Cfg>();
    const cfgFor = (fn: FunctionSyntax) => {
      let c = cfgs.get(fn);
      if (!c) cfgs.set(fn, (c = buildCfg(fn, { catalogue, knowledge })));
      return c;
    };
    const summaries = new Map<FunctionSyntax, CalleeSummary>();
    const summaryFor = (fn: FunctionSyntax) => {
      let s = summaries.get(fn);
      if (!s) summaries.set(fn, (s = summarize(fn, catalogue, effects)));
      return s;
    };
    // Other files' callee effects, where the catalogue does not already say what the function does (an inferred
    // wrapper's say what it does with its arguments: redis' `createObject(type, ptr)` keeps ptr).
    const effects = new Map((p.inferred?.effects ?? []).filter((e) => !catalogue.describes(e.name) || catalogue.allocator(e.name)?.profile === 'inferred').map((e) => [e.name, e]));
    const ctx: ExploreContext = {
      catalogue, facts, functions: p.functions, unreleasedStatics: p.unreleasedStatics, knowledge, effects,
      relevant: p.relevant ?? relevantNames(new Set([...p.functions.values(), ...p.analysed])),
      cfgOf: (fn) => {
        ctx.onRead?.(fn, 'text');
        return cfgFor(fn);
      },
      fitsInline: (fn) => {
        ctx.onRead?.(fn, 'summary');
        return cfgFor(fn).nodes.length <= MAX_INLINE_NODES;
      },
      summaryOf: (fn) => {
        ctx.onRead?.(fn, 'summary');
        return summaryFor(fn);
      },
      calleesOf: (fn) => {
        ctx.onRead?.(fn, 'calls');
        return summaryFor(fn).callees;
      },
      globalsOf: (fn) => {
        ctx.onRead?.(fn, 'globals');
        const s = summaryFor(fn);
        return { read: s.conditionGlobals, writes: s.writesGlobals };
      },
      testsGlobal: (fn, name) => {
        ctx.onRead?.(fn, `tests:${name}`);
        return summaryFor(fn).conditionGlobals.has(name);
      },
    };
    return ctx;
  }

  /**
   * Explores every allocation site of `fn` (its own, and those of same-file helpers it may get an allocation
   * back from). Sites in `traced` also record their failure-world paths (simulation).
   */
  exploreFunction(p: PreparedFile, fn: FunctionSyntax, ctx: ExploreContext, traced?: ReadonlySet<Syntax>, memo: HelperMemo = newHelperMemo(), select?: RunSelection): SiteRun[] {
    const catalogue = ctx.catalogue;
    const cfg = ctx.cfgOf(fn);
    const calls = allocationCalls(fn.body, catalogue);
    const sites = this.siteCalls(fn, calls, ctx, memo);
    // Every site's share of the function's budget counts them all, explored now or not.
    const all = sites.map(([call, owner]) => ({ call, owner, id: runId(fn, owner, call, catalogue) })).filter((r) => !select?.reuse?.(r.id, sites.length));
    // The paths up to each of the function's own allocations are the same for every site: explored once.
    const callNodes = callsToNodes(cfg, new Set(calls));
    let prefix: ReturnType<typeof SiteExplorer.explorePrefix>;
    if (calls.length > 1 && all.some((r) => r.owner === fn)) {
      select?.onRun?.(PREFIX_RUN); // what it reads, the own sites' runs read
      try {
        prefix = SiteExplorer.explorePrefix(ctx, cfg, new Set(callNodes.values()), PREFIX_STEP_BUDGET);
      } finally {
        select?.onRun?.(undefined);
      }
    }
    const runs: SiteRun[] = [];
    for (const { call, owner, id } of all) {
      select?.onRun?.(id);
      try {
        // A helper's site is named by its place among the helper's allocation calls: the run depends on that list.
        if (owner !== fn) ctx.onRead?.(owner, 'sites');
        const run = this.exploreSite(p, fn, ctx, cfg, call, owner, sites.length, prefix, traced);
        if (run) runs.push({ ...run, id });
      } finally {
        select?.onRun?.(undefined);
      }
    }
    return runs;
  }

  /** One run of `exploreFunction`: the site `call` of `owner`, explored from `fn`. */
  private exploreSite(p: PreparedFile, fn: FunctionSyntax, ctx: ExploreContext, cfg: Cfg, call: Syntax, owner: FunctionSyntax, sitesInFunction: number, prefix: ReturnType<typeof SiteExplorer.explorePrefix>, traced: ReadonlySet<Syntax> | undefined): Omit<SiteRun, 'id'> | undefined {
    const catalogue = ctx.catalogue;
    const text = (n: Syntax) => p.text.slice(n.start, n.end);
    const site = siteFor(call, catalogue, owner.name, text);
    if (!site) return undefined;
    const dieWrapper = site.spec.profile === 'inferred' && site.spec.failure === 'aborts';
    const tested = dieWrapper && mayBeTested(fn, owner, call) && testedInFile(p, site.callee);
    if (dieWrapper && !tested && (owner !== fn || !mayBeHeld(owner, call))) return undefined;
    const leaksOnly = dieWrapper && !tested;
    const explorer = new SiteExplorer(ctx, cfg, site, sitesInFunction, leaksOnly);
    explorer.trace = !!traced?.has(call);
    const outcome = explorer.run(prefix);
    // A die-wrapper's leaks are worth reporting only from a whole exploration: cut short, the paths it followed
    // were widened, and the release may lie on one it did not reach (its dead tests still stand).
    if (dieWrapper && !outcome.complete) {
      if (leaksOnly) return undefined;
      outcome.leaks.clear();
      outcome.lost.clear();
    }
    if (DEBUG) debugSteps.set(`${p.file}:${fn.name}`, (debugSteps.get(`${p.file}:${fn.name}`) ?? 0) + explorer.steps);
    return { fn, owner, call, outcome, oldMayBeLive: explorer.realloc?.oldMayBeLive, cfg };
  }

  /** The allocation calls followed from `fn`: its own, then those of same-file helpers that may return their
   *  allocation to it; each with the function that holds it. */
  private siteCalls(fn: FunctionSyntax, calls: Syntax[], ctx: ExploreContext, memo: HelperMemo): Array<[Syntax, FunctionSyntax]> {
    const inlined: Array<[Syntax, FunctionSyntax]> = [];
    for (const callee of this.helperSources(fn, ctx, ctx.catalogue, memo)) for (const c of handedBackCalls(callee, ctx.catalogue)) inlined.push([c, callee]);
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
    const params = { file: p.file, functions: p.paramSummaries ?? [] };
    const fns = p.wrapperCandidates ?? [];
    if (fns.length === 0) return { functions: [], releasers, params };
    // Storing into any static counts as an escape here: a function that keeps what it returns is no wrapper.
    const ctx = this.contextFor({ ...p, analysed: [...new Set([...p.analysed, ...fns])], unreleasedStatics: new Set() }, projectFacts);
    const memo = newHelperMemo(true);
    const text = (n: Syntax) => p.text.slice(n.start, n.end);
    const out: WrapperSummary[] = [];
    for (const fn of fns) {
      const s = summariseWrapper(fn, ctx, this.siteCalls(fn, allocationCalls(fn.body, ctx.catalogue), ctx, memo), text);
      if (s) out.push(s);
    }
    return { functions: out, releasers, params };
  }

  /**
   * Phase 2 of wrapper inference: with other files' wrappers known, a file that calls one is prepared again with
   * them as allocators (phase 1 chose its functions without them). Its own are left out: a same-file wrapper is
   * inlined where it is called, and its allocation followed there. `p` itself when none applies.
   */
  withInferred(p: PreparedFile, projectFacts: ConstantFacts, mentions?: Mentions): PreparedFile {
    const inferred = this.inferredFor(p, projectFacts, mentions);
    if (p.copiesReleased) return this.prepareWithInferred(p, inferred);
    if (!inferred) return p;
    // Releasers alone do not change which functions are analysed: only a called wrapper makes a file prepared again.
    if (inferred.allocators.length === 0) return { ...p, inferred };
    return this.prepareWithInferred(p, inferred);
  }

  /** Phase 2's copies of a file prepared in phase 1 (`prepareAgain`, or the whole file again when that cannot be). */
  private prepareWithInferred(p: PreparedFile, inferred: Inferred | undefined): PreparedFile {
    const again = this.prepareAgain(p, inferred) ?? this.prepare(p.file, p.text, p.config, undefined, undefined, { inferred });
    again.facts = p.facts; // what the file told the others stays what it was
    return again;
  }

  /**
   * A phase-1 file without its function copies, for the wait between the phases: the copies are most of what a
   * run holds, and phase 2 parses the functions it analyses from the outline (tree-sitter's included ranges) as
   * it does the ones other files' wrappers add. The parameter summaries stay until the file is summarised.
   */
  withoutCopies(p: PreparedFile): PreparedFile {
    if (!p.outline || p.unusable) return p;
    return { ...p, functions: new Map(), analysed: [], wrapperCandidates: undefined, releaserCandidates: undefined, copiesReleased: true, relevant: undefined };
  }

  /**
   * A phase-1 file with only the copies summarising it reads (`summariseWrappers`): its wrapper and releaser
   * candidates and the same-file functions they mention, to any depth (inlined, or taken by address), with the
   * names relevant in the whole file computed now, from all its copies. The summaries are those of the whole file.
   */
  keepForSummaries(p: PreparedFile): PreparedFile {
    const fns = p.wrapperCandidates ?? [];
    const releasers = p.releaserCandidates ?? [];
    if (fns.length === 0 && releasers.length === 0) return this.withoutCopies(p);
    if (!p.outline || p.unusable) return p;
    const relevant = relevantNames(new Set([...p.functions.values(), ...p.analysed, ...fns]));
    const kept = new Map<string, FunctionSyntax>();
    const mentioning = [...fns, ...releasers];
    for (let fn = mentioning.pop(); fn; fn = mentioning.pop()) {
      for (const name of identifiersOf(fn)) {
        const g = p.functions.get(name);
        if (g && !kept.has(name)) {
          kept.set(name, g);
          mentioning.push(g);
        }
      }
    }
    return { ...p, functions: kept, analysed: [], copiesReleased: true, relevant };
  }

  /** The other files' wrappers and releasers that apply in this file, or undefined when none does (or the file was
   *  prepared with them already). */
  inferredFor(p: PreparedFile, projectFacts: ConstantFacts, mentions?: Mentions): Inferred | undefined {
    if (p.inferred || p.unusable) return undefined;
    const own = new Set([...p.functions.keys(), ...p.analysed.map((f) => f.name), ...(p.wrapperCandidates ?? []).map((f) => f.name), ...(p.releaserCandidates ?? []).map((f) => f.name), ...(p.definedNames ?? [])]);
    return this.inferredIn(p.text, p.config, own, projectFacts, mentions);
  }

  /** The other files' wrappers and releasers that a file with this text applies, but for the names it defines. */
  private inferredIn(text: string, config: FailpathConfig, own: ReadonlySet<string>, projectFacts: ConstantFacts, mentions?: Mentions): Inferred | undefined {
    const all = projectFacts.inferred;
    if (!all || (!all.allocators.length && !all.releasers.length && !all.effects.length && !all.keeps?.length && !all.nonnull?.length)) return undefined;
    const base = this.catalogueFor(config);
    const mentioned = mentions ?? new Set(text.match(/[A-Za-z_]\w*/g) ?? []);
    const applies = (name: string) => mentioned.has(name) && !own.has(name) && !base.allocator(name) && !base.releaser(name);
    // A declared allocator is left to inlining in the file that defines it, as a wrapper is; what the source declares
    // of other functions applies there too.
    const declared = (name: string) => mentioned.has(name) && !base.allocator(name) && !base.releaser(name);
    // A die-wrapper's call can give a dead-oom-check where its result is tested and a leak where a variable holds
    // it (result-test.ts); elsewhere (stored in a member, passed on, returned) it can give nothing, and the
    // analysis of every function that calls `xmalloc` would cost several times the run. A declared allocator's
    // results are all followed.
    const inferred: Inferred = {
      allocators: mentionedIn(all.allocators, mentioned).filter((w) => applies(w.name) && (w.declared || w.failure !== 'aborts' || resultMatters(text, w.name))),
      releasers: mentionedIn(all.releasers, mentioned).filter((r) => applies(r.name)),
      effects: mentionedIn(all.effects, mentioned).filter((e) => applies(e.name)),
    };
    const keeps = all.keeps?.filter((k) => declared(k.name));
    const nonnull = all.nonnull?.filter((n) => declared(n));
    if (keeps?.length) inferred.keeps = keeps;
    if (nonnull?.length) inferred.nonnull = nonnull;
    return inferred.allocators.length || inferred.releasers.length || inferred.effects.length || keeps?.length || nonnull?.length ? inferred : undefined;
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
  *analyzeSteps(p: PreparedFile, projectFacts: ConstantFacts = NO_FACTS, cache?: FunctionResultCache, mentions?: Mentions): Generator<void, FileResult> {
    if (p.unusable) return { file: p.file, findings: [], stats: p.stats, unusable: p.unusable };
    p = this.withInferred(p, projectFacts, mentions);
    const ctx = this.contextFor(p, projectFacts);
    const context = cache ? contextDigest(p, ctx, projectFacts) : undefined;
    const keys = context !== undefined ? functionKeys(p, ctx, context) : undefined;
    const places = cache ? functionPlaces(p) : undefined;
    const findings: Finding[] = [];
    // First every site in every context, then the rules: a static helper's realloc is judged by what its
    // callers in this file pass it (a caller passing NULL makes `p = realloc(p, n)` a plain allocation).
    const runs: SiteRun[] = [];
    const fresh: Array<{ fn: FunctionSyntax; kept: RunResult[]; runCount: number; reads?: RunReads }> = [];
    const helperMemo = newHelperMemo();
    const digests = context !== undefined ? new FunctionDigests(p, ctx, context) : undefined;
    for (const fn of p.analysed) {
      const hit = keys && cache!.take(keys.get(fn)!, placedFunction(p, fn), places!, (d) => digests!.of(d.name, d.kind));
      if (hit && 'findings' in hit) {
        findings.push(...hit.findings);
        p.stats.allocationSites += hit.sites;
        continue;
      }
      // A partial hit: the runs that read only what is the same keep their findings, where the function still has
      // them and their share of its budget is the same; the others are explored again.
      const partial = hit?.partial;
      const cached = new Map(partial?.kept.map((r) => [r.id, r]));
      const entry = { fn, kept: [] as RunResult[], runCount: 0, reads: digests ? new RunReads(fn) : undefined };
      fresh.push(entry);
      p.stats.allocationSites += allocationCalls(fn.body, ctx.catalogue).length;
      const reuse = (id: string, runCount: number) => {
        entry.runCount = runCount;
        const r = cached.get(id);
        if (!r || siteStepBudget(runCount) !== siteStepBudget(partial!.runCount)) return false;
        entry.kept.push(r);
        return true;
      };
      if (entry.reads) ctx.onRead = entry.reads.onRead;
      try {
        runs.push(...this.exploreFunction(p, fn, ctx, undefined, helperMemo, { reuse, onRun: entry.reads?.onRun }));
      } finally {
        ctx.onRead = undefined;
      }
      yield;
    }
    const byRun = this.applyRules(p, runs);
    const runsOf = new Map<FunctionSyntax, SiteRun[]>();
    for (const r of runs) {
      let list = runsOf.get(r.fn);
      if (!list) runsOf.set(r.fn, (list = []));
      list.push(r);
    }
    for (const { fn, kept, runCount, reads } of fresh) {
      const results: RunResult[] = [...kept, ...(runsOf.get(fn) ?? []).map((r) => ({ id: r.id, findings: byRun.get(r) ?? [], dependencies: digests?.dependencies(reads!.ofRun(r.id)) ?? [] }))];
      for (const r of results) findings.push(...r.findings);
      if (keys) cache!.put(keys.get(fn)!, results, runCount, allocationCalls(fn.body, ctx.catalogue).length, placedFunction(p, fn), places!, digests!.dependencies(reads!.ofFunction()));
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

  /** The rules over explored sites, findings by run. */
  applyRules(p: PreparedFile, runs: SiteRun[]): Map<SiteRun, Finding[]> {
    const text = (n: Syntax) => p.text.slice(n.start, n.end);
    const liveInCallers = new Map<Syntax, boolean>();
    for (const r of runs) if (r.owner !== r.fn && r.oldMayBeLive !== undefined) liveInCallers.set(r.call, (liveInCallers.get(r.call) ?? false) || r.oldMayBeLive);
    const out = new Map<SiteRun, Finding[]>();
    const assignments = new Map<FunctionSyntax, Map<Syntax, Syntax>>();
    for (const run of runs) {
      const { fn, owner, call, outcome } = run;
      const site = outcome.site;
      const findings: Finding[] = [];
      out.set(run, findings);
      let targets = assignments.get(fn);
      if (!targets) assignments.set(fn, (targets = assignmentTargets(fn)));
      const target = owner === fn ? targets.get(call) : undefined;
      const oldArg = site.spec.reallocArg !== undefined ? call.children.find((c) => c.field === 'arguments')?.children[site.spec.reallocArg] : undefined;
      const fromCallers = fn.isStatic ? liveInCallers.get(call) : undefined;
      const ruleCtx: SiteRuleContext = {
        outcome,
        inlinedSite: owner !== fn,
        functionReturnsErrors: returnsErrors(fn.text),
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
          findings.push({
            rule: rule.id, severity, message: r.message, file: p.file, span: r.at,
            allocation: { span: spanOf(call), callee: site.callee },
            related: (r.related ?? []).map((x) => ({ file: x.file ?? p.file, span: x.at, message: x.message })),
          });
        });
      }
    }
    return out;
  }

  /** Same-file functions called from `fn` (up to 2 levels, the second through functions that are not large) that
   *  allocate and may hand the allocation back. */
  private helperSources(fn: FunctionSyntax, ctx: ExploreContext, catalogue: Catalogue, memo: HelperMemo): FunctionSyntax[] {
    const out: FunctionSyntax[] = [];
    const seen = new Set([fn.name]);
    let frontier = [fn];
    for (let depth = 0; depth < 2 && frontier.length; depth++) {
      const next: FunctionSyntax[] = [];
      for (const f of frontier) {
        if (f !== fn) {
          ctx.onRead?.(f, 'calls'); // its callees and mentions, and whether it is large
          if (isLargeFunction(f)) continue; // its helpers are followed by its own analysis
        }
        let names = memo.reached.get(f);
        if (!names) memo.reached.set(f, (names = ctx.calleesOf(f).concat(mentionedFunctions(f, ctx))));
        for (const name of names) {
          const g = ctx.functions.get(name);
          if (!g || seen.has(name)) continue;
          seen.add(name);
          next.push(g);
          ctx.onRead?.(g, 'calls'); // whether it hands an allocation back
          let source = memo.source.get(g);
          if (source === undefined) memo.source.set(g, (source = memo.anySize ? handsBackAllocation(g, catalogue) : followedFromCallers(g, catalogue)));
          if (source) {
            ctx.onRead?.(g, 'sites'); // the allocations it hands back are followed, a run each (which read its text)
            out.push(g);
          }
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
function newHelperMemo(anySize = false): HelperMemo {
  return { reached: new Map(), source: new Map(), anySize };
}

interface HelperMemo {
  reached: Map<FunctionSyntax, string[]>;
  source: Map<FunctionSyntax, boolean>;
  /** Wrapper inference follows large helpers too (`followedFromCallers`). */
  anySize: boolean;
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
  /** The file's text, and what was parsed: the text with the masks applied. */
  text: string;
  source: string;
  /** The names of the file's own macros that the masks applied on every parse look for. */
  lineMasks: LineMasks;
  /** What changed since the parse this one was made from (whose source is `changedFrom`), in the text and the
   *  source alike (undefined: a first parse, or one made afresh). */
  change?: TextChange;
  changedFrom?: string;
  /** The masks this document needed beyond those (conditional branches, attributes), in the order applied. */
  masks: Array<(text: string) => string>;
  /** Masks tried on this document (applied or not). */
  tried: Array<(text: string) => string>;
}

/** One allocation site explored in the context of an analysed function. */
export interface SiteRun {
  /** `runId`: the site among its function's allocation calls. */
  id: string;
  fn: FunctionSyntax;
  owner: FunctionSyntax;
  call: Syntax;
  outcome: SiteOutcome;
  oldMayBeLive?: boolean;
  cfg: Cfg;
}

/** The identifiers a file's text mentions (the language server keeps them up to date: parse/text-identifiers.ts). */
export interface Mentions {
  has(name: string): boolean;
}

/** Runs of a function not to explore (`reuse`: by `runId`, given how many runs the function has), and a hook told
 *  which run is under way (undefined between runs): the language server keeps what each run read. */
export interface RunSelection {
  reuse?: (id: string, runCount: number) => boolean;
  onRun?: (id: string | undefined) => void;
}

/** A run's identity across edits: the function the site lies in ('' for the analysed one) and its place among that
 *  function's allocation calls (a helper's are in the digest of its sites, function-keys.ts). */
function runId(fn: FunctionSyntax, owner: FunctionSyntax, call: Syntax, catalogue: Catalogue): string {
  return `${owner === fn ? '' : owner.name}#${allocationCalls(owner.body, catalogue).indexOf(call)}`;
}

function severityOf(config: FailpathConfig, id: string, dflt: Severity): Severity | undefined {
  const s = config.rules[id];
  return s === 'off' ? undefined : s ?? dflt;
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

/** Whether the result of an inferred die-wrapper's `call` (in `owner`, inlined into `fn` when they differ) may be
 *  tested: by the owner, or by `fn` where the owner returns it (dead-oom-check). */
function mayBeTested(fn: FunctionSyntax, owner: FunctionSyntax, call: Syntax): boolean {
  if (callResultTested(owner.text, calleeOffset(owner, call), TESTED_WITHIN)) return true;
  return owner !== fn && (owner.returns !== 'pointer' || resultMatters(fn.text, owner.name));
}

/** Whether some call of die-wrapper `name` in the file has its result tested (read once per file and name). */
function testedInFile(p: PreparedFile, name: string): boolean {
  let answers = testedInFiles.get(p);
  if (!answers) testedInFiles.set(p, (answers = new Map()));
  let tested = answers.get(name);
  if (tested === undefined) answers.set(name, (tested = resultTested(p.text, name)));
  return tested;
}
const testedInFiles = new WeakMap<PreparedFile, Map<string, boolean>>();

/** Whether the owner holds the result of an inferred die-wrapper's `call` in a variable (a leak is possible; held by
 *  a helper, it is the helper that hands it back, followed as a site of its own where it is a wrapper). */
function mayBeHeld(owner: FunctionSyntax, call: Syntax): boolean {
  return callResultHeld(owner.text, calleeOffset(owner, call));
}

function calleeOffset(owner: FunctionSyntax, call: Syntax): number {
  return (child(call, 'function') ?? call).start - owner.start;
}

/** File-scope variables declared `static` (their names mean this file's variable only). */
function staticVariables(root: TsNode): Set<string> {
  const out = new Set<string>();
  for (const d of root.namedChildren) {
    if (d?.type !== 'declaration' || !hasStaticStorage(d)) continue;
    for (let decl of d.childrenForFieldName('declarator')) {
      for (let guard = 0; decl && decl.type !== 'identifier' && guard < 10; guard++) decl = decl.childForFieldName('declarator');
      if (decl?.type === 'identifier') out.add(decl.text);
    }
  }
  return out;
}

/** Integer and floating parameters only (`int fd, size_t len`): nothing a caller's pointer can reach. A function
 *  without parameters may still read a global, and is summarised. */
function onlyScalarParams(c: FunctionCandidate): boolean {
  let d = c.looseBody ? null : c.node.childForFieldName('declarator');
  for (let guard = 0; d && d.type !== 'function_declarator' && guard < 10; guard++) d = d.childForFieldName('declarator');
  const params = (d?.childForFieldName('parameters')?.namedChildren ?? []).filter((p) => !(p?.type === 'parameter_declaration' && !p.childForFieldName('declarator') && p.childForFieldName('type')?.text === 'void'));
  if (params.length === 0) return false; // `f(void)`
  return params.every((p) => {
    if (p?.type !== 'parameter_declaration') return false;
    const decl = p.childForFieldName('declarator');
    if (decl && decl.type !== 'identifier') return false; // a pointer, an array, a function pointer
    const type = p.childForFieldName('type');
    return type?.type === 'primitive_type' || type?.type === 'sized_type_specifier' || (type?.type === 'type_identifier' && SCALAR_TYPEDEF.test(type.text));
  });
}
const SCALAR_TYPEDEF = /^(size_t|ssize_t|off_t|off64_t|time_t|pid_t|uid_t|gid_t|mode_t|bool|u?int(8|16|32|64|max|ptr)?_t|u(8|16|32|64)|s(8|16|32|64)|gfp_t)$/;


/** Whether a function candidate is declared to return a pointer (before its body is copied out). */
const STORES_THROUGH_POINTER = /[;{}]\s*\*\s*[A-Za-z_]\w*\s*=[^=]/;

function returnsPointer(c: FunctionCandidate): boolean {
  const decl = c.node.childForFieldName('declarator');
  return decl?.type === 'pointer_declarator' || /\*\s*$/.test(c.node.childForFieldName('type')?.text ?? '');
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
/** Whether a node lies in an ERROR region (error recovery's). */
function insideError(n: TsNode): boolean {
  for (let p = n.parent; p; p = p.parent) if (p.type === 'ERROR') return true;
  return false;
}

function brokenStructure(tree: Tree): number {
  let n = 0;
  for (const c of tree.rootNode.namedChildren) {
    if (c && (c.type === 'ERROR' || TOP_LEVEL_STATEMENT.has(c.type))) n++;
    // A function whose closing brace the parser had to invent has swallowed what follows it.
    else if (c?.type === 'function_definition' && c.hasError && c.childForFieldName('body')?.lastChild?.isMissing) n++;
  }
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
