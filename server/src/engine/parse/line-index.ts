// Line and column of a UTF-16 offset, from the text itself. Tree-sitter counts rows at '\n' only and columns (in
// web-tree-sitter) in UTF-16 code units from the line start, so this gives the positions the tree would, without
// a call into the parser's wasm per node.
//
// An index may cover only the lines of one part of the text (`from`, the start of line `firstLine`, up to `to`):
// the language server copies one function anew after an edit, and indexing a whole large file for it cost more
// than the copy.
export class LineIndex {
  /** Absolute offsets of the starts of lines `firstLine`, `firstLine + 1`, …. */
  private readonly starts: Int32Array;

  constructor(text: string, from = 0, to = text.length, private readonly firstLine = 0) {
    let count = 1;
    for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) count++;
    const starts = new Int32Array(count);
    starts[0] = from;
    let line = 1;
    for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) starts[line++] = i + 1;
    this.starts = starts;
  }

  /** 0-based line of `offset` (an offset the index covers). */
  line(offset: number): number {
    const s = this.starts;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + this.firstLine;
  }

  /** Column of `offset` on `line` (its result from `line`). */
  column(offset: number, line: number): number {
    return offset - this.starts[line - this.firstLine];
  }
}
