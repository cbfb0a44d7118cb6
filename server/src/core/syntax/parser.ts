// mq parser (spec §3). Never throws, whatever the input.
//
// The text is lexed in chunks cut at SELECT (chunks.ts) and cut into queries at `;` and at every SELECT
// (spec: a query ends at `;`, at the next SELECT or at the end of the file), so a broken query never
// touches its neighbours. Each query is read by the Chevrotain grammar's `query` rule (grammar.ts) on a
// parser without error recovery, which is the quick path for the usual, well-formed query. A query that
// rule rejects is read again clause by clause by the same grammar's clause rules on a recovering parser
// (recovery.ts), which reports every mistake and keeps whatever can be read.
import type { IToken } from 'chevrotain';
import * as T from './lexer.js';
import { createLexer, type LexResult, type MqLexer } from './lexer.js';
import * as chunks from './chunks.js';
import type { LexedChunk } from './chunks.js';
import { describeToken, MqGrammar, type RawHaving, type RawQuery, type RawWhere } from './grammar.js';
import { Builder, buildClause, buildComment, buildCompare, buildCondition, buildHavingCondition, buildNames, buildOrderItems, ZERO, type Origin } from './nodes.js';
import { recoverClauses, type Clauses } from './recovery.js';
import { classifyCursor, type CursorInfo } from './cursor.js';
import type { Comment, Condition, HavingClause, HavingCondition, Located, MqDocument, Name, Query, SyntaxIssue, UnsupportedKeyword, WhereClause } from './ast.js';

export type { Origin } from './nodes.js';
export { grammarSelfCheck } from './grammar.js';

/** The lexer and parser of mq, built once and reused for every text. */
export interface Syntax {
  /** Splits text into tokens; words that are keywords get their keyword type. Never throws. */
  lex(text: string): LexResult;
  /** Lexes a text in chunks cut at SELECT tokens (see chunks.ts). */
  lexInChunks(text: string, each: (chunk: LexedChunk) => void): void;
  /** Offsets where queries may start: 0 and every SELECT token after it. */
  selectOffsets(text: string): number[];
  /** What may be typed at an offset of a query's text (see cursor.ts). */
  classifyCursor(text: string, offset: number): CursorInfo;
  /**
   * Parses a whole document (or a slice of one, when origin says where the slice starts).
   * Never throws; every problem becomes a SyntaxIssue on the query it belongs to or on the document.
   */
  parseDocument(text: string, origin?: Origin): MqDocument;
  /**
   * Parses like parseDocument, but hands each query to `each` as soon as it is complete (in source order,
   * its syntax errors all attached) instead of keeping it: the returned document has no queries. A caller
   * that analyses each query in `each` and keeps nothing of it lets the syntax trees die young, which is
   * much cheaper for the garbage collector than holding every query of a large file.
   */
  parseEachQuery(text: string, each: (q: Query) => void, origin?: Origin): MqDocument;
}

/** The lexer and the two parser instances one parse uses. */
interface Parts {
  lexer: MqLexer;
  /** The grammar without recovery: reads well-formed queries, and gives up at the first error. */
  strict: MqGrammar;
  /** The grammar with recovery: reads the clauses of a query the strict parser rejected. */
  recovering: MqGrammar;
  /** Skip the whole-query rule (tests compare both ways of reading a query). */
  clauseByClause: boolean;
}

export interface SyntaxOptions {
  /** Run Chevrotain's (slow) lexer and grammar definition checks. */
  validate?: boolean;
  /**
   * Read every query clause by clause, as if the whole-query rule had rejected it. Slower; the tests use it
   * to check that both ways of reading a query give the same tree.
   */
  clauseByClause?: boolean;
}

/** Builds the lexer and the parsers once. */
export function createSyntax(options: SyntaxOptions = {}): Syntax {
  const lexer = createLexer(options);
  const parts: Parts = {
    lexer,
    strict: new MqGrammar({ recovery: false, validate: options.validate }),
    recovering: new MqGrammar({ recovery: true, validate: options.validate }),
    clauseByClause: !!options.clauseByClause,
  };
  return {
    lex: (text) => lexer.lex(text),
    lexInChunks: (text, each) => chunks.lexInChunks(lexer, text, each),
    selectOffsets: (text) => chunks.selectOffsets(lexer, text),
    classifyCursor: (text, offset) => classifyCursor(text, offset, lexer.lex),
    parseDocument: (text, origin = ZERO) => parseText(parts, text, origin, undefined),
    parseEachQuery: (text, each, origin = ZERO) => parseText(parts, text, origin, each),
  };
}

