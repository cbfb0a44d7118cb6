// Sample-data semantics of the stand-in and its request validation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeResult, metricNotApplicable, schemaExtras } from '../../server/src/run/standin/dataset.js';
import { catalog } from '../../server/src/core/catalog/data.js';
import { validateSubmitBody } from '../../server/src/run/standin/schema.js';
import { RawInteger, type AggregateDataResponse, type Cell } from '../../server/src/core/compile/wire.js';
import { NOW, daysBefore, iso, req } from './helpers.js';

const col = (r: AggregateDataResponse, name: string) => r.columns.findIndex((c) => c.columnName === name);
const values = (r: AggregateDataResponse, name: string): Cell[] => r.rows.map((row) => row[col(r, name)]!);
const sum = (cells: Cell[]) => cells.reduce<number>((s, c) => s + (typeof c === 'number' ? c : 0), 0);

test('CHANNEL_CODE is always the first column, even when not asked for', () => {
  const r = computeResult(req({ aggregateBy: ['COUNTRY_NAME'] }), NOW);
  assert.deepEqual(r.columns.map((c) => c.columnName), ['CHANNEL_CODE', 'COUNTRY_NAME', 'TOTAL_TRAFFIC_COUNT']);
  assert.deepEqual([...new Set(values(r, 'CHANNEL_CODE'))].sort(), ['EMAIL', 'SMS']);
});

test('CHANNEL_NAME asked without CHANNEL_CODE replaces it', () => {
  const r = computeResult(req({ aggregateBy: ['CHANNEL_NAME'] }), NOW);
  assert.deepEqual(r.columns.map((c) => c.columnName), ['CHANNEL_NAME', 'TOTAL_TRAFFIC_COUNT']);
  assert.ok(values(r, 'CHANNEL_NAME').includes('Email'));
});

test('only the finest time dimension is returned', () => {
  const r = computeResult(req({ aggregateBy: ['MONTH', 'DAY', 'HOUR'] }), NOW);
  assert.deepEqual(r.columns.map((c) => c.columnName), ['CHANNEL_CODE', 'HOUR', 'TOTAL_TRAFFIC_COUNT']);
  assert.equal(r.columns[1]!.columnDataType, 'DATE_TIME');
  assert.match(String(r.rows[0]![1]), /^\d{4}-\d\d-\d\dT\d\d:00:00\.000\+0000$/);
});

test('N/A where a metric does not apply to the row\'s channel', () => {
  const r = computeResult(req({ metrics: ['TOTAL_BOUNCE_COUNT', 'TOTAL_SMS_MESSAGES_COUNT', 'FAILED_TRAFFIC_COUNT'] }), NOW);
  for (const row of r.rows) {
    const ch = row[0];
    assert.equal(row[col(r, 'TOTAL_BOUNCE_COUNT')] === 'N/A', ch !== 'EMAIL');
    assert.equal(row[col(r, 'TOTAL_SMS_MESSAGES_COUNT')] === 'N/A', ch !== 'SMS');
    assert.equal(row[col(r, 'FAILED_TRAFFIC_COUNT')] === 'N/A', ch === 'EMAIL');
  }
  assert.ok(metricNotApplicable('TOTAL_CALL_COUNT', 'SMS'));
  assert.ok(!metricNotApplicable('TOTAL_CALL_COUNT', 'VOICE_VIDEO'));
});

test('rates agree with their counts', () => {
  const r = computeResult(req({ aggregateBy: [], metrics: ['TOTAL_SENT_TRAFFIC_COUNT', 'DELIVERED_TRAFFIC_COUNT', 'TRAFFIC_DELIVERY_RATE', 'TOTAL_TRAFFIC_COUNT'], filter: { channelCodes: ['EMAIL'] } }), NOW);
  assert.equal(r.rows.length, 1);
  const [, sent, delivered, rate, total] = r.rows[0] as number[];
  assert.ok(sent! > 0 && delivered! <= sent! && total! >= sent!);
  assert.ok(Math.abs(rate! - delivered! / sent!) < 1e-4);
});

