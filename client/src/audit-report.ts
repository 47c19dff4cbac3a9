// The workspace audit report (a webview): totals, findings by rule and by folder as bar charts, the worst files,
// and buttons that export SARIF or Markdown (the extension saves them where the user chooses).
import type { AuditReport } from '../../server/src/lsp/protocol';

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function bars(title: string, rows: Array<[string, number]>): string {
  const max = Math.max(1, ...rows.map((r) => r[1]));
  const body = rows.map(([k, n]) => `<div class="row"><span class="label">${escapeHtml(k)}</span><span class="bar" style="width:${Math.round((100 * n) / max)}%"></span><span class="n">${n}</span></div>`).join('');
  return `<section><h2>${escapeHtml(title)}</h2>${body || '<p>none</p>'}</section>`;
}

function counted(keys: string[]): Array<[string, number]> {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

export function renderAuditReport(report: AuditReport, folders: string[], cspSource: string): string {
  const relative = (uri: string) => {
    const p = decodeURIComponent(uri.replace(/^file:\/\//, ''));
    const root = folders.find((f) => p.startsWith(f + '/'));
    return root ? p.slice(root.length + 1) : p;
  };
  const all = report.files.flatMap((f) => f.diagnostics.map((d) => ({ file: relative(f.uri), rule: String(d.code ?? '') })));
  const byFolder = counted(all.map((x) => x.file.split('/').slice(0, -1).join('/') || '.'));
  const worst = counted(all.map((x) => x.file)).slice(0, 10);
  const s = report.stats;
  const nonce = Math.random().toString(36).slice(2);
  return `<!DOCTYPE html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${cspSource} 'unsafe-inline'; script-src 'nonce-${nonce}';">
<style>
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 0 1em; }
.row { display: flex; align-items: center; gap: .5em; margin: 2px 0; }
.label { width: 18em; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.bar { height: 1em; background: var(--vscode-charts-orange, #d18616); min-width: 2px; }
.n { font-variant-numeric: tabular-nums; }
button { margin-right: .5em; }
</style></head><body>
<h1>Failpath audit</h1>
<p id="totals">${all.length} findings in ${s.files} files · ${s.functions} functions · ${s.allocationSites} allocation sites · ${s.durationMs} ms (${s.fromCache} files from the cache)</p>
<p><button id="sarif">Export SARIF</button><button id="markdown">Export Markdown</button></p>
${bars('Findings by rule', counted(all.map((x) => x.rule)))}
${bars('Findings by folder', byFolder)}
${bars('Worst files', worst)}
${report.failures.length ? `<section><h2>Not audited</h2><ul>${report.failures.map((f) => `<li>${escapeHtml(f.file ? relative(f.file) : '')} ${escapeHtml(f.reason)}</li>`).join('')}</ul></section>` : ''}
<script nonce="${nonce}">
const vscode = acquireVsCodeApi();
document.getElementById('sarif').addEventListener('click', () => vscode.postMessage({ export: 'sarif' }));
document.getElementById('markdown').addEventListener('click', () => vscode.postMessage({ export: 'markdown' }));
</script></body></html>`;
}
