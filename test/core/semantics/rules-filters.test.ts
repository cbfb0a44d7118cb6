// missing-required-filter, unknown-value, invalid-value, empty-time-range, contradictory-filter,
// unsupported-operator, invalid-time-bucket.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { query, REQUIRED, withCode, diagnose } from '../../helpers/mq.js';

const W = (extra: string): string => query({ where: `${REQUIRED} AND ${extra}` });

describe('analyser: missing-required-filter', () => {
  it('positive: one diagnostic naming everything missing, at WHERE', () => {
    const ds = withCode(`SELECT TOTAL_TRAFFIC_COUNT WHERE direction = OUTBOUND`, 'missing-required-filter');
    assert.equal(ds.length, 1);
    const d = ds[0]!;
    assert.equal(d.severity, 'error');
    assert.equal(d.text, 'WHERE');
    assert.deepEqual(d.data!.missing, ['channelCode', 'sentSince', 'sentUntil']);
    assert.match(d.message, /requires channelCode, sentSince and sentUntil/);
    assert.match(d.message, /channelCode = SMS AND sentSince = now - 7d AND sentUntil = now/);
  });
  it('positive: at SELECT when there is no WHERE', () => {
    const [d] = withCode(`select TOTAL_TRAFFIC_COUNT`, 'missing-required-filter');
    assert.equal(d!.text, 'select');
    assert.match(d!.message, /Add a WHERE clause with/);
  });
  it('positive: sent >= sets only sentSince', () => {
    const [d] = withCode(`SELECT TOTAL_TRAFFIC_COUNT WHERE channelCode = SMS AND sent >= today`, 'missing-required-filter');
    assert.deepEqual(d!.data!.missing, ['sentUntil']);
  });
  it('negative: explicit bounds, or sent BETWEEN', () => {
    assert.deepEqual(withCode(query({}), 'missing-required-filter'), []);
    assert.deepEqual(
      withCode(`SELECT TOTAL_TRAFFIC_COUNT WHERE channelCode = SMS AND sent BETWEEN today - 1d AND today`, 'missing-required-filter'),
      [],
    );
    assert.deepEqual(
      withCode(`SELECT TOTAL_TRAFFIC_COUNT WHERE channelCode = SMS AND sent >= today - 1d AND sent < today`, 'missing-required-filter'),
      [],
    );
  });
});

describe('analyser: unknown-value', () => {
  it('positive: unknown channel, with suggestions', () => {
    const [d] = withCode(query({ where: `channelCode = WHATSAP AND sentSince = today AND sentUntil = now` }), 'unknown-value');
    assert.equal(d!.severity, 'error');
    assert.equal(d!.text, 'WHATSAP');
    assert.match(d!.message, /Unknown value 'WHATSAP' for channelCode.*Did you mean WHATSAPP/);
    assert.equal((d!.data!.suggestions as string[])[0], 'WHATSAPP');
  });
  it('positive: unknown enum names and IDs', () => {
    assert.equal(withCode(W('statusGroups = DELIVERD'), 'unknown-value')[0]!.text, 'DELIVERD');
    assert.equal(withCode(W('direction = OUT'), 'unknown-value')[0]!.text, 'OUT');
    const [id] = withCode(W('senderTypes = 9'), 'unknown-value');
    assert.match(id!.message, /No sender type has ID 9.*6 DOMAIN/);
    const [b] = withCode(W('timeToDeliver < SECONDS_7'), 'unknown-value');
    assert.equal(b!.text, 'SECONDS_7');
  });
  it('negative: known names, IDs, quoted names, and open lists', () => {
    assert.deepEqual(withCode(W(`statusGroups IN (delivered, 'REJECTED') AND senderTypes IN (1, 10DLC) AND statuses = MY_OWN_STATUS`), 'unknown-value'), []);
  });
  it('openApiOnlyChannels: off by default; hint or warning when asked', () => {
    const text = query({ where: `channelCode = FACEBOOK AND sentSince = today AND sentUntil = now` });
    assert.deepEqual(withCode(text, 'unknown-value'), []);
    const [h] = withCode(text, 'unknown-value', { options: { openApiOnlyChannels: 'hint' } });
    assert.equal(h!.severity, 'hint');
    assert.equal(h!.text, 'FACEBOOK');
    assert.match(h!.message, /only in the OpenAPI document.*FB/);
    const [w] = withCode(text, 'unknown-value', { options: { openApiOnlyChannels: 'warning' } });
    assert.equal(w!.severity, 'warning');
    assert.deepEqual(withCode(query({}), 'unknown-value', { options: { openApiOnlyChannels: 'warning' } }), []);
  });
});

