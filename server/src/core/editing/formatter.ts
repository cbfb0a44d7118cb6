// The mq formatter: canonical layout for .mq files (used by `mq fmt` and the language server).
//
// Layout rules (docs/cli.md repeats them for users):
// - Keywords upper case (SELECT, BY, WHERE, AND, IN, BETWEEN, COMPARE WITH, PREVIOUS PERIOD, AGO, HAVING,
//   ORDER BY, ASC, DESC, LIMIT, TRUE, FALSE, OR, NOT). The time anchors are written `now` and `today`, as in the language specification.
// - One clause per line: SELECT, BY, WHERE, COMPARE WITH, HAVING, ORDER BY and LIMIT each start a line at
//   column 0. The first condition follows WHERE (HAVING); every further condition gets its own line,
//   indented two spaces and starting with AND. The AND of `BETWEEN a AND b` stays inside its condition.
//   In HAVING a minus sign sticks to its number (`> -0.5`).
// - Lists are written `A, B, C`; a list longer than the line width (100) wraps after a comma and
//   continues under its first item (SELECT, BY and ORDER BY lists, and IN (...) value lists).
// - Names the catalog knows get their canonical spelling: metrics, dimensions and enum values in
//   UPPER_SNAKE, filters in the API's camelCase (CHANNELCODE → channelCode). Unknown names, strings,
//   numbers and durations are kept exactly as written; so are names used as free text (senders =
//   InfoDesk), because upper-casing those would change what is sent.
// - Every query ends with `;`, queries are separated by one blank line, the file ends with one newline.
// - Comments are never dropped or moved across tokens: a comment that followed a token on the same line
//   stays there; a comment on its own line stays on its own line, indented like the text it precedes.
//   Blank lines between comments outside queries are kept (at most one). The `;` goes right after a
//   query's last token, so comments between that token and the `;` end up after the query and are laid
//   out as comments after a query are (a comment on the last token's line stays on it).
// - A query with any syntax error, and any text outside queries that is not a comment, is kept exactly
//   as written: the formatter never guesses what a broken query means.
//
// Meaning is preserved by construction: the formatter re-emits the document's own tokens in their
// order, only changing whitespace, the case of keywords and catalog names, and adding a missing `;`
// (queries end at `;` or at the next SELECT, so that changes nothing). It is idempotent.
import type { IToken, TokenType } from 'chevrotain';
import type { MqDocument, Query, Value } from '../syntax/ast.js';
import type { CatalogIndex } from '../catalog/catalogIndex.js';
import type { FilterValueKind } from '../catalog/types.js';
import * as T from '../syntax/lexer.js';
import type { Syntax } from '../syntax/parser.js';
import { resultColumns } from '../semantics/columns.js';

export interface FormatOptions {
  /** Lists in SELECT, BY and ORDER BY wrap when a line would get longer than this (default 100). */
  lineWidth?: number;
  /** The document already parsed from exactly this text (the language server keeps one); saves a parse. */
  doc?: MqDocument;
}

/** A text replacement in the original document: replace [start, end) with newText. */
export interface FormatEdit {
  start: number;
  end: number;
  newText: string;
}

const DEFAULT_WIDTH = 100;

/** Formats a whole document. Never throws; returns the text unchanged if there is nothing to format. */
/** What the formatter needs from the core: the catalog's canonical names and the syntax instance. */
export interface FormatterParts {
  catalog: CatalogIndex;
  syntax: Pick<Syntax, 'lex' | 'parseDocument'>;
}

export function formatDocument(parts: FormatterParts, text: string, options: FormatOptions = {}): string {
  const ctx = new Context(parts, text, options);
  return ctx.formatAll();
}

/**
 * Formats the queries that intersect [startOffset, endOffset) and returns one edit per query that
 * changes. Text outside those queries is not touched.
 */
export function formatRange(parts: FormatterParts, text: string, startOffset: number, endOffset: number, options: FormatOptions = {}): FormatEdit[] {
  const ctx = new Context(parts, text, options);
  const edits: FormatEdit[] = [];
  for (const q of ctx.doc.queries) {
    const touches = q.start < endOffset && q.end > startOffset || (startOffset === endOffset && startOffset >= q.start && startOffset <= q.end);
    if (!touches) continue;
    const newText = ctx.formatQuery(q);
    if (newText !== text.slice(q.start, q.end)) edits.push({ start: q.start, end: q.end, newText });
  }
  return edits;
}

