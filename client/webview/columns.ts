// What each result column is (dimension, count, rate, a COMPARE WITH column), how its cells read on screen
// (digit grouping in the user's locale with every int64 digit kept, rates as percentages with a fixed number
// of decimals, signed deltas), constant columns and exact totals. No DOM: node tests use it directly.
import { type CellValue, type Column, type FormattedCell, type ResultView, NA, formatCell, isDimensionColumn, plainNumber } from './model.js';

export interface ColumnInfo {
  index: number;
  column: Column;
  dimension: boolean;
  /** A fraction shown as a percentage (a rate or ratio, and its _PREVIOUS). */
  rate: boolean;
  /** What a COMPARE WITH column is, with the index of its metric M. */
  compare?: { kind: 'previous' | 'delta' | 'deltaPct'; base: number };
  /** A count: totals are sums. Rates, ratios and percentage changes have none. */
  additive: boolean;
  /** A DATE_TIME column whose every value is a midnight in UTC (days, weeks): shown as the date alone. */
  dateOnly?: boolean;
}

const MIDNIGHT_UTC = /T00:00(?::00(?:\.0+)?)?(?:Z|[+-]00:?00)?$/;

/** Whether every value of a DATE_TIME column is a UTC midnight (N/A aside), checked on every row. */
export function allMidnights(rows: CellValue[][], col: number): boolean {
  let any = false;
  for (const r of rows) {
    const v = r[col];
    if (v === null || v === NA) continue;
    if (typeof v !== 'string' || !MIDNIGHT_UTC.test(v)) return false;
    any = true;
  }
  return any;
}

const COMPARE_SUFFIXES = [['_DELTA_PCT', 'deltaPct'], ['_PREVIOUS', 'previous'], ['_DELTA', 'delta']] as const;

function compareOf(view: ResultView, name: string, byName: Map<string, number>): ColumnInfo['compare'] {
  if (!view.comparison) return undefined;
  for (const [suffix, kind] of COMPARE_SUFFIXES) {
    if (!name.endsWith(suffix)) continue;
    const base = byName.get(name.slice(0, -suffix.length));
    if (base !== undefined) return { kind, base };
  }
  return undefined;
}

function isRate(view: ResultView, col: Column): boolean {
  if (col.columnDataType !== 'NUMBER') return false;
  return view.rateColumns ? view.rateColumns.includes(col.columnName) : true;
}

export function analyseColumns(view: ResultView): ColumnInfo[] {
  const cols = view.response.columns;
  const byName = new Map(cols.map((c, i) => [c.columnName, i]));
  const infos: ColumnInfo[] = cols.map((column, index) => ({ index, column, dimension: isDimensionColumn(view, column), rate: false, additive: false }));
  for (const info of infos) {
    const compare = info.dimension ? undefined : compareOf(view, info.column.columnName, byName);
    if (compare) info.compare = compare;
  }
  for (const info of infos) {
    const c = info.column;
    if (c.columnDataType === 'DATE_TIME' && allMidnights(view.response.rows, info.index)) info.dateOnly = true;
    if (info.dimension) continue;
    const base = info.compare ? infos[info.compare.base]!.column : c;
    // M_DELTA_PCT is already ×100 (spec); M_PREVIOUS and M_DELTA have M's type and meaning.
    info.rate = info.compare?.kind === 'deltaPct' ? false : isRate(view, base);
    info.additive = base.columnDataType === 'INTEGER' && info.compare?.kind !== 'deltaPct';
  }
  return infos;
}

/** Dimension columns with the same value on every row (two rows or more): shown as chips instead. */
export function constantColumns(rows: CellValue[][], infos: ColumnInfo[]): number[] {
  if (rows.length < 2) return [];
  const out: number[] = [];
  for (const info of infos) {
    if (!info.dimension) continue;
    const c = info.index;
    const first = rows[0]![c];
    let same = true;
    for (let i = 1; i < rows.length && same; i++) same = rows[i]![c] === first;
    if (same) out.push(c);
  }
  return out;
}

/** Exact sum of an integer column over the given rows (N/A and non-integers skipped), and how many were summed. */
export function exactSum(rows: CellValue[][], order: readonly number[], col: number): { sum: bigint; counted: number } {
  let small = 0;
  let big = 0n;
  let counted = 0;
  for (const i of order) {
    const v = rows[i]![col];
    if (typeof v === 'number') {
      if (!Number.isInteger(v)) continue;
      small += v;
      // Kept below 2^52 so every addition stays exact; the rest moves to the bigint.
      if (small > 4e15 || small < -4e15) {
        big += BigInt(small);
        small = 0;
      }
      counted++;
    } else if (typeof v === 'bigint') {
      big += v;
      counted++;
    }
  }
  return { sum: big + BigInt(small), counted };
}

