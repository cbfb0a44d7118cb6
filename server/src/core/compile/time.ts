// Time values of mq (spec §4): ISO-8601 dates and date-times (no offset = UTC), `now`, `today`
// (00:00 UTC of now's date), plus or minus durations; and the time buckets of the timeTo* filters.
//
// Everything here is pure: the clock is always passed in, so that the editor, the CLI and the tests
// resolve the same text to the same instant.
import type { DurationUnit, DurationValue, Value } from '../syntax/ast.js';
import type { TimeBucketEntry } from '../catalog/types.js';

export type TimeResult = { ok: true; ms: number } | { ok: false; message: string };

const UNIT_MS: Record<DurationUnit, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

/** Milliseconds of one unit (`m` is minutes; months are not a unit). */
export function unitMs(unit: DurationUnit): number {
  return UNIT_MS[unit];
}

/** Length of a duration in milliseconds (Infinity when the amount is too large to represent exactly). */
export function durationMs(d: DurationValue): number {
  if (Number.isFinite(d.ms)) return d.ms;
  const amount = Number(d.amount);
  const ms = amount * UNIT_MS[d.unit];
  return Number.isSafeInteger(ms) ? ms : Infinity;
}

/** Times stay in the years 0000–9999 (what the wire format can write). */
const MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

// yyyy-MM-dd, then optionally T or space, HH:mm[:ss[.fraction]], then optionally Z or ±HH[:]mm.
const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;

/** Parses an ISO-8601 date or date-time; without an offset the time is UTC. */
export function parseIsoTime(text: string): TimeResult {
  const m = ISO_RE.exec(text.trim());
  if (!m) {
    return {
      ok: false,
      message: `'${text}' is not an ISO-8601 date or date-time; write for example '2026-10-01' or '2026-10-01T08:30:00Z'`,
    };
  }
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const millis = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  if (month < 1 || month > 12) return { ok: false, message: `'${text}' has month ${m[2]}; months go from 01 to 12` };
  const daysInMonth = new Date(Date.UTC(2000, month, 0)).getUTCDate() - (month === 2 && !isLeap(year) ? 1 : 0);
  if (day < 1 || day > daysInMonth) {
    return { ok: false, message: `'${text}' has day ${m[3]}, but that month has ${daysInMonth} days` };
  }
  if (hour > 23) return { ok: false, message: `'${text}' has hour ${m[4]}; hours go from 00 to 23` };
  if (minute > 59) return { ok: false, message: `'${text}' has minute ${m[5]}; minutes go from 00 to 59` };
  if (second > 59) return { ok: false, message: `'${text}' has second ${m[6]}; seconds go from 00 to 59` };
  let offsetMs = 0;
  if (m[9] !== undefined) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return { ok: false, message: `'${text}' has an invalid UTC offset ${m[9]}${m[10]}:${m[11]}` };
    offsetMs = (m[9] === '-' ? -1 : 1) * (oh * 3_600_000 + om * 60_000);
  }
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, millis);
  return { ok: true, ms: d.getTime() - offsetMs };
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** 00:00 UTC of the day of `ms`. */
export function startOfUtcDay(ms: number): number {
  return ms - (((ms % 86_400_000) + 86_400_000) % 86_400_000);
}

/**
 * Resolves a time value against the clock: a TimeValue (NOW/TODAY/string base with offsets),
 * a plain string, or the names NOW/TODAY. Anything else is not a time.
 */
