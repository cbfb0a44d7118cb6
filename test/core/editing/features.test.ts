// In-process tests of the editor features' core functions, with `<|>` cursor markers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyCursor } from '../../helpers/syntax.js';
import { type MqCodeAction } from '../../../server/src/core/editing/codeActions.js';
import { parseDocument } from '../../helpers/syntax.js';
import { mq, cursor, FIXED_NOW } from '../../helpers/mq.js';
import { plainText } from '../../../server/src/lsp/server.js';
import { catalog } from '../../../server/src/core/catalog/data.js';

function completeAt(marked: string) {
  const c = cursor(marked);
  const q = parseDocument(c.text).queries.at(-1);
  return mq.complete(c.text, c.offset, q, FIXED_NOW);
}
const labels = (marked: string): string[] => completeAt(marked).items.map((i) => i.label);

test('cursor classifier on broken text', () => {
  const kind = (m: string): string => {
    const c = cursor(m);
    return classifyCursor(c.text, c.offset).situation.kind;
  };
  assert.equal(kind('<|>'), 'start');
  assert.equal(kind('SELECT <|>'), 'metric');
  assert.equal(kind('SELECT A, <|>'), 'metric');
  assert.equal(kind('SELECT A <|>'), 'afterMetric');
  assert.equal(kind('SELECT A BY DAY, <|>'), 'dimension');
  assert.equal(kind('SELECT A WHERE <|>'), 'filter');
  assert.equal(kind('SELECT A WHERE x = 1 AND <|>'), 'filter');
  assert.equal(kind('SELECT A WHERE sent BETWEEN now - 7d AND <|>'), 'value');
  assert.equal(kind('SELECT A WHERE sent BETWEEN now - 7d <|>'), 'afterTime');
  assert.equal(kind('SELECT A WHERE channelCode <|>'), 'operator');
  assert.equal(kind('SELECT A WHERE channelCode IN <|>'), 'openList');
  assert.equal(kind('SELECT A WHERE channelCode IN (SMS <|>'), 'afterListValue');
  assert.equal(kind('SELECT A WHERE channelCode IN (SMS) <|>'), 'afterCondition');
  assert.equal(kind('SELECT A ORDER <|>'), 'orderBy');
  assert.equal(kind('SELECT A ORDER BY A <|>'), 'afterOrderColumn');
  assert.equal(kind('SELECT A LIMIT <|>'), 'limitValue');
  assert.equal(kind("SELECT A WHERE senders = 'x<|>"), 'none');
  assert.equal(kind('SELECT A /* x <|>'), 'none');
  assert.equal(kind('SELECT A; <|>'), 'start');
});

test('completion: metrics after SELECT, case-insensitive prefix, kind, detail, documentation', () => {
  const r = completeAt('SELECT deliv<|>');
  assert.ok(r.items.length > 0);
  assert.ok(r.items.every((i) => i.label.startsWith('DELIV')));
  const d = r.items[0]!;
  assert.equal(d.kind, 'metric');
  assert.ok(d.detail && d.documentation?.includes('Wire name'));
  assert.equal(d.replaceStart, 7);
  assert.equal(d.replaceEnd, 12);
});

test('completion: metrics that fit the chosen channels come first, the others are marked', () => {
  const r = completeAt('SELECT <|> WHERE channelCode = SMS');
  const byName = new Map(r.items.map((i) => [i.label, i]));
  const smsOk = byName.get('DELIVERED_TRAFFIC_COUNT')!;
  const emailOnly = r.items.find((i) => i.deprecated)!;
  assert.ok(emailOnly, 'some metric is marked');
  assert.ok(!smsOk.deprecated);
  assert.ok(smsOk.sortText < emailOnly.sortText);
  assert.match(emailOnly.detail!, /not returned/);
});

test('completion: dimensions after BY, filters after WHERE/AND, keywords only where they fit', () => {
  assert.ok(labels('SELECT A BY <|>').includes('DAY'));
  assert.ok(!labels('SELECT A BY <|>').includes('DELIVERED_TRAFFIC_COUNT'));
  const f = labels('SELECT A WHERE channelCode = SMS AND <|>');
  assert.ok(f.includes('sentSince') && f.includes('direction'));
  assert.deepEqual(labels('SELECT A BY DAY <|>'), ['WHERE', 'COMPARE WITH', 'HAVING', 'ORDER BY', 'LIMIT']);
  assert.deepEqual(labels('SELECT A WHERE channelCode = SMS <|>'), ['AND', 'COMPARE WITH', 'HAVING', 'ORDER BY', 'LIMIT']);
  assert.deepEqual(labels('SELECT A ORDER BY A <|>'), ['ASC', 'DESC', 'LIMIT']);
  assert.deepEqual(labels('SELECT A <|> WHERE channelCode = SMS'), ['BY', 'COMPARE WITH', 'HAVING', 'ORDER BY', 'LIMIT']);
});

