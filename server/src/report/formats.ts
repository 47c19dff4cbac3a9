// Output formats: compiler-style text, JSON (DESIGN §3) and SARIF 2.1.0.
import * as path from 'node:path';
import * as crypto from 'node:crypto';
import type { Finding, FileStats } from '../engine/findings';
import { RULES } from '../engine/rules/registry';

export interface RunReport {
  findings: Finding[];
  stats: FileStats & { durationMs: number };
  /** Files that could not be used, with the reason (also counted in stats.parseErrors). */
  failures: { file: string; reason: string }[];
  version: string;
}

export const DOCS_BASE = 'https://github.com/failpath/failpath/blob/main/docs/rules/';

/** Paths relative to the working directory when they lie below it (DESIGN §3). */
export function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), path.resolve(file));
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : path.resolve(file);
}

export function formatText(r: RunReport, color: boolean): string {
  const paint = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const lines: string[] = [];
  for (const f of r.findings) {
    const sev = f.severity === 'error' ? paint('1;31', 'error') : f.severity === 'warning' ? paint('1;35', 'warning') : paint('1;36', 'note');
    lines.push(`${paint('1', `${displayPath(f.file)}:${f.span.line + 1}:${f.span.col + 1}`)}: ${sev}: ${f.message} [${f.rule}]`);
    for (const rel of f.related) lines.push(`${displayPath(rel.file)}:${rel.span.line + 1}:${rel.span.col + 1}: note: ${rel.message}`);
  }
  const n = r.findings.length;
  const s = r.stats;
  lines.push(`${n} finding${n === 1 ? '' : 's'} in ${s.files} file${s.files === 1 ? '' : 's'} (${s.functions} functions, ${s.allocationSites} allocation sites${s.parseErrors ? `, ${s.parseErrors} unusable` : ''}) in ${s.durationMs} ms`);
  return lines.join('\n') + '\n';
}

export function formatJson(r: RunReport): string {
  return JSON.stringify({
    version: '1',
    findings: r.findings.map((f) => ({
      file: displayPath(f.file), line: f.span.line + 1, column: f.span.col + 1, endLine: f.span.endLine + 1, endColumn: f.span.endCol + 1,
      rule: f.rule, severity: f.severity, message: f.message,
      ...(f.allocation ? { allocation: { line: f.allocation.span.line + 1, column: f.allocation.span.col + 1, callee: f.allocation.callee } } : {}),
      related: f.related.map((x) => ({ file: displayPath(x.file), line: x.span.line + 1, column: x.span.col + 1, message: x.message })),
    })),
    stats: r.stats,
  }, null, 2) + '\n';
}

const SARIF_LEVEL = { error: 'error', warning: 'warning', hint: 'note' } as const;

export function formatSarif(r: RunReport): string {
  const rules = RULES.map((rule) => ({
    id: rule.id,
    name: rule.id.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase()),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.doc.what.replace(/`/g, '') },
    helpUri: `${DOCS_BASE}${rule.id}.md`,
    help: { text: rule.doc.why, markdown: `${rule.doc.what}\n\n${rule.doc.why}` },
    defaultConfiguration: { level: SARIF_LEVEL[rule.severity] },
    properties: { category: rule.category, tags: [rule.category] },
  }));
  const index = new Map(RULES.map((rule, i) => [rule.id, i]));
  const location = (file: string, line: number, col: number, endLine?: number, endCol?: number) => ({
    physicalLocation: {
      artifactLocation: { uri: encodeURI(displayPath(file)), uriBaseId: path.isAbsolute(displayPath(file)) ? undefined : '%SRCROOT%' },
      region: { startLine: line + 1, startColumn: col + 1, ...(endLine !== undefined ? { endLine: endLine + 1, endColumn: (endCol ?? col) + 1 } : {}) },
    },
  });
  const results = r.findings.map((f) => {
    const rule = RULES[index.get(f.rule)!];
    // Stable across runs and unrelated edits: rule, file, the allocation's callee and the message, not line numbers.
    const fingerprint = crypto.createHash('sha256').update([f.rule, displayPath(f.file), f.allocation?.callee ?? '', f.message].join('\0')).digest('hex').slice(0, 32);
    return {
      ruleId: f.rule, ruleIndex: index.get(f.rule), level: SARIF_LEVEL[f.severity],
      message: { text: f.message },
      locations: [location(f.file, f.span.line, f.span.col, f.span.endLine, f.span.endCol)],
      relatedLocations: f.related.map((x, i) => ({ id: i + 1, ...location(x.file, x.span.line, x.span.col), message: { text: x.message } })),
      partialFingerprints: { 'failpath/v1': fingerprint },
      properties: { category: rule?.category ?? 'other' },
    };
  });
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'failpath', version: r.version, informationUri: 'https://github.com/failpath/failpath', rules } },
      originalUriBaseIds: { '%SRCROOT%': { uri: `file://${encodeURI(process.cwd().split(path.sep).join('/'))}/` } },
      results,
      invocations: [{
        executionSuccessful: true,
        toolExecutionNotifications: r.failures.map((f) => ({ level: 'error', message: { text: f.reason }, locations: [location(f.file, 0, 0)] })),
        properties: { wallSeconds: r.stats.durationMs / 1000 },
      }],
      columnKind: 'utf16CodeUnits',
    }],
  };
  return JSON.stringify(sarif, (_k, v) => (v === undefined ? undefined : v), 2) + '\n';
}