/** What a parse collects across chunks. */
interface Collected {
  comments: Comment[];
  queries: Query[];
  docErrors: SyntaxIssue[];
  commentErrors: SyntaxIssue[];
  lexDocErrors: SyntaxIssue[];
}

function parseText(parts: Parts, text: string, origin: Origin, each: ((q: Query) => void) | undefined): MqDocument {
  const b = new Builder(text, origin);
  const got: Collected = { comments: [], queries: [], docErrors: [], commentErrors: [], lexDocErrors: [] };
  // The queries of each chunk are parsed before the next chunk is lexed: the tokens of a chunk die young
  // instead of every token of the document surviving (and being copied by) the garbage collections.
  chunks.lexInChunks(parts.lexer, text, (chunk) => {
    b.shift = origin.offset + chunk.offset;
    for (const c of chunk.comments) if (c.startOffset < chunk.cut) got.comments.push(buildComment(b, c));
    got.commentErrors.push(...b.errors.splice(0));
    const first = got.queries.length;
    parseQueries(parts, b, chunk.tokens, chunk.stop, got);
    attachLexErrors(b, text, chunk, got, first);
    if (each) {
      for (let i = first; i < got.queries.length; i++) each(got.queries[i]!);
      got.queries.length = 0;
    }
  });
  const docErrors = [...got.commentErrors, ...got.docErrors, ...got.lexDocErrors];
  return { queries: got.queries, comments: got.comments, syntaxErrors: docErrors, length: text.length };
}

/**
 * Characters the lexer could not read belong to the query they appear in (one of this chunk's: the chunk
 * ends where the next one starts), or else to the document.
 */
