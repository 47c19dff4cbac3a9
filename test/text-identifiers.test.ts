// The identifiers of an open document, kept up to date edit by edit (parse/text-identifiers.ts): after any edits,
// what it says a text mentions is what a scan of the whole text says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextIdentifiers } from '../server/src/engine/parse/text-identifiers';

const scan = (text: string) => new Set(text.match(/[A-Za-z_]\w*/g) ?? []);

test('after random edits, the counted identifiers are those of the whole text', () => {
  let text = 'static int foo_1(char *buf) {\n  if (!buf) return -1;\n  x2 = xmalloc(12);\n  return 0;\n}\n';
  const ids = new TextIdentifiers(text);
  let seed = 11;
  const random = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const pieces = ['a', 'Z', '_', '7', ' ', '\n', '(', 'q9', 'foo', ' bar ', '12x', ''];
  const names = ['foo_1', 'foo', 'buf', 'x2', 'xmalloc', 'a', 'bar', 'q9', 'return', 'Z', '_'];
  for (let i = 0; i < 2000; i++) {
    const start = Math.floor(random() * (text.length + 1));
    const end = Math.min(text.length, start + Math.floor(random() * 4));
    const inserted = pieces[Math.floor(random() * pieces.length)];
    ids.replace(text, start, end, inserted);
    text = text.slice(0, start) + inserted + text.slice(end);
    const expected = scan(text);
    for (const name of [...expected, ...names]) assert.equal(ids.has(name), expected.has(name), `"${name}" after edit ${i}: ${JSON.stringify(text)}`);
  }
});
