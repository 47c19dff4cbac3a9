// Copies of functions kept between analyses of one document (the language server): a function whose text did not
// change is not copied out of the tree again — copying crosses into wasm for every node — only moved to where it
// now starts.
import type { FunctionSyntax } from './functions';
import type { FunctionSpan, SelectionMemo } from '../function-selection';
import { CarriedBySpan, type TextChange } from './carried-by-span';

export class FunctionCopies {
  /** Copies by text (with column and the file's union types: `keyOf`), for a function the change did not place. */
  private byKey = new Map<string, FunctionSyntax>();
  private taken = new Set<string>();
  /** The copies handed out this round (two identical definitions, e.g. in `#if` branches, must not share one). */
  private handedOut = new Set<FunctionSyntax>();
  /** What was found in each function's text, carried by where the function lies: function selection's tests, and
   *  the copy itself. */
  private readonly found = new CarriedBySpan();
  /** Memo keys by text, the first string object of each (this round's, and the last round's). */
  private keys = new Map<string, string>();
  private keysUsed = new Map<string, string>();
  private unionKey = '';

  /** A new version of the document's parsed text, `change` from `from` (the round's before, if it is that), with
   *  the file's union types (they shape a function's locals: part of what a copy is kept for). */
  beginRound(source: string, from: string | undefined, change: TextChange | undefined, unionTypes: ReadonlySet<string>): void {
    this.found.begin(source, from, change);
    this.unionKey = [...unionTypes].join(',');
  }

  /** Gives each candidate of this round the memo carried with its text (`FunctionCandidate.memo`). */
  carryMemos(candidates: ReadonlyArray<FunctionSpan & { memo?: Map<unknown, unknown> }>): void {
    for (const c of candidates) c.memo = this.found.at(c.start, c.end);
  }

  /**
   * The memo of what lies outside the file's functions: kept from the last round when this round's change lies
   * inside one function that `standsAlone` (not inside an ERROR region, whose text is read as a declaration too)
   * and every function lies where the change put it (the text outside them is the same), else new.
   */
  outsideFunctions(candidates: readonly FunctionSpan[], standsAlone: (i: number) => boolean): Map<unknown, unknown> {
    const change = this.found.carriedChange;
    const last = this.lastSpans;
    let same = change !== undefined && last !== undefined && last.length === candidates.length * 2;
    if (same) {
      const delta = change!.newEnd - change!.oldEnd;
      let inside = false;
      for (let i = 0; i < candidates.length && same; i++) {
        const { start, end } = candidates[i];
        const within = start <= change!.start && change!.newEnd <= end;
        inside ||= within;
        const oldStart = start >= change!.newEnd ? start - delta : start;
        const oldEnd = end >= change!.newEnd ? end - delta : end;
        same = (end <= change!.start || start >= change!.newEnd || (within && standsAlone(i))) && last![2 * i] === oldStart && last![2 * i + 1] === oldEnd;
      }
      same &&= inside;
    }
    if (!same) this.outside = new Map();
    this.lastSpans = candidates.flatMap((c) => [c.start, c.end]);
    return this.outside;
  }
  private outside = new Map<unknown, unknown>();
  /** The spans of the last round's functions, start and end in turn. */
  private lastSpans: number[] | undefined;

  /** Function selection's memory of the candidates' texts, for this round. */
  selectionMemo(candidates: readonly FunctionSpan[]): SelectionMemo {
    return {
      of: (i) => this.found.at(candidates[i].start, candidates[i].end),
      key: (text) => {
        const k = this.keysUsed.get(text) ?? this.keys.get(text) ?? text;
        this.keysUsed.set(k, k);
        return k;
      },
    };
  }

  /**
   * The copy of the function at `start`..`end` (`col`, `line`: where it starts), kept from an earlier round when its
   * text is the same and moved to its new place, else made by `make`.
   */
  copy(start: number, end: number, col: number, line: number, text: () => string, make: () => FunctionSyntax): FunctionSyntax {
    const memo = this.found.at(start, end);
    const known = memo.get(COPY) as KnownCopy | undefined;
    if (known && known.col === col && known.union === this.unionKey && !this.handedOut.has(known.fs)) {
      this.taken.add(known.key);
      this.handedOut.add(known.fs);
      return moveTo(known.fs, start, line);
    }
    const key = `${col}|${this.unionKey}|${text()}`;
    let fs = this.byKey.get(key);
    if (fs && !this.handedOut.has(fs)) moveTo(fs, start, line);
    else {
      fs = make();
      if (!this.taken.has(key)) this.byKey.set(key, fs); // a duplicate definition: the first is kept by text
    }
    this.taken.add(key);
    this.handedOut.add(fs);
    memo.set(COPY, { fs, col, union: this.unionKey, key } satisfies KnownCopy);
    return fs;
  }

  /** After a prepare: forget the functions it no longer has. */
  endRound(): void {
    for (const k of this.byKey.keys()) if (!this.taken.has(k)) this.byKey.delete(k);
    this.taken.clear();
    this.handedOut.clear();
    if (this.keysUsed.size) {
      this.keys = this.keysUsed;
      this.keysUsed = new Map();
    }
  }
}

const COPY = Symbol('copy');
interface KnownCopy {
  fs: FunctionSyntax;
  col: number;
  union: string;
  key: string;
}

/** Moves a kept copy to where its function now starts. */
function moveTo(fs: FunctionSyntax, start: number, line: number): FunctionSyntax {
  const dOffset = start - fs.start;
  const dLine = line - fs.line;
  if (dOffset !== 0 || dLine !== 0) fs.moveBy(dOffset, dLine);
  return fs;
}
