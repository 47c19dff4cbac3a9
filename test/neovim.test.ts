// Neovim's built-in LSP client (headless, Debian's neovim) against `failpath lsp --stdio`: push diagnostics,
// a quick fix applied through Neovim's own workspace-edit code, a CodeLens resolved.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';

const root = path.resolve(__dirname, '..', '..');
const nvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
// .ci/run installs neovim; elsewhere the test says why it did not run.
const skip = nvim.status === 0 ? false : 'nvim is not installed (apt-get install neovim)';

test('Neovim: diagnostics, a quick fix applied, a CodeLens', { skip }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-nvim-'));
  const file = path.join(dir, 'list.c');
  fs.writeFileSync(file, [
    '#include <stdlib.h>', '#include <string.h>', '', 'struct node { struct node *next; int v; };', '',
    'struct node *push(struct node *head, int v)', '{', '\tstruct node *n = malloc(sizeof(*n));', '\tn->v = v;', '\tn->next = head;', '\treturn n;', '}', '',
  ].join('\n'));
  const r = spawnSync('nvim', ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${path.join(root, 'test', 'neovim', 'lsp-client.lua')}`, file], {
    cwd: dir, encoding: 'utf8', timeout: 60_000,
    env: { ...process.env, FAILPATH_CMD: `${process.execPath} ${path.join(root, 'dist', 'cli.js')} lsp --stdio`, XDG_CACHE_HOME: path.join(dir, 'cache'), XDG_STATE_HOME: path.join(dir, 'state'), XDG_CONFIG_HOME: path.join(dir, 'config') },
  });
  fs.rmSync(dir, { recursive: true, force: true });
  assert.equal(r.status, 0, `${r.stderr}\n${r.stdout}`);
  const seen = JSON.parse(r.stdout.trim().split('\n').pop()!);
  assert.deepEqual(seen.before, ['9:unchecked-alloc']);
  assert.deepEqual(seen.after, []);
  assert.match(seen.text, /\tstruct node \*n = malloc\(sizeof\(\*n\)\);\n\tif \(!n\)\n\t\treturn NULL;\n\tn->v = v;/);
  assert.equal(seen.lensLine, 7);
  assert.match(seen.lens, /^if this fails: returns NULL, nothing leaked/);
});
