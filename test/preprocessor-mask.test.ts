// The masks that stand in for a preprocessor (server/src/engine/parse/preprocessor-mask.ts): what they blank or
// add, that no offset moves, and that the parse of code written with a file's own cast and statement macros is
// clean once they are applied.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../server/src/engine/analyze';
import { maskAttributeMacros, maskCastMacros, maskLoneMacroLines, maskStatementMacros } from '../server/src/engine/parse/preprocessor-mask';

const root = path.resolve(__dirname, '..', '..');
const fixture = fs.readFileSync(path.join(root, 'test', 'fixtures', 'macros', 'cast_and_statement_macros.c'), 'utf8');

test('cast macros: their uses before an operand are blanked; definitions and value macros stay', () => {
  const text = '#define CTXT_CAST (struct ctxt *)\n#define LIMIT (4096)\nint f(void *p, int n) { if (n > LIMIT) return g(CTXT_CAST p, CTXT_CAST &n); return LIMIT; }\n';
  const masked = maskCastMacros(text);
  assert.equal(masked.length, text.length);
  assert.equal(masked.split('\n').length, text.split('\n').length);
  assert.match(masked, /^#define CTXT_CAST \(struct ctxt \*\)$/m);
  assert.match(masked, /return g\( {10}p, {11}&n\);/);
  assert.equal((masked.match(/LIMIT/g) ?? []).length, 3);
});

test('statement macros used without a semicolon get one in the next line\'s indentation', () => {
  const text = '#define FREE_AND_NULL(p) if ((p) != NULL) { free(p); p = NULL; }\nvoid f(char *s)\n{\n    FREE_AND_NULL(s)\n    FREE_AND_NULL(s);\n    return;\n}\n';
  const masked = maskStatementMacros(text);
  assert.equal(masked.length, text.length);
  assert.equal(masked, text.replace('FREE_AND_NULL(s)\n    FREE', 'FREE_AND_NULL(s)\n;   FREE'));
});

test('a macro on a line of its own where a statement may start is blanked; NULL in an argument list is not', () => {
  const text = 'void f(char *p)\n{\n\tPRAGMA_PUSH\n\tPRAGMA_IGNORE_DEALLOC\n\tfree(p);\n\tPRAGMA_POP\n\tg(p,\n\t  NULL\n\t);\n}\n';
  const masked = maskLoneMacroLines(text);
  assert.equal(masked.length, text.length);
  assert.equal(masked, text.replace('\tPRAGMA_PUSH', ' '.repeat(12)).replace('\tPRAGMA_IGNORE_DEALLOC', ' '.repeat(22)).replace('\tPRAGMA_POP', ' '.repeat(11)));
  assert.match(masked, /\n\t  NULL\n/);
});

test('with the masks, code written with the file\'s own cast and statement macros parses without errors', async () => {
  const engine = await Engine.create();
  const unmasked = engine.parse(fixture)!;
  assert.ok(unmasked.rootNode.hasError, 'the fixture is broken code to a parser without a preprocessor');
  unmasked.delete();
  const parsed = engine.parseSource(fixture)!;
  assert.deepEqual([parsed.lineMasks.cast.length > 0, parsed.lineMasks.statement.length > 0, parsed.masks.length], [true, true, 0]);
  assert.ok(!parsed.tree.rootNode.hasError);
  parsed.tree.delete();
});

test('attribute macros in a definition\'s header and after a declaration\'s parameters are blanked; calls are not', async () => {
  const text = [
    'static void LIBXML_ATTR_FORMAT(5,0)',
    'report(void *ctxt, int a, int b, int c, const char *msg, ...)',
    '{',
    '    if (ctxt) SET_STATE(1, 2);',
    '    FORMAT_ARGS(3, 4);',
    '}',
    'static void warn(const char *msg, ...) LIBXML_ATTR_FORMAT(1,2);',
    'void G_GNUC_PRINTF (2, 3) logf(int level, const char *fmt, ...);',
    'static int MAX2(int a, int b)',
    '{',
    '    return a > b ? a : b;',
    '}',
    '',
  ].join('\n');
  const masked = maskAttributeMacros(text);
  assert.equal(masked.length, text.length);
  assert.equal(masked, text.replace('LIBXML_ATTR_FORMAT(5,0)', ' '.repeat(23)).replace('LIBXML_ATTR_FORMAT(1,2)', ' '.repeat(23)).replace('G_GNUC_PRINTF (2, 3)', ' '.repeat(20)));
  const engine = await Engine.create();
  const parsed = engine.parseSource(text)!;
  assert.ok(!parsed.tree.rootNode.hasError, 'parses without errors once masked');
  parsed.tree.delete();
});

test('a header\'s cast macro (`BAD_CAST p`) and unused-parameter macros after a parameter are blanked by their names', async () => {
  const text = [
    'static void',
    'report(void *ctxt ATTRIBUTE_UNUSED, const char *msg, int fd G_GNUC_UNUSED,',
    '       unsigned len _U_)',
    '{',
    '    emit(ctxt, BAD_CAST msg, BAD_CAST "text", XML_CAST_FPTR(cb));',
    '    GObject *o = G_TYPE_CHECK_INSTANCE_CAST (ctxt, 0, GObject);',
    '    int UNUSED_COUNT = len;',
    '    return sizeof UNUSED_COUNT + f(len, UNUSED_COUNT);',
    '}',
    '',
  ].join('\n');
  const masked = maskCastMacros(maskAttributeMacros(text), []);
  assert.equal(masked.length, text.length);
  const blank = (s: string, word: string) => s.replace(word, ' '.repeat(word.length));
  assert.equal(masked, ['ATTRIBUTE_UNUSED', 'G_GNUC_UNUSED', '_U_', 'BAD_CAST', 'BAD_CAST'].reduce(blank, text), 'a function-like macro and a variable named so are left alone');
  const engine = await Engine.create();
  const parsed = engine.parseSource(text)!;
  assert.ok(!parsed.tree.rootNode.hasError, 'parses without errors once masked');
  parsed.tree.delete();
});
