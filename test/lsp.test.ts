// The language server over a real stdio connection (`failpath lsp --stdio`, vscode-jsonrpc), as an editor drives it.
import { test, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { TestClient, ROOT, applyEdit, type Diagnostic } from './support/lsp-client';
import { Engine } from '../server/src/engine/analyze';
import { ConfigResolver } from '../server/src/engine/config/discovery';
import { RULE_IDS } from '../server/src/engine/rules/registry';
import type { Finding } from '../server/src/engine/findings';

const examples = path.join(ROOT, 'examples');
const confparse = path.join(examples, 'libc', 'confparse.c');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-lsp-'));
/** Files opened on their own (no workspace folder holds them). */
const loose = fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-loose-'));
const clients: TestClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
  for (const dir of [tmp, loose]) fs.rmSync(dir, { recursive: true, force: true });
});
async function start(options?: Parameters<typeof TestClient.start>[0]): Promise<TestClient> {
  const c = await TestClient.start(options);
  clients.push(c);
  return c;
}
const rulesOf = (ds: Diagnostic[]) => ds.map((d) => `${d.range.start.line + 1}:${d.code}`).sort();
/** Diagnostics, and the engine's findings, as comparable lines: rule, message, and every place (start and end). */
const place = (line: number, col: number, endLine: number, endCol: number) => `${line}:${col}-${endLine}:${endCol}`;
const rangePlace = (r: Diagnostic['range']) => place(r.start.line, r.start.character, r.end.line, r.end.character);
const spanPlace = (s: Finding['span']) => place(s.line, s.col, s.endLine, s.endCol);
const diagnosticPlaces = (ds: Diagnostic[]) => ds.map((d) => `${d.code}:${d.message}@${rangePlace(d.range)} ${(d.relatedInformation ?? []).map((r) => rangePlace(r.location.range)).join(',')}`).sort();
/** A C file of these lines in the system's temporary directory, opened in the client. */
const openLines = (c: TestClient, name: string, lines: string[]) => {
  const file = path.join(loose, `${name}.c`);
  fs.writeFileSync(file, lines.join('\n'));
  return { file, uri: c.open(file) };
};
const findingPlaces = (fs: Finding[]) => fs.map((f) => `${f.rule}:${f.message}@${spanPlace(f.span)} ${f.related.map((r) => spanPlace(r.span)).join(',')}`).sort();
const write = (name: string, text: string) => {
  const p = path.join(tmp, name);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  return p;
};

test('diagnostics on open carry the rule, its doc, related locations and tags', async () => {
  const c = await start();
  const uri = c.open(confparse);
  const ds = await c.diagnostics(uri);
  assert.deepEqual(rulesOf(ds), ['172:unchecked-alloc', '218:realloc-leak', '265:use-before-check', '360:leak', '424:wrong-failure-check']);
  const d = ds.find((x) => x.code === 'unchecked-alloc')!;
  assert.equal(d.source, 'failpath');
  assert.match(d.codeDescription!.href, /docs\/rules\/unchecked-alloc\.md$/);
  assert.equal(d.relatedInformation![0].location.uri, uri);
  assert.equal(d.relatedInformation![0].location.range.start.line, 169);
  assert.match(d.relatedInformation![0].message, /allocated here by malloc/);

  const g = write('dead/dead.c', '#include <glib.h>\nint f(void) {\n  char *p = g_malloc(10);\n  if (!p)\n    return -1;\n  p[0] = 0;\n  g_free(p);\n  return 0;\n}\n');
  write('dead/.failpath.json', '{ "profiles": ["libc", "glib"] }');
  const gu = c.open(g);
  const dead = (await c.diagnostics(gu)).find((x) => x.code === 'dead-oom-check');
  assert.ok(dead, 'dead-oom-check reported');
  assert.deepEqual(dead.tags, [1], 'Unnecessary tag');
});

test('after incremental edits only the changed function is analysed again, and findings follow the text', async () => {
  const c = await start();
  const uri = c.open(confparse);
  const before = rulesOf(await c.diagnostics(uri));
  const text = c.text(uri);
  const lines = text.split('\n');
  assert.match(lines[169], /malloc/);
  // Insert the missing test after line 170 (1-based): the finding goes, lines below move by two.
  const indent = /^\s*/.exec(lines[169])![0];
  c.edit(uri, [{ range: { start: { line: 169, character: lines[169].length }, end: { line: 169, character: lines[169].length } }, newText: `\n${indent}if (!cfg)\n${indent}\treturn NULL;` }]);
  const ds = await c.diagnostics(uri);
  assert.deepEqual(rulesOf(ds), ['220:realloc-leak', '267:use-before-check', '362:leak', '426:wrong-failure-check']);
  const status = c.statuses[c.statuses.length - 1];
  assert.ok(status.reanalysed >= 1 && status.reanalysed <= 2, `re-analysed ${status.reanalysed} functions, not the whole file`);
  // Typing inside a comment changes no function: nothing is analysed again.
  c.edit(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: '/* x */ ' }]);
  assert.deepEqual(rulesOf(await c.diagnostics(uri)), ['220:realloc-leak', '267:use-before-check', '362:leak', '426:wrong-failure-check']);
  assert.equal(c.statuses[c.statuses.length - 1].reanalysed, 0);
  // Removing the test again (an undo) gives back the findings from before it without analysing again.
  c.edit(uri, [{ range: { start: { line: 169, character: lines[169].length }, end: { line: 171, character: `${indent}\treturn NULL;`.length } }, newText: '' }]);
  assert.deepEqual(rulesOf(await c.diagnostics(uri)), before);
  assert.equal(c.statuses[c.statuses.length - 1].reanalysed, 0, 'the findings from before the edit were kept');
});

