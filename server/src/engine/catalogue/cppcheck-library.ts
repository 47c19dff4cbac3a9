// cppcheck library files (`.cfg`, listed in `.failpath.json` "cppcheckLibraries"): the allocation part of cppcheck's
// XML library format. `<memory>` and `<resource>` groups of `<alloc>` (`arg="N"`: the result goes to argument N;
// `no-fail="true"`: it never fails), `<realloc>` (`realloc-arg`), `<dealloc>` (`arg`) and `<use>`; and
// `<function name="a,b"><noreturn>true</noreturn></function>`. Everything else in the file is read (it must be
// well-formed XML) and ignored. Configuration is data: no entity but the five predefined ones, no DTD.
import { LineIndex } from '../parse/line-index';
import type { AllocatorSpec, DerefArgsSpec, ReleaserSpec } from './types';

/** What the library files of one configuration add to its catalogue. */
export interface LibraryData {
  allocators: AllocatorSpec[];
  releasers: ReleaserSpec[];
  /** `<use>`: functions that take the block over (it does not leak there). */
  keeps: DerefArgsSpec[];
  noreturn: string[];
}

export interface LibraryProblem {
  line: number; // 0-based
  column: number;
  message: string;
}

export const EMPTY_LIBRARY: LibraryData = Object.freeze({ allocators: [], releasers: [], keeps: [], noreturn: [] }) as unknown as LibraryData;

/** cppcheck does not say which argument `<use>` takes: any of the first few. */
const USE_ARGS = [0, 1, 2, 3, 4, 5, 6, 7];

/** Reads one library file. A file that is not well-formed XML, or whose root is not `<def>`, adds nothing. */
export function parseCppcheckLibrary(text: string): { library: LibraryData; problems: LibraryProblem[] } {
  const problems: LibraryProblem[] = [];
  let root: XmlElement;
  try {
    root = parseXml(text);
  } catch (e) {
    if (!(e instanceof XmlError)) throw e;
    return { library: EMPTY_LIBRARY, problems: [{ line: e.line, column: e.column, message: `not a cppcheck library: ${e.message}` }] };
  }
  if (root.name !== 'def') return { library: EMPTY_LIBRARY, problems: [{ line: root.line, column: root.column, message: `not a cppcheck library: the root element is <${root.name}>, not <def>` }] };
  const library: LibraryData = { allocators: [], releasers: [], keeps: [], noreturn: [] };
  const report = (at: XmlElement, message: string) => problems.push({ line: at.line, column: at.column, message });
  /** A function name, or undefined (reported) when it is none; C++ names (`std::fopen`) are skipped quietly. */
  const functionName = (e: XmlElement, raw: string): string | undefined => {
    const name = raw.trim();
    if (/^[A-Za-z_]\w*$/.test(name)) return name;
    if (!name.includes('::')) report(e, `<${e.name}>: "${name}" is not a C function name`);
    return undefined;
  };
  /** A 1-based argument attribute as a 0-based index (`fallback` when absent). */
  const argument = (e: XmlElement, attribute: string, fallback: number | undefined): number | undefined | null => {
    const v = e.attributes.get(attribute);
    if (v === undefined) return fallback;
    if (/^[1-9]\d{0,2}$/.test(v)) return Number(v) - 1;
    report(e, `<${e.name} ${attribute}="${v}">: ${attribute} must be an argument number (1, 2, …)`);
    return null;
  };
  for (const group of root.children) {
    if (group.name === 'memory' || group.name === 'resource') {
      const release: string[] = [];
      const allocators: AllocatorSpec[] = [];
      for (const e of group.children) {
        const name = functionName(e, e.text);
        if (!name) continue;
        if (e.name === 'alloc' || e.name === 'realloc') {
          const spec: AllocatorSpec = { name, failure: e.attributes.get('no-fail') === 'true' ? 'aborts' : 'null' };
          const out = argument(e, 'arg', undefined);
          if (out === null) continue;
          if (out !== undefined) {
            // The pointer goes to an out argument; cppcheck does not say how failure is reported: a status.
            spec.result = `arg${out}`;
            if (spec.failure !== 'aborts') spec.failure = 'negative-return';
          }
          if (e.name === 'realloc') {
            const old = argument(e, 'realloc-arg', 0);
            if (old === null) continue;
            spec.reallocArg = old;
          }
          if (group.name === 'resource') spec.resource = 'resource';
          allocators.push(spec);
        } else if (e.name === 'dealloc') {
          const arg = argument(e, 'arg', 0);
          if (arg === null) continue;
          release.push(name);
          library.releasers.push(arg === 0 ? { name } : { name, arg });
        } else if (e.name === 'use') library.keeps.push({ name, args: USE_ARGS });
      }
      for (const a of allocators) library.allocators.push(release.length ? { ...a, release } : a);
    } else if (group.name === 'function') {
      const noreturn = group.children.find((c) => c.name === 'noreturn');
      if (noreturn?.text.trim() !== 'true') continue;
      for (const raw of (group.attributes.get('name') ?? '').split(',')) {
        const name = functionName(group, raw);
        if (name) library.noreturn.push(name);
      }
    }
  }
  return { library, problems };
}

interface XmlElement {
  name: string;
  attributes: Map<string, string>;
  children: XmlElement[];
  /** The element's own character data (its children's not included). */
  text: string;
  line: number;
  column: number;
}

