#!/usr/bin/env node
// Makes a large synthetic workspace from real trees, for the memory and speed figures of a whole-workspace audit:
// the .c/.h files of the given trees are copied, tree after tree and again under a new directory, until the
// workspace holds the wanted number of lines. The copies are real code (never committed: point it at trees fetched
// for measurement).
// Usage: node bench/synthetic-workspace.mjs OUT --lines 1000000 TREE…
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const args = process.argv.slice(2);
const at = args.indexOf('--lines');
const wanted = at >= 0 ? Number(args.splice(at, 2)[1]) : 1_000_000;
const [out, ...trees] = args;
if (!out || trees.length === 0 || !Number.isFinite(wanted)) {
  console.error('usage: node bench/synthetic-workspace.mjs OUT --lines N TREE…');
  process.exit(2);
}

function sources(dir, found = []) {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, e.name);
    if (e.isDirectory() && e.name !== '.git' && e.name !== 'node_modules') sources(p, found);
    else if (e.isFile() && /\.[ch]$/.test(e.name)) found.push(p);
  }
  return found;
}

rmSync(out, { recursive: true, force: true });
const perTree = trees.map((t) => ({ tree: t, files: sources(t) }));
let lines = 0;
let files = 0;
let bytes = 0;
for (let round = 0; lines < wanted; round++) {
  for (const { tree, files: list } of perTree) {
    for (const f of list) {
      if (lines >= wanted) break;
      const target = join(out, `copy${round}`, relative(dirname(tree), f));
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(f, target);
      const text = readFileSync(f, 'latin1');
      lines += text.split('\n').length - 1;
      bytes += statSync(f).size;
      files++;
    }
  }
}
console.log(`${out}: ${files} files, ${lines} lines, ${(bytes / 1e6).toFixed(1)} MB`);