test('a function that calls a helper without inlining it is not analysed again when the helper\'s body changes', async () => {
  const c = await start();
  const { uri } = openLines(c, 'consulted', [
    '#include <stdlib.h>',
    'static int scale(int x) {',
    '  return x * 2;',
    '}',
    'int fill(int n) {',
    '  int *v = malloc(sizeof *v * n);',
    '  v[0] = scale(n);',
    '  free(v);',
    '  return 0;',
    '}',
  ]);
  assert.deepEqual(rulesOf(await c.diagnostics(uri)), ['7:unchecked-alloc']);
  // `fill` consults what `scale` does to its arguments (its summary), which this edit does not change.
  c.edit(uri, [{ range: { start: { line: 2, character: 13 }, end: { line: 2, character: 14 } }, newText: '3' }]);
  assert.deepEqual(rulesOf(await c.diagnostics(uri)), ['7:unchecked-alloc']);
  assert.equal(c.statuses[c.statuses.length - 1].reanalysed, 0);
});

test('an edit that makes a name relevant in one function does not re-analyse others that do not read its text', async () => {
  const c = await start();
  const { uri } = openLines(c, 'relevance', [
    '#include <stdlib.h>',
    'int a, b;',
    'static int pick(int x) {',
    '  if (a) return x;',
    '  if (b) return 0;',
    '  return 1;',
    '}',
    'static int scale(int x) {',
    '  if (x > 1 && a) return x * 2;',
    '  return x;',
    '}',
    'int keep(int n) {',
    '  int *v = malloc(sizeof *v * n);',
    '  n += b - a;',
    '  v[0] = scale(n);',
    '  free(v);',
    '  return 0;',
    '}',
    'int other(void) {',
    '  char *s = malloc(2);',
    '  int r = pick(1);',
    '  free(s);',
    '  return r;',
    '}',
  ]);
  assert.deepEqual(rulesOf(await c.diagnostics(uri)), ['15:unchecked-alloc']);
  // `pick` tests `aq` now, a name that becomes relevant (and the file's relevant names come in another order):
  // `other` consults its summary only, which is the same; `keep` does not call it.
  c.edit(uri, [{ range: { start: { line: 3, character: 7 }, end: { line: 3, character: 7 } }, newText: 'q' }]);
  assert.deepEqual(rulesOf(await c.diagnostics(uri)), ['15:unchecked-alloc']);
  assert.equal(c.statuses[c.statuses.length - 1].reanalysed, 0, 'a helper\'s relevant names count where its text is read');
  // The same in `scale`, whose summary `keep` consults.
  c.edit(uri, [{ range: { start: { line: 8, character: 7 }, end: { line: 8, character: 7 } }, newText: 'q' }]);
  assert.deepEqual(rulesOf(await c.diagnostics(uri)), ['15:unchecked-alloc']);
  assert.equal(c.statuses[c.statuses.length - 1].reanalysed, 0);
});

test('a helper given nothing tracked that tests another global than the path knows is not explored: editing it re-analyses nothing', async () => {
  const c = await start();
  const { uri } = openLines(c, 'globals', [
    '#include <stdio.h>',
    '#include <stdlib.h>',
    'int verbose, ready;',
    'static void report(const char *what) {',
    '  if (verbose) fprintf(stderr, "%s\\n", what);',
    '}',
    'int run(int n) {',
    '  ready = 1;',
    '  char *buf = malloc(n);',
    '  report("start");',
    '  if (ready) buf[0] = 0;',
    '  free(buf);',
    '  return 0;',
    '}',
  ]);
  assert.deepEqual(rulesOf(await c.diagnostics(uri)), ['11:unchecked-alloc']);
  // `run` knows `ready`; `report` tests `verbose` only: it is applied by its summary, and its text is not read.
  c.edit(uri, [{ range: { start: { line: 4, character: 27 }, end: { line: 4, character: 27 } }, newText: 'x' }]);
  assert.deepEqual(rulesOf(await c.diagnostics(uri)), ['11:unchecked-alloc']);
  assert.equal(c.statuses[c.statuses.length - 1].reanalysed, 0);
});

