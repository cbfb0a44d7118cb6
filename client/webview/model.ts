// Pure logic of the results webview: lossless parsing, cell formatting, sorting, filtering and
// the text produced by export/copy. No DOM here, so node tests can exercise it directly.
import { parse as losslessParse } from 'lossless-json';

import type { Column, ColumnType, Comparison, OrderSpec, Period, ResultResponse as SharedResultResponse, ResultView as SharedResultView } from '../common/protocol.js';

export type { Column, ColumnType, OrderSpec, Period } from '../common/protocol.js';
/** A cell after lossless parsing: integers beyond 2^53 are bigint. */
export type CellValue = string | number | bigint | boolean | null;
/** The shared result view (client/common/protocol.ts) with the page's cells. */
export type ResultView = SharedResultView<CellValue>;
export type ResultResponse = SharedResultResponse<CellValue>;

const COLUMN_TYPES: ReadonlySet<string> = new Set(['STRING', 'INTEGER', 'NUMBER', 'BOOLEAN', 'DATE_TIME']);
export const NA = 'N/A';

// ---------------------------------------------------------------------------------------------
// Parsing

function parseNumberText(text: string): number | bigint {
  if (/^-?\d+$/.test(text)) {
    const n = Number(text);
    return Number.isSafeInteger(n) ? n : BigInt(text);
  }
  return Number(text);
}

type SourceReviver = (key: string, value: unknown, context?: { source?: string }) => unknown;

let nativeSourceSupport: boolean | undefined;
function hasNativeSourceAccess(): boolean {
  if (nativeSourceSupport === undefined) {
    try {
      const probe = (JSON.parse as (t: string, r: SourceReviver) => unknown)(
        '9007199254740993',
        (_k, v, ctx) => (typeof v === 'number' && ctx && typeof ctx.source === 'string' ? ctx.source : v),
      );
      nativeSourceSupport = probe === '9007199254740993';
    } catch {
      nativeSourceSupport = false;
    }
  }
  return nativeSourceSupport;
}

/**
 * Parses JSON keeping integers beyond 2^53 exact (as bigint). Uses the engine's JSON.parse with
 * source-text access when available (fast), otherwise the lossless-json parser.
 */
/** Marks an integer too large for a double while the text goes through the native parser (see below). */
const BIG_MARK = '\u0000';
const LONG_INTEGER_OR_STRING = /"(?:[^"\\]|\\.)*"|(?<![\w.+-])-?\d{16,}(?![\w.])/g;

/** Turns the marked strings back into BigInt, in place. */
function restoreMarks(v: unknown): unknown {
  // The mark is a NUL character on purpose: valid JSON text cannot hold one unescaped.
  // eslint-disable-next-line no-control-regex
  if (typeof v === 'string') return v.charCodeAt(0) === 0 && /^\u0000-?\d+$/.test(v) ? BigInt(v.slice(BIG_MARK.length)) : v;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = restoreMarks(v[i]);
  } else if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) o[k] = restoreMarks(o[k]);
  }
  return v;
}

const isJsonSpace = (c: number): boolean => c === 32 || c === 10 || c === 13 || c === 9;

/** Whether the digits text[start, end) stand where a JSON number token can: after [ , : and before , ] }. */
function numberContext(text: string, start: number, end: number): boolean {
  let b = start - 1;
  while (b >= 0 && isJsonSpace(text.charCodeAt(b))) b--;
  const before = b < 0 ? 44 : text.charCodeAt(b);
  let a = end;
  while (a < text.length && isJsonSpace(text.charCodeAt(a))) a++;
  const after = a >= text.length ? 44 : text.charCodeAt(a);
  return (before === 91 || before === 44 || before === 58) && (after === 44 || after === 93 || after === 125);
}

/**
 * Quotes (with a NUL mark) every run of 16+ digits that stands where a JSON number token can stand (see
 * numberContext) and is beyond 2^53. Every such integer token is a run like that, so none is missed; a run
 * inside a string literal that merely looks like one gets a mark too, and then the text no longer parses
 * (the mark's backslash lands outside the string), so the caller falls back to the exact paths. One plain
 * character loop: a regex over text this full of digits, or a pass over every string literal, is 5-10x
 * slower on 100,000 rows.
 */
