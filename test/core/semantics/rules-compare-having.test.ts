// The diagnostics of spec §8.5 (each with a case that reports it and one that does not), the comparison
// columns in ORDER BY, OR/NOT in HAVING, and the result columns every feature shares.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resultColumns } from '../../../server/src/core/semantics/columns.js';
import { diagnose, mq, withCode } from '../../helpers/mq.js';

const W = `WHERE channelCode = SMS AND sentSince = '2026-10-01' AND sentUntil = '2026-10-08'`;
const q = (rest: string, select = 'TOTAL_TRAFFIC_COUNT', by = ''): string => `SELECT ${select}${by ? ` BY ${by}` : ''} ${W} ${rest}`;

describe('result columns (semantics/columns.ts)', () => {
  it('without COMPARE: CHANNEL_CODE when the API adds it, the finest time dimension, the other dimensions, the metrics', () => {
    const cols = resultColumns(mq.catalog, mq.parse(q('', 'TOTAL_TRAFFIC_COUNT, DELIVERED_TRAFFIC_COUNT', 'DAY, HOUR, COUNTRY_NAME')).queries[0]!);
    assert.deepEqual(cols.map((c) => [c.name, c.kind]), [
      ['CHANNEL_CODE', 'dimension'],
      ['HOUR', 'dimension'],
      ['COUNTRY_NAME', 'dimension'],
      ['TOTAL_TRAFFIC_COUNT', 'metric'],
      ['DELIVERED_TRAFFIC_COUNT', 'metric'],
    ]);
  });
  it('with COMPARE: four columns per metric in SELECT order; _DELTA_PCT is a NUMBER, the others keep the metric type', () => {
    const cols = resultColumns(mq.catalog, mq.parse(q('COMPARE WITH PREVIOUS PERIOD', 'TOTAL_TRAFFIC_COUNT', 'CHANNEL_NAME')).queries[0]!);
    assert.deepEqual(cols.map((c) => [c.name, c.type]), [
      ['CHANNEL_NAME', 'STRING'],
      ['TOTAL_TRAFFIC_COUNT', 'INTEGER'],
      ['TOTAL_TRAFFIC_COUNT_PREVIOUS', 'INTEGER'],
      ['TOTAL_TRAFFIC_COUNT_DELTA', 'INTEGER'],
      ['TOTAL_TRAFFIC_COUNT_DELTA_PCT', 'NUMBER'],
    ]);
  });
});

describe('analyser: a valid COMPARE/HAVING query has no diagnostics', () => {
  it('metric, comparison and dimension columns in HAVING and ORDER BY', () => {
    const text = q(
      `COMPARE WITH PREVIOUS PERIOD HAVING TRAFFIC_DELIVERY_RATE < 0.9 AND TOTAL_TRAFFIC_COUNT_DELTA_PCT <= -10 ` +
        `AND COUNTRY_NAME IN ('Germany', France) AND COUNTRY_NAME != 'Spain' AND TOTAL_TRAFFIC_COUNT BETWEEN 10 AND 20 ` +
        `ORDER BY TOTAL_TRAFFIC_COUNT_DELTA DESC LIMIT 10`,
      'TOTAL_TRAFFIC_COUNT, TRAFFIC_DELIVERY_RATE',
      'DAY, COUNTRY_NAME',
    );
    assert.deepEqual(diagnose(text), []);
  });
});

describe('analyser: invalid-compare-offset', () => {
  it('positive: 0d AGO, at the duration', () => {
    const [d, ...rest] = withCode(q('COMPARE WITH 0d AGO'), 'invalid-compare-offset');
    assert.equal(rest.length, 0);
    assert.equal(d!.text, '0d');
    assert.equal(d!.severity, 'error');
    assert.match(d!.message, /above 0/);
  });
  it('positive: an offset so large that the previous period would start before the year 0000', () => {
    const [d] = withCode(q('COMPARE WITH 999999999d AGO'), 'invalid-compare-offset');
    assert.match(d!.message, /before the year 0000/);
  });
  it('negative: any duration above 0, and PREVIOUS PERIOD', () => {
    assert.deepEqual(withCode(q('COMPARE WITH 1ms AGO'), 'invalid-compare-offset'), []);
    assert.deepEqual(withCode(q('COMPARE WITH PREVIOUS PERIOD'), 'invalid-compare-offset'), []);
  });
});

