// What the language server keeps of each function's text between two versions of a document
// (parse/carried-by-span.ts): a function before the change keeps it, one after it keeps it at its moved offsets, the
// edited one starts afresh, and nothing is carried from a version other than the last round's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CarriedBySpan } from '../server/src/engine/parse/carried-by-span';

test('memos follow unchanged functions across a change and are dropped for the changed one', () => {
  const carried = new CarriedBySpan();
  const v1 = 'int a(void) { return 0; }\nint b(void) { return 1; }\nint c(void) { return 2; }\n';
  carried.begin(v1);
  const spans = [[0, 25], [26, 51], [52, 77]];
  spans.forEach(([s, e], i) => carried.at(s, e).set('n', i));
  // `b` gets one character longer: `a` stays, `c` moves by one.
  const v2 = v1.replace('return 1', 'return 12');
  carried.begin(v2, v1, { start: 46, oldEnd: 46, newEnd: 47 });
  assert.equal(carried.at(0, 25).get('n'), 0);
  assert.equal(carried.at(26, 52).get('n'), undefined, 'the edited function starts afresh');
  assert.equal(carried.at(53, 78).get('n'), 2);
  assert.equal(carried.at(53, 78), carried.at(53, 78), 'asked twice in a round, the same memo');
  // A change reported from another version than the last round's carries nothing.
  carried.begin(v2 + ' ', v1, { start: v2.length, oldEnd: v2.length, newEnd: v2.length + 1 });
  assert.equal(carried.at(0, 25).get('n'), undefined);
});
