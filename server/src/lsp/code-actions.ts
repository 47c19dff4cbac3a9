// Quick fixes for the diagnostics in a range, and `source.fixAll.failpath`. Every fix offered has been applied
// to a copy and re-analysed (engine/fixes/registry.ts `verifyFix`).
import { CodeActionKind, type CodeAction, type CodeActionParams, type TextEdit } from 'vscode-languageserver/node';
import type { Engine } from '../engine/analyze';
import { fixAll, fixBaseline, verifiedFixes, type CopyAnalysis, type FixBaseline } from '../engine/fixes/registry';
import type { FixEdit } from '../engine/fixes/fix';
import { positionAt } from '../engine/text-position';
import type { Analysis, OpenDocument } from './open-document';
import { findingFor, SOURCE, toDiagnostic } from './diagnostics';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.failpath`;

/** `analyse` analyses a copy of the document as its diagnostics were (same configuration and project facts). */
export function codeActions(engine: Engine, doc: OpenDocument, analysis: Analysis, analyse: CopyAnalysis, params: CodeActionParams): CodeAction[] {
  const only = params.context.only;
  const wants = (kind: string) => !only || only.some((k) => kind === k || kind.startsWith(`${k}.`));
  const actions: CodeAction[] = [];
  const text = doc.currentText;
  const tree = doc.analysedTree;
  if (wants(CodeActionKind.QuickFix) && tree) {
    const findings = analysis.result.findings;
    const catalogue = engine.catalogueFor(analysis.prepared.config, analysis.prepared.inferred);
    let baseline: FixBaseline | undefined; // a parse of the file: only when there is something to fix
    for (const d of params.context.diagnostics) {
      if (d.source !== SOURCE) continue;
      const finding = findingFor(d, findings);
      if (!finding) continue;
      for (const fix of verifiedFixes(engine, { text, tree, finding, catalogue }, (baseline ??= fixBaseline(engine, text, findings, analyse)))) {
        actions.push({
          title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [toDiagnostic(finding, doc.uri)], isPreferred: !fix.suppression,
          edit: { changes: { [doc.uri]: fix.edits.map((e) => toTextEdit(text, e)) } },
        });
      }
    }
  }
  if (wants(FIX_ALL_KIND) && only?.some((k) => FIX_ALL_KIND.startsWith(k) && k.startsWith(CodeActionKind.SourceFixAll))) {
    const fixed = fixAll(engine, text, engine.catalogueFor(analysis.prepared.config, analysis.prepared.inferred), analyse);
    if (fixed.applied > 0) {
      actions.push({
        title: `Fix all safe Failpath findings (${fixed.applied})`, kind: FIX_ALL_KIND,
        edit: { changes: { [doc.uri]: [wholeDocument(text, fixed.text)] } },
      });
    }
  }
  return actions;
}

function toTextEdit(text: string, e: FixEdit): TextEdit {
  const at = (offset: number) => {
    const { line, column } = positionAt(text, offset);
    return { line, character: column };
  };
  return { range: { start: at(e.start), end: at(e.end) }, newText: e.newText };
}

/** One edit from the first to the last changed character (keeps the undo step small). */
function wholeDocument(before: string, after: string): TextEdit {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let endB = before.length;
  let endA = after.length;
  while (endB > start && endA > start && before[endB - 1] === after[endA - 1]) {
    endB--;
    endA--;
  }
  return toTextEdit(before, { start, end: endB, newText: after.slice(start, endA) });
}