test('completion: values for the filter at hand', () => {
  assert.ok(labels('SELECT A WHERE channelCode = <|>').includes('SMS'));
  assert.ok(labels('SELECT A WHERE channelCode IN (SMS, <|>').includes('EMAIL'));
  assert.deepEqual(labels('SELECT A WHERE direction = <|>').sort(), ['INBOUND', 'OUTBOUND']);
  assert.deepEqual(labels('SELECT A WHERE includeSubaccounts = <|>'), ['TRUE', 'FALSE']);
  const wa = labels('SELECT A WHERE channelCode = WHATSAPP AND trafficTypes = <|>');
  assert.ok(wa.length > 0);
  assert.equal(labels('SELECT A WHERE channelCode = SMS AND trafficTypes IN (<|>').filter((l) => wa.includes(l)).length, 0, 'no WhatsApp traffic types without WHATSAPP');
  assert.ok(labels('SELECT A WHERE timeToDeliver < <|>').includes('5s'));
});

test('completion: time and duration snippets', () => {
  const r = completeAt('SELECT A WHERE sentSince = <|>');
  const week = r.items.find((i) => i.label === 'now - 7d')!;
  assert.ok(week.snippet && week.insertText === 'now - ${1:7d}');
  assert.match(week.documentation!, /2026-10-29T10:20:30\.123\+0000/);
  assert.ok(labels('SELECT A WHERE sentSince = now - <|>').includes('7d'));
  assert.ok(labels('SELECT A WHERE sentSince = now <|>').includes('- 7d'));
});

test('completion: SELECT and a whole-query snippet at the start and at a line start', () => {
  assert.deepEqual(labels('<|>'), ['SELECT', 'SELECT … BY … WHERE …']);
  assert.ok(labels('SELECT A WHERE channelCode = SMS;\n<|>').includes('SELECT … BY … WHERE …'));
  assert.ok(labels('SELECT A BY DAY\n<|>').includes('SELECT … BY … WHERE …'));
  assert.ok(!labels('SELECT A BY DAY <|>').includes('SELECT … BY … WHERE …'));
});

test('completion never throws, whatever the text and offset', () => {
  const texts = ['', 'SELECT', "SELECT 'unterminated", 'SELECT A WHERE x IN ((((', '/*', 'WHERE AND AND', 'SELECT A WHERE = = =', '\u0000\uffff😀'];
  for (const t of texts) for (let o = -2; o <= t.length + 2; o++) mq.complete(t, o, parseDocument(t).queries[0], FIXED_NOW);
});

test('hover: metric, dimension, filter, channel value, enum value, time, keyword', () => {
  const text = "SELECT DELIVERED_TRAFFIC_COUNT BY DAY WHERE channelCode = EMAIL AND sentSince = now - 7d AND direction = OUTBOUND AND sentUntil = '2026-11-01'";
  const q = parseDocument(text).queries[0]!;
  const at = (s: string, d = 1) => mq.hover(q, text.indexOf(s) + d, FIXED_NOW);
  assert.match(at('DELIVERED')!.contents, /metric `DELIVERED_TRAFFIC_COUNT`/);
  assert.match(at('DAY')!.contents, /dimension `DAY`/);
  assert.match(at('channelCode')!.contents, /filterBy\.channelCodes/);
  assert.match(at('EMAIL')!.contents, /channel `EMAIL`/);
  assert.match(at('OUTBOUND')!.contents, /direction `OUTBOUND`/);
  const t = at('now')!;
  assert.match(t.contents, /2026-10-29T10:20:30\.123\+0000/);
  assert.equal(text.slice(t.start, t.end), 'now - 7d');
  assert.match(at("'2026-11-01'")!.contents, /2026-11-01T00:00:00\.000\+0000/);
  assert.match(at('WHERE')!.contents, /filterBy/);
  assert.equal(mq.hover(q, 10_000, FIXED_NOW), undefined);
});

