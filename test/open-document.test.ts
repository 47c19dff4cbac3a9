// The language server's per-document analysis (server/src/lsp/open-document.ts): a request made right after a run
// answered its waiters, with an edit in between, is answered too (it once waited for ever).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Engine } from '../server/src/engine/analyze';
import { DEFAULT_CONFIG } from '../server/src/engine/config/config';
import { OpenDocument } from '../server/src/lsp/open-document';

const SOURCE = '#include <stdlib.h>\nint f(void)\n{\n    char *p = malloc(4);\n    p[0] = 0;\n    free(p);\n    return 0;\n}\n';

test('an edit and a request in the tick after a run answered are analysed, not left waiting', async () => {
  const doc = new OpenDocument('file:///t.c', '/t.c', SOURCE, 1, Engine.create());
  let timer: NodeJS.Timeout | undefined;
  const second = await new Promise<Awaited<ReturnType<OpenDocument['analysis']>>>((resolve, reject) => {
    timer = setTimeout(() => reject(new Error('the second request was never answered')), 20_000);
    void doc.analysis(DEFAULT_CONFIG).then(() => {
      // Still inside the run's wake-up: it has not ended yet.
      doc.applyChanges([{ range: { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } }, text: ' ' }], 2);
      doc.analysis(DEFAULT_CONFIG).then(resolve, reject);
    }, reject);
  }).finally(() => clearTimeout(timer));
  assert.equal(second.version, 2);
  assert.deepEqual(second.result.findings.map((f) => `${f.span.line + 1}:${f.rule}`), ['5:unchecked-alloc']);
});

test('a run that fails (the engine did not load, or threw) rejects its requests once instead of starting over for ever', async () => {
  const failing = Promise.reject(new Error('no engine'));
  failing.catch(() => undefined);
  const doc = new OpenDocument('file:///t.c', '/t.c', SOURCE, 1, failing);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('the request was never answered')), 5_000)));
  try {
    await assert.rejects(Promise.race([doc.analysis(DEFAULT_CONFIG), timeout]), /no engine/);
    // A later request tries again (and fails the same way, once).
    await assert.rejects(Promise.race([doc.analysis(DEFAULT_CONFIG), timeout]), /no engine/);
  } finally {
    clearTimeout(timer);
  }
  assert.equal(doc.analysing, false);
});

test('an edit of a file-level constant outside every function re-analyses the functions that test it', async () => {
  const source = '#include <stdlib.h>\nstatic const int flag = 1;\nint f(void)\n{\n    char *p = malloc(4);\n    if (flag)\n        return -1;\n    free(p);\n    return 0;\n}\n';
  const engine = Engine.create();
  const doc = new OpenDocument('file:///t.c', '/t.c', source, 1, engine);
  const rules = async (d: OpenDocument) => (await d.analysis(DEFAULT_CONFIG)).result.findings.map((f) => `${f.span.line + 1}:${f.rule}`);
  assert.deepEqual(await rules(doc), ['7:leak-on-error-path']);
  const at = source.split('\n')[1].indexOf('1');
  doc.applyChanges([{ range: { start: { line: 1, character: at }, end: { line: 1, character: at + 1 } }, text: '0' }], 2);
  assert.deepEqual(await rules(doc), [], 'the early return no longer runs');
  assert.deepEqual(await rules(doc), await rules(new OpenDocument('file:///t.c', '/t.c', doc.currentText, 1, engine)));
});

test('an edit that makes a helper end in exit() makes it noreturn for its callers (what the file says outside its functions is kept)', async () => {
  const source = '#include <stdlib.h>\nvoid note(void);\nstatic void die(void)\n{\n    note();\n}\nint f(void)\n{\n    char *p = malloc(4);\n    if (!p)\n        die();\n    p[0] = 0;\n    free(p);\n    return 0;\n}\n';
  const engine = Engine.create();
  const doc = new OpenDocument('file:///t.c', '/t.c', source, 1, engine);
  const rules = async (d: OpenDocument) => (await d.analysis(DEFAULT_CONFIG)).result.findings.map((f) => `${f.span.line + 1}:${f.rule}`);
  const before = await rules(doc);
  assert.ok(before.includes('12:unchecked-alloc'), `die() returns: p is used when malloc failed (${before})`);
  doc.applyChanges([{ range: { start: { line: 4, character: 4 }, end: { line: 4, character: 11 } }, text: 'exit(1);' }], 2);
  assert.deepEqual(await rules(doc), [], 'die() no longer returns');
  assert.deepEqual(await rules(doc), await rules(new OpenDocument('file:///t.c', '/t.c', doc.currentText, 1, engine)));
});
