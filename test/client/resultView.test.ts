import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from '../helpers/syntax.js';
import { RawInteger, type AggregateDataResponse } from '../../server/src/core/compile/wire.js';
import { buildResultView, columnHints, resultViewJson } from '../../client/src/resultView.js';
import { compilePlan, isRateMetric } from '../../client/src/engine.js';

const response: AggregateDataResponse = {
  requestedPeriod: { sentSince: '2025-01-01T00:00:00.000+0000', sentUntil: '2025-01-08T00:00:00.000+0000' },
  totalRows: 3,
  columns: [
    { columnName: 'CHANNEL_CODE', columnDataType: 'STRING' },
    { columnName: 'TOTAL_TRAFFIC_COUNT', columnDataType: 'INTEGER' },
  ],
  rows: [
    ['SMS', 5],
    ['EMAIL', new RawInteger('9223372036854775807')],
    ['VIBER', 'N/A'],
  ],
};

const WHERE = "WHERE channelCode = SMS AND sentSince = '2025-01-01' AND sentUntil = '2025-01-08'";

test('ORDER BY and LIMIT come from the compiled plan, and the view applies and reports them', () => {
  const q = parseDocument(`SELECT TOTAL_TRAFFIC_COUNT ${WHERE} ORDER BY total_traffic_count DESC, CHANNEL_CODE LIMIT 2;`).queries[0]!;
  const r = compilePlan(q, { now: new Date('2025-02-01T00:00:00Z') });
  assert.ok(r.ok);
  assert.deepEqual(r.plan.orderBy, [
    { column: 'TOTAL_TRAFFIC_COUNT', direction: 'DESC' },
    { column: 'CHANNEL_CODE', direction: 'ASC' },
  ]);
  assert.equal(r.plan.limit, 2);
  const view = buildResultView({ title: 'T', queryText: 'q', source: 'live', connection: 'prod', requestId: 'r', response, plan: r.plan, isRate: isRateMetric });
  assert.deepEqual(view.orderBy, r.plan.orderBy);
  assert.equal(view.limit, 2);
  assert.deepEqual(view.response.rows.map((row) => row[0]), ['EMAIL', 'SMS']);
  const plain = compilePlan(parseDocument(`SELECT TOTAL_TRAFFIC_COUNT ${WHERE};`).queries[0]!, { now: new Date('2025-02-01T00:00:00Z') });
  assert.ok(plain.ok);
  assert.deepEqual([plain.plan.orderBy, plain.plan.limit, plain.plan.comparison], [[], undefined, undefined]);
});

test('the view applies ORDER BY/LIMIT, labels sample data and keeps int64 exact', () => {
  const view = buildResultView({
    title: 'T',
    queryText: 'SELECT …',
    source: 'sample',
    connection: 'Sample data',
    requestId: 'r1',
    requestedPeriod: { sentSince: 'a', sentUntil: 'b' },
    elapsedMs: 12,
    orderBy: [{ column: 'TOTAL_TRAFFIC_COUNT', direction: 'DESC' }],
    limit: 2,
    request: { aggregateBy: ['DAY'], metrics: ['TOTAL_TRAFFIC_COUNT', 'TRAFFIC_DELIVERY_RATE'] },
    isRate: isRateMetric,
    response,
  });
  assert.equal(view.connection, 'embedded');
  assert.equal(view.response.rows.length, 2);
  assert.equal((view.response.rows[0]![1] as RawInteger).digits, '9223372036854775807');
  assert.equal(view.response.rows[1]![1], 5);
  assert.deepEqual(view.returnedPeriod, response.requestedPeriod);
  assert.deepEqual(view.requestedPeriod, { sentSince: 'a', sentUntil: 'b' });
  assert.deepEqual(view.dimensions, ['CHANNEL_CODE', 'DAY']);
  assert.deepEqual(view.rateColumns, ['TRAFFIC_DELIVERY_RATE']);
  assert.ok(resultViewJson(view).includes('[ "EMAIL",9223372036854775807]'.replace(' ', '')));
});

test('a live result keeps its connection name; no ORDER BY leaves rows as received', () => {
  const view = buildResultView({ title: 'T', queryText: 'q', source: 'live', connection: 'prod', requestId: 'r', response });
  assert.equal(view.connection, 'prod');
  assert.equal(view.response.rows.length, 3);
  assert.equal(view.orderBy, undefined);
  assert.deepEqual(columnHints(undefined), {});
});

test('a COMPARE WITH view joins the two periods through the plan and carries the previous period for the page', () => {
  const text = `SELECT TOTAL_TRAFFIC_COUNT, TRAFFIC_DELIVERY_RATE ${WHERE} COMPARE WITH 7d AGO HAVING TOTAL_TRAFFIC_COUNT_DELTA > 0;`;
  const r = compilePlan(parseDocument(text).queries[0]!, { now: new Date('2025-02-01T00:00:00Z') });
  assert.ok(r.ok && r.plan.comparison);
  const period = (a: string, b: string) => ({ sentSince: a, sentUntil: b });
  const cols = [{ columnName: 'CHANNEL_CODE', columnDataType: 'STRING' as const }, { columnName: 'TOTAL_TRAFFIC_COUNT', columnDataType: 'INTEGER' as const }, { columnName: 'TRAFFIC_DELIVERY_RATE', columnDataType: 'NUMBER' as const }];
  const current = { requestedPeriod: period('2025-01-01T00:00:00.000+0000', '2025-01-08T00:00:00.000+0000'), totalRows: 2, columns: cols, rows: [['SMS', 10, 0.9], ['EMAIL', 3, 0.5]] };
  const previous = { requestedPeriod: period('2024-12-25T00:00:00.000+0000', '2025-01-01T00:00:00.000+0000'), totalRows: 2, columns: cols, rows: [['SMS', 4, 0.8], ['EMAIL', 5, 0.6]] };
  const view = buildResultView({ title: 'T', queryText: text, source: 'sample', connection: 'Sample data', requestId: 'cur', previousRequestId: 'prev', response: current, previousResponse: previous, plan: r.plan, isRate: isRateMetric });
  assert.deepEqual(view.comparison, { label: r.plan.comparison.label, previousRequestId: 'prev', previousPeriod: previous.requestedPeriod, offsetMs: 7 * 86_400_000 });
  assert.deepEqual(view.response.rows, [['SMS', 10, 4, 6, 150, 0.9, 0.8, 0.1, 12.5]], 'HAVING kept the row that grew');
  assert.deepEqual(view.rateColumns, ['TRAFFIC_DELIVERY_RATE', 'TRAFFIC_DELIVERY_RATE_PREVIOUS', 'TRAFFIC_DELIVERY_RATE_DELTA']);
  assert.ok(view.response.columns.some((c) => c.columnName === 'TOTAL_TRAFFIC_COUNT_DELTA_PCT' && c.columnDataType === 'NUMBER'));
});