/** Formats one query's text as it would appear in a formatted document (no trailing newline). */
export function formatQueryText(parts: FormatterParts, q: Query, text: string, options: FormatOptions = {}): string {
  const ctx = new Context(parts, text, options);
  return ctx.formatQuery(q);
}

// ---------------------------------------------------------------------------------------------------

type Item =
  /** bodyEnd: the end of the query's last token; comments between it and `end` follow the `;` once formatted. */
  | { kind: 'query'; start: number; end: number; bodyEnd: number; query: Query }
  | { kind: 'comment'; start: number; end: number; token: IToken; closesQuery?: boolean }
  | { kind: 'verbatim'; start: number; end: number; onlySemicolons?: boolean };

/** Upper-case keywords; `now` and `today` keep the spelling the specification uses. */
const KEYWORD_TEXT = new Map<TokenType, string>([
  [T.Now, 'now'],
  [T.Today, 'today'],
]);

const NO_SPACE_BEFORE = new Set<TokenType>([T.Comma, T.RParen, T.Semicolon]);

class Context {
  readonly doc: MqDocument;
  private readonly tokens: IToken[];
  private readonly comments: IToken[];
  private readonly width: number;

  private readonly index: CatalogIndex;

  constructor(
    parts: FormatterParts,
    readonly text: string,
    options: FormatOptions,
  ) {
    this.index = parts.catalog;
    this.doc = options.doc ?? parts.syntax.parseDocument(text);
    const lexed = parts.syntax.lex(text);
    this.tokens = lexed.tokens;
    this.comments = lexed.comments;
    this.width = options.lineWidth ?? DEFAULT_WIDTH;
  }

  formatAll(): string {
    const text = this.text;
    const items = this.items();
    if (items.length === 0) return isBlank(text) ? '' : text;
    let out = '';
    let prev: Item | undefined;
    for (const item of items) {
      if (prev) out += this.separator(prev, item);
      out += this.render(item);
      prev = item;
    }
    // A block comment left open runs to the end of the file: adding a newline would change its text.
    const last = items[items.length - 1]!;
    const openComment = last.kind === 'comment' && last.token.tokenType === T.UnterminatedBlockComment;
    return openComment ? out : out + '\n';
  }

  /** Queries, comments outside queries, and any other text outside queries, in document order. */
  private items(): Item[] {
    const text = this.text;
    const items: Item[] = [];
    const queries = this.doc.queries;
    let qi = 0;
    let q = queries[0];
    let qItem = q && this.queryItem(q);
    for (const c of this.comments) {
      // Comments after the last token of a formatted query (before its `;`) end up after the `;`, so they
      // are laid out as the comments that follow a query: a second pass sees them there.
      while (q && qItem && qItem.bodyEnd <= c.startOffset) {
        items.push(qItem);
        q = queries[++qi];
        qItem = q && this.queryItem(q);
      }
      if (q && c.startOffset >= q.start) continue; // inside a query
      items.push({ kind: 'comment', start: c.startOffset, end: c.startOffset + c.image.length, token: c });
    }
    while (qItem) {
      items.push(qItem);
      q = queries[++qi];
      qItem = q && this.queryItem(q);
    }
    // Whatever lies between the items and is not whitespace (stray tokens, unreadable characters) is kept.
    const out: Item[] = [];
    let pos = 0;
    const gap = (from: number, to: number): void => {
      // Only the whitespace the lexer skips is layout: other Unicode spaces (U+2000, U+3000, ...) are
      // unexpected characters, kept with the text around them (String.prototype.trim would drop them).
      let a = from;
      let b = to;
      while (a < b && isLayout(text.charCodeAt(a))) a++;
      while (b > a && isLayout(text.charCodeAt(b - 1))) b--;
      if (a >= b) return;
      let k = a;
      while (k < b && (text.charCodeAt(k) === SEMICOLON || isLayout(text.charCodeAt(k)))) k++;
      out.push(k < b ? { kind: 'verbatim', start: a, end: b } : { kind: 'verbatim', start: a, end: b, onlySemicolons: true });
    };
    for (const item of items) {
      gap(pos, item.start);
      out.push(item);
      // Comments that trail a query's last token lie before its `;`, inside its range.
      pos = Math.max(pos, item.end);
    }
    gap(pos, this.text.length);
    return dropEmptyStatements(out);
  }

