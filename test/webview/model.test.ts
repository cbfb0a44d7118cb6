// Pure logic of the results webview (no browser): lossless parsing, formats, sorting, export text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseResultPayload, parseLosslessJson, formatCell, sortIndices, toCsv, toMarkdown, toJsonExport, neutraliseFormula,
  displayText, titleText, parseDateTime, formatPercent, rowToTsv, stringifyCellsJson, type Column, type CellValue,
} from '../../client/webview/model.js';
import { orderByText } from '../../client/common/protocol.js';
import { DisplayFormat, analyseColumns, constantColumns, exactSum } from '../../client/webview/columns.js';
import { payloadOf } from '../webview-harness/fixtures.js';

const cols: Column[] = [
  { columnName: 'DAY', columnDataType: 'DATE_TIME' },
  { columnName: 'SENDER', columnDataType: 'STRING' },
  { columnName: 'TOTAL_COUNT', columnDataType: 'INTEGER' },
  { columnName: 'DELIVERY_RATE', columnDataType: 'NUMBER' },
];

test('payload parsing keeps integers beyond 2^53 exact', () => {
  const text = '{"title":"t","source":"sample","response":{"totalRows":1,"requestedPeriod":{"sentSince":"a","sentUntil":"b"},"columns":[{"columnName":"ID","columnDataType":"INTEGER"}],"rows":[[9007199254740993],[-12345678901234567890],[42],["N/A"]]}}';
  const v = parseResultPayload(text);
  assert.equal(v.source, 'sample');
  assert.equal(v.response.rows[0][0], 9007199254740993n);
  assert.equal(v.response.rows[1][0], -12345678901234567890n);
  assert.equal(v.response.rows[2][0], 42);
  assert.equal(formatCell(v.response.rows[0][0], v.response.columns[0], false).text, '9007199254740993');
  assert.deepEqual(parseLosslessJson('[1.5, 123456789012345678901234567890]'), [1.5, 123456789012345678901234567890n]);
});

test('the fast lossless path leaves strings, floats, exponents and safe integers alone', () => {
  const text = '{"a":["12345678901234567890","x\\"12345678901234567890",1.12345678901234567,12345678901234567.5,1e+12345678901234567,1000000000000000,-9223372036854775808,{"b":[9007199254740993]}]}';
  assert.deepEqual(parseLosslessJson(text), {
    // The floats carry more digits than a double holds on purpose: they must come out as JSON.parse reads them.
    // eslint-disable-next-line no-loss-of-precision
    a: ['12345678901234567890', 'x"12345678901234567890', 1.12345678901234567, 12345678901234567.5, Infinity, 1000000000000000, -9223372036854775808n, { b: [9007199254740993n] }],
  });
  // Text that already holds an escaped NUL cannot fake a big integer: the exact path decides.
  assert.deepEqual(parseLosslessJson('["\\u000012345678901234567890", 12345678901234567890]'), ['\u000012345678901234567890', 12345678901234567890n]);
});

test('digits inside a string that look like a number token never change the string or lose a big integer', () => {
  // The fast path marks digit runs by their surroundings; a run inside a string literal with number-like
  // surroundings makes the marked text invalid, and the exact path reads it instead.
  const text = '{"a":["x,12345678901234567890]", "y: 98765432109876543210 }", 12345678901234567890, [ -98765432109876543210 ], {"k": 9007199254740993}]}';
  assert.deepEqual(parseLosslessJson(text), { a: ['x,12345678901234567890]', 'y: 98765432109876543210 }', 12345678901234567890n, [-98765432109876543210n], { k: 9007199254740993n }] });
  // Exponents, fractions and a run after a sign or a dot are numbers the native parser reads as doubles.
  assert.deepEqual(parseLosslessJson('[1e12345678901234567, 0.12345678901234567890, 12345678901234567890.5]'), [Infinity, 0.12345678901234568, 12345678901234567000]);
  assert.deepEqual(parseLosslessJson('12345678901234567890'), 12345678901234567890n);
});