function fixes(text: string, code?: string): { actions: MqCodeAction[]; apply: (a: MqCodeAction) => string } {
  const doc = parseDocument(text);
  const diags = mq.analyse(doc, { now: FIXED_NOW }).filter((d) => !code || d.code === code);
  const actions = mq.codeActions(text, doc.queries[0], diags, 0, text.length);
  const apply = (a: MqCodeAction): string => {
    let out = text;
    for (const e of [...a.edits].sort((x, y) => y.start - x.start)) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
    return out;
  };
  return { actions, apply };
}

const REQ = "channelCode = SMS AND sentSince = '2026-10-01' AND sentUntil = '2026-10-02'";

test('quick fix: closest name for unknown names', () => {
  const { actions, apply } = fixes(`SELECT DELIVERD_TRAFFIC_COUNT WHERE ${REQ}`, 'unknown-metric');
  const a = actions.find((x) => x.isPreferred)!;
  assert.equal(apply(a), `SELECT DELIVERED_TRAFFIC_COUNT WHERE ${REQ}`);
  const f = fixes(`SELECT DELIVERED_TRAFFIC_COUNT WHERE ${REQ} AND directon = INBOUND`, 'unknown-filter');
  assert.ok(f.apply(f.actions[0]!).includes('direction = INBOUND'));
});

test('quick fix: add the missing required filters with a default time range', () => {
  const a = fixes('SELECT DELIVERED_TRAFFIC_COUNT BY DAY', 'missing-required-filter');
  assert.equal(a.apply(a.actions[0]!), 'SELECT DELIVERED_TRAFFIC_COUNT BY DAY\nWHERE channelCode = SMS\n  AND sentSince = now - 7d\n  AND sentUntil = now');
  const b = fixes('SELECT DELIVERED_TRAFFIC_COUNT WHERE channelCode = SMS ORDER BY DELIVERED_TRAFFIC_COUNT', 'missing-required-filter');
  assert.equal(b.apply(b.actions[0]!), 'SELECT DELIVERED_TRAFFIC_COUNT WHERE channelCode = SMS AND sentSince = now - 7d AND sentUntil = now ORDER BY DELIVERED_TRAFFIC_COUNT');
});

test('quick fix: = and = on one list filter become IN', () => {
  const text = "SELECT DELIVERED_TRAFFIC_COUNT WHERE channelCode = SMS AND sentSince = '2026-10-01' AND channelCode = VIBER AND sentUntil = '2026-10-02'";
  const { actions, apply } = fixes(text, 'contradictory-filter');
  assert.equal(apply(actions[0]!), "SELECT DELIVERED_TRAFFIC_COUNT WHERE channelCode IN (SMS, VIBER) AND sentSince = '2026-10-01' AND sentUntil = '2026-10-02'");
});

test('quick fix: FAILED_TRAFFIC_COUNT → TOTAL_DROPPED_COUNT for Email; add EMAIL; remove the metric', () => {
  const email = "channelCode = EMAIL AND sentSince = '2026-10-01' AND sentUntil = '2026-10-02'";
  const a = fixes(`SELECT FAILED_TRAFFIC_COUNT, DELIVERED_TRAFFIC_COUNT WHERE ${email}`, 'metric-channel-unsupported');
  const use = a.actions.find((x) => x.title.startsWith('Use TOTAL_DROPPED_COUNT'))!;
  assert.equal(a.apply(use), `SELECT TOTAL_DROPPED_COUNT, DELIVERED_TRAFFIC_COUNT WHERE ${email}`);
  const rm = a.actions.find((x) => x.title.startsWith('Remove'))!;
  assert.equal(a.apply(rm), `SELECT DELIVERED_TRAFFIC_COUNT WHERE ${email}`);
});