describe('analyser: compare-offset-misaligned', () => {
  it('positive: an offset that is not a whole number of buckets names the nearest aligned offsets', () => {
    const [d] = withCode(q('COMPARE WITH 36h AGO', 'TOTAL_TRAFFIC_COUNT', 'DAY'), 'compare-offset-misaligned');
    assert.equal(d!.text, '36h AGO');
    assert.deepEqual(d!.data, { dimension: 'DAY', offsetMs: 36 * 3_600_000, suggestions: ['1d', '2d'] });
    assert.match(d!.message, /1d AGO or 2d AGO/);
    const [w] = withCode(q('COMPARE WITH 10d AGO', 'TOTAL_TRAFFIC_COUNT', 'WEEK_MONDAY_START'), 'compare-offset-misaligned');
    assert.deepEqual(w!.data!.suggestions, ['1w', '2w']);
  });
  it('positive: PREVIOUS PERIOD over a period that is not whole buckets', () => {
    const text = `SELECT TOTAL_TRAFFIC_COUNT BY DAY WHERE channelCode = SMS AND sentSince = '2026-10-01' AND sentUntil = '2026-10-02T12:00:00Z' COMPARE WITH PREVIOUS PERIOD`;
    const [d] = withCode(text, 'compare-offset-misaligned');
    assert.equal(d!.text, 'PREVIOUS PERIOD');
    assert.deepEqual(d!.data!.suggestions, ['1d', '2d']);
  });
  it('positive: MONTH, QUARTER and YEAR have no fixed length', () => {
    for (const dim of ['MONTH', 'QUARTER', 'YEAR']) {
      const [d] = withCode(q('COMPARE WITH PREVIOUS PERIOD', 'TOTAL_TRAFFIC_COUNT', dim), 'compare-offset-misaligned');
      assert.match(d!.message, new RegExp(`${dim} buckets have no fixed length`), dim);
    }
  });
  it('negative: aligned offsets, the finest time dimension decides, and no time dimension means no check', () => {
    assert.deepEqual(withCode(q('COMPARE WITH 24h AGO', 'TOTAL_TRAFFIC_COUNT', 'DAY'), 'compare-offset-misaligned'), []);
    assert.deepEqual(withCode(q('COMPARE WITH 3h AGO', 'TOTAL_TRAFFIC_COUNT', 'HOUR'), 'compare-offset-misaligned'), []);
    assert.deepEqual(withCode(q('COMPARE WITH 2w AGO', 'TOTAL_TRAFFIC_COUNT', 'WEEK_SUNDAY_START'), 'compare-offset-misaligned'), []);
    assert.deepEqual(withCode(q('COMPARE WITH PREVIOUS PERIOD', 'TOTAL_TRAFFIC_COUNT', 'DAY'), 'compare-offset-misaligned'), []);
    assert.deepEqual(withCode(q('COMPARE WITH 5h AGO', 'TOTAL_TRAFFIC_COUNT', 'HOUR, MONTH'), 'compare-offset-misaligned'), []);
    assert.deepEqual(withCode(q('COMPARE WITH 5h AGO', 'TOTAL_TRAFFIC_COUNT', 'COUNTRY_NAME'), 'compare-offset-misaligned'), []);
  });
});

describe('analyser: unknown-having-column', () => {
  it('positive: a comparison column without COMPARE says to add COMPARE WITH', () => {
    const [d, ...rest] = withCode(q('HAVING TOTAL_TRAFFIC_COUNT_DELTA < 0'), 'unknown-having-column');
    assert.equal(rest.length, 0);
    assert.equal(d!.text, 'TOTAL_TRAFFIC_COUNT_DELTA');
    assert.equal(d!.data!.addCompare, true);
    assert.match(d!.message, /Add COMPARE WITH PREVIOUS PERIOD/);
  });
  it('positive: a metric not selected, a dimension not in BY, a misspelt column (with the closest)', () => {
    assert.match(withCode(q('HAVING DELIVERED_TRAFFIC_COUNT > 1'), 'unknown-having-column')[0]!.message, /not selected/);
    assert.match(withCode(q("HAVING COUNTRY_NAME = 'x'"), 'unknown-having-column')[0]!.message, /not in BY/);
    const [d] = withCode(q('COMPARE WITH PREVIOUS PERIOD HAVING TOTAL_TRAFIC_COUNT_DELTA < 0'), 'unknown-having-column');
    assert.equal(d!.data!.suggestions[0], 'TOTAL_TRAFFIC_COUNT_DELTA');
  });
  it('negative: every result column, in any case; an unknown metric already reported in SELECT is not reported again', () => {
    assert.deepEqual(withCode(q('COMPARE WITH 7d AGO HAVING total_traffic_count_previous > 1 AND CHANNEL_CODE = SMS'), 'unknown-having-column'), []);
    assert.deepEqual(withCode(q('HAVING NOT_A_METRIC > 1', 'NOT_A_METRIC'), 'unknown-having-column'), []);
  });
});

