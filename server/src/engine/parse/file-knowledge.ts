// What a file says about its own helpers, beyond the catalogue: functions that never return (declared
// `NORETURN`/`_Noreturn`, or whose body always ends in a call that does not return) and `__builtin_expect`
// wrapper macros (`#define BE(e, v) __builtin_expect(e, v)`), which are transparent in conditions.
import type { Node as TsNode } from 'web-tree-sitter';
import type { Catalogue } from '../catalogue/catalogue';
import { memoised, type FunctionCandidate } from './functions';

export interface FileKnowledge {
  noreturn: Set<string>;
  transparent: Set<string>;
  /** Functions and macros that end in a call of another file's function (`#define fatal_f(...) sshfatal(…)`,
   *  `void die(…) { …; vdie(…); }`): they do not return if it does not (resolved across files by `mergeFacts`). */
  forwards?: Array<[string, string]>;
}

/** The function a macro's body calls first and only: `sshfatal(…)`, `do { vdie(…); } while (0)`. */
const MACRO_CALL = /^\s*(?:do\s*\{\s*)?\(?\s*([A-Za-z_]\w*)\s*\(/;

const NORETURN_ATTRIBUTE = /\b(_Noreturn|noreturn|__noreturn|__noreturn__|G_NORETURN|G_GNUC_NORETURN|NORETURN|ATTRIBUTE_NORETURN|__dead2|__dead)\b/;

function declaredName(n: TsNode | null): string | undefined {
  let d = n;
  for (let guard = 0; d && guard < 20; guard++) {
    if (d.type === 'function_declarator') return d.childForFieldName('declarator')?.text;
    d = d.childForFieldName('declarator');
  }
  return undefined;
}

/** What the file's top-level declarations and macros (outside its functions) say, before it is resolved. */
interface OutsideKnowledge {
  noreturn: string[];
  transparent: string[];
  /** Macros that call one function (`[macro, callee]`). */
  macros: Array<[string, string]>;
  /** Macros that may return from the function they are used in (openssh's `TEST_CHECK`). */
  returning: string[];
  /** Function pointers initialised with a function (`[pointer, function]`). */
  pointerInits: Array<[string, string]>;
}

/** How a function's body ends: the function its last statement calls, and whether its body says `return`. */
interface Ending {
  callee: string | undefined;
  saysReturn: boolean;
}

/**
 * `outside`: a memo of what lies outside the file's functions, kept by the language server while an edit changes
 * only the inside of one function (`FunctionCopies.outsideFunctions`); a candidate's own findings are kept in its
 * carried memo.
 */
export function fileKnowledge(root: TsNode, functions: FunctionCandidate[], text: string, catalogue: Catalogue, outside?: Map<unknown, unknown>): FileKnowledge {
  let top = outside?.get(OUTSIDE) as OutsideKnowledge | undefined;
  if (!top) {
    top = outsideKnowledge(root);
    outside?.set(OUTSIDE, top);
  }
  const noreturn = new Set(top.noreturn);
  const transparent = new Set(top.transparent);
  const { macros, returning } = top;
  const forwards: Array<[string, string]> = [];
  for (const c of functions) {
    const header = text.slice(c.start, Math.min(c.end, c.start + 300)).split('{')[0];
    if (NORETURN_ATTRIBUTE.test(header)) noreturn.add(c.name);
  }
  // A function that has no return and always ends by calling a function that does not return, does not return;
  // a return hidden in a macro of this file counts.
  const returnsVia = returning.length ? new RegExp(`\\b(?:${returning.join('|')})\\s*\\(`) : undefined;
  const ends = (name: string) => catalogue.isNoreturn(name) || noreturn.has(name);
  for (let changed = true, round = 0; changed && round < 4; round++) {
    changed = false;
    for (const c of functions) {
      if (noreturn.has(c.name) || c.looseBody) continue;
      const { callee, saysReturn } = memoised(c, ENDING, () => endingOf(c));
      if (!callee || saysReturn || (returnsVia && returnsVia.test(c.node.childForFieldName('body')!.text))) continue;
      if (!ends(callee)) {
        if (round === 0) forwards.push([c.name, callee]);
        continue;
      }
      noreturn.add(c.name);
      changed = true;
    }
    for (const [name, callee] of macros) {
      if (noreturn.has(name) || !ends(callee)) continue;
      noreturn.add(name);
      changed = true;
    }
  }
  for (const [name, callee] of macros) if (!noreturn.has(name)) forwards.push([name, callee]);
  // A function pointer initialised with a function that does not return (redis' `static void
  // (*zmalloc_oom_handler)(size_t) = zmalloc_default_oom;`): a handler installed in its place keeps that contract.
  for (const [pointer, value] of top.pointerInits) if (ends(value)) noreturn.add(pointer);
  const unresolved = forwards.filter(([name]) => !noreturn.has(name));
  return unresolved.length ? { noreturn, transparent, forwards: unresolved } : { noreturn, transparent };
}
const OUTSIDE = Symbol('file knowledge outside functions');
const ENDING = Symbol('ending');

function endingOf(c: FunctionCandidate): Ending {
  const body = c.node.childForFieldName('body');
  // The last statement, not a trailing `/* NOTREACHED */` comment.
  let last: TsNode | null | undefined = null;
  for (let i = (body?.namedChildCount ?? 0) - 1; i >= 0 && body; i--) {
    const k = body.namedChild(i);
    if (k && k.type !== 'comment') {
      last = k;
      break;
    }
  }
  const call = last?.type === 'expression_statement' ? last.namedChild(0) : null;
  const callee = call?.type === 'call_expression' ? call.childForFieldName('function')?.text : undefined;
  return { callee, saysReturn: callee !== undefined && /\breturn\b/.test(body!.text) };
}

function outsideKnowledge(root: TsNode): OutsideKnowledge {
  const out: OutsideKnowledge = { noreturn: [], transparent: [], macros: [], returning: [], pointerInits: [] };
  // Top-level declarations and macros, also inside #if/#ifdef blocks (`#if __GNUC__ >= 3 / #define BE(e, v) …`).
  const topLevel: TsNode[] = [];
  const collect = (n: TsNode, depth: number) => {
    for (const d of n.namedChildren) {
      if (!d) continue;
      if (depth < 8 && /^preproc_(if|ifdef|else|elif|elifdef)$/.test(d.type)) collect(d, depth + 1);
      else topLevel.push(d);
    }
  };
  collect(root, 0);
  for (const d of topLevel) {
    if ((d.type === 'declaration' || d.type === 'ERROR') && NORETURN_ATTRIBUTE.test(d.text)) {
      // `void fatal(const char *) NORETURN;` does not parse as a declaration: an ERROR holding the declarator.
      const declarator = d.type === 'declaration' ? d.childForFieldName('declarator') : d.namedChildren.find((k) => k?.type === 'function_declarator') ?? null;
      const name = declaredName(declarator);
      if (name) out.noreturn.push(name);
    } else if (d.type === 'preproc_function_def' && /^\(?\s*__builtin_expect\s*\(/.test(d.childForFieldName('value')?.text ?? '')) {
      const name = d.childForFieldName('name')?.text;
      if (name) out.transparent.push(name);
    } else if (d.type === 'preproc_function_def' || d.type === 'preproc_def') {
      const name = d.childForFieldName('name')?.text;
      const value = d.childForFieldName('value')?.text ?? '';
      if (name && /\breturn\b/.test(value)) out.returning.push(name);
      const callee = d.type === 'preproc_function_def' ? MACRO_CALL.exec(value)?.[1] : /^\s*([A-Za-z_]\w*)\s*$/.exec(value)?.[1];
      if (name && callee && callee !== name && !KEYWORDS.has(callee)) out.macros.push([name, callee]);
    }
  }
  for (const d of topLevel) {
    if (d.type !== 'declaration') continue;
    for (const init of d.childrenForFieldName('declarator')) {
      if (init?.type !== 'init_declarator') continue;
      const value = init.childForFieldName('value');
      const pointer = /^\(\s*\*\s*([A-Za-z_]\w*)\s*\)/.exec(init.childForFieldName('declarator')?.text ?? '');
      if (pointer && value?.type === 'identifier') out.pointerInits.push([pointer[1], value.text]);
    }
  }
  return out;
}

const KEYWORDS = new Set(['if', 'while', 'for', 'switch', 'return', 'sizeof', 'do']);