test('quick fix: add EMAIL to the channels for an email-only metric', () => {
  const emailOnly = catalog.metrics.find((m) => m.onlyFor?.length === 1 && m.onlyFor[0] === 'EMAIL')!;
  const text = `SELECT ${emailOnly.name} WHERE ${REQ}`;
  const { actions, apply } = fixes(text, 'metric-channel-unsupported');
  const add = actions.find((x) => x.title === 'Add EMAIL to the channels')!;
  assert.equal(apply(add), text.replace('channelCode = SMS', 'channelCode IN (SMS, EMAIL)'));
  assert.ok(!actions.some((x) => x.title.startsWith('Remove')), 'the only metric is not removed');
  const inList = `SELECT ${emailOnly.name} WHERE channelCode IN (SMS, VIBER) AND sentSince = now - 1d AND sentUntil = now`;
  const l = fixes(inList, 'metric-channel-unsupported');
  assert.equal(l.apply(l.actions.find((x) => x.title === 'Add EMAIL to the channels')!), inList.replace('VIBER)', 'VIBER, EMAIL)'));
});

test('semantic tokens: metric, dimension, filter, enum value, keyword, time, number, string, comment', () => {
  const text = "-- c\nSELECT DELIVERED_TRAFFIC_COUNT BY DAY WHERE channelCode = SMS AND sentSince = now - 7d AND senders = 'x' AND countryIds = 4";
  const toks = mq.semanticTokens(text, parseDocument(text));
  const kindOf = (s: string) => toks.find((t) => t.start === text.indexOf(s))?.kind;
  assert.equal(kindOf('-- c'), 'comment');
  assert.equal(kindOf('SELECT'), 'keyword');
  assert.equal(kindOf('DELIVERED'), 'metric');
  assert.equal(kindOf('DAY'), 'dimension');
  assert.equal(kindOf('channelCode'), 'filter');
  assert.equal(kindOf('SMS'), 'enumValue');
  assert.equal(kindOf('now'), 'time');
  assert.equal(kindOf('7d'), 'time');
  assert.equal(kindOf("'x'"), 'string');
  assert.equal(kindOf('4'), 'number');
  const multi = '/* a\nb */ SELECT A';
  assert.equal(mq.semanticTokens(multi, parseDocument(multi)).filter((t) => t.kind === 'comment').length, 2);
});

test('symbols, folding and inlay hints', () => {
  const text = 'SELECT A, B\nBY DAY\nWHERE sentSince = now;\n/* x\ny */\nSELECT C';
  const doc = parseDocument(text);
  assert.deepEqual(mq.symbols(doc).map((s) => [s.name, s.detail]), [['A, B', 'BY DAY'], ['C', '']]);
  assert.deepEqual(mq.folding(doc).map((f) => f.kind), ['region', 'comment', 'region']);
  const hints = mq.inlayHints(doc.queries[0]!, FIXED_NOW);
  assert.deepEqual(hints.map((h) => h.label), [', CHANNEL_CODE', '= 2026-11-05T10:20:30.123Z']);
  assert.equal(hints[0]!.offset, text.indexOf('DAY') + 3);
  assert.deepEqual(mq.inlayHints(doc.queries[1]!, FIXED_NOW).map((h) => h.label), ['BY CHANNEL_CODE']);
  assert.deepEqual(mq.inlayHints(parseDocument('SELECT A BY DAY, CHANNEL_CODE').queries[0]!, FIXED_NOW), []);
});

test('inlay hints: no CHANNEL_CODE hint when BY already names the channel by CHANNEL_NAME (the API adds no CHANNEL_CODE then)', () => {
  const labelsOf = (q: string): string[] => mq.inlayHints(parseDocument(q).queries[0]!, FIXED_NOW).map((h) => h.label);
  assert.deepEqual(labelsOf('SELECT A BY DAY, CHANNEL_NAME'), []);
  assert.deepEqual(labelsOf('SELECT A BY channel_name, COUNTRY_NAME'), []);
  assert.deepEqual(labelsOf('SELECT A BY CHANNEL_NAME, CHANNEL_CODE'), []);
  // Another dimension about channels does not name the channel: the API still adds CHANNEL_CODE.
  assert.deepEqual(labelsOf('SELECT A BY CAPABILITY'), [', CHANNEL_CODE']);
});

test('completion: the word under the cursor is known to its end (for insert-or-replace)', () => {
  const r = completeAt('SELECT DELI<|>VERED_TRAFFIC_COUNT');
  const it = r.items.find((i) => i.label === 'DELIVERED_TRAFFIC_COUNT')!;
  assert.deepEqual([it.replaceStart, it.replaceEnd, it.wordEnd], [7, 11, 30]);
  const by = completeAt('SELECT A BY <|>DAY').items.find((i) => i.label === 'HOUR')!;
  assert.deepEqual([by.replaceStart, by.replaceEnd, by.wordEnd], [12, 12, 15]);
});