  /** A query as an item; a query with syntax errors is one piece of text, comments and all. */
  private queryItem(q: Query): Item & { kind: 'query' } {
    let bodyEnd = q.end;
    if (q.syntaxErrors.length === 0) {
      const last = lastTokenBefore(this.tokens, q.semicolon ? q.semicolon.start : q.end);
      if (last && last.startOffset >= q.start) bodyEnd = last.startOffset + last.image.length;
    }
    return { kind: 'query', start: q.start, end: q.end, bodyEnd, query: q };
  }

  private separator(prev: Item, next: Item): string {
    // A comment that trails a query's last token is measured from that token, not from the `;` after it.
    const from = prev.kind === 'query' && next.start < prev.end ? prev.bodyEnd : prev.end;
    const between = this.text.slice(from, next.start);
    // A comment after a `;` on a line of its own stays on the line of the query's `;` once the lone `;` is
    // gone (it is the query's own `;`, or an empty statement that formatting drops).
    const newlines = next.kind === 'comment' && prev.kind === 'query' && semicolonLineBefore(between) ? 0 : countNewlines(between);
    if (next.kind === 'comment' && newlines === 0 && prev.kind !== 'verbatim') {
      // A comment that follows a query on its last line belongs to that query.
      if (prev.kind === 'query' || prev.closesQuery) next.closesQuery = true;
      return ' ';
    }
    const afterQuery = prev.kind === 'query' || (prev.kind === 'comment' && prev.closesQuery === true);
    if (afterQuery || next.kind === 'query' && prev.kind === 'verbatim') return '\n\n';
    if (newlines === 0 && !(prev.kind === 'comment' && prev.token.tokenType === T.LineComment)) return ' ';
    return newlines >= 2 ? '\n\n' : '\n';
  }

  private render(item: Item): string {
    switch (item.kind) {
      case 'comment':
        return item.token.image;
      case 'verbatim':
        return this.text.slice(item.start, item.end);
      case 'query':
        return item.query.syntaxErrors.length > 0 ? this.text.slice(item.start, item.end) : new QueryWriter(this, item.query, item.bodyEnd).write();
    }
  }

  /**
   * The formatted text of one query and the comments inside its range (as formatAll writes them), or its
   * text as written when it has syntax errors.
   */
  formatQuery(q: Query): string {
    if (q.syntaxErrors.length > 0) return this.text.slice(q.start, q.end);
    const item = this.queryItem(q);
    let out = this.render(item);
    let prev: Item = item;
    for (const c of between(this.comments, item.bodyEnd, q.end)) {
      const next: Item = { kind: 'comment', start: c.startOffset, end: c.startOffset + c.image.length, token: c };
      out += this.separator(prev, next) + c.image;
      prev = next;
    }
    return out;
  }

  /** Lexer tokens and comments inside [start, end), merged in document order. */
  slice(start: number, end: number): IToken[] {
    const toks = between(this.tokens, start, end);
    const comms = between(this.comments, start, end);
    if (comms.length === 0) return toks;
    const out: IToken[] = [];
    let i = 0;
    let j = 0;
    while (i < toks.length || j < comms.length) {
      if (j >= comms.length || (i < toks.length && toks[i]!.startOffset < comms[j]!.startOffset)) out.push(toks[i++]!);
      else out.push(comms[j++]!);
    }
    return out;
  }

  /** Is there a block comment left open (running to the end of the text) at or after `offset`? */
  openCommentAfter(offset: number): boolean {
    const last = this.comments[this.comments.length - 1];
    return last !== undefined && last.tokenType === T.UnterminatedBlockComment && last.startOffset >= offset;
  }

  lineWidth(): number {
    return this.width;
  }

