import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from '../helpers/syntax.js';
import { queryAtOffset, queryText, queryTitle } from '../../client/src/queryAtCursor.js';

const text = [
  '-- daily traffic',
  'SELECT TOTAL_TRAFFIC_COUNT',
  'BY DAY',
  "WHERE channelCode = SMS AND sentSince = now - 7d;",
  '',
  '',
  'SELECT DELIVERED_TRAFFIC_COUNT, TOTAL_TRAFFIC_COUNT BY COUNTRY_NAME',
  'WHERE channelCode = SMS AND sentSince = now - 1d;   ',
  '-- end',
].join('\n');

const at = (needle: string, delta = 0) => {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, needle);
  return i + delta;
};

test('finds the query containing the cursor, its text and title', () => {
  const doc = parseDocument(text);
  assert.equal(doc.queries.length, 2);
  const q0 = queryAtOffset(doc, text, at('BY DAY', 3));
  assert.equal(q0?.index, 0);
  assert.equal(queryText(text, q0!), "SELECT TOTAL_TRAFFIC_COUNT\nBY DAY\nWHERE channelCode = SMS AND sentSince = now - 7d;");
  assert.equal(queryTitle(q0!), 'TOTAL_TRAFFIC_COUNT by DAY');
  assert.equal(queryAtOffset(doc, text, at('COUNTRY_NAME'))?.index, 1);
  assert.equal(queryAtOffset(doc, text, at('SELECT DELIVERED'))?.index, 1);
});

test('cursor just after a semicolon, on trailing blanks or on a blank line above a query', () => {
  const doc = parseDocument(text);
  assert.equal(queryAtOffset(doc, text, at('7d;', 3))?.index, 0);
  assert.equal(queryAtOffset(doc, text, at('1d;   ', 6))?.index, 1);
  assert.equal(queryAtOffset(doc, text, at('\n\nSELECT DELIVERED', 1))?.index, 1);
});

test('cursor in a comment with no adjacent query, out of range, empty document', () => {
  const doc = parseDocument(text);
  assert.equal(queryAtOffset(doc, text, 3)?.index, 0); // comment right above the first query
  assert.equal(queryAtOffset(doc, text, text.length + 50)?.index ?? -1, queryAtOffset(doc, text, text.length)?.index ?? -1);
  assert.equal(queryAtOffset(parseDocument(''), '', 0), undefined);
  const long = queryTitle(parseDocument('SELECT ' + Array.from({ length: 20 }, (_, i) => `M${i}`).join(', ')).queries[0]!, 30);
  assert.equal(long.length, 30);
  assert.ok(long.endsWith('…'));
});
