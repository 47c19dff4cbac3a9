// The simulated-failure CodeLens (DESIGN §7): listed cheaply (one per allocation site of the last analysis),
// resolved lazily with the outcome in a few words; clicking runs `failpath.showFailurePath`.
import type { CodeLens } from 'vscode-languageserver/node';
import type { Engine } from '../engine/analyze';
import { allocationCalls } from '../engine/dataflow/site';
import type { ConstantFacts } from '../engine/dataflow/facts';
import { simulateFailure, type Simulation } from '../engine/simulate';
import type { Analysis } from './open-document';
import { rangeOf } from './diagnostics';

export interface LensData {
  uri: string;
  version: number;
  line: number;
}

export const SHOW_FAILURE_PATH = 'failpath.showFailurePath';

export function listLenses(engine: Engine, uri: string, analysis: Analysis): CodeLens[] {
  const p = analysis.prepared;
  const catalogue = engine.catalogueFor(p.config);
  const lines = new Map<number, CodeLens>();
  for (const fn of p.analysed) {
    for (const call of allocationCalls(fn.body, catalogue)) {
      if (lines.has(call.line)) continue;
      const data: LensData = { uri, version: analysis.version, line: call.line };
      lines.set(call.line, { range: rangeOf({ line: call.line, col: call.col, endLine: call.line, endCol: call.col }), data });
    }
  }
  return [...lines.values()].sort((a, b) => a.range.start.line - b.range.start.line);
}

/** `facts`: the workspace index's, as the analysis had them (the lens and `failpath/simulateFailure` agree). */
export function resolveLens(engine: Engine, lens: CodeLens, analysis: Analysis | undefined, facts?: ConstantFacts): CodeLens {
  const data = lens.data as LensData;
  if (!analysis || analysis.version !== data.version) {
    return { ...lens, command: { title: 'if this fails: (file changed, re-analysing)', command: '' } };
  }
  const sims = simulateFailure(engine, analysis.prepared, data.line, facts);
  return { ...lens, command: { title: lensTitle(sims), command: SHOW_FAILURE_PATH, arguments: [data.uri, sims] } };
}

export function lensTitle(sims: Simulation[]): string {
  if (sims.length === 0) return 'if this fails: (not followed)';
  if (sims.length === 1) return sims[0].summary;
  return sims.map((s) => `${s.callee}: ${s.summary.replace(/^if this fails: /, '')}`).join(' · ').replace(/^/, 'if this fails: ');
}