test('a DATE_TIME column of UTC midnights shows dates alone; one other time keeps the time on every row', () => {
  const view = (days: CellValue[]): ReturnType<typeof parseResultPayload> =>
    parseResultPayload(payloadOf({ columns: [cols[0]!], rows: days.map((d) => [d]) }));
  const fmt = new DisplayFormat('en-US');
  const days = view(['2024-04-01T00:00:00.000+0000', '2024-04-02T00:00:00Z', 'N/A']);
  const info = analyseColumns(days)[0]!;
  assert.equal(info.dateOnly, true);
  assert.deepEqual(days.response.rows.map((r) => fmt.cell(r[0]!, info).text), ['2024-04-01', '2024-04-02', 'N/A']);
  assert.match(fmt.cell(days.response.rows[0]![0]!, info).title, /2024-04-01T00:00:00.000\+0000/);
  const mixed = view(['2024-04-01T00:00:00.000+0000', '2024-04-01T13:00:00.000+0000']);
  const mixedInfo = analyseColumns(mixed)[0]!;
  assert.equal(mixedInfo.dateOnly, undefined);
  assert.equal(fmt.cell(mixed.response.rows[0]![0]!, mixedInfo).text, '2024-04-01 00:00 UTC');
  // Midnight elsewhere is not midnight in UTC.
  assert.equal(analyseColumns(view(['2024-04-01T00:00:00.000+0200']))[0]!.dateOnly, undefined);
});

test('display formats: grouping keeps every int64 digit, rates have two decimals, deltas are signed', () => {
  const fmt = new DisplayFormat('en-US');
  const de = new DisplayFormat('de-DE');
  const v = parseResultPayload(payloadOf({
    columns: [cols[2]!, { columnName: 'TOTAL_COUNT_DELTA', columnDataType: 'INTEGER' }, { columnName: 'TOTAL_COUNT_DELTA_PCT', columnDataType: 'NUMBER' }, cols[3]!, { columnName: 'DELIVERY_RATE_DELTA', columnDataType: 'NUMBER' }],
    rows: [[-9223372036854775808n, -12, 12.5, 0.97345, -0.0125]],
    comparison: { label: 'PREVIOUS PERIOD', previousRequestId: 'p', previousPeriod: { sentSince: '', sentUntil: '' }, offsetMs: 0 },
  }));
  const infos = analyseColumns(v);
  const row = v.response.rows[0]!;
  assert.deepEqual(row.map((c, i) => fmt.cell(c, infos[i]!).text), ['-9,223,372,036,854,775,808', '\u221212', '+12.50%', '97.35%', '\u22121.25 pp']);
  assert.equal(de.cell(row[0]!, infos[0]!).text, '-9.223.372.036.854.775.808');
  assert.equal(fmt.plain(1234567.125), '1,234,567.125');
  assert.equal(de.plain(-0.5), '-0,5');
  assert.deepEqual(infos.map((i) => i.additive), [true, true, false, false, false]);
});

test('totals are exact beyond 2^53 and skip N/A; constant dimension columns are found', () => {
  const rows: CellValue[][] = [['SMS', 9007199254740993n], ['SMS', 9007199254740991], ['SMS', 'N/A'], ['SMS', 4e15], ['SMS', 4e15]];
  assert.deepEqual(exactSum(rows, [0, 1, 2, 3, 4], 1), { sum: 9007199254740993n + 9007199254740991n + 8000000000000000n, counted: 4 });
  const v = parseResultPayload(payloadOf({ columns: [cols[1]!, cols[2]!], rows }));
  assert.deepEqual(constantColumns(v.response.rows, analyseColumns(v)), [0], 'the metric is not folded, the dimension is');
  assert.deepEqual(constantColumns(v.response.rows.slice(0, 1), analyseColumns(v)), [], 'one row folds nothing');
});

test('ORDER BY is accepted as a list of { column, direction } or as text, and shown as text', () => {
  const base = '"response":{"columns":[],"rows":[]}';
  const listed = parseResultPayload(`{"orderBy":[{"column":"TOTAL_COUNT","direction":"DESC"},{"column":"DAY","direction":"ASC"}],${base}}`).orderBy;
  assert.deepEqual(listed, [{ column: 'TOTAL_COUNT', direction: 'DESC' }, { column: 'DAY', direction: 'ASC' }]);
  assert.equal(orderByText(listed), 'TOTAL_COUNT DESC, DAY ASC');
  assert.deepEqual(parseResultPayload(`{"orderBy":"DAY DESC, SENDER",${base}}`).orderBy, [{ column: 'DAY', direction: 'DESC' }, { column: 'SENDER', direction: 'ASC' }]);
  assert.equal(orderByText(parseResultPayload(`{"orderBy":"DAY ASC",${base}}`).orderBy), 'DAY ASC');
  assert.equal(parseResultPayload(`{"orderBy":[],${base}}`).orderBy, undefined);
  assert.equal(parseResultPayload(`{"orderBy":[{"direction":"DESC"},7],${base}}`).orderBy, undefined);
  assert.equal(orderByText(undefined), '');
});

