// What a compiled plan does to the rows once they arrived (spec §8.2–8.4): for COMPARE WITH, the join of
// the current and the previous period's rows and the comparison columns; then HAVING, ORDER BY and LIMIT.
// Pure and shared: `mq run`, `mq fetch`, the extension and the notebook runner all call applyPlan().
import type { HavingCondition, HavingLiteral, QueryPlan } from '../core/compile/plan.js';
import { formatWireTime } from '../core/compile/time.js';
import { RawInteger, type AggregateDataResponse, type Cell, type ResultColumn } from '../core/compile/wire.js';
import { applyOrderAndLimit, cellText } from './results.js';

/** A result as shown: the joined and filtered rows, with the previous period the API answered for. */
export interface PlannedResponse extends AggregateDataResponse {
  /** COMPARE WITH only: the previous request's requestedPeriod (as the API returned it). */
  previousPeriod?: { sentSince: string; sentUntil: string };
}

const NA = 'N/A';
export const COMPARISON_SUFFIXES = ['_PREVIOUS', '_DELTA', '_DELTA_PCT'] as const;
const TIME_COLUMNS = new Set(['HOUR', 'DAY', 'WEEK_SATURDAY_START', 'WEEK_SUNDAY_START', 'WEEK_MONDAY_START', 'MONTH', 'QUARTER', 'YEAR']);

const isMissing = (c: Cell | undefined): boolean => c === null || c === undefined || c === NA;

/** A time cell as milliseconds since the epoch: `2024-04-04T13:00:00.000+0000`, ISO forms, or a bare date. */
export function parseTimeCell(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac, off] = m;
  let ms = Date.UTC(+y!, +mo! - 1, +d!, +h, +mi, +s, frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0);
  if (off && off !== 'Z') {
    const o = off.replace(':', '');
    ms -= (o[0] === '-' ? -1 : 1) * (Number(o.slice(1, 3)) * 60 + Number(o.slice(3, 5))) * 60_000;
  }
  return Number.isFinite(ms) ? ms : undefined;
}

/** A time cell moved by `offsetMs`, written in the form it came in (a bare date stays a bare date). */
function shiftTimeCell(c: Cell, offsetMs: number): Cell {
  if (typeof c !== 'string') return c;
  const ms = parseTimeCell(c);
  if (ms === undefined) return c;
  const moved = formatWireTime(ms + offsetMs);
  return /^\d{4}-\d{2}-\d{2}$/.test(c.trim()) ? moved.slice(0, 10) : moved;
}

/** The join key of one dimension cell: exact digits for integers, epoch ms for times, text otherwise. */
function keyPart(c: Cell | undefined, time: boolean, offsetMs: number): string {
  if (isMissing(c)) return '\u0000NA';
  if (c instanceof RawInteger) return `i${BigInt(c.digits).toString()}`;
  if (typeof c === 'number') return Number.isSafeInteger(c) ? `i${c}` : `n${c}`;
  if (time && typeof c === 'string') {
    const ms = parseTimeCell(c);
    if (ms !== undefined) return `t${ms + offsetMs}`;
  }
  return `s${String(c)}`;
}

// ---------------------------------------------------------------------------------------------------------
// Arithmetic: integers exactly (BigInt), decimals rounded to the places their operands were written with.

type Num = { int: bigint } | { float: number };

function numberOf(c: Cell | undefined): Num | undefined {
  if (c instanceof RawInteger) return { int: BigInt(c.digits) };
  if (typeof c === 'number' && Number.isFinite(c)) return Number.isInteger(c) ? { int: BigInt(c) } : { float: c };
  return undefined;
}

const asFloat = (n: Num): number => ('int' in n ? Number(n.int) : n.float);

function decimals(n: Num): number {
  if ('int' in n) return 0;
  const t = String(n.float);
  const e = /e-(\d+)$/.exec(t);
  const dot = t.indexOf('.');
  const frac = dot < 0 ? 0 : t.replace(/e.*$/, '').length - dot - 1;
  return Math.min(20, frac + (e ? Number(e[1]) : 0));
}

/** An exact integer as a cell: a plain number when it is safe, else its digits. */
function intCell(v: bigint): Cell {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : new RawInteger(v.toString());
}

function delta(cur: Num, prev: Num): Cell {
  if ('int' in cur && 'int' in prev) return intCell(cur.int - prev.int);
  const places = Math.max(decimals(cur), decimals(prev));
  return Number((asFloat(cur) - asFloat(prev)).toFixed(places));
}

/** Percentages are rounded to 4 decimal places (2.0815): enough for any threshold, short in a table. */
const PCT_PLACES = 4;

function deltaPct(cur: Num, prev: Num): Cell {
  if (asFloat(prev) === 0) return NA;
  if ('int' in cur && 'int' in prev) {
    // Scaled integer division: exact for int64 counts, then rounded half away from zero.
    const scale = 10n ** BigInt(PCT_PLACES + 1);
    const scaled = ((cur.int - prev.int) * 100n * scale) / prev.int;
    const rounded = (scaled + (scaled < 0n ? -5n : 5n)) / 10n;
    return Number(rounded) / 10 ** PCT_PLACES;
  }
  return Number(((((asFloat(cur) - asFloat(prev)) * 100) / asFloat(prev))).toFixed(PCT_PLACES));
}

