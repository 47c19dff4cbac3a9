// Values computed from one function's text, carried from one version of a document to the next by where the
// function lies: a function wholly before the change is at the same offsets, one wholly after it has moved by the
// change's length, and any other (the edited function, or all of them when the change is not known) starts empty.
// The language server's function selection reads every function's text on every edit; what it found is kept here.

/** What changed between two versions of a text: `start` to `oldEnd` in the old one became `start` to `newEnd`. */
export interface TextChange {
  start: number;
  oldEnd: number;
  newEnd: number;
}

interface Carried {
  end: number;
  memo: Map<unknown, unknown>;
}

export class CarriedBySpan {
  private last = new Map<number, Carried>();
  private next = new Map<number, Carried>();
  private change: TextChange | undefined;
  /** The version the memos in `next` were made for. */
  private version: string | undefined;

  /** A new version of the text, `change` from `from` (carried only if that is the version of the last round). */
  begin(text: string, from?: string, change?: TextChange): void {
    const carried = change !== undefined && from !== undefined && from === this.version;
    this.last = carried ? this.next : new Map();
    this.next = new Map();
    this.change = carried ? change : undefined;
    this.version = text;
  }

  /** The change from the last version, when memos are carried from it. */
  get carriedChange(): TextChange | undefined {
    return this.change;
  }

  /** The memo of the function at `start`..`end` of the new version (empty if it is new or its text changed). */
  at(start: number, end: number): Map<unknown, unknown> {
    const asked = this.next.get(start);
    if (asked?.end === end) return asked.memo;
    let memo: Map<unknown, unknown> | undefined;
    const c = this.change;
    if (c) {
      const delta = c.newEnd - c.oldEnd;
      const old = end <= c.start ? start : start >= c.newEnd ? start - delta : -1;
      const e = old >= 0 ? this.last.get(old) : undefined;
      if (e && e.end === end - (start - old)) memo = e.memo;
    }
    memo ??= new Map();
    this.next.set(start, { end, memo });
    return memo;
  }
}
