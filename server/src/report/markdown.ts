// The workspace audit as Markdown: totals, findings by rule and by folder, the worst files, every finding.
import { displayPath, type RunReport } from './formats';
import { RULES } from '../engine/rules/registry';

export function formatMarkdown(r: RunReport): string {
  const out: string[] = ['# Failpath audit', ''];
  const s = r.stats;
  out.push(`${r.findings.length} findings in ${s.files} files (${s.functions} functions, ${s.allocationSites} allocation sites), ${s.durationMs} ms, failpath ${r.version}.`, '');
  const count = (key: (f: RunReport['findings'][number]) => string) => {
    const m = new Map<string, number>();
    for (const f of r.findings) m.set(key(f), (m.get(key(f)) ?? 0) + 1);
    return [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  };
  const table = (title: string, head: string, rows: Array<[string, number]>) => {
    out.push(`## ${title}`, '', `| ${head} | findings |`, '|---|---:|');
    for (const [k, n] of rows) out.push(`| ${k} | ${n} |`);
    out.push('');
  };
  const titles = new Map(RULES.map((x) => [x.id, x.title]));
  table('By rule', 'rule', count((f) => f.rule).map(([k, n]) => [`\`${k}\` ${titles.get(k) ?? ''}`, n]));
  table('By folder', 'folder', count((f) => displayPath(f.file).split('/').slice(0, -1).join('/') || '.'));
  table('Worst files', 'file', count((f) => displayPath(f.file)).slice(0, 10));
  out.push('## Findings', '');
  for (const f of r.findings) out.push(`- ${displayPath(f.file)}:${f.span.line + 1}:${f.span.col + 1} **${f.severity}** ${f.message} [\`${f.rule}\`]`);
  for (const x of r.failures) out.push(`- ${x.file ? displayPath(x.file) + ': ' : ''}not audited: ${x.reason}`);
  return out.join('\n') + '\n';
}