class XmlError extends Error {
  constructor(message: string, readonly line: number, readonly column: number) {
    super(message);
  }
}

const NAME = /[A-Za-z_:][\w.:-]*/y;
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** A strict reader of the XML subset library files use: elements, attributes, character data, comments, CDATA and
 *  the XML declaration. Throws an `XmlError` at the first thing that is not well-formed. */
function parseXml(text: string): XmlElement {
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const lines = new LineIndex(text);
  const where = (offset: number) => {
    const line = lines.line(offset);
    return { line, column: lines.column(offset, line) };
  };
  const fail = (message: string, at = pos): never => {
    const { line, column } = where(at);
    throw new XmlError(message, line, column);
  };
  const decode = (raw: string, at: number) => raw.replace(/&([^;&\s]*);?/g, (m, ref: string, offset: number) => {
    if (!m.endsWith(';')) fail('"&" must start an entity such as &amp;', at + offset);
    if (Object.hasOwn(ENTITIES, ref)) return ENTITIES[ref];
    const n = /^#x([0-9a-fA-F]{1,6})$/.exec(ref) ? parseInt(ref.slice(2), 16) : /^#(\d{1,7})$/.test(ref) ? parseInt(ref.slice(1), 10) : NaN;
    if (Number.isNaN(n) || n > 0x10ffff) fail(`unknown entity &${ref};`, at + offset);
    return String.fromCodePoint(n);
  });
  const skipPast = (end: string, what: string) => {
    const i = text.indexOf(end, pos);
    if (i < 0) fail(`unterminated ${what}`);
    const body = text.slice(pos, i);
    pos = i + end.length;
    return body;
  };
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (pos < text.length) {
    const lt = text.indexOf('<', pos);
    const chars = text.slice(pos, lt < 0 ? text.length : lt);
    if (stack.length) stack[stack.length - 1].text += decode(chars, pos);
    else if (chars.trim()) fail('text outside the root element', pos + chars.search(/\S/));
    if (lt < 0) break;
    pos = lt;
    if (text.startsWith('<?', pos)) {
      pos += 2;
      skipPast('?>', 'processing instruction');
    } else if (text.startsWith('<!--', pos)) {
      pos += 4;
      skipPast('-->', 'comment');
    } else if (text.startsWith('<![CDATA[', pos)) {
      if (!stack.length) fail('CDATA outside the root element');
      pos += 9;
      stack[stack.length - 1].text += skipPast(']]>', 'CDATA section');
    } else if (text.startsWith('<!', pos)) {
      fail('document type declarations are not accepted');
    } else if (text.startsWith('</', pos)) {
      const start = pos;
      pos += 2;
      NAME.lastIndex = pos;
      const m = NAME.exec(text);
      const open = stack.pop();
      if (!m || !open) fail(open ? 'expected an element name' : 'end tag without a start tag', start);
      if (m![0] !== open!.name) fail(`</${m![0]}> does not close <${open!.name}>`, start);
      pos += m![0].length;
      while (/\s/.test(text[pos] ?? '')) pos++;
      if (text[pos] !== '>') fail('expected ">"');
      pos++;
    } else {
      const start = pos;
      pos++;
      NAME.lastIndex = pos;
      const m = NAME.exec(text);
      if (!m) fail('expected an element name after "<"');
      if (!stack.length && root) fail('a second root element', start);
      pos += m![0].length;
      const element: XmlElement = { name: m![0], attributes: new Map(), children: [], text: '', ...where(start) };
      for (;;) {
        const before = pos;
        while (/\s/.test(text[pos] ?? '')) pos++;
        if (text.startsWith('/>', pos) || text[pos] === '>') break;
        if (pos === before) fail('expected whitespace, ">" or "/>"');
        NAME.lastIndex = pos;
        const a = NAME.exec(text);
        if (!a) fail(pos >= text.length ? 'unterminated start tag' : `unexpected "${text[pos]}" in a start tag`);
        const attrAt = pos;
        pos += a![0].length;
        while (/\s/.test(text[pos] ?? '')) pos++;
        if (text[pos] !== '=') fail(`attribute ${a![0]} needs a value`);
        pos++;
        while (/\s/.test(text[pos] ?? '')) pos++;
        const quote = text[pos];
        if (quote !== '"' && quote !== "'") fail('attribute values must be quoted');
        const end = text.indexOf(quote, pos + 1);
        if (end < 0) fail('unterminated attribute value');
        const raw = text.slice(pos + 1, end);
        if (raw.includes('<')) fail('"<" in an attribute value', pos + 1 + raw.indexOf('<'));
        if (element.attributes.has(a![0])) fail(`attribute ${a![0]} given twice`, attrAt);
        element.attributes.set(a![0], decode(raw, pos + 1));
        pos = end + 1;
      }
      const selfClosing = text.startsWith('/>', pos);
      pos += selfClosing ? 2 : 1;
      if (stack.length) stack[stack.length - 1].children.push(element);
      else root = element;
      if (!selfClosing) stack.push(element);
    }
  }
  if (stack.length) {
    const open = stack[stack.length - 1];
    throw new XmlError(`<${open.name}> is never closed`, open.line, open.column);
  }
  if (!root) fail('no root element', 0);
  return root!;
}
