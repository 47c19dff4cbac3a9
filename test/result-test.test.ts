// Whether a call's result is tested or held, read from the text before anything is copied out of the tree
// (server/src/engine/dataflow/result-test.ts): an inferred die-wrapper's call is followed only where it is.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { callResultHeld, resultMatters, resultTested } from '../server/src/engine/dataflow/result-test';

const held = (code: string) => callResultHeld(code, code.indexOf('xmalloc'));

test('a result assigned to a plain variable is held; one stored through a pointer or into a member is not', () => {
  assert.equal(held('p = xmalloc(1);'), true);
  assert.equal(held('{\n\tchar *p = xmalloc(1);'), true);
  assert.equal(held('struct a **pp = xmalloc(1);'), true);
  assert.equal(held('const char *p = (char *)xmalloc(1);'), true);
  assert.equal(held('x;\n\t*out = xmalloc(1);'), false);
  assert.equal(held('a[i] = xmalloc(1);'), false);
  assert.equal(held('s->name = xmalloc(1);'), false);
  assert.equal(held('if (p == xmalloc(1))'), false);
  assert.equal(held('return xmalloc(1);'), false);
  assert.equal(held('use(xmalloc(1));'), false);
});

test('a die-wrapper call matters where its result is tested or held, not where it is stored or passed on', () => {
  assert.equal(resultTested('p = xmalloc(n);\nif (!p)\n\treturn -1;', 'xmalloc'), true);
  assert.equal(resultTested('p = xmalloc(n);\nuse(p);', 'xmalloc'), false);
  assert.equal(resultMatters('p = xmalloc(n);\nuse(p);', 'xmalloc'), true);
  assert.equal(resultMatters('s->buf = xmalloc(n);\nuse(s);', 'xmalloc'), false);
  assert.equal(resultMatters('return xmalloc(n);', 'xmalloc'), false);
});
