// The cursor-situation classifier: what may be typed at an offset of one query's text.
//
// It works on broken text (the query being typed is almost always incomplete): it lexes only the text
// of the query before the cursor and walks the tokens back to the clause and condition the cursor is in.
// It never parses; completion uses its answer, and hover and the other features use the parse tree.
import type { IToken, TokenType } from 'chevrotain';
import * as T from './lexer.js';
import type { LexResult } from './lexer.js';

export type Situation =
  /** Nothing before the cursor in this query: SELECT or a whole query. */
  | { kind: 'start' }
  /** A metric is expected (after SELECT or a comma in the SELECT list). */
  | { kind: 'metric' }
  /** A metric has been written: a comma or the next clause keyword. */
  | { kind: 'afterMetric' }
  | { kind: 'dimension' }
  | { kind: 'afterDimension' }
  /** A filter name is expected (after WHERE or AND). */
  | { kind: 'filter' }
  /** A filter has been written: its operator. */
  | { kind: 'operator'; filter: string }
  /** A value of `filter` is expected. `inList` after `IN (` or a comma inside it. */
  | { kind: 'value'; filter: string; operator: string; inList: boolean }
  /** A duration after `now -`, `today +`, `'2026-01-01' -`. */
  | { kind: 'duration'; filter: string }
  /** A time base has been written (`now`): an offset or the end of the condition. */
  | { kind: 'afterTime'; filter: string; inList: boolean }
  /** A value inside `IN (...)` has been written: a comma or `)`. */
  | { kind: 'afterListValue'; filter: string }
  /** `filter IN` without the parenthesis. */
  | { kind: 'openList'; filter: string }
  /** `filter BETWEEN a`: AND. */
  | { kind: 'betweenAnd'; filter: string }
  /** A complete condition: AND, ORDER BY, LIMIT. */
  | { kind: 'afterCondition' }
  /** After COMPARE: WITH. */
  | { kind: 'compareWith' }
  /** After COMPARE WITH: PREVIOUS PERIOD or a duration and AGO. */
  | { kind: 'compareTarget' }
  /** After COMPARE WITH PREVIOUS: PERIOD. */
  | { kind: 'comparePeriod' }
  /** After COMPARE WITH 7d: AGO. */
  | { kind: 'compareAgo' }
  /** A complete COMPARE WITH clause: HAVING, ORDER BY, LIMIT. */
  | { kind: 'afterCompare' }
  /** A result column is expected after HAVING or AND in HAVING. */
  | { kind: 'havingColumn' }
  /** A HAVING column has been written: its operator. */
  | { kind: 'havingOperator'; column: string }
  /** A literal of a HAVING condition is expected (nothing is offered: numbers and text are free). */
  | { kind: 'havingValue'; column: string }
  /** A complete HAVING condition: AND, ORDER BY, LIMIT. */
  | { kind: 'afterHavingCondition' }
  /** After ORDER: BY. */
  | { kind: 'orderBy' }
  /** A result column is expected after ORDER BY or a comma. */
  | { kind: 'orderColumn' }
  /** A column has been written: ASC/DESC, comma, LIMIT. */
  | { kind: 'afterOrderColumn'; hasDirection: boolean }
  | { kind: 'limitValue' }
  /** `LIMIT n` is complete: nothing more in this query (a new query may start on a new line). */
  | { kind: 'afterLimit' }
  /** Nothing sensible can be offered (inside a string or comment, after LIMIT n, ...). */
  | { kind: 'none' };

export interface CursorInfo {
  situation: Situation;
  /** The word being typed, from `prefixStart` to the cursor (may be empty). */
  prefix: string;
  prefixStart: number;
  /** Only whitespace precedes the word on its line. */
  atLineStart: boolean;
  /** Clause keywords already present in the query before the cursor (upper case: SELECT, BY, WHERE, COMPARE WITH, HAVING, ORDER BY, LIMIT). */
  clauses: Set<string>;
  /** End of the word under the cursor (the word continues after the cursor up to here; = cursor if it does not). */
  wordEnd: number;
  /** Names already written before the cursor in the list being typed (SELECT, BY, ORDER BY or IN (...)), upper case. */
  siblings: Set<string>;
}