  /** Canonical spellings of the catalog names in a query, keyed by token start offset. */
  canonicalNames(q: Query): Map<number, string> {
    const idx = this.index;
    const names = new Map<number, string>();
    for (const m of q.select.metrics) {
      const e = idx.metrics.get(m.upper);
      if (e) names.set(m.start, e.name);
    }
    for (const d of q.by?.dimensions ?? []) {
      const e = idx.dimensions.get(d.upper);
      if (e) names.set(d.start, e.name);
    }
    // Result columns (ORDER BY, HAVING) are upper case when the result has them: metrics, dimensions and
    // with COMPARE WITH the comparison columns. Other names (and HAVING's text literals) stay as written.
    const columns = new Set(resultColumns(idx, q).map((c) => c.name));
    for (const n of [...(q.orderBy?.items ?? []).map((o) => o.column), ...(q.having?.conditions ?? []).map((c) => c.column)]) {
      const e = idx.metrics.get(n.upper) ?? idx.dimensions.get(n.upper);
      if (e) names.set(n.start, e.name);
      else if (columns.has(n.upper)) names.set(n.start, n.upper);
    }
    for (const c of q.where?.conditions ?? []) {
      const f = idx.filters.get(c.filter.upper);
      if (!f) continue;
      names.set(c.filter.start, f.name);
      for (const v of c.values) {
        const canonical = enumName(idx, f.valueKind, v);
        if (canonical !== undefined) names.set(v.start, canonical);
      }
    }
    return names;
  }
}

/**
 * Drops the runs of `;` that are empty statements. Text outside queries runs up to the next SELECT or `;`,
 * so a `;` between two pieces of such text (comments aside) ends the first one: without it the two
 * would become one piece with one syntax error instead of two. Those are kept as written; a run of `;`
 * next to a query or to either end of the document changes nothing and goes.
 */
function dropEmptyStatements(items: Item[]): Item[] {
  const isText = (it: Item | undefined): boolean => it !== undefined && it.kind === 'verbatim' && it.onlySemicolons !== true;
  const skip = (it: Item): boolean => it.kind === 'comment' || (it.kind === 'verbatim' && it.onlySemicolons === true);
  // textAfter[i]: the first item after i that is neither a comment nor a run of `;` is stray text.
  const textAfter: boolean[] = new Array<boolean>(items.length);
  let next: Item | undefined;
  for (let i = items.length - 1; i >= 0; i--) {
    textAfter[i] = isText(next);
    if (!skip(items[i]!)) next = items[i];
  }
  const out: Item[] = [];
  let prev: Item | undefined;
  for (let i = 0; i < items.length; i++) {
    const it = items[i]!;
    if (it.kind === 'verbatim' && it.onlySemicolons === true && !(isText(prev) && textAfter[i])) continue;
    out.push(it);
    if (!skip(it)) prev = it;
  }
  return out;
}

/** The canonical name of an enum value written as a bare name, when the filter's value list knows it. */
function enumName(idx: CatalogIndex, kind: FilterValueKind, v: Value): string | undefined {
  if (v.kind !== 'nameValue') return undefined;
  const u = v.upper;
  switch (kind) {
    case 'channel':
      return idx.channels.get(u)?.name;
    case 'direction':
      return idx.directions.get(u)?.name;
    case 'statusGroup':
      return idx.statusGroups.get(u)?.name;
    case 'errorGroup':
      return idx.errorGroups.get(u)?.name;
    case 'status':
      return idx.statuses.get(u)?.name;
    case 'errorCode':
      return idx.errorCodes.get(u)?.name;
    case 'trafficType':
      return idx.trafficTypes.get(u)?.name;
    case 'senderType':
      return idx.senderTypes.get(u)?.name;
    case 'timeBucket':
      return idx.timeBuckets.get(u)?.name;
    case 'capability':
      return idx.capabilities.get(u)?.name;
    default:
      // Strings, IDs, booleans and times: a bare name there is free text and is sent as written.
      return undefined;
  }
}

/** The last token that starts before offset, found by binary search. */
function lastTokenBefore(list: IToken[], offset: number): IToken | undefined {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.startOffset < offset) lo = mid + 1;
    else hi = mid;
  }
  return list[lo - 1];
}

/** Tokens whose start lies in [start, end), found by binary search (arrays are in document order). */
function between(list: IToken[], start: number, end: number): IToken[] {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.startOffset < start) lo = mid + 1;
    else hi = mid;
  }
  let j = lo;
  while (j < list.length && list[j]!.startOffset < end) j++;
  return list.slice(lo, j);
}

