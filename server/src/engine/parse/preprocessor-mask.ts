// tree-sitter parses C without a preprocessor. Conditional branches that each open a brace
// (`#ifdef X\n if (a) {\n#else\n if (b) {\n#endif`) break the brace structure of the whole function.
// Masking keeps one configuration: the first live branch of every conditional, with the directives and the
// other branches blanked to spaces, so offsets, lines and columns stay those of the original text.

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
