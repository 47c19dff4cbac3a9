// Bundles the entry points with esbuild (CLI, language server, VS Code client) and the tests; copies the wasm.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const quiet = process.argv.includes('--quiet');
// --production (npm run package): minified bundles without source maps, for the .vsix.
const production = process.argv.includes('--production');
const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const exists = (p) => fs.existsSync(path.join(root, p));

fs.mkdirSync(path.join(root, 'dist'), { recursive: true });
for (const [pkg, file] of [['web-tree-sitter', 'tree-sitter.wasm'], ['tree-sitter-c', 'tree-sitter-c.wasm']]) {
  fs.copyFileSync(require.resolve(`${pkg}/${file}`), path.join(root, 'dist', file));
}

// web-tree-sitter's ESM build reads import.meta.url; in a CommonJS bundle it is this file's URL.
const importMeta = { define: { 'import.meta.url': '__importMetaUrl' }, banner: { js: "const __importMetaUrl = require('url').pathToFileURL(__filename).href;" } };
const common = { ...importMeta, bundle: true, platform: 'node', mainFields: ['module', 'main'], target: 'node20', format: 'cjs', sourcemap: !production, minify: production, logLevel: quiet ? 'error' : 'info', absWorkingDir: root };
const entries = [
  ['server/src/cli/main.ts', 'dist/cli.js', { banner: { js: '#!/usr/bin/env node\n' + importMeta.banner.js } }],
  ['server/src/lsp/main.ts', 'dist/server.js', {}],
  ['client/src/extension.ts', 'dist/client.js', { external: ['vscode'] }],
].filter(([src]) => exists(src));
await Promise.all(entries.map(([src, out, extra]) => esbuild.build({ ...common, entryPoints: [src], outfile: out, ...extra })));

// Tests: one bundle per test file, dependencies left in node_modules.
const tests = [];
const walk = (dir) => {
  for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.join(dir, e.name);
    if (e.isDirectory() && e.name !== 'fixtures') walk(rel);
    else if (/\.test\.ts$/.test(e.name)) tests.push(rel);
  }
};
if (exists('test')) walk('test');
const benches = exists('bench') ? fs.readdirSync(path.join(root, 'bench')).filter((f) => f.endsWith('.ts')).map((f) => `bench/${f}`) : [];
benches.push('scripts/gen-docs.ts');
if (tests.length + benches.length) {
  fs.rmSync(path.join(root, 'out'), { recursive: true, force: true });
  await esbuild.build({ ...common, entryPoints: [...tests, ...benches], outdir: 'out', outbase: '.', packages: 'external' });
}
// The extension-host suite (mocha bundled in, `vscode` from the host), its code-server harness and its
// @vscode/test-electron launcher.
if (exists('test/vscode-suite/index.ts')) {
  const suite = { ...common, external: ['vscode'] };
  await Promise.all([
    esbuild.build({ ...suite, entryPoints: ['test/vscode-suite/index.ts'], outfile: 'out/vscode-suite/index.js' }),
    esbuild.build({ ...suite, entryPoints: ['test/vscode-suite/harness.ts'], outfile: 'out/vscode-suite/harness/harness.js' }),
    esbuild.build({ ...common, entryPoints: ['test/vscode-suite/run-electron.ts'], outfile: 'out/vscode-suite/run-electron.js', packages: 'external' }),
  ]);
  fs.copyFileSync(path.join(root, 'test/vscode-suite/harness/package.json'), path.join(root, 'out/vscode-suite/harness/package.json'));
}
fs.chmodSync(path.join(root, 'dist', 'cli.js'), 0o755);