test('after many edits, the incremental diagnostics equal a fresh analysis of the same text', async () => {
  const c = await start();
  const engine = await Engine.create();
  for (const name of ['libvirt-style/domain_conf.c', 'kernel-driver/foo_probe.c', 'libc/confparse.c']) {
    const file = path.join(examples, name);
    const config = new ConfigResolver(RULE_IDS).forFile(file).config;
    const uri = c.open(file);
    await c.diagnostics(uri);
    let seed = 7;
    const random = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    for (let i = 0; i < 12; i++) {
      const lines = c.text(uri).split('\n');
      const line = Math.floor(random() * lines.length);
      // Insert or delete lines, break a line, add a call or a test: edits that move, change and join functions.
      const edits = [
        { start: { line, character: 0 }, end: { line, character: 0 }, text: '\n\n' },
        { start: { line, character: 0 }, end: { line: Math.min(line + 2, lines.length - 1), character: 0 }, text: '' },
        { start: { line, character: lines[line].length }, end: { line, character: lines[line].length }, text: ' /* x */' },
        { start: { line, character: 0 }, end: { line, character: 0 }, text: '    if (!p) return -1;\n' },
      ][i % 4];
      c.edit(uri, [{ range: { start: edits.start, end: edits.end }, newText: edits.text }]);
      const incremental = (await c.diagnostics(uri)).map((d) => `${d.range.start.line}:${d.range.start.character}:${d.code}:${d.message}`).sort();
      const fresh = engine.analyzeText(file, c.text(uri), config).findings.map((f) => `${f.span.line}:${f.span.col}:${f.rule}:${f.message}`).sort();
      assert.deepEqual(incremental, fresh, `${name} after edit ${i + 1}`);
    }
  }
});

test('blank-only edits in an inlined helper keep its callers\' cached findings, and their places in it follow', async () => {
  const c = await start();
  const engine = await Engine.create();
  const { file, uri } = openLines(c, 'layout', [
    '#include <stdlib.h>',
    'static char *make(int n)',
    '{',
    '    char *p = malloc(n);',
    '    return p;',
    '}',
    'int user(int n)',
    '{',
    '    char *q = make(n);',
    '    q[0] = 1;',
    '    return 0;',
    '}',
    '',
  ]);
  const before = await c.diagnostics(uri);
  assert.ok(before.some((d) => d.code === 'unchecked-alloc'), 'the caller\'s finding, allocated in the helper');
  // Blanks added before `malloc` (the finding's allocation moves right), in an indentation, and between tokens.
  const edits = [
    { line: 3, character: 14, text: '  ' },
    { line: 4, character: 0, text: '\t' },
    { line: 3, character: 8, text: ' ' },
  ];
  for (const e of edits) {
    c.edit(uri, [{ range: { start: { line: e.line, character: e.character }, end: { line: e.line, character: e.character } }, newText: e.text }]);
    assert.deepEqual(diagnosticPlaces(await c.diagnostics(uri)), findingPlaces(engine.analyzeText(file, c.text(uri)).findings));
  }
  fs.rmSync(file, { force: true });
});

test('blank edits in the edited function itself, line breaks too, reuse its findings at their new places; comment edits equal a fresh analysis', async () => {
  const c = await start();
  const engine = await Engine.create();
  const { file, uri } = openLines(c, 'own-layout', [
    '#include <stdlib.h>',
    'int fill(char **out, int n)',
    '{',
    '    char *p = malloc(n);',
    '    char *q = malloc(n);',
    '    if (!q)',
    '        return -1;',
    '    p[0] = 1;',
    '    q[0] = 2;',
    '    *out = p;',
    '    free(q);',
    '    return 0;',
    '}',
    '',
  ]);
  const incremental = async () => diagnosticPlaces(await c.diagnostics(uri));
  const fresh = () => findingPlaces(engine.analyzeText(file, c.text(uri)).findings);
  const before = await incremental();
  assert.ok(before.some((d) => d.startsWith('unchecked-alloc:')) && before.some((d) => d.startsWith('leak-on-error-path:')), before.join('\n'));
  const at = (line: number, character: number, endLine = line, endCharacter = character) => ({ start: { line, character }, end: { line: endLine, character: endCharacter } });
  const blankEdits = [
    { what: 'a space in the indentation of the finding\'s line', range: at(7, 0), newText: ' ' },
    { what: 'a space where there is one already', range: at(7, 10), newText: ' ' },
    { what: 'a line break where there was a space (lines below move)', range: at(4, 11, 4, 12), newText: '\n        ' },
    { what: 'the line break removed again', range: at(4, 11, 5, 8), newText: ' ' },
    { what: 'an empty line inside the function', range: at(5, 11), newText: '\n' },
    { what: 'a tab before the function\'s first token', range: at(1, 0), newText: '\t' },
  ];
  for (const e of blankEdits) {
    c.edit(uri, [{ range: e.range, newText: e.newText }]);
    assert.deepEqual(await incremental(), fresh(), e.what);
    assert.equal(c.statuses[c.statuses.length - 1].reanalysed, 0, `${e.what}: the cached findings were moved, not analysed again`);
  }
  // Comments and new separators are tokens: analysed again, and the same as a fresh analysis.
  const tokenEdits = [
    { what: 'a comment added in the function', range: at(9, 13), newText: ' /* q is set */' },
    { what: 'the comment edited', range: at(9, 22), newText: 'always ' },
    { what: 'a blank between two tokens that had none', range: at(9, 5), newText: ' ' },
  ];
  for (const e of tokenEdits) {
    c.edit(uri, [{ range: e.range, newText: e.newText }]);
    assert.deepEqual(await incremental(), fresh(), e.what);
  }
  fs.rmSync(file, { force: true });
});