/** Why a column has no total (hover text), or undefined when it has one. */
export function noTotalReason(info: ColumnInfo): string | undefined {
  if (info.dimension) return undefined;
  if (info.additive) return undefined;
  if (info.compare?.kind === 'deltaPct') return 'No total: percentage changes do not add up.';
  return info.rate ? 'No total: a sum of rates or ratios is meaningless.' : 'No total: only counts are summed.';
}

// ---------------------------------------------------------------------------------------------------------
// Display formats

export type Tone = 'up' | 'down' | 'flat';
export interface DisplayCell extends FormattedCell {
  tone?: Tone;
}

const MINUS = '\u2212';
const signed = (text: string): string => text.replace(/^-/, MINUS);
const toneOf = (v: number | bigint): Tone => (v > 0 ? 'up' : v < 0 ? 'down' : 'flat');

/** Cell and total formats for one locale; numbers keep every digit (bigint is formatted exactly). */
export class DisplayFormat {
  private readonly int: Intl.NumberFormat;
  private readonly intSigned: Intl.NumberFormat;
  private readonly pct: Intl.NumberFormat;
  private readonly pctSigned: Intl.NumberFormat;
  private readonly pp: Intl.NumberFormat;
  private readonly decimal: string;

  constructor(readonly locale?: string, readonly rateDecimals = 2) {
    const digits = { minimumFractionDigits: rateDecimals, maximumFractionDigits: rateDecimals };
    this.int = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
    this.intSigned = new Intl.NumberFormat(locale, { maximumFractionDigits: 0, signDisplay: 'exceptZero' });
    this.pct = new Intl.NumberFormat(locale, { style: 'percent', ...digits });
    this.pctSigned = new Intl.NumberFormat(locale, { style: 'percent', signDisplay: 'exceptZero', ...digits });
    this.pp = new Intl.NumberFormat(locale, { signDisplay: 'exceptZero', ...digits });
    this.decimal = new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';
  }

  /** A number with grouped integer digits; fractions keep every digit the value has (no rounding). */
  plain(v: number | bigint, sign = false): string {
    const f = sign ? this.intSigned : this.int;
    if (typeof v === 'bigint' || Number.isInteger(v)) return f.format(v);
    const text = plainNumber(v);
    const m = /^(-?)(\d+)\.(\d+)$/.exec(text);
    if (!m) return text; // exponent form of very large or tiny values stays as it is
    const whole = f.format(BigInt(`${m[1]}${m[2]}`));
    // -0.5: the whole part "0" lost its sign in BigInt.
    const lead = m[1] && m[2] === '0' ? '-' : sign && !m[1] ? '+' : '';
    return `${lead}${whole}${this.decimal}${m[3]}`;
  }

  rate(v: number): string {
    return this.pct.format(v);
  }

  /** Formats a number the way its column reads. */
  value(v: number | bigint, info: ColumnInfo): string {
    const kind = info.compare?.kind;
    if (kind === 'deltaPct') return signed(this.pctSigned.format(Number(v) / 100));
    if (kind === 'delta') return signed(info.rate ? `${this.pp.format(Number(v) * 100)} pp` : this.plain(v, true));
    if (info.rate && typeof v === 'number') return this.pct.format(v);
    return this.plain(v);
  }

  cell(v: CellValue, info: ColumnInfo, withTitle = true): DisplayCell {
    const t = info.column.columnDataType;
    // Ids (COUNTRY_ID, an INTEGER dimension) keep their plain digits: grouping is for quantities.
    if (!info.dimension && (t === 'INTEGER' || t === 'NUMBER') && (typeof v === 'number' || typeof v === 'bigint')) {
      const text = this.value(v, info);
      const raw = v.toString();
      const kind = info.compare?.kind;
      if (kind === 'delta' || kind === 'deltaPct') return { text, title: `${raw} (${toneWord(toneOf(v))})`, kind: 'num', tone: toneOf(v) };
      return { text, title: raw, kind: 'num' };
    }
    if (v === null || v === NA) return { text: NA, title: v === null ? 'no value' : 'not available', kind: 'na' };
    const f = formatCell(v, info.column, info.rate, withTitle);
    // "2024-04-01 00:00 UTC" → "2024-04-01" when the whole column is days; the hover keeps the full time.
    return info.dateOnly && f.kind === 'date' ? { ...f, text: f.text.slice(0, 10) } : f;
  }
}

function toneWord(t: Tone): string {
  return t === 'up' ? 'an increase' : t === 'down' ? 'a decrease' : 'no change';
}
