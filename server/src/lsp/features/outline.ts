// textDocument/documentSymbol (one symbol per query) and textDocument/foldingRange (multi-line queries and
// block comments), from the outline data each segment keeps after its syntax tree is dropped.
import {
  FoldingRangeKind,
  SymbolKind,
  type CancellationToken,
  type DocumentSymbol,
  type DocumentSymbolParams,
  type FoldingRange,
  type FoldingRangeParams,
  type SymbolInformation,
} from 'vscode-languageserver';
import { guard, rangeOf, type Session } from '../session.js';

/** Checked every 512 queries, so a huge document's outline can be cancelled. */
const cancelled = (k: number, token: CancellationToken): boolean => (k & 511) === 511 && token.isCancellationRequested;

export function documentSymbols(s: Session, p: DocumentSymbolParams, token: CancellationToken): DocumentSymbol[] | SymbolInformation[] {
  const m = s.documents.get(p.textDocument.uri);
  if (!m) return [];
  const tree: DocumentSymbol[] = [];
  const flat: SymbolInformation[] = [];
  for (let k = 0; k < m.segs.length; k++) {
    if (cancelled(k, token)) return [];
    const at = m.startOf(k);
    for (const q of m.outlineOf(k).symbols) {
      const range = rangeOf(m, at + q.start, at + q.end);
      if (s.client.hierarchicalSymbols) {
        tree.push({ name: q.name, detail: q.detail, kind: SymbolKind.Function, range, selectionRange: rangeOf(m, at + q.selectionStart, at + q.selectionEnd) });
      } else {
        flat.push({ name: q.name, kind: SymbolKind.Function, location: { uri: p.textDocument.uri, range } });
      }
    }
  }
  return s.client.hierarchicalSymbols ? tree : flat;
}

export function foldingRanges(s: Session, p: FoldingRangeParams, token: CancellationToken): FoldingRange[] {
  const m = s.documents.get(p.textDocument.uri);
  if (!m) return [];
  const out: FoldingRange[] = [];
  for (let k = 0; k < m.segs.length; k++) {
    if (cancelled(k, token)) return [];
    const at = m.startOf(k);
    for (const f of m.outlineOf(k).folds) {
      const startLine = m.doc.positionAt(at + f.start).line;
      const endLine = m.doc.positionAt(at + f.end).line;
      if (endLine > startLine) out.push({ startLine, endLine, kind: f.kind === 'comment' ? FoldingRangeKind.Comment : FoldingRangeKind.Region });
    }
  }
  return out;
}

export function registerOutline(s: Session): void {
  s.connection.onDocumentSymbol(guard(s, [] as DocumentSymbol[] | SymbolInformation[], (p: DocumentSymbolParams, token) => documentSymbols(s, p, token)));
  s.connection.onFoldingRanges(guard(s, [] as FoldingRange[], (p: FoldingRangeParams, token) => foldingRanges(s, p, token)));
}
