// unknown-*, duplicate-*, multiple-time-grains, unknown-order-column, invalid-limit, syntax-error.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { diagnose, query, withCode } from '../../helpers/mq.js';

describe('analyser: a valid query has no diagnostics', () => {
  it('spec example 1 and 2 (only a hint: example 1 filters on timeToDeliver, so its delivery rate is always 100 %)', () => {
    const text = `SELECT TOTAL_SENT_TRAFFIC_COUNT, DELIVERED_TRAFFIC_COUNT, TRAFFIC_DELIVERY_RATE
BY DAY, COUNTRY_NAME
WHERE channelCode = SMS AND sentSince = now - 7d AND sentUntil = now AND direction = OUTBOUND AND timeToDeliver < 5s
ORDER BY TRAFFIC_DELIVERY_RATE ASC
LIMIT 20;
SELECT SEEN_OPENED_TRAFFIC_COUNT, UNIQUE_CLICKS_COUNT BY WEEK_MONDAY_START
WHERE channelCode IN (EMAIL, WHATSAPP) AND sent BETWEEN '2026-10-01' AND '2026-11-01'`;
    assert.deepEqual(diagnose(text).map((d) => [d.code, d.severity, d.text]), [['constant-metric', 'hint', 'TRAFFIC_DELIVERY_RATE']]);
  });
  it('names are case-insensitive', () => {
    assert.deepEqual(
      diagnose(`select total_traffic_count by day where CHANNELCODE = sms and SentSince = '2026-10-01' and sentuntil = '2026-10-02'`),
      [],
    );
  });
});

describe('analyser: syntax-error', () => {
  it('positive: one diagnostic at the offending token', () => {
    const d = withCode(`SELECT TOTAL_TRAFFIC_COUNT, WHERE channelCode = SMS`, 'syntax-error');
    assert.ok(d.length >= 1);
    assert.equal(d[0]!.severity, 'error');
  });
  it('a complete query has no syntax error', () => {
    assert.deepEqual(withCode(query({}), 'syntax-error'), []);
  });
});

describe('analyser: unknown-metric', () => {
  it('positive: suggests the closest names in the message and in data.suggestions', () => {
    const [d, ...rest] = withCode(query({ select: 'DELIVERD_TRAFFIC_COUNT' }), 'unknown-metric');
    assert.equal(rest.length, 0);
    assert.equal(d!.severity, 'error');
    assert.equal(d!.text, 'DELIVERD_TRAFFIC_COUNT');
    assert.match(d!.message, /Unknown metric 'DELIVERD_TRAFFIC_COUNT'/);
    assert.match(d!.message, /Did you mean DELIVERED_TRAFFIC_COUNT/);
    assert.equal((d!.data!.suggestions as string[])[0], 'DELIVERED_TRAFFIC_COUNT');
  });
  it('positive: a dimension in SELECT says to move it to BY', () => {
    const [d] = withCode(query({ select: 'DAY' }), 'unknown-metric');
    assert.match(d!.message, /DAY is a dimension: move it to the BY clause/);
  });
  it('a known metric in lower case is not unknown', () => {
    assert.deepEqual(withCode(query({ select: 'delivered_traffic_count' }), 'unknown-metric'), []);
  });
});

describe('analyser: unknown-dimension', () => {
  it('an unknown dimension is an error that suggests the closest name', () => {
    const [d] = withCode(query({ by: 'COUNTRY_NAMES' }), 'unknown-dimension');
    assert.equal(d!.severity, 'error');
    assert.equal(d!.text, 'COUNTRY_NAMES');
    assert.match(d!.message, /Did you mean COUNTRY_NAME/);
    assert.ok((d!.data!.suggestions as string[]).includes('COUNTRY_NAME'));
  });
  it('positive: a metric in BY says to move it to SELECT', () => {
    const [d] = withCode(query({ by: 'TOTAL_TRAFFIC_COUNT' }), 'unknown-dimension');
    assert.match(d!.message, /is a metric: move it to the SELECT list/);
  });
  it('known dimensions are accepted', () => {
    assert.deepEqual(withCode(query({ by: 'COUNTRY_NAME, HOUR' }), 'unknown-dimension'), []);
  });
});

describe('analyser: unknown-filter', () => {
  it('an unknown filter is an error that suggests the closest name', () => {
    const [d] = withCode(query({ where: `channelCodes = SMS AND sentSince = today AND sentUntil = now` }), 'unknown-filter');
    assert.equal(d!.severity, 'error');
    assert.equal(d!.text, 'channelCodes');
    assert.match(d!.message, /Unknown filter 'channelCodes'.*Did you mean channelCode/);
    assert.deepEqual((d!.data!.suggestions as string[])[0], 'channelCode');
  });
  it('the filters of the default query are all known', () => {
    assert.deepEqual(withCode(query({}), 'unknown-filter'), []);
  });
});

