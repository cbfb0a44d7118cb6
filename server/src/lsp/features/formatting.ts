// textDocument/formatting and rangeFormatting: the core's formatter (which writes LF); a CRLF document keeps
// its CRLF line ends. Range formatting hands the formatter only the queries the range touches.
import type { DocumentFormattingParams, DocumentRangeFormattingParams, TextEdit } from 'vscode-languageserver';
import { guard, rangeOf, type Session } from '../session.js';

export function formatDocument(s: Session, p: DocumentFormattingParams): TextEdit[] {
  const m = s.documents.get(p.textDocument.uri);
  if (!m) return [];
  const text = m.text;
  // An already formatted document gets no edit.
  const crlf = text.includes('\r\n');
  const formatted = crlf ? s.core.format(text.replace(/\r\n/g, '\n')).replace(/\n/g, '\r\n') : s.core.format(text);
  if (formatted === text) return [];
  return [{ range: rangeOf(m, 0, text.length), newText: formatted }];
}

export function formatRange(s: Session, p: DocumentRangeFormattingParams): TextEdit[] {
  const m = s.documents.get(p.textDocument.uri);
  if (!m || m.segs.length === 0) return [];
  const start = m.doc.offsetAt(p.range.start);
  const end = m.doc.offsetAt(p.range.end);
  const [a, b] = m.segmentRange(start, end);
  const from = m.startOf(a);
  const last = m.segment(b)!;
  const slice = m.slice(from, last.start + last.seg.length);
  const crlf = m.text.includes('\r\n');
  return s.core
    .formatRange(slice, start - from, end - from)
    .map((x) => ({ range: rangeOf(m, from + x.start, from + x.end), newText: crlf ? x.newText.replace(/\r?\n/g, '\r\n') : x.newText }));
}

export function registerFormatting(s: Session): void {
  s.connection.onDocumentFormatting(guard(s, [] as TextEdit[], (p: DocumentFormattingParams) => formatDocument(s, p)));
  s.connection.onDocumentRangeFormatting(guard(s, [] as TextEdit[], (p: DocumentRangeFormattingParams) => formatRange(s, p)));
}
