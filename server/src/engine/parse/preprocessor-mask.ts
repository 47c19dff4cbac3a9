// tree-sitter parses C without a preprocessor. Conditional branches that each open a brace
// (`#ifdef X\n if (a) {\n#else\n if (b) {\n#endif`) break the brace structure of the whole function.
// Masking keeps one configuration: the first live branch of every conditional, with the directives and the
// other branches blanked to spaces, so offsets, lines and columns stay those of the original text.

import { lineStartOf } from '../text-position';

const DIRECTIVE = /^[ \t]*#[ \t]*(if|ifdef|ifndef|elif|elifdef|elifndef|else|endif)\b(.*)$/;

interface Group {
  /** Whether the enclosing text is kept. */
  outerLive: boolean;
  /** Whether some branch of this group has been kept already. */
  taken: boolean;
  /** Whether the current branch is kept. */
  live: boolean;
}

export function hasConditionalDirectives(text: string): boolean {
  return /^[ \t]*#[ \t]*(?:if|ifdef|ifndef)\b/m.test(text);
}

/** Returns `text` with one configuration of every `#if` kept (`#if 0` branches are dropped). */
export function maskConditionals(text: string): string {
  const out = text.split('');
  const stack: Group[] = [];
  let live = true;
  let pos = 0;
  const blank = (from: number, to: number) => {
    for (let i = from; i < to; i++) if (out[i] !== '\n' && out[i] !== '\r') out[i] = ' ';
  };
  while (pos <= text.length) {
    let lineEnd = text.indexOf('\n', pos);
    if (lineEnd < 0) lineEnd = text.length;
    const m = DIRECTIVE.exec(text.slice(pos, lineEnd).replace(/\r$/, ''));
    if (m) {
      // A directive continues over backslash-newlines.
      while (lineEnd < text.length && /\\\r?$/.test(text.slice(pos, lineEnd))) {
        const next = text.indexOf('\n', lineEnd + 1);
        lineEnd = next < 0 ? text.length : next;
      }
      const kind = m[1];
      const arg = m[2].trim();
      if (kind === 'if' || kind === 'ifdef' || kind === 'ifndef') {
        const falseConstant = kind === 'if' && /^0\b/.test(arg);
        const g: Group = { outerLive: live, taken: !falseConstant, live: live && !falseConstant };
        stack.push(g);
        live = g.live;
      } else if (kind === 'endif') {
        const g = stack.pop();
        live = g ? g.outerLive : true;
      } else {
        const g = stack[stack.length - 1];
        if (g) {
          const falseConstant = kind === 'elif' && /^0\b/.test(arg);
          g.live = g.outerLive && !g.taken && !falseConstant;
          if (g.live) g.taken = true;
          live = g.live;
        }
      }
      blank(pos, lineEnd);
    } else if (!live) {
      blank(pos, lineEnd);
    }
    pos = lineEnd + 1;
  }
  return out.join('');
}

const ATTRIBUTE = /__attribute__\s*\(\((?:[^()]|\((?:[^()]|\([^()]*\))*\))*\)\)/g;

