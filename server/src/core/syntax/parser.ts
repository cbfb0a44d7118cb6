// mq parser (spec §3). Never throws, whatever the input.
//
// Recovery works in three layers so that one mistake hides as little as possible:
//   1. the token stream is cut into queries at `;` and at every SELECT (spec: a query ends at `;`, at the
//      next SELECT or at the end of the file), so a broken query never touches its neighbours;
//   2. each query is cut into clauses at its clause keywords (BY, WHERE, ORDER BY, LIMIT), so a broken
//      clause never hides the rest of its query;
//   3. a WHERE clause is cut into conditions at AND/OR (the AND of a BETWEEN stays with it), and each unit
//      is parsed by the Chevrotain grammar below, which recovers inside the unit (token insertion/deletion).
import { EmbeddedActionsParser, EOF, Lexer, type IToken, type TokenType, type IParserErrorMessageProvider } from 'chevrotain';
import * as T from './lexer.js';
import type {
  BooleanValue,
  ByClause,
  Comment,
  Condition,
  DurationUnit,
  DurationValue,
  IntegerValue,
  Keyword,
  LimitClause,
  Located,
  MqDocument,
  Name,
  NameValue,
  OrderByClause,
  OrderItem,
  Query,
  Range,
  SelectClause,
  StringValue,
  SyntaxIssue,
  TimeOffset,
  TimeValue,
  UnsupportedKeyword,
  Value,
  WhereClause,
} from './ast.js';

// ---------------------------------------------------------------------------------------------------
// Grammar: small rules over one unit (a name list, one condition, the ORDER BY items, the LIMIT value).

interface RawOffset {
  sign: IToken;
  duration?: IToken;
}
type RawValue = { token: IToken | undefined; offsets: RawOffset[] };
interface RawCondition {
  not?: IToken;
  filter?: IToken;
  op?: IToken;
  values: RawValue[];
}
interface RawOrderItem {
  name: IToken;
  dir?: IToken;
}

const TOKEN_LABELS: Record<string, string> = {
  Name: 'a name',
  DigitName: 'a name',
  Integer: 'an integer',
  Duration: 'a duration such as 5s',
  SingleString: 'a string',
  DoubleString: 'a string',
  UnterminatedString: 'a string',
  Comma: "','",
  LParen: "'('",
  RParen: "')'",
  Semicolon: "';'",
  Equals: "'='",
  Less: "'<'",
  LessEq: "'<='",
  Greater: "'>'",
  GreaterEq: "'>='",
  BangEq: "'!='",
  LessGreater: "'<>'",
  Plus: "'+'",
  Minus: "'-'",
  EOF: 'the end of the query',
};

function label(type: TokenType): string {
  return TOKEN_LABELS[type.name] ?? type.name;
}

function describeToken(t: IToken): string {
  if (t.tokenType === EOF) return 'the end of the query';
  const image = t.image.length > 40 ? `${t.image.slice(0, 40)}…` : t.image;
  return `'${image}'`;
}

function expectedList(types: TokenType[]): string {
  const labels = [...new Set(types.map(label))];
  if (labels.length <= 1) return labels[0] ?? 'something else';
  return `${labels.slice(0, -1).join(', ')} or ${labels[labels.length - 1]}`;
}

const RULE_HINTS: Record<string, string> = {
  nameList: 'names separated by commas',
  condition: 'a condition such as channelCode = SMS',
  value: 'a value (a name, a string, a number, a duration, TRUE/FALSE, NOW or TODAY)',
  orderItems: 'result columns separated by commas, each optionally followed by ASC or DESC',
  limitValue: 'a positive integer',
};

const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, ruleName }) {
    const hint = ruleName === 'nameList' || ruleName === 'orderItems' ? ` (${RULE_HINTS[ruleName]})` : '';
    return `Expected ${label(expected)} but found ${describeToken(actual)}${hint}.`;
  },
  buildNotAllInputParsedMessage({ firstRedundant, ruleName }) {
    return `Unexpected ${describeToken(firstRedundant)}${RULE_HINTS[ruleName] ? `: expected ${RULE_HINTS[ruleName]}` : ''}.`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, ruleName }) {
    const first = expectedPathsPerAlt.flatMap((alt) => alt.map((path) => path[0]).filter((t): t is TokenType => !!t));
    const found = actual[0];
    return `Expected ${RULE_HINTS[ruleName] ?? expectedList(first)} but found ${found ? describeToken(found) : 'nothing'}.`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, ruleName }) {
    const first = expectedIterationPaths.map((p) => p[0]).filter((t): t is TokenType => !!t);
    const found = actual[0];
    return `Expected ${RULE_HINTS[ruleName] ?? expectedList(first)} but found ${found ? describeToken(found) : 'nothing'}.`;
  },
};

class MqGrammar extends EmbeddedActionsParser {
  constructor() {
    super(T.allTokens, {
      recoveryEnabled: true,
      maxLookahead: 2,
      errorMessageProvider: messages,
      skipValidations: process.env.MQ_CHEVROTAIN_CHECKS !== '1',
    });
    this.performSelfAnalysis();
  }

