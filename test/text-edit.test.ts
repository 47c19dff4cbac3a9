// Where two versions of a text differ (parse/text-edit.ts): found by comparing slices, and near the place the
// language server already knows the texts are the same up to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commonPrefix, commonSuffix, editBetween } from '../server/src/engine/parse/text-edit';

/** The common prefix and suffix one character at a time. */
function slowly(a: string, b: string): [number, number] {
  let p = 0;
  while (p < a.length && p < b.length && a[p] === b[p]) p++;
  let s = 0;
  while (s < a.length - p && s < b.length - p && a[a.length - 1 - s] === b[b.length - 1 - s]) s++;
  return [p, s];
}

test('the common prefix and suffix are exact for changes anywhere, with or without what is known of them', () => {
  const base = Array.from({ length: 3000 }, (_, i) => `line ${i % 97} of the text;\n`).join('');
  let random = 7;
  const next = () => (random = (Math.imul(random, 1103515245) + 12345) >>> 0) / 2 ** 32;
  for (let i = 0; i < 300; i++) {
    const at = Math.floor(next() * base.length);
    const removed = Math.floor(next() * 40);
    const inserted = ['', 'x', 'line 3 of', '\n'][i % 4];
    const after = base.slice(0, at) + inserted + base.slice(at + removed);
    const [prefix, suffix] = slowly(base, after);
    assert.equal(commonPrefix(base, after), prefix);
    assert.equal(commonSuffix(base, after, prefix), suffix);
    // What the editor knows: the text is the same before the change and after what it replaced.
    const known = { prefix: Math.min(at, prefix), suffix: Math.min(base.length - at - removed, suffix) };
    assert.equal(commonPrefix(base, after, known.prefix), prefix);
    assert.equal(commonSuffix(base, after, prefix, known.suffix), suffix);
    const edit = editBetween(base, after, known);
    assert.deepEqual([edit.startIndex, edit.oldEndIndex, edit.newEndIndex], [prefix, base.length - suffix, after.length - suffix]);
  }
  assert.equal(commonPrefix(base, base, base.length), base.length, 'the same text');
  assert.equal(commonSuffix(base, base + 'x', 0, 0), 0);
});
