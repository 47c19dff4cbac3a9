// Layout and tokens (parse/layout.ts): which edits leave a function's tokens alone, so that the language server may
// move its cached findings instead of analysing it again, and where each token goes.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { LayoutMap, tokenText } from '../server/src/engine/parse/layout';

const fn = 'int f(int n)\n{\n    char *p = malloc(n); // one\n    if (!p)\n        return -1;\n#ifdef X\n    p[0] = 1;\n#endif\n#define FREE(q) \\\n    free(q)\n    return puts("a  b");\n}\n';

test('blanks between tokens are layout: more of them, fewer, line breaks', () => {
  for (const other of [
    fn.replace('    char', '      char'),
    fn.replace('if (!p)\n        return', 'if (!p) return'),
    fn.replace('= malloc', '=\n        malloc'),
    fn.replace('{\n', '{\n\n\n'),
    fn.replace(/ {4}/g, '\t'),
    fn.replace('    free(q)', '      free(q)'), // in a macro's continued line
    fn.replace('#ifdef X', '#ifdef  X'),
  ]) assert.equal(tokenText(other), tokenText(fn), other);
});

test('comments, literals, directives and new separators are tokens', () => {
  for (const other of [
    fn.replace('// one', '// two'),
    fn.replace('// one\n    if (!p)', '// one if (!p)'), // the line break that ends a // comment
    fn.replace('"a  b"', '"a b"'),
    fn.replace('#ifdef X\n    p[0]', '#ifdef X p[0]'), // the line break that ends a directive
    fn.replace('1;\n#endif', '1; #endif'), // the line break before one
    fn.replace('FREE(q)', 'FREE (q)'), // a function-like macro made an object-like one
    fn.replace('\\\n    free', '\\\n\n    free'), // a line break after a continuation ends the directive
    fn.replace('(!p)', '(! p)'),
    fn.replace('char *p', 'char*p'),
  ]) assert.notEqual(tokenText(other), tokenText(fn), other);
});

test('a layout map takes each token to the same token in the other layout', () => {
  const other = fn.replace('    char', '      char').replace('= malloc', '=\n        malloc');
  const map = LayoutMap.between(fn, other)!;
  assert.ok(map, 'same tokens');
  for (const token of ['char', 'malloc', 'return', '"a  b"', '}']) {
    const at = fn.indexOf(token);
    assert.equal(other.slice(map.offset(at)!, map.offset(at + token.length)!), token, token);
  }
  assert.equal(map.offset(fn.indexOf('    char') + 1), undefined, 'inside a run of blanks: no counterpart');
  assert.equal(LayoutMap.between(fn, fn.replace('(!p)', '(p)')), undefined, 'other tokens');
});
