// The `failpath` command, run as a user runs it: exit codes, the three formats, options, bad input.
import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { RULES } from '../server/src/engine/rules/registry';

const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'dist', 'cli.js');
const run = (args: string[], cwd = root) => spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-cli-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
const write = (name: string, content: string | Buffer) => {
  const p = path.join(tmp, name);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content);
  return p;
};

/** The intended findings of examples/, as listed in examples/README.md. */
function intendedExampleFindings(): string[] {
  const readme = fs.readFileSync(path.join(root, 'examples', 'README.md'), 'utf8');
  return [...readme.matchAll(/^- `(examples\/[^:`]+):(\d+)` `([a-z-]+)`/gm)].map((m) => `${m[1]}:${m[2]}:${m[3]}`).sort();
}

test('examples/: exactly the intended findings, exit status 1', () => {
  const r = run(['examples/', '--format', 'json']);
  assert.equal(r.status, 1, r.stderr);
  const report = JSON.parse(r.stdout);
  const got = report.findings.map((f: { file: string; line: number; rule: string }) => `${f.file}:${f.line}:${f.rule}`).sort();
  const want = intendedExampleFindings();
  assert.ok(want.length >= 10, 'examples/README.md lists the intended findings');
  assert.deepEqual(got, want);
});

test('JSON follows the documented format', () => {
  const r = run(['examples/libc', '--format', 'json']);
  const report = JSON.parse(r.stdout);
  assert.equal(report.version, '1');
  for (const f of report.findings) {
    for (const k of ['file', 'line', 'column', 'endLine', 'endColumn', 'rule', 'severity', 'message']) assert.ok(k in f, `finding has ${k}`);
    assert.ok(f.line >= 1 && f.column >= 1);
    assert.ok(f.allocation && f.allocation.line >= 1 && typeof f.allocation.callee === 'string');
    assert.ok(Array.isArray(f.related) && f.related[0].message.includes('allocated here'));
  }
  for (const k of ['files', 'bytes', 'functions', 'allocationSites', 'parseErrors', 'durationMs']) assert.equal(typeof report.stats[k], 'number', k);
  assert.equal(report.stats.files, 1);
});

test('text output reads like a compiler', () => {
  const r = run(['examples/libc/confparse.c']);
  assert.match(r.stdout, /^examples\/libc\/confparse\.c:265:\d+: warning: .* \[use-before-check\]$/m);
  assert.match(r.stdout, /^examples\/libc\/confparse\.c:\d+:\d+: note: allocated here by malloc\(\)$/m);
  assert.match(r.stdout, /^\d+ findings in 1 file/m);
});

test('SARIF 2.1.0 with a descriptor per rule and stable fingerprints', () => {
  const a = JSON.parse(run(['examples/', '--format', 'sarif']).stdout);
  const b = JSON.parse(run(['examples/', '--format', 'sarif', '--jobs', '1']).stdout);
  assert.equal(a.version, '2.1.0');
  const driver = a.runs[0].tool.driver;
  assert.deepEqual(driver.rules.map((r: { id: string }) => r.id), RULES.map((r) => r.id));
  for (const d of driver.rules) assert.ok(d.shortDescription.text && d.fullDescription.text && d.helpUri.endsWith(`${d.id}.md`));
  const results = a.runs[0].results;
  assert.equal(results.length, intendedExampleFindings().length);
  for (const res of results) {
    assert.equal(driver.rules[res.ruleIndex].id, res.ruleId);
    assert.ok(res.locations[0].physicalLocation.region.startLine >= 1);
    assert.ok(['leak', 'null-deref', 'other'].includes(res.properties.category));
  }
  const prints = (s: typeof a) => s.runs[0].results.map((x: { partialFingerprints: Record<string, string> }) => x.partialFingerprints['failpath/v1']).sort();
  assert.deepEqual(prints(a), prints(b));
  assert.equal(new Set(prints(a)).size, results.length, 'fingerprints are distinct');
});

test('--output writes the report to a file', () => {
  const out = path.join(tmp, 'report.sarif');
  const r = run(['examples/glib', '--format', 'sarif', '--output', out]);
  assert.equal(r.stdout, '');
  assert.equal(JSON.parse(fs.readFileSync(out, 'utf8')).version, '2.1.0');
});

test('--fail-on decides the exit status', () => {
  const warningsOnly = path.join(root, 'test', 'fixtures', 'leak', 'success_paths.c');
  assert.equal(run([warningsOnly, '--fail-on', 'error']).status, 0);
  assert.equal(run([warningsOnly, '--fail-on', 'warning']).status, 1);
  assert.equal(run(['examples/', '--fail-on', 'error']).status, 1);
  assert.equal(run(['examples/', '--fail-on', 'none']).status, 0);
});

test('--rules keeps only the named rules', () => {
  const report = JSON.parse(run(['examples/', '--format', 'json', '--rules', 'realloc-leak,dead-oom-check']).stdout);
  assert.deepEqual([...new Set(report.findings.map((f: { rule: string }) => f.rule))].sort(), ['dead-oom-check', 'realloc-leak']);
});

test('--jobs 2 gives the same findings as --jobs 1', () => {
  const one = JSON.parse(run(['examples/', 'test/fixtures', '--format', 'json', '--jobs', '1']).stdout).findings;
  const two = JSON.parse(run(['examples/', 'test/fixtures', '--format', 'json', '--jobs', '2']).stdout).findings;
  assert.deepEqual(two, one);
  assert.ok(one.length > 50);
});

test('--cache DIR: a second run answers from the cache what did not change, and re-analyses what did', () => {
  const dir = path.join(tmp, 'cached');
  fs.cpSync(path.join(root, 'test', 'workspaces', 'wrappers'), dir, { recursive: true });
  const cacheDir = path.join(tmp, 'cache-dir');
  const audit = (jobs: string) => {
    const r = run([dir, '--format', 'json', '--cache', cacheDir, '--jobs', jobs, '--fail-on', 'none']);
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout).findings.map((f: { file: string; line: number; rule: string; message: string }) => `${path.basename(f.file)}:${f.line}:${f.rule}:${f.message}`).sort();
  };
  const fresh = audit('1');
  assert.ok(fresh.length > 0);
  const cacheFile = path.join(cacheDir, 'failpath-cache.json');
  assert.ok(fs.existsSync(cacheFile));
  // What the cache says about an unchanged file is what the run reports (the file is not analysed again)…
  const data = JSON.parse(fs.readFileSync(cacheFile, 'utf8'));
  const user = data.entries.find((e: [string, { findings: Array<{ message: string }> }]) => e[0].endsWith('user.c'));
  assert.ok(user[1].findings.length > 0, 'user.c has findings');
  user[1].findings[0].message = 'FROM THE CACHE';
  fs.writeFileSync(cacheFile, JSON.stringify(data));
  for (const jobs of ['1', '2']) assert.ok(audit(jobs).some((f: string) => f.endsWith(':FROM THE CACHE')), `--jobs ${jobs}`);
  // …until the file changes; another file's change re-analyses the files that depend on it (a wrapper that no
  // longer returns NULL), and the cached run equals a run without the cache.
  fs.appendFileSync(path.join(dir, 'user.c'), '\n/* edited */\n');
  const alloc = path.join(dir, 'alloc.c');
  fs.writeFileSync(alloc, fs.readFileSync(alloc, 'utf8').replace(/return NULL;/, 'abort();'));
  const withCache = audit('2');
  assert.ok(!withCache.some((f: string) => f.endsWith(':FROM THE CACHE')));
  const without = run([dir, '--format', 'json', '--jobs', '1', '--fail-on', 'none']);
  assert.deepEqual(withCache, JSON.parse(without.stdout).findings.map((f: { file: string; line: number; rule: string; message: string }) => `${path.basename(f.file)}:${f.line}:${f.rule}:${f.message}`).sort());
  assert.notDeepEqual(withCache, fresh);
});

test('usage errors exit 2 with a message', () => {
  for (const args of [['--format', 'xml'], ['--fail-on', 'maybe'], ['--jobs', '0'], ['--rules', 'no-such-rule'], ['--bogus']]) {
    const r = run(['examples/', ...args]);
    assert.equal(r.status, 2, args.join(' '));
    assert.match(r.stderr, /failpath: /);
  }
  const missing = run([path.join(tmp, 'does-not-exist')]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /no such file or directory/);
});

test('an invalid configuration names the file, position and key, and defaults are used', () => {
  const dir = path.join(tmp, 'badconf');
  write('badconf/.failpath.json', '{\n  // comment\n  "profiles": ["libc", "no-such-profile"],\n  "policy": "sometimes",\n  "rules": { "leak": "loud" }\n}\n');
  write('badconf/a.c', '#include <stdlib.h>\nvoid f(void) { char *p = malloc(4); p[0] = 1; free(p); }\n');
  const r = run([dir, '--format', 'json']);
  assert.match(r.stderr, /\.failpath\.json:3:\d+: error: "profiles": unknown profile "no-such-profile"/);
  assert.match(r.stderr, /\.failpath\.json:4:\d+: error: "policy": /);
  assert.match(r.stderr, /\.failpath\.json:5:\d+: error: "rules\.leak": /);
  assert.equal(JSON.parse(r.stdout).findings.length, 1, 'still analysed with the valid part');
});

test('every key of a project allocator in the schema is read; an unknown one is an error at its place', () => {
  const dir = path.join(tmp, 'allockeys');
  write('allockeys/.failpath.json', [
    '{ "profiles": ["libc", "glib"], "allocators": [',
    '  { "name": "apr_palloc", "failure": "null", "ownedBy": "pool" },',
    '  { "name": "str_intern", "failure": "aborts", "nullIfArgNull": 0 },',
    '  { "name": "map_region", "failure": "map-failed", "resource": "mapping", "release": ["unmap_region"] },',
    '  { "name": "my_alloc", "failure": "null", "freeWith": "my_free" }',
    '] }',
  ].join('\n') + '\n');
  write('allockeys/a.c', [
    'int handle(void *pool, char **out, int x) {',
    '  char *tmp = apr_palloc(pool, 64);',
    '  if (!tmp) return -1;',
    '  if (x) return -1;', // pool memory: no leak on this error path
    '  *out = tmp; return 0;',
    '}',
    'int intern(const char *s, char **out) {',
    '  char *i = str_intern(s);',
    '  if (!i) return -1;', // NULL for a NULL `s`: a live test
    '  *out = i; return 0;',
    '}',
    'int intern_default(char **out) {',
    '  char *i = str_intern("default");',
    '  if (!i) return -1;', // a literal is never NULL: dead
    '  *out = i; return 0;',
    '}',
    '',
  ].join('\n'));
  const r = run([dir, '--format', 'json']);
  assert.match(r.stderr, /\.failpath\.json:5:\d+: error: "allocators\[3\]\.freeWith": unknown allocator key "freeWith"/);
  const findings = JSON.parse(r.stdout).findings.map((f: { line: number; rule: string }) => `${f.line}:${f.rule}`);
  assert.deepEqual(findings, ['14:dead-oom-check']);
});

test('a malformed or missing cppcheck library is a configuration error at its place; the rest still applies', () => {
  const dir = path.join(tmp, 'badcfg');
  write('badcfg/.failpath.json', '{\n  "cppcheckLibraries": ["good.cfg", "cfg/broken.cfg", "missing.cfg", "not-def.cfg"]\n}\n');
  write('badcfg/good.cfg', '<?xml version="1.0"?>\n<def format="2">\n  <memory><alloc>make_thing</alloc><dealloc>end_thing</dealloc></memory>\n</def>\n');
  write('badcfg/cfg/broken.cfg', '<def format="2">\n  <memory>\n    <alloc>other_thing</alloc>\n  </resource>\n</def>\n');
  write('badcfg/not-def.cfg', '<library><memory><alloc>third_thing</alloc></memory></library>');
  write('badcfg/a.c', 'void *make_thing(void);\nvoid *other_thing(void);\nvoid *third_thing(void);\nvoid f(void) { char *p = make_thing(); p[0] = 1; }\nvoid g(void) { char *q = other_thing(); q[0] = 1; char *r = third_thing(); r[0] = 1; }\n');
  const r = run([dir, '--format', 'json']);
  assert.match(r.stderr, /broken\.cfg:4:3: error: "cppcheckLibraries\[1\]": not a cppcheck library: <\/resource> does not close <memory>/);
  assert.match(r.stderr, /\.failpath\.json:2:\d+: error: "cppcheckLibraries\[2\]": cannot read cppcheck library .*missing\.cfg: ENOENT/);
  assert.match(r.stderr, /not-def\.cfg:1:1: error: "cppcheckLibraries\[3\]": not a cppcheck library: the root element is <library>/);
  assert.equal(r.status, 1, r.stderr);
  const findings = JSON.parse(r.stdout).findings.map((f: { line: number; rule: string }) => `${f.line}:${f.rule}`);
  assert.deepEqual(findings.sort(), ['4:leak', '4:unchecked-alloc'], 'make_thing from the good library, nothing from the broken ones');
});

test('cppcheck library XML: entities, comments and CDATA are read; a DTD, bad entities and bad arguments are errors', () => {
  const dir = path.join(tmp, 'xmlcfg');
  write('xmlcfg/.failpath.json', '{ "cppcheckLibraries": ["lib.cfg"] }');
  write('xmlcfg/lib.cfg', "<?xml version='1.0'?>\n<!-- c -->\n<def>\n<memory><alloc arg='x'>bad_arg</alloc><alloc><![CDATA[cdata_alloc]]></alloc><dealloc>&#99;data_end</dealloc></memory>\n<function name='a &amp; b'/>\n</def>\n");
  write('xmlcfg/a.c', 'void *cdata_alloc(void);\nvoid *bad_arg(void);\nvoid f(void) { char *p = cdata_alloc(); p[0] = 1; cdata_end(p); char *q = bad_arg(); q[0] = 1; }\n');
  const r = run([dir, '--format', 'json']);
  assert.match(r.stderr, /lib\.cfg:4:9: error: "cppcheckLibraries\[0\]": <alloc arg="x">: arg must be an argument number/);
  const findings = JSON.parse(r.stdout).findings.map((f: { line: number; rule: string }) => `${f.line}:${f.rule}`);
  assert.deepEqual(findings, ['3:unchecked-alloc'], 'cdata_alloc is an allocator released by cdata_end; bad_arg is skipped');
  for (const [text, message] of [
    ['<!DOCTYPE def [<!ENTITY x "y">]><def/>', /1:1: .*document type declarations are not accepted/],
    ['<def>\n<memory><alloc>a&nbsp;</alloc></memory></def>', /2:17: .*unknown entity &nbsp;/],
    ['<def><memory a=1/></def>', /1:16: .*attribute values must be quoted/],
    ['<def>', /1:1: .*<def> is never closed/],
    ['<def/><def/>', /1:7: .*a second root element/],
  ] as const) {
    fs.writeFileSync(path.join(dir, 'lib.cfg'), text);
    assert.match(run([dir, '--format', 'json']).stderr, message, text);
  }
});

test('exclude globs and skipped directories', () => {
  write('ex/.failpath.json', '{ "exclude": ["vendor/**"] }');
  write('ex/vendor/v.c', 'void f(void) { char *p = malloc(4); *p = 0; }');
  write('ex/node_modules/n.c', 'void f(void) { char *p = malloc(4); *p = 0; }');
  write('ex/src/s.c', 'void f(void) { char *p = malloc(4); *p = 0; }');
  const report = JSON.parse(run([path.join(tmp, 'ex'), '--format', 'json']).stdout);
  assert.equal(report.stats.files, 1);
  assert.match(report.findings[0].file, /src\/s\.c$/);
});

test('bad input: binary, non-UTF-8, unbalanced, deeply nested and large files never crash', () => {
  const dir = path.join(tmp, 'bad');
  write('bad/binary.c', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3, 0, 0]));
  write('bad/latin1.c', Buffer.concat([Buffer.from('/* caf'), Buffer.from([0xe9]), Buffer.from(' */\nvoid f(void) { char *p = malloc(4); *p = 0; }\n')]));
  write('bad/unbalanced.c', '#include <stdlib.h>\nvoid g(void) {\n  char *p = malloc(4);\n  p[0] = 1;\n  if (x) {\n    free(p);\n');
  write('bad/nested.c', `int f(void) { return ${'('.repeat(20000)}1${')'.repeat(20000)}; }\nint h(void) { ${'{'.repeat(5000)} char *p = malloc(1); *p = 0; ${'}'.repeat(5000)} return 0; }\n`);
  const body = 'static int f%d(int n) { char *p = malloc(n); if (!p) return -1; p[0] = 0; free(p); return 0; }\n';
  write('bad/large.c', Array.from({ length: 60000 }, (_, i) => body.replace('%d', String(i))).join(''));
  const r = run([dir, '--format', 'json']);
  assert.equal(r.status, 1, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.stats.files, 5);
  assert.equal(report.stats.parseErrors, 1);
  assert.match(r.stderr, /binary\.c: skipped: binary file/);
  const files = report.findings.map((f: { file: string; line: number }) => `${path.basename(f.file)}:${f.line}`);
  assert.ok(files.includes('latin1.c:2'), 'a non-UTF-8 file is analysed');
  assert.ok(files.includes('unbalanced.c:4'), 'a function whose body never closes is analysed for what parsed');
  assert.ok(report.stats.bytes > 5_000_000);
});

test('facts from other files of the run: a NORETURN prototype in a header, a constant global, a constant helper', () => {
  write('proj/util.h', '#define BE(e, v) __builtin_expect(e, v)\nvoid fatal(const char *msg) NORETURN;\nextern int trace_on;\nint returns_one(void);\n');
  write('proj/util.c', 'int trace_on = 0;\nint returns_one(void) { return 1; }\n');
  write('proj/main.c', [
    '#include <stdlib.h>',
    '#include "util.h"',
    'char *grab(int n) {',
    '    char *p = malloc(n);',
    '    if (BE(p == NULL, 0))',
    '        fatal("out of memory");',
    '    p[0] = 0;',
    '    if (trace_on)',
    '        return NULL;',
    '    if (!returns_one())',
    '        return NULL;',
    '    return p;',
    '}',
    '',
  ].join('\n'));
  const together = JSON.parse(run([path.join(tmp, 'proj'), '--format', 'json']).stdout);
  assert.deepEqual(together.findings, [], 'with util.c and util.h in the run nothing is reported');
  const alone = JSON.parse(run([path.join(tmp, 'proj', 'main.c'), '--format', 'json']).stdout);
  assert.ok(alone.findings.length > 0, 'main.c alone: fatal() may return and the flags are unknown');
});
