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