test('"ignore on this line" on a line that already ends in a // comment goes on the line above', async () => {
  const c = await start();
  const file = path.join(loose, 'ignore.c');
  fs.writeFileSync(file, '#include <stdlib.h>\nint f(void)\n{\n    char *p = malloc(4);\n    p[0] = 1; // the first byte\n    free(p);\n    return 0;\n}\n');
  const uri = c.open(file);
  const d = (await c.diagnostics(uri)).find((x) => x.code === 'unchecked-alloc');
  assert.equal(d?.range.start.line, 4);
  const ignore = (await c.codeActions(uri, [d!], ['quickfix'])).find((a) => a.title === 'Ignore unchecked-alloc on this line');
  assert.ok(ignore, 'offered (it was not: the directive went into the existing comment and silenced nothing)');
  c.edit(uri, ignore.edit.changes[uri]);
  assert.match(c.text(uri), /\n    \/\/ failpath-ignore-next-line unchecked-alloc\n    p\[0\] = 1; \/\/ the first byte\n/);
  assert.deepEqual(await c.diagnostics(uri), []);
  fs.rmSync(file, { force: true });
});

test('every quick fix of the examples, applied, removes its finding and adds none', async () => {
  const c = await start();
  const files = ['libc/confparse.c', 'kernel-driver/foo_probe.c', 'libvirt-style/domain_conf.c', 'glib/thumb-cache.c'].map((f) => path.join(examples, f));
  const fixedRules = new Set<string>();
  for (const file of files) {
    const uri = c.open(file);
    const original = c.text(uri);
    const before = await c.diagnostics(uri);
    for (const d of before) {
      const actions = await c.codeActions(uri, [d], ['quickfix']);
      assert.ok(actions.some((a) => a.title.startsWith('Ignore')), `${path.basename(file)}:${d.range.start.line + 1} ${d.code}: has "ignore on this line"`);
      for (const action of actions) {
        // Apply on a copy of the original, as a user applying this one fix would.
        const edits = action.edit.changes[uri];
        let fixed = original;
        for (const e of [...edits].sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character)) fixed = applyEdit(fixed, e);
        c.edit(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 1e6, character: 0 } }, newText: fixed }]);
        const afterFix = await c.diagnostics(uri);
        const key = (x: Diagnostic) => `${x.code}|${x.message.replace(/line \d+/g, '')}`;
        const count = (ds: Diagnostic[], k: string) => ds.filter((x) => key(x) === k).length;
        assert.ok(count(afterFix, key(d)) < count(before, key(d)), `${action.title}: the finding goes`);
        for (const x of afterFix) assert.ok(count(afterFix, key(x)) <= count(before, key(x)), `${action.title}: adds no ${x.code}`);
        if (!action.title.startsWith('Ignore')) fixedRules.add(d.code!);
        c.edit(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 1e6, character: 0 } }, newText: original }]);
      }
    }
  }
  for (const rule of ['unchecked-alloc', 'use-before-check', 'leak-on-error-path', 'realloc-leak', 'wrong-failure-check', 'failure-swallowed']) {
    assert.ok(fixedRules.has(rule), `a verified ${rule} fix was offered and worked`);
  }
});

test('quick fixes follow the function: kernel -ENOMEM, the cleanup label, the dead branch and its label', async () => {
  const c = await start();
  const kernel = write('k/drv.c', [
    'int probe(struct device *dev)', '{', '\tstruct foo *a, *b;', '\tint ret;', '',
    '\ta = kzalloc(sizeof(*a), GFP_KERNEL);', '\tif (!a)', '\t\treturn -ENOMEM;', '\tb = kzalloc(sizeof(*b), GFP_KERNEL);',
    '\tb->x = 1;', '\tret = setup(a, b);', '\tif (ret)', '\t\tgoto err_free_b;', '\treturn 0;', 'err_free_b:', '\tkfree(b);', '\tkfree(a);', '\treturn ret;', '}', '',
  ].join('\n'));
  write('k/.failpath.json', '{ "profiles": ["libc", "linux-kernel"] }');
  const uri = c.open(kernel);
  const d = (await c.diagnostics(uri)).find((x) => x.code === 'unchecked-alloc')!;
  const fix = (await c.codeActions(uri, [d], ['quickfix'])).find((a) => a.isPreferred)!;
  assert.equal(fix.edit.changes[uri][0].newText, '\n\tif (!b)\n\t\tgoto err_free_b;');

  const glib = write('dead/dead2.c', '#include <glib.h>\nint f(void) {\n  char *p = g_malloc(10);\n  if (!p)\n    goto oom;\n  p[0] = 0;\n  g_free(p);\n  return 0;\noom:\n  return -1;\n}\n');
  write('dead/.failpath.json', '{ "profiles": ["libc", "glib"] }');
  const gu = c.open(glib);
  const dead = (await c.diagnostics(gu)).find((x) => x.code === 'dead-oom-check')!;
  const remove = (await c.codeActions(gu, [dead], ['quickfix'])).find((a) => a.isPreferred)!;
  let text = c.text(gu);
  for (const e of [...remove.edit.changes[gu]].sort((a, b) => b.range.start.line - a.range.start.line)) text = applyEdit(text, e);
  assert.equal(text, '#include <glib.h>\nint f(void) {\n  char *p = g_malloc(10);\n  p[0] = 0;\n  g_free(p);\n  return 0;\n  return -1;\n}\n');
});

