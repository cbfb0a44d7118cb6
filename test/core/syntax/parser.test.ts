import { test } from 'node:test';
import assert from 'node:assert/strict';
import { grammarSelfCheck } from '../../../server/src/core/syntax/parser.js';
import { parseDocument } from '../../helpers/syntax.js';
import type { Located } from '../../../server/src/core/syntax/ast.js';

const slice = (text: string, n: Located) => text.slice(n.start, n.end);

test('Chevrotain grammar and lexer self-checks pass', () => {
  assert.deepEqual(grammarSelfCheck(), []);
});

test('parses every clause of the spec example with ranges', () => {
  const text = `-- Daily SMS delivery
SELECT TOTAL_SENT_TRAFFIC_COUNT, DELIVERED_TRAFFIC_COUNT
BY DAY, COUNTRY_NAME
WHERE channelCode = SMS
  AND sentSince = now - 7d AND sentUntil = now
  AND direction IN (OUTBOUND, INBOUND)
  AND sent BETWEEN '2026-10-01' AND today + 1d
  AND timeToDeliver < 5s AND senderTypes = 10DLC
ORDER BY TRAFFIC_DELIVERY_RATE ASC, DAY
LIMIT 20;`;
  const doc = parseDocument(text);
  assert.equal(doc.queries.length, 1);
  const q = doc.queries[0]!;
  assert.deepEqual(q.syntaxErrors, []);
  assert.deepEqual(q.select.metrics.map((m) => m.upper), ['TOTAL_SENT_TRAFFIC_COUNT', 'DELIVERED_TRAFFIC_COUNT']);
  assert.deepEqual(q.by!.dimensions.map((d) => d.text), ['DAY', 'COUNTRY_NAME']);
  const conds = q.where!.conditions;
  assert.deepEqual(conds.map((c) => [c.filter.text, c.operator, c.values.map((v) => v.kind)]), [
    ['channelCode', '=', ['nameValue']],
    ['sentSince', '=', ['time']],
    ['sentUntil', '=', ['time']],
    ['direction', 'IN', ['nameValue', 'nameValue']],
    ['sent', 'BETWEEN', ['string', 'time']],
    ['timeToDeliver', '<', ['duration']],
    ['senderTypes', '=', ['nameValue']],
  ]);
  assert.equal(slice(text, conds[1]!.values[0]!), 'now - 7d');
  assert.deepEqual(conds[0]!.filter.range, { start: { line: 3, character: 6 }, end: { line: 3, character: 17 } });
  assert.deepEqual(q.orderBy!.items.map((i) => [i.column.text, i.direction, i.explicitDirection]), [
    ['TRAFFIC_DELIVERY_RATE', 'ASC', true],
    ['DAY', 'ASC', false],
  ]);
  assert.equal(q.limit!.value!.text, '20');
  assert.ok(q.semicolon);
  assert.equal(doc.comments.length, 1);
  assert.equal(slice(text, q), text.slice(text.indexOf('SELECT')));
});

test('keywords and names are case-insensitive; 10DLC is a name, 10d a duration, 5ms milliseconds', () => {
  const doc = parseDocument("select x by day where senderTypes in (10DLC, 'a''b') and timeToDeliver >= 10d and y < 5ms order by x desc limit 3");
  const q = doc.queries[0]!;
  assert.deepEqual(q.syntaxErrors, []);
  const [st, ttd, y] = q.where!.conditions;
  assert.equal(st!.values[0]!.kind, 'nameValue');
  const s = st!.values[1]!;
  assert.ok(s.kind === 'string' && s.value === "a'b");
  const d = ttd!.values[0]!;
  assert.ok(d.kind === 'duration' && d.unit === 'd' && d.ms === 864_000_000);
  const ms = y!.values[0]!;
  assert.ok(ms.kind === 'duration' && ms.unit === 'ms' && ms.ms === 5);
  assert.equal(q.orderBy!.items[0]!.direction, 'DESC');
});

test('queries end at ; or the next SELECT, and one broken query does not hide the next', () => {
  const text = 'SELECT a,, b WHERE x =\nSELECT c WHERE y = 1; SELECT d';
  const doc = parseDocument(text);
  assert.equal(doc.queries.length, 3);
  assert.ok(doc.queries[0]!.syntaxErrors.length >= 2);
  assert.deepEqual(doc.queries[1]!.syntaxErrors, []);
  assert.deepEqual(doc.queries[2]!.syntaxErrors, []);
  assert.deepEqual(doc.queries[0]!.select.metrics.map((m) => m.text), ['a', 'b']);
});

