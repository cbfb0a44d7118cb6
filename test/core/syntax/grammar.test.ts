import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createSyntax, grammarSelfCheck } from '../../../server/src/core/syntax/parser.js';
import type { MqDocument } from '../../../server/src/core/syntax/ast.js';
import { EXAMPLES, validDocArb } from '../../fuzz/generators.js';

const syntax = createSyntax();
const clauseByClause = createSyntax({ clauseByClause: true });

/** A tree as plain data, with the ranges that nodes compute when read. */
function plain(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(plain);
  if (!x || typeof x !== 'object') return x;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(x)) out[k] = plain(v);
  if ('range' in x) out['range'] = x.range;
  if ('operatorRange' in x) out['operatorRange'] = x.operatorRange;
  return out;
}

const allErrors = (doc: MqDocument) => [...doc.syntaxErrors, ...doc.queries.flatMap((q) => q.syntaxErrors)];

test('the grammar and lexer definitions pass Chevrotain self-checks, and a validating instance can be built', () => {
  assert.deepEqual(grammarSelfCheck(), []);
  assert.doesNotThrow(() => createSyntax({ validate: true }));
});

test('a valid query read by the whole-query rule gives the tree the clause-by-clause reading gives', () => {
  const text = `SELECT TOTAL_SENT_TRAFFIC_COUNT, delivered_traffic_count BY DAY, COUNTRY_NAME
WHERE channelCode = SMS AND sentSince = now - 7d + 1h AND direction IN (OUTBOUND, 'in''bound')
  AND sent BETWEEN '2026-10-01' AND today + 1d OR NOT timeToDeliver <= 5ms AND x != TRUE AND y <> 10DLC
ORDER BY TRAFFIC_DELIVERY_RATE desc, DAY LIMIT 20;
select m`;
  const doc = syntax.parseDocument(text);
  assert.deepEqual(allErrors(doc), []);
  assert.deepEqual(plain(doc), plain(clauseByClause.parseDocument(text)));
  const q = doc.queries[0]!;
  assert.deepEqual(q.where!.conditions.map((c) => [c.filter.text, c.operator, c.values.map((v) => v.kind), text.slice(c.start, c.end)]), [
    ['channelCode', '=', ['nameValue'], 'channelCode = SMS'],
    ['sentSince', '=', ['time'], 'sentSince = now - 7d + 1h'],
    ['direction', 'IN', ['nameValue', 'string'], "direction IN (OUTBOUND, 'in''bound')"],
    ['sent', 'BETWEEN', ['string', 'time'], "sent BETWEEN '2026-10-01' AND today + 1d"],
    ['timeToDeliver', '<=', ['duration'], 'NOT timeToDeliver <= 5ms'],
    ['x', '!=', ['boolean'], 'x != TRUE'],
    ['y', '<>', ['nameValue'], 'y <> 10DLC'],
  ]);
  assert.deepEqual(q.where!.unsupported.map((u) => [u.keyword, text.slice(u.start, u.end)]), [['OR', 'OR'], ['NOT', 'NOT']]);
  assert.equal(text.slice(q.where!.start, q.where!.end), text.slice(text.indexOf('WHERE'), text.indexOf('\nORDER')));
  assert.equal(q.orderBy!.keyword.text, 'ORDER BY');
  assert.equal(text.slice(q.orderBy!.start, q.orderBy!.end), 'ORDER BY TRAFFIC_DELIVERY_RATE desc, DAY');
  assert.equal(text.slice(q.start, q.end), text.slice(0, text.indexOf(';') + 1));
  assert.equal(doc.queries[1]!.select.metrics[0]!.upper, 'M');
});

test('generated valid documents and the examples parse without syntax errors, the same whichever way they are read', () => {
  const texts = [...EXAMPLES.map((e) => e.text), ...fc.sample(validDocArb, { seed: 12, numRuns: 150 })];
  for (const text of texts) {
    const doc = syntax.parseDocument(text);
    assert.deepEqual(allErrors(doc).map((e) => e.message), [], text);
    assert.deepEqual(plain(doc), plain(clauseByClause.parseDocument(text)), text);
  }
});

