// textDocument/codeAction: the core's quick fixes for the diagnostics of the queries the range touches.
// Each action names the LSP diagnostic it fixes (the same object the client was sent).
import { CodeActionKind, type CodeAction, type CodeActionParams, type TextEdit } from 'vscode-languageserver';
import type { DiagnosticsPublisher } from '../diagnostics.js';
import { guard, rangeOf, type Session } from '../session.js';

/** True when the client asked for kinds that include quick fixes (or for any kind). */
function wantsQuickFixes(only: readonly string[] | undefined): boolean {
  return !only || only.some((k) => k === CodeActionKind.QuickFix || k === CodeActionKind.Empty || CodeActionKind.QuickFix.startsWith(`${k}.`));
}

export function codeActions(s: Session, diagnostics: DiagnosticsPublisher, p: CodeActionParams): CodeAction[] {
  const uri = p.textDocument.uri;
  const m = s.documents.get(uri);
  if (!m || m.segs.length === 0 || !wantsQuickFixes(p.context.only)) return [];
  s.documents.analyse(uri, m);
  const start = m.doc.offsetAt(p.range.start);
  const end = m.doc.offsetAt(p.range.end);
  const [a, b] = m.segmentRange(start, end);
  const out: CodeAction[] = [];
  for (let k = a; k <= b; k++) {
    const ref = m.segment(k)!;
    const diags = ref.seg.diags ?? [];
    const lsp = diagnostics.ofSegment(uri, m, k);
    for (const act of s.core.codeActions(ref.text, ref.query, diags, start - ref.start, end - ref.start)) {
      const edits: TextEdit[] = act.edits.map((x) => ({ range: rangeOf(m, ref.start + x.start, ref.start + x.end), newText: x.newText }));
      const action: CodeAction = { title: act.title, kind: CodeActionKind.QuickFix, edit: { changes: { [uri]: edits } } };
      const fixed = lsp[diags.indexOf(act.diagnostic)];
      if (fixed) action.diagnostics = [fixed];
      if (act.isPreferred) action.isPreferred = true;
      out.push(action);
    }
  }
  return out;
}

export function registerCodeActions(s: Session, diagnostics: DiagnosticsPublisher): void {
  s.connection.onCodeAction(guard(s, [] as CodeAction[], (p: CodeActionParams) => codeActions(s, diagnostics, p)));
}
