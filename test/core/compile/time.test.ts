import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Value } from '../../../server/src/core/syntax/ast.js';
import { parseDocument } from '../../helpers/syntax.js';
import {
  bucketForMs,
  bucketByName,
  durationMs,
  formatDuration,
  formatWireTime,
  nextBucket,
  parseIsoTime,
  resolveTime,
  startOfUtcDay,
} from '../../../server/src/core/compile/time.js';
import { FIXED_NOW, mq } from '../../helpers/mq.js';

const buckets = mq.catalog.bucketsByMs;

/** The first value of the first condition of `SELECT X WHERE sentSince = <expr>`. */
function valueOf(expr: string): Value {
  const q = parseDocument(`SELECT TOTAL_TRAFFIC_COUNT WHERE sentSince = ${expr}`).queries[0]!;
  const v = q.where?.conditions[0]?.values[0];
  assert.ok(v, `no value parsed from ${expr}`);
  return v;
}

function resolved(expr: string, now = FIXED_NOW): string {
  const r = resolveTime(valueOf(expr), now);
  assert.ok(r.ok, `expected ${expr} to resolve: ${r.ok ? '' : r.message}`);
  return formatWireTime(r.ms);
}

describe('time: ISO parsing', () => {
  it('reads dates as 00:00 UTC', () => {
    assert.equal(formatWireTime((parseIsoTime('2026-10-01') as { ms: number }).ms), '2026-10-01T00:00:00.000+0000');
  });
  it('reads date-times without offset as UTC, with Z, and with offsets', () => {
    const ms = (t: string): number => {
      const r = parseIsoTime(t);
      assert.ok(r.ok, t);
      return r.ms;
    };
    assert.equal(ms('2026-10-01T08:30'), Date.UTC(2026, 9, 1, 8, 30));
    assert.equal(ms('2026-10-01T08:30:15'), Date.UTC(2026, 9, 1, 8, 30, 15));
    assert.equal(ms('2026-10-01T08:30:15.250Z'), Date.UTC(2026, 9, 1, 8, 30, 15, 250));
    assert.equal(ms('2026-10-01T08:30:00+02:00'), Date.UTC(2026, 9, 1, 6, 30));
    assert.equal(ms('2026-10-01T08:30:00-0130'), Date.UTC(2026, 9, 1, 10, 0));
    assert.equal(ms('2026-10-01 08:30:00'), Date.UTC(2026, 9, 1, 8, 30));
  });
  it('rejects bad dates with a reason', () => {
    for (const [t, needle] of [
      ['2026-13-01', 'month'],
      ['2026-02-30', 'day'],
      ['2025-02-29', 'day'],
      ['2026-10-01T24:00', 'hour'],
      ['2026-10-01T10:60', 'minute'],
      ['yesterday', 'ISO-8601'],
      ['01/10/2026', 'ISO-8601'],
    ] as const) {
      const r = parseIsoTime(t);
      assert.equal(r.ok, false, t);
      assert.match((r as { message: string }).message, new RegExp(needle), t);
    }
    assert.ok(parseIsoTime('2024-02-29').ok, 'leap day');
  });
});

describe('time: resolveTime', () => {
  it('now, today and offsets resolve against the clock', () => {
    assert.equal(resolved('now'), '2026-11-05T10:20:30.123+0000');
    assert.equal(resolved('today'), '2026-11-05T00:00:00.000+0000');
    assert.equal(resolved('now - 7d'), '2026-10-29T10:20:30.123+0000');
    assert.equal(resolved('today - 1w + 2h'), '2026-10-29T02:00:00.000+0000');
    assert.equal(resolved('NOW - 90m'), '2026-11-05T08:50:30.123+0000');
    assert.equal(resolved('now - 1500ms'), '2026-11-05T10:20:28.623+0000');
    assert.equal(resolved(`'2026-10-01' + 12h`), '2026-10-01T12:00:00.000+0000');
    assert.equal(resolved(`'2026-10-01T00:00:00Z'`), '2026-10-01T00:00:00.000+0000');
  });
  it('m is minutes, not months', () => {
    assert.equal(resolved('today + 1m'), '2026-11-05T00:01:00.000+0000');
  });
  it('refuses values that are not times', () => {
    for (const expr of ['5s', '12', 'TRUE', 'SMS', `'not a date'`]) {
      const r = resolveTime(valueOf(expr), FIXED_NOW);
      assert.equal(r.ok, false, expr);
    }
  });
  it('startOfUtcDay', () => {
    assert.equal(startOfUtcDay(Date.UTC(2026, 0, 1, 23, 59)), Date.UTC(2026, 0, 1));
  });
});

describe('time: wire format and durations', () => {
  it('formats as yyyy-MM-ddTHH:mm:ss.SSS+0000 in UTC', () => {
    assert.equal(formatWireTime(Date.UTC(2026, 0, 2, 3, 4, 5, 6)), '2026-01-02T03:04:05.006+0000');
  });
  it('durationMs uses d = 24h and w = 7d', () => {
    const q = parseDocument('SELECT X WHERE timeToDeliver < 2d').queries[0]!;
    const v = q.where!.conditions[0]!.values[0]!;
    assert.equal(v.kind, 'duration');
    if (v.kind === 'duration') assert.equal(durationMs(v), 2 * 86_400_000);
    assert.equal(formatDuration(60_000), '1m');
    assert.equal(formatDuration(45_000), '45s');
    assert.equal(formatDuration(0), '0s');
  });
});

describe('time: buckets', () => {
  it('has 31 sorted boundaries', () => {
    const list = buckets;
    assert.equal(list.length, 31);
    for (let i = 1; i < list.length; i++) assert.ok(list[i - 1]!.ms < list[i]!.ms);
  });
  it('maps exact boundaries to their bucket', () => {
    assert.deepEqual(bucketForMs(buckets, 5_000), { exact: true, bucket: bucketByName(buckets, 'SECONDS_5') });
    assert.equal((bucketForMs(buckets, 60_000) as { bucket: { name: string } }).bucket.name, 'MINUTES_1');
    assert.equal((bucketForMs(buckets, 0) as { bucket: { name: string } }).bucket.name, 'SECONDS_0');
  });
  it('names the nearest boundaries otherwise', () => {
    const m = bucketForMs(buckets, 7_000);
    assert.equal(m.exact, false);
    if (!m.exact) {
      assert.equal(m.below?.name, 'SECONDS_5');
      assert.equal(m.above?.name, 'SECONDS_10');
    }
    const beyond = bucketForMs(buckets, 4 * 86_400_000);
    assert.ok(!beyond.exact && beyond.below?.name === 'DAYS_3' && beyond.above === undefined);
  });
  it('bucketByName is case-insensitive; nextBucket walks the list', () => {
    assert.equal(bucketByName(buckets, 'seconds_5')?.ms, 5_000);
    assert.equal(nextBucket(buckets, bucketByName(buckets, 'SECONDS_5')!)?.name, 'SECONDS_10');
    assert.equal(nextBucket(buckets, bucketByName(buckets, 'DAYS_3')!), undefined);
  });
});