function markByContext(text: string): { marked: string; marks: number } {
  let out = '';
  let last = 0;
  let marks = 0;
  let run = 0;
  const n = text.length;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 32;
    if (c >= 48 && c <= 57) {
      run++;
      continue;
    }
    if (run >= 16) {
      const start = text.charCodeAt(i - run - 1) === 45 ? i - run - 1 : i - run;
      const digits = text.slice(start, i);
      if (numberContext(text, start, i) && !Number.isSafeInteger(Number(digits))) {
        out += `${text.slice(last, start)}"\\u0000${digits}"`;
        last = i;
        marks++;
      }
    }
    run = 0;
  }
  return marks === 0 ? { marked: text, marks } : { marked: out + text.slice(last), marks };
}

export function parseLosslessJson(text: string): unknown {
  if (!/\d{16}/.test(text)) return JSON.parse(text); // no integer can be beyond 2^53: the native parser is exact
  if (!text.includes('\\u0000')) {
    // Fast path: mark only the digit runs that stand where numbers stand (see markByContext).
    try {
      const quick = markByContext(text);
      const parsed: unknown = JSON.parse(quick.marked);
      return quick.marks === 0 ? parsed : restoreMarks(parsed);
    } catch {
      // A mark fell inside a string, the nesting is too deep to walk, or the text is not JSON: the exact
      // paths below decide (and report a real syntax error).
    }
    // One pass that skips string literals and quotes every integer beyond 2^53 with a NUL mark, then the
    // native parser; asCell turns marked strings back into BigInt. A reviver with source access does the
    // same job but is called for every value (600,000 for 100,000 rows) and was 5-10x slower. Text that
    // already contains an escaped NUL takes the slower exact paths, so data can never fake a mark.
    let marks = 0;
    const marked = text.replace(LONG_INTEGER_OR_STRING, (m) => {
      if (m.charCodeAt(0) === 34 || Number.isSafeInteger(Number(m))) return m;
      marks++;
      return `"\\u0000${m}"`;
    });
    const parsed: unknown = JSON.parse(marked);
    if (marks === 0) return parsed;
    try {
      return restoreMarks(parsed);
    } catch {
      // Nesting too deep to walk (hostile input): fall through to the exact parsers below.
    }
  }
  if (hasNativeSourceAccess()) {
    return (JSON.parse as (t: string, r: SourceReviver) => unknown)(text, (_k, v, ctx) => {
      if (typeof v === 'number' && !Number.isSafeInteger(v) && Number.isInteger(v) && ctx && typeof ctx.source === 'string' && /^-?\d+$/.test(ctx.source)) {
        return BigInt(ctx.source);
      }
      return v;
    });
  }
  return losslessParse(text, null, parseNumberText);
}

function asString(v: unknown, fallback = ''): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? fallback : String(v);
}

function asPeriod(v: unknown): Period | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const o = v as Record<string, unknown>;
  return { sentSince: asString(o.sentSince), sentUntil: asString(o.sentUntil) };
}

function asCell(v: unknown): CellValue {
  if (v === null || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'bigint') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (v === undefined) return null;
  // Objects and arrays are not expected in a cell; keep them visible as text.
  return stringifyCellsJson(v);
}

function asComparison(v: unknown): Comparison | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const o = v as Record<string, unknown>;
  return {
    label: asString(o.label, 'previous period'),
    previousRequestId: asString(o.previousRequestId),
    previousPeriod: asPeriod(o.previousPeriod) ?? { sentSince: '', sentUntil: '' },
    offsetMs: numOrUndefined(o.offsetMs) ?? 0,
  };
}

function numOrUndefined(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'bigint') return Number(v);
  return undefined;
}