describe('analyser: invalid-value', () => {
  const one = (extra: string) => {
    const ds = withCode(W(extra), 'invalid-value');
    assert.equal(ds.length, 1, `${extra}: ${JSON.stringify(ds)}`);
    assert.equal(ds[0]!.severity, 'error');
    return ds[0]!;
  };
  it('a string where an ID is needed', () => {
    const d = one(`networkIds = '123'`);
    assert.equal(d.text, `'123'`);
    assert.match(d.message, /integer IDs.*Remove the quotes: 123/);
  });
  it('int32 and int64 out of range', () => {
    assert.match(one('countryIds = 2147483648').message, /too large for countryIds: IDs are 32-bit/);
    assert.match(one('communicationIds = 9223372036854775808').message, /64-bit/);
  });
  it('a bad date', () => {
    const d = withCode(query({ where: `channelCode = SMS AND sentSince = '2026-02-30' AND sentUntil = now` }), 'invalid-value')[0]!;
    assert.equal(d.text, `'2026-02-30'`);
    assert.match(d.message, /Invalid time for sentSince.*day 30/);
  });
  it('a non-boolean for includeSubaccounts, a name where a string is needed is fine', () => {
    assert.match(one(`includeSubaccounts = 'yes'`).message, /includeSubaccounts takes TRUE or FALSE/);
    assert.match(one('timeToDeliver < 5').message, /has no unit/);
    assert.match(one('timeToDeliver BETWEEN 10s AND 5s').message, /span is empty/);
    assert.match(one('timeToDeliver < 0s').message, /Nothing is below SECONDS_0/);
  });
  it('no error for in-range ids, an int64 communication id, a boolean and a sender name', () => {
    assert.deepEqual(
      withCode(W(`networkIds IN (1, 2147483647) AND communicationIds = 9223372036854775807 AND includeSubaccounts = FALSE AND senders = InfoSMS`), 'invalid-value'),
      [],
    );
  });
});

describe('analyser: empty-time-range', () => {
  it('positive: since after until', () => {
    const [d] = withCode(query({ where: `channelCode = SMS AND sentSince = now AND sentUntil = now - 1d` }), 'empty-time-range');
    assert.equal(d!.severity, 'error');
    assert.equal(d!.text, 'now - 1d');
    assert.match(d!.message, /sentSince resolves to 2026-11-05T10:20:30.123\+0000, which is after sentUntil 2026-11-04T10:20:30.123\+0000/);
  });
  it('positive: equal instants, and a reversed BETWEEN', () => {
    assert.equal(withCode(query({ where: `channelCode = SMS AND sentSince = today AND sentUntil = today` }), 'empty-time-range').length, 1);
    const [b] = withCode(`SELECT TOTAL_TRAFFIC_COUNT WHERE channelCode = SMS AND sent BETWEEN now AND today`, 'empty-time-range');
    assert.equal(b!.text, 'sent BETWEEN now AND today');
  });
  it('no error for a range from today to now', () => {
    assert.deepEqual(withCode(query({ where: `channelCode = SMS AND sentSince = today AND sentUntil = now` }), 'empty-time-range'), []);
  });
});

describe('analyser: contradictory-filter', () => {
  it('positive: = and = with different values suggests IN', () => {
    const text = query({ where: `${REQUIRED} AND channelCode = EMAIL` });
    const [d] = withCode(text, 'contradictory-filter');
    assert.equal(d!.severity, 'error');
    assert.equal(d!.text, 'channelCode = EMAIL');
    assert.match(d!.message, /channelCode IN \(SMS, EMAIL\)/);
    assert.deepEqual(d!.data!.values, ['SMS', 'EMAIL']);
    assert.equal(d!.data!.replacement, 'channelCode IN (SMS, EMAIL)');
    assert.equal((d!.data!.conditions as unknown[]).length, 2);
  });
  it('positive: IN lists without overlap, scalar filters, double time bounds, crossed timeTo bounds', () => {
    assert.equal(withCode(W('direction IN (INBOUND) AND direction = OUTBOUND'), 'contradictory-filter').length, 1);
    assert.match(withCode(W('includeSubaccounts = TRUE AND includeSubaccounts = FALSE'), 'contradictory-filter')[0]!.message, /takes one value/);
    assert.match(withCode(W(`sent >= '2026-09-01'`), 'contradictory-filter')[0]!.message, /sentSince is set more than once/);
    assert.equal(withCode(W('timeToDeliver >= 10s AND timeToDeliver < 5s'), 'contradictory-filter').length, 1);
  });
  it('negative: overlapping lists, same value twice, a tightening span', () => {
    assert.deepEqual(withCode(W('channelCode IN (SMS, EMAIL) AND direction = INBOUND AND direction = INBOUND'), 'contradictory-filter'), []);
    assert.deepEqual(withCode(W(`sentSince = '2026-10-01' AND timeToDeliver >= 1s AND timeToDeliver < 5s`), 'contradictory-filter'), []);
  });
});

