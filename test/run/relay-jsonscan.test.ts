// The relay's streaming JSON check agrees with JSON.parse on what is valid, whatever the chunking.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { JsonScanner } from '../../server/src/run/relay/jsonscan.js';

function scan(text: string | Buffer, cuts: number[] = []) {
  const buf = typeof text === 'string' ? Buffer.from(text) : text;
  const s = new JsonScanner();
  let from = 0;
  for (const c of [...cuts.map((x) => x % (buf.length + 1)).sort((a, b) => a - b), buf.length]) {
    s.push(buf.subarray(from, Math.max(from, c)));
    from = Math.max(from, c);
  }
  return { result: s.end(), error: s.error };
}

/** What the relay should accept, decided with JSON.parse. */
function reference(text: string): { requestId: string; status: string } | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  // eslint-disable-next-line no-control-regex -- a request id must not contain control characters
  if (typeof o.requestId !== 'string' || !/^[^\u0000-\u001f\u007f/\\]{1,256}$/.test(o.requestId)) return undefined;
  if (o.status !== 'SUCCESS' && o.status !== 'FAILED') return undefined;
  return { requestId: o.requestId, status: o.status };
}

test('valid results are accepted with their requestId and status, split anywhere', () => {
  fc.assert(
    fc.property(fc.jsonValue(), fc.string({ minLength: 1, maxLength: 40 }), fc.constantFrom('SUCCESS', 'FAILED'), fc.array(fc.nat(), { maxLength: 6 }), (extra, id, status, cuts) => {
      const text = JSON.stringify({ extra, requestId: id, nested: { requestId: 'not-this', status: 'NOPE' }, status });
      const { result } = scan(text, cuts);
      assert.deepEqual(result, reference(text));
    }),
    { numRuns: 400 },
  );
});

test('mutated bodies: accepted exactly when JSON.parse would accept them', () => {
  fc.assert(
    fc.property(fc.jsonValue(), fc.nat(), fc.constantFrom('"', '\\', '{', '}', '[', ']', ',', ':', '0', '-', 'e', '.', ' ', 't', 'n', '\u0001', 'x', '1'), fc.boolean(), fc.array(fc.nat(), { maxLength: 4 }), (extra, at, ch, replace, cuts) => {
      const base = JSON.stringify({ requestId: 'R1', status: 'FAILED', extra });
      const i = at % base.length;
      const text = base.slice(0, i) + ch + base.slice(replace ? i + 1 : i);
      const { result } = scan(text, cuts);
      assert.deepEqual(result, reference(text), text);
    }),
    { numRuns: 3000 },
  );
});

test('edge cases: numbers, literals, escapes, depth, trailing data', () => {
  const ok = (extra: string) => assert.ok(scan(`{"requestId":"a","status":"FAILED","x":${extra}}`).result, extra);
  const bad = (extra: string) => assert.equal(scan(`{"requestId":"a","status":"FAILED","x":${extra}}`).result, undefined, extra);
  for (const v of ['0', '-0', '1.5e+10', '-12.25E-3', 'true', 'false', 'null', '"\\u00e9\\n"', '[]', '{}', '[[1,[2]],{"a":{}}]']) ok(v);
  for (const v of ['01', '1.', '.5', '-', '1e', '+1', 'tru', 'nulll', 'True', '"\\x"', '"\\u12G4"', '[1,]', '{"a"}', '{,}', '[1 2]']) bad(v);
  assert.equal(scan('{"requestId":"a\\/b","status":"FAILED"}').result, undefined, 'an escaped slash is still a slash');
  assert.deepEqual(scan('{"requestId":"\\u0041\\u00e9","status":"FAILED"}').result, { requestId: 'Aé', status: 'FAILED' });
  assert.match(scan('['.repeat(600)).error ?? '', /not a JSON object/);
  assert.match(scan(`{"a":${'['.repeat(600)}`).error ?? '', /nested more than/);
  assert.match(scan('{"requestId":"a","status":"FAILED"}{}').error ?? '', /after the end/);
  assert.match(scan('').error ?? '', /ends early/);
});

/** Feeds text in every way that splits it: at each single position, and one byte per chunk. */
function everySplit(text: string): { result: ReturnType<JsonScanner['end']>; error: string | undefined }[] {
  const buf = Buffer.from(text);
  const outcomes = [scan(buf)];
  for (let at = 1; at < buf.length; at++) outcomes.push(scan(buf, [at]));
  const bytewise = new JsonScanner();
  for (let i = 0; i < buf.length; i++) bytewise.push(buf.subarray(i, i + 1));
  outcomes.push({ result: bytewise.end(), error: bytewise.error });
  return outcomes;
}

