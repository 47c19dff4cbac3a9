// The extension in a real VS Code: the built .vsix installed into code-server (VS Code 1.100 in the browser),
// driven by Playwright in Debian's Chromium as a user would — squiggle, Problems entry, a quick fix applied with the
// keyboard, the simulated-failure CodeLens clicked, Audit Workspace run. Screenshots go to out/artifacts/.
// `.ci/run` installs code-server (scripts/install-code-server.sh, cached) and Chromium; without them the test is
// skipped and says why.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as net from 'node:net';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import type { BrowserContext, Page, Locator } from 'playwright-core';

const root = path.resolve(__dirname, '..', '..', '..'); // out/test/vscode → the repository
const cacheDir = process.env.FAILPATH_CI_CACHE ?? path.join(os.homedir(), '.cache', 'failpath-ci');
const entry = process.env.CODE_SERVER_ENTRY ?? path.join(cacheDir, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';
const vsix = path.join(root, 'out', 'failpath.vsix');
const artifacts = path.join(root, 'out', 'artifacts');
const skip = !fs.existsSync(entry) ? `code-server is not installed (scripts/install-code-server.sh ${path.dirname(path.dirname(path.dirname(path.dirname(path.dirname(entry)))))})`
  : !fs.existsSync(chromium) ? 'chromium is not installed (apt-get install chromium)'
  : !fs.existsSync(vsix) ? 'out/failpath.vsix is missing (npm test packages it)' : false;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timeout waiting for ${url}`);
}

interface CodeServer {
  page: Page;
  tmp: string;
  stop(): Promise<void>;
}

/** A fresh code-server with the .vsix installed (and optionally the suite harness), on a copy of examples/, and
 *  Chromium showing it. */
async function launch(options: { harnessOut?: string } = {}): Promise<CodeServer> {
  const { chromium: browserType } = await import('playwright-core');
  fs.mkdirSync(artifacts, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-vscode-'));
  const userData = path.join(tmp, 'user-data');
  const extensions = path.join(tmp, 'extensions');
  const ws = path.join(tmp, 'examples');
  fs.cpSync(path.join(root, 'examples'), ws, { recursive: true });
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none', 'security.workspace.trust.enabled': false, 'telemetry.telemetryLevel': 'off',
    'update.mode': 'none', 'extensions.autoUpdate': false, 'extensions.autoCheckUpdates': false,
    'extensions.ignoreRecommendations': true, 'workbench.enableExperiments': false, 'workbench.tips.enabled': false,
    'git.enabled': false, 'editor.codeLens': true, 'files.autoSave': 'off', 'workbench.editor.enablePreview': false,
  }));
  const config = path.join(tmp, 'config.yaml');
  fs.writeFileSync(config, 'auth: none\n');
  const common = ['--config', config, '--user-data-dir', userData, '--extensions-dir', extensions];
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_CONFIG_HOME: path.join(tmp, 'xdg-config'), XDG_DATA_HOME: path.join(tmp, 'xdg-data'), XDG_CACHE_HOME: path.join(tmp, 'xdg-cache') };
  if (options.harnessOut) {
    // Copied before the .vsix is installed: after that, folders not listed in extensions.json do not load.
    fs.cpSync(path.join(root, 'out', 'vscode-suite', 'harness'), path.join(extensions, 'failpath-tests.failpath-suite-harness-0.0.1'), { recursive: true });
    fs.copyFileSync(path.join(root, 'out', 'vscode-suite', 'index.js'), path.join(extensions, 'failpath-tests.failpath-suite-harness-0.0.1', 'index.js'));
    env.FAILPATH_SUITE_OUT = options.harnessOut;
  }
  execFileSync(process.execPath, [entry, ...common, '--install-extension', vsix], { env, stdio: 'pipe' });
  const port = await freePort();
  const log = fs.openSync(path.join(tmp, 'code-server.log'), 'w');
  const server: ChildProcess = spawn(process.execPath, [entry, ...common, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    '--disable-proxy', '--ignore-last-opened', ws], { stdio: ['ignore', log, log], detached: true, env });
  let context: BrowserContext | undefined;
  const stop = async () => {
    await context?.close();
    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      try {
        process.kill(-server.pid!, signal);
      } catch {
        // gone
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  };
  try {
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, 60_000);
    context = await browserType.launchPersistentContext(path.join(tmp, 'chromium'), {
      executablePath: chromium, headless: true, env, viewport: { width: 1400, height: 900 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
    });
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(ws)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    return { page, tmp, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

test('VS Code (code-server): squiggle, Problems, quick fix, CodeLens and failure path, workspace audit', { skip, timeout: 300_000 }, async () => {
  const cs = await launch();
  let passed = false;
  const page = cs.page;
  const shot = async (name: string) => page.screenshot({ path: path.join(artifacts, `vscode-${name}.png`) });
  try {
    // Open libc/confparse.c with Quick Open.
    await page.keyboard.press('Control+P');
    await page.keyboard.type('confparse.c');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'confparse.c' }).first().waitFor({ timeout: 30_000 });
    await page.keyboard.press('Enter');
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.view-lines').waitFor();

    // The squiggle (drawn only for visible lines: go to the finding first) and the Problems entry.
    const goToLine = async (line: number) => {
      await page!.keyboard.press('Control+G');
      await page!.keyboard.type(String(line));
      await page!.keyboard.press('Enter');
    };
    await editor.locator('.view-line').first().click();
    await goToLine(172);
    await editor.locator('.squiggly-warning, .squiggly-error').first().waitFor({ timeout: 90_000 });
    await page.keyboard.press('Control+Shift+M');
    const problem = page.locator('.markers-panel .monaco-list-row', { hasText: 'used without a failure test' });
    await problem.waitFor({ timeout: 30_000 });
    assert.match((await problem.getAttribute('aria-label')) ?? '', /malloc/);
    await shot('1-diagnostics');

    // The simulated-failure CodeLens.
    const lens = page.locator('.codelens-decoration', { hasText: 'if this fails: NULL dereference at line 172' });
    try {
      await lens.waitFor({ timeout: 15_000 });
    } catch {
      // Known issue (see the issue notes): in code-server 4.100 the editor sometimes never asks a provider that
      // registered after the file opened, even after workspace/codeLens/refresh. An edit makes it ask.
      await page.keyboard.press('Control+1');
      await page.keyboard.press('End');
      await page.keyboard.type(' ');
      await page.keyboard.press('Control+Z');
      await lens.waitFor({ timeout: 45_000 });
    }

    // A quick fix applied with the keyboard: back in the editor (Ctrl+1), on line 172, Ctrl+. and Enter.
    await page.keyboard.press('Control+1');
    await goToLine(172);
    await page.keyboard.press('Home'); // onto `memset`, inside the diagnostic's range
    await page.keyboard.press('Control+.');
    await page.locator('.action-widget .monaco-list-row', { hasText: 'Test the result of malloc() for failure' }).waitFor({ timeout: 30_000 });
    await shot('2-quick-fix');
    await page.keyboard.press('Enter');
    await editor.locator('.view-line', { hasText: 'if (!cfg)' }).first().waitFor({ timeout: 30_000 });
    await problem.waitFor({ state: 'detached', timeout: 60_000 });

    // The lens now tells the new outcome; clicking it highlights the path and lists the callers.
    const fixedLens: Locator = page.locator('.codelens-decoration a', { hasText: 'if this fails: returns NULL' }).first();
    await fixedLens.waitFor({ timeout: 60_000 });
    await fixedLens.click();
    await page.locator('.quick-input-widget', { hasText: 'config_read_file' }).waitFor({ timeout: 30_000 });
    assert.ok(await editor.locator('.view-overlays div[class*="ced-"]').count() > 0, 'failure-path lines are highlighted');
    await shot('3-failure-path');
    await page.keyboard.press('Escape');

    // Audit Workspace from the command palette: the report opens.
    await page.keyboard.press('F1');
    await page.keyboard.type('Failpath: Audit Workspace');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Audit Workspace' }).first().waitFor({ timeout: 30_000 });
    await page.keyboard.press('Enter');
    await page.locator('.tab', { hasText: 'Failpath audit' }).waitFor({ timeout: 120_000 });
    const report = page.frameLocator('iframe.webview').frameLocator('iframe').locator('#totals');
    await report.waitFor({ timeout: 60_000 });
    assert.match((await report.textContent()) ?? '', /\d+ findings in 8 files/);
    await shot('4-audit-report');
    passed = true;
  } catch (e) {
    await shot('failure');
    throw new Error(`${(e as Error).message}\ncode-server log: ${path.join(cs.tmp, 'code-server.log')}`);
  } finally {
    await cs.stop();
    if (passed) fs.rmSync(cs.tmp, { recursive: true, force: true }); // kept when the test failed: its log
  }
});

test('VS Code (code-server): the extension-host suite (mocha) passes', { skip, timeout: 300_000 }, async () => {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-suite-'));
  const out = path.join(outDir, 'result.json');
  // The extension host starts once a window connects; the harness then runs the suite and writes the outcome.
  const cs = await launch({ harnessOut: out });
  try {
    const end = Date.now() + 240_000;
    while (!fs.existsSync(out) && Date.now() < end) await new Promise((r) => setTimeout(r, 200));
    assert.ok(fs.existsSync(out), 'the suite reported');
    const result = JSON.parse(fs.readFileSync(out, 'utf8')) as { tests: number; failures: number; errors: string[] };
    assert.equal(result.failures, 0, result.errors.join('\n'));
    assert.ok(result.tests >= 4, `${result.tests} tests ran`);
  } finally {
    await cs.stop();
  }
  for (const dir of [cs.tmp, outDir]) fs.rmSync(dir, { recursive: true, force: true }); // kept only when the test failed
});
