// Whether code tests or keeps the result of a call, read from the text (cheap, before any exploration). The result
// of an inferred die-wrapper (`xmalloc`) never fails: its call can give a dead-oom-check where the result is tested,
// and a leak where it is held in a variable; stored straight into a member, passed on or returned it can give
// nothing, and is not followed. Distances count non-blank characters: the answer does not change with the layout.
import { nonBlankBack, nonBlankForward } from '../parse/layout';

const IDENTIFIER_CHAR = /[\w$]/;
/** The lvalue a call's result is assigned to, at the end of the text before the call (`LOOK_BACK` non-blank
 *  characters): `p = `, `s->name = (char *)`. */
const ASSIGNED_TO = /([A-Za-z_]\w*(?:\s*(?:->|\.)\s*[A-Za-z_]\w*)*)\s*=\s*(?:\([^()]*\)\s*)?$/;
const LOOK_BACK = 160;
/** How far (non-blank characters) after a call its test is looked for (the test that would be dead follows it). */
export const TESTED_WITHIN = 400;

/**
 * Whether the result of the call whose callee name starts at `at` may be tested within `window` non-blank characters
 * after it (the rest of the text when not given). Errs towards "yes": a call whose result is not assigned counts as
 * tested when it sits right after `!` or `(` (`if (!xstrdup(s))`, `foo(xstrdup(s))`).
 */
export function callResultTested(text: string, at: number, window?: number): boolean {
  const before = text.slice(nonBlankBack(text, at, LOOK_BACK), at);
  const m = ASSIGNED_TO.exec(before);
  const op = m ? before[m.index + m[0].lastIndexOf('=') - 1] : undefined;
  if (!m || op === '=' || op === '!' || op === '<' || op === '>') return /[!(]\s*$/.test(before);
  const lvalue = m[1].replace(/\s+/g, '');
  const v = lvalue.replace(/[.$]/g, '\\$&').replace(/->/g, '\\s*->\\s*').replace(/\\\./g, '\\s*\\.\\s*');
  const start = at - (before.length - m.index);
  const after = text.slice(start, window === undefined ? text.length : nonBlankForward(text, at, window));
  const tests = new RegExp(`!\\s*${v}\\b|\\b${v}\\s*[!=]=\\s*(?:NULL|0)\\b|\\b(?:NULL|0)\\s*[!=]=\\s*${v}\\b|\\bif\\s*\\(\\s*${v}\\s*\\)`);
  if (tests.test(after)) return true;
  // `if ((p = xmalloc(n)) == NULL)`
  return text[nonBlankBack(text, start, 1)] === '(' && /^[^;]*\)\s*[!=]=\s*(?:NULL|0)\b/.test(text.slice(at));
}

/** Whether `text` tests the result of some call of `fn` within the next few lines (`p = xmalloc(n); if (!p)`,
 *  `if ((p = xmalloc(n)) == NULL)`). */
export function resultTested(text: string, fn: string): boolean {
  return someCall(text, fn, (at) => callResultTested(text, at, TESTED_WITHIN));
}

/** Whether some call of `fn` in `text` has its result tested or held in a plain variable (`p = xstrdup(s)`). */
export function resultMatters(text: string, fn: string): boolean {
  return someCall(text, fn, (at) => callResultHeld(text, at) || callResultTested(text, at, TESTED_WITHIN));
}

function someCall(text: string, fn: string, holds: (at: number) => boolean): boolean {
  for (let at = text.indexOf(fn); at >= 0; at = text.indexOf(fn, at + fn.length)) {
    if (isCallAt(text, at, fn) && holds(at)) return true;
  }
  return false;
}

/** Whether the result of the call whose callee name starts at `at` is assigned to a plain variable (`p = `,
 *  `char *p = (char *)`): a member or an element it is stored in outlives the function. */
export function callResultHeld(text: string, at: number): boolean {
  const before = text.slice(nonBlankBack(text, at, LOOK_BACK), at);
  const m = ASSIGNED_TO.exec(before);
  if (!m || /->|\./.test(m[1])) return false;
  // `char *p = ` declares; `*out = ` stores through a pointer, `a[i].p = ` into an element.
  const lead = before.slice(0, m.index);
  if (/\]\s*$/.test(lead) || (/\*\s*$/.test(lead) && !/[\w$]\s*\*[\s*]*$/.test(lead))) return false;
  const op = before[m.index + m[0].lastIndexOf('=') - 1];
  return op !== '=' && op !== '!' && op !== '<' && op !== '>';
}

function isCallAt(text: string, at: number, fn: string): boolean {
  if (at > 0 && IDENTIFIER_CHAR.test(text[at - 1])) return false;
  let i = at + fn.length;
  if (i < text.length && IDENTIFIER_CHAR.test(text[i])) return false;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  return text[i] === '(';
}
