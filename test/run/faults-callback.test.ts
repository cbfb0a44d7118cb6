// Hostile traffic at the callback port during a run: while a real run waits for its result, the
// receiver is flooded with generated requests (random and near-miss paths, wrong methods and content types,
// malformed, oversized and wrongly shaped bodies, results for other request ids, on the real path too).
// Every one must be refused with the documented status, and the run must still end with exactly the rows
// the stand-in sent, as a clean run does.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { runRequest } from '../../server/src/run/engine.js';
import { startStandIn, type StandIn } from '../../server/src/run/standin/server.js';
import { stringifyJson } from '../../server/src/core/compile/wire.js';
import { NOW, req } from './helpers.js';

const KEY = 'callback-faults-key-0123456789';
let stand: StandIn;

before(async () => {
  stand = await startStandIn({ apiKey: KEY, latencyMs: 1200, now: () => NOW });
});
after(async () => {
  await stand.close();
});

interface Junk {
  path: 'random' | 'nearMiss' | 'real' | 'traversal' | 'prefixCase';
  method: string;
  contentType: string | null;
  body: string;
}

const junkArb: fc.Arbitrary<Junk> = fc.record({
  path: fc.constantFrom('random', 'nearMiss', 'real', 'traversal', 'prefixCase'),
  method: fc.constantFrom('POST', 'POST', 'POST', 'GET', 'PUT', 'DELETE', 'PATCH'),
  contentType: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', null, 'application/problem+json'),
  body: fc.oneof(
    fc.constant('{"requestId":"OTHER-1","status":"SUCCESS","response":{"columns":[{"columnName":"A","columnDataType":"STRING"}],"rows":[["<script>"]]}}'),
    fc.constant('{"requestId":"OTHER-2","status":"FAILED","failureMessage":"forged"}'),
    fc.constant('{"requestId":"","status":"SUCCESS"}'),
    fc.constant('{"status":"SUCCESS","response":{"columns":[],"rows":[[1]]}}'),
    fc.constant('[1,2,3]'),
    fc.constant('{"requestId": "x", "status": "SUCCESS", "response": {"columns": [], "rows": "nope"}}'),
    fc.constant('{"a":' + '['.repeat(5000)),
    fc.constant('null'),
    fc.string({ maxLength: 200 }),
  ),
});

async function send(url: string, j: Junk): Promise<number> {
  const headers: Record<string, string> = {};
  if (j.contentType) headers['Content-Type'] = j.contentType;
  try {
    const r = await fetch(url, { method: j.method, headers, ...(j.method === 'GET' ? {} : { body: j.body }), signal: AbortSignal.timeout(5000) });
    await r.arrayBuffer();
    return r.status;
  } catch {
    return -1; // the receiver may cut an oversized or refused request short
  }
}

function junkUrl(callbackUrl: string, j: Junk, i: number): string {
  const u = new URL(callbackUrl);
  const token = u.pathname.split('/').pop()!;
  switch (j.path) {
    case 'real':
      return callbackUrl;
    case 'nearMiss': {
      const k = i % token.length;
      const c = token[k] === 'A' ? 'B' : 'A';
      return `${u.origin}/mq/callback/${token.slice(0, k)}${c}${token.slice(k + 1)}`;
    }
    case 'traversal':
      return `${u.origin}/mq/callback/${token}/../../etc/passwd`;
    case 'prefixCase':
      return `${u.origin}/MQ/CALLBACK/${token.toUpperCase()}`;
    default:
      return `${u.origin}/mq/callback/${'x'.repeat(20 + (i % 30))}`;
  }
}

/** The status the receiver documents for a junk request (the real request id is never used). */
function expectedStatus(j: Junk, url: string, callbackUrl: string): number[] {
  const onSlot = url === callbackUrl;
  if (!onSlot) return [404];
  if (j.method !== 'POST') return [405];
  const type = (j.contentType ?? '').split(';')[0]!.trim();
  if (type !== 'application/json' && !type.endsWith('+json')) return [415];
  // A well-formed result for another request id is stored for that id (200) or, the second time, 409.
  if (j.body.includes('"OTHER-')) return [200, 409];
  return [400];
}

async function cleanRows(): Promise<string> {
  const o = await runRequest(req(), { baseUrl: stand.url, apiKey: KEY, pollIntervalMs: 50, callbackGraceMs: 2000, timeoutMs: 15_000 });
  assert.equal(o.status, 'SUCCESS');
  return stringifyJson(o.response);
}

test('a flood of hostile requests at the callback port is refused and does not touch the run', async () => {
  const reference = await cleanRows();
  const junk = fc.sample(junkArb, { seed: 0xcb, numRuns: 150 });
  const statuses: { j: Junk; url: string; got: number; afterRun: boolean }[] = [];
  let runEnded = false;
  let flood: Promise<void> | undefined;
  const outcome = await runRequest(req(), {
    baseUrl: stand.url,
    apiKey: KEY,
    pollIntervalMs: 50,
    callbackGraceMs: 2000,
    timeoutMs: 15_000,
    onProgress: (phase, info) => {
      if (phase !== 'submitting' || !info?.callbackUrl || flood) return;
      const cb = info.callbackUrl;
      // Fire while the stand-in is still "processing" (latency 1.2 s), a few at a time.
      flood = (async () => {
        for (let i = 0; i < junk.length; i += 10) {
          await Promise.all(
            junk.slice(i, i + 10).map(async (j, k) => {
              const url = junkUrl(cb, j, i + k);
              const got = await send(url, j);
              statuses.push({ j, url, got, afterRun: runEnded });
            }),
          );
        }
      })();
    },
  }).finally(() => (runEnded = true));
  await flood;
  assert.equal(outcome.status, 'SUCCESS');
  assert.equal(stringifyJson(outcome.response), reference, 'the run did not get the rows the stand-in sent');
  assert.equal(statuses.length, junk.length);
  for (const s of statuses) {
    const want = expectedStatus(s.j, s.url, outcome.request.callbackUrl);
    // -1: the connection was cut after a refusal (acceptable only where the receiver refuses), or the run had
    // ended and its listener was closed.
    assert.ok(want.includes(s.got) || (s.got === -1 && (s.afterRun || !want.includes(200))), `${s.j.method} ${s.url} (${s.j.contentType}) ${JSON.stringify(s.j.body.slice(0, 80))}: got ${s.got}, expected ${want.join('/')}`);
  }
  const during = statuses.filter((s) => !s.afterRun).length;
  if (process.env.MQ_SHOW_FAULTS) console.log(`junk during the run: ${during}/${statuses.length}`, [...new Set(statuses.map((s) => s.got))]);
  assert.ok(during >= 50, `only ${during} junk requests arrived while the run was waiting`);
  // Each kind of junk was actually exercised.
  for (const kind of ['random', 'nearMiss', 'real', 'traversal', 'prefixCase'] as const) assert.ok(statuses.some((s) => s.j.path === kind), kind);
});
