// Builds the CFG backwards: each statement is built knowing its successor ("continuation" style), which makes
// break/continue/goto and short-circuit conditions direct.
import { child, calleeName, callArgs, unwrap, walk, type Syntax } from '../parse/syntax';
import { innermostIdentifier, type FunctionSyntax } from '../parse/functions';
import type { Catalogue } from '../catalogue/catalogue';
import type { CheckSpec } from '../catalogue/types';
import type { FileKnowledge } from '../parse/file-knowledge';
import type { Cfg, CfgNode, CfgNodeKind } from './cfg';

interface Targets {
  breakTo?: number;
  continueTo?: number;
}

export interface CfgContext {
  catalogue: Catalogue;
  /** Same-file noreturn functions and transparent macros, beyond the catalogue's. */
  knowledge: FileKnowledge;
}

const MAX_NODES = 20000;

export function buildCfg(fn: FunctionSyntax, ctx: CfgContext): Cfg {
  const nodes: CfgNode[] = [];
  const labels = new Map<string, number>();
  const scopeReleased = new Set<string>();
  const add = (kind: CfgNodeKind, next: number[], syntax?: Syntax, statement?: Syntax): number => {
    nodes.push({ id: nodes.length, kind, next, syntax, statement });
    return nodes.length - 1;
  };
  const exit = add('exit', []);
  const labelNode = (name: string): number => {
    let id = labels.get(name);
    if (id === undefined) {
      id = add('label', [exit]);
      nodes[id].label = name;
      labels.set(name, id);
    }
    return id;
  };
  const tokenPattern = ctx.catalogue.scopeReleaseTokens.length
    ? new RegExp(`(?:^|[^\\w])(?:${ctx.catalogue.scopeReleaseTokens.map((t) => t.replace(/[^\w]/g, '\\$&')).join('|')})(?:[^\\w]|$)`)
    : null;

  /** `loop`: the condition of a loop, whose false side is the normal way out, never an error path. */
  function buildCond(expr: Syntax | undefined, t: number, f: number, loop = false): number {
    if (!expr) return t;
    const e = unwrapCondition(expr, ctx.catalogue, ctx.knowledge.transparent);
    if (e.type === 'binary_expression' && (e.op === '&&' || e.op === '||')) {
      const [l, r] = [child(e, 'left'), child(e, 'right')];
      return e.op === '&&' ? buildCond(l, buildCond(r, t, f, loop), f, loop) : buildCond(l, t, buildCond(r, t, f, loop), loop);
    }
    if (e.type === 'unary_expression' && e.op === '!') {
      const inner = unwrapCondition(child(e, 'argument') ?? e, ctx.catalogue, ctx.knowledge.transparent);
      if (inner.type === 'binary_expression' && (inner.op === '&&' || inner.op === '||')) return buildCond(inner, f, t, loop);
      if (inner.type === 'unary_expression' && inner.op === '!') return buildCond(child(inner, 'argument'), t, f, loop);
    }
    if (e.type === 'conditional_expression') {
      const c = child(e, 'condition');
      const yes = child(e, 'consequence') ?? c;
      return buildCond(c, buildCond(yes, t, f, loop), buildCond(child(e, 'alternative'), t, f, loop), loop);
    }
    if (e.type === 'comma_expression') {
      return add('eval', [buildCond(child(e, 'right'), t, f, loop)], child(e, 'left'));
    }
    const id = add('branch', [t, f], e);
    if (loop) nodes[id].loop = true;
    return id;
  }

  function buildStatements(stmts: Syntax[], succ: number, tg: Targets): number {
    // A call statement left without its `;` and followed by a statement is a loop macro:
    // `FOR_EACH_ITEM(it, l) { … }`, `list_for_each_entry(pos, &h, list) do_it(pos);`.
    let next = succ;
    for (let i = stmts.length - 1; i >= 0; i--) {
      const s = stmts[i];
      const prev = stmts[i - 1];
      if (prev && isLoopMacroHead(prev)) {
        next = buildLoopMacro(prev, s, next, tg);
        i--;
        continue;
      }
      next = buildStmt(s, next, tg);
    }
    return next;
  }

  function buildLoopMacro(head: Syntax, body: Syntax, succ: number, tg: Targets): number {
    // `TEST("name") { … }`, `WITH_LOCK(l) { … }`: a statement macro and its block, run once.
    if (!LOOP_MACRO_NAME.test(calleeName(unwrap(head.children[0])) ?? '')) {
      return add('eval', [buildStmt(body, succ, tg)], head.children[0], head);
    }
    const join = add('join', []);
    const bodyEntry = buildStmt(body, join, { breakTo: succ, continueTo: join });
    const test = add('branch', [bodyEntry, succ], undefined, head);
    const evalHead = add('eval', [test], head.children[0], head);
    nodes[join].next = [evalHead];
    void tg;
    return join;
  }

  function buildStmt(s: Syntax, succ: number, tg: Targets): number {
    if (nodes.length > MAX_NODES) return succ;
    switch (s.type) {
      case 'compound_statement':
      case 'ERROR':
      case 'translation_unit':
        return buildStatements(s.children, succ, tg);
      case 'expression_statement': {
        const e = s.children[0];
        if (!e) return succ;
        return buildExpressionStatement(e, s, succ);
      }
      case 'declaration': {
        let next = succ;
        const declarators = s.children.filter((c) => c.field === 'declarator');
        for (const name of scopeReleasedNames(s, declarators, tokenPattern, sourceText)) scopeReleased.add(name);
        for (let i = declarators.length - 1; i >= 0; i--) next = add('eval', [next], declarators[i], s);
        return next;
      }
      case 'if_statement': {
        const thenEntry = buildStmt(child(s, 'consequence') ?? s, succ, tg);
        const alt = child(s, 'alternative');
        const elseEntry = alt ? buildStmt(alt.children[0] ?? alt, succ, tg) : succ;
        return buildCond(child(s, 'condition'), thenEntry, elseEntry);
      }
      case 'else_clause':
        return s.children[0] ? buildStmt(s.children[0], succ, tg) : succ;
      case 'while_statement': {
        const head = add('join', []);
        const body = buildStmt(child(s, 'body') ?? s, head, { breakTo: succ, continueTo: head });
        nodes[head].next = [buildCond(child(s, 'condition'), body, succ, true)];
        return head;
      }
      case 'do_statement': {
        const head = add('join', []);
        const cond = buildCond(child(s, 'condition'), head, succ, true);
        const body = buildStmt(child(s, 'body') ?? s, cond, { breakTo: succ, continueTo: cond });
        nodes[head].next = [body];
        return head;
      }
      case 'for_statement': {
        const head = add('join', []);
        const update = child(s, 'update');
        const updateEntry = update ? add('eval', [head], update, s) : head;
        const body = buildStmt(child(s, 'body') ?? s, updateEntry, { breakTo: succ, continueTo: updateEntry });
        const cond = child(s, 'condition');
        nodes[head].next = [cond ? buildCond(cond, body, succ, true) : body];
        const init = child(s, 'initializer');
        if (!init) return head;
        return init.type === 'declaration' ? buildStmt(init, head, tg) : add('eval', [head], init, s);
      }
      case 'switch_statement': {
        const body = child(s, 'body');
        const inner: Targets = { breakTo: succ, continueTo: tg.continueTo };
        const cases = (body?.children ?? []).filter((c) => c.type === 'case_statement');
        const entries: number[] = [];
        const values: (Syntax | null)[] = [];
        let fall = succ;
        for (let i = cases.length - 1; i >= 0; i--) {
          const c = cases[i];
          const value = child(c, 'value') ?? null;
          fall = buildStatements(c.children.filter((k) => k !== value), fall, inner);
          entries.unshift(fall);
          values.unshift(value);
        }
        if (!values.includes(null)) {
          entries.push(succ);
          values.push(null);
        }
        const sw = add('switch', entries, child(s, 'condition'), s);
        nodes[sw].cases = values;
        return sw;
      }
      case 'case_statement':
        return buildStatements(s.children.filter((k) => k.field !== 'value'), succ, tg);
      case 'break_statement':
        return tg.breakTo ?? succ;
      case 'continue_statement':
        return tg.continueTo ?? succ;
      case 'return_statement':
        return add('return', [exit], s, s);
      case 'goto_statement': {
        const label = child(s, 'label')?.text ?? '';
        const g = add('goto', [labelNode(label)], s, s);
        nodes[g].label = label;
        return g;
      }
      case 'labeled_statement': {
        const name = child(s, 'label')?.text ?? '';
        const l = labelNode(name);
        const stmt = s.children.find((c) => c.field !== 'label');
        nodes[l].next = [stmt ? buildStmt(stmt, succ, tg) : succ];
        return l;
      }
      case 'function_definition': {
        // `for_each_possible_cpu(cpu) { … }` inside a body parses as a nested function definition: a loop macro.
        const body = child(s, 'body');
        if (!body) return succ;
        if (!LOOP_MACRO_NAME.test(child(s, 'type')?.text ?? '')) return buildStmt(body, succ, tg);
        const join = add('join', []);
        const bodyEntry = buildStmt(body, join, { breakTo: succ, continueTo: join });
        nodes[join].next = [add('branch', [bodyEntry, succ], undefined, s)];
        return join;
      }
      case 'attributed_statement':
        return buildStatements(s.children.filter((c) => c.type !== 'attribute_declaration'), succ, tg);
      case 'preproc_else':
        return buildStatements(s.children, succ, tg);
      case 'preproc_if':
      case 'preproc_ifdef':
      case 'preproc_elif':
      case 'preproc_elifdef': {
        // Both configurations are possible: a branch the dataflow cannot decide.
        const alt = child(s, 'alternative');
        const body = s.children.filter((c) => c !== alt && c.field !== 'condition' && c.field !== 'name');
        const yes = buildStatements(body, succ, tg);
        const no = alt ? buildStmt(alt, succ, tg) : succ;
        if (yes === no) return yes;
        const j = add('branch', [yes, no], undefined, s);
        return j;
      }
      default:
        return succ;
    }
  }

  function buildExpressionStatement(e: Syntax, s: Syntax, succ: number): number {
    const u = unwrap(e);
    if (u.type === 'call_expression') {
      const name = calleeName(u);
      if (name) {
        if (ctx.catalogue.isNoreturn(name) || ctx.knowledge.noreturn.has(name)) return add('eval', [], e, s);
        // Test frameworks' `cl_assert(p)`, `ASSERT(p)`, `zassert(p)`: a call named assert stops when its argument is false.
        const args = callArgs(u);
        const check = ctx.catalogue.check(name) ?? (ASSERT_NAME.test(name) ? ({ name, kind: 'assert-true' } satisfies CheckSpec) : nullAssertion(name, args));
        const arg = args[check?.arg ?? 0];
        if (check && arg) {
          const abort = add('join', []); // no successor: the path ends
          switch (check.kind) {
            case 'assert-true':
              return buildCond(arg, succ, abort);
            case 'assert-false':
              return buildCond(arg, abort, succ);
            case 'return-if-null': {
              const ret = add('return', [exit], s, s);
              nodes[ret].returnValue = 'error';
              return buildCond(arg, succ, ret);
            }
            case 'return-unless': {
              const ret = add('return', [exit], s, s);
              nodes[ret].returnValue = args[1] ?? 'void';
              return buildCond(arg, succ, ret);
            }
            default:
              break;
          }
        }
      }
    }
    if (u.type === 'comma_expression') {
      const right = child(u, 'right');
      const left = child(u, 'left');
      let next = right ? buildExpressionStatement(right, s, succ) : succ;
      if (left) next = buildExpressionStatement(left, s, next);
      return next;
    }
    return add('eval', [succ], e, s);
  }

  function sourceText(n: Syntax): string {
    return fn.text.slice(n.start - fn.start, n.end - fn.start);
  }

  const entryTarget = buildStmt(fn.body, exit, {});
  const entry = add('entry', [entryTarget]);
  return { fn, nodes, entry, exit, labels, scopeReleased };
}

