// The engine's entry point: source text → findings. Two phases, so that a multi-file run can share facts:
// `prepare` parses and copies out what the analysis needs (the tree is freed), `analyze` runs the dataflow.
import type { Parser, Tree } from 'web-tree-sitter';
import { createCParser } from './parse/parser';
import { findFunctions, toFunctionSyntax, unionTypeNames, type FunctionCandidate, type FunctionSyntax } from './parse/functions';
import { hasConditionalDirectives, maskAttributes, maskConditionals } from './parse/preprocessor-mask';
import { walk, child, unwrap, type Syntax } from './parse/syntax';
import { Catalogue } from './catalogue/catalogue';
import { DEFAULT_CONFIG, type FailpathConfig, type Severity } from './config/config';
import { buildCfg } from './cfg/build';
import type { Cfg } from './cfg/cfg';
import { allocationCalls, siteFor } from './dataflow/site';
import { SiteExplorer, type ExploreContext } from './dataflow/explore';
import { collectFileFacts, factsForFile, type ConstantFacts, type FileFacts, NO_FACTS } from './dataflow/facts';
import { summarize, type CalleeSummary } from './dataflow/callee-summary';
import { unreleasedStatics } from './dataflow/static-storage';
import { relevantNames } from './dataflow/relevance';
import { fileKnowledge, type FileKnowledge } from './parse/file-knowledge';
import { LineIndex } from './parse/line-index';
import { spanOf, type SiteOutcome } from './dataflow/outcome';
import { RULES } from './rules/registry';
import type { SiteRuleContext } from './rules/rule';
import { findSuppressions, applySuppressions, type Suppression } from './suppressions';
import type { FileStats, Finding } from './findings';
import { compareFindings } from './findings';

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
  catalogueFor(config: FailpathConfig): Catalogue {
    const key = JSON.stringify([config.profiles, config.policy, config.allocators]);
    let c = this.catalogues.get(key);
    if (!c) {
      c = new Catalogue({ profiles: config.profiles, policy: config.policy, allocators: config.allocators });
      this.catalogues.set(key, c);
    }
    return c;
  }

  /** Parses one file. Parsing never fails: syntax errors leave ERROR nodes, and what parsed is analysed. */
  prepare(file: string, text: string, config: FailpathConfig = DEFAULT_CONFIG): PreparedFile {
    const stats: FileStats = { files: 1, bytes: text.length, functions: 0, allocationSites: 0, parseErrors: 0 };
    const empty: PreparedFile = {
      file, config, text, facts: { variables: [], functions: [], written: [], noreturn: [], transparent: [] }, functions: new Map(), analysed: [],
      unreleasedStatics: new Set(), suppressions: [], stats,
    };
    if (text.length > MAX_FILE_BYTES) return this.unusable(empty, `larger than ${MAX_FILE_BYTES >> 20} MB`);
    if (text.indexOf('\0') >= 0) return this.unusable(empty, 'binary file (contains NUL bytes)');
    let tree = this.parse(text);
    if (!tree) return this.unusable(empty, 'the parser gave up (time budget)');
    let source = text;
    // Code a preprocessor-less parser only half understands: retry with brace-breaking #if branches and
    // stray attributes blanked out (offsets stay the same), and keep whichever parses better.
    for (const mask of [hasConditionalDirectives(text) ? maskConditionals : undefined, maskAttributes]) {
      if (!mask || brokenStructure(tree) === 0) continue;
      const masked = mask(source);
      if (masked === source) continue;
      const retry = this.parse(masked);
      if (retry && brokenStructure(retry) < brokenStructure(tree)) {
        tree.delete();
        tree = retry;
        source = masked;
      } else retry?.delete();
    }
    try {
      const catalogue = this.catalogueFor(config);
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
      const copy = (c: FunctionCandidate) => {
        let fs = copies.get(c);
        if (!fs) copies.set(c, (fs = toFunctionSyntax(c, source, unionTypes, lines)));
        return fs;
      };
      const want = (c: FunctionCandidate, depth: number) => {
        if (functions.has(c.name) && depth > 0) return;
        const fs = copy(c);
        if (!functions.has(c.name)) functions.set(c.name, fs);
        if (depth >= 3) return;
        // Same-file functions it mentions (called, or taken as a function pointer) may be inlined.
        for (const id of new Set(fs.text.match(/[A-Za-z_]\w*/g) ?? [])) {
          const callee = byName.get(id);
          if (callee && callee !== c && !functions.has(id)) want(callee, depth + 1);
        }
      };
      // Functions that allocate, then (twice) the functions that call a same-file function that allocates:
      // a helper's allocation may come back to its caller (a wrapper, a "source" function).
      let sources = new Set<string>();
      const chosen = new Set<FunctionCandidate>();
      for (const c of candidates) {
        if (catalogue.allocationPattern.test(text.slice(c.start, c.end))) {
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
      return { file, config, text, facts, functions, analysed, unreleasedStatics: statics, suppressions, stats };
    } finally {
      tree.delete();
    }
  }

  private unusable(p: PreparedFile, why: string): PreparedFile {
    p.stats.parseErrors = 1;
    p.unusable = why;
    return p;
  }

  private parse(text: string): Tree | null {
    const started = Date.now();
    const budgetMs = 2000 + text.length / 100; // generous: ~100 KB/s worst case
    try {
      return this.parser.parse(text, null, { progressCallback: () => Date.now() - started > budgetMs });
    } catch {
      return null;
    }
  }

  /** Runs the dataflow and the rules over a prepared file. `projectFacts` come from the other files of the run. */
  analyze(p: PreparedFile, projectFacts: ConstantFacts = NO_FACTS): FileResult {
    if (p.unusable) return { file: p.file, findings: [], stats: p.stats, unusable: p.unusable };
    const catalogue = this.catalogueFor(p.config);
    const facts = factsForFile(projectFacts, p.facts);
    const knowledge: FileKnowledge = { noreturn: facts.noreturn, transparent: facts.transparent };
    const cfgs = new Map<FunctionSyntax, Cfg>();
    const summaries = new Map<FunctionSyntax, CalleeSummary>();
    const text = (n: Syntax) => p.text.slice(n.start, n.end);
    const ctx: ExploreContext = {
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
    const findings: Finding[] = [];
    const severityOf = (id: string, dflt: Severity): Severity | undefined => {
      const s = p.config.rules[id];
      return s === 'off' ? undefined : s ?? dflt;
    };
    // First every site in every context, then the rules: a static helper's realloc is judged by what its
    // callers in this file pass it (a caller passing NULL makes `p = realloc(p, n)` a plain allocation).
    const runs: Array<{ fn: FunctionSyntax; owner: FunctionSyntax; call: Syntax; outcome: SiteOutcome; oldMayBeLive?: boolean }> = [];
    const liveInCallers = new Map<Syntax, boolean>();
    const helperMemo: HelperMemo = { reached: new Map(), source: new Map() };
    for (const fn of p.analysed) {
      const cfg = ctx.cfgOf(fn);
      const calls = allocationCalls(fn.body, catalogue);
      p.stats.allocationSites += calls.length;
      // Sites inside same-file helpers are followed from here too: they may return their allocation to us.
      const inlined: Array<[Syntax, FunctionSyntax]> = [];
      for (const callee of this.helperSources(fn, ctx, catalogue, helperMemo)) for (const c of allocationCalls(callee.body, catalogue)) inlined.push([c, callee]);
      const all = [...calls.map((c) => [c, fn] as [Syntax, FunctionSyntax]), ...inlined];
      // The paths up to each of the function's own allocations are the same for every site: explored once.
      const callNodes = callsToNodes(cfg, new Set(calls));
      const prefix = calls.length > 1 ? SiteExplorer.explorePrefix(ctx, cfg, new Set(callNodes.values()), PREFIX_STEP_BUDGET) : undefined;
      for (const [call, owner] of all) {
        const site = siteFor(call, catalogue, owner.name, text);
        if (!site) continue;
        const explorer = new SiteExplorer(ctx, cfg, site, all.length);
        const outcome = explorer.run(prefix);
        if (DEBUG) debugSteps.set(`${p.file}:${fn.name}`, (debugSteps.get(`${p.file}:${fn.name}`) ?? 0) + explorer.steps);
        const oldMayBeLive = explorer.realloc?.oldMayBeLive;
        if (owner !== fn && oldMayBeLive !== undefined) liveInCallers.set(call, (liveInCallers.get(call) ?? false) || oldMayBeLive);
        runs.push({ fn, owner, call, outcome, oldMayBeLive });
      }
    }
    const assignments = new Map<FunctionSyntax, Map<Syntax, Syntax>>();
    for (const run of runs) {
      const { fn, owner, call, outcome } = run;
      const site = outcome.site;
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
        const severity = severityOf(rule.id, rule.severity);
        if (!severity) continue;
        rule.check(ruleCtx, (r) => {
          findings.push({
            rule: rule.id, severity, message: r.message, file: p.file, span: r.at,
            allocation: { span: spanOf(call), callee: site.callee },
            related: (r.related ?? []).map((x) => ({ file: p.file, span: x.at, message: x.message })),
          });
        });
      }
    }
    const unique = dedupe(findings);
    const kept = applySuppressions(unique, p.suppressions, p.file, severityOf('unmatched-suppression', 'warning') !== undefined);
    kept.sort(compareFindings);
    return { file: p.file, findings: kept, stats: p.stats };
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
