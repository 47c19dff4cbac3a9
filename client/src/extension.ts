// The VS Code side of Failpath: starts the language server (dist/server.js, stdio) and adds the UI — the language
// status item, the failure-path highlight, the workspace audit report. No analysis happens here.
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions, type Diagnostic as LspDiagnostic } from 'vscode-languageclient/node';
import {
  AUDIT_REQUEST, EXPORT_REQUEST, STATUS_NOTIFICATION,
  type AuditParams, type AuditReport, type ExportParams, type StatusParams,
} from '../../server/src/lsp/protocol';
import type { Simulation } from '../../server/src/engine/simulate';
import { renderAuditReport } from './audit-report';

let client: LanguageClient | undefined;
const SELECTOR = [{ scheme: 'file', language: 'c' }, { scheme: 'file', language: 'cpp' }];

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Failpath', { log: true });
  const status = vscode.languages.createLanguageStatusItem('failpath.status', SELECTOR);
  status.name = 'Failpath';
  status.text = 'Failpath';
  status.command = { title: 'Show log', command: 'failpath.showOutput' };
  const auditDiagnostics = vscode.languages.createDiagnosticCollection('failpath-audit');
  const pathHighlight = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('diffEditor.removedLineBackground'),
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.errorForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Left,
  });
  let highlighted: vscode.Uri | undefined;
  context.subscriptions.push(output, status, auditDiagnostics, pathHighlight);

  const start = async () => {
    const serverModule = context.asAbsolutePath('dist/server.js');
    const serverOptions: ServerOptions = {
      run: { module: serverModule, transport: TransportKind.stdio },
      debug: { module: serverModule, transport: TransportKind.stdio, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: SELECTOR,
      outputChannel: output,
      synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/.failpath.json') },
      diagnosticPullOptions: { onChange: true, onSave: true },
      initializationOptions: {
        settings: vscode.workspace.getConfiguration('failpath'),
        storagePath: context.storageUri?.fsPath,
        trusted: vscode.workspace.isTrusted,
      },
    };
    client = new LanguageClient('failpath', 'Failpath', serverOptions, clientOptions);
    client.onNotification(STATUS_NOTIFICATION, (s: StatusParams) => {
      const budget = vscode.workspace.getConfiguration('failpath').get<number>('timeBudgetMs', 300);
      status.text = `Failpath: ${s.ms} ms`;
      status.detail = `${s.findings} findings · ${s.reanalysed} of ${s.functions} functions analysed afresh`;
      status.severity = s.ms > budget ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
      if (s.ms > budget) status.detail += ` · over the ${budget} ms budget`;
    });
    await client.start();
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('failpath.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('failpath.restartServer', async () => {
      await client?.stop();
      await start();
      void vscode.window.setStatusBarMessage('Failpath: server restarted', 3000);
    }),
    vscode.commands.registerCommand('failpath.showFailurePath', async (uriText?: string, sims?: Simulation[]) => {
      const editor = vscode.window.activeTextEditor;
      if (!sims) {
        // From the command palette: the allocation on the cursor's line.
        if (!editor || !client) return;
        uriText = editor.document.uri.toString();
        sims = await client.sendRequest<Simulation[]>('failpath/simulateFailure', { textDocument: { uri: uriText }, position: { line: editor.selection.active.line, character: 0 } });
      } else if (client && uriText && sims.length) {
        // The lens carries this file's callers; the request adds those of the workspace's other files.
        const full = await client.sendRequest<Simulation[]>('failpath/simulateFailure', { textDocument: { uri: uriText }, position: { line: sims[0].at.line, character: 0 } }).catch(() => undefined);
        if (full?.length) sims = full;
      }
      if (!sims?.length) {
        void vscode.window.showInformationMessage('Failpath: no allocation on this line.');
        return;
      }
      const uri = vscode.Uri.parse(uriText!);
      const target = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString()) ?? (await vscode.window.showTextDocument(uri));
      const sim = sims[0];
      const lines = sim.paths[0]?.lines ?? [];
      target.setDecorations(pathHighlight, lines.map((l) => new vscode.Range(l, 0, l, 0)));
      highlighted = uri;
      type Item = vscode.QuickPickItem & { line?: number; file?: string };
      const items: Item[] = [{ label: sim.summary, kind: vscode.QuickPickItemKind.Separator }];
      sim.paths.forEach((p, i) => items.push({
        label: `$(debug-step-over) path ${i + 1}: lines ${p.lines.map((l) => l + 1).join(' → ')}`,
        description: p.via === 'crash' ? `dereferences NULL at line ${p.crashAt!.line + 1}` : `${p.via === 'end' ? 'falls off the end' : `returns ${p.returns ?? ''}`}${p.leaks.length ? `, leaks ${p.leaks.map((x) => x.name).join(', ')}` : ''}`,
        line: p.exitAt.line,
      }));
      if (sim.callers.length) items.push({ label: 'callers', kind: vscode.QuickPickItemKind.Separator });
      for (const c of sim.callers) {
        const use = c.use === 'tests' ? 'tests the result' : c.use === 'passes-on' ? 'passes it on' : 'does not test the result';
        items.push({ label: `$(call-incoming) ${c.function}()`, description: c.file ? `${use} — ${vscode.workspace.asRelativePath(c.file)}` : use, line: c.at.line, file: c.file });
      }
      const picked = await vscode.window.showQuickPick(items, { title: `If ${sim.callee}() fails in ${sim.function}()`, placeHolder: 'the highlighted lines run; pick one to go there' });
      if (picked?.line === undefined) return;
      const at = new vscode.Range(picked.line, 0, picked.line, 0);
      if (picked.file) await vscode.window.showTextDocument(vscode.Uri.file(picked.file), { selection: at });
      else target.revealRange(at, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    }),
    // Limited mode ends when the user trusts the workspace: the server learns it at start.
    vscode.workspace.onDidGrantWorkspaceTrust(() => void vscode.commands.executeCommand('failpath.restartServer')),
    vscode.workspace.onDidChangeTextDocument((e) => {
      // The highlighted path belongs to the text it was computed for.
      if (highlighted && e.document.uri.toString() === highlighted.toString() && e.contentChanges.length) {
        for (const ed of vscode.window.visibleTextEditors) if (ed.document.uri.toString() === highlighted.toString()) ed.setDecorations(pathHighlight, []);
        highlighted = undefined;
      }
    }),
    vscode.commands.registerCommand('failpath.openRuleDoc', async (rule?: string) => {
      const ids = ['unchecked-alloc', 'use-before-check', 'leak-on-error-path', 'leak', 'wrong-failure-check', 'realloc-leak', 'failure-swallowed', 'dead-oom-check', 'unmatched-suppression'];
      const id = typeof rule === 'string' ? rule : await vscode.window.showQuickPick(ids, { title: 'Failpath rule' });
      if (!id) return;
      await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(context.asAbsolutePath(`docs/rules/${id}.md`)));
    }),
    vscode.commands.registerCommand('failpath.auditWorkspace', async () => {
      if (!vscode.workspace.isTrusted) {
        void vscode.window.showWarningMessage('Failpath: the workspace audit needs a trusted workspace. Open files are still analysed.');
        return;
      }
      if (!client) return;
      const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
      const filesExclude = Object.entries(vscode.workspace.getConfiguration('files').get<Record<string, boolean>>('exclude') ?? {}).filter(([, on]) => on).map(([glob]) => glob);
      const report = await client.sendRequest<AuditReport>(AUDIT_REQUEST, { folders, filesExclude } satisfies AuditParams);
      if (report.cancelled) return;
      // Open files have their own (live) diagnostics; the audit fills the Problems panel for the rest.
      const open = new Set(vscode.workspace.textDocuments.map((d) => d.uri.toString()));
      auditDiagnostics.clear();
      for (const f of report.files) {
        if (open.has(f.uri)) continue;
        auditDiagnostics.set(vscode.Uri.parse(f.uri), await client.protocol2CodeConverter.asDiagnostics(f.diagnostics as LspDiagnostic[]));
      }
      const panel = vscode.window.createWebviewPanel('failpath.audit', 'Failpath audit', vscode.ViewColumn.Active, { enableScripts: true });
      panel.webview.html = renderAuditReport(report, folders, panel.webview.cspSource);
      panel.webview.onDidReceiveMessage(async (m: { export?: ExportParams['format'] }) => {
        if (!m.export || !client) return;
        const text = await client.sendRequest<string>(EXPORT_REQUEST, { format: m.export } satisfies ExportParams);
        const target = await vscode.window.showSaveDialog({
          defaultUri: vscode.Uri.joinPath(vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file('.'), m.export === 'sarif' ? 'failpath.sarif' : 'failpath-audit.md'),
          filters: m.export === 'sarif' ? { SARIF: ['sarif', 'json'] } : { Markdown: ['md'] },
        });
        if (target) await vscode.workspace.fs.writeFile(target, Buffer.from(text, 'utf8'));
      });
    }),
  );
  await start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
