// Lexing a large text in chunks cut at SELECT tokens. A SELECT starts a query whatever came before it (a
// clean lexer state), so a text can be lexed piece by piece: the tokens of one chunk are used and dropped
// before the next chunk is lexed, instead of every token of a large file being alive at once.
import type { IToken } from 'chevrotain';
import type { LexResult, MqLexer } from './lexer.js';
import { Select } from './lexer.js';

/** One piece of the text, lexed. */
export interface LexedChunk extends LexResult {
  /** Offset of the chunk's first character in the whole text. */
  offset: number;
  /** The chunk's own tokens are tokens[0, stop); tokens[stop] (if any) is the SELECT the next chunk starts with. */
  stop: number;
  /** Chunk-relative offset where the next chunk starts (the chunk text's length for the last chunk). */
  cut: number;
}

/** Below this size a text is lexed in one go; above it, in chunks that restart at a SELECT. */
const CHUNK = 1 << 15;
const SELECT_LENGTH = 'SELECT'.length;

/**
 * Lexes `text` in chunks that each end just before a SELECT token (or at the end of the text), and hands
 * every chunk to `each` in order. Token offsets are relative to the chunk (add chunk.offset). An empty text
 * is one empty chunk.
 */
export function lexInChunks(lexer: MqLexer, text: string, each: (chunk: LexedChunk) => void): void {
  const n = text.length;
  let p = 0;
  let size = CHUNK;
  for (;;) {
    const chunkEnd = n - p <= size * 1.5 ? n : p + size;
    const chunkText = p === 0 && chunkEnd === n ? text : text.slice(p, chunkEnd);
    const lexed = lexer.lex(chunkText);
    if (chunkEnd >= n) {
      each({ ...lexed, offset: p, stop: lexed.tokens.length, cut: chunkText.length });
      return;
    }
    const stop = lastCertainSelect(lexed.tokens, chunkText.length);
    if (stop < 0) {
      // No SELECT to cut at: try a larger chunk.
      size *= 2;
      continue;
    }
    const cut = lexed.tokens[stop]!.startOffset;
    each({ ...lexed, offset: p, stop, cut });
    p += cut;
    size = CHUNK;
  }
}

/** Index of the last SELECT that ends well inside the chunk (a word cut by the chunk's end could go on), or -1. */
function lastCertainSelect(tokens: IToken[], length: number): number {
  for (let i = tokens.length - 1; i > 0; i--) {
    const t = tokens[i]!;
    if (t.tokenType === Select && t.startOffset + SELECT_LENGTH < length) return i;
  }
  return -1;
}

/** Offsets where queries may start: 0 and every SELECT token after it (the segments of the document model). */
export function selectOffsets(lexer: MqLexer, text: string): number[] {
  const out = [0];
  lexInChunks(lexer, text, (chunk) => {
    for (let i = 0; i < chunk.stop; i++) {
      const t = chunk.tokens[i]!;
      if (t.tokenType === Select && chunk.offset + t.startOffset > 0) out.push(chunk.offset + t.startOffset);
    }
  });
  return out;
}
