// Compilation per spec §5: wire names, times, spans, platforms, IDs, order and determinism.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CompileResult } from '../../../server/src/core/compile/compiler.js';
import { parseDocument } from '../../helpers/syntax.js';
import { stringifyJson, type AggregateDataFilter, type QueryAggregateDataRequest } from '../../../server/src/core/compile/wire.js';
import { mq, compileText, FIXED_NOW, query, REQUIRED, TEST_CALLBACK_URL } from '../../helpers/mq.js';

function body(r: CompileResult): QueryAggregateDataRequest {
  if (!r.ok) assert.fail(`expected success, got ${r.diagnostics.map((d) => `${d.code}: ${d.message}`).join('; ')}`);
  return r.body;
}
const filterOf = (where: string, select?: string): AggregateDataFilter =>
  body(compileText(query({ where, ...(select ? { select } : {}) }))).request.filterBy;
const extra = (w: string): AggregateDataFilter => filterOf(`${REQUIRED} AND ${w}`);

describe('compiler: request envelope', () => {
  it('spec example 1', () => {
    const text = `SELECT TOTAL_SENT_TRAFFIC_COUNT, DELIVERED_TRAFFIC_COUNT, TRAFFIC_DELIVERY_RATE
BY DAY, COUNTRY_NAME
WHERE channelCode = SMS AND sentSince = now - 7d AND sentUntil = now AND direction = OUTBOUND AND timeToDeliver < 5s
ORDER BY TRAFFIC_DELIVERY_RATE ASC LIMIT 20`;
    assert.deepEqual(body(compileText(text)), {
      callbackUrl: TEST_CALLBACK_URL,
      request: {
        filterBy: {
          channelCodes: ['SMS'],
          sentSince: '2026-10-29T10:20:30.123+0000',
          sentUntil: '2026-11-05T10:20:30.123+0000',
          directions: ['OUTBOUND'],
          timeToDeliver: [{ from: 'SECONDS_0', to: 'SECONDS_5' }],
        },
        aggregateBy: ['DAY', 'COUNTRY_NAME'],
        metrics: ['TOTAL_SENT_TRAFFIC_COUNT', 'DELIVERED_TRAFFIC_COUNT', 'TRAFFIC_DELIVERY_RATE'],
      },
    });
  });
  it('without BY, aggregateBy is [CHANNEL_CODE]; metrics canonical, in order, without duplicates', () => {
    const b = body(compileText(query({ select: 'delivered_traffic_count, TOTAL_TRAFFIC_COUNT, Delivered_Traffic_Count' })));
    assert.deepEqual(b.request.aggregateBy, ['CHANNEL_CODE']);
    assert.deepEqual(b.request.metrics, ['DELIVERED_TRAFFIC_COUNT', 'TOTAL_TRAFFIC_COUNT']);
  });
  it('aggregateBy keeps BY order, canonical, without duplicates', () => {
    const b = body(compileText(`SELECT TOTAL_TRAFFIC_COUNT BY hour, country_name, HOUR WHERE ${REQUIRED}`));
    assert.deepEqual(b.request.aggregateBy, ['HOUR', 'COUNTRY_NAME']);
  });
  it('ORDER BY and LIMIT are not sent', () => {
    const json = stringifyJson(body(compileText(query({ tail: 'ORDER BY TOTAL_TRAFFIC_COUNT DESC LIMIT 5' }))));
    assert.ok(!/order|limit/i.test(json));
  });
  it('compileRequest returns the request without callbackUrl', () => {
    const q = parseDocument(query({})).queries[0]!;
    const r = mq.compileRequest(q, { now: FIXED_NOW });
    assert.ok(r.ok);
    if (r.ok) assert.deepEqual(Object.keys(r.request), ['filterBy', 'aggregateBy', 'metrics']);
  });
});

describe('compiler: refuses queries with errors', () => {
  it('returns the error diagnostics', () => {
    const r = compileText(`SELECT NOPE WHERE channelCode = SMS`);
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.ok(r.diagnostics.some((d) => d.code === 'unknown-metric'));
      assert.ok(r.diagnostics.some((d) => d.code === 'missing-required-filter'));
      assert.ok(r.diagnostics.every((d) => d.severity === 'error'));
    }
  });
  it('warnings do not block compilation', () => {
    const r = compileText(query({ select: 'TOTAL_TRAFFIC_COUNT, TOTAL_TRAFFIC_COUNT' }));
    assert.ok(r.ok);
    if (r.ok) assert.equal(r.warnings[0]?.code, 'duplicate-metric');
  });
});

