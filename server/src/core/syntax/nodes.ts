// Building the syntax tree from the grammar's raw results: line positions, the node classes and the
// builders shared by the whole-query path (parser.ts) and the clause-by-clause recovery (recovery.ts), so
// that both give the same nodes and ranges for the same tokens.
import { EOF, type IToken } from 'chevrotain';
import * as T from './lexer.js';
import type { RawCompare, RawCondition, RawHavingCondition, RawLiteral, RawOrderItem, RawValue } from './grammar.js';
import type {
  BooleanValue,
  Comment,
  CompareClause,
  CompareTarget,
  Condition,
  HavingCondition,
  HavingLiteral,
  HavingOperator,
  DurationUnit,
  DurationValue,
  IntegerValue,
  Keyword,
  Located,
  Name,
  NameValue,
  OrderItem,
  Range,
  StringValue,
  SyntaxIssue,
  TimeOffset,
  TimeValue,
  UnsupportedKeyword,
  Value,
} from './ast.js';

// ---------------------------------------------------------------------------------------------------
// Positions

export interface Origin {
  /** Offset of the parsed text's first character in the whole document. */
  offset: number;
  line: number;
  character: number;
}

export const ZERO: Origin = { offset: 0, line: 0, character: 0 };

export function real(t: IToken | undefined): t is IToken {
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

export class Builder {
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
}

const UNIT_MS: Record<DurationUnit, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

function buildDuration(b: Builder, t: IToken): DurationValue {
  const m = /^([0-9]+)([A-Za-z]+)$/.exec(t.image)!;
  const amount = m[1]!;
  const unit = m[2]!.toLowerCase() as DurationUnit;
  const n = Number(amount) * UNIT_MS[unit];
  return b.at(t, t, { kind: 'duration' as const, amount, unit, ms: Number.isFinite(n) ? n : Infinity });
}

export function buildString(b: Builder, t: IToken): StringValue {
  const quote = t.image[0] as "'" | '"';
  const terminated = t.tokenType !== T.UnterminatedString;
  const inner = terminated ? t.image.slice(1, -1) : t.image.slice(1);
  const node: StringValue = b.at(t, t, { kind: 'string' as const, value: inner.split(quote + quote).join(quote), quote, terminated });
  if (!terminated) b.error(`Unterminated string: add the closing ${quote} before the end of the line.`, node);
  return node;
}

export function buildValue(b: Builder, raw: RawValue): Value | undefined {
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

/** The name nodes of the tokens the grammar read (tokens inserted by recovery are left out). */
export function buildNames(b: Builder, tokens: readonly IToken[]): Name[] {
  const names: Name[] = [];
  for (const t of tokens) if (real(t)) names.push(b.name(t));
  return names;
}

/**
 * The condition node of a raw condition whose last token is `last`, or undefined when not even its filter
 * was read. A NOT before it is recorded in `unsupported`.
 */
export function buildCondition(b: Builder, raw: RawCondition | undefined, last: IToken, unsupported: UnsupportedKeyword[]): Condition | undefined {
  if (!raw || !real(raw.filter)) return undefined;
  const filter = b.name(raw.filter);
  const values = buildValues(b, raw.values);
  const cond: Condition = b.condition(real(raw.not) ? b.startOf(raw.not) : filter.start, b.endOf(last), filter, values);
  if (real(raw.not)) {
    cond.not = b.loc(raw.not);
    unsupported.push(b.at(raw.not, raw.not, { keyword: 'NOT' as const }));
  }
  if (real(raw.op)) {
    cond.operator = raw.op.image.toUpperCase() as Condition['operator'];
    cond.operatorStart = b.startOf(raw.op);
    cond.operatorEnd = b.endOf(raw.op);
  }
  return cond;
}

/** The ORDER BY item nodes of the raw items. */
export function buildOrderItems(b: Builder, raw: readonly RawOrderItem[]): OrderItem[] {
  const items: OrderItem[] = [];
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
  return items;
}

/** A HAVING literal node, or undefined when the grammar could not read it. */
function buildLiteral(b: Builder, raw: RawLiteral): HavingLiteral | undefined {
  const t = raw.token;
  if (!real(t)) return undefined;
  const type = t.tokenType;
  if (type === T.Integer || type === T.Decimal) {
    const minus = real(raw.minus) ? raw.minus : undefined;
    const text = minus ? `-${t.image}` : t.image;
    return b.node(minus ? b.startOf(minus) : b.startOf(t), b.endOf(t), { kind: 'number' as const, text, value: Number(text) });
  }
  if (type === T.SingleString || type === T.DoubleString || type === T.UnterminatedString) return buildString(b, t);
  return b.nameValue(t);
}

/**
 * The HAVING condition node of a raw condition whose last token is `last`, or undefined when not even its
 * column was read. A NOT before it is recorded in `unsupported`.
 */
export function buildHavingCondition(b: Builder, raw: RawHavingCondition | undefined, last: IToken, unsupported: UnsupportedKeyword[]): HavingCondition | undefined {
  if (!raw || !real(raw.column)) return undefined;
  const column = b.name(raw.column);
  const values: HavingLiteral[] = [];
  for (const r of raw.values) {
    const v = buildLiteral(b, r);
    if (v) values.push(v);
  }
  const start = real(raw.not) ? b.startOf(raw.not) : column.start;
  const cond: HavingCondition = b.node(start, Math.max(b.endOf(last), column.end), { kind: 'havingCondition' as const, column, values });
  if (real(raw.not)) unsupported.push(b.at(raw.not, raw.not, { keyword: 'NOT' as const }));
  if (real(raw.op)) {
    cond.operator = raw.op.image.toUpperCase() as HavingOperator;
    cond.operatorAt = b.loc(raw.op);
  }
  return cond;
}

/** The COMPARE WITH clause node; its target is left out when the grammar could not read all of it. */
export function buildCompare(b: Builder, raw: RawCompare): CompareClause {
  const withTok = real(raw.with) ? raw.with : undefined;
  const keyword = withTok ? b.keyword(raw.compare, withTok) : b.keyword(raw.compare);
  const t = raw.target;
  let target: CompareTarget | undefined;
  if (t && real(t.previous) && real(t.period)) target = b.at(t.previous, t.period, { kind: 'previousPeriod' as const });
  else if (t && real(t.duration) && real(t.ago)) target = b.at(t.duration, t.ago, { kind: 'ago' as const, duration: buildDuration(b, t.duration) });
  const lastTok = t && [t.ago, t.duration, t.period, t.previous].find(real);
  const clause: CompareClause = b.node(keyword.start, lastTok ? b.endOf(lastTok) : keyword.end, { keyword });
  if (target) clause.target = target;
  return clause;
}

/** A clause node: from its keyword to its last token (the keyword alone when the clause is empty). */
export function buildClause<F extends object>(b: Builder, keyword: Keyword, last: IToken | undefined, fields: F): F & Located & { keyword: Keyword } {
  return b.node(keyword.start, last ? b.endOf(last) : keyword.end, { keyword, ...fields });
}

export function buildComment(b: Builder, t: IToken): Comment {
  const style = t.tokenType === T.LineComment ? 'line' : 'block';
  const terminated = t.tokenType !== T.UnterminatedBlockComment;
  const node: Comment = b.at(t, t, { kind: 'comment' as const, style: style as Comment['style'], text: t.image, terminated });
  if (!terminated) b.error('Unterminated block comment: close it with */.', b.loc(t));
  return node;
}