test('malformed payloads are rejected with a message, odd cells are tolerated', () => {
  assert.throws(() => parseResultPayload('{"response":{}}'), /columns/);
  assert.throws(() => parseResultPayload('[1'), /JSON|Unexpected|Expected/i);
  const v = parseResultPayload('{"response":{"columns":[{"columnName":"A","columnDataType":"WEIRD"}],"rows":[[{"x":1}], "not a row", []]}}');
  assert.equal(v.response.columns[0].columnDataType, 'STRING');
  assert.deepEqual(v.response.rows, [['{"x":1}'], [null]]);
});

test('formats: DATE_TIME in UTC with local time on hover, rates as percentages, N/A', () => {
  assert.equal(parseDateTime('2024-04-04T13:00:00.000+0000'), Date.UTC(2024, 3, 4, 13));
  assert.equal(parseDateTime('2024-04-04T15:30:00.000+0230'), Date.UTC(2024, 3, 4, 13));
  const d = formatCell('2024-04-04T13:00:00.000+0000', cols[0], false);
  assert.equal(d.text, '2024-04-04 13:00 UTC');
  assert.match(d.title, /local/);
  assert.equal(formatCell(0.973, cols[3], true).text, '97.3%');
  assert.equal(formatCell(1, cols[3], true).text, '100%');
  assert.equal(formatCell(0.12345, cols[3], true).text, '12.35%');
  assert.equal(formatPercent(0), '0%');
  assert.equal(formatCell('N/A', cols[2], false).kind, 'na');
  assert.equal(formatCell(null, cols[1], false).kind, 'na');
  assert.equal(formatCell('https://example.com/x', cols[1], false).kind, 'link');
  assert.equal(formatCell('javascript:alert(1)', cols[1], false).kind, 'str');
  assert.equal(formatCell('data:text/html,<script>', cols[1], false).kind, 'str');
  // Milliseconds when there are some; a date alone is midnight UTC; small numbers without exponents.
  assert.equal(formatCell('2024-04-04T13:00:00.500+0000', cols[0], false).text, '2024-04-04 13:00:00.500 UTC');
  assert.equal(parseDateTime('2024-04-01'), Date.UTC(2024, 3, 1));
  assert.equal(formatCell('2024-04-01', cols[0], false).text, '2024-04-01 00:00 UTC');
  assert.equal(formatCell(1e-7, cols[3], false).text, '0.0000001');
  assert.equal(formatCell(-2.5e-8, cols[3], false).text, '-0.000000025');
  assert.equal(formatCell(1e-25, cols[3], false).text, '1e-25');
  assert.equal(formatCell(1.234567890123e-7, cols[3], false).text, '0.0000001234567890123');
  assert.equal(formatCell(1.23456e-17, cols[3], false).text, '0.0000000000000000123456');
  assert.equal(formatCell(0.25, cols[3], false).text, '0.25');
});

test('sorting: numbers, bigints, dates; N/A last in both directions; stable', () => {
  const rows: CellValue[][] = [
    ['2024-04-03T00:00:00.000+0000', 'b', 'N/A', 0.5],
    ['2024-04-01T00:00:00.000+0000', 'a', 9007199254740993n, 'N/A'],
    ['N/A', 'c', 10, 0.1],
    ['2024-04-02T00:00:00.000+0000', 'a10', 9007199254740992, 0.9],
    ['2024-04-05T00:00:00.000+0000', 'a2', -3, 0.5],
  ];
  const all = rows.map((_r, i) => i);
  assert.deepEqual(sortIndices(rows, all, cols, { col: 2, dir: 'asc' }), [4, 2, 3, 1, 0]);
  assert.deepEqual(sortIndices(rows, all, cols, { col: 2, dir: 'desc' }), [1, 3, 2, 4, 0]);
  assert.deepEqual(sortIndices(rows, all, cols, { col: 0, dir: 'asc' }), [1, 3, 0, 4, 2]);
  assert.deepEqual(sortIndices(rows, all, cols, { col: 0, dir: 'desc' }), [4, 0, 3, 1, 2]);
  assert.deepEqual(sortIndices(rows, all, cols, { col: 3, dir: 'desc' }), [3, 0, 4, 2, 1]);
  assert.deepEqual(sortIndices(rows, all, cols, { col: 1, dir: 'asc' }), [1, 4, 3, 0, 2]);
});

