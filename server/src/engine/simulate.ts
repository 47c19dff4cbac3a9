// Simulated failure (DESIGN §7): "what if this allocation returns failure?" — the statements that run, what is
// released and leaked on the way out, what the function returns, and which callers test that return. The
// CodeLens, `failpath/simulateFailure` and `failpath simulate FILE:LINE` all print this.
import type { Engine, PreparedFile, SiteRun } from './analyze';
import type { ConstantFacts } from './dataflow/facts';
import { NO_FACTS } from './dataflow/facts';
import { allocationCalls } from './dataflow/site';
import { spanKey, spanOf, type FailurePath, type Span } from './dataflow/outcome';
import { findFunctions, toFunctionSyntax, type FunctionSyntax } from './parse/functions';
import { calleeName, callArgs, child, unwrap, walk, type Syntax } from './parse/syntax';
import { LineIndex } from './parse/line-index';
import type { Catalogue } from './catalogue/catalogue';

export interface SimulatedPath {
  /** 0-based lines the path runs after the allocation, in order (the allocation's own line first). */
  lines: number[];
  via: 'goto' | 'return' | 'end' | 'crash';
  /** The goto's label, when the path jumps. */
  label?: string;
  /** Where the path leaves the function (or crashes). */
  exitAt: Span;
  /** The returned expression as written (`-ENOMEM`, `NULL`, `ret`), with its value when known. */
  returns?: string;
  /** The failed result is dereferenced here. */
  crashAt?: Span;
  /** Allocations of the function still held when the path leaves. */
  leaks: Array<{ name: string; callee: string; allocatedAt: Span }>;
  /** Release calls the path makes (`free(buf)`). */
  releases: string[];
  /** A test on the path noticed the failure. */
  noticed: boolean;
}

export interface CallerUse {
  function: string;
  /** The caller's file, when it is not the simulated function's. */
  file?: string;
  at: Span;
  /** tests: the caller tests the result; passes-on: returns it to its own caller; ignores: neither. */
  use: 'tests' | 'passes-on' | 'ignores';
}

export interface Simulation {
  file: string;
  function: string;
  callee: string;
  at: Span;
  canFail: boolean;
  cannotFailReason?: string;
  paths: SimulatedPath[];
  callers: CallerUse[];
  /** The outcome in a few words, for the CodeLens. */
  summary: string;
  /** The exploration hit its budget: the paths shown are those it followed. */
  partial: boolean;
}

const RELEASE_NAME = /(^|_)(free|destroy|release|unref|put|close|unmap)\w*$|[a-z](Free|Destroy|Unref|Release)$/;

/** Simulates the failure of every allocation site on `line` (0-based) of a prepared file. */
export function simulateFailure(engine: Engine, p: PreparedFile, line: number, projectFacts: ConstantFacts = NO_FACTS): Simulation[] {
  if (p.unusable) return [];
  const ctx = engine.contextFor(p, projectFacts);
  const fn = p.analysed.find((f) => f.line <= line && line <= f.closeLine && allocationCalls(f.body, ctx.catalogue).some((c) => c.line === line));
  if (!fn) return [];
  const traced = new Set(allocationCalls(fn.body, ctx.catalogue).filter((c) => c.line === line));
  const runs = engine.exploreFunction(p, fn, ctx, traced).filter((r) => r.owner === fn);
  const text = (n: Syntax) => p.text.slice(n.start, n.end);
  const callers = callersOf(fn, p, text);
  const out: Simulation[] = [];
  for (const run of runs) {
    if (!traced.has(run.call)) continue;
    const site = run.outcome.site;
    const others = runs.filter((r) => r !== run);
    const paths = (run.outcome.failurePaths ?? []).map((fp) => describePath(fp, run, others, ctx.catalogue, text));
    const sim: Simulation = {
      file: p.file, function: fn.name, callee: site.callee, at: spanOf(run.call), canFail: site.canFail,
      cannotFailReason: site.cannotFailReason, paths: dedupePaths(paths), callers, summary: '', partial: !run.outcome.complete,
    };
    sim.summary = summarize(sim);
    out.push(sim);
  }
  return out;
}