test('filters apply: direction, status group, country ids, communication ids (int64)', () => {
  const inbound = computeResult(req({ aggregateBy: ['DIRECTION'], metrics: ['TOTAL_RECEIVED_TRAFFIC_COUNT', 'TOTAL_SENT_TRAFFIC_COUNT'], filter: { channelCodes: ['WHATSAPP'], directions: ['INBOUND'] } }), NOW);
  assert.deepEqual([...new Set(values(inbound, 'DIRECTION'))], ['INBOUND']);
  assert.equal(sum(values(inbound, 'TOTAL_SENT_TRAFFIC_COUNT')), 0);
  assert.ok(sum(values(inbound, 'TOTAL_RECEIVED_TRAFFIC_COUNT')) > 0);

  const grp = computeResult(req({ aggregateBy: ['STATUS_GROUP', 'STATUS'], filter: { statusGroups: ['REJECTED'] } }), NOW);
  assert.ok(grp.rows.length > 0);
  assert.deepEqual([...new Set(values(grp, 'STATUS_GROUP'))], ['REJECTED']);

  const geo = computeResult(req({ aggregateBy: ['COUNTRY_ID', 'NETWORK_ID'], filter: { countryIds: [385, 49] } }), NOW);
  assert.deepEqual([...new Set(values(geo, 'COUNTRY_ID'))].sort((a, b) => Number(a) - Number(b)), [49, 385]);

  const all = computeResult(req({ aggregateBy: [] }), NOW);
  const some = computeResult(req({ aggregateBy: [], filter: { communicationIds: [new RawInteger('9223372036854775807')] } }), NOW);
  assert.ok(sum(values(some, 'TOTAL_TRAFFIC_COUNT')) > 0);
  assert.ok(sum(values(some, 'TOTAL_TRAFFIC_COUNT')) < sum(values(all, 'TOTAL_TRAFFIC_COUNT')));
});

test('accounts: own account by default, sub-accounts on request', () => {
  const own = computeResult(req({ aggregateBy: ['ACCOUNT_NAME'] }), NOW);
  assert.deepEqual([...new Set(values(own, 'ACCOUNT_NAME'))], ['Acme Corp']);
  const subs = computeResult(req({ aggregateBy: ['ACCOUNT_NAME'], filter: { includeSubaccounts: true } }), NOW);
  assert.equal(new Set(values(subs, 'ACCOUNT_NAME')).size, 3);
});

test('requestedPeriod is snapped to the grain and trimmed to the current hour; the window follows the clock', () => {
  const r = computeResult(req({ aggregateBy: ['DAY'], filter: { sentSince: '2026-02-22T10:15:00.000+0000', sentUntil: '2026-03-05T00:00:00Z' } }), NOW);
  assert.deepEqual(r.requestedPeriod, { sentSince: '2026-02-22T00:00:00.000+0000', sentUntil: '2026-03-01T12:00:00.000+0000' });
  const later = new Date('2027-01-10T08:00:00Z');
  const r2 = computeResult(req({ filter: { sentSince: iso(daysBefore(7, later)), sentUntil: iso(later) } }), later);
  assert.ok(r2.rows.length > 0, 'now - 7d has data at any clock');
  const old = computeResult(req({ filter: { sentSince: '2020-01-01T00:00:00Z', sentUntil: '2020-02-01T00:00:00Z' } }), NOW);
  assert.equal(old.rows.length, 0);
});

test('deterministic: same request and clock give the same rows', () => {
  const a = computeResult(req({ aggregateBy: ['HOUR', 'SENDER'] }), NOW);
  const b = computeResult(req({ aggregateBy: ['HOUR', 'SENDER'] }), NOW);
  assert.deepEqual(a, b);
});

