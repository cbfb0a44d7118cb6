// CSV formula injection, property-based, for both CSV writers: the CLI's formatCsv
// (server/src/run/results.ts) and the results view's toCsv (client/webview/model.ts). Result cells are
// third-party strings; a spreadsheet must never see a field that starts a formula, and parsing the CSV back
// must give every cell (with the neutralising quote) in its own row and column.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatCsv } from '../../server/src/run/results.js';
import { toCsv } from '../../client/webview/model.js';
import type { AggregateDataResponse, Cell } from '../../server/src/core/compile/wire.js';

const SEED = 0x6373;
// Spreadsheets skip leading spaces and line breaks before reading a formula, so those count too.
const TRIGGER = /^(?:\s*[=+\-@]|[\t\r])/;

/** A strict RFC 4180 reader (CRLF records; quoted fields may hold anything). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= n) throw new Error('unterminated quoted field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
    } else {
      while (i < n && text[i] !== ',' && !(text[i] === '\r' && text[i + 1] === '\n')) {
        if (text[i] === '"' || text[i] === '\n' || text[i] === '\r') throw new Error(`bare ${JSON.stringify(text[i])} in an unquoted field at ${i}`);
        field += text[i++];
      }
    }
    row.push(field);
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (text[i] === '\r' && text[i + 1] === '\n') {
      i += 2;
      rows.push(row);
      row = [];
      continue;
    }
    if (i < n) throw new Error(`unexpected ${JSON.stringify(text[i])} after a field at ${i}`);
  }
  if (row.length) rows.push(row);
  return rows;
}

/** Hostile text: formula starts, quotes, separators, line breaks, DDE payloads, bidi controls. */
const hostileText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '=1+1',
    '+1',
    '-1+2',
    '@SUM(A1:A2)',
    '\t=cmd',
    '\r=cmd',
    "=HYPERLINK(\"http://evil.example\",\"x\")",
    "-2+3+cmd|' /C calc'!A0",
    '=cmd|\' /C notepad\'!A1',
    '"=1"',
    'a,b',
    'line\r\nbreak',
    '\n=2',
    ' =3',
    '\u202e=4',
    '',
    'N/A',
    "'=already",
  ),
  fc.tuple(fc.constantFrom('=', '+', '-', '@', '\t', '\r', '', '"', ','), fc.string({ maxLength: 12 })).map(([a, b]) => a + b),
);

test('formatCsv (mq run --format csv): no field starts a formula, every cell reads back in place', () => {
  fc.assert(
    fc.property(fc.array(fc.array(hostileText, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 6 }), fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 6 }), (rows, nums) => {
      const response: AggregateDataResponse = {
        requestedPeriod: { sentSince: 'a', sentUntil: 'b' },
        totalRows: rows.length,
        columns: [
          { columnName: '=HEADER()', columnDataType: 'STRING' },
          { columnName: 'SENDER', columnDataType: 'STRING' },
          { columnName: 'URL', columnDataType: 'STRING' },
          { columnName: 'COUNT', columnDataType: 'INTEGER' },
        ],
        rows: rows.map((r, i) => [...r, nums[i % nums.length]!] as Cell[]),
      };
      const parsed = parseCsv(formatCsv(response));
      assert.equal(parsed.length, rows.length + 1, 'a cell broke a record');
      assert.deepEqual(parsed[0], ["'=HEADER()", 'SENDER', 'URL', 'COUNT']);
      for (let r = 0; r < rows.length; r++) {
        const got = parsed[r + 1]!;
        assert.equal(got.length, 4, 'a cell broke a field');
        for (let c = 0; c < 3; c++) {
          const orig = rows[r]![c]!;
          const field = got[c]!;
          assert.ok(!TRIGGER.test(field), `field ${JSON.stringify(field)} starts a formula`);
          assert.equal(field, TRIGGER.test(orig) ? `'${orig}` : orig);
        }
        // Numbers stay numbers, negative ones included.
        assert.equal(got[3], String(nums[r % nums.length]));
      }
    }),
    { seed: SEED, numRuns: 300 },
  );
});

test('toCsv (results view export and copy): no field starts a formula unless it is a plain number', () => {
  fc.assert(
    fc.property(fc.array(fc.array(hostileText, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 6 }), (rows) => {
      const cols = [
        { columnName: '@HEADER', columnDataType: 'STRING' as const },
        { columnName: 'URL', columnDataType: 'STRING' as const },
      ];
      const csv = toCsv(cols, rows, rows.map((_, i) => i));
      const parsed = parseCsv(csv);
      assert.equal(parsed.length, rows.length + 1, 'a cell broke a record');
      assert.deepEqual(parsed[0], ["'@HEADER", 'URL']);
      for (let r = 0; r < rows.length; r++) {
        for (let c = 0; c < 2; c++) {
          const orig = rows[r]![c]!;
          const field = parsed[r + 1]![c]!;
          const plainNumber = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(orig);
          assert.ok(plainNumber || !TRIGGER.test(field), `field ${JSON.stringify(field)} starts a formula`);
          assert.equal(field, TRIGGER.test(orig) && !plainNumber ? `'${orig}` : orig);
        }
      }
    }),
    { seed: SEED, numRuns: 300 },
  );
});

test('cells with spaces or line breaks before a formula character are neutralised in both writers', () => {
  const hostile = [' =1+1', '\n=2', '  +SUM(A1)', '\r\n@x', ' -3+4'];
  const response: AggregateDataResponse = {
    requestedPeriod: { sentSince: 'a', sentUntil: 'b' },
    totalRows: hostile.length,
    columns: [{ columnName: 'SENDER', columnDataType: 'STRING' }],
    rows: hostile.map((h) => [h]),
  };
  const cli = parseCsv(formatCsv(response)).slice(1).map((r) => r[0]);
  const view = parseCsv(toCsv([{ columnName: 'SENDER', columnDataType: 'STRING' }], hostile.map((h) => [h]), hostile.map((_, i) => i))).slice(1).map((r) => r[0]);
  assert.deepEqual(cli, hostile.map((h) => `'${h}`));
  assert.deepEqual(view, hostile.map((h) => `'${h}`));
});

test('the CSV reader used above rejects malformed CSV', () => {
  // The properties rely on this reader being strict.
  assert.throws(() => parseCsv('a,"b\r\n'), /unterminated/);
  assert.throws(() => parseCsv('a,b"c\r\n'), /bare/);
  assert.throws(() => parseCsv('a,b\nc\r\n'), /bare/);
  assert.deepEqual(parseCsv('a,"b,""c""\r\nd"\r\n'), [['a', 'b,"c"\r\nd']]);
});