test('completion: names already in the list are not offered again, also while the query does not parse', () => {
  assert.ok(!labels('SELECT DELIVERED_TRAFFIC_COUNT, <|>').includes('DELIVERED_TRAFFIC_COUNT'));
  assert.ok(labels('SELECT DELIVERED_TRAFFIC_COUNT, <|>').includes('TOTAL_TRAFFIC_COUNT'));
  assert.ok(!labels('SELECT A BY DAY, <|>').includes('DAY'));
  const inList = labels('SELECT A WHERE channelCode IN (SMS, <|>');
  assert.ok(!inList.includes('SMS') && inList.includes('EMAIL'));
  const order = labels('SELECT DELIVERED_TRAFFIC_COUNT, TOTAL_TRAFFIC_COUNT BY DAY ORDER BY DAY, <|>');
  assert.ok(!order.includes('DAY') && order.includes('TOTAL_TRAFFIC_COUNT'), JSON.stringify(order));
});

test('completion: a new query can start on a new line after LIMIT n or a complete clause', () => {
  assert.deepEqual(labels('SELECT A LIMIT 5\n<|>'), ['SELECT', 'SELECT … BY … WHERE …']);
  assert.deepEqual(labels('SELECT A LIMIT 10 <|>'), []);
  assert.ok(labels('SELECT X\nWHERE channelCode = SMS\n<|>').includes('SELECT'));
  assert.ok(labels('SELECT X\nWHERE channelCode = SMS\nS<|>').includes('SELECT'));
});

test('completion: channels that return every selected metric come first; bucket names after a letter', () => {
  const items = completeAt('SELECT TOTAL_CALL_COUNT WHERE channelCode IN (<|>').items.sort((a, b) => (a.sortText < b.sortText ? -1 : 1));
  assert.equal(items[0]!.label, 'VOICE_VIDEO');
  assert.match(items.find((i) => i.label === 'SMS')!.detail ?? '', /does not return all the selected metrics/);
  const buckets = labels('SELECT A WHERE timeToDeliver < SEC<|>');
  assert.ok(buckets.includes('SECONDS_5'), JSON.stringify(buckets));
  assert.ok(!labels('SELECT A WHERE timeToDeliver < <|>').includes('SECONDS_5'), 'names only once a letter is typed');
});

test('plain-text clients get hover and documentation without Markdown marks', () => {
  const h = mq.hover(parseDocument('SELECT DELIVERED_TRAFFIC_COUNT').queries[0]!, 10, FIXED_NOW)!;
  assert.match(h.contents, /\*\*|`/, 'the Markdown version has marks');
  const plain = plainText(h.contents);
  assert.doesNotMatch(plain, /\*\*|`/);
  assert.ok(plain.includes('DELIVERED_TRAFFIC_COUNT'));
  assert.equal(plainText('see [the docs](https://x.example) and **this**'), 'see the docs (https://x.example) and this');
});

test('hover on numeric IDs: a traffic type by ID names it; an int64 communication ID says it is kept exact', () => {
  const text = "SELECT A WHERE channelCode = RCS AND trafficTypes IN (1, 7) AND communicationIds = 9007199254740993";
  const q = parseDocument(text).queries[0]!;
  const h7 = mq.hover(q, text.indexOf('7)'), FIXED_NOW)!;
  assert.match(h7.contents, /traffic type `A2P_CONVERSATION` \(ID 7, RCS only\); sent by name as `A2P_CONVERSATION`/);
  const id = mq.hover(q, text.indexOf('9007') + 2, FIXED_NOW)!;
  assert.match(id.contents, /9007199254740993[^]*int64, kept exact/);
  const odd = 'SELECT A WHERE channelCode = RCS AND trafficTypes = 007 AND communicationIds = 007 AND networkIds = 99999999999';
  const q2 = parseDocument(odd).queries[0]!;
  assert.match(mq.hover(q2, odd.indexOf('007'), FIXED_NOW)!.contents, /A2P_CONVERSATION/);
  assert.match(mq.hover(q2, odd.lastIndexOf('007'), FIXED_NOW)!.contents, /sent as the JSON number 7 in/);
  assert.match(mq.hover(q2, odd.indexOf('9999'), FIXED_NOW)!.contents, /beyond the int32 range \(at most 2147483647\)/);
});
