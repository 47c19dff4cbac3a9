/// <reference types="mocha" />
// The extension-host suite: the installed extension driven through the VS Code API (mocha). The same suite runs
// under @vscode/test-electron (`npm run test:vscode`, where VS Code can be downloaded) and inside code-server
// (test/vscode/code-server.test.ts, through the harness extension).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(what: string, get: () => T | PromiseLike<T>, ok: (v: T) => boolean, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

export function defineSuite(): void {
  describe('Failpath in the extension host', () => {
    let uri: vscode.Uri;

    before(async () => {
      [uri] = await vscode.workspace.findFiles('**/libc/confparse.c', undefined, 1);
      assert.ok(uri, 'the workspace is examples/');
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    });

    it('reports the findings of confparse.c with rule codes and related locations', async () => {
      const diags = await waitFor('diagnostics', () => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'failpath'), (d) => d.length >= 5);
      const codes = diags.map((d) => `${d.range.start.line + 1}:${typeof d.code === 'object' ? d.code.value : d.code}`).sort();
      assert.deepEqual(codes, ['172:unchecked-alloc', '218:realloc-leak', '265:use-before-check', '360:leak', '424:wrong-failure-check']);
      assert.ok(diags.every((d) => (d.relatedInformation ?? []).length > 0));
    });

    it('lists a simulated-failure CodeLens above each allocation', async () => {
      const lenses = await waitFor('lenses', () => vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100), (l) => (l ?? []).some((x) => x.range.start.line === 169 && !!x.command));
      const lens = lenses.find((x) => x.range.start.line === 169)!;
      assert.equal(lens.command!.title, 'if this fails: NULL dereference at line 172');
      assert.equal(lens.command!.command, 'failpath.showFailurePath');
    });

    it('offers a verified quick fix that removes the finding when applied', async () => {
      const diag = vscode.languages.getDiagnostics(uri).find((d) => d.source === 'failpath' && d.range.start.line === 171)!;
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diag.range, vscode.CodeActionKind.QuickFix.value);
      const fix = actions.find((a) => a.isPreferred);
      assert.equal(fix?.title, 'Test the result of malloc() for failure');
      assert.ok(actions.some((a) => a.title === 'Ignore unchecked-alloc on this line'));
      assert.ok(await vscode.workspace.applyEdit(fix!.edit!));
      await waitFor('the finding to go', () => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'failpath').length, (n) => n === 4);
      await vscode.commands.executeCommand('undo');
    });

    it('answers failpath.showFailurePath and the rule-doc command without errors', async () => {
      const editor = await vscode.window.showTextDocument(uri);
      editor.selection = new vscode.Selection(169, 0, 169, 0);
      const shown = vscode.commands.executeCommand('failpath.showFailurePath');
      await sleep(500);
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      await shown;
    });
  });
}