test('source.fixAll.failpath applies the safe fixes of a file', async () => {
  const c = await start();
  const file = write('all/all.c', '#include <stdlib.h>\n#include <string.h>\nint f(char **out, size_t n) {\n  char *p = malloc(n);\n  memset(p, 0, n);\n  p = realloc(p, n * 2);\n  if (!p)\n    return -1;\n  *out = p;\n  return 0;\n}\n');
  const uri = c.open(file);
  assert.deepEqual(rulesOf(await c.diagnostics(uri)), ['5:unchecked-alloc', '6:realloc-leak']);
  const [all] = await c.codeActions(uri, [], ['source.fixAll']);
  assert.equal(all.kind, 'source.fixAll.failpath');
  c.edit(uri, all.edit.changes[uri]);
  assert.deepEqual(await c.diagnostics(uri), []);
  const check = spawnSync('gcc', ['-fsyntax-only', '-x', 'c', '-'], { input: c.text(uri), encoding: 'utf8' });
  if (check.error === undefined) assert.equal(check.status, 0, check.stderr);
});

test('CodeLens: listed per allocation, resolved to the simulated failure; the custom request agrees with the CLI', async () => {
  const c = await start();
  const uri = c.open(confparse);
  const lenses = await c.connection.sendRequest<Array<{ range: { start: { line: number } }; data: unknown; command?: { title: string } }>>('textDocument/codeLens', { textDocument: { uri } });
  assert.ok(lenses.length >= 5, `${lenses.length} lenses`);
  assert.ok(lenses.every((l) => !l.command), 'listing is cheap: titles come with resolve');
  const lens = lenses.find((l) => l.range.start.line === 169)!;
  const resolved = await c.connection.sendRequest<{ command: { title: string; command: string } }>('codeLens/resolve', lens);
  assert.equal(resolved.command.title, 'if this fails: NULL dereference at line 172');
  assert.equal(resolved.command.command, 'failpath.showFailurePath');
  const sims = await c.connection.sendRequest<Array<{ summary: string; paths: Array<{ lines: number[] }>; callers: Array<{ function: string; use: string }> }>>('failpath/simulateFailure', { textDocument: { uri }, position: { line: 169, character: 0 } });
  const cli = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'simulate', `${confparse}:170`, '--format', 'json'], { encoding: 'utf8' });
  const fromCli = JSON.parse(cli.stdout);
  assert.equal(sims[0].summary, fromCli[0].summary);
  assert.deepEqual(sims[0].paths, fromCli[0].paths);
  assert.deepEqual(sims[0].callers.map((x) => `${x.function}:${x.use}`), ['config_read_file:tests']);
  assert.deepEqual(sims[0].paths[0].lines.map((l) => l + 1), [170, 172]);
});

test('rapid edits: stale analyses are dropped and the last version is published (push mode)', async () => {
  const c = await start({ pull: false });
  const uri = c.open(confparse);
  const lines = c.text(uri).split('\n');
  for (let i = 0; i < 30; i++) c.edit(uri, [{ range: { start: { line: 171, character: 0 }, end: { line: 171, character: 0 } }, newText: ' ' }]);
  const last = c.version(uri);
  const deadline = Date.now() + 30_000;
  while (!c.pushed.some((p) => p.uri === uri && p.version === last) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const mine = c.pushed.filter((p) => p.uri === uri);
  assert.equal(mine[mine.length - 1].version, last, 'the newest version is published');
  assert.ok(mine.length < 10, `${mine.length} publications for 31 versions: stale work was dropped`);
  for (let i = 1; i < mine.length; i++) assert.ok(mine[i].version! > mine[i - 1].version!, 'never an older version after a newer one');
  assert.equal(lines.length, c.text(uri).split('\n').length);
  assert.deepEqual(rulesOf(mine[mine.length - 1].diagnostics), ['172:unchecked-alloc', '218:realloc-leak', '265:use-before-check', '360:leak', '424:wrong-failure-check']);
});

test('a configuration change re-analyses open files', async () => {
  let settings: Record<string, unknown> = {};
  const c = await start({ settings: () => settings });
  const file = write('cfg/plain.c', '#include <stdlib.h>\nvoid f(void) {\n  char *p = malloc(4);\n  p[0] = 1;\n  free(p);\n}\n');
  const uri = c.open(file);
  assert.deepEqual(rulesOf(await c.diagnostics(uri)), ['4:unchecked-alloc']);
  settings = { rules: { 'unchecked-alloc': 'off' } };
  await c.connection.sendNotification('workspace/didChangeConfiguration', { settings: { failpath: settings } });
  assert.deepEqual(await c.diagnostics(uri), []);
  // A .failpath.json next to the file wins over the settings.
  write('cfg/.failpath.json', '{ "rules": { "unchecked-alloc": "error" } }');
  await c.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(path.join(tmp, 'cfg', '.failpath.json')).toString(), type: 1 }] });
  const ds = await c.diagnostics(uri);
  assert.deepEqual(rulesOf(ds), ['4:unchecked-alloc']);
  assert.equal(ds[0].severity, 1);
});