/** `likely(x)`, `unlikely(x)`, `__builtin_expect(x, 1)`, `WARN_ON(x)`: the test is `x`. */
export function unwrapCondition(expr: Syntax, catalogue: Catalogue, transparent: ReadonlySet<string>): Syntax {
  let e = unwrap(expr);
  for (let guard = 0; guard < 10; guard++) {
    if (e.type !== 'call_expression') return e;
    const name = calleeName(e);
    const check = name ? catalogue.check(name) : undefined;
    const passes = name !== undefined && (transparent.has(name) || check?.kind === 'transparent' || check?.kind === 'warn-true');
    if (!passes) return e;
    const arg = callArgs(e)[check?.arg ?? 0];
    if (!arg) return e;
    e = unwrap(arg);
  }
  return e;
}

const ASSERT_NAME = /^(\w+_)?assert(_true|_nonnull|_not_null|_ptr)?_?$|^[A-Z_]*ASSERT$/i; // also clar's `cl_assert_(expr, why)`

/**
 * Test frameworks' assertions about a pointer and NULL, which stop the test when they fail: openssh's
 * `ASSERT_PTR_NE(p, NULL)`, cmocka's `assert_ptr_not_equal(p, NULL)`, check's `ck_assert_ptr_ne(p, NULL)`, CUnit's
 * `CU_ASSERT_PTR_NOT_EQUAL(p, NULL)`, and the one-argument `assert_non_null(p)`, `assert_ptr_not_null(p)`,
 * `CU_ASSERT_PTR_NOT_NULL(p)`, `TEST_ASSERT_NOT_NULL(p)`, `g_assert_nonnull(p)` (and their `…_NULL`/`…_EQ` kin).
 */