test('every channel, time-to buckets, URLs and traffic types appear', () => {
  const all = ['SMS', 'EMAIL', 'FACEBOOK', 'INSTAGRAM', 'KAKAO', 'LINE', 'MMS', 'RCS', 'TELEGRAM', 'VIBER', 'VOICE_VIDEO', 'WHATSAPP', 'ZALO', 'APPLE_MB'];
  const r = computeResult(req({ aggregateBy: ['TIME_TO_DELIVER', 'URL', 'TRAFFIC_TYPE'], filter: { channelCodes: all } }), NOW);
  assert.equal(new Set(values(r, 'CHANNEL_CODE')).size, 14);
  assert.ok(values(r, 'TIME_TO_DELIVER').some((v) => String(v).startsWith('SECONDS_')));
  assert.ok(values(r, 'URL').some((v) => String(v).startsWith('https://')));
  assert.ok(values(r, 'TRAFFIC_TYPE').includes('MARKETING_CONVERSATION'));
});

test('a query over the whole window answers well under a second', () => {
  const all = ['SMS', 'EMAIL', 'FACEBOOK', 'INSTAGRAM', 'KAKAO', 'LINE', 'MMS', 'RCS', 'TELEGRAM', 'VIBER', 'VOICE_VIDEO', 'WHATSAPP', 'ZALO', 'APPLE_MB'];
  const whole = req({ aggregateBy: ['DAY', 'COUNTRY_NAME'], metrics: ['TOTAL_TRAFFIC_COUNT', 'TRAFFIC_DELIVERY_RATE', 'SEEN_OPENED_TRAFFIC_RATE'], filter: { channelCodes: all, includeSubaccounts: true, sentSince: '2000-01-01T00:00:00Z', sentUntil: '2100-01-01T00:00:00Z' } });
  computeResult(whole, NOW); // builds the fact table once
  const t = performance.now();
  const r = computeResult(whole, NOW);
  const ms = performance.now() - t;
  assert.ok(r.rows.length > 1000);
  assert.ok(ms < 1000, `took ${ms.toFixed(0)} ms`);
});

test('validation: required, enums, uniqueItems, minItems, dates', () => {
  const v = (body: unknown) => validateSubmitBody(body).map((x) => x.property);
  assert.deepEqual(v({}), ['callbackUrl', 'request']);
  assert.deepEqual(v({ callbackUrl: 'http://x/y', request: { aggregateBy: [], metrics: [] } }), ['request.metrics', 'request.filterBy']);
  const base = { callbackUrl: 'http://x/y', request: req() };
  assert.deepEqual(v(base), []);
  assert.deepEqual(v({ ...base, request: { ...req(), aggregateBy: ['DAY', 'DAY'], metrics: ['WHAT'] } }), ['request.metrics[0]', 'request.aggregateBy']);
  assert.deepEqual(v({ ...base, request: req({ filter: { channelCodes: [], sentSince: 'yesterday', directions: ['SIDEWAYS'] } }) }), ['request.filterBy.sentSince', 'request.filterBy.channelCodes', 'request.filterBy.directions[0]']);
  assert.deepEqual(v({ ...base, request: req({ filter: { sentSince: iso(NOW), sentUntil: iso(daysBefore(1)) } }) }), ['request.filterBy.sentUntil']);
  assert.deepEqual(v({ ...base, request: req({ filter: { timeToDeliver: [{ from: 'SECONDS_5', to: 'SECONDS_1' }] } }) }), ['request.filterBy.timeToDeliver[0]']);
  assert.deepEqual(v({ ...base, request: { ...req(), filterBy: { ...req().filterBy, channelCode: ['SMS'] } } }), ['request.filterBy.channelCode']);
});

