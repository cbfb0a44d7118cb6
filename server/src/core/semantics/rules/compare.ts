// invalid-compare-offset and compare-offset-misaligned: COMPARE WITH (spec §8.2, §8.5). The previous
// period's rows are matched to the current ones on every dimension, a time column shifted by the offset,
// so with a time dimension the offset must be a whole number of its buckets (HOUR 1h, DAY 1d, weeks 7d);
// MONTH, QUARTER and YEAR have no fixed length, so no offset lines their buckets up.
import { durationMs, formatDuration } from '../../compile/time.js';
import { bucketLengthMs, compareOffsetMs, nearestAligned, queryPeriod } from '../compare.js';
import { finestTime } from '../columns.js';
import { diag, type Rule } from './types.js';

/** 0000-01-01T00:00:00Z: times before it cannot be written in the wire format. */
const YEAR_ZERO_MS = -62_167_219_200_000;

export const compareRule: Rule = {
  id: 'compare',
  codes: ['invalid-compare-offset', 'compare-offset-misaligned'],
  checks: {
    Query(q, rc) {
      const target = q.compare?.target;
      if (!target) return;
      if (target.kind === 'ago') {
        const d = target.duration;
        const ms = durationMs(d);
        const period = queryPeriod(rc.model);
        const beforeYearZero = period !== undefined && Number.isFinite(ms) && period.sinceMs - ms < YEAR_ZERO_MS;
        if (!Number.isFinite(ms) || ms <= 0 || beforeYearZero) {
          const why = ms === 0 ? 'an offset of 0 compares the period with itself' : 'the previous period would start before the year 0000';
          rc.accept(
            diag('invalid-compare-offset', d, `COMPARE WITH ${d.amount}${d.unit} AGO: ${why}. Use a duration above 0, such as 7d or 1w, or PREVIOUS PERIOD.`, {
              data: { duration: `${d.amount}${d.unit}` },
            }),
          );
          return;
        }
      }
      const m = rc.model;
      const finest = finestTime(m.dimensions.map((r) => r.entry));
      if (!finest) return;
      const length = bucketLengthMs(finest);
      if (length === undefined) {
        rc.accept(
          diag(
            'compare-offset-misaligned',
            target,
            `COMPARE WITH cannot match ${finest.name} rows: ${finest.name} buckets have no fixed length, so no offset lines them up. ` +
              `Group by DAY or WEEK_MONDAY_START instead, or drop ${finest.name} and compare the totals.`,
            { data: { dimension: finest.name, offsetMs: compareOffsetMs(target, queryPeriod(m)) ?? 0, suggestions: [] } },
          ),
        );
        return;
      }
      const offset = compareOffsetMs(target, queryPeriod(m));
      if (offset === undefined || offset % length === 0) return;
      const suggestions = nearestAligned(offset, length);
      const what = target.kind === 'previousPeriod' ? `the period is ${formatDuration(offset)} long, so PREVIOUS PERIOD is ${formatDuration(offset)} earlier` : `${formatDuration(offset)} AGO`;
      rc.accept(
        diag(
          'compare-offset-misaligned',
          target,
          `COMPARE WITH: ${what}, which is not a whole number of ${finest.name} buckets (${formatDuration(length)}), so rows could not be matched. ` +
            `Use ${suggestions.map((s) => `${s} AGO`).join(' or ')}${target.kind === 'previousPeriod' ? ', or make the period a whole number of buckets' : ''}.`,
          { data: { dimension: finest.name, offsetMs: offset, suggestions } },
        ),
      );
    },
  },
};
