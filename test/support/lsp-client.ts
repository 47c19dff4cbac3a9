// A language client for tests: starts `failpath lsp --stdio` and talks JSON-RPC over its stdin/stdout with
// vscode-jsonrpc, as an editor would.
import * as path from 'node:path';
import * as fs from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { offsetAt } from '../../server/src/engine/text-position';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

export const ROOT = path.resolve(__dirname, '..', '..');

export interface Position { line: number; character: number }
export interface Range { start: Position; end: Position }
export interface TextEdit { range: Range; newText: string }
export interface Diagnostic {
  range: Range;
  message: string;
  code?: string;
  severity?: number;
  source?: string;
  tags?: number[];
  codeDescription?: { href: string };
  relatedInformation?: Array<{ location: { uri: string; range: Range }; message: string }>;
}

export interface ClientOptions {
  /** Advertise pull diagnostics (default true); false: the server must push. */
  pull?: boolean;
  /** Answers to `workspace/configuration` for the `failpath` section. */
  settings?: () => unknown;
  rootDir?: string;
  initializationOptions?: unknown;
}

export class TestClient {
  readonly pushed: Array<{ uri: string; version?: number; diagnostics: Diagnostic[] }> = [];
  readonly statuses: Array<{ uri: string; ms: number; reanalysed: number }> = [];
  readonly progress: unknown[] = [];
  readonly stderr: string[] = [];
  private readonly texts = new Map<string, { text: string; version: number }>();

  private constructor(readonly connection: MessageConnection, private readonly child: ChildProcess) {}

  /** The server's process id. */
  get serverPid(): number | undefined {
    return this.child.pid;
  }

  static async start(options: ClientOptions = {}): Promise<TestClient> {
    const child = spawn(process.execPath, [...(process.env.FP_SERVER_PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.FP_SERVER_PROF] : []), ...(process.env.FP_SERVER_NODE_FLAGS?.split(' ').filter(Boolean) ?? []), path.join(ROOT, 'dist', 'cli.js'), 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new TestClient(connection, child);
    child.stderr!.on('data', (d: Buffer) => client.stderr.push(d.toString()));
    connection.onNotification('textDocument/publishDiagnostics', (p: TestClient['pushed'][number]) => void client.pushed.push(p));
    connection.onNotification('failpath/status', (p: TestClient['statuses'][number]) => void client.statuses.push(p));
    connection.onNotification('$/progress', (p: unknown) => void client.progress.push(p));
    connection.onNotification('window/logMessage', () => undefined);
    connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => options.settings?.() ?? {}));
    connection.onRequest('window/workDoneProgress/create', () => null);
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest('workspace/diagnostic/refresh', () => null);
    connection.onRequest('workspace/codeLens/refresh', () => null);
    connection.listen();
    const rootDir = options.rootDir ?? path.join(ROOT, 'examples');
    await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(rootDir).toString(),
      workspaceFolders: [{ uri: pathToFileURL(rootDir).toString(), name: path.basename(rootDir) }],
      initializationOptions: options.initializationOptions,
      capabilities: {
        textDocument: {
          ...(options.pull === false ? {} : { diagnostic: { dynamicRegistration: false } }),
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } } },
          codeLens: {},
          publishDiagnostics: { relatedInformation: true, versionSupport: true, tagSupport: { valueSet: [1, 2] } },
        },
        workspace: { configuration: !!options.settings, didChangeConfiguration: { dynamicRegistration: true }, codeLens: { refreshSupport: true }, diagnostics: { refreshSupport: true } },
        window: { workDoneProgress: true },
      },
    });
    await connection.sendNotification('initialized', {});
    return client;
  }

  open(file: string, text = fs.readFileSync(file, 'utf8')): string {
    const uri = pathToFileURL(file).toString();
    this.texts.set(uri, { text, version: 1 });
    void this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'c', version: 1, text } });
    return uri;
  }

  text(uri: string): string {
    return this.texts.get(uri)!.text;
  }

  version(uri: string): number {
    return this.texts.get(uri)!.version;
  }

  /** Applies edits here and sends them as incremental changes (in reverse document order, so ranges hold). */
  edit(uri: string, edits: TextEdit[]): number {
    const doc = this.texts.get(uri)!;
    const sorted = [...edits].sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character);
    for (const e of sorted) doc.text = applyEdit(doc.text, e);
    doc.version++;
    void this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: doc.version }, contentChanges: sorted.map((e) => ({ range: e.range, text: e.newText })) });
    return doc.version;
  }

  async diagnostics(uri: string): Promise<Diagnostic[]> {
    const r = await this.connection.sendRequest<{ items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri } });
    return r.items;
  }

  async codeActions(uri: string, diagnostics: Diagnostic[], only?: string[]): Promise<Array<{ title: string; kind: string; isPreferred?: boolean; edit: { changes: Record<string, TextEdit[]> } }>> {
    const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return this.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics, only } });
  }

  async stop(): Promise<void> {
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } catch {
      // already gone
    }
    await new Promise<void>((resolve) => {
      if (this.child.exitCode !== null) return resolve();
      const t = setTimeout(() => {
        this.child.kill();
        resolve();
      }, 3000);
      this.child.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
    });
    this.connection.dispose();
  }
}

export function applyEdit(text: string, e: TextEdit): string {
  const at = (p: Position) => offsetAt(text, p.line, p.character);
  return text.slice(0, at(e.range.start)) + e.newText + text.slice(at(e.range.end));
}