describe('analyser: having-type-mismatch', () => {
  it('positive: a number with a dimension column, text with a metric column, < / BETWEEN on a dimension', () => {
    const d = withCode(q('HAVING COUNTRY_NAME = 5 AND TOTAL_TRAFFIC_COUNT = \'many\' AND COUNTRY_NAME BETWEEN a AND b', 'TOTAL_TRAFFIC_COUNT', 'COUNTRY_NAME'), 'having-type-mismatch');
    assert.deepEqual(d.map((x) => [x.text, x.data!.expected]), [
      ['5', 'text'],
      ["'many'", 'number'],
      ['BETWEEN', 'operator'],
    ]);
    assert.match(d[0]!.message, /in quotes: '5'/);
  });
  it('negative: numbers with metric and comparison columns (any operator), text with dimensions (=, !=, <>, IN)', () => {
    const text = q(
      "COMPARE WITH PREVIOUS PERIOD HAVING TOTAL_TRAFFIC_COUNT_DELTA >= -3.5 AND COUNTRY_NAME <> 'x' AND COUNTRY_NAME IN (a, 'b') AND TOTAL_TRAFFIC_COUNT BETWEEN 1 AND 2",
      'TOTAL_TRAFFIC_COUNT',
      'COUNTRY_NAME',
    );
    assert.deepEqual(withCode(text, 'having-type-mismatch'), []);
  });
});

describe('analyser: contradictory-having', () => {
  it('positive: bounds that exclude each other, an empty BETWEEN, = values that differ, a value both required and excluded', () => {
    for (const having of [
      'TOTAL_TRAFFIC_COUNT > 5 AND TOTAL_TRAFFIC_COUNT < 3',
      'TOTAL_TRAFFIC_COUNT BETWEEN 5 AND 3',
      'TOTAL_TRAFFIC_COUNT > 5 AND TOTAL_TRAFFIC_COUNT <= 5',
      'TOTAL_TRAFFIC_COUNT = 1 AND TOTAL_TRAFFIC_COUNT = 2',
      "CHANNEL_CODE = SMS AND CHANNEL_CODE != SMS",
      'TOTAL_TRAFFIC_COUNT IN (1, 2) AND TOTAL_TRAFFIC_COUNT > 2',
    ]) {
      const d = withCode(q(`HAVING ${having}`), 'contradictory-having');
      assert.equal(d.length, 1, having);
      assert.equal(d[0]!.severity, 'warning');
    }
  });
  it('the diagnostic sits on the condition that empties it, with the earlier ones as related information', () => {
    const [d] = withCode(q('HAVING TOTAL_TRAFFIC_COUNT > 5 AND TOTAL_TRAFFIC_COUNT < 3'), 'contradictory-having');
    assert.equal(d!.text, 'TOTAL_TRAFFIC_COUNT < 3');
    assert.equal(d!.related?.length, 1);
  });
  it('negative: conditions some value satisfies, conditions on different columns, text compared case-sensitively', () => {
    for (const having of [
      'TOTAL_TRAFFIC_COUNT >= 5 AND TOTAL_TRAFFIC_COUNT <= 5',
      'TOTAL_TRAFFIC_COUNT > 5 AND TOTAL_TRAFFIC_COUNT != 6',
      'TOTAL_TRAFFIC_COUNT > 5 AND CHANNEL_CODE = SMS',
      "CHANNEL_CODE = SMS AND CHANNEL_CODE != 'sms'",
    ]) {
      assert.deepEqual(withCode(q(`HAVING ${having}`), 'contradictory-having'), [], having);
    }
  });
});

describe('analyser: unknown-order-column with comparison columns', () => {
  it('positive: a comparison column without COMPARE, with data.addCompare', () => {
    const [d] = withCode(q('ORDER BY TOTAL_TRAFFIC_COUNT_DELTA_PCT DESC'), 'unknown-order-column');
    assert.equal(d!.data!.addCompare, true);
    assert.match(d!.message, /COMPARE WITH/);
  });
  it('negative: accepted with COMPARE', () => {
    assert.deepEqual(withCode(q('COMPARE WITH 7d AGO ORDER BY TOTAL_TRAFFIC_COUNT_DELTA_PCT DESC'), 'unknown-order-column'), []);
  });
});

describe('analyser: OR, NOT, != in HAVING and WHERE', () => {
  it('OR and NOT in HAVING are unsupported-operator; != and <> are fine in HAVING but not in WHERE', () => {
    const d = withCode(q('HAVING TOTAL_TRAFFIC_COUNT > 1 OR NOT TOTAL_TRAFFIC_COUNT != 2'), 'unsupported-operator');
    assert.deepEqual(d.map((x) => x.text).sort(), ['NOT', 'OR']);
    assert.match(d.find((x) => x.text === 'OR')!.message, /IN \(a, b\)/);
    assert.equal(withCode(q('AND direction != INBOUND'), 'unsupported-operator')[0]!.text, '!=');
  });
});