function nullAssertion(name: string, args: Syntax[]): CheckSpec | undefined {
  if (!/assert/i.test(name)) return undefined;
  if (args.length === 1) {
    if (NOT_NULL_ASSERTION.test(name)) return { name, kind: 'assert-true' };
    if (NULL_ASSERTION.test(name)) return { name, kind: 'assert-false' };
    return undefined;
  }
  if (args.length !== 2 || !PTR_ASSERTION.test(name)) return undefined;
  const nullAt = args.findIndex(isNullLiteral);
  if (nullAt < 0 || isNullLiteral(args[1 - nullAt])) return undefined;
  if (NOT_EQUAL_ASSERTION.test(name)) return { name, kind: 'assert-true', arg: 1 - nullAt };
  if (EQUAL_ASSERTION.test(name)) return { name, kind: 'assert-false', arg: 1 - nullAt };
  return undefined;
}
const NOT_NULL_ASSERTION = /non_?null|not_?null/i;
const NULL_ASSERTION = /(^|_)(is_)?null$/i;
const PTR_ASSERTION = /ptr|pointer|_p_|_p$/i;
const NOT_EQUAL_ASSERTION = /(_|^)(ne|neq|not_?equal)$/i;
const EQUAL_ASSERTION = /(_|^)(eq|equal)$/i;

