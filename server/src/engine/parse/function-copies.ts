// Copies of functions kept between analyses of one document (the language server): a function whose text did not
// change is not copied out of the tree again — copying crosses into wasm for every node — only moved to where it
// now starts.
import type { FunctionSyntax } from './functions';
import type { Syntax } from './syntax';
import { identifiersIn } from '../function-selection';

export class FunctionCopies {
  private byKey = new Map<string, FunctionSyntax>();
  private taken = new Set<string>();
  /** The identifiers of function texts (the selection follows mentions before anything is copied). */
  private identifierSets = new Map<string, Set<string>>();
  private identifiersUsed = new Map<string, Set<string>>();

  /** The key of a function: its text, the column it starts at, and the file's union types (they shape locals). */
  static key(text: string, col: number, unionTypes: ReadonlySet<string>): string {
    return `${col}|${[...unionTypes].join(',')}|${text}`;
  }

  /** The kept copy, moved to `start` (offset) and `line`; undefined if absent or already taken in this round
   *  (two identical definitions, e.g. in `#if` branches, must not share one copy). */
  take(key: string, start: number, line: number): FunctionSyntax | undefined {
    const fs = this.byKey.get(key);
    if (!fs || this.taken.has(key)) return undefined;
    this.taken.add(key);
    const dOffset = start - fs.start;
    const dLine = line - fs.line;
    if (dOffset !== 0 || dLine !== 0) {
      move(fs.body, dOffset, dLine);
      fs.start += dOffset;
      fs.end += dOffset;
      fs.line += dLine;
      fs.endLine += dLine;
      fs.closeLine += dLine;
      fs.headerLine += dLine;
    }
    return fs;
  }

  put(key: string, fs: FunctionSyntax): void {
    if (this.taken.has(key)) return; // a duplicate definition: keep the first
    this.byKey.set(key, fs);
    this.taken.add(key);
  }

  /** The identifiers of a function's text, as the last rounds found them. */
  identifiers(text: string): Set<string> {
    let ids = this.identifiersUsed.get(text) ?? this.identifierSets.get(text);
    if (!ids) ids = identifiersIn(text);
    this.identifiersUsed.set(text, ids);
    return ids;
  }

  /** After a prepare: forget the functions it no longer has. */
  endRound(): void {
    for (const k of this.byKey.keys()) if (!this.taken.has(k)) this.byKey.delete(k);
    this.taken.clear();
    if (this.identifiersUsed.size) {
      this.identifierSets = this.identifiersUsed;
      this.identifiersUsed = new Map();
    }
  }
}

function move(n: Syntax, dOffset: number, dLine: number): void {
  n.start += dOffset;
  n.end += dOffset;
  n.line += dLine;
  n.endLine += dLine;
  for (const c of n.children) move(c, dOffset, dLine);
}