const SEMICOLON = 0x3b;

/** The characters the lexer skips as whitespace: [ \t\r\n\f\v\u00a0\ufeff] (lexer.ts, WhiteSpace). */
function isLayout(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0xfeff;
}

function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (!isLayout(s.charCodeAt(i))) return false;
  return true;
}

/** `between` holds only layout and `;`, and its last line (where the next item starts) has a `;`. */
function semicolonLineBefore(between: string): boolean {
  let sawSemicolon = false;
  for (let i = between.length - 1; i >= 0; i--) {
    const c = between.charCodeAt(i);
    if (c === 10 || c === 13) return sawSemicolon && /^[\s;]*$/.test(between);
    if (c === SEMICOLON) sawSemicolon = true;
    else if (!isLayout(c)) return false;
  }
  return false;
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 10) n++;
    else if (c === 13 && s.charCodeAt(i + 1) !== 10) n++;
  }
  return n;
}

function isComment(t: IToken): boolean {
  return t.tokenType === T.LineComment || t.tokenType === T.BlockComment || t.tokenType === T.UnterminatedBlockComment;
}

type Clause = 'SELECT' | 'BY' | 'WHERE' | 'COMPARE' | 'HAVING' | 'ORDER' | 'LIMIT';

/** Continuation indent per clause: lines that continue a clause line up after its keyword. */
const CONTINUATION: Record<Clause, number> = { SELECT: 7, BY: 3, WHERE: 6, COMPARE: 13, HAVING: 7, ORDER: 9, LIMIT: 6 };

/** Keywords that start a clause line (BY only when it does not follow ORDER). */
const CLAUSE_START = new Map<TokenType, Clause>([
  [T.Select, 'SELECT'],
  [T.Where, 'WHERE'],
  [T.Compare, 'COMPARE'],
  [T.Having, 'HAVING'],
  [T.Order, 'ORDER'],
  [T.Limit, 'LIMIT'],
]);

/** Writes one syntactically valid query. */
class QueryWriter {
  private out = '';
  private col = 0;
  private clause: Clause = 'SELECT';
  /** Column just after each open parenthesis (lists inside wrap under their first value). */
  private readonly parens: number[] = [];
  private readonly names: Map<number, string>;
  /** Offsets of the ANDs that join conditions (not the AND of BETWEEN). */
  private readonly joiners = new Set<number>();

  constructor(
    private readonly ctx: Context,
    private readonly q: Query,
    /** The end of the query's last token: the comments after it are written after the `;`, by the caller. */
    private readonly bodyEnd: number,
  ) {
    this.names = ctx.canonicalNames(q);
    for (const clause of [q.where, q.having]) {
      if (!clause) continue;
      // Conditions and tokens are both in document order (conditions do not overlap), so one walk over
      // the two finds the ANDs outside every condition; testing each AND against every condition was
      // quadratic (seconds on a megabyte line of conditions).
      const conditions: readonly { start: number; end: number }[] = clause.conditions;
      let ci = 0;
      for (const t of ctx.slice(clause.start, clause.end)) {
        if (t.tokenType !== T.And) continue;
        const s = t.startOffset;
        while (ci < conditions.length && conditions[ci]!.end <= s) ci++;
        const c = conditions[ci];
        if (!(c && s >= c.start)) this.joiners.add(s);
      }
    }
  }