test('a cppcheck library change re-analyses open files; its problems appear on the library file', async () => {
  const c = await start();
  write('lib/.failpath.json', '{ "cppcheckLibraries": ["project.cfg"] }');
  const cfg = write('lib/project.cfg', '<def><memory><alloc>make_thing</alloc></memory></def>');
  const uri = c.open(write('lib/use.c', 'void *make_thing(void);\nvoid f(void) {\n  char *p = make_thing();\n  p[0] = 1;\n}\n'));
  assert.deepEqual(rulesOf(await c.diagnostics(uri)), ['4:unchecked-alloc', '5:leak']);
  const changed = async (text: string) => {
    fs.writeFileSync(cfg, text);
    await c.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(cfg).toString(), type: 2 }] });
    return rulesOf(await c.diagnostics(uri));
  };
  assert.deepEqual(await changed('<def><memory><alloc no-fail="true">make_thing</alloc></memory></def>'), ['5:leak']);
  assert.deepEqual(await changed('<def>\n  <memory><alloc>make_thing</alloc>\n</def>'), [], 'a broken library adds nothing');
  const deadline = Date.now() + 10_000;
  const onLibrary = () => c.pushed.filter((p) => p.uri === pathToFileURL(cfg).toString()).pop();
  while (!onLibrary() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(onLibrary()!.diagnostics.map((d) => `${d.range.start.line + 1}:${d.message}`), ['3:"cppcheckLibraries[0]": not a cppcheck library: </def> does not close <memory> (the default is used instead)']);
  assert.deepEqual(await changed('<def><memory><alloc>make_thing</alloc></memory></def>'), ['4:unchecked-alloc', '5:leak']);
  while (onLibrary()!.diagnostics.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(onLibrary()!.diagnostics, [], 'fixed: cleared');
});

test('the failpath.cppcheckLibraries setting reads libraries relative to the workspace folder', async () => {
  const folder = path.join(tmp, 'setlib');
  write('setlib/tools/project.cfg', '<def><memory><alloc>make_thing</alloc></memory></def>');
  const c = await start({ rootDir: folder, settings: () => ({ cppcheckLibraries: ['tools/project.cfg'] }) });
  const uri = c.open(write('setlib/src/use.c', 'void *make_thing(void);\nvoid f(void) {\n  char *p = make_thing();\n  p[0] = 1;\n}\n'));
  assert.deepEqual(rulesOf(await c.diagnostics(uri)), ['4:unchecked-alloc', '5:leak']);
});

test('a file with parse errors still gets the findings of what parsed; a 5 MB file is analysed without harm', async () => {
  const c = await start();
  const broken = write('bad/broken.c', '#include <stdlib.h>\nint g(void) {\n  int x = (3 +;\n  return x;\n}\n}}} garbage {{\nvoid f(void) {\n  char *p = malloc(4);\n  p[0] = 1;\n  free(p);\n}\n');
  const bu = c.open(broken);
  assert.deepEqual(rulesOf(await c.diagnostics(bu)), ['9:unchecked-alloc']);
  const unit = 'static int helper_N(int v) {\n  int *p = malloc(sizeof *p);\n  if (!p)\n    return -1;\n  *p = v;\n  free(p);\n  return 0;\n}\n';
  let big = '';
  for (let i = 0; big.length < 5 * 1024 * 1024; i++) big += unit.replace('helper_N', `helper_${i}`);
  const hu = c.open(path.join(tmp, 'big.c'), big);
  const ds = await c.diagnostics(hu);
  assert.deepEqual(ds, []);
  // The server still answers for other files afterwards.
  assert.deepEqual(rulesOf(await c.diagnostics(bu)), ['9:unchecked-alloc']);
});

