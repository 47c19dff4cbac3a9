// A function's text apart from its layout: the language server reuses a function's findings after an edit that
// only changed blanks (a space, a line break), moving their places (`LayoutMap`). Blanks inside comments, string
// and character literals and line continuations are part of the tokens; so are the line break that ends a `//`
// comment and those that end a preprocessor directive or begin one (a directive ends at the end of its line).

/** Comments, literals, line continuations (group 1: kept as they are), `#` (group 2), or a run of blanks. */
const LEXEME = /(\/\*[\s\S]*?\*\/|\/\/(?:\\\r?\n|[^\n])*\n?|"(?:\\[\s\S]|[^"\\\n])*"|'(?:\\[\s\S]|[^'\\\n])*'|\\\r?\n)|(#)|\s+/g;
/** Stand for a run of blanks, and for one that holds a line break ending or beginning a directive: not characters
 *  of C source, so two texts with the same token text have their runs of blanks between the same tokens. */
const SEPARATOR = '\x01';
const LINE_SEPARATOR = '\x02';

/** Calls `run` for each run of blanks between tokens, with whether it is a line break that ends or begins a
 *  preprocessor directive. */
function forEachRun(text: string, run: (start: number, end: number, directiveLine: boolean) => void): void {
  let directive = false;
  // Where the current line's first token may start (past blanks and block comments at its start).
  let lineStart = 0;
  LEXEME.lastIndex = 0;
  for (let m = LEXEME.exec(text); m; m = LEXEME.exec(text)) {
    const end = m.index + m[0].length;
    if (m[1] !== undefined) {
      if (m[1].startsWith('//') && m[1].endsWith('\n')) {
        directive = false;
        lineStart = end;
      } else if (m[1].startsWith('/*') && m.index === lineStart) lineStart = end;
    } else if (m[2] !== undefined) {
      if (m.index === lineStart) directive = true;
    } else {
      const lineBreak = m[0].includes('\n');
      run(m.index, end, lineBreak && (directive || text.charCodeAt(end) === 35 /* # */));
      if (lineBreak) directive = false;
      if (lineBreak || m.index === lineStart) lineStart = end;
    }
  }
}

/** The text with each run of blanks between tokens made one separator: equal for two texts that differ only in
 *  layout, and then they mean the same. */
export function tokenText(text: string): string {
  let out = '';
  let done = 0;
  forEachRun(text, (start, end, directiveLine) => {
    out += text.slice(done, start) + (directiveLine ? LINE_SEPARATOR : SEPARATOR);
    done = end;
  });
  return out + text.slice(done);
}

/** The runs of blanks of a text, as [start, end, start, end, …]. */
function blankRuns(text: string): number[] {
  const out: number[] = [];
  forEachRun(text, (start, end) => void out.push(start, end));
  return out;
}

/** Offsets of one text in another with the same `tokenText` (the same tokens, other blanks). */
export class LayoutMap {
  private readonly from: number[];
  private readonly to: number[];

  private constructor(from: string, to: string) {
    this.from = blankRuns(from);
    this.to = blankRuns(to);
  }

  /** The map from `from` to `to`, or undefined when their tokens differ. */
  static between(from: string, to: string): LayoutMap | undefined {
    if (tokenText(from) !== tokenText(to)) return undefined;
    return new LayoutMap(from, to);
  }

  /** Where the character at `offset` of `from` (or the end of the token that ends there) is in `to`; undefined
   *  for an offset inside a run of blanks, which has no counterpart. */
  offset(offset: number): number | undefined {
    // The runs that end at or before the offset (binary search over the ends).
    let lo = 0, hi = this.from.length / 2;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.from[2 * mid + 1] <= offset) lo = mid + 1;
      else hi = mid;
    }
    if (lo < this.from.length / 2 && this.from[2 * lo] < offset) return undefined;
    return lo === 0 ? offset : offset - this.from[2 * lo - 1] + this.to[2 * lo - 1];
  }
}

// Distances the analysis measures in the text count non-blank characters, so that they do not change with the
// layout (and a function's findings do not either).
function isBlank(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** The non-blank characters of `text` between `start` and `end`. */
export function nonBlankLength(text: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) if (!isBlank(text.charCodeAt(i))) n++;
  return n;
}

/** The end of the `n` non-blank characters from `from` on (or the end of the text). */
export function nonBlankForward(text: string, from: number, n: number): number {
  let i = from;
  for (let k = 0; i < text.length && k < n; i++) if (!isBlank(text.charCodeAt(i))) k++;
  return i;
}

/** The start of the `n` non-blank characters before `to` (or 0). */
export function nonBlankBack(text: string, to: number, n: number): number {
  let i = to;
  for (let k = 0; i > 0 && k < n;) if (!isBlank(text.charCodeAt(--i))) k++;
  return i;
}