// ---------------------------------------------------------------------------------------------------------
// The join (§8.2, §8.3).

interface Side {
  response: AggregateDataResponse;
  index: Map<string, number>;
}

const sideOf = (response: AggregateDataResponse): Side => ({ response, index: new Map(response.columns.map((c, i) => [c.columnName.toUpperCase(), i])) });
const cellOf = (s: Side, row: readonly Cell[], name: string): Cell | undefined => {
  const i = s.index.get(name);
  return i === undefined ? undefined : row[i];
};

/** The dimension columns of the joined result: every column that is not a metric, current side first. */
function dimensionColumns(metrics: ReadonlySet<string>, cur: Side, prev: Side): ResultColumn[] {
  const out: ResultColumn[] = [];
  const seen = new Set<string>();
  for (const c of [...cur.response.columns, ...prev.response.columns]) {
    const name = c.columnName.toUpperCase();
    if (metrics.has(name) || seen.has(name)) continue;
    seen.add(name);
    out.push(c);
  }
  return out;
}

function metricColumns(metrics: readonly string[], cur: Side, prev: Side): ResultColumn[] {
  return metrics.flatMap((m) => {
    const found = cur.response.columns.find((c) => c.columnName.toUpperCase() === m) ?? prev.response.columns.find((c) => c.columnName.toUpperCase() === m);
    const type = found?.columnDataType ?? 'NUMBER';
    return [
      { columnName: m, columnDataType: type },
      { columnName: `${m}_PREVIOUS`, columnDataType: type },
      { columnName: `${m}_DELTA`, columnDataType: type },
      { columnName: `${m}_DELTA_PCT`, columnDataType: 'NUMBER' as const },
    ];
  });
}

/** The four cells of one metric for a joined row (either side may be absent). */
function metricCells(curCell: Cell | undefined, prevCell: Cell | undefined): Cell[] {
  const c = isMissing(curCell) ? NA : (curCell as Cell);
  const p = isMissing(prevCell) ? NA : (prevCell as Cell);
  const cn = numberOf(c);
  const pn = numberOf(p);
  if (!cn || !pn) return [c, p, NA, NA];
  return [c, p, delta(cn, pn), deltaPct(cn, pn)];
}

/**
 * Joins the rows of two periods on every dimension column; a previous row's time cells are moved forward by
 * `offsetMs` before matching. A row on one side only is kept with N/A on the other side.
 */
export function joinPeriods(metrics: readonly string[], current: AggregateDataResponse, previous: AggregateDataResponse, offsetMs: number): AggregateDataResponse {
  const cur = sideOf(current);
  const prev = sideOf(previous);
  const metricSet = new Set(metrics);
  const dims = dimensionColumns(metricSet, cur, prev);
  const dimNames = dims.map((d) => d.columnName.toUpperCase());
  const isTime = dims.map((d) => d.columnDataType === 'DATE_TIME' || TIME_COLUMNS.has(d.columnName.toUpperCase()));
  const keyOf = (s: Side, row: readonly Cell[], shift: number) => dimNames.map((n, j) => keyPart(cellOf(s, row, n), isTime[j]!, shift)).join('\u0001');
  // Previous rows by key; several rows with one key (not expected from the API) pair up in order.
  const waiting = new Map<string, (readonly Cell[])[]>();
  for (const row of previous.rows) {
    const k = keyOf(prev, row, offsetMs);
    const list = waiting.get(k);
    if (list) list.push(row);
    else waiting.set(k, [row]);
  }
  const rows: Cell[][] = [];
  const emit = (c: readonly Cell[] | undefined, p: readonly Cell[] | undefined) => {
    const dimCells = dimNames.map((n, j) => {
      if (c) return cellOf(cur, c, n) ?? NA;
      const v = cellOf(prev, p!, n) ?? NA;
      return isTime[j] ? shiftTimeCell(v, offsetMs) : v;
    });
    const metricPart = metrics.flatMap((m) => metricCells(c ? cellOf(cur, c, m) : undefined, p ? cellOf(prev, p, m) : undefined));
    rows.push([...dimCells, ...metricPart]);
  };
  for (const row of current.rows) emit(row, waiting.get(keyOf(cur, row, 0))?.shift());
  for (const list of waiting.values()) for (const p of list) emit(undefined, p);
  return { requestedPeriod: current.requestedPeriod, totalRows: rows.length, columns: [...dims, ...metricColumns(metrics, cur, prev)], rows };
}

// ---------------------------------------------------------------------------------------------------------
// HAVING (§8.4): N/A satisfies nothing; dimension columns compare as text, case-sensitively.

/** True for a metric column or one of its comparison columns. */
function isMetricColumn(name: string, metrics: readonly string[]): boolean {
  if (metrics.includes(name)) return true;
  return COMPARISON_SUFFIXES.some((s) => name.endsWith(s) && metrics.includes(name.slice(0, -s.length)));
}