/** Attributes the analysis reads: scope release, and what annotations.ts and file-knowledge.ts read. */
const MEANINGFUL = /\bcleanup\s*\(|\b(?:__)?(?:malloc|returns_nonnull|noreturn|ownership_(?:returns|takes|holds))(?:__)?\b/;

/** tree-sitter-c does not accept attributes after a declarator (`char *p __attribute__((unused)) = …`).
 *  Blanking attributes that carry no meaning for the analysis lets such code parse. */
export function maskAttributes(text: string): string {
  if (!text.includes('__attribute__')) return text;
  return text.replace(ATTRIBUTE, (m) => (MEANINGFUL.test(m) ? m : m.replace(/[^\n\r]/g, ' ')));
}

/** A macro that stands for an attribute, with numbers for arguments (`LIBXML_ATTR_FORMAT(3,0)`,
 *  `G_GNUC_PRINTF (2, 3)`): in a definition's header, on an unindented line after its type… */
const ATTRIBUTE_MACRO_IN_HEADER = /^([A-Za-z_][\w \t*]{0,120}[\w*][ \t]+)([A-Z][A-Z0-9_]*[ \t]*\([ \t]*\d+(?:[ \t]*,[ \t]*\d+)*[ \t]*\))(?=[ \t]*(?:[A-Za-z_*]|\r?$))/gm;
/** …or after a declaration's parameters, then named as one. */
const ATTRIBUTE_MACRO_AFTER_PARAMETERS = /(\)[ \t]*)([A-Z][A-Z0-9_]*(?:ATTR|FORMAT|PRINTF|GNUC)[A-Z0-9_]*[ \t]*\([ \t]*\d+(?:[ \t]*,[ \t]*\d+)*[ \t]*\))(?=[ \t]*(?:[;{]|\r?$))/gm;

/**
 * `static void LIBXML_ATTR_FORMAT(5,0)\nxmlSchemaPErr2(…)` reads, without a preprocessor, as a function named by the
 * macro with numbers for parameters: the header of every such definition is an error (libxml2 has hundreds), and
 * tree-sitter re-parses every error again on each edit. The macro is blanked; an attribute changes nothing the
 * analysis reads.
 */
export function maskAttributeMacros(text: string): string {
  const blank = (_m: string, before: string, macro: string) => before + ' '.repeat(macro.length);
  if (/[A-Z]\w*[ \t]*\([ \t]*\d/.test(text)) text = text.replace(ATTRIBUTE_MACRO_IN_HEADER, blank).replace(ATTRIBUTE_MACRO_AFTER_PARAMETERS, blank);
  return /unused|_U_/i.test(text) ? text.replace(UNUSED_MACRO_AFTER_DECLARATOR, blank) : text;
}

/** `xmlSchemaTypePtr type ATTRIBUTE_UNUSED,`, `int fd G_GNUC_UNUSED)`, `u_int len _U_)`: an unused-parameter
 *  attribute macro after a parameter's name (before `,` or `)`), which reads as a second declarator. */
const UNUSED_MACRO_AFTER_DECLARATOR = /((?:\b(?!(?:return|sizeof|case|goto|else|do|struct|union|enum)\b)[A-Za-z_]\w*|\])[ \t]+)((?:[A-Z][A-Z0-9_]*)?UNUSED[A-Z0-9_]*|_U_|__maybe_unused|__unused)(?=[ \t]*[,)])/g;

/** `#define ACTXT_CAST (xmlSchemaAbstractCtxtPtr)`: a macro that is a cast (libxml2, many C code bases). */
const CAST_MACRO = /^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)[ \t]+\([ \t]*(?:(?:const|volatile|struct|union|enum|unsigned|signed)[ \t]+)*[A-Za-z_]\w*[ \t]*(?:\*[ \t]*)*\)[ \t]*$/gm;

/** The cast macros a file defines. */
export function castMacros(text: string): string[] {
  if (!text.includes('define')) return [];
  return [...text.matchAll(CAST_MACRO)].map((m) => m[1]);
}

/**
 * `f(ACTXT_CAST pctxt, …)` reads as two identifiers in a row to a parser without a preprocessor, and its error
 * recovery can swallow the rest of the file into the function. The uses of a cast macro the file defines (or a
 * header's, by its name), where an operand follows (an identifier, a string, `&`, `*`, `(`), are blanked: dropping a
 * cast changes nothing the analysis reads.
 * A value macro of the same shape (`#define LIMIT (INT_MAX)`) is never followed by an operand, so it stays.
 */
export function maskCastMacros(text: string, names = castMacros(text)): string {
  const patterns = names.length ? [`\\b(?:${names.join('|')})\\b(?=[ \\t]*[A-Za-z_&*("])`] : [];
  if (text.includes('_CAST')) patterns.push(HEADER_CAST_MACRO);
  if (patterns.length === 0) return text;
  return text.replace(new RegExp(patterns.join('|'), 'g'), (m, offset: number) => {
    // Not the definition itself.
    const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
    return /^[ \t]*#/.test(text.slice(lineStart, offset)) ? m : ' '.repeat(m.length);
  });
}

/** A header's cast macro is known by its name alone, one that ends in `_CAST` (libxml2's `BAD_CAST p`, `BAD_CAST
 *  "text"`); not before `(`, where it may be a function-like macro (GLib's `G_TYPE_CHECK_INSTANCE_CAST (obj, …)`). */
const HEADER_CAST_MACRO = '\\b[A-Z][A-Z0-9_]*_CAST\\b(?=[ \\t]*[A-Za-z_&*"])';

/** `#define FREE_AND_NULL(p) if ((p) != NULL) { free(p); p = NULL; }`: a function-like macro whose body is a
 *  statement (libxml2's own, used without a semicolon). */
