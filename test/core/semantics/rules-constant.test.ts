// constant-metric: a hint on a metric that the query's own filters pin to one value, naming the filter; no
// hint where the filter leaves the metric free to vary, where the filter is not fully valid yet, or where the
// metric is already an error for the chosen channels. The hover of the metric says the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { FIXED_NOW, diagnose, mq, withCode } from '../../helpers/mq.js';

const W = 'WHERE channelCode = SMS AND sentSince = now - 7d AND sentUntil = now';
const EMAIL = 'WHERE channelCode = EMAIL AND sentSince = now - 7d AND sentUntil = now';

test('a time-to-deliver band pins the delivery rate at 100 % and failures at 0, as a hint on each metric naming the filter', () => {
  const text = `SELECT TOTAL_SENT_TRAFFIC_COUNT, TRAFFIC_DELIVERY_RATE, FAILED_TRAFFIC_COUNT ${W} AND timeToDeliver < 5s`;
  const found = withCode(text, 'constant-metric');
  assert.deepEqual(found.map((d) => [d.text, d.severity, d.data]), [
    ['TRAFFIC_DELIVERY_RATE', 'hint', { metric: 'TRAFFIC_DELIVERY_RATE', filter: 'timeToDeliver', value: '100 %' }],
    ['FAILED_TRAFFIC_COUNT', 'hint', { metric: 'FAILED_TRAFFIC_COUNT', filter: 'timeToDeliver', value: '0' }],
  ]);
  assert.match(found[0]!.message, /TRAFFIC_DELIVERY_RATE is always 100 % here: timeToDeliver keeps only messages that were delivered/);
  assert.deepEqual(found[0]!.related?.map((r) => r.range.start.character), [text.indexOf('timeToDeliver')], 'points at the timeToDeliver condition');
});

test('every time-to-X band keeps only delivered traffic; a bounce metric on Email is pinned at 0', () => {
  for (const filter of ['timeToSeenFromDelivered', 'timeToClickFromDelivered', 'timeToClickFromSeen', 'timeToOpenFromDelivered']) {
    const found = withCode(`SELECT TOTAL_BOUNCE_RATE ${EMAIL} AND ${filter} < 1h`, 'constant-metric');
    assert.deepEqual(found.map((d) => d.data?.filter), [filter], filter);
  }
});

test('status and error groups: DELIVERED alone pins the rate at 100 %, groups without DELIVERED or without OK pin delivered and clicks at 0', () => {
  const value = (where: string, metric: string) => withCode(`SELECT ${metric} ${W} AND ${where}`, 'constant-metric').map((d) => `${d.data?.filter}=${d.data?.value}`);
  assert.deepEqual(value('statusGroups = DELIVERED', 'TRAFFIC_DELIVERY_RATE'), ['statusGroups=100 %']);
  assert.deepEqual(value('statusGroups IN (REJECTED, EXPIRED)', 'TRAFFIC_DELIVERY_RATE'), ['statusGroups=0']);
  assert.deepEqual(value('statusGroups = REJECTED', 'UNIQUE_CLICKS_COUNT'), ['statusGroups=0']);
  assert.deepEqual(value('errorGroups IN (HANDSET_ERRORS, USER_ERRORS)', 'DELIVERED_TRAFFIC_COUNT'), ['errorGroups=0']);
  // AND-ed conditions are folded first: IN (DELIVERED, PENDING) AND = DELIVERED keeps DELIVERED alone.
  assert.deepEqual(value('statusGroups IN (DELIVERED, PENDING) AND statusGroups = DELIVERED', 'FAILED_TRAFFIC_COUNT'), ['statusGroups=0']);
});

test('no hint where the filters leave the metric free to vary', () => {
  const free = [
    `SELECT TRAFFIC_DELIVERY_RATE, FAILED_TRAFFIC_COUNT, DELIVERED_TRAFFIC_COUNT ${W}`,
    `SELECT TOTAL_SENT_TRAFFIC_COUNT, DELIVERED_TRAFFIC_COUNT, TRAFFIC_DELIVERED_IN_5_SEC_RATE ${W} AND timeToDeliver < 5s`,
    `SELECT TRAFFIC_DELIVERY_RATE, FAILED_TRAFFIC_COUNT ${W} AND statusGroups IN (DELIVERED, UNDELIVERABLE)`,
    `SELECT DELIVERED_TRAFFIC_COUNT ${W} AND errorGroups IN (OK, HANDSET_ERRORS)`,
    `SELECT FAILED_TRAFFIC_COUNT ${W} AND errorGroups = OK`,
    `SELECT TRAFFIC_DELIVERY_RATE ${W} AND statuses = DELIVERED_TO_HANDSET`,
  ];
  for (const text of free) assert.deepEqual(withCode(text, 'constant-metric'), [], text);
});

test('no hint while the filter is not valid, nor on a metric the chosen channels never return', () => {
  assert.deepEqual(withCode(`SELECT TRAFFIC_DELIVERY_RATE ${W} AND statusGroups = DELIVERD`, 'constant-metric'), []);
  assert.deepEqual(withCode(`SELECT TRAFFIC_DELIVERY_RATE ${W} AND timeToDeliver < 7s`, 'constant-metric'), []);
  assert.deepEqual(withCode(`SELECT TRAFFIC_DELIVERY_RATE ${W} AND statusGroups = DELIVERED AND statusGroups = REJECTED`, 'constant-metric'), []);
  const codes = diagnose(`SELECT TOTAL_BOUNCE_COUNT ${W} AND timeToDeliver < 5s`).map((d) => d.code);
  assert.ok(codes.includes('metric-channel-unsupported'));
  assert.ok(!codes.includes('constant-metric'));
});

test('hovering a pinned metric, in SELECT or ORDER BY, says why it is constant; another metric of the query says nothing of it', () => {
  const text = `SELECT DELIVERED_TRAFFIC_COUNT, TRAFFIC_DELIVERY_RATE ${W} AND timeToDeliver < 5s ORDER BY TRAFFIC_DELIVERY_RATE`;
  const q = mq.parse(text).queries[0]!;
  const hover = (at: number) => mq.hover(q, at + 2, FIXED_NOW)?.contents ?? '';
  assert.match(hover(text.indexOf('TRAFFIC_DELIVERY_RATE')), /\*\*Constant in this query:\*\* TRAFFIC_DELIVERY_RATE is always 100 % here: timeToDeliver keeps only/);
  assert.match(hover(text.lastIndexOf('TRAFFIC_DELIVERY_RATE')), /always 100 % here/);
  assert.doesNotMatch(hover(text.indexOf('DELIVERED_TRAFFIC_COUNT')), /Constant in this query/);
  const plain = mq.parse(`SELECT TRAFFIC_DELIVERY_RATE ${W}`).queries[0]!;
  assert.doesNotMatch(mq.hover(plain, 10, FIXED_NOW)?.contents ?? '', /Constant in this query/);
});

test("the README's and the examples' queries get no constant-metric hint: what they order by varies", () => {
  const root = join(import.meta.dirname, '..', '..', '..');
  const texts = [...readFileSync(join(root, 'README.md'), 'utf8').matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => m[1]!);
  for (const f of readdirSync(join(root, 'examples')).filter((n) => n.endsWith('.mq'))) texts.push(readFileSync(join(root, 'examples', f), 'utf8'));
  assert.ok(texts.length >= 10);
  for (const text of texts) assert.deepEqual(withCode(text, 'constant-metric').map((d) => d.message), [], text.slice(0, 80));
});
