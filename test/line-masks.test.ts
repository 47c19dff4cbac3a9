// The masks applied on every parse, re-applied after an edit to the lines it can change (parse/line-masks.ts): after
// any edits, the re-masked text is the whole text masked again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyLineMasks, lineMasksOf, reapplyLineMasks } from '../server/src/engine/parse/line-masks';

const TEXT = [
  '#define CTXT_CAST (struct ctxt *)',
  '#define FREE_AND_NULL(p) if ((p) != NULL) { free(p); p = NULL; }',
  'int f(struct ctxt *c, char *s)',
  '{',
  '    PRAGMA_PUSH',
  '    FREE_AND_NULL(s)',
  '    FREE_AND_NULL(c)',
  '',
  '    PRAGMA_POP',
  '    g(CTXT_CAST c,',
  '      NULL',
  '    );',
  '    /* note */',
  '    WINPR_FALLTHROUGH',
  '    return 0; // done',
  '}',
  '',
].join('\n');

test('after random edits, re-masking the edited lines gives the whole text masked', () => {
  let text = TEXT;
  const masks = lineMasksOf(text);
  let masked = applyLineMasks(text, masks);
  let seed = 5;
  const random = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const pieces = ['\n', '    ', ';', '{', '}', 'A', 'PRAGMA_X', '\n    WINPR_Y\n', 'FREE_AND_NULL(x)\n', ' ', '\t', 'CTXT_CAST ', '(', ')', '//', 'q', ''];
  let reapplied = 0;
  for (let i = 0; i < 3000; i++) {
    // Keep the two #define lines: an edit there makes the caller mask the whole text (checked below).
    const from = TEXT.indexOf('int f(');
    const start = from + Math.floor(random() * (text.length - from + 1));
    const end = Math.min(text.length, start + Math.floor(random() * 6));
    const next = text.slice(0, start) + pieces[Math.floor(random() * pieces.length)] + text.slice(end);
    const again = reapplyLineMasks({ text, source: masked }, next, masks);
    const expected = applyLineMasks(next, lineMasksOf(next));
    if (again !== undefined) {
      reapplied++;
      assert.equal(again, expected, `edit ${i}: ${JSON.stringify(next)}`);
    }
    text = next;
    masked = expected;
  }
  assert.ok(reapplied > 2900, `re-masked incrementally ${reapplied} times of 3000`);
  assert.equal(reapplyLineMasks({ text, source: masked }, text.replace('#define FREE_AND_NULL(p)', '#define FREE_AND_NUL(p)'), masks), undefined);
});
