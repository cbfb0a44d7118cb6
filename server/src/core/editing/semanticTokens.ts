// Semantic tokens for one query's text: every token classified by what it is in the query (metric,
// dimension, filter, enum value, keyword, time, number, string, comment, operator). Names are classified
// from the parse tree, everything else from the lexer, so broken text still gets colours.
import type { MqDocument } from '../syntax/ast.js';
import type { CatalogIndex } from '../catalog/catalogIndex.js';
import type { Syntax } from '../syntax/parser.js';
import * as T from '../syntax/lexer.js';

/** Token types in legend order; the LSP legend uses the standard names in LSP_TOKEN_TYPES. */
export const TOKEN_KINDS = ['keyword', 'metric', 'dimension', 'filter', 'enumValue', 'number', 'string', 'comment', 'operator', 'time'] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number];
/** Standard LSP token types standing for each kind (so every client theme colours them). */
export const LSP_TOKEN_TYPES: Record<TokenKind, string> = {
  keyword: 'keyword',
  metric: 'function',
  dimension: 'property',
  filter: 'parameter',
  enumValue: 'enumMember',
  number: 'number',
  string: 'string',
  comment: 'comment',
  operator: 'operator',
  time: 'regexp',
};
export const TOKEN_MODIFIERS = ['deprecated', 'readonly'] as const;

export interface SemanticToken {
  /** Offset in the text (never spans a line break). */
  start: number;
  length: number;
  kind: TokenKind;
  /** Bit set over TOKEN_MODIFIERS. */
  modifiers: number;
}

const OPERATORS = new Set([T.Comma, T.LParen, T.RParen, T.Semicolon, T.Equals, T.Less, T.LessEq, T.Greater, T.GreaterEq, T.BangEq, T.LessGreater, T.Plus, T.Minus]);

/**
 * Tokens of `text` (parsed as `doc` with the same offsets), sorted by offset. Multi-line tokens (block
 * comments) are split at line breaks.
 */
export function semanticTokens(index: CatalogIndex, syntax: Pick<Syntax, 'lex'>, text: string, doc: MqDocument): SemanticToken[] {
  const names = new Map<number, { kind: TokenKind; modifiers: number }>();
  const times: { start: number; end: number }[] = [];
  for (const q of doc.queries) {
    for (const m of q.select.metrics) names.set(m.start, { kind: 'metric', modifiers: 0 });
    for (const d of q.by?.dimensions ?? []) names.set(d.start, { kind: 'dimension', modifiers: 0 });
    for (const c of q.where?.conditions ?? []) {
      names.set(c.filter.start, { kind: 'filter', modifiers: 0 });
      const f = index.filters.get(c.filter.upper);
      for (const v of c.values) {
        if (v.kind === 'nameValue') names.set(v.start, { kind: 'enumValue', modifiers: 0 });
        if (v.kind === 'time' || (f?.valueKind === 'time' && v.kind === 'string')) times.push({ start: v.start, end: v.end });
      }
    }
    // ORDER BY and HAVING columns: dimensions as dimensions, metrics and comparison columns as metrics.
    for (const n of [...(q.orderBy?.items ?? []).map((o) => o.column), ...(q.having?.conditions ?? []).map((c) => c.column)]) {
      names.set(n.start, { kind: index.dimensions.has(n.upper) && !index.metrics.has(n.upper) ? 'dimension' : 'metric', modifiers: 0 });
    }
    for (const c of q.having?.conditions ?? []) for (const v of c.values) if (v.kind === 'nameValue') names.set(v.start, { kind: 'enumValue', modifiers: 0 });
    const target = q.compare?.target;
    if (target?.kind === 'ago') times.push({ start: target.duration.start, end: target.duration.end });
  }
  const inTime = (s: number): boolean => times.some((t) => s >= t.start && s < t.end);
  const out: SemanticToken[] = [];
  const lexed = syntax.lex(text);
  const push = (start: number, length: number, kind: TokenKind, modifiers = 0): void => {
    if (length > 0) out.push({ start, length, kind, modifiers });
  };
  for (const t of lexed.tokens) {
    const s = t.startOffset;
    const len = t.image.length;
    const type = t.tokenType;
    if (type === T.Name || type === T.DigitName) {
      const n = names.get(s);
      push(s, len, n ? n.kind : 'enumValue', n?.modifiers ?? 0);
    } else if (type === T.Now || type === T.Today) push(s, len, 'time');
    else if (type === T.Integer || type === T.Decimal) push(s, len, 'number');
    else if (type === T.Duration) push(s, len, inTime(s) ? 'time' : 'number');
    else if (type === T.SingleString || type === T.DoubleString || type === T.UnterminatedString) push(s, len, inTime(s) ? 'time' : 'string');
    else if (OPERATORS.has(type)) {
      if (type !== T.Comma && type !== T.Semicolon && type !== T.LParen && type !== T.RParen) push(s, len, inTime(s) ? 'time' : 'operator');
    } else if (T.KEYWORDS.has(type.name)) push(s, len, 'keyword');
  }
  for (const c of lexed.comments) {
    // Split at line breaks: not every client accepts multi-line tokens.
    let from = c.startOffset;
    const end = c.startOffset + c.image.length;
    for (let i = from; i < end; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 10 || ch === 13) {
        push(from, i - from, 'comment');
        if (ch === 13 && text.charCodeAt(i + 1) === 10) i++;
        from = i + 1;
      }
    }
    push(from, end - from, 'comment');
  }
  out.sort((a, b) => a.start - b.start);
  return out;
}