  nameList = this.RULE('nameList', (): IToken[] => {
    const out: IToken[] = [];
    this.AT_LEAST_ONE_SEP({
      SEP: T.Comma,
      DEF: () => {
        out.push(this.CONSUME(T.Name));
      },
    });
    return out;
  });

  /** The condition being parsed, kept so that a condition broken half-way still reaches the analyser. */
  partial: RawCondition | undefined;
  /** Where value() records the values it starts parsing. */
  private sink: RawValue[] | undefined;

  value = this.RULE('value', (): RawValue => {
    const rv: RawValue = { token: undefined, offsets: [] };
    this.ACTION(() => this.sink?.push(rv));
    this.OR([
      { ALT: () => (rv.token = this.CONSUME(T.Name)) },
      { ALT: () => (rv.token = this.CONSUME(T.Integer)) },
      { ALT: () => (rv.token = this.CONSUME(T.Duration)) },
      { ALT: () => (rv.token = this.CONSUME(T.True)) },
      { ALT: () => (rv.token = this.CONSUME(T.False)) },
      {
        ALT: () => {
          rv.token = this.OR2([
            { ALT: () => this.CONSUME(T.SingleString) },
            { ALT: () => this.CONSUME(T.DoubleString) },
            { ALT: () => this.CONSUME(T.UnterminatedString) },
            { ALT: () => this.CONSUME(T.Now) },
            { ALT: () => this.CONSUME(T.Today) },
          ]);
          this.MANY(() => {
            const offset: RawOffset = { sign: this.OR3([{ ALT: () => this.CONSUME(T.Plus) }, { ALT: () => this.CONSUME(T.Minus) }]) };
            rv.offsets.push(offset);
            offset.duration = this.CONSUME2(T.Duration);
          });
        },
      },
    ]);
    return rv;
  });

  condition = this.RULE('condition', (): RawCondition => {
    const c: RawCondition = { values: [] };
    this.ACTION(() => {
      this.partial = c;
      this.sink = c.values;
    });
    this.OPTION(() => {
      c.not = this.CONSUME(T.Not);
    });
    c.filter = this.CONSUME(T.Name);
    this.OR([
      {
        ALT: () => {
          c.op = this.OR2([
            { ALT: () => this.CONSUME(T.Equals) },
            { ALT: () => this.CONSUME(T.Less) },
            { ALT: () => this.CONSUME(T.LessEq) },
            { ALT: () => this.CONSUME(T.Greater) },
            { ALT: () => this.CONSUME(T.GreaterEq) },
            { ALT: () => this.CONSUME(T.BangEq) },
            { ALT: () => this.CONSUME(T.LessGreater) },
          ]);
          this.SUBRULE(this.value);
        },
      },
      {
        ALT: () => {
          c.op = this.CONSUME(T.In);
          this.CONSUME(T.LParen);
          this.AT_LEAST_ONE_SEP({
            SEP: T.Comma,
            DEF: () => {
              this.SUBRULE2(this.value);
            },
          });
          this.CONSUME(T.RParen);
        },
      },
      {
        ALT: () => {
          c.op = this.CONSUME(T.Between);
          this.SUBRULE3(this.value);
          this.CONSUME(T.And);
          this.SUBRULE4(this.value);
        },
      },
    ]);
    return c;
  });

  orderItems = this.RULE('orderItems', (): RawOrderItem[] => {
    const out: RawOrderItem[] = [];
    this.AT_LEAST_ONE_SEP({
      SEP: T.Comma,
      DEF: () => {
        const item: RawOrderItem = { name: this.CONSUME(T.Name) };
        this.OPTION(() => {
          item.dir = this.OR([{ ALT: () => this.CONSUME(T.Asc) }, { ALT: () => this.CONSUME(T.Desc) }]);
        });
        out.push(item);
      },
    });
    return out;
  });

  limitValue = this.RULE('limitValue', (): IToken => this.CONSUME(T.Integer));
}

let grammar: MqGrammar | undefined;
function getGrammar(): MqGrammar {
  grammar ??= new MqGrammar();
  return grammar;
}

// ---------------------------------------------------------------------------------------------------
// Positions

export interface Origin {
  /** Offset of the parsed text's first character in the whole document. */
  offset: number;
  line: number;
  character: number;
}

const ZERO: Origin = { offset: 0, line: 0, character: 0 };

function real(t: IToken | undefined): t is IToken {
  return !!t && !t.isInsertedInRecovery && t.tokenType !== EOF && Number.isFinite(t.startOffset);
}

/** Line starts of the parsed text, to turn offsets into line/character positions on demand. */
class LineIndex {
  private readonly starts: number[] = [0];
  constructor(text: string, private readonly origin: Origin) {
    if (text.indexOf('\r') < 0) {
      // Only LF line breaks (the usual case): indexOf finds them much faster than a character loop.
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      }
    }
  }

  /** Position of a document offset (origin included). */
  position(offset: number): { line: number; character: number } {
    const local = offset - this.origin.offset;
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= local) lo = mid;
      else hi = mid - 1;
    }
    return { line: this.origin.line + lo, character: local - starts[lo]! + (lo === 0 ? this.origin.character : 0) };
  }
}