describe('compiler: times', () => {
  it('dates and date-times in UTC with milliseconds and +0000', () => {
    const f = filterOf(`channelCode = SMS AND sentSince = '2026-10-01T08:00:00+02:00' AND sentUntil = '2026-10-02'`);
    assert.equal(f.sentSince, '2026-10-01T06:00:00.000+0000');
    assert.equal(f.sentUntil, '2026-10-02T00:00:00.000+0000');
  });
  it('relative times use the injected clock', () => {
    const text = query({ where: `channelCode = SMS AND sentSince = today - 1d AND sentUntil = today` });
    const a = body(compileText(text, 0, new Date('2026-01-15T12:00:00Z'))).request.filterBy;
    assert.equal(a.sentSince, '2026-01-14T00:00:00.000+0000');
    assert.equal(a.sentUntil, '2026-01-15T00:00:00.000+0000');
  });
  it('sent shorthand: BETWEEN is half-open; > and <= move by 1 ms', () => {
    const b = filterOf(`channelCode = SMS AND sent BETWEEN '2026-10-01' AND '2026-11-01'`);
    assert.equal(b.sentSince, '2026-10-01T00:00:00.000+0000');
    assert.equal(b.sentUntil, '2026-11-01T00:00:00.000+0000');
    const c = filterOf(`channelCode = SMS AND sent > '2026-10-01' AND sent <= '2026-10-31T23:59:59.999'`);
    assert.equal(c.sentSince, '2026-10-01T00:00:00.001+0000');
    assert.equal(c.sentUntil, '2026-11-01T00:00:00.000+0000');
    const d = filterOf(`channelCode = SMS AND sent >= '2026-10-01' AND sent < '2026-10-02'`);
    assert.deepEqual([d.sentSince, d.sentUntil], ['2026-10-01T00:00:00.000+0000', '2026-10-02T00:00:00.000+0000']);
  });
});