describe('analyser: duplicate-metric / duplicate-dimension', () => {
  it('positive: warning on the repetition, related to the first', () => {
    const [m] = withCode(query({ select: 'TOTAL_TRAFFIC_COUNT, DELIVERED_TRAFFIC_COUNT, total_traffic_count' }), 'duplicate-metric');
    assert.equal(m!.severity, 'warning');
    assert.equal(m!.text, 'total_traffic_count');
    assert.match(m!.message, /TOTAL_TRAFFIC_COUNT is already selected; remove/);
    assert.equal(m!.related?.length, 1);
    const text = query({ by: 'COUNTRY_NAME, COUNTRY_NAME' });
    const [d] = withCode(text, 'duplicate-dimension');
    assert.equal(d!.severity, 'warning');
    assert.equal(d!.text, 'COUNTRY_NAME');
    assert.equal(d!.start, text.lastIndexOf('COUNTRY_NAME'));
    assert.match(d!.message, /already in BY/);
  });
  it('different metrics and different dimensions are not duplicates', () => {
    assert.deepEqual(withCode(query({ select: 'TOTAL_TRAFFIC_COUNT, DELIVERED_TRAFFIC_COUNT' }), 'duplicate-metric'), []);
    assert.deepEqual(withCode(query({ by: 'COUNTRY_NAME, COUNTRY_ID' }), 'duplicate-dimension'), []);
  });
});

describe('analyser: multiple-time-grains', () => {
  it('positive: on each coarser time dimension, naming the finest', () => {
    const ds = withCode(query({ by: 'DAY, HOUR, MONTH' }), 'multiple-time-grains');
    assert.deepEqual(ds.map((d) => d.text), ['DAY', 'MONTH']);
    assert.equal(ds[0]!.severity, 'warning');
    assert.match(ds[0]!.message, /only the finest .* returns HOUR and drops DAY/i);
    assert.equal(ds[0]!.data!.finest, 'HOUR');
  });
  it('one time grain with another dimension is accepted', () => {
    assert.deepEqual(withCode(query({ by: 'DAY, COUNTRY_NAME' }), 'multiple-time-grains'), []);
  });
});

describe('analyser: unknown-order-column', () => {
  it('positive: a metric that is not selected', () => {
    const [d] = withCode(query({ tail: 'ORDER BY DELIVERED_TRAFFIC_COUNT DESC' }), 'unknown-order-column');
    assert.equal(d!.severity, 'error');
    assert.equal(d!.text, 'DELIVERED_TRAFFIC_COUNT');
    assert.match(d!.message, /not selected. Add it to SELECT/);
  });
  it('positive: a coarser time grain, and CHANNEL_CODE next to CHANNEL_NAME', () => {
    const [d] = withCode(query({ by: 'DAY, HOUR', tail: 'ORDER BY DAY' }), 'unknown-order-column');
    assert.match(d!.message, /only the finest time dimension, HOUR/);
    assert.deepEqual(d!.data!.suggestions, ['HOUR']);
    const [c] = withCode(query({ by: 'CHANNEL_NAME', tail: 'ORDER BY CHANNEL_CODE' }), 'unknown-order-column');
    assert.equal(c!.text, 'CHANNEL_CODE');
    assert.match(c!.message, /CHANNEL_CODE is not added when BY has CHANNEL_NAME/);
  });
  it('positive: an unknown name suggests result columns', () => {
    const [d] = withCode(query({ by: 'COUNTRY_NAME', tail: 'ORDER BY COUNTRY_NAM' }), 'unknown-order-column');
    assert.deepEqual(d!.data!.suggestions, ['COUNTRY_NAME']);
  });
  it('negative: selected metric, BY dimension, implicit CHANNEL_CODE, finest grain', () => {
    assert.deepEqual(
      withCode(query({ by: 'DAY, HOUR, COUNTRY_NAME', tail: 'ORDER BY total_traffic_count DESC, COUNTRY_NAME, CHANNEL_CODE, HOUR' }), 'unknown-order-column'),
      [],
    );
  });
});

describe('analyser: invalid-limit', () => {
  it('LIMIT 0 is an error: the limit must be at least 1', () => {
    const [d] = withCode(query({ tail: 'LIMIT 0' }), 'invalid-limit');
    assert.equal(d!.severity, 'error');
    assert.equal(d!.text, '0');
    assert.match(d!.message, /at least 1/);
  });
  it('LIMIT 1 and LIMIT 10 are accepted', () => {
    assert.deepEqual(withCode(query({ tail: 'LIMIT 1' }), 'invalid-limit'), []);
    assert.deepEqual(withCode(query({ tail: 'LIMIT 10' }), 'invalid-limit'), []);
  });
});
