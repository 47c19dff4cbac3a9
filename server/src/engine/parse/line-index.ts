// Line and column of a UTF-16 offset, from the text itself. Tree-sitter counts rows at '\n' only and columns (in
// web-tree-sitter) in UTF-16 code units from the line start, so this gives the positions the tree would, without
// a call into the parser's wasm per node.
export class LineIndex {
  private readonly starts: Int32Array;

  constructor(text: string) {
    let count = 1;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count++;
    const starts = new Int32Array(count);
    let line = 1;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts[line++] = i + 1;
    this.starts = starts;
  }

  /** 0-based line of `offset`. */
  line(offset: number): number {
    const s = this.starts;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Column of `offset` on `line` (its result from `line`). */
  column(offset: number, line: number): number {
    return offset - this.starts[line];
  }
}
