#!/usr/bin/env node
// Scores Failpath on real allocation-failure bugs fixed in public C projects (cases.json).
// Usage: MIRROR=/work/.mirror [OUT=/tmp/realbugs] [ONLY=substring] [CLI=path/to/cli.js] node bench/realbugs/run.mjs
// MIRROR holds bare git dirs as <owner>+<name>/repo. Sources are extracted to a temp dir (kept only
// when OUT is set) and never written into this repository. CLI defaults to this checkout's dist/cli.js
// (point it at a copy of dist/ to score a fixed build while dist/ is being rebuilt). A case's optional
// `profiles` field is written as a .failpath.json next to its extracted files.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const cli = process.env.CLI || fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const mirror = process.env.MIRROR || '/work/.mirror';
const root = process.env.OUT || mkdtempSync(join(tmpdir(), 'realbugs-'));
const cases = JSON.parse(readFileSync(join(here, 'cases.json'), 'utf8'))
  .filter((c) => !process.env.ONLY || `${c.project} ${c.commit} ${c.function}`.includes(process.env.ONLY));
const SIBLING = { leak: 'leak-on-error-path', 'leak-on-error-path': 'leak' };

const git = (c, ...args) => execFileSync('git', ['--git-dir', join(mirror, c.repo.replace('/', '+'), 'repo'), ...args],
  { maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'] }).toString('latin1');
function gitShow(c, rev) {
  try { return git(c, 'show', `${rev}:${c.path}`); } catch { return null; }
}
// Pre-fix line ranges the fix touched (a pure insertion after line a counts as [a, a + 1]).
function fixedLines(c) {
  try {
    return [...git(c, 'diff', '-U0', `${c.commit}^`, c.commit, '--', c.path).matchAll(/^@@ -(\d+)(?:,(\d+))? /gm)]
      .map(([, a, n]) => [+a, n === '0' ? +a + 1 : +a + (n === undefined ? 1 : +n) - 1]);
  } catch { return []; }
}
// A finding is "at the fix" when it, its allocation or one of its related exits lies within 5 lines of a hunk.
const atFix = (f, hunks) => [f.line, f.allocation?.line, ...(f.related || []).map((r) => r.line)]
  .some((l) => l && hunks.some(([a, b]) => l >= a - 5 && l <= b + 5));

// Blank out comments, string and char literals (keeping newlines) so brackets can be matched.
function mask(src) {
  return src.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*|"(?:\\[\s\S]|[^"\\\n])*"|'(?:\\[\s\S]|[^'\\\n])*'/g,
    (m) => m.replace(/[^\n]/g, ' '));
}
function match(text, i, open, close) { // index of the bracket closing the one at i
  for (let depth = 0; i < text.length; i++) {
    if (text[i] === open) depth++;
    else if (text[i] === close && --depth === 0) return i;
  }
  return -1;
}
const lineOf = (text, i) => text.slice(0, i).split('\n').length;

