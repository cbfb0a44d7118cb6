import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from '../../server/src/core/parser.js';
import { analyseQuery } from '../../server/src/core/analyser.js';
import { codeActionsFor } from '../../server/src/core/codeActions.js';

const now = new Date('2026-11-27T10:00:00Z');
const REQ = 'sentSince = now - 1d AND sentUntil = now';

function fixes(text: string, code: string) {
  const q = parseDocument(text).queries[0]!;
  const diags = analyseQuery(q, { now }).filter((d) => d.code === code);
  assert.ok(diags.length > 0, `expected a ${code} diagnostic`);
  const d = diags[0]!;
  return codeActionsFor(text, q, diags, d.start, d.end).map((a) => ({
    title: a.title,
    preferred: !!a.isPreferred,
    result: [...a.edits].sort((x, y) => y.start - x.start).reduce((t, e) => t.slice(0, e.start) + e.newText + t.slice(e.end), text),
  }));
}

test('invalid-time-bucket offers the nearest boundaries, the first preferred', () => {
  const text = `SELECT DELIVERED_TRAFFIC_COUNT WHERE channelCode = SMS AND ${REQ} AND timeToDeliver < 7s`;
  const got = fixes(text, 'invalid-time-bucket');
  assert.deepEqual(got.map((f) => f.title), ['Change to 5s', 'Change to 10s']);
  assert.equal(got[0]!.preferred, true);
  assert.match(got[0]!.result, /timeToDeliver < 5s$/);
  const after = parseDocument(got[0]!.result).queries[0]!;
  assert.deepEqual(analyseQuery(after, { now }).filter((d) => d.severity === 'error'), []);
});

test('OR between conditions on one filter becomes IN, and the result has no error', () => {
  const text = `SELECT DELIVERED_TRAFFIC_COUNT WHERE channelCode = SMS OR channelCode = VIBER AND ${REQ}`;
  const got = fixes(text, 'unsupported-operator');
  assert.equal(got.length, 1);
  assert.equal(got[0]!.title, 'Combine into channelCode IN (SMS, VIBER)');
  assert.match(got[0]!.result, /WHERE channelCode IN \(SMS, VIBER\) AND sentSince/);
  const after = parseDocument(got[0]!.result).queries[0]!;
  assert.deepEqual(analyseQuery(after, { now }).map((d) => d.code), []);
});

test('OR between different filters, and != , get no quick fix (nothing the API can express)', () => {
  assert.deepEqual(fixes(`SELECT DELIVERED_TRAFFIC_COUNT WHERE channelCode = SMS OR direction = INBOUND AND ${REQ}`, 'unsupported-operator'), []);
  assert.deepEqual(fixes(`SELECT DELIVERED_TRAFFIC_COUNT WHERE channelCode != SMS AND ${REQ}`, 'unsupported-operator'), []);
});
