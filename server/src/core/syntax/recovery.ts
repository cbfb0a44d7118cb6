// The clause-by-clause parse of a query that the whole-query rule rejected. It keeps one mistake from
// hiding more than it must:
//   1. the query is cut into clauses at its clause keywords (SELECT, BY, WHERE, COMPARE, HAVING, ORDER BY,
//      LIMIT), so a
//      broken clause never hides the rest of its query, and clauses out of order or written twice get
//      their own message;
//   2. a WHERE or HAVING clause is cut into conditions at AND/OR (the AND of a BETWEEN stays with it);
//   3. each piece is read by the grammar's rule for it (grammar.ts), with Chevrotain's recovery (token
//      insertion and deletion) inside the piece. The nodes are built by the same code as for a valid query.
import type { IToken } from 'chevrotain';
import * as T from './lexer.js';
import type { MqGrammar, RawCompareTarget, RawCondition, RawHavingCondition } from './grammar.js';
import { buildClause, buildCompare, buildCondition, buildHavingCondition, buildNames, buildOrderItems, real, type Builder } from './nodes.js';
import type {
  ByClause,
  CompareClause,
  Condition,
  HavingClause,
  HavingCondition,
  LimitClause,
  Name,
  OrderByClause,
  SelectClause,
  UnsupportedKeyword,
  WhereClause,
} from './ast.js';

/** The clauses of a query, as far as they were read. */
export interface Clauses {
  select?: SelectClause;
  by?: ByClause;
  where?: WhereClause;
  compare?: CompareClause;
  having?: HavingClause;
  orderBy?: OrderByClause;
  limit?: LimitClause;
}

const CLAUSE_ORDER = ['SELECT', 'BY', 'WHERE', 'COMPARE WITH', 'HAVING', 'ORDER BY', 'LIMIT'] as const;
type ClauseName = (typeof CLAUSE_ORDER)[number];
const CLAUSE_KEY = { SELECT: 'select', BY: 'by', WHERE: 'where', 'COMPARE WITH': 'compare', HAVING: 'having', 'ORDER BY': 'orderBy', LIMIT: 'limit' } as const;

function clauseOf(tokens: IToken[], i: number, from: number): ClauseName | undefined {
  const t = tokens[i]!.tokenType;
  if (t === T.Select) return 'SELECT';
  if (t === T.Where) return 'WHERE';
  if (t === T.Compare) return 'COMPARE WITH';
  if (t === T.Having) return 'HAVING';
  if (t === T.Order) return 'ORDER BY';
  if (t === T.Limit) return 'LIMIT';
  if (t === T.By && (i === from || tokens[i - 1]!.tokenType !== T.Order)) return 'BY';
  return undefined;
}

const REPEAT_HINT: Partial<Record<ClauseName, string>> = {
  WHERE: ' Join all conditions with AND in one WHERE.',
  HAVING: ' Join all conditions with AND in one HAVING.',
  BY: ' List all dimensions in one BY, separated by commas.',
  'ORDER BY': ' List all sort columns in one ORDER BY, separated by commas.',
};

/** Reads the clauses of the query in tokens[from, to) (tokens[from] is SELECT), reporting every problem. */
export function recoverClauses(p: MqGrammar, b: Builder, tokens: IToken[], from: number, to: number): Clauses {
  /** `at`: where the clause's text starts; `keyword`: its (last written) keyword, read from there. */
  const starts: { name: ClauseName; at: number; keyword: number }[] = [];
  for (let i = from; i < to; i++) {
    const name = clauseOf(tokens, i, from);
    if (!name) continue;
    const prev = starts[starts.length - 1];
    if (prev && prev.name === name && i === prev.keyword + keywordLength(tokens, prev.keyword, to)) {
      // The same clause keyword twice in a row (ORDER BY ORDER BY): one mistake, one message.
      b.error(`${name} is written twice; remove one.`, b.loc(tokens[i]!, tokens[i + keywordLength(tokens, i, to) - 1]!));
      prev.keyword = i;
      continue;
    }
    starts.push({ name, at: i, keyword: i });
  }
  const clauses: Clauses = {};
  let highest = -1;
  for (let c = 0; c < starts.length; c++) {
    const { name, at, keyword } = starts[c]!;
    const end = c + 1 < starts.length ? starts[c + 1]!.at : to;
    const rank = CLAUSE_ORDER.indexOf(name);
    if (clauses[CLAUSE_KEY[name]]) {
      b.error(`A query has only one ${name} clause.${REPEAT_HINT[name] ?? ''}`, b.loc(tokens[at]!));
    } else if (rank < highest) {
      b.error(`${name} must come before ${CLAUSE_ORDER[highest]}: clauses go in the order ${CLAUSE_ORDER.join(', ')}.`, b.loc(tokens[at]!));
    }
    highest = Math.max(highest, rank);
    recoverClause(p, b, name, tokens, keyword, end, clauses);
  }
  return clauses;
}

