// Which files a run audits: the paths given, directories walked for .c and .h files, skipping .git,
// node_modules and the `exclude` globs of the configuration that applies.
import * as fs from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import type { ConfigResolver } from '../engine/config/discovery';

const SOURCE = /\.(c|h)$/i;
const SKIP_DIRS = new Set(['.git', 'node_modules', '.hg', '.svn']);

export function collectFiles(paths: string[], configs: ConfigResolver, errors: string[]): string[] {
  const out: string[] = [];
  const matchers = new Map<string, (rel: string) => boolean>();
  const excluded = (file: string): boolean => {
    const resolved = configs.forFile(file);
    if (!resolved.file || resolved.config.exclude.length === 0) return false;
    let m = matchers.get(resolved.file);
    if (!m) matchers.set(resolved.file, (m = picomatch(resolved.config.exclude, { dot: true })));
    const rel = path.relative(path.dirname(resolved.file), path.resolve(file)).split(path.sep).join('/');
    return !rel.startsWith('..') && m(rel);
  };
  const visit = (p: string, explicit: boolean) => {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch (e) {
      errors.push(`${p}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`);
      return;
    }
    if (st.isDirectory()) {
      if (!explicit && SKIP_DIRS.has(path.basename(p))) return;
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(p, { withFileTypes: true });
      } catch (e) {
        errors.push(`${p}: ${(e as Error).message}`);
        return;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const e of entries) {
        if (e.isSymbolicLink()) continue;
        const child = path.join(p, e.name);
        if (e.isDirectory()) {
          if (!SKIP_DIRS.has(e.name) && !excluded(path.join(child, 'x.c'))) visit(child, false);
        } else if (SOURCE.test(e.name) && !excluded(child)) out.push(child);
      }
    } else if (explicit || (SOURCE.test(p) && !excluded(p))) out.push(p);
  };
  for (const p of paths) visit(p, true);
  return [...new Set(out)];
}

/** Reads a source file. Invalid UTF-8 is replaced, never fatal; a BOM is dropped; a binary file reads as NUL. */
export function readSource(file: string): string {
  const buf = fs.readFileSync(file);
  if (buf.includes(0)) return '\0';
  let text = new TextDecoder('utf-8', { fatal: false }).decode(buf);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text;
}