describe('compiler: filter mappings', () => {
  it('channelCode → channelCodes, direction → directions (canonical, deduplicated, intersected)', () => {
    const f = filterOf(`channelCode IN (sms, Email, SMS) AND ${REQUIRED.replace('channelCode = SMS AND ', '')} AND direction IN (inbound)`);
    assert.deepEqual(f.channelCodes, ['SMS', 'EMAIL']);
    assert.deepEqual(f.directions, ['INBOUND']);
    const g = filterOf(`channelCode IN (SMS, EMAIL, VIBER) AND channelCode IN (VIBER, SMS) AND sentSince = today AND sentUntil = now`);
    assert.deepEqual(g.channelCodes, ['SMS', 'VIBER']);
  });
  it('seed channel codes are sent as written (canonical case)', () => {
    assert.deepEqual(filterOf(`channelCode IN (fb, KAKAOA) AND sentSince = today AND sentUntil = now`).channelCodes, ['FB', 'KAKAOA']);
  });
  it('strings, booleans and enum lists', () => {
    const f = extra(
      `accountKeys IN ('565C2852060F94BC771F692C04C055E1', 'it''s') AND includeSubaccounts = TRUE AND senders = "InfoSMS" ` +
        `AND campaignReferenceIds = 'CAMPAIGN-1' AND statusGroups IN (DELIVERED, rejected) AND statuses = custom_status ` +
        `AND errorGroups = OK AND errorCodes = 'EC_Custom' AND capabilities = PHONE`,
    );
    assert.deepEqual(f.accountKeys, ['565C2852060F94BC771F692C04C055E1', "it's"]);
    assert.equal(f.includeSubaccounts, true);
    assert.deepEqual(f.senders, ['InfoSMS']);
    assert.deepEqual(f.campaignReferenceIds, ['CAMPAIGN-1']);
    assert.deepEqual(f.statusGroups, ['DELIVERED', 'REJECTED']);
    assert.deepEqual(f.statuses, ['CUSTOM_STATUS']);
    assert.deepEqual(f.errorGroups, ['OK']);
    assert.deepEqual(f.errorCodes, ['EC_Custom']);
    assert.deepEqual(f.capabilities, ['PHONE']);
    assert.equal(extra('includeSubaccounts = FALSE').includeSubaccounts, false);
  });
  it('trafficTypes and senderTypes given by ID are sent as names', () => {
    const f = filterOf(`channelCode IN (WHATSAPP, RCS, EMAIL, SMS) AND sentSince = today AND sentUntil = now AND trafficTypes IN (1, p2a_conversation) AND senderTypes IN (6, 10dlc)`);
    assert.deepEqual(f.trafficTypes, ['UTILITY_CONVERSATION', 'P2A_CONVERSATION']);
    assert.deepEqual(f.senderTypes, ['DOMAIN', '10DLC']);
  });
  it('int32 IDs are numbers; int64 IDs keep every digit', () => {
    const b = body(compileText(query({ where: `${REQUIRED} AND networkIds IN (1, 0042) AND countryIds = 2147483647 AND communicationIds IN (9007199254740993, 12)` })));
    assert.deepEqual(b.request.filterBy.networkIds, [1, 42]);
    assert.deepEqual(b.request.filterBy.countryIds, [2147483647]);
    const json = stringifyJson(b);
    assert.ok(json.includes('"communicationIds":[9007199254740993,12]'), json);
    assert.ok(stringifyJson(body(compileText(query({ where: `${REQUIRED} AND communicationIds = 9223372036854775807` })))).includes(':[9223372036854775807]'));
  });
  it('applicationId/entityId → platforms (alone or together, fixed key order)', () => {
    assert.deepEqual(extra(`entityId = 'e1' AND applicationId = 'a1'`).platforms, [{ applicationId: 'a1', entityId: 'e1' }]);
    assert.deepEqual(extra(`applicationId = 'a1'`).platforms, [{ applicationId: 'a1' }]);
    assert.deepEqual(extra(`entityId = 'e1'`).platforms, [{ entityId: 'e1' }]);
    assert.equal(JSON.stringify(extra(`entityId = 'e1' AND applicationId = 'a1'`).platforms), '[{"applicationId":"a1","entityId":"e1"}]');
  });
  it('timeTo* → one {from, to} span of bucket names', () => {
    assert.deepEqual(extra('timeToDeliver < 5s').timeToDeliver, [{ from: 'SECONDS_0', to: 'SECONDS_5' }]);
    assert.deepEqual(extra('timeToDeliver <= 5s').timeToDeliver, [{ from: 'SECONDS_0', to: 'SECONDS_5' }]);
    assert.deepEqual(extra('timeToDeliver >= 1m').timeToDeliver, [{ from: 'MINUTES_1' }]);
    assert.deepEqual(extra('timeToDeliver > 60s').timeToDeliver, [{ from: 'MINUTES_1' }]);
    assert.deepEqual(extra('timeToClickFromSeen BETWEEN SECONDS_10 AND minutes_2').timeToClickFromSeen, [{ from: 'SECONDS_10', to: 'MINUTES_2' }]);
    assert.deepEqual(extra('timeToSeenFromDelivered BETWEEN 1h AND 1d').timeToSeenFromDelivered, [{ from: 'HOURS_1', to: 'DAYS_1' }]);
    assert.deepEqual(extra('timeToAnswer >= 1s AND timeToAnswer < 30s AND timeToAnswer >= 5s').timeToAnswer, [{ from: 'SECONDS_5', to: 'SECONDS_30' }]);
    assert.deepEqual(extra('timeToOpenFromDelivered < 3d').timeToOpenFromDelivered, [{ from: 'SECONDS_0', to: 'DAYS_3' }]);
    assert.deepEqual(extra('timeToClickFromDelivered >= 0s').timeToClickFromDelivered, [{ from: 'SECONDS_0' }]);
  });
});

describe('compiler: determinism', () => {
  const text = query({
    select: 'UNIQUE_CLICKS_COUNT, TOTAL_TRAFFIC_COUNT',
    where: `statusGroups = DELIVERED AND timeToDeliver < 10s AND ${REQUIRED} AND direction = OUTBOUND AND accountKeys = 'K'`,
  });
  it('same text and clock give byte-identical JSON', () => {
    const a = stringifyJson(body(compileText(text)), 2);
    const b = stringifyJson(body(compileText(text)), 2);
    assert.equal(a, b);
  });
  it('filterBy key order does not depend on the order conditions are written in', () => {
    const other = query({
      select: 'UNIQUE_CLICKS_COUNT, TOTAL_TRAFFIC_COUNT',
      where: `accountKeys = 'K' AND direction = OUTBOUND AND sentUntil = '2026-10-02' AND timeToDeliver < 10s AND sentSince = '2026-10-01' AND channelCode = SMS AND statusGroups = DELIVERED`,
    });
    assert.equal(stringifyJson(body(compileText(other))), stringifyJson(body(compileText(text))));
    assert.deepEqual(Object.keys(body(compileText(text)).request.filterBy), [
      'channelCodes',
      'sentSince',
      'sentUntil',
      'directions',
      'accountKeys',
      'statusGroups',
      'timeToDeliver',
    ]);
  });
  it('compileQuery takes the callback URL from the caller', () => {
    const q = parseDocument(text).queries[0]!;
    const r = mq.compile(q, { now: FIXED_NOW, callbackUrl: 'https://cb.example.invalid/x' });
    assert.equal(body(r).callbackUrl, 'https://cb.example.invalid/x');
  });
});
