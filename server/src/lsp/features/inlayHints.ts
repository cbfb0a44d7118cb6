// textDocument/inlayHint: the core's hints (the CHANNEL_CODE column the API adds, resolved relative times)
// for the queries in the requested range.
import { InlayHintKind, type InlayHint, type InlayHintParams } from 'vscode-languageserver';
import { guard, type Session } from '../session.js';

export function inlayHints(s: Session, p: InlayHintParams): InlayHint[] {
  const m = s.documents.get(p.textDocument.uri);
  if (!m || m.segs.length === 0) return [];
  const [a, b] = m.segmentRange(m.doc.offsetAt(p.range.start), m.doc.offsetAt(p.range.end));
  const out: InlayHint[] = [];
  const now = s.now();
  for (let k = a; k <= b; k++) {
    const ref = m.segment(k)!;
    const q = ref.query;
    if (!q) continue;
    for (const h of s.core.inlayHints(q, now)) {
      out.push({
        position: m.doc.positionAt(ref.start + h.offset),
        label: h.label,
        kind: h.kind === 'type' ? InlayHintKind.Type : InlayHintKind.Parameter,
        tooltip: h.tooltip,
        paddingLeft: h.paddingLeft,
      });
    }
  }
  return out;
}

export function registerInlayHints(s: Session): void {
  s.connection.languages.inlayHint.on(guard(s, [] as InlayHint[], (p: InlayHintParams) => inlayHints(s, p)));
}
