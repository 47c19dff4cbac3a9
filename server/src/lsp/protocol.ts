// Failpath's own LSP messages, shared by the server and the VS Code client (types and method names only).
import type { FileStats } from '../engine/findings';
import type { Simulation } from '../engine/simulate';

/** `failpath/simulateFailure`: the simulated failure of the allocation sites on a line (DESIGN §7). */
export const SIMULATE_REQUEST = 'failpath/simulateFailure';
export interface SimulateParams {
  textDocument: { uri: string };
  position: { line: number; character: number };
}
export type SimulateResult = Simulation[];

/** `failpath/auditWorkspace`: audits every C file of the workspace folders, with work-done progress. */
export const AUDIT_REQUEST = 'failpath/auditWorkspace';
export interface AuditParams {
  /** Folder paths (default: the workspace folders). */
  folders?: string[];
  /** The editor's `files.exclude` globs, relative to each folder. */
  filesExclude?: string[];
}
export interface AuditReport {
  cancelled: boolean;
  /** LSP diagnostics per file URI (the Problems panel). */
  files: Array<{ uri: string; diagnostics: AuditDiagnostic[] }>;
  stats: FileStats & { durationMs: number; fromCache: number };
  failures: Array<{ file: string; reason: string }>;
}
/** The part of an LSP Diagnostic the report reads. */
export interface AuditDiagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  message: string | { kind: string; value: string };
  code?: string | number;
  severity?: number;
}

/** `failpath/exportAudit`: the last audit as SARIF 2.1.0 or Markdown text (the client saves it). */
export const EXPORT_REQUEST = 'failpath/exportAudit';
export interface ExportParams {
  format: 'sarif' | 'markdown';
}

/** `failpath/status` (server → client): the last analysis of a document, for the language status item. */
export const STATUS_NOTIFICATION = 'failpath/status';
export interface StatusParams {
  uri: string;
  ms: number;
  functions: number;
  reanalysed: number;
  findings: number;
}