function compareNumber(cell: Num, lit: HavingLiteral): number | undefined {
  if (lit.kind !== 'number') return undefined;
  if ('int' in cell && /^-?\d+$/.test(lit.text)) {
    const l = BigInt(lit.text);
    return cell.int < l ? -1 : cell.int > l ? 1 : 0;
  }
  const a = asFloat(cell);
  return a < lit.value ? -1 : a > lit.value ? 1 : 0;
}

function holds(op: HavingCondition['operator'], cmp: (lit: HavingLiteral) => number | undefined, values: readonly HavingLiteral[]): boolean {
  const one = (lit: HavingLiteral | undefined, ok: (c: number) => boolean) => {
    const c = lit ? cmp(lit) : undefined;
    return c !== undefined && ok(c);
  };
  switch (op) {
    case '=': return one(values[0], (c) => c === 0);
    case '!=':
    case '<>': return one(values[0], (c) => c !== 0);
    case '<': return one(values[0], (c) => c < 0);
    case '<=': return one(values[0], (c) => c <= 0);
    case '>': return one(values[0], (c) => c > 0);
    case '>=': return one(values[0], (c) => c >= 0);
    case 'IN': return values.some((v) => one(v, (c) => c === 0));
    case 'BETWEEN': return one(values[0], (c) => c >= 0) && one(values[1], (c) => c <= 0);
  }
}

/** Whether one row satisfies one condition. */
function satisfies(cell: Cell | undefined, cond: HavingCondition, numeric: boolean): boolean {
  if (isMissing(cell)) return false;
  if (numeric) {
    const n = numberOf(cell);
    return n !== undefined && holds(cond.operator, (lit) => compareNumber(n, lit), cond.values);
  }
  const text = cellText(cell as Cell);
  const litText = (lit: HavingLiteral) => (lit.kind === 'number' ? lit.text : lit.value);
  return holds(cond.operator, (lit) => (text === litText(lit) ? 0 : text < litText(lit) ? -1 : 1), cond.values);
}

/** Keeps the rows that satisfy every HAVING condition (a column the result lacks is N/A for every row). */
export function applyHaving(response: AggregateDataResponse, having: readonly HavingCondition[], metrics: readonly string[]): AggregateDataResponse {
  if (!having.length) return response;
  const tests = having.map((cond) => {
    const column = cond.column.toUpperCase();
    return { cond, index: response.columns.findIndex((c) => c.columnName.toUpperCase() === column), numeric: isMetricColumn(column, metrics) };
  });
  const rows = response.rows.filter((row) => tests.every((t) => t.index >= 0 && satisfies(row[t.index], t.cond, t.numeric)));
  return { ...response, rows, totalRows: rows.length };
}

/**
 * Everything that happens to a result on this side (spec §8): the COMPARE WITH join when the plan has a
 * comparison (then `previous` is required), then HAVING, then ORDER BY and LIMIT.
 */
export function applyPlan(plan: QueryPlan, current: AggregateDataResponse, previous?: AggregateDataResponse): PlannedResponse {
  let joined: AggregateDataResponse = current;
  if (plan.comparison) {
    if (!previous) throw new Error('applyPlan: a COMPARE WITH plan needs the previous period’s result.');
    joined = joinPeriods(plan.metrics, current, previous, plan.comparison.offsetMs);
  }
  const filtered = applyHaving(joined, plan.having, plan.metrics);
  const out: PlannedResponse = applyOrderAndLimit(filtered, plan.orderBy, plan.limit);
  if (plan.comparison && previous) out.previousPeriod = previous.requestedPeriod;
  return out;
}

/** The result columns that are dimensions (CHANNEL_CODE first, as the API adds it), for charts and views. */
export function dimensionColumnsOf(plan: QueryPlan): string[] {
  return ['CHANNEL_CODE', ...plan.dimensions.filter((d) => d !== 'CHANNEL_CODE')];
}

/** The columns shown as rates: each rate metric, and with COMPARE WITH its previous value and its delta. */
export function rateColumnsOf(plan: QueryPlan, isRate: (metric: string) => boolean): string[] {
  return plan.metrics.filter(isRate).flatMap((m) => (plan.comparison ? [m, `${m}_PREVIOUS`, `${m}_DELTA`] : [m]));
}

/** What a result view says about the previous period of a COMPARE WITH run. */
export function comparisonOf(plan: QueryPlan, previousRequestId: string | undefined, response: PlannedResponse): { label: string; previousRequestId: string; previousPeriod: { sentSince: string; sentUntil: string }; offsetMs: number } | undefined {
  if (!plan.comparison) return undefined;
  const f = plan.comparison.request.filterBy;
  return { label: plan.comparison.label, previousRequestId: previousRequestId ?? '', previousPeriod: response.previousPeriod ?? { sentSince: f.sentSince, sentUntil: f.sentUntil }, offsetMs: plan.comparison.offsetMs };
}