/** ORDER BY items: the host sends a list of `{ column, direction }`; text such as "DAY DESC, X" is read too. */
function orderBySpecs(v: unknown): OrderSpec[] | undefined {
  const items: unknown[] = typeof v === 'string' ? v.split(',') : Array.isArray(v) ? v : [];
  const specs: OrderSpec[] = [];
  for (const x of items) {
    if (typeof x === 'string') {
      const m = /^\s*(.*?)(?:\s+(ASC|DESC))?\s*$/i.exec(x);
      if (m && m[1]) specs.push({ column: m[1], direction: m[2]?.toUpperCase() === 'DESC' ? 'DESC' : 'ASC' });
    } else if (x && typeof x === 'object') {
      const o = x as Record<string, unknown>;
      const column = asString(o.column);
      if (column) specs.push({ column, direction: asString(o.direction).toUpperCase() === 'DESC' ? 'DESC' : 'ASC' });
    }
  }
  return specs.length > 0 ? specs : undefined;
}

/** Parses and validates the payload of a `result` message. Throws an Error with a readable message. */
export function parseResultPayload(text: string): ResultView {
  const raw = parseLosslessJson(text);
  if (!raw || typeof raw !== 'object') throw new Error('result payload is not an object');
  const o = raw as Record<string, unknown>;
  const resp = o.response as Record<string, unknown> | undefined;
  if (!resp || typeof resp !== 'object') throw new Error('result payload has no response');
  if (!Array.isArray(resp.columns)) throw new Error('response.columns is not an array');
  const columns: Column[] = resp.columns.map((c: unknown, i: number) => {
    const co = (c && typeof c === 'object' ? c : {}) as Record<string, unknown>;
    const t = asString(co.columnDataType, 'STRING');
    return { columnName: asString(co.columnName, `column ${i + 1}`), columnDataType: (COLUMN_TYPES.has(t) ? t : 'STRING') as ColumnType };
  });
  const rowsIn = Array.isArray(resp.rows) ? resp.rows : [];
  const rows: CellValue[][] = [];
  for (const r of rowsIn) {
    if (!Array.isArray(r)) continue;
    const row: CellValue[] = new Array(columns.length);
    for (let i = 0; i < columns.length; i++) row[i] = asCell(r[i]);
    rows.push(row);
  }
  const strList = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.map((x) => asString(x)) : undefined);
  return {
    title: asString(o.title, 'mq result'),
    queryText: asString(o.queryText),
    source: o.source === 'sample' ? 'sample' : 'live',
    connection: asString(o.connection),
    requestId: asString(o.requestId),
    requestedPeriod: asPeriod(o.requestedPeriod) ?? asPeriod(resp.requestedPeriod),
    returnedPeriod: asPeriod(o.returnedPeriod),
    elapsedMs: numOrUndefined(o.elapsedMs),
    orderBy: orderBySpecs(o.orderBy),
    limit: numOrUndefined(o.limit),
    dimensions: strList(o.dimensions),
    rateColumns: strList(o.rateColumns),
    comparison: asComparison(o.comparison),
    response: {
      requestedPeriod: asPeriod(resp.requestedPeriod) ?? { sentSince: '', sentUntil: '' },
      totalRows: numOrUndefined(resp.totalRows) ?? rows.length,
      columns,
      rows,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Column roles

export function isRateColumn(view: ResultView, col: Column): boolean {
  if (col.columnDataType !== 'NUMBER') return false;
  return view.rateColumns ? view.rateColumns.includes(col.columnName) : true;
}

/** INTEGER columns that are dimensions in the catalog's naming: COUNTRY_ID, NETWORK_ID, COMMUNICATION, *_CODE. */
const INTEGER_DIMENSION = /(^|_)ID$|Id$|(^|_)CODE$|^COMMUNICATION$/;

/**
 * Dimension columns: from the host's hint, otherwise inferred from types and names: text, booleans and times,
 * plus INTEGER columns named like ids or codes. (Without this a chart would add up rows that differ only in
 * an id, which for a rate gives values above 100 %.)
 */
export function isDimensionColumn(view: ResultView, col: Column): boolean {
  if (view.dimensions) return view.dimensions.includes(col.columnName);
  if (col.columnDataType === 'STRING' || col.columnDataType === 'BOOLEAN' || col.columnDataType === 'DATE_TIME') return true;
  return col.columnDataType === 'INTEGER' && INTEGER_DIMENSION.test(col.columnName);
}

// ---------------------------------------------------------------------------------------------
// Formatting

export function isNA(v: CellValue): boolean {
  return v === null || v === NA;
}

// A date alone ("2024-04-01") is midnight UTC, like mq's own date literals.
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Parses the API's DATE_TIME text (2024-04-04T13:00:00.000+0000) to epoch milliseconds, or NaN. */
export function parseDateTime(text: string): number {
  const m = DATE_RE.exec(text);
  if (!m) return NaN;
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  let t = Date.UTC(+m[1], +m[2] - 1, +m[3], m[4] ? +m[4] : 0, m[5] ? +m[5] : 0, m[6] ? +m[6] : 0, ms);
  const z = m[8];
  if (z && z !== 'Z') {
    const sign = z[0] === '-' ? -1 : 1;
    const digits = z.slice(1).replace(':', '');
    t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60000;
  }
  return t;
}

const p2 = (n: number): string => String(n).padStart(2, '0');

export function formatUtc(ms: number): string {
  const d = new Date(ms);
  const base = `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}`;
  const s = d.getUTCSeconds();
  const ms3 = d.getUTCMilliseconds();
  // Seconds and milliseconds only when there are some (results are usually on whole hours or days).
  if (ms3) return `${base}:${p2(s)}.${String(ms3).padStart(3, '0')} UTC`;
  return `${s ? `${base}:${p2(s)}` : base} UTC`;
}

export function formatLocal(ms: number): string {
  const d = new Date(ms);
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const abs = Math.abs(off);
  return `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())} local (UTC${sign}${p2(Math.floor(abs / 60))}:${p2(abs % 60)})`;
}

/**
 * A number without exponent notation where that stays readable: 1e-7 → 0.0000001, every significant digit
 * kept (1.234567890123e-7 → 0.0000001234567890123). Beyond 20 leading zeros it stays as it is.
 */
export function plainNumber(v: number): string {
  const s = String(v);
  const m = /^(-?)(\d)(?:\.(\d+))?e-(\d+)$/.exec(s);
  if (!m || Number(m[4]) > 20) return s;
  return `${m[1]}0.${'0'.repeat(Number(m[4]) - 1)}${m[2]}${m[3] ?? ''}`;
}

export function formatPercent(v: number): string {
  const pct = v * 100;
  if (!Number.isFinite(pct)) return String(v);
  return `${pct.toFixed(2).replace(/\.?0+$/, '')}%`;
}

/** Longest text put into a cell's DOM; the rest is elided (the full value is still copied/exported). */
export const MAX_DISPLAY_CHARS = 500;
/** Longest text put into a title (tooltip). */
export const MAX_TITLE_CHARS = 2000;

// Bidi embedding/override/isolate controls, and other invisible format characters that can make
// text read differently from what it is.
const BIDI_RE = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/** Makes text safe to *show*: bidi controls and control characters become visible, newlines become ⏎, length is capped. */
export function displayText(text: string, max = MAX_DISPLAY_CHARS): string {
  let t = text.length > max * 2 ? text.slice(0, max * 2) : text;
  t = t
    .replace(BIDI_RE, (c) => `⟨U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}⟩`)
    .replace(CONTROL_RE, '\uFFFD')
    .replace(/\r\n|\r|\n/g, '⏎')
    .replace(/\t/g, ' ');
  if (t.length > max || text.length > max * 2) t = `${t.slice(0, max - 1)}…`;
  return t;
}

export function titleText(text: string): string {
  const t = displayText(text, MAX_TITLE_CHARS);
  return text.length > MAX_TITLE_CHARS ? `${t} (${text.length.toLocaleString('en-US')} characters)` : t;
}

/** The raw value as text (what copy-cell and CSV use). */
export function rawText(v: CellValue): string {
  if (v === null) return '';
  if (typeof v === 'bigint') return v.toString();
  return String(v);
}

export interface FormattedCell {
  text: string;
  title: string;
  kind: 'na' | 'num' | 'date' | 'bool' | 'str' | 'link';
}

export function isSafeUrl(text: string): boolean {
  return /^https?:\/\/[^\s]+$/i.test(text) && text.length <= 8192;
}

/**
 * How a cell is shown. `rate` marks a rate column (shown as a percentage). `withTitle: false` leaves the
 * hover text empty (the table fills it in when the pointer is over the cell, not for every row scrolled by).
 */
export function formatCell(v: CellValue, col: Column, rate: boolean, withTitle = true): FormattedCell {
  if (v === null) return { text: NA, title: 'no value', kind: 'na' };
  if (v === NA) return { text: NA, title: 'not available', kind: 'na' };
  switch (col.columnDataType) {
    case 'DATE_TIME': {
      if (typeof v === 'string') {
        const ms = parseDateTime(v);
        if (!Number.isNaN(ms)) return { text: formatUtc(ms), title: withTitle ? `${formatLocal(ms)}\n${v}` : '', kind: 'date' };
      }
      break;
    }
    case 'NUMBER':
      if (typeof v === 'number') {
        if (rate) return { text: formatPercent(v), title: String(v), kind: 'num' };
        return { text: plainNumber(v), title: String(v), kind: 'num' };
      }
      if (typeof v === 'bigint') return { text: v.toString(), title: v.toString(), kind: 'num' };
      break;
    case 'INTEGER':
      if (typeof v === 'number' || typeof v === 'bigint') {
        const s = v.toString();
        return { text: s, title: s, kind: 'num' };
      }
      break;
    case 'BOOLEAN':
      if (typeof v === 'boolean') return { text: String(v), title: String(v), kind: 'bool' };
      break;
    default:
      break;
  }
  const s = rawText(v);
  return { text: displayText(s), title: withTitle ? titleText(s) : '', kind: typeof v === 'string' && isSafeUrl(s) ? 'link' : 'str' };
}

// ---------------------------------------------------------------------------------------------
// Sorting and filtering

export type SortDir = 'asc' | 'desc';
export interface SortState {
  col: number;
  dir: SortDir;
}

type Key = number | bigint | string;

/** Sort key of a cell, or undefined for N/A (always last). Values of an unexpected type sort after typed ones. */
function sortKey(v: CellValue, col: Column): { rank: number; key: Key } {
  if (isNA(v)) return { rank: 2, key: 0 };
  switch (col.columnDataType) {
    case 'INTEGER':
    case 'NUMBER':
      if (typeof v === 'number' || typeof v === 'bigint') return { rank: 0, key: v };
      return { rank: 1, key: rawText(v) };
    case 'DATE_TIME': {
      const ms = typeof v === 'string' ? parseDateTime(v) : NaN;
      return Number.isNaN(ms) ? { rank: 1, key: rawText(v) } : { rank: 0, key: ms };
    }
    case 'BOOLEAN':
      return typeof v === 'boolean' ? { rank: 0, key: v ? 1 : 0 } : { rank: 1, key: rawText(v) };
    default:
      return { rank: 0, key: rawText(v) };
  }
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Returns the order of `indices` sorted by one column; N/A stays last in both directions; stable. */
export function sortIndices(rows: CellValue[][], indices: number[], cols: Column[], sort: SortState): number[] {
  const col = cols[sort.col];
  if (!col) return indices.slice();
  const ranks = new Uint8Array(rows.length);
  const keys: Key[] = new Array(rows.length);
  for (const i of indices) {
    const k = sortKey(rows[i][sort.col], col);
    ranks[i] = k.rank;
    keys[i] = k.key;
  }
  const dir = sort.dir === 'asc' ? 1 : -1;
  return indices.slice().sort((a, b) => {
    const ra = ranks[a];
    const rb = ranks[b];
    if (ra !== rb) return ra - rb;
    if (ra === 2) return 0;
    const ka = keys[a];
    const kb = keys[b];
    let c: number;
    if (typeof ka === 'string' || typeof kb === 'string') c = collator.compare(String(ka), String(kb));
    else c = ka < kb ? -1 : ka > kb ? 1 : 0;
    return c * dir;
  });
}

/** Lower-cased searchable text of a row (raw values and what is shown). */
export function rowSearchText(row: CellValue[], cols: Column[], rates: boolean[]): string {
  let s = '';
  for (let i = 0; i < cols.length; i++) {
    const v = row[i];
    const f = formatCell(v, cols[i], rates[i]);
    s += `${rawText(v)}\u0001${f.kind === 'str' || f.kind === 'link' ? '' : f.text}\u0001`;
  }
  return s.toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// Export and copy

/**
 * Cells starting with = + - @ (also after leading spaces or line breaks, which spreadsheets skip) or with a
 * tab/CR are prefixed with ' so spreadsheets do not run them; plain numbers stay.
 */
export function neutraliseFormula(text: string): string {
  if (/^(?:\s*[=+\-@]|[\t\r])/.test(text) && !/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(text)) return `'${text}`;
  return text;
}

function csvField(text: string): string {
  const t = neutraliseFormula(text);
  return /[",\r\n]/.test(t) || /^\s|\s$/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

export function toCsv(cols: Column[], rows: CellValue[][], order: number[]): string {
  const lines: string[] = [cols.map((c) => csvField(c.columnName)).join(',')];
  // No value (null) and the API's "N/A" both mean the metric has no value: the same text in a spreadsheet.
  for (const i of order) lines.push(rows[i].map((v) => csvField(v === null ? NA : rawText(v))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** JSON text of any value; bigint becomes a bare JSON number with every digit. */
export function stringifyCellsJson(value: unknown, indent = 0): string {
  const marks: string[] = [];
  const text = JSON.stringify(
    value,
    (_k, v: unknown) => {
      if (typeof v === 'bigint') {
        marks.push(v.toString());
        return `\u0000BIG${marks.length - 1}\u0000`;
      }
      return v;
    },
    indent || undefined,
  );
  if (!marks.length) return text;
  return text.replace(/"\\u0000BIG(\d+)\\u0000"/g, (_m, n: string) => marks[Number(n)]);
}

export function toJsonExport(view: ResultView, order: number[]): string {
  const r = view.response;
  return stringifyCellsJson(
    {
      title: view.title,
      source: view.source,
      connection: view.connection,
      requestId: view.requestId,
      requestedPeriod: view.requestedPeriod ?? r.requestedPeriod,
      returnedPeriod: view.returnedPeriod,
      totalRows: r.totalRows,
      columns: r.columns,
      rows: order.map((i) => r.rows[i]),
    },
    2,
  );
}

function mdEscape(text: string): string {
  return text.replace(/[\\|<>[\]`*_]/g, (c) => `\\${c}`);
}

/** A GitHub-flavoured Markdown table of what is shown (formatted values). */
export function toMarkdown(view: ResultView, order: number[]): string {
  const cols = view.response.columns;
  const rates = cols.map((c) => isRateColumn(view, c));
  const numeric = cols.map((c) => c.columnDataType === 'INTEGER' || c.columnDataType === 'NUMBER');
  const head = `| ${cols.map((c) => mdEscape(displayText(c.columnName))).join(' | ')} |`;
  const sep = `| ${numeric.map((n) => (n ? '---:' : '---')).join(' | ')} |`;
  // Shown formats (percentages, UTC dates), but text is not cut at the table's display limit: a copy keeps
  // the whole value (line breaks and control characters made visible, as in the table).
  const cell = (v: CellValue, c: number): string => {
    const f = formatCell(v, cols[c], rates[c]);
    return f.kind === 'str' || f.kind === 'link' ? displayText(rawText(v), Number.MAX_SAFE_INTEGER) : f.text;
  };
  const body = order.map((i) => `| ${view.response.rows[i].map((v, c) => mdEscape(cell(v, c))).join(' | ')} |`);
  return [head, sep, ...body].join('\n') + '\n';
}

/** Tab-separated raw values of one row (copy row). */
export function rowToTsv(row: CellValue[]): string {
  return row.map((v) => rawText(v).replace(/[\t\r\n]+/g, ' ')).join('\t');
}