/** How many tokens the clause keyword at tokens[at] has: ORDER BY and COMPARE WITH two (when written), others one. */
function keywordLength(tokens: IToken[], at: number, to: number): number {
  const t = tokens[at]!.tokenType;
  const second = at + 1 < to ? tokens[at + 1]!.tokenType : undefined;
  return (t === T.Order && second === T.By) || (t === T.Compare && second === T.With) ? 2 : 1;
}

/** Reads one clause, tokens[at, end) (tokens[at] is its keyword), into `clauses` unless it is already there. */
function recoverClause(p: MqGrammar, b: Builder, name: ClauseName, tokens: IToken[], at: number, end: number, clauses: Clauses): void {
  const kwTok = tokens[at]!;
  switch (name) {
    case 'SELECT': {
      const body = tokens.slice(at + 1, end);
      const metrics = recoverNames(p, b, kwTok, body, 'a metric (for example DELIVERED_TRAFFIC_COUNT)');
      clauses.select ??= buildClause(b, b.keyword(kwTok), body[body.length - 1], { metrics });
      return;
    }
    case 'BY': {
      const body = tokens.slice(at + 1, end);
      const dimensions = recoverNames(p, b, kwTok, body, 'a dimension (for example DAY or COUNTRY_NAME)');
      clauses.by ??= buildClause(b, b.keyword(kwTok), body[body.length - 1], { dimensions });
      return;
    }
    case 'WHERE': {
      const clause = recoverWhere(p, b, kwTok, tokens, at + 1, end);
      clauses.where ??= clause;
      return;
    }
    case 'COMPARE WITH': {
      const clause = recoverCompare(p, b, tokens, at, end);
      clauses.compare ??= clause;
      return;
    }
    case 'HAVING': {
      const clause = recoverHaving(p, b, kwTok, tokens, at + 1, end);
      clauses.having ??= clause;
      return;
    }
    case 'ORDER BY': {
      const byTok = at + 1 < end && tokens[at + 1]!.tokenType === T.By ? tokens[at + 1] : undefined;
      const clause = recoverOrderBy(p, b, kwTok, byTok, tokens.slice(at + (byTok ? 2 : 1), end));
      clauses.orderBy ??= clause;
      return;
    }
    case 'LIMIT': {
      const clause = recoverLimit(p, b, kwTok, tokens.slice(at + 1, end));
      clauses.limit ??= clause;
      return;
    }
  }
}

/** Runs one grammar rule on `unit` alone; its errors point at the unit's last token when they are at its end. */
function parseUnit<R>(p: MqGrammar, b: Builder, unit: IToken[], context: IToken, run: (p: MqGrammar) => R): R {
  p.input = unit;
  const result = run(p);
  for (const e of p.errors) {
    const at = real(e.token) ? e.token : (unit[unit.length - 1] ?? context);
    b.error(e.message, b.loc(at));
  }
  return result;
}

function recoverNames(p: MqGrammar, b: Builder, keyword: IToken, body: IToken[], what: string): Name[] {
  if (body.length === 0) {
    b.error(`Expected ${what} after ${keyword.image.toUpperCase()}.`, b.loc(keyword));
    return [];
  }
  return buildNames(b, parseUnit(p, b, body, keyword, (g) => g.nameList()) ?? []);
}

/** The grammar's condition rule; a condition broken half-way still gives what was read of it. */
function conditionRule(p: MqGrammar): RawCondition | undefined {
  p.partial = undefined;
  return p.condition() ?? p.partial;
}

/** The grammar's havingCondition rule; a condition broken half-way still gives what was read of it. */
function havingRule(p: MqGrammar): RawHavingCondition | undefined {
  p.partialHaving = undefined;
  return p.havingCondition() ?? p.partialHaving;
}

/** The grammar's compareTarget rule; a target broken half-way still gives what was read of it. */
function targetRule(p: MqGrammar): RawCompareTarget | undefined {
  p.partialTarget = undefined;
  return p.compareTarget() ?? p.partialTarget;
}

/** COMPARE [WITH] target, tokens[at, end) (tokens[at] is COMPARE). */
function recoverCompare(p: MqGrammar, b: Builder, tokens: IToken[], at: number, end: number): CompareClause {
  const compare = tokens[at]!;
  const withTok = at + 1 < end && tokens[at + 1]!.tokenType === T.With ? tokens[at + 1] : undefined;
  const body = tokens.slice(at + (withTok ? 2 : 1), end);
  const example = 'COMPARE WITH PREVIOUS PERIOD or COMPARE WITH 7d AGO';
  if (!withTok) b.error(`Expected WITH after COMPARE (write ${example}).`, b.loc(compare));
  if (body.length === 0) {
    if (withTok) b.error(`Expected PREVIOUS PERIOD or a duration followed by AGO after COMPARE WITH (for example ${example}).`, b.loc(compare, withTok));
    return buildCompare(b, { compare, with: withTok });
  }
  const target = parseUnit(p, b, body, withTok ?? compare, targetRule);
  return buildCompare(b, { compare, with: withTok, target });
}

