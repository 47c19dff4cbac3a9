// The identifiers of a document's text, counted and kept up to date edit by edit (the language server): whether a
// name is mentioned anywhere in the file is asked on every analysis (which of the workspace's wrappers apply), and
// scanning 800 KB of text for it costs more than the edit itself.

const IDENTIFIER = /[A-Za-z_]\w*/g;

export class TextIdentifiers {
  private readonly counts = new Map<string, number>();

  constructor(text: string) {
    this.count(text, 1);
  }

  /** Whether the text mentions `name` (as an identifier). */
  has(name: string): boolean {
    return (this.counts.get(name) ?? 0) > 0;
  }

  /** Called before `text`'s [start, end) is replaced by `inserted`. The words the edit touches are counted again
   *  whole: a character typed at the end of a name makes another name. */
  replace(text: string, start: number, end: number, inserted: string): void {
    let from = start;
    while (from > 0 && isWordCharacter(text.charCodeAt(from - 1))) from--;
    let to = end;
    while (to < text.length && isWordCharacter(text.charCodeAt(to))) to++;
    this.count(text.slice(from, to), -1);
    this.count(text.slice(from, start) + inserted + text.slice(end, to), 1);
  }

  private count(text: string, by: 1 | -1): void {
    for (const [name] of text.matchAll(IDENTIFIER)) {
      const n = (this.counts.get(name) ?? 0) + by;
      if (n > 0) this.counts.set(name, n);
      else this.counts.delete(name);
    }
  }
}

/** `\w`: a letter, a digit or `_`. */
function isWordCharacter(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