export function resolveTime(value: Value, now: Date): TimeResult {
  const nowMs = now.getTime();
  let base: TimeResult;
  switch (value.kind) {
    case 'string':
      return checkRange(parseIsoTime(value.value));
    case 'nameValue':
      if (value.upper === 'NOW') return { ok: true, ms: nowMs };
      if (value.upper === 'TODAY') return { ok: true, ms: startOfUtcDay(nowMs) };
      return notATime(value.text);
    case 'time': {
      const b = value.base;
      if (b.kind === 'now') base = { ok: true, ms: nowMs };
      else if (b.kind === 'today') base = { ok: true, ms: startOfUtcDay(nowMs) };
      else if (b.kind === 'string') base = parseIsoTime(b.value);
      else return notATime('the base');
      if (!base.ok) return base;
      let ms = base.ms;
      for (const off of value.offsets) {
        if (!off.duration) return { ok: false, message: `a duration is missing after '${off.sign}'; write for example now - 7d` };
        const len = durationMs(off.duration);
        if (!Number.isFinite(len)) {
          return { ok: false, message: `the duration ${off.duration.amount}${off.duration.unit} is too large` };
        }
        ms += off.sign === '+' ? len : -len;
      }
      return checkRange({ ok: true, ms });
    }
    case 'integer':
      return { ok: false, message: `${value.text} is a number, not a time; write a date such as '2026-10-01', now or today` };
    case 'duration':
      return {
        ok: false,
        message: `${value.amount}${value.unit} is a duration, not a time; write now - ${value.amount}${value.unit} for a time in the past`,
      };
    case 'boolean':
      return { ok: false, message: `${value.value ? 'TRUE' : 'FALSE'} is not a time; write a date such as '2026-10-01', now or today` };
  }
}

function notATime(text: string): TimeResult {
  return { ok: false, message: `${text} is not a time; write a quoted date such as '2026-10-01', now or today` };
}

function checkRange(r: TimeResult): TimeResult {
  if (!r.ok) return r;
  if (!(r.ms >= MIN_YEAR_MS && r.ms <= MAX_MS)) {
    return { ok: false, message: 'the time is outside the years 0000–9999' };
  }
  return r;
}

const MIN_YEAR_MS = (() => {
  const d = new Date(0);
  d.setUTCFullYear(0, 0, 1);
  return d.getTime();
})();

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Formats an instant the way the Metrics API wants it: `yyyy-MM-dd'T'HH:mm:ss.SSS+0000`, UTC. */
export function formatWireTime(ms: number): string {
  const d = new Date(ms);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}` +
    `T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${pad(d.getUTCMilliseconds(), 3)}+0000`
  );
}

/** A short human form of a duration in milliseconds, in the largest exact unit (90000 → 90s, 60000 → 1m). */
export function formatDuration(ms: number): string {
  const units: [DurationUnit, number][] = [
    ['w', UNIT_MS.w],
    ['d', UNIT_MS.d],
    ['h', UNIT_MS.h],
    ['m', UNIT_MS.m],
    ['s', UNIT_MS.s],
  ];
  if (ms === 0) return '0s';
  for (const [u, len] of units) if (ms % len === 0) return `${ms / len}${u}`;
  return `${ms}ms`;
}

// ---- time buckets (over the catalog's buckets sorted by boundary: CatalogIndex.bucketsByMs) ----------

/** A bucket by name, case-insensitive (`seconds_5` → SECONDS_5). */
export function bucketByName(buckets: readonly TimeBucketEntry[], name: string): TimeBucketEntry | undefined {
  const upper = name.toUpperCase();
  return buckets.find((b) => b.name.toUpperCase() === upper);
}

export type BucketMatch =
  | { exact: true; bucket: TimeBucketEntry }
  | { exact: false; below?: TimeBucketEntry; above?: TimeBucketEntry };

/** The bucket whose boundary is exactly `ms`, or the nearest boundaries below and above it. */
export function bucketForMs(buckets: readonly TimeBucketEntry[], ms: number): BucketMatch {
  let below: TimeBucketEntry | undefined;
  for (const b of buckets) {
    if (b.ms === ms) return { exact: true, bucket: b };
    if (b.ms < ms) below = b;
    else return { exact: false, below, above: b };
  }
  return { exact: false, below, above: undefined };
}

/** The bucket for a duration value (see bucketForMs). */
export function bucketForDuration(buckets: readonly TimeBucketEntry[], d: DurationValue): BucketMatch {
  const ms = durationMs(d);
  if (!Number.isFinite(ms)) return { exact: false, below: buckets[buckets.length - 1], above: undefined };
  return bucketForMs(buckets, ms);
}

/** The next boundary after a bucket (undefined for the last one). */
export function nextBucket(buckets: readonly TimeBucketEntry[], b: TimeBucketEntry): TimeBucketEntry | undefined {
  const i = buckets.findIndex((x) => x.name === b.name);
  return i >= 0 ? buckets[i + 1] : undefined;
}
