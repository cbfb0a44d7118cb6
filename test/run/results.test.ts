// ORDER BY / LIMIT and the three output formats.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyOrderAndLimit, formatCsv, formatJson, formatTable } from '../../server/src/run/results.js';
import { RawInteger, type AggregateDataResponse } from '../../server/src/core/compile/wire.js';

const resp = (): AggregateDataResponse => ({
  requestedPeriod: { sentSince: '2026-01-01T00:00:00.000+0000', sentUntil: '2026-01-02T00:00:00.000+0000' },
  totalRows: 5,
  columns: [
    { columnName: 'CHANNEL_CODE', columnDataType: 'STRING' },
    { columnName: 'COMMUNICATION', columnDataType: 'INTEGER' },
    { columnName: 'TRAFFIC_DELIVERY_RATE', columnDataType: 'NUMBER' },
  ],
  rows: [
    ['SMS', new RawInteger('9223372036854775807'), 0.5],
    ['EMAIL', 'N/A', 0.9],
    ['SMS', 200000022475266, 'N/A'],
    ['VIBER', new RawInteger('9223372036854775806'), 0.5],
    ['=cmd|calc', -3, 0.1],
  ],
});

test('numeric order with int64 exact, N/A last in both directions, stable ties', () => {
  const asc = applyOrderAndLimit(resp(), [{ column: 'communication', direction: 'ASC' }]);
  assert.deepEqual(asc.rows.map((r) => r[0]), ['=cmd|calc', 'SMS', 'VIBER', 'SMS', 'EMAIL']);
  const desc = applyOrderAndLimit(resp(), [{ column: 'COMMUNICATION', direction: 'DESC' }]);
  assert.deepEqual(desc.rows.map((r) => r[0]), ['SMS', 'VIBER', 'SMS', '=cmd|calc', 'EMAIL']);
  const rate = applyOrderAndLimit(resp(), [{ column: 'TRAFFIC_DELIVERY_RATE', direction: 'DESC' }]);
  assert.deepEqual(rate.rows.map((r) => r[0]), ['EMAIL', 'SMS', 'VIBER', '=cmd|calc', 'SMS']); // SMS before VIBER: stable
});

test('several keys and LIMIT; totalRows follows the rows kept', () => {
  const r = applyOrderAndLimit(resp(), [{ column: 'TRAFFIC_DELIVERY_RATE', direction: 'ASC' }, { column: 'CHANNEL_CODE', direction: 'DESC' }], 3);
  assert.deepEqual(r.rows.map((x) => x[0]), ['=cmd|calc', 'VIBER', 'SMS']);
  assert.equal(r.totalRows, 3);
  assert.equal(resp().rows.length, 5, 'input untouched');
});

test('CSV: RFC 4180 quoting, CRLF, formula injection neutralised, negative numbers kept', () => {
  const r = resp();
  r.rows.push(['a,"b"', 1, 'x\ny']);
  const csv = formatCsv(r);
  const lines = csv.split('\r\n');
  assert.equal(lines[0], 'CHANNEL_CODE,COMMUNICATION,TRAFFIC_DELIVERY_RATE');
  assert.equal(lines[1], 'SMS,9223372036854775807,0.5');
  assert.equal(lines[5], "'=cmd|calc,-3,0.1");
  assert.ok(csv.includes('"a,""b""",1,"x\ny"'));
});

test('table: aligned columns, numbers right-aligned, large integers exact', () => {
  const t = formatTable(resp());
  const lines = t.trimEnd().split('\n');
  assert.equal(lines.length, 7);
  assert.match(lines[0]!, /^CHANNEL_CODE {2}COMMUNICATION {8}TRAFFIC_DELIVERY_RATE$/);
  assert.ok(lines[2]!.includes('9223372036854775807'));
  assert.equal(lines[2]!.indexOf('0.5') + 3, lines[0]!.length);
  assert.equal(new Set(lines.slice(2).map((l) => l.indexOf('  ') >= 0)).size, 1);
});

test('JSON envelope keeps int64 digits and the documented shape', () => {
  const j = formatJson({ requestId: 'R', status: 'SUCCESS', source: 'sample', response: resp() });
  assert.ok(j.includes('9223372036854775807'));
  assert.ok(!j.includes('RAWINT'));
  const parsed = JSON.parse(j);
  assert.deepEqual(Object.keys(parsed), ['requestId', 'status', 'source', 'response']);
  assert.deepEqual(Object.keys(parsed.response), ['requestedPeriod', 'totalRows', 'columns', 'rows']);
  assert.equal(parsed.response.rows[1][1], 'N/A');
});
