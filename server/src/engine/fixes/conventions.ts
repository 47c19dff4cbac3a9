// How a function handles errors, read from its own code, so that a fix looks like the code around it: the
// cleanup label its error checks jump to, the value its error returns give, `!p` or `p == NULL`, its indent.
import type { Node as TsNode } from 'web-tree-sitter';
import type { FailKind } from '../dataflow/site';

export type ErrorExit = { kind: 'goto'; label: string } | { kind: 'return'; value: string };

const ERROR_LABEL = /(^|_)(err|error|errout|fail|failed|failure|bad|nomem|enomem|oom|out|cleanup|free|unwind|undo|exit|done|end)/i;
const ERROR_VALUE = /^(-\s*\w+|-\d+|NULL|false|FALSE|[A-Z][A-Z0-9_]*(ERR|ERROR|FAIL|NOMEM|OUT_OF_MEMORY|INVALID)[A-Z0-9_]*)$/;

function walkNodes(n: TsNode, visit: (n: TsNode) => boolean | void): void {
  if (visit(n) === false) return;
  for (const c of n.namedChildren) if (c) walkNodes(c, visit);
}

/** The function's error exit: the label most of its failure checks jump to, else its usual error return. */
export function errorExit(fn: TsNode, kernel: boolean): ErrorExit {
  const gotos = new Map<string, number>();
  const returns = new Map<string, number>();
  walkNodes(fn, (n) => {
    if (n.type === 'goto_statement') {
      const label = n.childForFieldName('label')?.text;
      // Jumps inside an `if` are error checks; a bare goto at the end of the success path is not.
      if (label && ancestorType(n, 'if_statement', fn)) gotos.set(label, (gotos.get(label) ?? 0) + 1);
    } else if (n.type === 'return_statement') {
      const v = n.namedChildren[0]?.text.replace(/\s+/g, '');
      if (v && ERROR_VALUE.test(v) && ancestorType(n, 'if_statement', fn)) returns.set(v, (returns.get(v) ?? 0) + 1);
    }
  });
  const labels = [...gotos].filter(([l]) => ERROR_LABEL.test(l)).sort((a, b) => b[1] - a[1]);
  if (labels.length) return { kind: 'goto', label: labels[0][0] };
  const common = [...returns].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (common) return { kind: 'return', value: common === '-ENOMEM' || !/^-E[A-Z]+$/.test(common) ? common : '-ENOMEM' };
  return { kind: 'return', value: defaultErrorValue(fn, kernel) };
}

/** The error value a function of this return type gives when nothing in it says otherwise. */
export function defaultErrorValue(fn: TsNode, kernel: boolean): string {
  const type = fn.childForFieldName('type')?.text ?? 'int';
  const declarator = fn.childForFieldName('declarator');
  if (declarator?.type === 'pointer_declarator') return 'NULL';
  if (/^(bool|_Bool|gboolean)$/.test(type)) return type === 'gboolean' ? 'FALSE' : 'false';
  if (type === 'void') return '';
  return kernel ? '-ENOMEM' : '-1';
}

function ancestorType(n: TsNode, type: string, stop: TsNode): boolean {
  for (let p = n.parent; p && p !== stop; p = p.parent) if (p.type === type) return true;
  return false;
}

/** The failure test of `v` in the function's style (`!p` or `p == NULL`). */
export function failureTest(v: string, kind: FailKind, fn: TsNode): string {
  switch (kind) {
    case 'err': return `IS_ERR(${v})`;
    case 'errOrNull': return `IS_ERR_OR_NULL(${v})`;
    case 'mapFailed': return `${v} == MAP_FAILED`;
    default: return prefersEqualsNull(fn) ? `${v} == NULL` : `!${v}`;
  }
}

/** The success test (the negation), for rewriting `if (p)`-style checks. */
export function successTest(v: string, kind: FailKind): string {
  switch (kind) {
    case 'err': return `!IS_ERR(${v})`;
    case 'errOrNull': return `!IS_ERR_OR_NULL(${v})`;
    case 'mapFailed': return `${v} != MAP_FAILED`;
    default: return v;
  }
}

function prefersEqualsNull(fn: TsNode): boolean {
  const t = fn.text;
  return (t.match(/==\s*NULL\b/g)?.length ?? 0) > (t.match(/\(\s*!\s*[A-Za-z_]/g)?.length ?? 0);
}

/** The indentation of the line `n` starts on. */
export function indentOf(text: string, n: TsNode): string {
  const lineStart = text.lastIndexOf('\n', n.startIndex - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/** One level of indentation in this file: a tab, or the smallest step of leading spaces. */
export function indentUnit(text: string): string {
  if (/\n\t/.test(text) && !/\n {2,}\S/.test(text)) return '\t';
  let best = 8;
  for (const m of text.matchAll(/\n( +)[^\s*]/g)) if (m[1].length < best) best = m[1].length; // not ` *` comment lines
  return ' '.repeat(best >= 2 ? best : 4);
}

/** The statements to leave the function on failure: `goto label;` or the release calls and the return. */
export function exitStatements(exit: ErrorExit, releases: string[]): string[] {
  if (exit.kind === 'goto') return [`goto ${exit.label};`];
  return [...releases, exit.value ? `return ${exit.value};` : 'return;'];
}

/** `if (cond)` with the body on its own line(s), braced when it has more than one statement. */
export function ifStatement(cond: string, body: string[], indent: string, unit: string): string {
  if (body.length === 1) return `if (${cond})\n${indent}${unit}${body[0]}`;
  return `if (${cond}) {\n${body.map((s) => `${indent}${unit}${s}`).join('\n')}\n${indent}}`;
}