describe('analyser: unsupported-operator', () => {
  it('positive: OR, NOT, !=, <> explain what the API can express', () => {
    const or = withCode(W('direction = INBOUND OR direction = OUTBOUND'), 'unsupported-operator');
    assert.equal(or[0]!.text.toUpperCase(), 'OR');
    assert.equal(or[0]!.severity, 'error');
    assert.match(or[0]!.message, /OR is not supported.*IN \(a, b\)/);
    const ne = withCode(W('direction != INBOUND'), 'unsupported-operator');
    assert.equal(ne[0]!.text, '!=');
    assert.match(ne[0]!.message, /no negation/);
    assert.equal(withCode(W('direction <> INBOUND'), 'unsupported-operator')[0]!.text, '<>');
    const not = withCode(W('NOT direction = INBOUND'), 'unsupported-operator');
    assert.equal(not.length, 1);
    assert.equal(not[0]!.text.toUpperCase(), 'NOT');
  });
  it('positive: range operators on a non-range filter; IN on a single-valued one', () => {
    const [d] = withCode(W('networkIds > 5'), 'unsupported-operator');
    assert.equal(d!.text, '>');
    assert.match(d!.message, /networkIds is not a range filter.*It accepts = or IN/);
    assert.match(withCode(W(`sentSince >= today`), 'unsupported-operator')[0]!.message, /use sent BETWEEN a AND b/);
    assert.match(withCode(W('includeSubaccounts IN (TRUE)'), 'unsupported-operator')[0]!.message, /single value/);
  });
  it('no error for IN on an enumerated filter nor BETWEEN on a duration', () => {
    assert.deepEqual(withCode(W('direction IN (INBOUND, OUTBOUND) AND timeToDeliver BETWEEN 1s AND 5s'), 'unsupported-operator'), []);
  });
});

describe('analyser: invalid-time-bucket', () => {
  it('positive: names the nearest boundaries', () => {
    const [d] = withCode(W('timeToDeliver < 7s'), 'invalid-time-bucket');
    assert.equal(d!.severity, 'error');
    assert.equal(d!.text, '7s');
    assert.match(d!.message, /7s is not a time-bucket boundary.*5s \(SECONDS_5\) and 10s \(SECONDS_10\)/);
    assert.deepEqual(d!.data!.suggestions, ['5s', '10s']);
    const [big] = withCode(W('timeToSeenFromDelivered >= 4d'), 'invalid-time-bucket');
    assert.match(big!.message, /largest boundary is 3d \(DAYS_3\)/);
  });
  it('negative: boundaries in any unit, and bucket names', () => {
    assert.deepEqual(withCode(W('timeToDeliver BETWEEN 1000ms AND 1m AND timeToClickFromSeen >= HOURS_6 AND timeToAnswer < 60s'), 'invalid-time-bucket'), []);
  });
});

describe('analyser: diagnostics do not cascade', () => {
  it('an unknown channel silences channel rules', () => {
    const ds = diagnose(query({ select: 'TOTAL_BOUNCE_COUNT', where: `channelCode = SMSS AND sentSince = today AND sentUntil = now` }));
    assert.deepEqual(ds.map((d) => d.code), ['unknown-value']);
  });
});

describe('analyser: recovery and documents', () => {
  it('an incomplete time expression is reported once, by the parser', () => {
    const ds = diagnose(`SELECT TOTAL_TRAFFIC_COUNT WHERE channelCode = SMS AND sentSince = now - AND sentUntil = now`);
    assert.deepEqual(ds.map((d) => d.code), ['syntax-error']);
  });
  it('a broken query does not hide the diagnostics of the next one', () => {
    const ds = diagnose(`SELECT TOTAL_TRAFFIC_COUNT, WHERE;\n${query({ select: 'NOPE_METRIC' })}`);
    assert.ok(ds.some((d) => d.code === 'syntax-error'));
    assert.ok(ds.some((d) => d.code === 'unknown-metric' && d.text === 'NOPE_METRIC'));
  });
  it('document-level syntax errors are included', () => {
    const ds = diagnose(`garbage ${query({})}`);
    assert.equal(ds[0]!.code, 'syntax-error');
  });
  it('timeTo* with = explains the range forms', () => {
    const [d] = withCode(W('timeToDeliver = 5s'), 'unsupported-operator');
    assert.match(d!.message, /timeToDeliver < 5s, timeToDeliver >= 1m or timeToDeliver BETWEEN 5s AND 10s/);
  });
});