// Line range [start, end] of the first definition of fn: the name is preceded on its line only by
// type words, followed by a parameter list and then `{` (or K&R parameter declarations, then `{`).
function locate(src, fn) {
  if (src == null) return null;
  const text = mask(src);
  const re = new RegExp(`(^|\\n)([\\w \\t*()]*?)\\b${fn}\\s*\\(`, 'g');
  for (let m; (m = re.exec(text));) {
    if (/\b(return|else|if|while|for|switch|sizeof)\b/.test(m[2])) continue;
    const open = m.index + m[0].length - 1, close = match(text, open, '(', ')');
    if (close < 0) continue;
    const rest = text.slice(close + 1), k = rest.search(/\S/);
    let brace = -1;
    if (rest[k] === '{') brace = close + 1 + k;
    else if (/^[A-Za-z_]/.test(rest.slice(k))) { // K&R declarations or attribute macros
      const b = rest.indexOf('{');
      if (b >= 0 && !/[=(]/.test(rest.slice(0, b).replace(/__attribute__\s*\(\(.*?\)\)/g, ''))) brace = close + 1 + b;
    }
    if (brace < 0) continue;
    const end = match(text, brace, '{', '}');
    if (end > 0) return [lineOf(text, m.index + m[1].length), lineOf(text, end)];
  }
  return null;
}

function analyse(dir, files) {
  let out;
  try {
    out = execFileSync(process.execPath, [cli, ...files, '--format', 'json', '--fail-on', 'none'],
      { cwd: dir, maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  } catch (e) { return { error: (e.stderr || e.message).toString().split('\n')[0] }; }
  return { findings: JSON.parse(out).findings };
}

const fmt = (fs) => fs.map((f) => `${f.rule}@${f.line}(${f.allocation?.callee ?? '?'})`).join(', ');
const rows = [], tot = { n: 0, det: 0, onFix: 0, sib: 0, clean: 0, cleanDet: 0 }, byRule = {};
for (const c of cases) {
  const id = `${c.project}-${c.commit.slice(0, 9)}`, dir = join(root, id), name = basename(c.path);
  const srcs = { before: gitShow(c, `${c.commit}^`), after: gitShow(c, c.commit) };
  for (const side of ['before', 'after']) {
    mkdirSync(join(dir, side), { recursive: true });
    if (srcs[side] != null) writeFileSync(join(dir, side, name), srcs[side], 'latin1');
  }
  if (c.profiles) writeFileSync(join(dir, '.failpath.json'), JSON.stringify({ profiles: c.profiles }));
  const range = { before: locate(srcs.before, c.function), after: locate(srcs.after, c.function) };
  const res = analyse(dir, ['before', 'after'].filter((s) => srcs[s] != null).map((s) => `${s}/${name}`));
  const inFn = (side) => (res.findings || []).filter((f) => f.file === `${side}/${name}` && range[side]
    && f.line >= range[side][0] && f.line <= range[side][1]);
  const before = inFn('before'), after = inFn('after');
  const hunks = fixedLines(c), hits = before.filter((f) => f.rule === c.rule);
  const det = range.before && hits.length > 0, onFix = det && hits.some((f) => atFix(f, hunks));
  const sib = !det && before.some((f) => f.rule === SIBLING[c.rule]);
  const clean = range.after && !res.error && !after.some((f) => f.rule === c.rule);
  const r = (byRule[c.rule] ||= { n: 0, det: 0, onFix: 0 });
  r.n++; tot.n++;
  if (det) { r.det++; tot.det++; if (clean) tot.cleanDet++; }
  if (onFix) { tot.onFix++; r.onFix++; }
  if (sib) tot.sib++;
  if (clean) tot.clean++;
  const note = res.error ? `CLI error: ${res.error}` : !range.before ? 'function not found (before)' : !range.after ? 'function not found (after)' : '';
  const others = [before.filter((f) => f.rule !== c.rule), after].map(fmt);
  rows.push(`| ${id} ${c.function} (${c.path}:${range.before?.join('-') ?? '?'}) | ${c.rule} | ${det ? (onFix ? 'yes' : 'yes (away from the fix)') : sib ? `no (as ${SIBLING[c.rule]})` : 'no'} | ${clean ? 'yes' : 'no'} | ${[note, others[0] && `before: ${others[0]}`, others[1] && `after: ${others[1]}`].filter(Boolean).join('; ')} |`);
}
console.log('| case | rule | detected | fixed-clean | other findings |\n|---|---|---|---|---|');
console.log(rows.join('\n'));
console.log(`\n**Totals**: detected ${tot.det}/${tot.n} (${tot.onFix} of them at the lines the fix touched; ` +
  `plus ${tot.sib} reported only under the sibling leak rule); ` +
  `fixed-clean ${tot.clean}/${tot.n} (${tot.cleanDet}/${tot.det} of the detected).\n`);
console.log('| rule | detected | at the fix |\n|---|---|---|\n' + Object.entries(byRule).map(([k, v]) => `| ${k} | ${v.det}/${v.n} | ${v.onFix} |`).join('\n'));
if (!process.env.OUT) rmSync(root, { recursive: true, force: true });
