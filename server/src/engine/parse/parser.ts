// Loads web-tree-sitter and the tree-sitter-c grammar's wasm from the installed packages (never downloaded).
import * as path from 'node:path';
import * as fs from 'node:fs';
import { Parser, Language, type Tree } from 'web-tree-sitter';
import { useCursorExports } from './tree-walk';

let ready: Promise<Language> | undefined;

/** Where the wasm files are: next to the bundle (dist/, packaged extension) or in node_modules. */
function locate(file: string, pkg: string): string {
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  for (const dir of [here, path.join(here, 'wasm'), path.join(here, '..', 'dist'), path.join(here, '..', 'dist', 'wasm')]) {
    const candidate = path.join(dir, file);
    if (fs.existsSync(candidate)) return candidate;
  }
  return require.resolve(`${pkg}/${file}`, { paths: [here, process.cwd()] });
}

export function loadLanguage(): Promise<Language> {
  ready ??= (async () => {
    const runtime = locate('tree-sitter.wasm', 'web-tree-sitter');
    // The options object becomes the emscripten module: tree walks call its cursor exports directly.
    const module = { locateFile: () => runtime };
    await Parser.init(module);
    useCursorExports(module);
    return Language.load(locate('tree-sitter-c.wasm', 'tree-sitter-c'));
  })();
  return ready;
}

/** A parser for C. Parsing never fails: syntax errors become ERROR/MISSING nodes in the tree. */
export async function createCParser(): Promise<Parser> {
  const language = await loadLanguage();
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}

export type { Tree, Parser };
