// Findings as LSP diagnostics: rule id as `code`, the rule's doc as `codeDescription`, related locations, and
// the Unnecessary tag for dead code.
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic, type Range } from 'vscode-languageserver/node';
import { pathToFileURL } from 'node:url';
import type { Finding } from '../engine/findings';
import type { Span } from '../engine/dataflow/outcome';
import { ruleById } from '../engine/rules/registry';
import { DOCS_BASE } from '../report/formats';

export const SOURCE = 'failpath';

export function rangeOf(s: Span): Range {
  return { start: { line: s.line, character: s.col }, end: { line: s.endLine, character: s.endCol } };
}

export function toDiagnostic(f: Finding, uri: string): Diagnostic {
  const rule = ruleById(f.rule);
  return {
    range: rangeOf(f.span),
    severity: f.severity === 'error' ? DiagnosticSeverity.Error : f.severity === 'warning' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Hint,
    code: f.rule,
    codeDescription: { href: `${DOCS_BASE}${f.rule}.md` },
    source: SOURCE,
    message: f.message,
    tags: rule?.unnecessary ? [DiagnosticTag.Unnecessary] : undefined,
    relatedInformation: f.related.map((r) => ({
      location: { uri: r.file === f.file ? uri : pathToFileURL(r.file).toString(), range: rangeOf(r.span) },
      message: r.message,
    })),
  };
}

/** The finding a diagnostic from the client was made from (same rule and range). */
export function findingFor(d: Diagnostic, findings: Finding[]): Finding | undefined {
  return findings.find((f) => f.rule === d.code && f.span.line === d.range.start.line && f.span.col === d.range.start.character
    && f.span.endLine === d.range.end.line && f.span.endCol === d.range.end.character);
}