test('escapes, \\u sequences, numbers and literals split at every byte give the same answer as JSON.parse', () => {
  const bodies = [
    '{"requestId":"r\\"1\\\\","status":"SUCCESS","rows":[["a\\nb\\t\\u00e9\\ud83d\\ude00",-0.5e+3,1E2,true,false,null],{"k\\"":"\\/"}]}',
    '{ "response" : { "rows" : [ [ "2026-01-01" , 12 , 0.25 ] , [ ] , { } ] } , "requestId" : "x" , "status" : "FAILED" }',
    '{"requestId":"\\u0041bc","status":"SUCC\\u0045SS","n":[0,-0,1.0,12e-3]}',
    '{"requestId":"a","status":"SUCCESS","rows":[[1.]]}',
    '{"requestId":"a","status":"SUCCESS","rows":[["bad \\q escape"]]}',
    '{"requestId":"a","status":"SUCCESS","rows":[["bad \\u12x4"]]}',
    '{"requestId":"a","status":"SUCCESS","rows":[[01]]}',
    '{"requestId":"a","status":"SUCCESS","rows":[[tru]]}',
    '{"requestId":"a","status":"SUCCESS","rows":[["raw \u0001 control"]]}',
  ];
  for (const text of bodies) {
    const want = reference(text);
    for (const [k, got] of everySplit(text).entries()) assert.deepEqual(got.result, want, `${text} (split ${k})`);
  }
});

test('multi-byte UTF-8 in the request id split inside a character is kept whole', () => {
  const text = '{"requestId":"é-🙂-ж","status":"FAILED","rows":[["ü🙂"]]}';
  for (const got of everySplit(text)) assert.deepEqual(got.result, { requestId: 'é-🙂-ж', status: 'FAILED' });
});

test('nesting: 512 levels are accepted, 513 are refused with a clear message, however the body is split', () => {
  const nest = (levels: number) => `{"requestId":"d","status":"FAILED","x":${'['.repeat(levels - 1)}${']'.repeat(levels - 1)}}`;
  for (const got of everySplit(nest(512))) assert.deepEqual(got.result, { requestId: 'd', status: 'FAILED' });
  for (const got of everySplit(nest(513))) assert.match(got.error ?? '', /nested more than 512 levels deep/);
  const objects = `{"requestId":"d","status":"FAILED","x":${'{"a":'.repeat(510)}1${'}'.repeat(510)}}`;
  assert.deepEqual(scan(objects, [7, 300, 2000]).result, { requestId: 'd', status: 'FAILED' });
});

test('a duplicate requestId or status key counts with its last value, as in JSON.parse', () => {
  const cases = [
    '{"requestId":"a","status":"FAILED","requestId":{"x":1}}',
    '{"requestId":"a","status":"FAILED","requestId":["b"]}',
    '{"requestId":"a","status":"FAILED","status":1}',
    '{"requestId":"a","status":"FAILED","status":null}',
    '{"requestId":"a","status":"FAILED","requestId":"b"}',
    '{"requestId":{"requestId":"a"},"status":"FAILED","requestId":"c"}',
  ];
  for (const text of cases) for (const got of everySplit(text)) assert.deepEqual(got.result, reference(text), text);
});

test('request ids: 256 characters (even all escaped) are accepted, longer ones are refused as too long', () => {
  const escaped = '\\u00e9'.repeat(256);
  assert.deepEqual(scan(`{"requestId":"${escaped}","status":"SUCCESS"}`, [20, 700]).result, { requestId: 'é'.repeat(256), status: 'SUCCESS' });
  for (const id of ['x'.repeat(257), 'y'.repeat(5000), '\\n'.repeat(3000)]) {
    const { result, error } = scan(`{"requestId":"${id}","status":"SUCCESS"}`, [30, 4000]);
    assert.equal(result, undefined);
    assert.match(error ?? '', /requestId is empty, longer than 256 characters/);
  }
  const longStatus = scan(`{"requestId":"a","status":"${'S'.repeat(4000)}"}`);
  assert.match(longStatus.error ?? '', /status is not SUCCESS or FAILED/);
});

test('a large body of rows is checked in chunks and gives its top-level fields', () => {
  const rows = Array.from({ length: 20_000 }, (_, r) => [`2026-01-${String((r % 28) + 1).padStart(2, '0')}`, r * 7, -r / 8, r % 2 === 0, null, 'a"b\\c']);
  const text = JSON.stringify({ requestId: 'big', status: 'SUCCESS', response: { columns: [{ name: 'DAY' }], rows } });
  const cuts = Array.from({ length: 40 }, (_, k) => Math.floor((text.length / 40) * k) + k);
  assert.deepEqual(scan(text, cuts).result, { requestId: 'big', status: 'SUCCESS' });
  assert.match(scan(text.slice(0, -2), cuts).error ?? '', /ends early/);
});