// Each broken text with its syntax errors: the text each error points at, and its message.
const BROKEN: [string, [string, string][]][] = [
  ["SELECT a,, b", [[",", "Expected a name but found ',' (names separated by commas)."]]],
  ["SELECT a b BY", [["b", "Unexpected 'b': expected names separated by commas."], ["BY", "Expected a dimension (for example DAY or COUNTRY_NAME) after BY."]]],
  ["SELECT", [["SELECT", "Expected a metric (for example DELIVERED_TRAFFIC_COUNT) after SELECT."]]],
  ["SELECT m BY d e", [["e", "Unexpected 'e': expected names separated by commas."]]],
  ["SELECT m WHERE a =", [["=", "Expected a value (a name, a string, a number, a duration, TRUE/FALSE, NOW or TODAY) but found the end of the query."]]],
  ["SELECT m WHERE a = now -", [["-", "Expected a duration such as 5s but found the end of the query."]]],
  ["SELECT m WHERE a IN (1, 2", [["2", "Expected ')' but found the end of the query."]]],
  ["SELECT m WHERE a IN 1", [["1", "Expected '(' but found '1'."], ["1", "Expected ')' but found the end of the query."]]],
  ["SELECT m WHERE a BETWEEN 1 AND", [["AND", "Expected a value (a name, a string, a number, a duration, TRUE/FALSE, NOW or TODAY) but found the end of the query."]]],
  ["SELECT m WHERE AND a = 1", [["WHERE", "Expected a condition after WHERE (for example channelCode = SMS)."]]],
  ["SELECT m WHERE a = 1 AND", [["AND", "Expected a condition after AND (for example channelCode = SMS)."]]],
  ["SELECT m WHERE a 5", [["5", "Expected a condition such as channelCode = SMS but found '5'."]]],
  ["SELECT m WHERE = 5", [["=", "Expected a name but found '='."]]],
  ["SELECT m WHERE a = 5 + 1d", [["+", "Unexpected '+': expected a condition such as channelCode = SMS."]]],
  ["SELECT m ORDER d", [["ORDER", "Expected BY after ORDER (write ORDER BY column)."]]],
  ["SELECT m ORDER BY", [["ORDER BY", "Expected a column after ORDER BY."]]],
  ["SELECT m ORDER BY a DESC b", [["b", "Unexpected 'b': expected result columns separated by commas, each optionally followed by ASC or DESC."]]],
  ["SELECT m LIMIT", [["LIMIT", "Expected a number after LIMIT (for example LIMIT 100)."]]],
  ["SELECT m LIMIT x", [["x", "Expected an integer but found 'x'."]]],
  ["SELECT m LIMIT 1 2", [["2", "Unexpected '2': expected a positive integer."]]],
  ["SELECT m LIMIT 5 BY d", [["BY", "BY must come before LIMIT: clauses go in the order SELECT, BY, WHERE, COMPARE WITH, HAVING, ORDER BY, LIMIT."]]],
  ["SELECT m BY d BY e", [["BY", "A query has only one BY clause. List all dimensions in one BY, separated by commas."]]],
  ["SELECT m WHERE a = 'open", [["'open", "Unterminated string: add the closing ' before the end of the line."]]],
  ["hello; SELECT m", [["hello", "Unexpected 'hello': every query starts with SELECT."]]],
  ["SELECT m /* open", [["/* open", "Unterminated block comment: close it with */."]]],
  ["SELECT m # x", [["x", "Unexpected 'x': expected names separated by commas."], ["#", "Unexpected character \"#\" (U+0023): names use letters, digits and _, text goes in quotes, and comments start with -- or /*."]]],
];

test('broken queries get their errors, each at the token it is about', () => {
  for (const [text, expected] of BROKEN) {
    const got = allErrors(syntax.parseDocument(text)).map((e) => [text.slice(e.start, e.end), e.message]);
    assert.deepEqual(got, expected, text);
  }
});

test('one syntax instance parses many texts independently; a parse leaves nothing behind for the next', () => {
  const broken = syntax.parseDocument('SELECT m WHERE a IN (1,');
  assert.equal(broken.queries[0]!.syntaxErrors.length, 1);
  const valid = syntax.parseDocument('SELECT m WHERE a IN (1, 2)');
  assert.deepEqual(allErrors(valid), []);
  assert.deepEqual(valid.queries[0]!.where!.conditions[0]!.values.map((v) => v.kind), ['integer', 'integer']);
  const each: string[] = [];
  const doc = syntax.parseEachQuery('SELECT a; SELECT b WHERE', (q) => each.push(q.select.metrics[0]!.text));
  assert.deepEqual(each, ['a', 'b']);
  assert.equal(doc.queries.length, 0);
});

test('lexing in chunks cut at SELECT gives the same tokens as lexing the whole text', () => {
  const text = Array.from({ length: 4000 }, (_, i) => `SELECT M${i} WHERE a = 'x${i}' -- c\n`).join('');
  const whole = syntax.lex(text).tokens.map((t) => [t.startOffset, t.image]);
  const pieces: [number, string][] = [];
  let chunks = 0;
  syntax.lexInChunks(text, (chunk) => {
    chunks++;
    for (let i = 0; i < chunk.stop; i++) pieces.push([chunk.offset + chunk.tokens[i]!.startOffset, chunk.tokens[i]!.image]);
  });
  assert.ok(chunks > 1, 'the text is large enough to be cut');
  assert.deepEqual(pieces, whole);
  const offsets = syntax.selectOffsets(text);
  assert.equal(offsets.length, 4000);
  assert.ok(offsets.every((o, i) => i === 0 || text.startsWith('SELECT', o)));
});