/**
 * Nodes keep only offsets; `range` is computed when read, from the line index of the parse that made the
 * node (kept in a private field, so it never shows up in JSON or in a spread). Most nodes never have their
 * range read (only those a diagnostic or an editor feature points at), and not allocating four objects per
 * node keeps parsing a 10,000-query file quick. One class for every node keeps property access monomorphic
 * for the analyser even when the language server parses thousands of queries separately.
 */
class AstNode {
  readonly #li: LineIndex;
  start: number;
  end: number;
  constructor(li: LineIndex, start: number, end: number) {
    this.#li = li;
    this.start = start;
    this.end = end;
  }
  get range(): Range {
    return { start: this.#li.position(this.start), end: this.#li.position(this.end) };
  }
  /** Range of [start, end) in the same text (for positions that are not nodes). */
  protected rangeOf(start: number, end: number): Range {
    return { start: this.#li.position(start), end: this.#li.position(end) };
  }
}

// The nodes made for every token get their own classes with their fields set in the constructor (the
// same own properties, in the same order, as the generic Builder.node): no object literal plus
// Object.assign per node, and one hidden class per node kind.
class NameNode extends AstNode {
  kind: 'name';
  text: string;
  upper: string;
  constructor(li: LineIndex, start: number, end: number, text: string) {
    super(li, start, end);
    this.kind = 'name';
    this.text = text;
    this.upper = text.toUpperCase();
  }
}

class NameValueNode extends AstNode {
  kind: 'nameValue';
  text: string;
  upper: string;
  constructor(li: LineIndex, start: number, end: number, text: string) {
    super(li, start, end);
    this.kind = 'nameValue';
    this.text = text;
    this.upper = text.toUpperCase();
  }
}

class TextNode extends AstNode {
  text: string;
  constructor(li: LineIndex, start: number, end: number, text: string) {
    super(li, start, end);
    this.text = text;
  }
}

class IssueNode extends AstNode {
  message: string;
  constructor(li: LineIndex, start: number, end: number, message: string) {
    super(li, start, end);
    this.message = message;
  }
}

class IntegerNode extends AstNode {
  kind: 'integer';
  text: string;
  constructor(li: LineIndex, start: number, end: number, text: string) {
    super(li, start, end);
    this.kind = 'integer';
    this.text = text;
  }
}

class ConditionNode extends AstNode {
  kind: 'condition';
  filter: Name;
  values: Value[];
  declare not?: Located;
  declare operator?: Condition['operator'];
  declare operatorStart?: number;
  declare operatorEnd?: number;
  constructor(li: LineIndex, start: number, end: number, filter: Name, values: Value[]) {
    super(li, start, end);
    this.kind = 'condition';
    this.filter = filter;
    this.values = values;
  }
  /** Computed when read (only a diagnostic on the operator needs it). */
  get operatorRange(): Range | undefined {
    return this.operatorStart === undefined || this.operatorEnd === undefined ? undefined : this.rangeOf(this.operatorStart, this.operatorEnd);
  }
}

class Builder {
  readonly errors: SyntaxIssue[] = [];
  readonly li: LineIndex;
  /** Document offset of the text the current tokens were lexed from (origin + chunk start). */
  shift: number;
  constructor(text: string, readonly origin: Origin) {
    this.li = new LineIndex(text, origin);
    this.shift = origin.offset;
  }

  /** Makes a node covering [start, end) with the given fields. */
  node<F extends object>(start: number, end: number, fields: F): F & Located {
    return Object.assign(new AstNode(this.li, start, end), fields) as unknown as F & Located;
  }

  startOf(t: IToken): number {
    return t.startOffset + this.shift;
  }

  endOf(t: IToken): number {
    return (t.endOffset ?? t.startOffset + t.image.length - 1) + 1 + this.shift;
  }

  at<F extends object>(first: IToken, last: IToken, fields: F): F & Located {
    return this.node(this.startOf(first), this.endOf(last), fields);
  }

  loc(first: IToken, last: IToken = first): Located {
    return new AstNode(this.li, this.startOf(first), this.endOf(last)) as unknown as Located;
  }

  span(a: Located, b: Located): Located {
    return new AstNode(this.li, a.start, b.end) as unknown as Located;
  }

  error(message: string, at: { start: number; end: number }): void {
    this.errors.push(new IssueNode(this.li, at.start, at.end, message) as unknown as SyntaxIssue);
  }

  name(t: IToken): Name {
    return new NameNode(this.li, this.startOf(t), this.endOf(t), t.image) as unknown as Name;
  }

  nameValue(t: IToken): NameValue {
    return new NameValueNode(this.li, this.startOf(t), this.endOf(t), t.image) as unknown as NameValue;
  }

  integer(t: IToken): IntegerValue {
    return new IntegerNode(this.li, this.startOf(t), this.endOf(t), t.image) as unknown as IntegerValue;
  }

  keyword(first: IToken, last: IToken = first): Keyword {
    return new TextNode(this.li, this.startOf(first), this.endOf(last), first === last ? first.image : `${first.image} ${last.image}`) as unknown as Keyword;
  }

  condition(start: number, end: number, filter: Name, values: Value[]): Condition {
    return new ConditionNode(this.li, start, end, filter, values) as unknown as Condition;
  }

  /** Records the grammar's errors for one unit; errors at the end of the unit point at its last token. */
  grammarErrors(p: MqGrammar, unit: IToken[], context: IToken): void {
    for (const e of p.errors) {
      const at = real(e.token) ? e.token : (unit[unit.length - 1] ?? context);
      this.error(e.message, this.loc(at));
    }
  }
}

const UNIT_MS: Record<DurationUnit, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

function buildDuration(b: Builder, t: IToken): DurationValue {
  const m = /^([0-9]+)([A-Za-z]+)$/.exec(t.image)!;
  const amount = m[1]!;
  const unit = m[2]!.toLowerCase() as DurationUnit;
  const n = Number(amount) * UNIT_MS[unit];
  return b.at(t, t, { kind: 'duration' as const, amount, unit, ms: Number.isFinite(n) ? n : Infinity });
}

function buildString(b: Builder, t: IToken): StringValue {
  const quote = t.image[0] as "'" | '"';
  const terminated = t.tokenType !== T.UnterminatedString;
  const inner = terminated ? t.image.slice(1, -1) : t.image.slice(1);
  const node: StringValue = b.at(t, t, { kind: 'string' as const, value: inner.split(quote + quote).join(quote), quote, terminated });
  if (!terminated) b.error(`Unterminated string: add the closing ${quote} before the end of the line.`, node);
  return node;
}

function buildValue(b: Builder, raw: RawValue): Value | undefined {
  const t = raw.token;
  if (!real(t)) return undefined;
  const type = t.tokenType;
  if (raw.offsets.length === 0 && type !== T.Now && type !== T.Today) {
    // No time offsets (the usual case): no offsets array to build.
    if (type === T.SingleString || type === T.DoubleString || type === T.UnterminatedString) return buildString(b, t);
    if (type === T.Integer) return b.integer(t);
    if (type === T.Duration) return buildDuration(b, t);
    if (type === T.True || type === T.False) return b.at(t, t, { kind: 'boolean' as const, value: type === T.True }) satisfies BooleanValue;
    return b.nameValue(t);
  }
  const offsets: TimeOffset[] = [];
  for (const o of raw.offsets) {
    if (!real(o.sign)) continue;
    const duration = real(o.duration) ? buildDuration(b, o.duration) : undefined;
    offsets.push(b.node(b.startOf(o.sign), duration ? duration.end : b.endOf(o.sign), { sign: o.sign.image as '+' | '-', duration }));
  }
  if (type === T.Now || type === T.Today) {
    return timeValue(b, b.at(t, t, { kind: type === T.Now ? ('now' as const) : ('today' as const) }), offsets);
  }
  if (type === T.SingleString || type === T.DoubleString || type === T.UnterminatedString) {
    const s = buildString(b, t);
    return offsets.length ? timeValue(b, s, offsets) : s;
  }
  if (type === T.Integer) return b.integer(t);
  if (type === T.Duration) return buildDuration(b, t);
  if (type === T.True || type === T.False) return b.at(t, t, { kind: 'boolean' as const, value: type === T.True }) satisfies BooleanValue;
  return b.nameValue(t);
}

function timeValue(b: Builder, base: TimeValue['base'], offsets: TimeOffset[]): TimeValue {
  const last = offsets[offsets.length - 1];
  return b.node(base.start, last ? last.end : base.end, { kind: 'time' as const, base, offsets });
}

// ---------------------------------------------------------------------------------------------------
// Units

function parseUnit<R>(b: Builder, tokens: IToken[], context: IToken, run: (p: MqGrammar) => R): R {
  const p = getGrammar();
  p.input = tokens;
  const result = run(p);
  b.grammarErrors(p, tokens, context);
  return result;
}

// Fast paths: a unit that is exactly what the grammar expects (the common case) is read directly, with the
// same raw result the grammar would give; anything else, and every error message, goes through the grammar.

const isName = (t: IToken): boolean => t.tokenType === T.Name || t.tokenType === T.DigitName;

function isComparison(type: TokenType): boolean {
  return type === T.Equals || type === T.Less || type === T.LessEq || type === T.Greater || type === T.GreaterEq || type === T.BangEq || type === T.LessGreater;
}

/** True when body is exactly `Name (, Name)*`. */
function isNameList(body: IToken[]): boolean {
  const n = body.length;
  if ((n & 1) === 0) return false;
  for (let i = 0; i < n; i++) {
    const t = body[i]!;
    if (i & 1 ? t.tokenType !== T.Comma : !isName(t)) return false;
  }
  return true;
}

/** Shared by the raw values that have no time offsets (frozen: fastValue gives a value with offsets its own array). */
const NO_OFFSETS = Object.freeze([]) as unknown as RawOffset[];

/** One value at u[i] (the grammar's `value` rule, within u[.., end)) appended to `out`; the next index, or -1. */
function fastValue(u: IToken[], i: number, end: number, out: RawValue[]): number {
  const t = i < end ? u[i] : undefined;
  if (!t) return -1;
  const type = t.tokenType;
  if (isName(t) || type === T.Integer || type === T.Duration || type === T.True || type === T.False) {
    out.push({ token: t, offsets: NO_OFFSETS });
    return i + 1;
  }
  if (type === T.SingleString || type === T.DoubleString || type === T.UnterminatedString || type === T.Now || type === T.Today) {
    const rv: RawValue = { token: t, offsets: NO_OFFSETS };
    let k = i + 1;
    for (;;) {
      const sign = k < end ? u[k] : undefined;
      if (!sign || (sign.tokenType !== T.Plus && sign.tokenType !== T.Minus)) break;
      const duration = k + 1 < end ? u[k + 1] : undefined;
      if (!duration || duration.tokenType !== T.Duration) return -1;
      if (rv.offsets === NO_OFFSETS) rv.offsets = [];
      rv.offsets.push({ sign, duration });
      k += 2;
    }
    out.push(rv);
    return k;
  }
  return -1;
}

/** `filter op value`, `filter IN (v, ...)`, `filter BETWEEN v AND v` in u[from, n) → the raw condition; else undefined. */
function fastCondition(u: IToken[], from: number, n: number): RawCondition | undefined {
  if (n - from < 3 || !isName(u[from]!)) return undefined;
  const op = u[from + 1]!;
  const type = op.tokenType;
  const c: RawCondition = { values: [], filter: u[from]!, op };
  let i: number;
  if (isComparison(type)) {
    i = fastValue(u, from + 2, n, c.values);
  } else if (type === T.In) {
    if (u[from + 2]!.tokenType !== T.LParen) return undefined;
    i = from + 3;
    for (;;) {
      i = fastValue(u, i, n, c.values);
      if (i < 0) return undefined;
      if (i < n && u[i]!.tokenType === T.Comma) {
        i++;
        continue;
      }
      break;
    }
    if (i >= n || u[i]!.tokenType !== T.RParen) return undefined;
    i++;
  } else if (type === T.Between) {
    i = fastValue(u, from + 2, n, c.values);
    if (i < 0 || i >= n || u[i]!.tokenType !== T.And) return undefined;
    i = fastValue(u, i + 1, n, c.values);
  } else return undefined;
  return i === n ? c : undefined;
}

/** `Name [ASC|DESC] (, Name [ASC|DESC])*` → the items; else undefined. */
function fastOrderItems(body: IToken[]): RawOrderItem[] | undefined {
  const n = body.length;
  const out: RawOrderItem[] = [];
  let i = 0;
  for (;;) {
    const t = body[i];
    if (!t || !isName(t)) return undefined;
    const item: RawOrderItem = { name: t };
    i++;
    const d = body[i];
    if (d && (d.tokenType === T.Asc || d.tokenType === T.Desc)) {
      item.dir = d;
      i++;
    }
    out.push(item);
    if (i === n) return out;
    if (body[i]!.tokenType !== T.Comma) return undefined;
    i++;
  }
}

function parseNames(b: Builder, keyword: IToken, body: IToken[], what: string): Name[] {
  if (body.length === 0) {
    b.error(`Expected ${what} after ${keyword.image.toUpperCase()}.`, b.loc(keyword));
    return [];
  }
  if (isNameList(body)) {
    const names = new Array<Name>((body.length + 1) >> 1);
    for (let i = 0; i < body.length; i += 2) names[i >> 1] = b.name(body[i]!);
    return names;
  }
  const raw = parseUnit(b, body, keyword, (p) => p.nameList());
  return (raw ?? []).filter(real).map((t) => b.name(t));
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

/** The value nodes of a raw condition (values the grammar could not read are left out). */
function buildValues(b: Builder, raw: RawValue[]): Value[] {
  const values = new Array<Value>(raw.length);
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    const v = buildValue(b, raw[i]!);
    if (v) values[n++] = v;
  }
  if (n < raw.length) values.length = n;
  return values;
}

/** The grammar's condition rule; a condition broken half-way still gives what was read of it. */
function conditionRule(p: MqGrammar): RawCondition | undefined {
  p.partial = undefined;
  return p.condition() ?? p.partial;
}

function parseWhere(b: Builder, keyword: IToken, tokens: IToken[], from: number, to: number): WhereClause {
  const unsupported: UnsupportedKeyword[] = [];
  const conditions: Condition[] = [];
  const kw = b.keyword(keyword);
  const units = splitConditions(b, tokens, from, to, unsupported);
  for (let u = 0; u < units.length; u += 3) {
    const start = units[u]!;
    const end = units[u + 1]!;
    if (start === end) {
      const j = units[u + 2]!;
      const after = j >= 0 ? tokens[j]! : keyword;
      b.error(`Expected a condition after ${after.image.toUpperCase()} (for example channelCode = SMS).`, b.loc(after));
      continue;
    }
    const raw = fastCondition(tokens, start, end) ?? parseUnit(b, tokens.slice(start, end), keyword, conditionRule);
    if (!raw || !real(raw.filter)) continue;
    const filter = b.name(raw.filter);
    const values = buildValues(b, raw.values);
    const lastTok = tokens[end - 1]!;
    const cond: Condition = b.condition(real(raw.not) ? b.startOf(raw.not) : filter.start, b.endOf(lastTok), filter, values);
    if (real(raw.not)) {
      cond.not = b.loc(raw.not);
      unsupported.push(b.at(raw.not, raw.not, { keyword: 'NOT' as const }));
    }
    if (real(raw.op)) {
      const op = raw.op.image.toUpperCase();
      cond.operator = op as Condition['operator'];
      cond.operatorStart = b.startOf(raw.op);
      cond.operatorEnd = b.endOf(raw.op);
    }
    conditions.push(cond);
  }
  const last = to > from ? tokens[to - 1] : undefined;
  return b.node(kw.start, last ? b.endOf(last) : kw.end, { keyword: kw, conditions, unsupported });
}

function parseOrderBy(b: Builder, order: IToken, by: IToken | undefined, body: IToken[]): OrderByClause {
  const kw = by ? b.keyword(order, by) : b.keyword(order);
  if (!by) b.error('Expected BY after ORDER (write ORDER BY column).', b.loc(order));
  const items: OrderItem[] = [];
  if (body.length === 0) {
    if (by) b.error('Expected a column after ORDER BY.', kw);
  } else {
    const raw = fastOrderItems(body) ?? parseUnit(b, body, order, (p) => p.orderItems()) ?? [];
    for (const r of raw) {
      if (!real(r.name)) continue;
      const column = b.name(r.name);
      const dir = real(r.dir) ? r.dir : undefined;
      items.push(
        b.node(column.start, dir ? b.endOf(dir) : column.end, {
          column,
          direction: dir && dir.tokenType === T.Desc ? ('DESC' as const) : ('ASC' as const),
          explicitDirection: !!dir,
        }),
      );
    }
  }
  const last = body[body.length - 1];
  return b.node(kw.start, last ? b.endOf(last) : kw.end, { keyword: kw, items });
}

function parseLimit(b: Builder, keyword: IToken, body: IToken[]): LimitClause {
  const kw = b.keyword(keyword);
  if (body.length === 0) {
    b.error('Expected a number after LIMIT (for example LIMIT 100).', kw);
    return b.node(kw.start, kw.end, { keyword: kw });
  }
  const t = body.length === 1 && body[0]!.tokenType === T.Integer ? body[0] : parseUnit(b, body, keyword, (p) => p.limitValue());
  const value: IntegerValue | undefined = real(t) ? b.integer(t) : undefined;
  return b.node(kw.start, b.endOf(body[body.length - 1]!), { keyword: kw, value });
}

// ---------------------------------------------------------------------------------------------------
// Queries

const CLAUSE_ORDER = ['SELECT', 'BY', 'WHERE', 'ORDER BY', 'LIMIT'] as const;
type ClauseName = (typeof CLAUSE_ORDER)[number];

function clauseOf(tokens: IToken[], i: number, from: number): ClauseName | undefined {
  const t = tokens[i]!.tokenType;
  if (t === T.Select) return 'SELECT';
  if (t === T.Where) return 'WHERE';
  if (t === T.Order) return 'ORDER BY';
  if (t === T.Limit) return 'LIMIT';
  if (t === T.By && (i === from || tokens[i - 1]!.tokenType !== T.Order)) return 'BY';
  return undefined;
}

/** Parses the query in tokens[from, to) (tokens[from] is SELECT; a trailing `;` is not included). */
function parseQuery(b: Builder, tokens: IToken[], from: number, to: number, index: number): Query {
  const clauses: { name: ClauseName; at: number }[] = [];
  for (let i = from; i < to; i++) {
    const name = clauseOf(tokens, i, from);
    if (name) clauses.push({ name, at: i });
  }
  const errorsBefore = b.errors.length;
  const selectTok = tokens[from]!;
  let select: SelectClause | undefined;
  let by: ByClause | undefined;
  let where: WhereClause | undefined;
  let orderBy: OrderByClause | undefined;
  let limit: LimitClause | undefined;
  let highest = -1;
  for (let c = 0; c < clauses.length; c++) {
    const { name, at } = clauses[c]!;
    const end = c + 1 < clauses.length ? clauses[c + 1]!.at : to;
    const kwTok = tokens[at]!;
    const rank = CLAUSE_ORDER.indexOf(name);
    const seen = (name === 'SELECT' && select) || (name === 'BY' && by) || (name === 'WHERE' && where) || (name === 'ORDER BY' && orderBy) || (name === 'LIMIT' && limit);
    if (seen) {
      const hint = name === 'WHERE' ? ' Join all conditions with AND in one WHERE.' : name === 'BY' ? ' List all dimensions in one BY, separated by commas.' : '';
      b.error(`A query has only one ${name} clause.${hint}`, b.loc(kwTok));
    } else if (rank < highest) {
      b.error(`${name} must come before ${CLAUSE_ORDER[highest]}: clauses go in the order SELECT, BY, WHERE, ORDER BY, LIMIT.`, b.loc(kwTok));
    }
    highest = Math.max(highest, rank);
    if (name === 'ORDER BY') {
      const byTok = at + 1 < to && tokens[at + 1]!.tokenType === T.By ? tokens[at + 1] : undefined;
      const body = tokens.slice(at + (byTok ? 2 : 1), end);
      const clause = parseOrderBy(b, kwTok, byTok, body);
      orderBy ??= clause;
      continue;
    }
    if (name === 'WHERE') {
      const clause = parseWhere(b, kwTok, tokens, at + 1, end);
      where ??= clause;
      continue;
    }
    const body = tokens.slice(at + 1, end);
    switch (name) {
      case 'SELECT': {
        const kw = b.keyword(kwTok);
        const metrics = parseNames(b, kwTok, body, 'a metric (for example DELIVERED_TRAFFIC_COUNT)');
        const last = body[body.length - 1];
        select ??= b.node(kw.start, last ? b.endOf(last) : kw.end, { keyword: kw, metrics });
        break;
      }
      case 'BY': {
        const kw = b.keyword(kwTok);
        const dimensions = parseNames(b, kwTok, body, 'a dimension (for example DAY or COUNTRY_NAME)');
        const last = body[body.length - 1];
        by ??= b.node(kw.start, last ? b.endOf(last) : kw.end, { keyword: kw, dimensions });
        break;
      }
      case 'LIMIT': {
        const clause = parseLimit(b, kwTok, body);
        limit ??= clause;
        break;
      }
    }
  }
  const selectClause = select ?? b.at(selectTok, selectTok, { keyword: b.keyword(selectTok), metrics: [] as Name[] });
  const lastTok = tokens[to - 1]!;
  const query: Query = b.at(selectTok, lastTok, {
    kind: 'query' as const,
    index,
    select: selectClause,
    by,
    where,
    orderBy,
    limit,
    semicolon: undefined as Located | undefined,
    syntaxErrors: b.errors.splice(errorsBefore),
  });
  return query;
}

function buildComment(b: Builder, t: IToken): Comment {
  const style = t.tokenType === T.LineComment ? 'line' : 'block';
  const terminated = t.tokenType !== T.UnterminatedBlockComment;
  const node: Comment = b.at(t, t, { kind: 'comment' as const, style: style as Comment['style'], text: t.image, terminated });
  if (!terminated) b.error('Unterminated block comment: close it with */.', b.loc(t));
  return node;
}

/**
 * Parses a whole document (or a slice of one, when origin says where the slice starts).
 * Never throws; every problem becomes a SyntaxIssue on the query it belongs to or on the document.
 */
export function parseDocument(text: string, origin: Origin = ZERO): MqDocument {
  return parseWith(text, origin, undefined);
}

/**
 * Parses a whole document like parseDocument, but hands each query to `each` as soon as it is complete (in
 * source order, its syntax errors all attached) instead of keeping it: the returned document has no
 * queries. A caller that analyses each query in `each` and keeps nothing of it lets the syntax trees die
 * young, which is much cheaper for the garbage collector than holding every query of a large file.
 */
export function parseEachQuery(text: string, each: (q: Query) => void, origin: Origin = ZERO): MqDocument {
  return parseWith(text, origin, each);
}

function parseWith(text: string, origin: Origin, each: ((q: Query) => void) | undefined): MqDocument {
  // Chevrotain reports recognition errors with Error objects; their stack traces are never read and
  // capturing them dominated the time spent on broken text.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return parseText(text, origin, each, stackTraceLimit);
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/** Below this size a text is lexed in one go; above it, in chunks that restart at a SELECT. */
const CHUNK = 1 << 15;
const SELECT_LENGTH = 'SELECT'.length;

function parseText(text: string, origin: Origin, each: ((q: Query) => void) | undefined, stackTraceLimit: number): MqDocument {
  const b = new Builder(text, origin);
  const comments: Comment[] = [];
  const docErrors: SyntaxIssue[] = [];
  const queries: Query[] = [];
  const lexDocErrors: SyntaxIssue[] = [];
  const commentErrors: SyntaxIssue[] = [];
  // A large text is lexed in chunks cut at a SELECT token (a clean lexer state), and the queries of each
  // chunk are parsed before the next one is lexed: the tokens of a chunk die young instead of every token
  // of the document surviving (and being copied by) the garbage collections of the whole parse.
  const n = text.length;
  let p = 0;
  let size = CHUNK;
  while (p < n || (p === 0 && n === 0)) {
    const chunkEnd = n - p <= size * 1.5 ? n : p + size;
    const chunk = p === 0 && chunkEnd === n ? text : text.slice(p, chunkEnd);
    const lexed = T.lex(chunk);
    const tokens = lexed.tokens;
    // Where this chunk's work ends: at the last SELECT that ends well inside it (a word cut by the chunk
    // end could continue), or at the end of the text.
    let stop = tokens.length;
    let cut = chunk.length;
    if (chunkEnd < n) {
      stop = -1;
      for (let i = tokens.length - 1; i > 0; i--) {
        const t = tokens[i]!;
        if (t.tokenType === T.Select && t.startOffset + SELECT_LENGTH < chunk.length) {
          stop = i;
          cut = t.startOffset;
          break;
        }
      }
      if (stop < 0) {
        size *= 2;
        continue;
      }
    }
    b.shift = origin.offset + p;
    for (const c of lexed.comments) if (c.startOffset < cut) comments.push(buildComment(b, c));
    commentErrors.push(...b.errors.splice(0));
    const first = queries.length;
    parseTokens(b, tokens, stop, queries, docErrors);
    // Characters the lexer could not read belong to the query they appear in (one of this chunk's: the
    // chunk ends where the next one starts).
    for (const e of lexed.errors) {
      if (e.offset >= cut) continue;
      const offset = p + e.offset;
      // A character outside the BMP (an emoji) is two UTF-16 units: one issue for the whole character.
      const unit = text.charCodeAt(offset);
      if (unit >= 0xdc00 && unit <= 0xdfff && offset > 0 && /[\ud800-\udbff]/.test(text[offset - 1]!) && e.offset > 0) continue;
      const ch = String.fromCodePoint(text.codePointAt(offset) ?? unit);
      const start = offset + origin.offset;
      const code = `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
      const issue = b.node(start, start + ch.length, {
        message: `Unexpected character ${JSON.stringify(ch)} (${code}): names use letters, digits and _, text goes in quotes, and comments start with -- or /*.`,
      }) as SyntaxIssue;
      const owner = findQueryAt(queries, first, start);
      (owner ? owner.syntaxErrors : lexDocErrors).push(issue);
    }
    if (each) {
      Error.stackTraceLimit = stackTraceLimit;
      for (let i = first; i < queries.length; i++) each(queries[i]!);
      Error.stackTraceLimit = 0;
      queries.length = 0;
    }
    if (chunkEnd >= n) break;
    p += cut;
    size = CHUNK;
  }
  if (commentErrors.length) docErrors.unshift(...commentErrors);
  for (const e of lexDocErrors) docErrors.push(e);
  return { queries, comments, syntaxErrors: docErrors, length: text.length };
}

/** Parses the queries (and the text between them) in tokens[0, count). */
function parseTokens(b: Builder, tokens: IToken[], count: number, queries: Query[], docErrors: SyntaxIssue[]): void {
  let i = 0;
  while (i < count) {
    const t = tokens[i]!;
    if (t.tokenType === T.Semicolon) {
      i++;
      continue;
    }
    if (t.tokenType !== T.Select) {
      // Text outside a query: report once and skip to the next query.
      let j = i;
      while (j < count && tokens[j]!.tokenType !== T.Select && tokens[j]!.tokenType !== T.Semicolon) j++;
      b.error(`Unexpected ${describeToken(t)}: every query starts with SELECT.`, b.span(b.loc(t), b.loc(tokens[j - 1]!)));
      docErrors.push(...b.errors.splice(0));
      i = j;
      continue;
    }
    let j = i + 1;
    while (j < count && tokens[j]!.tokenType !== T.Select && tokens[j]!.tokenType !== T.Semicolon) j++;
    const query = parseQuery(b, tokens, i, j, queries.length);
    if (j < count && tokens[j]!.tokenType === T.Semicolon) {
      const semi = b.loc(tokens[j]!);
      query.semicolon = semi;
      query.end = semi.end;
      j++;
    }
    queries.push(query);
    i = j;
  }
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

/** Runs Chevrotain's grammar self-checks (left recursion, ambiguities); used by the test suite. */
export function grammarSelfCheck(): string[] {
  const previous = process.env.MQ_CHEVROTAIN_CHECKS;
  process.env.MQ_CHEVROTAIN_CHECKS = '1';
  try {
    new MqGrammar();
    const lexer = new Lexer(T.allTokens, { positionTracking: 'onlyOffset', deferDefinitionErrorsHandling: true });
    return lexer.lexerDefinitionErrors.map((e) => e.message);
  } catch (e) {
    return [String(e)];
  } finally {
    if (previous === undefined) delete process.env.MQ_CHEVROTAIN_CHECKS;
    else process.env.MQ_CHEVROTAIN_CHECKS = previous;
  }
}
