// Whether a document may put a function in a context by itself, told again after each edit from the answer before
// (context/call-graph-facts.ts mayHaveContextsAfterEdit): after any edits, the same as reading the whole text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mayHaveContexts, mayHaveContextsAfterEdit } from '../server/src/engine/context/call-graph-facts';
import { DEFAULT_CONFIG } from '../server/src/engine/config/config';

test('after random edits, the answer from the one before is the answer for the whole text', () => {
  const config = { ...DEFAULT_CONFIG, profiles: ['libc', 'linux-kernel'] };
  let text = 'static int f(struct dev *d)\n{\n\tint x = 0;\n\n\treturn x;\n}\n/* note */\nint g(void) { return 1; }\n';
  let value = mayHaveContexts(text, config);
  let seed = 3;
  const random = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const pieces = ['spin_lock', '(', '\n', '\n\n', ' ', 'signal', 'x', ';', 'failpath: no-alloc', 'request_', 'irq', '_', 'guard', ''];
  let found = 0;
  for (let i = 0; i < 4000; i++) {
    const start = Math.floor(random() * (text.length + 1));
    const end = Math.min(text.length, start + Math.floor(random() * 8));
    const next = text.slice(0, start) + pieces[Math.floor(random() * pieces.length)] + text.slice(end);
    const expected = mayHaveContexts(next, config);
    assert.equal(mayHaveContextsAfterEdit({ text, value }, next, config), expected, `edit ${i}: ${JSON.stringify(next)}`);
    if (expected) found++;
    text = next;
    value = expected;
    // Start again now and then, so that most edits begin from a text without any.
    if (i % 50 === 49) {
      text = text.replace(/spin_lock|signal|failpath|request_|guard/g, 'q');
      value = mayHaveContexts(text, config);
    }
  }
  assert.ok(found > 200 && found < 3800, `the texts had a spelling after ${found} of 4000 edits`);
});

test('a lock\'s name and its parenthesis may have blank lines between them: either can be the edit', () => {
  const config = { ...DEFAULT_CONFIG, profiles: ['libc', 'linux-kernel'] };
  const before = 'void f(void)\n{\n\tspin_lock\n\n\n\t  &l);\n}\n';
  assert.equal(mayHaveContexts(before, config), false);
  const withParen = before.replace('\t  &l', '\t (&l');
  assert.equal(mayHaveContextsAfterEdit({ text: before, value: false }, withParen, config), true);
  const noName = withParen.replace('spin_lock', 'q');
  assert.equal(mayHaveContextsAfterEdit({ text: noName, value: false }, withParen, config), true);
});
