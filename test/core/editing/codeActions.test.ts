import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from '../../helpers/syntax.js';
import { syntaxErrorDiagnostic } from '../../../server/src/core/semantics/diagnostics.js';
import { mq, quickFixes } from '../../helpers/mq.js';

const now = new Date('2026-11-27T10:00:00Z');
const REQ = 'sentSince = now - 1d AND sentUntil = now';

const fixes = (text: string, code: string) => quickFixes(text, code, now);

test('invalid-time-bucket offers the nearest boundaries, the first preferred', () => {
  const text = `SELECT DELIVERED_TRAFFIC_COUNT WHERE channelCode = SMS AND ${REQ} AND timeToDeliver < 7s`;
  const got = fixes(text, 'invalid-time-bucket');
  assert.deepEqual(got.map((f) => f.title), ['Change to 5s', 'Change to 10s']);
  assert.equal(got[0]!.preferred, true);
  assert.match(got[0]!.result, /timeToDeliver < 5s$/);
  const after = parseDocument(got[0]!.result).queries[0]!;
  assert.deepEqual(mq.analyseQuery(after, { now }).diagnostics.filter((d) => d.severity === 'error'), []);
});

test('OR between conditions on one filter becomes IN, and the result has no error', () => {
  const text = `SELECT DELIVERED_TRAFFIC_COUNT WHERE channelCode = SMS OR channelCode = VIBER AND ${REQ}`;
  const got = fixes(text, 'unsupported-operator');
  assert.equal(got.length, 1);
  assert.equal(got[0]!.title, 'Combine into channelCode IN (SMS, VIBER)');
  assert.match(got[0]!.result, /WHERE channelCode IN \(SMS, VIBER\) AND sentSince/);
  const after = parseDocument(got[0]!.result).queries[0]!;
  assert.deepEqual(mq.analyseQuery(after, { now }).diagnostics.map((d) => d.code), []);
});

test('OR between different filters, and != , get no quick fix (nothing the API can express)', () => {
  assert.deepEqual(fixes(`SELECT DELIVERED_TRAFFIC_COUNT WHERE channelCode = SMS OR direction = INBOUND AND ${REQ}`, 'unsupported-operator'), []);
  assert.deepEqual(fixes(`SELECT DELIVERED_TRAFFIC_COUNT WHERE channelCode != SMS AND ${REQ}`, 'unsupported-operator'), []);
});

test('a stray ";" before ORDER BY / LIMIT / AND: the quick fix removes it and the query is whole again', () => {
  const base = `SELECT DELIVERED_TRAFFIC_COUNT BY COUNTRY_NAME WHERE channelCode = SMS AND ${REQ};`;
  for (const tail of ['\nORDER BY DELIVERED_TRAFFIC_COUNT DESC\nLIMIT 2;', ' -- note\n/* c */ LIMIT 2;', '\nAND direction = OUTBOUND;']) {
    const text = base + tail;
    const doc = parseDocument(text);
    const q = doc.queries[0]!;
    const stray = doc.syntaxErrors.map(syntaxErrorDiagnostic);
    assert.equal(stray.length, 1, tail);
    const acts = mq.codeActions(text, q, stray, stray[0]!.start, stray[0]!.end);
    assert.deepEqual(acts.map((a) => a.title), ['Remove the ";" so that this text continues the query above'], tail);
    const fixed = acts[0]!.edits.reduce((t, e) => t.slice(0, e.start) + e.newText + t.slice(e.end), text);
    const after = parseDocument(fixed);
    assert.equal(after.syntaxErrors.length, 0, fixed);
    assert.equal(after.queries.length, 1);
    assert.deepEqual(mq.analyseQuery(after.queries[0]!, { now }).diagnostics.filter((d) => d.severity === 'error'), [], fixed);
  }
  // Not offered when joining would not help: the query already has a LIMIT, or other text sits in between.
  for (const text of [`${base.slice(0, -1)} LIMIT 3;\nLIMIT 2;`, `${base}\nfoo ORDER BY DELIVERED_TRAFFIC_COUNT;`]) {
    const doc = parseDocument(text);
    const stray = doc.syntaxErrors.map(syntaxErrorDiagnostic);
    assert.ok(stray.length > 0, text);
    assert.deepEqual(mq.codeActions(text, doc.queries[0]!, stray, stray[0]!.start, stray[0]!.end), [], text);
  }
});