test('a broken clause does not hide the rest of its query, and half-written conditions are kept', () => {
  const q = parseDocument('SELECT m BY WHERE a = now - AND b BETWEEN 1 AND AND c < 5s LIMIT').queries[0]!;
  assert.deepEqual(q.where!.conditions.map((c) => c.filter.text), ['a', 'b', 'c']);
  const msgs = q.syntaxErrors.map((e) => e.message).join('\n');
  assert.match(msgs, /Expected a dimension .* after BY/);
  assert.match(msgs, /Expected a duration/);
  assert.match(msgs, /Expected a number after LIMIT/);
});

test('clause order and duplicate clauses are reported at the keyword', () => {
  const text = 'SELECT m WHERE a = 1 BY d WHERE b = 2';
  const q = parseDocument(text).queries[0]!;
  const [order, dup] = q.syntaxErrors;
  assert.match(order!.message, /BY must come before WHERE/);
  assert.equal(slice(text, order!), 'BY');
  assert.match(dup!.message, /only one WHERE/);
  assert.equal(q.where!.conditions.length, 1);
});

test('OR, NOT, != and <> are parsed so the analyser can explain them', () => {
  const q = parseDocument('SELECT m WHERE a = 1 OR b = 2 AND NOT c = 3 AND d != 4 AND e <> 5').queries[0]!;
  assert.deepEqual(q.syntaxErrors, []);
  assert.deepEqual(q.where!.unsupported.map((u) => u.keyword).sort(), ['NOT', 'OR']);
  assert.deepEqual(q.where!.conditions.map((c) => c.operator), ['=', '=', '=', '!=', '<>']);
  assert.ok(q.where!.conditions[2]!.not);
});

test('lexical errors: unterminated string and block comment, unknown characters', () => {
  const text = "SELECT m WHERE a = 'open\nSELECT n # x\n/* never closed";
  const doc = parseDocument(text);
  assert.match(doc.queries[0]!.syntaxErrors.map((e) => e.message).join(), /Unterminated string/);
  const hash = doc.queries[1]!.syntaxErrors.find((e) => /Unexpected character "#"/.test(e.message));
  assert.ok(hash);
  assert.deepEqual(hash.range.start, { line: 1, character: 9 });
  assert.match(doc.syntaxErrors.map((e) => e.message).join(), /Unterminated block comment/);
  assert.equal(doc.comments[0]!.terminated, false);
});

test('an emoji outside a string is one unexpected character, both UTF-16 units', () => {
  const doc = parseDocument('SELECT 😀 X');
  const errs = doc.queries[0]!.syntaxErrors.filter((e) => /Unexpected character/.test(e.message));
  assert.equal(errs.length, 1, JSON.stringify(errs.map((e) => e.message)));
  assert.match(errs[0]!.message, /Unexpected character "😀" \(U\+1F600\)/);
  assert.deepEqual([errs[0]!.start, errs[0]!.end], [7, 9]);
});

test('text before the first SELECT is reported once', () => {
  const doc = parseDocument('hello world; SELECT m');
  assert.equal(doc.syntaxErrors.length, 1);
  assert.match(doc.syntaxErrors[0]!.message, /every query starts with SELECT/);
  assert.equal(doc.queries.length, 1);
});

test('CR-only and CRLF line ends give the right positions; origin shifts a slice', () => {
  const doc = parseDocument('SELECT a\r\rWHERE\r\nb = 1');
  const b = doc.queries[0]!.where!.conditions[0]!.filter;
  assert.deepEqual(b.range.start, { line: 3, character: 0 });
  const shifted = parseDocument('SELECT a\nBY d', { offset: 100, line: 10, character: 4 });
  const q = shifted.queries[0]!;
  assert.deepEqual(q.range.start, { line: 10, character: 4 });
  assert.equal(q.start, 100);
  assert.deepEqual(q.by!.dimensions[0]!.range.start, { line: 11, character: 3 });
});

test('hostile input never throws', () => {
  const inputs = [
    '',
    ';;;',
    'SELECT',
    'SELECT a WHERE b IN ' + '('.repeat(200_000),
    'SELECT ' + Array.from({ length: 10_000 }, (_, i) => `M${i}`).join(', '),
    'SELECT a WHERE b = ' + '9'.repeat(1000),
    '\u0000\u0001\ud800SELECT \udfff x',
    'SELECT ' + 'x'.repeat(1_000_000),
    "SELECT a WHERE b = '" + 'y'.repeat(100_000),
    'SELECT a WHERE b BETWEEN AND AND AND BETWEEN',
    'ORDER BY BY BY LIMIT LIMIT SELECT SELECT',
  ];
  for (const text of inputs) {
    const doc = parseDocument(text);
    assert.equal(doc.length, text.length);
    for (const q of doc.queries) for (const e of q.syntaxErrors) assert.ok(e.range.start.line >= 0 && e.message.length > 0);
  }
});