/** How to read the conditions of one clause kind: the grammar rule, the node builder, and an example. */
interface ConditionKind<R, C> {
  rule: (p: MqGrammar) => R | undefined;
  build: (b: Builder, raw: R | undefined, last: IToken, unsupported: UnsupportedKeyword[]) => C | undefined;
  /** A condition shown in the message for an empty one ("Expected a condition after AND (for example …)"). */
  example: string;
}

const HAVING_CONDITIONS: ConditionKind<RawHavingCondition, HavingCondition> = { rule: havingRule, build: buildHavingCondition, example: 'TOTAL_TRAFFIC_COUNT > 100' };
const WHERE_CONDITIONS: ConditionKind<RawCondition, Condition> = { rule: conditionRule, build: buildCondition, example: 'channelCode = SMS' };

function recoverHaving(p: MqGrammar, b: Builder, keyword: IToken, tokens: IToken[], from: number, to: number): HavingClause {
  return recoverConditionClause(p, b, keyword, tokens, from, to, HAVING_CONDITIONS);
}

function recoverWhere(p: MqGrammar, b: Builder, keyword: IToken, tokens: IToken[], from: number, to: number): WhereClause {
  return recoverConditionClause(p, b, keyword, tokens, from, to, WHERE_CONDITIONS);
}

/**
 * A WHERE or HAVING clause from tokens[from, to) (after its keyword): each condition between AND/OR read on
 * its own, so one broken condition keeps the others; an empty one gets a message naming the word before it.
 */
function recoverConditionClause<R, C>(p: MqGrammar, b: Builder, keyword: IToken, tokens: IToken[], from: number, to: number, kind: ConditionKind<R, C>) {
  const unsupported: UnsupportedKeyword[] = [];
  const conditions: C[] = [];
  const units = splitConditions(b, tokens, from, to, unsupported);
  for (let u = 0; u < units.length; u += 3) {
    const start = units[u]!;
    const end = units[u + 1]!;
    if (start === end) {
      const j = units[u + 2]!;
      const after = j >= 0 ? tokens[j]! : keyword;
      b.error(`Expected a condition after ${after.image.toUpperCase()} (for example ${kind.example}).`, b.loc(after));
      continue;
    }
    const raw = parseUnit(p, b, tokens.slice(start, end), keyword, kind.rule);
    const cond = kind.build(b, raw, tokens[end - 1]!, unsupported);
    if (cond) conditions.push(cond);
  }
  return buildClause(b, b.keyword(keyword), to > from ? tokens[to - 1] : undefined, { conditions, unsupported });
}

/**
 * Cuts tokens[from, to) into condition units at AND/OR (the AND of a BETWEEN stays in its unit). A unit is
 * a run of tokens, so it is returned as index triples: start, end (exclusive), index of the joiner before
 * it or -1.
 */
function splitConditions(b: Builder, tokens: IToken[], from: number, to: number, unsupported: UnsupportedKeyword[]): number[] {
  const units: number[] = [];
  let start = from;
  let joiner = -1;
  let betweenOpen = false;
  for (let i = from; i < to; i++) {
    const t = tokens[i]!;
    if (t.tokenType === T.Between) betweenOpen = true;
    if (t.tokenType === T.And && betweenOpen) {
      betweenOpen = false;
      continue;
    }
    if (t.tokenType === T.And || t.tokenType === T.Or) {
      if (t.tokenType === T.Or) unsupported.push(b.at(t, t, { keyword: 'OR' as const }));
      units.push(start, i, joiner);
      start = i + 1;
      joiner = i;
      betweenOpen = false;
    }
  }
  units.push(start, to, joiner);
  return units;
}

function recoverOrderBy(p: MqGrammar, b: Builder, order: IToken, by: IToken | undefined, body: IToken[]): OrderByClause {
  const kw = by ? b.keyword(order, by) : b.keyword(order);
  if (!by) b.error('Expected BY after ORDER (write ORDER BY column).', b.loc(order));
  let items: OrderByClause['items'] = [];
  if (body.length === 0) {
    if (by) b.error('Expected a column after ORDER BY.', kw);
  } else {
    items = buildOrderItems(b, parseUnit(p, b, body, order, (g) => g.orderItems()) ?? []);
  }
  return buildClause(b, kw, body[body.length - 1], { items });
}

function recoverLimit(p: MqGrammar, b: Builder, keyword: IToken, body: IToken[]): LimitClause {
  const kw = b.keyword(keyword);
  if (body.length === 0) {
    b.error('Expected a number after LIMIT (for example LIMIT 100).', kw);
    return buildClause(b, kw, undefined, {});
  }
  const t = parseUnit(p, b, body, keyword, (g) => g.limitValue());
  return buildClause(b, kw, body[body.length - 1], { value: real(t) ? b.integer(t) : undefined });
}
