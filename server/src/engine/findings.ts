// The engine's output: findings with 0-based spans (front ends convert: LSP keeps them, CLI/SARIF add 1).
import type { Span } from './dataflow/outcome';
import type { Severity } from './config/config';

export interface RelatedLocation {
  file: string;
  span: Span;
  message: string;
}

export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  file: string;
  span: Span;
  allocation?: { span: Span; callee: string };
  related: RelatedLocation[];
}

export interface FileStats {
  files: number;
  bytes: number;
  functions: number;
  allocationSites: number;
  parseErrors: number;
}

export function emptyStats(): FileStats {
  return { files: 0, bytes: 0, functions: 0, allocationSites: 0, parseErrors: 0 };
}

export function addStats(a: FileStats, b: FileStats): FileStats {
  return {
    files: a.files + b.files, bytes: a.bytes + b.bytes, functions: a.functions + b.functions,
    allocationSites: a.allocationSites + b.allocationSites, parseErrors: a.parseErrors + b.parseErrors,
  };
}

export function compareFindings(a: Finding, b: Finding): number {
  return a.file.localeCompare(b.file) || a.span.line - b.span.line || a.span.col - b.span.col || a.rule.localeCompare(b.rule);
}
