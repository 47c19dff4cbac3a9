// The copy of a tree into plain Syntax nodes (parse/syntax.ts) walks the tree with parse/tree-walk.ts, which calls the
// parser's wasm directly. Checked here against web-tree-sitter's public Node API, node by node, on code with errors,
// MISSING tokens and deep nesting; and the direct path must be the one in use (a web-tree-sitter whose module no
// longer has those exports would make every copy several times slower without changing a finding).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node as TsNode } from 'web-tree-sitter';
import { createCParser } from '../server/src/engine/parse/parser';
import { toSyntax, type Syntax } from '../server/src/engine/parse/syntax';
import { walksDirectly } from '../server/src/engine/parse/tree-walk';

const SOURCE = [
  '#include <stdlib.h>',
  'static int flag = 1;',
  'struct item { char *name; struct item *next; };',
  'int make(struct item **out, const char *s) {',
  '  struct item *it = malloc(sizeof(*it)); /* comment */',
  '  if (!it || (flag && s == NULL)) return -1;',
  '  it->name = strdup(s) // missing semicolon',
  '  for (int i = 0; i < 3; i++) { it->next = it; }',
  '  switch (flag) { case 1: *out = it; break; default: free(it); }',
  '  return x ? y : -z;',
  '}',
  'void broken( { int a = ((((1)))); }',
  `int deep(void) { return ${'('.repeat(60)}1${')'.repeat(60)}; }`,
  '',
].join('\n');

const PUNCTUATION = new Set(['(', ')', '[', ']', '{', '}', ',', ';', ':', '"', "'", '?']);

/** What toSyntax should make of `node`, read through the public API (every property a call into the wasm). */
function expected(node: TsNode, field: string | null): object {
  const kids: object[] = [];
  let op: string | undefined;
  node.children.forEach((c, i) => {
    if (!c) return;
    if (c.isNamed && c.type !== 'comment') kids.push(expected(c, node.fieldNameForChild(i)));
    else if (!c.isNamed && op === undefined && !PUNCTUATION.has(c.type)) op = c.type;
  });
  return { type: node.type, field, start: node.startIndex, end: node.endIndex, line: node.startPosition.row, col: node.startPosition.column, op, missing: node.isMissing || undefined, children: kids };
}

function actual(node: Syntax): object {
  return { type: node.type, field: node.field, start: node.start, end: node.end, line: node.line, col: node.col, op: node.op, missing: node.missing, children: node.children.map(actual) };
}

test('the copy of a tree equals what the public node API says of it, node by node', async () => {
  const parser = await createCParser();
  assert.ok(walksDirectly(), 'tree walks call the wasm directly');
  const tree = parser.parse(SOURCE)!;
  try {
    assert.ok(tree.rootNode.hasError, 'the sample has errors to recover from');
    assert.deepEqual(actual(toSyntax(tree.rootNode, SOURCE)), expected(tree.rootNode, null));
    // A subtree, and a walk cut at a depth (the cut node keeps its text and no children).
    const fn = tree.rootNode.namedChildren.find((n) => n?.type === 'function_definition')!;
    assert.deepEqual(actual(toSyntax(fn, SOURCE)), expected(fn, null));
    const cut = toSyntax(tree.rootNode, SOURCE, 3);
    const leaf = cut.children[3].children[1].children[1]; // make's parameter list, three levels down
    assert.equal(leaf.type, 'parameter_list');
    assert.equal(leaf.children.length, 0);
    assert.equal(leaf.text, '(struct item **out, const char *s)');
  } finally {
    tree.delete();
    parser.delete();
  }
});

test('walks interleaved with other parser calls stay correct (each walk writes its cursor again)', async () => {
  const parser = await createCParser();
  const a = parser.parse(SOURCE)!;
  const b = parser.parse('int g(void) { char *p = malloc(4); free(p); return 0; }\n')!;
  try {
    const first = actual(toSyntax(a.rootNode, SOURCE));
    toSyntax(b.rootNode, 'int g(void) { char *p = malloc(4); free(p); return 0; }\n');
    b.rootNode.descendantsOfType('identifier'); // another call through the transfer buffer
    assert.deepEqual(actual(toSyntax(a.rootNode, SOURCE)), first);
  } finally {
    a.delete();
    b.delete();
    parser.delete();
  }
});
