// The Failpath language server (stdio): diagnostics (pull, with push for clients without it), quick fixes,
// the simulated-failure CodeLens, `failpath/simulateFailure` and the workspace audit. Started by the VS Code
// client (dist/server.js) and by `failpath lsp --stdio` for Neovim, Emacs and other clients.
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  createConnection, ProposedFeatures, StreamMessageReader, StreamMessageWriter, TextDocumentSyncKind, CodeActionKind, DiagnosticSeverity,
  DidChangeConfigurationNotification, DidChangeWatchedFilesNotification, DocumentDiagnosticReportKind, CodeLensRefreshRequest,
  type Connection, type InitializeParams, type InitializeResult, type Diagnostic,
} from 'vscode-languageserver/node';
import { Engine } from '../engine/analyze';
import type { FailpathConfig } from '../engine/config/config';
import { CONFIG_FILE } from '../engine/config/discovery';
import { callersInFile, simulateFailure } from '../engine/simulate';
import { readSource } from '../workspace/files';
import { formatSarif, type RunReport } from '../report/formats';
import { formatMarkdown } from '../report/markdown';
import { OpenDocument, type Analysis, type ProjectFacts } from './open-document';
import { NO_FACTS } from '../engine/dataflow/facts';
import { Settings, type ClientSettings, type DocumentConfig } from './settings';
import { toDiagnostic } from './diagnostics';
import { codeActions, FIX_ALL_KIND } from './code-actions';
import { listLenses, resolveLens } from './code-lens';
import { WorkspaceAudit, type AuditResult } from './audit';
import { version } from '../../../package.json';
import {
  AUDIT_REQUEST, EXPORT_REQUEST, SIMULATE_REQUEST, STATUS_NOTIFICATION,
  type AuditParams, type AuditReport, type ExportParams, type SimulateParams, type StatusParams,
} from './protocol';

/** Initialization options the VS Code client sends (other clients may send none). */
interface InitOptions {
  settings?: ClientSettings;
  /** The editor's storage for this workspace: the audit cache lives there. */
  storagePath?: string;
  /** False in an untrusted workspace: no workspace-wide audit (limited mode). */
  trusted?: boolean;
}