test('workspace audit: every file with progress, then from the cache', async () => {
  const storage = fs.mkdtempSync(path.join(loose, 'storage-'));
  const c = await start({ initializationOptions: { storagePath: storage } });
  const first = await c.connection.sendRequest<{ files: Array<{ uri: string; diagnostics: Diagnostic[] }>; stats: { files: number; fromCache: number } }>('failpath/auditWorkspace', { folders: [examples] });
  assert.equal(first.stats.files, 8);
  assert.equal(first.files.reduce((n, f) => n + f.diagnostics.length, 0), 15);
  assert.equal(first.stats.fromCache, 0);
  assert.ok(c.progress.length >= 3, 'work-done progress was reported');
  const second = await c.connection.sendRequest<{ stats: { fromCache: number } }>('failpath/auditWorkspace', { folders: [examples] });
  assert.equal(second.stats.fromCache, 8);
  const sarif = JSON.parse(await c.connection.sendRequest<string>('failpath/exportAudit', { format: 'sarif' }));
  assert.equal(sarif.runs[0].results.length, 15);
  const md = await c.connection.sendRequest<string>('failpath/exportAudit', { format: 'markdown' });
  assert.match(md, /## By rule/);
  // A new server with the same storage starts from the persisted cache.
  const d = await start({ initializationOptions: { storagePath: storage } });
  const third = await d.connection.sendRequest<{ stats: { fromCache: number } }>('failpath/auditWorkspace', { folders: [examples], filesExclude: ['glib/**'] });
  assert.equal(third.stats.fromCache, 6, 'glib/ (2 files) excluded, the other 6 from the cache');
  // Limited mode: no workspace audit in an untrusted workspace.
  const u = await start({ initializationOptions: { trusted: false } });
  await assert.rejects(u.connection.sendRequest('failpath/auditWorkspace', { folders: [examples] }), /trusted/);
});

// `wrappers`: allocation wrappers inferred across files; `callee-effects`: what functions of other files do to
// their arguments (a sink chain, destructors, containers); `annotations`, `cppcheck-library`: what declarations and
// cppcheck libraries say. The first two name a chain with `→` in some message.
for (const workspace of ['wrappers', 'callee-effects', 'annotations', 'cppcheck-library']) {
  test(`workspace audit finds what the CLI finds across files (${workspace})`, async () => {
    const folder = path.join(ROOT, 'test', 'workspaces', workspace);
    const c = await start({ rootDir: folder });
    const report = await c.connection.sendRequest<{ files: Array<{ uri: string; diagnostics: Diagnostic[] }> }>('failpath/auditWorkspace', { folders: [folder] });
    const audited = report.files.flatMap((f) => f.diagnostics.map((d) => `${path.basename(decodeURIComponent(f.uri))}:${d.range.start.line + 1}:${d.code}:${d.message}`)).sort();
    const cli = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), folder, '--format', 'json', '--fail-on', 'none'], { encoding: 'utf8' });
    const fromCli = (JSON.parse(cli.stdout).findings as Array<{ file: string; line: number; rule: string; message: string }>).map((f) => `${path.basename(f.file)}:${f.line}:${f.rule}:${f.message}`).sort();
    if (workspace === 'wrappers' || workspace === 'callee-effects') assert.ok(fromCli.some((f) => /→/.test(f)), 'the CLI names a chain across files');
    assert.ok(fromCli.length >= 3);
    assert.deepEqual(audited, fromCli);
  });
}

test('the simulated failure lists the callers in the workspace\'s other files, and agrees with the CLI given the workspace', async () => {
  const folder = path.join(ROOT, 'test', 'workspaces', 'wrappers');
  const c = await start({ rootDir: folder });
  const uri = c.open(path.join(folder, 'alloc.c'));
  type Sim = { summary: string; callers: Array<{ function: string; file?: string; use: string }> };
  const callersOf = (sims: Sim[]) => sims[0].callers.map((x) => `${x.file ? path.basename(x.file) : '-'}:${x.function}:${x.use}`).sort();
  // The index is built in the background at start: wait until the other files' callers appear.
  const deadline = Date.now() + 60_000;
  let sims: Sim[] = [];
  while (Date.now() < deadline) {
    sims = await c.connection.sendRequest<Sim[]>('failpath/simulateFailure', { textDocument: { uri }, position: { line: 7, character: 0 } });
    if (sims[0]?.callers.some((x) => x.file)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.deepEqual(callersOf(sims), ['node.c:zalloc_node:passes-on', 'user.c:leaks:tests']);
  const cli = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'simulate', `${path.join(folder, 'alloc.c')}:8`, folder, '--format', 'json'], { encoding: 'utf8' });
  const fromCli = JSON.parse(cli.stdout) as Sim[];
  assert.equal(fromCli[0].summary, sims[0].summary);
  assert.deepEqual(callersOf(fromCli), callersOf(sims));
});

test('open files use the workspace index: an allocator declared in another file\'s attributes is known in the editor', async () => {
  const folder = path.join(ROOT, 'test', 'workspaces', 'annotations');
  const c = await start({ rootDir: folder });
  const cli = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), path.join(folder), '--format', 'json', '--fail-on', 'none'], { encoding: 'utf8' });
  const expected = (JSON.parse(cli.stdout).findings as Array<{ file: string; line: number; rule: string; message: string }>).filter((f) => f.file.endsWith('use.c')).map((f) => `${f.line}:${f.rule}:${f.message}`).sort();
  const uri = c.open(path.join(folder, 'use.c'));
  const deadline = Date.now() + 60_000;
  let got: string[] = [];
  while (Date.now() < deadline) {
    got = (await c.diagnostics(uri)).map((d) => `${d.range.start.line + 1}:${d.code}:${d.message}`).sort();
    if (got.some((m) => /buf_create/.test(m))) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.deepEqual(got, expected);
});

