// The sample dataset is generated once per process and then follows the clock for a day: an answer from
// the table built earlier must be the answer a freshly built table gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeResult } from '../../server/src/run/standin/dataset.js';
import { NOW, iso, req } from './helpers.js';

const HOUR = 3_600_000;
const later = (hours: number) => new Date(NOW.getTime() + hours * HOUR);
/** Every channel over all time, per hour: any hour counted wrongly (too old or too new) changes the rows. */
const everything = req({
  aggregateBy: ['HOUR'],
  metrics: ['TOTAL_TRAFFIC_COUNT', 'TRAFFIC_DELIVERY_RATE'],
  filter: { channelCodes: ['SMS', 'EMAIL', 'WHATSAPP', 'VOICE_VIDEO'], sentSince: '2000-01-01T00:00:00.000+0000', sentUntil: '2100-01-01T00:00:00.000+0000' },
});

test('a table built 20 hours earlier answers exactly as a freshly built one', () => {
  computeResult(everything, NOW); // builds the table at NOW
  const fromEarlierTable = computeResult(everything, later(20));
  computeResult(everything, later(24 * 10)); // a clock ten days on: the table is rebuilt there
  const fresh = computeResult(everything, later(20)); // the window at +20 h is outside it: built afresh
  assert.deepEqual(fromEarlierTable, fresh);
  // The window moved: its first hour is 20 hours later, and no hour at or after the current one is counted.
  const firstHour = Date.parse(String(fresh.rows[0]![1]).replace('+0000', 'Z'));
  const lastHour = Date.parse(String(fresh.rows.at(-1)![1]).replace('+0000', 'Z'));
  const currentHour = Math.floor(later(20).getTime() / HOUR) * HOUR;
  assert.equal(firstHour, currentHour - 92 * 24 * HOUR);
  assert.equal(lastHour, currentHour - HOUR);
  assert.equal(fresh.requestedPeriod.sentUntil, iso(new Date(currentHour)));
});
