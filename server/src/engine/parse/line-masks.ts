// The masks every parse of a file applies (preprocessor-mask.ts): attribute macros in declarations, uses of its own
// cast macros, the missing semicolon after its own statement macros, macro names on lines of their own. After an edit the language server masks again
// only the lines the edit can change, and keeps the rest of the last masked text. That holds because each of these
// masks decides a line from the line itself, the line before it (a statement macro's semicolon goes into the next
// line's indentation) and the last line with code above it (a lone macro name is blanked where a statement may
// start): below the edit, once a line with code comes out as it did before, every line after it does too.
import { castMacros, codeOf, maskAttributeMacros, maskCastMacros, maskLoneMacroLines, maskStatementMacros, statementMacros, statementMayStartAbove } from './preprocessor-mask';
import { commonPrefix, commonSuffix, type KnownSame } from './text-edit';
import { lineEndOf, lineStartOf } from '../text-position';

/** The macro names the masks look for, from the file's `#define` lines. */
export interface LineMasks {
  cast: string[];
  statement: string[];
}

export function lineMasksOf(text: string): LineMasks {
  return { cast: castMacros(text), statement: statementMacros(text) };
}

export function applyLineMasks(text: string, masks: LineMasks): string {
  return maskLoneMacroLines(maskStatementMacros(maskCastMacros(maskAttributeMacros(text), masks.cast), masks.statement));
}

/** Lines re-masked below an edit before looking for the line where the old masking resumes (then four times more). */
const FIRST_WINDOW_LINES = 8;

/**
 * `applyLineMasks(text, masks)`, given `before` (an earlier text and its masked form with the same masks; `known`:
 * what the two texts are known to share). Undefined when the edit touches a `#define` line (the names may change):
 * the caller masks the whole text. `kept`, when given, is told how much of the old masked text the new one keeps
 * at its start and at its end.
 */
export function reapplyLineMasks(before: { text: string; source: string }, text: string, masks: LineMasks, known?: KnownSame, kept?: KnownSame): string | undefined {
  const old = before.text;
  const prefix = commonPrefix(old, text, known?.prefix);
  if (prefix === old.length && prefix === text.length) {
    if (kept) Object.assign(kept, { prefix: old.length, suffix: 0 });
    return before.source;
  }
  const suffix = commonSuffix(old, text, prefix, known?.suffix);
  const changedEnd = text.length - suffix; // in `text`; the same place is old.length - suffix in `old`
  const firstChanged = lineStartOf(text, prefix);
  // Start on a line no statement macro's semicolon can come into: its own masking does not depend on the line above.
  let start = firstChanged;
  while (start > 0 && mentionsAny(text.slice(lineStartOf(text, start - 1), start), masks.statement)) start = lineStartOf(text, start - 1);
  const checkFrom = start > 0 ? lineStartOf(text, start - 1) : 0;
  if (mayDefine(old.slice(checkFrom, lineEndOf(old, old.length - suffix))) || mayDefine(text.slice(checkFrom, lineEndOf(text, changedEnd)))) return undefined;
  // What the lines above the window tell a lone macro name in it: a line that ends a statement, or one that does not.
  const above = statementMayStartAbove(before.source, start) ? ';\n' : '0\n';
  const delta = text.length - old.length;
  for (let lines = FIRST_WINDOW_LINES; ; lines *= 4) {
    let end = lineEndOf(text, changedEnd);
    for (let k = 0; k < lines && end < text.length; k++) end = lineEndOf(text, end + 1);
    const window = applyLineMasks(above + text.slice(start, end), masks).slice(above.length);
    if (end === text.length) {
      if (kept) Object.assign(kept, { prefix: start, suffix: 0 });
      return before.source.slice(0, start) + window;
    }
    // The first line wholly below the edit whose code is masked as before.
    for (let at = lineStartOf(text, changedEnd) === changedEnd ? changedEnd : lineEndOf(text, changedEnd) + 1; at <= end; at = lineEndOf(text, at) + 1) {
      const masked = window.slice(at - start, lineEndOf(text, at) - start);
      const oldAt = at - delta;
      if (codeOf(masked) && lineStartOf(before.source, oldAt) === oldAt && lineEndOf(before.source, oldAt) === oldAt + masked.length && before.source.startsWith(masked, oldAt)) {
        if (kept) Object.assign(kept, { prefix: start, suffix: before.source.length - (oldAt + masked.length) });
        return before.source.slice(0, start) + window.slice(0, at - start + masked.length) + before.source.slice(oldAt + masked.length);
      }
    }
  }
}

function mentionsAny(line: string, names: readonly string[]): boolean {
  return names.some((n) => line.includes(n));
}

function mayDefine(lines: string): boolean {
  return lines.includes('define');
}