function attachLexErrors(b: Builder, text: string, chunk: LexedChunk, got: Collected, first: number): void {
  const shift = b.origin.offset;
  for (const e of chunk.errors) {
    if (e.offset >= chunk.cut) continue;
    const offset = chunk.offset + e.offset;
    // A character outside the BMP (an emoji) is two UTF-16 units: one issue for the whole character.
    const unit = text.charCodeAt(offset);
    if (unit >= 0xdc00 && unit <= 0xdfff && offset > 0 && /[\ud800-\udbff]/.test(text[offset - 1]!) && e.offset > 0) continue;
    const ch = String.fromCodePoint(text.codePointAt(offset) ?? unit);
    const start = offset + shift;
    const code = `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
    const issue = b.node(start, start + ch.length, {
      message: `Unexpected character ${JSON.stringify(ch)} (${code}): names use letters, digits and _, text goes in quotes, and comments start with -- or /*.`,
    }) as SyntaxIssue;
    const owner = findQueryAt(got.queries, first, start);
    (owner ? owner.syntaxErrors : got.lexDocErrors).push(issue);
  }
}

/** Parses the queries (and the text between them) in tokens[0, count). */
function parseQueries(parts: Parts, b: Builder, tokens: IToken[], count: number, got: Collected): void {
  let i = 0;
  while (i < count) {
    const t = tokens[i]!;
    if (t.tokenType === T.Semicolon) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < count && tokens[j]!.tokenType !== T.Select && tokens[j]!.tokenType !== T.Semicolon) j++;
    if (t.tokenType !== T.Select) {
      // Text outside a query: report once and skip to the next query.
      b.error(`Unexpected ${describeToken(t)}: every query starts with SELECT.`, b.span(b.loc(t), b.loc(tokens[j - 1]!)));
      got.docErrors.push(...b.errors.splice(0));
      i = j;
      continue;
    }
    const query = parseQuery(parts, b, tokens, i, j, got.queries.length);
    if (j < count && tokens[j]!.tokenType === T.Semicolon) {
      const semi = b.loc(tokens[j]!);
      query.semicolon = semi;
      query.end = semi.end;
      j++;
    }
    got.queries.push(query);
    i = j;
  }
}

/** Parses the query in tokens[from, to) (tokens[from] is SELECT; a trailing `;` is not included). */
function parseQuery(parts: Parts, b: Builder, tokens: IToken[], from: number, to: number, index: number): Query {
  const errorsBefore = b.errors.length;
  const whole = parts.clauseByClause ? undefined : wholeQuery(parts.strict, b, tokens, from, to);
  const clauses = whole ?? recoverClauses(parts.recovering, b, tokens, from, to);
  const selectTok = tokens[from]!;
  const select = clauses.select ?? b.at(selectTok, selectTok, { keyword: b.keyword(selectTok), metrics: [] as Name[] });
  return b.at(selectTok, tokens[to - 1]!, {
    kind: 'query' as const,
    index,
    select,
    by: clauses.by,
    where: clauses.where,
    compare: clauses.compare,
    having: clauses.having,
    orderBy: clauses.orderBy,
    limit: clauses.limit,
    semicolon: undefined as Located | undefined,
    syntaxErrors: b.errors.splice(errorsBefore),
  });
}

/** The clauses of tokens[from, to) read by the grammar's `query` rule, or undefined when it has errors. */
function wholeQuery(p: MqGrammar, b: Builder, tokens: IToken[], from: number, to: number): Clauses | undefined {
  p.input = from === 0 && to === tokens.length ? tokens : tokens.slice(from, to);
  const raw = p.query();
  if (p.errors.length > 0 || !raw) return undefined;
  return buildClauses(b, raw);
}

/** The clause nodes of a query the grammar read without errors. */
function buildClauses(b: Builder, raw: RawQuery): Clauses {
  const last = <X>(xs: readonly X[]): X | undefined => xs[xs.length - 1];
  const clauses: Clauses = {
    select: buildClause(b, b.keyword(raw.select), last(raw.metrics), { metrics: buildNames(b, raw.metrics) }),
  };
  if (raw.by) clauses.by = buildClause(b, b.keyword(raw.by.keyword), last(raw.by.names), { dimensions: buildNames(b, raw.by.names) });
  if (raw.where) clauses.where = buildWhere(b, raw.where);
  if (raw.compare) clauses.compare = buildCompare(b, raw.compare);
  if (raw.having) clauses.having = buildHaving(b, raw.having);
  if (raw.orderBy) {
    const { order, by, items } = raw.orderBy;
    const lastItem = last(items);
    clauses.orderBy = buildClause(b, b.keyword(order, by), lastItem && (lastItem.dir ?? lastItem.name), { items: buildOrderItems(b, items) });
  }
  if (raw.limit) clauses.limit = buildClause(b, b.keyword(raw.limit.keyword), raw.limit.value, { value: b.integer(raw.limit.value) });
  return clauses;
}

function buildWhere(b: Builder, raw: RawWhere): WhereClause {
  const keyword = b.keyword(raw.keyword);
  const unsupported: UnsupportedKeyword[] = raw.ors.map((t) => b.at(t, t, { keyword: 'OR' as const }));
  const conditions: Condition[] = [];
  for (const c of raw.conditions) {
    const cond = buildCondition(b, c, c.last!, unsupported);
    if (cond) conditions.push(cond);
  }
  return buildClause(b, keyword, raw.conditions[raw.conditions.length - 1]?.last, { conditions, unsupported });
}

function buildHaving(b: Builder, raw: RawHaving): HavingClause {
  const keyword = b.keyword(raw.keyword);
  const unsupported: UnsupportedKeyword[] = raw.ors.map((t) => b.at(t, t, { keyword: 'OR' as const }));
  const conditions: HavingCondition[] = [];
  for (const c of raw.conditions) {
    const cond = buildHavingCondition(b, c, c.last!, unsupported);
    if (cond) conditions.push(cond);
  }
  return buildClause(b, keyword, raw.conditions[raw.conditions.length - 1]?.last, { conditions, unsupported });
}

/** The query of queries[from..] whose range holds offset. */
function findQueryAt(queries: Query[], from: number, offset: number): Query | undefined {
  let lo = from;
  let hi = queries.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const q = queries[mid]!;
    if (offset < q.start) hi = mid - 1;
    else if (offset >= q.end) lo = mid + 1;
    else return q;
  }
  return undefined;
}
