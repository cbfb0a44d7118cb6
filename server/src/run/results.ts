// What happens to a result after it arrives: ORDER BY / LIMIT (applied locally, the API does not sort
// or page), and the three output formats of `mq run`: aligned text, RFC 4180 CSV and a JSON envelope.
import { stringify } from 'csv-stringify/sync';
import { RawInteger, stringifyJson, type AggregateDataResponse, type Cell } from '../core/compile/wire.js';

export interface OrderSpec {
  column: string;
  direction: 'ASC' | 'DESC';
}

const isMissing = (c: Cell): boolean => c === null || c === undefined || c === 'N/A';

function compareCells(a: Cell, b: Cell): number {
  const aNum = typeof a === 'number' || a instanceof RawInteger;
  const bNum = typeof b === 'number' || b instanceof RawInteger;
  if (aNum && bNum) {
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    const ai = a instanceof RawInteger ? a.digits : Number.isInteger(a) ? String(a) : undefined;
    const bi = b instanceof RawInteger ? b.digits : Number.isInteger(b) ? String(b) : undefined;
    if (ai !== undefined && bi !== undefined) {
      const x = BigInt(ai);
      const y = BigInt(bi);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    return Number(a instanceof RawInteger ? a.digits : a) - Number(b instanceof RawInteger ? b.digits : b);
  }
  if (aNum !== bNum) return aNum ? -1 : 1; // numbers before text in a mixed column
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Sorts rows by the ORDER BY items (column names are case-insensitive; unknown columns are ignored),
 * "N/A" and empty cells last in either direction, stable for equal keys; then keeps the first `limit` rows.
 * Returns a new response; totalRows is the number of rows kept.
 */
export function applyOrderAndLimit(response: AggregateDataResponse, orderBy: readonly OrderSpec[], limit?: number): AggregateDataResponse {
  const keys = orderBy
    .map((o) => ({ index: response.columns.findIndex((c) => c.columnName.toUpperCase() === o.column.toUpperCase()), desc: o.direction === 'DESC' }))
    .filter((k) => k.index >= 0);
  let rows = response.rows.map((r, i) => ({ r, i }));
  if (keys.length) {
    rows.sort((p, q) => {
      for (const k of keys) {
        const a = p.r[k.index] as Cell;
        const b = q.r[k.index] as Cell;
        const am = isMissing(a);
        const bm = isMissing(b);
        if (am || bm) {
          if (am && bm) continue;
          return am ? 1 : -1;
        }
        const c = compareCells(a, b);
        if (c !== 0) return k.desc ? -c : c;
      }
      return p.i - q.i;
    });
  }
  if (limit !== undefined && limit >= 0) rows = rows.slice(0, limit);
  const out = rows.map((x) => x.r);
  return { ...response, rows: out, totalRows: out.length };
}

/** A cell as text (large integers keep every digit). */
export function cellText(c: Cell): string {
  if (c === null || c === undefined) return '';
  if (c instanceof RawInteger) return c.digits;
  return String(c);
}

const NUMERIC_TYPES = new Set(['INTEGER', 'NUMBER']);

/** An aligned text table: numbers right-aligned, text left-aligned. */
export function formatTable(response: AggregateDataResponse): string {
  const header = response.columns.map((c) => c.columnName);
  const body = response.rows.map((r) => r.map((c) => cellText(c).replace(/[\r\n\t]/g, ' ')));
  const widths = header.map((h, j) => Math.max(h.length, ...body.map((r) => (r[j] ?? '').length)));
  const right = response.columns.map((c) => NUMERIC_TYPES.has(c.columnDataType));
  const line = (cells: string[], isHeader = false) =>
    cells
      .map((c, j) => (right[j] && !isHeader ? c.padStart(widths[j]!) : c.padEnd(widths[j]!)))
      .join('  ')
      .trimEnd();
  const out = [line(header, true), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const r of body) out.push(line(r));
  return out.join('\n') + '\n';
}

/**
 * Neutralises spreadsheet formulas: text starting with = + - @ (also after leading spaces or line breaks,
 * which spreadsheets skip), or with a tab/CR, gets a leading apostrophe.
 */
function csvCell(c: Cell): string {
  if (typeof c === 'number' || c instanceof RawInteger) return cellText(c); // negative numbers stay numbers
  const t = cellText(c);
  return /^(?:\s*[=+\-@]|[\t\r])/.test(t) ? `'${t}` : t;
}

/** RFC 4180 CSV with a header row and CRLF line ends. */
export function formatCsv(response: AggregateDataResponse): string {
  const records = [response.columns.map((c) => csvCell(c.columnName)), ...response.rows.map((r) => r.map(csvCell))];
  return stringify(records, { record_delimiter: '\r\n', quoted_match: /[\r\n]|^\s|\s$/ });
}

export interface ResultEnvelope {
  requestId: string;
  /** COMPARE WITH: the previous period's request id. */
  previousRequestId?: string;
  status: 'SUCCESS' | 'FAILED';
  source: 'live' | 'sample';
  /** For COMPARE WITH the joined rows, with `previousPeriod` beside `requestedPeriod`. */
  response?: AggregateDataResponse & { previousPeriod?: { sentSince: string; sentUntil: string } };
  failureMessage?: string;
}

/** The JSON printed by `mq run --format json` (cells exactly as received, large integers untouched). */
export function formatJson(env: ResultEnvelope): string {
  return stringifyJson(envelopeObject(env), 2) + '\n';
}

/** One entry of `mq run --all --format json`: a query's place in the file and its outcome. */
export type QueryOutcome = { query: number; line: number } & (
  | ResultEnvelope
  | { status: 'NOT_RUN'; errors: string[] }
  | { status: 'ERROR'; kind: string; message: string; requestId?: string }
);

/** The JSON array printed by `mq run --all --format json`, in file order. */
export function formatJsonList(items: readonly QueryOutcome[]): string {
  return stringifyJson(items.map((it) => {
    const head = { query: it.query, line: it.line };
    if (it.status === 'NOT_RUN') return { ...head, status: it.status, errors: it.errors };
    if (it.status === 'ERROR') return { ...head, status: it.status, kind: it.kind, message: it.message, ...(it.requestId ? { requestId: it.requestId } : {}) };
    return { ...head, ...envelopeObject(it) };
  }), 2) + '\n';
}

function envelopeObject(env: ResultEnvelope): Record<string, unknown> {
  const out: Record<string, unknown> = { requestId: env.requestId };
  if (env.previousRequestId !== undefined) out.previousRequestId = env.previousRequestId;
  out.status = env.status;
  out.source = env.source;
  if (env.response) {
    const r = env.response;
    const previous = r.previousPeriod ? { previousPeriod: r.previousPeriod } : {};
    out.response = { requestedPeriod: r.requestedPeriod, ...previous, totalRows: r.totalRows, columns: r.columns, rows: r.rows };
  }
  if (env.failureMessage !== undefined) out.failureMessage = env.failureMessage;
  return out;
}