test('every channel code the checker accepts is accepted by the stand-in; product-page codes select their API channel', () => {
  const extras = schemaExtras();
  for (const c of catalog.channels) {
    const body = { callbackUrl: 'https://cb.example/x', request: req({ filter: { channelCodes: [c.name] } }) };
    assert.deepEqual(validateSubmitBody(body, extras), [], `${c.name} is refused`);
  }
  const fb = computeResult(req({ aggregateBy: ['CHANNEL_CODE'], filter: { channelCodes: ['FB'] } }), NOW);
  const facebook = computeResult(req({ aggregateBy: ['CHANNEL_CODE'], filter: { channelCodes: ['FACEBOOK'] } }), NOW);
  assert.deepEqual(fb.rows, facebook.rows);
  assert.ok(fb.rows.length > 0);
  assert.deepEqual(values(fb, 'CHANNEL_CODE'), ['FACEBOOK']);
  // A service the sample data has no traffic for: valid, and no rows.
  assert.equal(computeResult(req({ filter: { channelCodes: ['NL'] } }), NOW).rows.length, 0);
  // Still refused: a code nobody knows.
  const bad = validateSubmitBody({ callbackUrl: 'https://cb.example/x', request: req({ filter: { channelCodes: ['FAX'] } }) }, extras);
  assert.match(bad.map((v) => v.violation).join(' '), /unknown value "FAX"/);
});

test('a malformed % escape in the status path is a 400 that says so, not a 500', async () => {
  const { startStandIn } = await import('../../server/src/run/standin/server.js');
  const s = await startStandIn({ apiKey: 'standin-key-1234567890' });
  try {
    for (const bad of ['%', '%E0%A4%A', 'abc%zz']) {
      const res = await fetch(`${s.url}/metrics/1/requests/${bad}`, { headers: { Authorization: 'App standin-key-1234567890' } });
      const body = (await res.json()) as { violations?: { violation: string }[] };
      assert.equal(res.status, 400, bad);
      assert.match(body.violations?.[0]?.violation ?? '', /malformed % escape/);
    }
  } finally {
    await s.close();
  }
});

test('two adjacent weeks of sample data differ by plausible amounts: not identical, not noise; Nigeria delivers worst in both', () => {
  const weekEnd = daysBefore(3);
  const week = (back: number) =>
    computeResult(
      { filterBy: { channelCodes: ['SMS', 'EMAIL', 'WHATSAPP'], sentSince: iso(daysBefore(7 * (back + 1), weekEnd)), sentUntil: iso(daysBefore(7 * back, weekEnd)) }, aggregateBy: ['COUNTRY_NAME'], metrics: ['TOTAL_TRAFFIC_COUNT', 'TRAFFIC_DELIVERY_RATE'] },
      NOW,
      1,
    );
  const [thisWeek, lastWeek] = [week(0), week(1)];
  const byKey = (r: AggregateDataResponse) => new Map(r.rows.map((row) => [`${row[0]}/${row[1]}`, row]));
  const before = byKey(lastWeek);
  const changes: number[] = [];
  for (const [k, row] of byKey(thisWeek)) {
    const prev = before.get(k);
    assert.ok(prev, `${k} has traffic in both weeks`);
    changes.push((row[2] as number) / (prev[2] as number) - 1);
  }
  assert.ok(changes.some((c) => c !== 0), 'the weeks are not identical');
  const mean = changes.reduce((a, b) => a + b, 0) / changes.length;
  assert.ok(Math.abs(mean) < 0.25, `the average change ${mean} is a trend, not a jump`);
  assert.ok(changes.every((c) => Math.abs(c) < 0.3), `every change is plausible: ${changes.map((c) => c.toFixed(2)).join(' ')}`);
  for (const r of [thisWeek, lastWeek]) {
    const sms = r.rows.filter((row) => row[0] === 'SMS');
    const rate = (name: string) => sms.find((row) => row[1] === name)![3] as number;
    const others = sms.filter((row) => row[1] !== 'Nigeria').map((row) => row[3] as number);
    assert.ok(others.every((x) => x > rate('Nigeria')), 'Nigeria has the lowest SMS delivery rate');
    assert.ok(rate('Nigeria') < 0.75 && Math.min(...others) > 0.75);
  }
});
