// COMPARE WITH (spec §8.2): the previous period of a query and the offset between the two, shared by the
// analyser (which checks the offset), the compiler (which sends the second request) and the editor (hover
// and inlay hints show both periods).
import type { CompareTarget, Query } from '../syntax/ast.js';
import type { CatalogIndex } from '../catalog/catalogIndex.js';
import type { DimensionEntry } from '../catalog/types.js';
import { durationMs, formatDuration, formatWireTime } from '../compile/time.js';
import { buildModel, type QueryModel } from './model.js';

/** A period [sinceMs, untilMs) in milliseconds since the epoch, UTC. */
export interface PeriodMs {
  sinceMs: number;
  untilMs: number;
}

/** The query's own period, when both bounds resolved and since is before until. */
export function queryPeriod(m: QueryModel): PeriodMs | undefined {
  const since = m.since[0];
  const until = m.until[0];
  if (!since || !until || since.ms >= until.ms) return undefined;
  return { sinceMs: since.ms, untilMs: until.ms };
}

/**
 * The offset (current since − previous since, ms) of a COMPARE target over `period`: the period's length
 * for PREVIOUS PERIOD, the duration for `d AGO`. Undefined when it cannot be known (no period for PREVIOUS
 * PERIOD) or is not usable (0 or too large).
 */
export function compareOffsetMs(target: CompareTarget, period: PeriodMs | undefined): number | undefined {
  if (target.kind === 'previousPeriod') return period ? period.untilMs - period.sinceMs : undefined;
  const ms = durationMs(target.duration);
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

/** The previous period: the current one moved back by the offset. */
export function previousPeriod(period: PeriodMs, offsetMs: number): PeriodMs {
  return { sinceMs: period.sinceMs - offsetMs, untilMs: period.untilMs - offsetMs };
}

/** How a person reads the target: "PREVIOUS PERIOD" or "7d AGO". */
export function compareLabel(target: CompareTarget): string {
  return target.kind === 'previousPeriod' ? 'PREVIOUS PERIOD' : `${target.duration.amount}${target.duration.unit} AGO`;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The fixed length of a time dimension's buckets (HOUR 1h, DAY 1d, weeks 7d); undefined for MONTH, QUARTER, YEAR. */
export function bucketLengthMs(d: DimensionEntry): number | undefined {
  switch (d.timeGrain) {
    case 1:
      return HOUR;
    case 2:
      return DAY;
    case 3:
      return 7 * DAY;
    default:
      return undefined;
  }
}

/** The aligned offsets nearest to `offsetMs` (whole multiples of `lengthMs`, above 0), as durations such as `7d`. */
export function nearestAligned(offsetMs: number, lengthMs: number): string[] {
  const below = Math.floor(offsetMs / lengthMs) * lengthMs;
  const above = below + lengthMs;
  const out: string[] = [];
  if (below > 0) out.push(formatDuration(below));
  out.push(formatDuration(above));
  return out;
}

/** Both periods of a COMPARE WITH query, resolved against `now` (for hover and inlay hints). */
export interface ResolvedComparison {
  current: PeriodMs;
  previous: PeriodMs;
  offsetMs: number;
  label: string;
}

/** The resolved periods of `q`, when it has a COMPARE target and its period resolves. */
export function resolveComparison(catalog: CatalogIndex, q: Query, now: Date): ResolvedComparison | undefined {
  const target = q.compare?.target;
  if (!target) return undefined;
  const current = queryPeriod(buildModel(catalog, q, now));
  const offsetMs = current && compareOffsetMs(target, current);
  if (!current || offsetMs === undefined) return undefined;
  return { current, previous: previousPeriod(current, offsetMs), offsetMs, label: compareLabel(target) };
}

/** A period as `[since, until)` in the wire's time format. */
export function periodText(p: PeriodMs): string {
  return `[${formatWireTime(p.sinceMs)}, ${formatWireTime(p.untilMs)})`;
}