  write(): string {
    const q = this.q;
    const text = this.ctx.text;
    // The `;` is written by hand at the end (added when missing), so leave it out of the token list.
    const toks = this.ctx.slice(q.start, this.bodyEnd);
    let prevEnd = -1; // end offset of the previous token or comment
    let prev: IToken | undefined;
    let lastToken: IToken | undefined; // last non-comment token
    let upcoming = 0; // index of the first non-comment token at or after the current comment run
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i]!;
      if (isComment(t)) {
        const sameLine = prev !== undefined && countNewlines(text.slice(prevEnd, t.startOffset)) === 0;
        if (sameLine) this.emit(' ' + t.image);
        else {
          // Found once per run of comments (searching from each comment was quadratic in the run).
          if (upcoming <= i) {
            upcoming = i + 1;
            while (upcoming < toks.length && isComment(toks[upcoming]!)) upcoming++;
          }
          this.newline(this.indentFor(toks[upcoming]));
          this.emit(t.image);
        }
        prev = t;
        prevEnd = t.startOffset + t.image.length;
        // A line comment ends its line; so does a block comment that was followed by a line break.
        const nextTok = toks[i + 1];
        const after = nextTok ? text.slice(prevEnd, nextTok.startOffset) : '';
        if (t.tokenType === T.LineComment || (nextTok && countNewlines(after) > 0)) this.pendingBreak = true;
        continue;
      }
      this.token(t, lastToken);
      prev = t;
      lastToken = t;
      prevEnd = t.startOffset + t.image.length;
    }
    return this.finish();
  }

  /** Set after a comment that ends its line: the next token starts a new line. */
  private pendingBreak = false;
  private finish(): string {
    // The tokens end the text: comments after the last token are not part of it (see bodyEnd). A `;` is
    // added when missing, except before a block comment left open: that comment swallows the rest of the
    // file, and once it is closed the text after it may continue this query, so the `;` would change what
    // the text means.
    const addSemicolon = this.q.semicolon !== undefined || !this.ctx.openCommentAfter(this.bodyEnd);
    return addSemicolon ? this.out + ';' : this.out;
  }

  /** A comment on its own line takes the indentation of the token that follows it (t, if any). */
  private indentFor(t: IToken | undefined): number {
    if (t === undefined) return this.continuation();
    const tt = t.tokenType;
    if (CLAUSE_START.has(tt)) return 0;
    if (tt === T.By && this.lastType !== T.Order) return 0;
    if (tt === T.And && this.joiners.has(t.startOffset)) return 2;
    return this.continuation();
  }

  /** Indentation of a line that continues the current clause: under the open list, or after the keyword. */
  private continuation(): number {
    return this.parens.length > 0 ? this.parens[this.parens.length - 1]! : CONTINUATION[this.clause];
  }

  private lastType: TokenType | undefined;

  private token(t: IToken, last: IToken | undefined): void {
    const tt = t.tokenType;
    const keyword = T.KEYWORDS.get(tt.name) === tt;
    const image = this.names.get(t.startOffset) ?? (keyword ? (KEYWORD_TEXT.get(tt) ?? tt.name) : t.image);
    // Clause starts and condition joiners begin a new line.
    let lineStart: number | undefined;
    const starts = CLAUSE_START.get(tt) ?? (tt === T.By && this.lastType !== T.Order ? 'BY' : undefined);
    // In HAVING a minus is always the sign of the number after it: `> -0.5`.
    const signed = this.clause === 'HAVING' && this.lastType === T.Minus;
    if (starts) {
      this.clause = starts;
      if (tt !== T.Select || last !== undefined) lineStart = 0;
    } else if (tt === T.And && this.joiners.has(t.startOffset)) {
      lineStart = 2;
    }
    if (lineStart !== undefined) {
      this.newline(lineStart);
      this.pendingBreak = false;
    } else if (this.pendingBreak) {
      this.newline(this.continuation());
      this.pendingBreak = false;
    } else if (last !== undefined && !this.fresh) {
      const glue = NO_SPACE_BEFORE.has(tt) || this.lastType === T.LParen || signed;
      if (!glue) {
        if (this.shouldWrap(image)) this.newline(this.continuation());
        else this.emit(' ');
      }
    }
    this.emit(image);
    if (tt === T.LParen) this.parens.push(this.col);
    else if (tt === T.RParen) this.parens.pop();
    this.lastType = tt;
  }

  /** Wrap a long SELECT / BY / ORDER BY / IN list after a comma. */
  private shouldWrap(image: string): boolean {
    if (this.lastType !== T.Comma) return false;
    // Room for the item, and for the comma or semicolon after it.
    return this.col + 1 + image.length + 1 > this.ctx.lineWidth();
  }

  /** True right after a line break (only the indentation written so far). */
  private fresh = false;

  private newline(indent: number): void {
    if (this.out === '') return;
    this.out += '\n' + ' '.repeat(indent);
    this.col = indent;
    this.fresh = true;
  }

  private emit(s: string): void {
    if (s === '') return;
    this.out += s;
    this.fresh = false;
    const nl = s.lastIndexOf('\n');
    this.col = nl < 0 ? this.col + s.length : s.length - nl - 1;
  }
}