for (const workspace of ['wrappers', 'callee-effects']) {
  test(`open files use the workspace index: what another file defines is known in the editor (${workspace})`, async () => {
    const folder = path.join(ROOT, 'test', 'workspaces', workspace);
    const c = await start({ rootDir: folder });
    const cli = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), folder, '--format', 'json', '--fail-on', 'none'], { encoding: 'utf8' });
    const byFile = new Map<string, string[]>();
    for (const f of JSON.parse(cli.stdout).findings as Array<{ file: string; line: number; rule: string; message: string }>) {
      const list = byFile.get(path.basename(f.file)) ?? [];
      list.push(`${f.line}:${f.rule}:${f.message}`);
      byFile.set(path.basename(f.file), list);
    }
    const [file, expected] = [...byFile].find(([, list]) => list.some((m) => /→/.test(m)))!;
    const uri = c.open(path.join(folder, file));
    // The index is built in the background; the server re-analyses open files when it is ready.
    const deadline = Date.now() + 60_000;
    let got: string[] = [];
    while (Date.now() < deadline) {
      got = (await c.diagnostics(uri)).map((d) => `${d.range.start.line + 1}:${d.code}:${d.message}`).sort();
      if (got.some((m) => /→/.test(m))) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.deepEqual(got, expected.sort());
  });
}

test('a quick fix for a finding through another file\'s wrapper is written and checked with the workspace index', async () => {
  const folder = path.join(ROOT, 'test', 'workspaces', 'wrappers');
  const c = await start({ rootDir: folder });
  const uri = c.open(path.join(folder, 'user.c'));
  let d: Diagnostic | undefined;
  for (const end = Date.now() + 60_000; !d && Date.now() < end; await new Promise((r) => setTimeout(r, 200))) {
    d = (await c.diagnostics(uri)).find((x) => x.code === 'unchecked-alloc');
  }
  assert.ok(d, 'the wrapper finding appears once the index is built');
  const actions = await c.codeActions(uri, [d], ['quickfix']);
  // Without the index, the copy would be analysed without the wrapper: the fix could not be written, and the
  // suppression would look like it removed a finding that simply was not found.
  const fix = actions.find((a) => a.isPreferred);
  assert.equal(fix?.title, 'Test the result of zalloc_node() for failure');
  c.edit(uri, fix!.edit.changes[uri]);
  assert.ok(!(await c.diagnostics(uri)).some((x) => x.code === 'unchecked-alloc'));
});


test('open files get the context rules\' chains across files from the workspace index, and can ignore them on the line', async () => {
  const folder = path.join(ROOT, 'test', 'workspaces', 'no-alloc');
  const c = await start({ rootDir: folder });
  const uri = c.open(path.join(folder, 'oom.c'));
  // oom_notify's allocation is two calls down in log.c: only the workspace index knows it.
  let d: Diagnostic | undefined;
  for (const end = Date.now() + 60_000; !d && Date.now() < end; await new Promise((r) => setTimeout(r, 200))) {
    d = (await c.diagnostics(uri)).find((x) => x.code === 'alloc-in-no-alloc-context' && x.range.start.line === 21);
  }
  assert.ok(d, 'the chain through log.c appears once the index is built');
  assert.match(d.message, /oom_notify → log_event → format_msg → malloc/);
  assert.deepEqual(d.relatedInformation!.map((r) => `${path.basename(new URL(r.location.uri).pathname)}:${r.location.range.start.line + 1}: ${r.message}`), [
    'log.c:21: log_event() calls format_msg()', 'log.c:11: format_msg() allocates with malloc()', 'oom.c:18: marked no-alloc here',
  ]);
  const cli = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), folder, '--format', 'json', '--fail-on', 'none'], { encoding: 'utf8' });
  const fromCli = (JSON.parse(cli.stdout).findings as Array<{ file: string; line: number; rule: string; message: string }>)
    .filter((f) => path.basename(f.file) === 'oom.c').map((f) => `${f.line}:${f.rule}:${f.message}`).sort();
  assert.deepEqual((await c.diagnostics(uri)).map((x) => `${x.range.start.line + 1}:${x.code}:${x.message}`).sort(), fromCli);
  const ignore = (await c.codeActions(uri, [d], ['quickfix'])).find((a) => a.title === 'Ignore alloc-in-no-alloc-context on this line');
  assert.ok(ignore, 'the suppression is offered');
  c.edit(uri, ignore.edit.changes[uri]);
  const after = await c.diagnostics(uri);
  assert.ok(!after.some((x) => x.range.start.line === 21), 'silenced, and the suppression is not reported as unmatched');
  assert.equal(after.filter((x) => x.code === 'alloc-in-no-alloc-context').length, 2);
});