test('missing channelCode: the added channel is one that returns the selected metrics', () => {
  const cases: [string, string][] = [
    ['SELECT TOTAL_CALL_COUNT BY DAY', 'VOICE_VIDEO'],
    [`SELECT HARD_BOUNCE_COUNT WHERE ${REQ}`, 'EMAIL'],
    [`SELECT DELIVERED_TRAFFIC_COUNT WHERE ${REQ}`, 'SMS'],
  ];
  for (const [text, channel] of cases) {
    const got = fixes(text, 'missing-required-filter').find((f) => f.title.startsWith('Add the required'));
    assert.ok(got, text);
    assert.match(got.result, new RegExp(`channelCode = ${channel}\\b`), got.result);
    const after = parseDocument(got.result).queries[0]!;
    assert.deepEqual(mq.analyseQuery(after, { now }).diagnostics.filter((d) => d.severity !== 'information' && d.code !== 'metric-channel-may-be-empty').map((d) => d.code), [], got.result);
  }
});

test('sender type DOMAIN without EMAIL: the quick fix adds EMAIL to the channels', () => {
  const text = `SELECT DELIVERED_TRAFFIC_COUNT WHERE channelCode = SMS AND ${REQ} AND senderTypes = DOMAIN`;
  const got = fixes(text, 'sender-type-channel');
  assert.deepEqual(got.map((f) => f.title), ['Add EMAIL to the channels']);
  assert.match(got[0]!.result, /channelCode IN \(SMS, EMAIL\)/);
  const after = parseDocument(got[0]!.result).queries[0]!;
  assert.ok(!mq.analyseQuery(after, { now }).diagnostics.some((d) => d.code === 'sender-type-channel'));
});

test('"Add the required filter" is not the preferred fix when a misspelt filter or a stray ";" is the cause', () => {
  const misspelt = `SELECT DELIVERED_TRAFFIC_COUNT WHERE chanelCode = SMS AND ${REQ}`;
  const q1 = parseDocument(misspelt).queries[0]!;
  const d1 = mq.analyseQuery(q1, { now }).diagnostics;
  const acts1 = mq.codeActions(misspelt, q1, d1, 0, misspelt.length);
  assert.deepEqual(acts1.filter((a) => a.isPreferred).map((a) => a.title), ['Change to channelCode']);
  assert.ok(acts1.some((a) => a.title.startsWith('Add the required') && !a.isPreferred));

  const cut = 'SELECT DELIVERED_TRAFFIC_COUNT WHERE channelCode = SMS AND sentSince = now - 7d;\nAND sentUntil = now';
  const doc = parseDocument(cut);
  const q2 = doc.queries[0]!;
  const d2 = [...mq.analyseQuery(q2, { now }).diagnostics, ...doc.syntaxErrors.map(syntaxErrorDiagnostic)];
  const acts2 = mq.codeActions(cut, q2, d2, 0, cut.length);
  assert.deepEqual(acts2.filter((a) => a.isPreferred).map((a) => a.title), ['Remove the ";" so that this text continues the query above']);

  // A stray ORDER BY cannot supply the missing filters: adding them stays the preferred fix.
  const order = 'SELECT DELIVERED_TRAFFIC_COUNT WHERE channelCode = SMS;\nORDER BY DELIVERED_TRAFFIC_COUNT';
  const doc3 = parseDocument(order);
  const q3 = doc3.queries[0]!;
  const d3 = [...mq.analyseQuery(q3, { now }).diagnostics, ...doc3.syntaxErrors.map(syntaxErrorDiagnostic)];
  const acts3 = mq.codeActions(order, q3, d3, 0, order.length);
  assert.deepEqual(acts3.filter((a) => a.isPreferred).map((a) => a.title).sort(), ['Add the required filters (sentSince, sentUntil)', 'Remove the ";" so that this text continues the query above']);
});