function describePath(fp: FailurePath, run: SiteRun, others: SiteRun[], catalogue: Catalogue, text: (n: Syntax) => string): SimulatedPath {
  const cfg = run.cfg;
  const lines: number[] = [run.call.line];
  const onPath = new Set<string>();
  const releases: string[] = [];
  let label: string | undefined;
  for (const id of fp.nodes) {
    const node = cfg.nodes[id];
    const syntax = node.syntax ?? node.statement;
    if (!syntax) continue;
    if (lines[lines.length - 1] !== syntax.line) lines.push(syntax.line);
    if (node.kind === 'goto' || node.kind === 'return') onPath.add(spanKey(spanOf(syntax)));
    if (node.kind === 'goto' && label === undefined) label = node.label;
    if (node.kind === 'eval' || node.kind === 'return') {
      walk(syntax, (n) => {
        if (n.type !== 'call_expression') return undefined;
        const name = calleeName(n);
        if (name && (catalogue.releaser(name) || RELEASE_NAME.test(name))) releases.push(text(n).replace(/\s+/g, ' '));
        return false;
      });
    }
  }
  if (fp.crashAt) {
    // The path ends where it dereferences the failed result; what the exploration followed after is moot.
    const at = lines.indexOf(fp.crashAt.line, 1);
    if (at >= 0) lines.length = at + 1;
    else lines.push(fp.crashAt.line);
  }
  // Another allocation leaks on this path when its own success path leaves through the same jump or return.
  const leaks: SimulatedPath['leaks'] = [];
  if (!fp.crashAt) {
    for (const r of others) {
      for (const leak of r.outcome.leaks.values()) {
        if (!onPath.has(spanKey(leak.at)) && !onPath.has(spanKey(leak.exitAt))) continue;
        const name = heldName(run.fn, r.call, r.outcome.site.resultArg, text) ?? `${r.outcome.site.callee}()`;
        if (!leaks.some((l) => l.name === name)) leaks.push({ name, callee: r.outcome.site.callee, allocatedAt: spanOf(r.call) });
        break;
      }
    }
  }
  const exit = fp.exit;
  const returnNode = cfg.nodes.find((n) => n.kind === 'return' && n.syntax && spanKey(spanOf(n.syntax)) === spanKey(exit.exitAt));
  let returns: string | undefined;
  if (returnNode?.syntax) {
    const expr = returnNode.returnValue && typeof returnNode.returnValue !== 'string' ? returnNode.returnValue : returnNode.syntax.children.find((c) => c.type !== 'return' && c.type !== ';');
    if (expr) {
      returns = text(expr).replace(/\s+/g, ' ');
      const v = exit.returned;
      // A variable gets its value (`ret (= -12)`); a constant (`NULL`, `FOO_ERR`) already says it.
      if (v?.k === 'int' && /^[A-Za-z_]\w*$/.test(returns) && returns !== returns.toUpperCase()) returns += ` (= ${v.n})`;
    } else if (returnNode.returnValue === 'error') returns = 'an error';
  }
  return {
    lines, via: fp.crashAt ? 'crash' : exit.via, label, exitAt: fp.crashAt ?? exit.exitAt, returns, crashAt: fp.crashAt,
    leaks, releases, noticed: fp.noticed,
  };
}