const WORD = /[A-Za-z0-9_]/;

function isWordChar(c: string | undefined): boolean {
  return c !== undefined && WORD.test(c);
}

const COMPARISONS = new Set<TokenType>([T.Equals, T.Less, T.LessEq, T.Greater, T.GreaterEq, T.BangEq, T.LessGreater]);
const VALUE_TOKENS = new Set<TokenType>([T.Name, T.DigitName, T.Integer, T.Duration, T.True, T.False, T.SingleString, T.DoubleString]);

function isNameLike(t: IToken): boolean {
  // Keywords used where a name fits (a half-typed word such as `IN` while typing INBOUND) count as names.
  return t.tokenType === T.Name || t.tokenType === T.DigitName;
}

function isValueToken(t: IToken): boolean {
  return VALUE_TOKENS.has(t.tokenType) || t.tokenType === T.Now || t.tokenType === T.Today;
}

/**
 * Classifies the cursor at `offset` in `text` (the text of one query, or any text whose queries start
 * with SELECT: only the part after the last SELECT before the cursor is looked at). `lex` is the syntax
 * instance's lexer (createSyntax().lex).
 */
export function classifyCursor(text: string, offset: number, lex: (text: string) => LexResult): CursorInfo {
  const at = Math.max(0, Math.min(offset, text.length));
  let prefixStart = at;
  while (prefixStart > 0 && isWordChar(text[prefixStart - 1])) prefixStart--;
  const prefix = text.slice(prefixStart, at);
  let ls = prefixStart;
  while (ls > 0 && (text[ls - 1] === ' ' || text[ls - 1] === '\t')) ls--;
  const atLineStart = ls === 0 || text[ls - 1] === '\n' || text[ls - 1] === '\r';
  let wordEnd = at;
  while (wordEnd < text.length && isWordChar(text[wordEnd])) wordEnd++;
  const clauses = new Set<string>();
  const siblings = new Set<string>();
  const info = (situation: Situation): CursorInfo => ({ situation, prefix, prefixStart, atLineStart, clauses, wordEnd, siblings });

  const toks = queryTokensBefore(lex(text.slice(0, at)), at, prefixStart);
  if (toks === 'none' || toks === 'start') return info({ kind: toks });
  // The current clause: the last clause keyword.
  let clause = 'SELECT';
  let clauseAt = 0;
  for (let i = 0; i < toks.length; i++) {
    const name = clauseKeyword(toks, i);
    if (name) {
      clause = name;
      clauseAt = i;
      clauses.add(name);
    }
  }
  const { situation, written } = classifyInClause(clause, toks.slice(clauseAt + 1));
  // The names of the list being typed count as already written.
  for (const t of written) if (isNameLike(t) || VALUE_TOKENS.has(t.tokenType)) siblings.add(t.image.replace(/^['"]|['"]$/g, '').toUpperCase());
  return info(situation);
}

/**
 * The tokens of the query the cursor is in, from its SELECT to just before the word being typed; 'none'
 * inside a comment or a string, 'start' when no query has begun.
 */
function queryTokensBefore(lexed: LexResult, at: number, prefixStart: number): IToken[] | 'none' | 'start' {
  for (const c of lexed.comments) {
    const end = c.startOffset + c.image.length;
    if (end >= at && c.startOffset < at) {
      if (c.tokenType === T.LineComment || c.tokenType === T.UnterminatedBlockComment || end > at) return 'none';
    }
  }
  const all = lexed.tokens;
  const lastTok = all[all.length - 1];
  if (lastTok && (lastTok.tokenType === T.UnterminatedString || ((lastTok.tokenType === T.SingleString || lastTok.tokenType === T.DoubleString) && lastTok.startOffset + lastTok.image.length > at))) {
    return 'none';
  }
  // Tokens before the word being typed, from the last SELECT on (a `;` ends a query).
  let end = all.length;
  while (end > 0 && all[end - 1]!.startOffset >= prefixStart) end--;
  let begin = end;
  while (begin > 0 && all[begin - 1]!.tokenType !== T.Select && all[begin - 1]!.tokenType !== T.Semicolon) begin--;
  if (begin === 0 || all[begin - 1]!.tokenType === T.Semicolon) return 'start';
  return all.slice(begin - 1, end);
}

function clauseKeyword(toks: IToken[], i: number): string | undefined {
  const t = toks[i]!.tokenType;
  if (t === T.Select) return 'SELECT';
  if (t === T.Where) return 'WHERE';
  if (t === T.Order) return 'ORDER BY';
  if (t === T.Limit) return 'LIMIT';
  if (t === T.Compare) return 'COMPARE WITH';
  if (t === T.Having) return 'HAVING';
  if (t === T.By && (i === 0 || toks[i - 1]!.tokenType !== T.Order)) return 'BY';
  return undefined;
}

const NOTHING_WRITTEN: readonly IToken[] = [];

/** The situation in a clause from the tokens of its body before the cursor, and the list items already written. */
function classifyInClause(clause: string, body: IToken[]): { situation: Situation; written: readonly IToken[] } {
  const last = body[body.length - 1];
  const none = (situation: Situation) => ({ situation, written: NOTHING_WRITTEN });
  switch (clause) {
    case 'SELECT':
      return { situation: { kind: !last || last.tokenType === T.Comma ? 'metric' : 'afterMetric' }, written: body };
    case 'BY':
      return { situation: { kind: !last || last.tokenType === T.Comma ? 'dimension' : 'afterDimension' }, written: body };
    case 'LIMIT':
      return none(last ? { kind: last.tokenType === T.Integer && body.length === 1 ? 'afterLimit' : 'none' } : { kind: 'limitValue' });
    case 'ORDER BY': {
      if (body.length === 0 || body[0]!.tokenType !== T.By) return none(body.length === 0 ? { kind: 'orderBy' } : { kind: 'none' });
      const rest = body.slice(1);
      const l = rest[rest.length - 1];
      if (!l || l.tokenType === T.Comma) return { situation: { kind: 'orderColumn' }, written: rest };
      return { situation: { kind: 'afterOrderColumn', hasDirection: l.tokenType === T.Asc || l.tokenType === T.Desc }, written: rest };
    }
    case 'COMPARE WITH':
      return none(classifyCompare(body));
    case 'HAVING':
      return none(classifyHaving(body));
    case 'WHERE': {
      const situation = classifyCondition(body);
      if (situation.kind === 'value' && situation.inList) {
        let open = body.length - 1;
        while (open >= 0 && body[open]!.tokenType !== T.LParen) open--;
        return { situation, written: body.slice(open + 1) };
      }
      return none(situation);
    }
  }
  return none({ kind: 'none' });
}

/** The situation inside COMPARE WITH, from the tokens after COMPARE. */
function classifyCompare(body: IToken[]): Situation {
  if (body.length === 0) return { kind: 'compareWith' };
  if (body[0]!.tokenType !== T.With) return { kind: 'none' };
  const types = body.slice(1).map((t) => t.tokenType);
  if (types.length === 0) return { kind: 'compareTarget' };
  if (types.length === 1 && types[0] === T.Previous) return { kind: 'comparePeriod' };
  if (types.length === 1 && types[0] === T.Duration) return { kind: 'compareAgo' };
  const complete = types.length === 2 && ((types[0] === T.Previous && types[1] === T.Period) || (types[0] === T.Duration && types[1] === T.Ago));
  return { kind: complete ? 'afterCompare' : 'none' };
}

/**
 * The tokens of the condition being written, in WHERE or HAVING: after the last AND (or OR) that is not the
 * AND of a BETWEEN, without a leading NOT.
 */
function currentCondition(body: IToken[]): IToken[] {
  let start = 0;
  let betweenOpen = false;
  for (let i = 0; i < body.length; i++) {
    const t = body[i]!.tokenType;
    if (t === T.Between) betweenOpen = true;
    else if (t === T.And && betweenOpen) betweenOpen = false;
    else if (t === T.And || t === T.Or) {
      start = i + 1;
      betweenOpen = false;
    }
  }
  return body[start]?.tokenType === T.Not ? body.slice(start + 1) : body.slice(start);
}

/** The situation inside HAVING, from the tokens of the clause before the cursor. */
function classifyHaving(body: IToken[]): Situation {
  const cond = currentCondition(body);
  if (cond.length === 0) return { kind: 'havingColumn' };
  const column = cond[0]!;
  if (!isNameLike(column)) return { kind: 'none' };
  if (cond.length === 1) return { kind: 'havingOperator', column: column.image };
  const op = cond[1]!.tokenType;
  const rest = cond.slice(2);
  const last = rest[rest.length - 1];
  const value = { kind: 'havingValue' as const, column: column.image };
  if (COMPARISONS.has(op)) return !last || last.tokenType === T.Minus ? value : { kind: 'afterHavingCondition' };
  if (op === T.In) return last?.tokenType === T.RParen ? { kind: 'afterHavingCondition' } : value;
  if (op === T.Between) {
    const andAt = rest.findIndex((t) => t.tokenType === T.And);
    if (andAt < 0) return rest.length === 0 || last!.tokenType === T.Minus ? value : { kind: 'betweenAnd', filter: column.image };
    return andAt === rest.length - 1 || last!.tokenType === T.Minus ? value : { kind: 'afterHavingCondition' };
  }
  return { kind: 'none' };
}

/** The situation inside the WHERE clause, from the tokens of the clause before the cursor. */
function classifyCondition(body: IToken[]): Situation {
  const cond = currentCondition(body);
  if (cond.length === 0) return { kind: 'filter' };
  const f = cond[0]!;
  if (!isNameLike(f) && f.tokenType !== T.In) return { kind: 'none' };
  const filter = f.image;
  if (cond.length === 1) return { kind: 'operator', filter };
  const op = cond[1]!;
  const rest = cond.slice(2);
  if (COMPARISONS.has(op.tokenType)) {
    return afterValues(filter, op.image, rest, false) ?? { kind: 'afterCondition' };
  }
  if (op.tokenType === T.In) {
    if (rest.length === 0) return { kind: 'openList', filter };
    if (rest[0]!.tokenType !== T.LParen) return { kind: 'none' };
    if (rest[rest.length - 1]!.tokenType === T.RParen) return { kind: 'afterCondition' };
    // The item being written: after the last comma.
    let from = 1;
    for (let i = 1; i < rest.length; i++) if (rest[i]!.tokenType === T.Comma) from = i + 1;
    const item = rest.slice(from);
    if (item.length === 0) return { kind: 'value', filter, operator: 'IN', inList: true };
    return afterValues(filter, 'IN', item, true) ?? { kind: 'afterListValue', filter };
  }
  if (op.tokenType === T.Between) {
    const andAt = rest.findIndex((t) => t.tokenType === T.And);
    if (andAt < 0) {
      if (rest.length === 0) return { kind: 'value', filter, operator: 'BETWEEN', inList: false };
      return afterValues(filter, 'BETWEEN', rest, false) ?? { kind: 'betweenAnd', filter };
    }
    const second = rest.slice(andAt + 1);
    if (second.length === 0) return { kind: 'value', filter, operator: 'BETWEEN', inList: false };
    return afterValues(filter, 'BETWEEN', second, false) ?? { kind: 'afterCondition' };
  }
  return { kind: 'none' };
}

/**
 * Tokens of one value written so far (possibly a time with offsets). Undefined when the value is complete
 * and not a time (the caller decides what follows).
 */
function afterValues(filter: string, operator: string, toks: IToken[], inList: boolean): Situation | undefined {
  if (toks.length === 0) return { kind: 'value', filter, operator, inList };
  const last = toks[toks.length - 1]!;
  if (last.tokenType === T.Plus || last.tokenType === T.Minus) return { kind: 'duration', filter };
  const first = toks[0]!;
  if (!isValueToken(first)) return { kind: 'none' };
  const timeBase = first.tokenType === T.Now || first.tokenType === T.Today || first.tokenType === T.SingleString || first.tokenType === T.DoubleString;
  if (timeBase && (toks.length === 1 || last.tokenType === T.Duration)) return { kind: 'afterTime', filter, inList };
  return undefined;
}
