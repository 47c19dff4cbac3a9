// `failpath simulate FILE:LINE [--format text|json]`: the simulated-failure answer of DESIGN §7 for the
// allocation sites on one line — the same answer as the CodeLens and `failpath/simulateFailure`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../engine/analyze';
import { ConfigResolver } from '../engine/config/discovery';
import { RULE_IDS } from '../engine/rules/registry';
import { callersInFile, simulateFailure, type Simulation } from '../engine/simulate';
import { NO_FACTS } from '../engine/dataflow/facts';
import { WorkspaceAudit } from '../lsp/audit';
import { readSource } from '../workspace/files';
import { displayPath } from '../report/formats';

/** `paths`: the workspace the file belongs to (files and directories, walked as the audit does): its wrappers and
 *  facts apply, and its callers of the simulated function are listed. Without them, the file alone. */
export async function runSimulate(target: string, paths: string[], format: string, configFile: string | undefined): Promise<number> {
  const m = /^(.*):(\d+)$/.exec(target);
  if (!m) throw new Error(`simulate: expected FILE:LINE, not "${target}"`);
  const file = path.resolve(m[1]);
  const line = Number(m[2]) - 1;
  if (!fs.existsSync(file)) throw new Error(`simulate: ${m[1]}: no such file`);
  for (const p of paths) if (!fs.existsSync(p)) throw new Error(`simulate: ${p}: no such file or directory`);
  const config = new ConfigResolver(RULE_IDS, configFile).forFile(file).config;
  const engine = await Engine.create();
  const index = paths.length ? await new WorkspaceAudit(engine).index(paths.map((p) => path.resolve(p)), [], { report: () => undefined, cancelled: () => false }) : undefined;
  const facts = index?.merged ?? NO_FACTS;
  const prepared = engine.withInferred(engine.prepare(file, readSource(file), config), facts);
  const sims = simulateFailure(engine, prepared, line, facts);
  for (const s of sims) {
    for (const other of index?.files ?? []) if (other !== file) s.callers.push(...callersInFile(engine, other, readSource(other), s.function));
  }
  if (format === 'json') {
    process.stdout.write(JSON.stringify(sims.map((s) => ({ ...s, file: displayPath(s.file), callers: s.callers.map((c) => (c.file ? { ...c, file: displayPath(c.file) } : c)) })), null, 2) + '\n');
  } else {
    if (sims.length === 0) process.stdout.write(`${displayPath(file)}:${line + 1}: no allocation site on this line\n`);
    for (const s of sims) process.stdout.write(formatSimulation(s));
  }
  return sims.length ? 0 : 1;
}

export function formatSimulation(s: Simulation): string {
  const out = [`${displayPath(s.file)}:${s.at.line + 1}:${s.at.col + 1}: ${s.callee}() in ${s.function}(): ${s.summary}`];
  s.paths.forEach((p, i) => {
    out.push(`  path ${i + 1}: lines ${p.lines.map((l) => l + 1).join(' → ')}`);
    if (p.releases.length) out.push(`    releases: ${p.releases.join('; ')}`);
    if (p.leaks.length) out.push(`    leaks: ${p.leaks.map((l) => `${l.name} (${l.callee}() at line ${l.allocatedAt.line + 1})`).join(', ')}`);
    if (p.via === 'crash') out.push(`    dereferences the failed result at line ${p.crashAt!.line + 1}`);
    else out.push(`    ${p.via === 'end' ? 'falls off the end' : `returns ${p.returns ?? '(nothing)'}`} at line ${p.exitAt.line + 1}`);
  });
  for (const c of s.callers) out.push(`  caller ${c.function}() at ${c.file ? `${displayPath(c.file)}:` : 'line '}${c.at.line + 1}: ${c.use === 'tests' ? 'tests the result' : c.use === 'passes-on' ? 'passes the result on' : 'does not test the result'}`);
  if (s.partial) out.push('  (the function has too many paths: only those followed are shown)');
  return out.join('\n') + '\n';
}
