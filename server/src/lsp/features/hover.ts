// textDocument/hover: the core's hover for the query under the cursor, as markdown or plain text.
import { MarkupKind, type Hover, type HoverParams } from 'vscode-languageserver';
import { plainText } from '../markup.js';
import { guard, rangeOf, type Session } from '../session.js';

export function hover(s: Session, p: HoverParams): Hover | null {
  const m = s.documents.get(p.textDocument.uri);
  if (!m) return null;
  const offset = m.doc.offsetAt(p.position);
  const ref = m.segmentAt(offset);
  if (!ref) return null;
  const h = s.core.hover(ref.query, offset - ref.start, s.now());
  if (!h) return null;
  const contents = s.client.markdown ? { kind: MarkupKind.Markdown, value: h.contents } : { kind: MarkupKind.PlainText, value: plainText(h.contents) };
  return { contents, range: rangeOf(m, ref.start + h.start, ref.start + h.end) };
}

export function registerHover(s: Session): void {
  s.connection.onHover(guard(s, null, (p: HoverParams) => hover(s, p)));
}