export function startLanguageServer(connection: Connection = createConnection(ProposedFeatures.all, new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout))): void {
  const docs = new Map<string, OpenDocument>();
  const settings = new Settings((file) => folders.find((f) => file.startsWith(f + path.sep)) ?? folders[0]);
  let engine: Engine | undefined;
  const engineReady = Engine.create().then((e) => (engine = e));
  let pull = false;
  let configurationRequests = false;
  let dynamicWatch = false;
  let dynamicConfiguration = false;
  let lensRefresh = false;
  let init: InitOptions = {};
  let clientSettings: ClientSettings = {};
  const settingsByUri = new Map<string, ClientSettings>();
  let audit: WorkspaceAudit | undefined;
  let lastAudit: AuditResult | undefined;
  let folders: string[] = [];
  const shownConfigProblems = new Set<string>();
  const published = new WeakMap<OpenDocument, Analysis>();
  const statusSent = new WeakMap<OpenDocument, Analysis>();
  /** The workspace index (facts and inferred wrappers of every file), so open files agree with the CLI. */
  let project: ProjectFacts = { facts: NO_FACTS, generation: 0 };
  let indexing: Promise<void> | undefined;
  let indexAgain = false;

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const caps = params.capabilities;
    pull = !!caps.textDocument?.diagnostic;
    configurationRequests = !!caps.workspace?.configuration;
    dynamicWatch = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    dynamicConfiguration = !!caps.workspace?.didChangeConfiguration?.dynamicRegistration;
    lensRefresh = !!caps.workspace?.codeLens?.refreshSupport;
    init = (params.initializationOptions ?? {}) as InitOptions;
    clientSettings = init.settings ?? {};
    folders = (params.workspaceFolders ?? []).map((f) => fileURLToPath(f.uri));
    if (folders.length === 0 && params.rootUri) folders = [fileURLToPath(params.rootUri)];
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        diagnosticProvider: pull ? { identifier: 'failpath', interFileDependencies: false, workspaceDiagnostics: false } : undefined,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
        codeLensProvider: { resolveProvider: true },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'failpath', version },
    };
  });

  /** Builds (or brings up to date) the workspace index in the background; not in untrusted workspaces. */
  function refreshIndex(): void {
    if (init.trusted === false || folders.length === 0) return;
    if (indexing) {
      indexAgain = true;
      return;
    }
    indexing = (async () => {
      await engineReady;
      audit ??= new WorkspaceAudit(engine!, init.storagePath);
      do {
        indexAgain = false;
        const index = await audit.index(folders, [], { report: () => undefined, cancelled: () => false, pause: editorFirst });
        const key = index && JSON.stringify(index.merged.inferred) + JSON.stringify([...index.merged.noreturn]) + (index.merged.callGraph?.hash ?? '');
        if (index) indexedFiles = index.files;
        if (index && key !== indexKey) {
          indexKey = key!;
          project = { facts: index.merged, generation: project.generation + 1 };
          reanalyseAll();
        }
      } while (indexAgain);
    })().catch((e) => connection.console.error(`workspace index: ${(e as Error).stack ?? e}`)).finally(() => {
      indexing = undefined;
    });
  }
  let indexKey = '';
  /** The C files of the last workspace index: where the simulate request looks for callers in other files. */
  let indexedFiles: string[] = [];
  /** How long after an edit the background index waits before its next file. */
  const TYPING_PAUSE_MS = 300;
  /** The background index goes on between files only when no open document is being analysed and no edit came
   *  for a moment: typing comes first (an edit that arrives while it prepares a file still waits for that file). */
  async function editorFirst(): Promise<void> {
    await new Promise((r) => setImmediate(r));
    for (;;) {
      const quiet = TYPING_PAUSE_MS - (Date.now() - lastEditAt);
      if (quiet > 0) await new Promise((r) => setTimeout(r, quiet));
      else if ([...docs.values()].some((d) => d.analysing)) await new Promise((r) => setTimeout(r, 5));
      else return;
    }
  }
  let lastEditAt = 0;

  connection.onInitialized(() => {
    refreshIndex();
    if (dynamicConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'failpath' });
    if (dynamicWatch) void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: `**/${CONFIG_FILE}` }, { globPattern: '**/*.cfg' }] });
    connection.workspace.onDidChangeWorkspaceFolders((e) => {
      const removed = new Set(e.removed.map((f) => fileURLToPath(f.uri)));
      folders = folders.filter((f) => !removed.has(f)).concat(e.added.map((f) => fileURLToPath(f.uri)));
    });
  });

  async function settingsFor(uri: string): Promise<ClientSettings> {
    if (!configurationRequests) return clientSettings;
    let s = settingsByUri.get(uri);
    if (!s) {
      s = ((await connection.workspace.getConfiguration({ scopeUri: uri, section: 'failpath' })) ?? {}) as ClientSettings;
      settingsByUri.set(uri, s);
    }
    return s;
  }

  async function configFor(doc: OpenDocument): Promise<DocumentConfig> {
    const resolved = settings.forFile(doc.file, await settingsFor(doc.uri));
    reportConfigProblems(resolved);
    return resolved;
  }

  /** Per `.failpath.json`, the cppcheck libraries its problems were last shown on. */
  const libraryProblemFiles = new Map<string, string[]>();
  /** Problems of a `.failpath.json` appear on that file, or on the cppcheck library they are in (and in the log),
   *  once per content. A library file that had problems and has none now is cleared. */
  function reportConfigProblems(c: DocumentConfig): void {
    const key = JSON.stringify(c.problems);
    if (!c.file || shownConfigProblems.has(`${c.file}|${key}`)) return;
    shownConfigProblems.add(`${c.file}|${key}`);
    const byFile = new Map<string, Diagnostic[]>([[c.file, []]]);
    for (const f of libraryProblemFiles.get(c.file) ?? []) byFile.set(f, []);
    for (const p of c.problems) {
      const list = byFile.get(p.file) ?? [];
      byFile.set(p.file, list);
      list.push({
        range: { start: { line: p.line, character: p.column }, end: { line: p.line, character: p.column + 1 } },
        severity: DiagnosticSeverity.Error, source: 'failpath', message: `${p.key ? `"${p.key}": ` : ''}${p.message} (the default is used instead)`,
      });
    }
    libraryProblemFiles.set(c.file, [...byFile].filter(([f, list]) => f !== c.file && list.length > 0).map(([f]) => f));
    for (const [file, diagnostics] of byFile) void connection.sendDiagnostics({ uri: pathToFileURL(file).toString(), diagnostics });
    for (const p of c.problems) connection.console.warn(`${p.file}:${p.line + 1}:${p.column + 1}: ${p.key ? `"${p.key}": ` : ''}${p.message}`);
  }

  async function analyse(doc: OpenDocument): Promise<{ analysis: Analysis; config: FailpathConfig }> {
    await engineReady;
    const { config } = await configFor(doc);
    const analysis = await doc.analysis(config, project);
    if (statusSent.get(doc) === analysis) return { analysis, config };
    statusSent.set(doc, analysis); // once per analysis, not per request that awaits it
    void connection.sendNotification(STATUS_NOTIFICATION, {
      uri: doc.uri, ms: Math.round(analysis.ms), functions: analysis.prepared.analysed.length,
      reanalysed: analysis.functionsReanalysed, findings: analysis.result.findings.length,
    } satisfies StatusParams);
    return { analysis, config };
  }

  /** Push mode: publish after each analysis of the latest version. */
  function publish(doc: OpenDocument): void {
    if (pull) return;
    void analyse(doc).then(({ analysis }) => {
      // Every waiter of a run gets the same analysis: publish each version once, and never a stale one.
      if (docs.get(doc.uri) !== doc || analysis.version !== doc.currentVersion || published.get(doc) === analysis) return;
      published.set(doc, analysis);
      void connection.sendDiagnostics({ uri: doc.uri, version: analysis.version, diagnostics: analysis.result.findings.map((f) => toDiagnostic(f, doc.uri)) });
    }, (e) => connection.console.error(`analysis failed: ${(e as Error).stack ?? e}`));
  }

  /** Settings or a `.failpath.json` changed: analyse the open files again. */
  function reanalyseAll(): void {
    for (const d of docs.values()) d.invalidate();
    if (pull) void connection.languages.diagnostics.refresh();
    else for (const d of docs.values()) publish(d);
    if (lensRefresh) void connection.sendRequest(CodeLensRefreshRequest.type);
  }

  connection.onDidOpenTextDocument((p) => {
    const uri = p.textDocument.uri;
    const file = uri.startsWith('file:') ? fileURLToPath(uri) : path.resolve(uri.replace(/^\w+:\/*/, '/'));
    const doc = new OpenDocument(uri, file, p.textDocument.text, p.textDocument.version, engineReady);
    docs.get(uri)?.dispose();
    docs.set(uri, doc);
    publish(doc);
    // An editor may ask for lenses while the server is still starting; once this file is analysed, ask again.
    if (lensRefresh) void analyse(doc).then(() => connection.sendRequest(CodeLensRefreshRequest.type), () => undefined);
  });
  connection.onDidChangeTextDocument((p) => {
    const doc = docs.get(p.textDocument.uri);
    if (!doc) return;
    doc.applyChanges(p.contentChanges, p.textDocument.version);
    lastEditAt = Date.now();
    publish(doc);
  });
  // A saved file may define or change a wrapper other files use.
  connection.onDidSaveTextDocument(() => refreshIndex());
  connection.onDidCloseTextDocument((p) => {
    docs.get(p.textDocument.uri)?.dispose();
    docs.delete(p.textDocument.uri);
    settingsByUri.delete(p.textDocument.uri);
    if (!pull) void connection.sendDiagnostics({ uri: p.textDocument.uri, diagnostics: [] });
  });
  connection.onDidChangeConfiguration((p) => {
    settingsByUri.clear();
    const s = (p.settings as { failpath?: ClientSettings } | undefined)?.failpath;
    if (s) clientSettings = s;
    reanalyseAll();
  });
  connection.onDidChangeWatchedFiles(() => {
    settings.reloadFiles();
    refreshIndex();
    shownConfigProblems.clear();
    reanalyseAll();
  });

  connection.languages.diagnostics.on(async (p, token) => {
    const doc = docs.get(p.textDocument.uri);
    if (!doc) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
    const { analysis } = await analyse(doc);
    if (token.isCancellationRequested) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
    return { kind: DocumentDiagnosticReportKind.Full, items: analysis.result.findings.map((f) => toDiagnostic(f, doc.uri)) };
  });

  connection.onCodeAction(async (p) => {
    const doc = docs.get(p.textDocument.uri);
    if (!doc) return [];
    const { analysis, config } = await analyse(doc);
    // A fix is checked on a copy analysed as the document was: same configuration, same workspace index.
    const facts = project.facts;
    return codeActions(engine!, doc, analysis, (text) => engine!.analyze(engine!.prepare(doc.file, text, config), facts).findings, p);
  });

  connection.onCodeLens(async (p) => {
    const doc = docs.get(p.textDocument.uri);
    if (!doc) return [];
    if ((await settingsFor(doc.uri)).codeLens?.enabled === false) return [];
    const { analysis } = await analyse(doc);
    return listLenses(engine!, doc.uri, analysis);
  });
  connection.onCodeLensResolve(async (lens) => {
    const doc = docs.get((lens.data as { uri: string }).uri);
    if (!doc) return resolveLens(engine!, lens, undefined);
    const { analysis } = await analyse(doc);
    return resolveLens(engine!, lens, analysis, project.facts);
  });

  connection.onRequest(SIMULATE_REQUEST, async (p: SimulateParams) => {
    const doc = docs.get(p.textDocument.uri);
    if (!doc) return [];
    const { analysis } = await analyse(doc);
    const sims = simulateFailure(engine!, analysis.prepared, p.position.line, project.facts);
    // The callers in the workspace's other files (an open document's current text where there is one).
    const open = new Map([...docs.values()].map((d) => [d.file, d]));
    for (const sim of sims) {
      for (const file of indexedFiles) {
        if (file === doc.file) continue;
        sim.callers.push(...callersInFile(engine!, file, open.get(file)?.currentText ?? readSource(file), sim.function));
      }
    }
    return sims;
  });

  connection.onRequest(AUDIT_REQUEST, async (p: AuditParams): Promise<AuditReport> => {
    if (init.trusted === false) throw new Error('The workspace audit needs a trusted workspace (limited mode).');
    await engineReady;
    audit ??= new WorkspaceAudit(engine!, init.storagePath);
    const progress = await connection.window.createWorkDoneProgress();
    progress.begin('Failpath: auditing the workspace', 0, 'listing files…', true);
    try {
      const result = await audit.run(p.folders ?? folders, p.filesExclude ?? [], {
        report: (done, total, file) => progress.report(Math.floor((100 * done) / Math.max(1, total)), `${Math.ceil(done / 2)}/${Math.ceil(total / 2)} files · ${path.basename(file)}`),
        cancelled: () => progress.token.isCancellationRequested,
      });
      if (!result.cancelled) {
        lastAudit = result;
        refreshIndex(); // from the cache the audit just filled
      }
      return toAuditReport(result);
    } finally {
      progress.done();
    }
  });

  connection.onRequest(EXPORT_REQUEST, (p: ExportParams): string => {
    if (!lastAudit) throw new Error('Run "Failpath: Audit Workspace" first.');
    const report: RunReport = { findings: lastAudit.findings, stats: lastAudit.stats, failures: lastAudit.failures, version };
    return p.format === 'sarif' ? formatSarif(report) : formatMarkdown(report);
  });

  connection.onShutdown(() => {
    for (const d of docs.values()) d.dispose();
    docs.clear();
  });
  connection.listen();
}

function toAuditReport(r: AuditResult): AuditReport {
  const files = new Map<string, Diagnostic[]>();
  for (const f of r.findings) {
    const uri = pathToFileURL(f.file).toString();
    let list = files.get(uri);
    if (!list) files.set(uri, (list = []));
    list.push(toDiagnostic(f, uri));
  }
  return {
    cancelled: r.cancelled,
    files: [...files].map(([uri, diagnostics]) => ({ uri, diagnostics })),
    stats: r.stats,
    failures: r.failures,
  };
}