function isNullLiteral(n: Syntax): boolean {
  const u = unwrap(n);
  return (u.type === 'null' || u.type === 'identifier' || u.type === 'number_literal') && /^(NULL|nullptr|0)$/.test(u.text ?? '');
}

/** Macro names that read as loops (`list_for_each_entry`, `FOREACH`, `hash_iter`, `while_each_thread`). */
const LOOP_MACRO_NAME = /for|each|loop|iter|while|scan|walk|visit|repeat|until/i;

function isLoopMacroHead(s: Syntax): boolean {
  return s.type === 'expression_statement' && !!s.hasMissingChild && s.children.length === 1 && unwrap(s.children[0]).type === 'call_expression';
}

/** Variables of a declaration that are released at scope exit: `__attribute__((cleanup(f)))`, a scope-release
 *  token before the declarator (`g_autofree`, `_cleanup_free_`, `g_autoptr(T)`, `VIR_AUTOFREE(T)`), or one inside it
 *  (`void *p __free(kfree) = …`). */
function scopeReleasedNames(s: Syntax, declarators: Syntax[], tokens: RegExp | null, text: (n: Syntax) => string): string[] {
  const firstDeclarator = declarators[0]?.start ?? s.end;
  const prefix = s.children.filter((c) => c.end <= firstDeclarator);
  const attribute = prefix.some((c) => c.type === 'attribute_specifier' && /\bcleanup\s*\(/.test(text(c)));
  const prefixText = ' ' + prefix.map((c) => text(c)).join(' ') + ' ';
  const all = attribute || (!!tokens && tokens.test(prefixText));
  const out: string[] = [];
  for (const d of declarators) {
    const name = innermostIdentifier(d);
    if (!name) continue;
    if (all) out.push(name);
    else if (tokens) {
      let inner = false;
      walk(d, (n) => {
        if (n.type === 'function_declarator' || n.type === 'attribute_specifier') {
          if (tokens.test(' ' + text(n) + ' ') || /\bcleanup\s*\(/.test(text(n))) inner = true;
        }
        return n.type !== 'init_declarator' || n === d ? undefined : false;
      });
      if (inner) out.push(name);
    }
  }
  return out;
}