function dedupePaths(paths: SimulatedPath[]): SimulatedPath[] {
  const seen = new Set<string>();
  return paths.filter((p) => {
    const k = `${p.via}|${spanKey(p.exitAt)}|${p.leaks.map((l) => l.name).join(',')}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The name that holds an allocation: the assigned variable, the declared one, or the out argument. */
function heldName(fn: FunctionSyntax, call: Syntax, resultArg: number | undefined, text: (n: Syntax) => string): string | undefined {
  if (resultArg !== undefined) {
    const arg = callArgs(call)[resultArg];
    return arg ? text(arg).replace(/^&\s*/, '') : undefined;
  }
  let name: string | undefined;
  walk(fn.body, (n) => {
    if (name !== undefined) return false;
    if (n.type === 'assignment_expression') {
      const r = child(n, 'right');
      const l = child(n, 'left');
      if (r && l && unwrap(r) === call) name = text(l);
    } else if (n.type === 'init_declarator') {
      const v = child(n, 'value');
      const d = child(n, 'declarator');
      if (v && d && unwrap(v) === call) name = text(d).replace(/^[*\s]+/, '');
    }
    return undefined;
  });
  return name;
}

/** Same-file callers of `fn` and what they do with its result. */
function callersOf(fn: FunctionSyntax, p: PreparedFile, text: (n: Syntax) => string): CallerUse[] {
  const out: CallerUse[] = [];
  const seen = new Set<FunctionSyntax>();
  for (const caller of [...p.analysed, ...p.functions.values()]) {
    if (caller === fn || seen.has(caller)) continue;
    seen.add(caller);
    out.push(...callsOf(caller, fn.name, text));
  }
  return out;
}

/**
 * The callers of `name` in another file of the workspace and what each does with its result: every function of
 * the file that mentions the name, read from a parse of it (asked for on demand: the simulate request, the CLI).
 */
export function callersInFile(engine: Engine, file: string, text: string, name: string): CallerUse[] {
  if (!new RegExp(`\\b${name}\\s*\\(`).test(text)) return [];
  const parsed = engine.parseSource(text);
  if (!parsed) return [];
  try {
    const lines = new LineIndex(parsed.source);
    const read = (n: Syntax) => parsed.source.slice(n.start, n.end);
    const out: CallerUse[] = [];
    for (const c of findFunctions(parsed.tree.rootNode)) {
      if (c.name === name || !parsed.source.slice(c.start, c.end).includes(name)) continue;
      for (const use of callsOf(toFunctionSyntax(c, parsed.source, undefined, lines), name, read)) out.push({ ...use, file });
    }
    return out;
  } finally {
    parsed.tree.delete();
  }
}

function callsOf(caller: FunctionSyntax, name: string, text: (n: Syntax) => string): CallerUse[] {
  const out: CallerUse[] = [];
  if (!caller.text.includes(name)) return out;
  walk(caller.body, (n) => {
    if (n.type === 'call_expression' && calleeName(n) === name) out.push({ function: caller.name, at: spanOf(n), use: useOfResult(caller, n, text) });
  });
  return out;
}

const CONDITION = new Set(['if_statement', 'while_statement', 'do_statement', 'for_statement', 'conditional_expression', 'switch_statement']);

/** Whether the result of `call` inside `caller` is tested, handed on, or ignored (read from the syntax). */
function useOfResult(caller: FunctionSyntax, call: Syntax, text: (n: Syntax) => string): CallerUse['use'] {
  let use: CallerUse['use'] = 'ignores';
  let holder: string | undefined;
  const visit = (n: Syntax, inCondition: boolean): boolean => {
    if (n === call) {
      if (inCondition) use = 'tests';
      return true;
    }
    if (n.end <= call.start || n.start > call.end) return false;
    if (n.type === 'return_statement') {
      for (const c of n.children) if (visit(c, inCondition)) {
        if (use === 'ignores') use = 'passes-on';
        return true;
      }
      return false;
    }
    if (n.type === 'assignment_expression' || n.type === 'init_declarator') {
      const target = child(n, n.type === 'assignment_expression' ? 'left' : 'declarator');
      const value = child(n, n.type === 'assignment_expression' ? 'right' : 'value');
      if (value && visit(value, inCondition)) {
        if (target && unwrap(value) === call) holder = text(target).replace(/^[*\s]+/, '');
        return true;
      }
      return false;
    }
    for (const c of n.children) {
      const cond = CONDITION.has(n.type) && c.field === 'condition';
      if (visit(c, inCondition || cond || (n.type === 'binary_expression' && /^(==|!=|<|>|<=|>=|&&|\|\|)$/.test(n.op ?? '')) || (n.type === 'unary_expression' && n.op === '!'))) return true;
    }
    return false;
  };
  visit(caller.body, false);
  if (use !== 'ignores' || !holder) return use;
  const after = caller.text.slice(call.end - caller.start);
  const v = holder.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (new RegExp(`if\\s*\\(\\s*(!\\s*)?${v}\\s*\\)|\\b${v}\\s*[!=]=|[!=]=\\s*${v}\\b|\\b${v}\\s*<\\s*0|\\(\\s*!\\s*${v}\\b|IS_ERR(_OR_NULL)?\\s*\\(\\s*${v}\\s*\\)|CHECK\\w*\\s*\\(\\s*${v}\\s*\\)`).test(after)) return 'tests';
  if (new RegExp(`return\\s+${v}\\s*;`).test(after)) return 'passes-on';
  return 'ignores';
}

/** `if this fails: NULL dereference at line 42` / `goto cleanup → returns -1, leaks buf` / `cannot fail: …`. */
export function summarize(s: Simulation): string {
  if (!s.canFail) return `cannot fail: ${s.cannotFailReason ?? 'aborts on OOM'}`;
  if (s.paths.length === 0) return s.partial ? 'if this fails: too many paths to follow' : 'if this fails: the program stops (nothing returns)';
  const rank = (p: SimulatedPath) => (p.via === 'crash' ? 3 : p.leaks.length ? 2 : !p.noticed ? 1 : 0);
  const worst = [...s.paths].sort((a, b) => rank(b) - rank(a))[0];
  const more = s.paths.length > 1 ? ` (+${s.paths.length - 1} more path${s.paths.length > 2 ? 's' : ''})` : '';
  if (worst.via === 'crash') return `if this fails: NULL dereference at line ${worst.crashAt!.line + 1}${more}`;
  const parts: string[] = [];
  if (worst.label) parts.push(`goto ${worst.label} →`);
  parts.push(worst.via === 'end' ? 'falls off the end' : worst.returns !== undefined ? `returns ${worst.returns}` : 'returns');
  const leaks = worst.leaks.length ? `, leaks ${worst.leaks.map((l) => l.name).join(', ')}` : ', nothing leaked';
  return `if this fails: ${parts.join(' ')}${leaks}${more}`;
}
