// Quick fixes for the diagnostics in a range, and `source.fixAll.failpath`. Every fix offered has been applied
// to a copy and re-analysed (engine/fixes/registry.ts `verifyFix`).
import { CodeActionKind, type CodeAction, type CodeActionParams, type TextEdit } from 'vscode-languageserver/node';
import type { Engine } from '../engine/analyze';
import type { FailpathConfig } from '../engine/config/config';
import { fixAll, verifiedFixes } from '../engine/fixes/registry';
import type { FixEdit } from '../engine/fixes/fix';
import type { Analysis, OpenDocument } from './open-document';
import { findingFor, SOURCE, toDiagnostic } from './diagnostics';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.failpath`;

export function codeActions(engine: Engine, doc: OpenDocument, analysis: Analysis, config: FailpathConfig, params: CodeActionParams): CodeAction[] {
  const only = params.context.only;
  const wants = (kind: string) => !only || only.some((k) => kind === k || kind.startsWith(`${k}.`));
  const actions: CodeAction[] = [];
  const text = doc.currentText;
  const tree = doc.analysedTree;
  if (wants(CodeActionKind.QuickFix) && tree) {
    const findings = analysis.result.findings;
    const catalogue = engine.catalogueFor(config);
    for (const d of params.context.diagnostics) {
      if (d.source !== SOURCE) continue;
      const finding = findingFor(d, findings);
      if (!finding) continue;
      for (const fix of verifiedFixes(engine, doc.file, { text, tree, finding, catalogue }, config, findings)) {
        actions.push({
          title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [toDiagnostic(finding, doc.uri)], isPreferred: !fix.suppression,
          edit: { changes: { [doc.uri]: fix.edits.map((e) => toTextEdit(text, e)) } },
        });
      }
    }
  }
  if (wants(FIX_ALL_KIND) && only?.some((k) => FIX_ALL_KIND.startsWith(k) && k.startsWith(CodeActionKind.SourceFixAll))) {
    const fixed = fixAll(engine, doc.file, text, config);
    if (fixed.applied > 0) {
      actions.push({
        title: `Fix all safe Failpath findings (${fixed.applied})`, kind: FIX_ALL_KIND,
        edit: { changes: { [doc.uri]: [wholeDocument(text, fixed.text)] } },
      });
    }
  }
  return actions;
}

function positionAt(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, character: offset - start };
}

function toTextEdit(text: string, e: FixEdit): TextEdit {
  return { range: { start: positionAt(text, e.start), end: positionAt(text, e.end) }, newText: e.newText };
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
