// textDocument/semanticTokens/full and /range. Each query's tokens are encoded once relative to its own
// start (line, character) and cached per segment here; a request only shifts them to the query's position.
import type { CancellationToken, SemanticTokens, SemanticTokensParams, SemanticTokensRangeParams } from 'vscode-languageserver';
import { TOKEN_KINDS } from '../../core/editing/semanticTokens.js';
import type { DocumentModel, Segment, SegmentRef } from '../documentModel.js';
import { guard, type Session } from '../session.js';

export class SemanticTokenCache {
  /** Encoded tokens per segment (relative line, character, length, type, modifiers), by segment identity. */
  private readonly bySegment = new WeakMap<Segment, number[]>();

  constructor(private readonly s: Session) {}

  private segmentTokens(m: DocumentModel, ref: SegmentRef): number[] {
    const cached = this.bySegment.get(ref.seg);
    if (cached) return cached;
    const out: number[] = [];
    let line = 0;
    let lineStart = 0;
    let scanned = 0;
    const text = ref.text;
    for (const t of this.s.core.semanticTokens(text, m.parseOf(ref.index))) {
      for (; scanned < t.start; scanned++) {
        const c = text.charCodeAt(scanned);
        if (c === 10 || (c === 13 && text.charCodeAt(scanned + 1) !== 10)) {
          line++;
          lineStart = scanned + 1;
        }
      }
      out.push(line, t.start - lineStart, t.length, TOKEN_KINDS.indexOf(t.kind), t.modifiers);
    }
    this.bySegment.set(ref.seg, out);
    return out;
  }

  /** LSP's delta encoding of the tokens of segments a..b; undefined when cancelled. */
  encode(m: DocumentModel, a: number, b: number, token: CancellationToken): number[] | undefined {
    const data: number[] = [];
    let prevLine = 0;
    let prevChar = 0;
    for (let k = a; k <= b; k++) {
      if ((k & 511) === 511 && token.isCancellationRequested) return undefined;
      const ref = m.segment(k);
      if (!ref) continue;
      const toks = this.segmentTokens(m, ref);
      for (let i = 0; i < toks.length; i += 5) {
        const line = ref.line + toks[i]!;
        const ch = toks[i]! === 0 ? ref.character + toks[i + 1]! : toks[i + 1]!;
        data.push(line - prevLine, line === prevLine ? ch - prevChar : ch, toks[i + 2]!, toks[i + 3]!, toks[i + 4]!);
        prevLine = line;
        prevChar = ch;
      }
    }
    return data;
  }
}

export function registerSemanticTokens(s: Session): void {
  const cache = new SemanticTokenCache(s);
  const none = (): SemanticTokens => ({ data: [] });
  s.connection.languages.semanticTokens.on(
    guard(s, none(), (p: SemanticTokensParams, token) => {
      const m = s.documents.get(p.textDocument.uri);
      if (!m || m.segs.length === 0) return none();
      return { data: cache.encode(m, 0, m.segs.length - 1, token) ?? [] };
    }),
  );
  s.connection.languages.semanticTokens.onRange(
    guard(s, none(), (p: SemanticTokensRangeParams, token) => {
      const m = s.documents.get(p.textDocument.uri);
      if (!m || m.segs.length === 0) return none();
      const [a, b] = m.segmentRange(m.doc.offsetAt(p.range.start), m.doc.offsetAt(p.range.end));
      return { data: cache.encode(m, a, b, token) ?? [] };
    }),
  );
}
