#!/usr/bin/env node
// Scores Failpath on the probes: small files written in the profiles' styles (one directory per style, with its
// .failpath.json) to look for what cases outside the fixtures find. A line marked `expect: <rule>` should get that
// finding; every other line none. Usage: [CLI=path/to/cli.js] node bench/probes/score.mjs
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const cli = process.env.CLI || fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const report = JSON.parse(execFileSync(process.execPath, [cli, here, '--format', 'json', '--fail-on', 'none'], { maxBuffer: 64 << 20 }).toString());

const key = (file, line, rule) => `${relative(here, resolve(file))}:${line}: ${rule}`;
const found = new Set(report.findings.map((f) => key(f.file, f.line, f.rule)));
const expected = new Set();
for (const dir of readdirSync(here, { withFileTypes: true }).filter((d) => d.isDirectory())) {
  for (const name of readdirSync(join(here, dir.name)).filter((n) => n.endsWith('.c'))) {
    const file = join(here, dir.name, name);
    readFileSync(file, 'utf8').split('\n').forEach((text, i) => {
      const m = /expect: ([a-z-]+)/.exec(text);
      if (m) expected.add(key(file, i + 1, m[1]));
    });
  }
}
const missed = [...expected].filter((e) => !found.has(e)).sort();
const unexpected = [...found].filter((f) => !expected.has(f)).sort();
for (const m of missed) console.log(`missed      ${m}`);
for (const u of unexpected) console.log(`unexpected  ${u}`);
console.log(`expected ${expected.size}, found ${expected.size - missed.length}, missed ${missed.length}, unexpected ${unexpected.length}`);