const STATEMENT_MACRO = /^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)\([^()]*\)[ \t]*(?:\\\r?\n[ \t]*)?(?:if|do|while|for|switch)?[ \t]*[({]/gm;

/** The statement macros a file defines. */
export function statementMacros(text: string): string[] {
  if (!text.includes('define')) return [];
  return [...text.matchAll(STATEMENT_MACRO)].filter((m) => /(?:^|[ \t\\])(?:if|do|while|for|switch)[ \t]*\(|\{/.test(m[0].slice(m[0].indexOf(')') + 1))).map((m) => m[1]);
}

/** A line that uses one of `names` as a statement without a semicolon, up to the next line's indentation (each line
 *  on its own: two such lines in a row both get one). */
function statementMacroUse(names: readonly string[]): RegExp {
  return new RegExp(`^[ \\t]*(?:${names.join('|')})[ \\t]*\\(.*\\)[ \\t]*\\r?\\n(?=[ \\t])`, 'gm');
}

/**
 * A statement macro used as a statement without a semicolon (`FREE_AND_NULL(str)` on a line of its own, then
 * `return (err);`) runs into the next statement for a parser without a preprocessor, whose error recovery can then
 * swallow the rest of the file. The missing `;` is put in the first blank of the next line's indentation, so no
 * offset, line or column moves.
 */
export function maskStatementMacros(text: string, names = statementMacros(text)): string {
  if (names.length === 0) return text;
  const use = statementMacroUse(names);
  let out = '';
  let done = 0;
  for (const m of text.matchAll(use)) {
    const at = m.index + m[0].length;
    out += text.slice(done, at) + ';';
    done = at + 1;
  }
  // The text itself when nothing is masked (the prepared file keeps both: one copy then).
  return done === 0 ? text : out + text.slice(done);
}

const LONE_MACRO_LINE = /^[ \t]+[A-Z][A-Z0-9_]{3,}[ \t]*\r?$/;
const LONE_MACRO_LINES = new RegExp(LONE_MACRO_LINE.source, 'm');
const LONE_MACRO_LINES_ALL = new RegExp(`(?<=^|\\n)${LONE_MACRO_LINE.source.slice(1, -1)}(?=\\n|$)`, 'g');

/** Whether the file has a line holding nothing but an upper-case name (which `maskLoneMacroLines` may blank). */
export function hasLoneMacroLines(text: string): boolean {
  return LONE_MACRO_LINES.test(text);
}

/**
 * A macro used as a statement on a line of its own (`WINPR_PRAGMA_DIAG_PUSH`, `WINPR_FALLTHROUGH`: pragmas and
 * attributes behind a name) reads, without a preprocessor, as the type of the declaration that follows:
 * `WINPR_PRAGMA_DIAG_PUSH free(p);` declares a function `free`. Such a line is blanked where a statement may start
 * (after `;`, `{`, `}` or another such line), not inside an argument or initializer list (`NULL` on a line of its own).
 */
export function maskLoneMacroLines(text: string): string {
  if (!hasLoneMacroLines(text)) return text;
  // Only the candidate lines and the code lines just before them are looked at (the file can be large, and this
  // runs on every edit in the editor).
  const masked = new Set<number>();
  let out = '';
  let done = 0;
  for (const m of text.matchAll(LONE_MACRO_LINES_ALL)) {
    if (!statementMayStartAbove(text, m.index, masked)) continue;
    masked.add(m.index);
    out += text.slice(done, m.index) + m[0].replace(/[^\r]/g, ' ');
    done = m.index + m[0].length;
  }
  return done === 0 ? text : out + text.slice(done);
}

/** Whether a statement may start after the lines above the one starting at `lineStart`: the last of them with code
 *  (lines in `skipped` left out) ends a statement or opens or closes a block. */
export function statementMayStartAbove(text: string, lineStart: number, skipped?: ReadonlySet<number>): boolean {
  for (let end = lineStart - 1; end >= 0;) {
    const start = lineStartOf(text, end);
    if (!skipped?.has(start)) {
      const code = codeOf(text.slice(start, end));
      if (code) return /[;{}]$/.test(code);
    }
    end = start - 1;
  }
  return false;
}

/** A line without its comments (those that end on it) and surrounding blanks. */
export function codeOf(line: string): string {
  return line.replace(/\/\/.*$/, '').replace(/\/\*.*?\*\//g, '').trim();
}
