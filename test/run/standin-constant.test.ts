// The constant-metric table (core/catalog/constant.ts) against the sample data: for every filter case and
// every metric it pins, the stand-in returns exactly the stated value in every row, and the same query
// without that filter does not (so the claim is about the filter, not about a metric that is flat anyway).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONSTANT_VALUES, KEEPING_FILTERS, type KeepingFilter } from '../../server/src/core/catalog/constant.js';
import { computeResult } from '../../server/src/run/standin/dataset.js';
import { compileText } from '../helpers/mq.js';

const NOW = new Date('2026-03-01T12:00:00Z');

/** A condition that triggers the case. */
function conditionFor(k: KeepingFilter): string {
  if ('present' in k.when) return `${k.filter} < 1h`;
  if ('only' in k.when) return `${k.filter} = ${k.when.only}`;
  return k.filter === 'statusGroups' ? 'statusGroups IN (UNDELIVERABLE, REJECTED, EXPIRED)' : 'errorGroups IN (HANDSET_ERRORS, USER_ERRORS, OPERATOR_ERRORS)';
}

/**
 * The numbers of the metric's column: N/A cells left out, and for a rate the rows where nothing was sent
 * (a row of inbound traffic only has no delivery rate to speak of; the stand-in writes 0 there).
 */
function column(metric: string, where: string): number[] {
  const channels = metric.includes('BOUNCE') || metric.includes('DROPPED') || metric.includes('SUPPRESSED') || metric === 'VIEWED_TOTAL_COUNT' ? 'EMAIL' : 'SMS, WHATSAPP, VIBER';
  const text = `SELECT TOTAL_SENT_TRAFFIC_COUNT, ${metric} BY DAY, COUNTRY_NAME WHERE channelCode IN (${channels}) AND sentSince = now - 14d AND sentUntil = now${where}`;
  const compiled = compileText(text, 0, NOW);
  assert.ok(compiled.ok, `${text} compiles`);
  const res = computeResult(compiled.body.request, NOW);
  const rate = metric.endsWith('_RATE');
  return res.rows
    .filter((r) => !rate || Number(r[r.length - 2]) > 0)
    .map((r) => r[r.length - 1])
    .filter((c) => c !== 'N/A' && c !== null)
    .map(Number);
}

test('on the sample data, each metric the table pins has exactly the stated value in every row, and varies without the filter', () => {
  let checked = 0;
  for (const k of KEEPING_FILTERS) {
    for (const [metric, value] of Object.entries(CONSTANT_VALUES[k.keeps])) {
      const expected = value === '100 %' ? 1 : Number(value);
      const pinned = column(metric, ` AND ${conditionFor(k)}`);
      assert.ok(pinned.length > 0, `${metric} under ${conditionFor(k)} returns rows`);
      assert.deepEqual([...new Set(pinned)], [expected], `${metric} under ${conditionFor(k)}`);
      const free = column(metric, '');
      assert.ok(new Set(free).size > 1, `${metric} without ${k.filter} takes several values`);
      checked++;
    }
  }
  assert.ok(checked >= 30, `checked ${checked} filter/metric pairs`);
});