test('CSV export neutralises formulas but keeps negative numbers, quotes, and big integers', () => {
  assert.equal(neutraliseFormula('=HYPERLINK("x")'), `'=HYPERLINK("x")`);
  assert.equal(neutraliseFormula('+1+1'), `'+1+1`);
  assert.equal(neutraliseFormula('-2+3'), `'-2+3`);
  assert.equal(neutraliseFormula('@SUM(A1)'), `'@SUM(A1)`);
  assert.equal(neutraliseFormula('\t=1'), `'\t=1`);
  assert.equal(neutraliseFormula('-42'), '-42');
  assert.equal(neutraliseFormula('-4.2e3'), '-4.2e3');
  assert.equal(neutraliseFormula('a=b'), 'a=b');
  const rows: CellValue[][] = [['2024-04-01T00:00:00.000+0000', '=cmd|"/C calc"!A0', 9007199254740993n, -0.5], ['2024-04-02T00:00:00.000+0000', 'a,b', -7, 0.25]];
  const csv = toCsv(cols, rows, [0, 1]);
  assert.equal(csv, 'DAY,SENDER,TOTAL_COUNT,DELIVERY_RATE\r\n2024-04-01T00:00:00.000+0000,"\'=cmd|""/C calc""!A0",9007199254740993,-0.5\r\n2024-04-02T00:00:00.000+0000,"a,b",-7,0.25\r\n');
});

test('CSV writes a missing value (null) and the API\'s "N/A" the same way, as the table shows both', () => {
  const rows: CellValue[][] = [['N/A', 'x', null, 'N/A'], [null, 'y', 'N/A', null]];
  const csv = toCsv(cols, rows, [0, 1]);
  assert.equal(csv, 'DAY,SENDER,TOTAL_COUNT,DELIVERY_RATE\r\nN/A,x,N/A,N/A\r\nN/A,y,N/A,N/A\r\n');
  const shown = rows.flat().filter((v) => v !== 'x' && v !== 'y').map((v, i) => formatCell(v, cols[i % 4 === 1 ? 0 : i % 4]!, false).text);
  assert.deepEqual([...new Set(shown)], ['N/A']);
});

test('JSON export writes big integers as bare exact numbers', () => {
  const v = parseResultPayload(payloadOf({ columns: cols, rows: [['2024-04-01T00:00:00.000+0000', 'x', 9007199254740993n, 0.25]] }));
  const json = toJsonExport(v, [0]);
  assert.match(json, /9007199254740993[,\s\]]/);
  assert.doesNotMatch(json, /"9007199254740993"/);
  const back = parseLosslessJson(json) as { rows: CellValue[][]; requestId: string };
  assert.equal(back.rows[0][2], 9007199254740993n);
  assert.equal(back.requestId, 'req-123');
  assert.equal(stringifyCellsJson({ a: [1n, 'x'] }), '{"a":[1,"x"]}');
});

test('Markdown copy escapes pipes and markup, shows formatted values', () => {
  const v = parseResultPayload(payloadOf({ columns: cols, rows: [['2024-04-01T00:00:00.000+0000', 'a|b <i>x</i>\nnext', 12, 0.973], ['N/A', '', 'N/A', 'N/A']] }));
  const md = toMarkdown(v, [0, 1]);
  const lines = md.trimEnd().split('\n');
  assert.equal(lines[0], '| DAY | SENDER | TOTAL\\_COUNT | DELIVERY\\_RATE |');
  assert.equal(lines[1], '| --- | --- | ---: | ---: |');
  assert.equal(lines[2], '| 2024-04-01 00:00 UTC | a\\|b \\<i\\>x\\</i\\>⏎next | 12 | 97.3% |');
  assert.equal(lines[3], '| N/A |  | N/A | N/A |');
  assert.equal(rowToTsv(['a\tb', 1n, null]), 'a b\t1\t');
});

test('display text makes bidi controls visible and caps length', () => {
  assert.equal(displayText('abc\u202Eevil'), 'abc⟨U+202E⟩evil');
  assert.equal(displayText('a\u0000b\nc'), 'a\uFFFDb⏎c');
  const big = 'x'.repeat(1_000_000);
  assert.equal(displayText(big).length, 500);
  assert.ok(titleText(big).length < 2100);
});

test('Markdown copy keeps a text cell whole even when bidi controls are made visible', () => {
  const v = parseResultPayload(payloadOf({ columns: [{ columnName: 'T', columnDataType: 'STRING' }], rows: [['abc\u202Edef']] }));
  const md = toMarkdown(v, [0]);
  assert.ok(md.includes('abc⟨U+202E⟩def'), md);
});
