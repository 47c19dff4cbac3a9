// Where two versions of a text differ: the span between their common prefix and suffix, and the tree-sitter edit
// that turns one into the other. The language server asks on every edit of files up to several megabytes, so the
// common parts are found by halving and comparing slices natively, not character by character.
import type { Edit } from 'web-tree-sitter';
import { positionAt } from '../text-position';
import type { TextChange } from './carried-by-span';

/** Below this many characters, the rest is compared one character at a time. */
const SCAN = 64;

/**
 * What is known, without comparing, of two versions of a text: they have at least `prefix` characters in common at
 * the start and at least `suffix` at the end (the language server knows it from the edits it applied).
 */
export interface KnownSame {
  prefix: number;
  suffix: number;
}

/** The length of the longest common prefix of `a` and `b`, which share at least their first `known` characters:
 *  found near `known` first (a window that doubles), so an edit far into a large text costs little. */
export function commonPrefix(a: string, b: string, known = 0): number {
  const max = Math.min(a.length, b.length);
  let lo = Math.min(known, max);
  let hi = max;
  for (let step = SCAN; lo + step < hi; step *= 2) {
    if (a.slice(lo, lo + step) !== b.slice(lo, lo + step)) {
      hi = lo + step;
      break;
    }
    lo += step;
  }
  while (hi - lo > SCAN) {
    const mid = (lo + hi) >> 1;
    if (a.slice(lo, mid) === b.slice(lo, mid)) lo = mid;
    else hi = mid;
  }
  while (lo < hi && a.charCodeAt(lo) === b.charCodeAt(lo)) lo++;
  return lo;
}

/** The length of the longest common suffix of `a` and `b` that leaves the first `prefix` characters of both; they
 *  share at least their last `known` characters. */
export function commonSuffix(a: string, b: string, prefix = 0, known = 0): number {
  const max = Math.min(a.length, b.length) - prefix;
  let lo = Math.max(0, Math.min(known, max));
  let hi = max;
  for (let step = SCAN; lo + step < hi; step *= 2) {
    if (a.slice(a.length - lo - step, a.length - lo) !== b.slice(b.length - lo - step, b.length - lo)) {
      hi = lo + step;
      break;
    }
    lo += step;
  }
  while (hi - lo > SCAN) {
    const mid = (lo + hi) >> 1;
    if (a.slice(a.length - mid, a.length - lo) === b.slice(b.length - mid, b.length - lo)) lo = mid;
    else hi = mid;
  }
  while (lo < hi && a.charCodeAt(a.length - 1 - lo) === b.charCodeAt(b.length - 1 - lo)) lo++;
  return lo;
}

/** The tree-sitter edit that turns `before` into `after`. */
export function editBetween(before: string, after: string, known?: KnownSame): Edit {
  const start = commonPrefix(before, after, known?.prefix);
  const suffix = commonSuffix(before, after, start, known?.suffix);
  const { line, column } = positionAt(before, start);
  const startPosition = { row: line, column };
  return {
    startIndex: start, oldEndIndex: before.length - suffix, newEndIndex: after.length - suffix,
    startPosition, oldEndPosition: pointAfter(before, start, startPosition, before.length - suffix), newEndPosition: pointAfter(after, start, startPosition, after.length - suffix),
  };
}

/** The point of `offset` in `text`, from the point of an earlier offset `from`. */
function pointAfter(text: string, from: number, at: { row: number; column: number }, offset: number): { row: number; column: number } {
  let row = at.row;
  let lineStart = from - at.column;
  for (let i = text.indexOf('\n', from); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}

/** The span that holds both the parsed source's `edit` and the change of the text itself (masks blank some of the
 *  text, so an edit there changes the text alone; neither moves an offset, so both shift what follows alike). */
export function spanningChange(edit: Edit, before: string, after: string, known?: KnownSame): TextChange {
  const start = Math.min(edit.startIndex, commonPrefix(before, after, known?.prefix));
  const oldEnd = Math.max(edit.oldEndIndex, before.length - commonSuffix(before, after, start, known?.suffix));
  return { start, oldEnd, newEnd: oldEnd + after.length - before.length };
}
