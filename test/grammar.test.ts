// The injection grammar that highlights failpath directives in C comments: its patterns match what
// suppressions.ts accepts, and nothing else.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const grammar = JSON.parse(fs.readFileSync(path.join(root, 'syntaxes', 'failpath-comments.tmLanguage.json'), 'utf8'));
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
// TextMate regexes are Oniguruma; these patterns use only syntax JavaScript shares.
const [directive, annotation] = grammar.patterns.map((p: { match: string }) => new RegExp(p.match));

test('the grammar is contributed and injected into C and C++', () => {
  const g = pkg.contributes.grammars.find((x: { scopeName: string }) => x.scopeName === grammar.scopeName);
  assert.ok(g && fs.existsSync(path.join(root, g.path)));
  assert.deepEqual(g.injectTo.sort(), ['source.c', 'source.cpp']);
});

test('directives, rule ids and reasons are captured', () => {
  const m = directive.exec(' failpath-ignore-next-line leak, leak-on-error-path -- freed by the pool */')!;
  assert.equal(m[1], 'failpath-ignore-next-line');
  assert.equal(m[2].trim(), 'leak, leak-on-error-path');
  assert.equal(m[4], 'freed by the pool');
  assert.equal(directive.exec('failpath-ignore-file realloc-leak */')![1], 'failpath-ignore-file');
  assert.equal(annotation.exec('/* failpath: no-alloc */')![2], 'no-alloc');
  assert.equal(directive.exec('not-failpath-ignored'), null);
});
