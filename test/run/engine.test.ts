// runRequest end to end over loopback: live mode against a stand-in with faults, and sample mode.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { callbackWarning, runRequest, RunError, type RunOptions } from '../../server/src/run/engine.js';
import { startStandIn, type StandIn } from '../../server/src/run/standin/server.js';
import { RawInteger, stringifyJson } from '../../server/src/core/compile/wire.js';
import { KEY, NOW, req } from './helpers.js';
import { cliRemedy } from '../../server/src/cli/remedies.js';

let s: StandIn;
before(async () => {
  s = await startStandIn({ apiKey: KEY, latencyMs: 30, now: () => NOW });
});
after(() => s.close());

const live = (over: Partial<RunOptions> = {}): RunOptions => ({
  baseUrl: s.url,
  apiKey: KEY,
  pollIntervalMs: 40,
  callbackGraceMs: 400,
  timeoutMs: 8000,
  retry: { retryBaseMs: 20 },
  ...over,
});

async function runError(p: Promise<unknown>, kind: string, re?: RegExp): Promise<RunError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof RunError, String(e));
    assert.equal(e.kind, kind, e.message);
    if (re) assert.match(e.message, re);
    assert.ok(!e.message.includes(KEY));
    return e;
  }
  assert.fail('expected a RunError');
}

test('live run: submit, callback, SUCCESS with progress phases in order', async () => {
  const phases: string[] = [];
  const o = await runRequest(req(), live({ onProgress: (p) => phases.push(p) }));
  assert.equal(o.status, 'SUCCESS');
  assert.equal(o.source, 'live');
  assert.ok(o.response && o.response.rows.length > 0);
  assert.match(o.request.callbackUrl, /^http:\/\/127\.0\.0\.1:\d+\/mq\/callback\/[A-Za-z0-9_-]{20,}$/);
  assert.deepEqual([...new Set(phases)], ['submitting', 'submitted', 'waiting', 'received', 'done']);
  assert.ok(o.timings.elapsedMs >= 0 && o.timings.submittedAt <= o.timings.receivedAt);
});

test('FAILED is an outcome with the failure message', async () => {
  s.options.failRate = 1;
  try {
    const o = await runRequest(req(), live());
    assert.equal(o.status, 'FAILED');
    assert.equal(o.failureMessage, 'Could not load data');
    assert.equal(o.response, undefined);
  } finally {
    s.options.failRate = 0;
  }
});

test('callback lost: SUCCESS but nothing arrives → callbackLost explaining the fix', async () => {
  s.options.callbackMode = 'none';
  try {
    const t = Date.now();
    const e = await runError(runRequest(req(), live()), 'callbackLost', /only reachable from this machine/);
    assert.equal(e.remedy, 'publicCallback');
    assert.doesNotMatch(e.message, /--[a-z]/, 'the engine names no CLI flag');
    assert.match(cliRemedy(e.remedy), /--callback-url[\s\S]*mq relay/);
    assert.ok(Date.now() - t < 4000);
  } finally {
    s.options.callbackMode = 'once';
  }
});

test('malformed callback is refused and reported', async () => {
  s.options.callbackMode = 'malformed';
  try {
    await runError(runRequest(req(), live()), 'callbackLost', /refused: a POST arrived whose body is not valid JSON/);
    assert.equal(s.callbacks.at(-1)!.status, 400);
  } finally {
    s.options.callbackMode = 'once';
  }
});

test('duplicate callback: the first is used, the second is refused (409 while running, gone after)', async () => {
  s.options.callbackMode = 'duplicate';
  try {
    const o = await runRequest(req(), live());
    assert.equal(o.status, 'SUCCESS');
    await new Promise((r) => setTimeout(r, 100));
    const mine = s.callbacks.filter((c) => c.requestId === o.requestId);
    assert.equal(mine.length, 2);
    assert.equal(mine[0]!.status, 200);
    assert.notEqual(mine[1]!.status, 200);
    assert.ok(mine[1]!.status === 409 || mine[1]!.status === 404 || mine[1]!.error !== undefined);
  } finally {
    s.options.callbackMode = 'once';
  }
});

test('callback to a wrong path gets 404 and the run reports the loss', async () => {
  s.options.callbackMode = 'wrongPath';
  try {
    const e = await runError(runRequest(req(), live()), 'callbackLost');
    assert.equal(s.callbacks.at(-1)!.status, 404);
    assert.ok(e.details.requestId);
  } finally {
    s.options.callbackMode = 'once';
  }
});

test('a status that carries the result completes the run without a callback', async () => {
  s.options.callbackMode = 'none';
  s.options.statusCarriesResult = true;
  try {
    const o = await runRequest(req(), live());
    assert.equal(o.status, 'SUCCESS');
    assert.ok(o.response!.rows.length > 0);
  } finally {
    s.options.callbackMode = 'once';
    s.options.statusCarriesResult = false;
  }
});

test('still IN_PROGRESS at the deadline → timeout', async () => {
  s.options.latencyMs = 10_000;
  try {
    const t = Date.now();
    await runError(runRequest(req(), live({ timeoutMs: 500 })), 'timeout', /still IN_PROGRESS after 500 ms/);
    assert.ok(Date.now() - t < 3000);
  } finally {
    s.options.latencyMs = 30;
  }
});

test('a slow API never makes the run exceed its timeout', async () => {
  s.options.responseDelayMs = 3000;
  try {
    const t = Date.now();
    await runError(runRequest(req(), live({ timeoutMs: 400 })), 'timeout');
    assert.ok(Date.now() - t < 2500);
  } finally {
    s.options.responseDelayMs = 0;
  }
});

test('cancellation through the signal', async () => {
  s.options.latencyMs = 10_000;
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 150);
  try {
    await runError(runRequest(req(), live({ signal: ac.signal })), 'cancelled');
  } finally {
    s.options.latencyMs = 30;
  }
});

test('500 then success, and 429 then success, during a run', async () => {
  s.faults.push({ route: 'submit', status: 500 }, { route: 'status', status: 429, retryAfter: '0' });
  const retries: string[] = [];
  const o = await runRequest(req(), live({ onProgress: (_p, i) => i?.retry && retries.push(i.retry.reason) }));
  assert.equal(o.status, 'SUCCESS');
  assert.ok(retries.includes('HTTP 500'));
});

test('401 from the API fails the run with an auth error and no key', async () => {
  await runError(runRequest(req(), live({ apiKey: 'not-the-key-42424242' })), 'auth', /Check the API key/);
});

test('base URL without key is refused up front', async () => {
  await runError(runRequest(req(), { baseUrl: s.url }), 'auth', /without an API key/);
});

test('a loopback callback URL is warned about only when the API is not on this machine', async () => {
  const warnings: string[] = [];
  await runRequest(req(), live({ onProgress: (_p, i) => i?.warning && warnings.push(i.warning) }));
  assert.equal(warnings.length, 0, 'a local stand-in can reach a loopback callback');
  assert.match(callbackWarning('https://xyz.api.infobip.com', 'http://127.0.0.1:4000/mq/callback/abc') ?? '', /on this machine only/);
  assert.equal(callbackWarning('https://xyz.api.infobip.com', 'https://tunnel.example/mq/callback/abc'), undefined);
});

test('public base URL mode: the callback URL uses the public base', async () => {
  // The public base here is the listener itself with an extra prefix, as a reverse proxy would forward it.
  const o: unknown = await runRequest(req(), live({ callback: { listenHost: '127.0.0.1', listenPort: 0, publicBaseUrl: 'http://127.0.0.1:1/prefix' } })).catch((e: unknown) => e);
  // Nothing listens on port 1: the stand-in cannot deliver and the run says the URL is unreachable.
  assert.ok(o instanceof RunError && o.kind === 'callbackLost' && /127\.0\.0\.1:1\/prefix is/.test(o.message), String(o));
});

test('sample mode: no credentials → embedded stand-in, source sample, int64 cells exact', async () => {
  const o = await runRequest(req({ aggregateBy: ['COMMUNICATION'], filter: { channelCodes: ['SMS'] } }), { now: () => NOW });
  assert.equal(o.source, 'sample');
  assert.equal(o.status, 'SUCCESS');
  const col = o.response!.columns.findIndex((c) => c.columnName === 'COMMUNICATION');
  const big = o.response!.rows.map((r) => r[col]).find((c) => c instanceof RawInteger) as RawInteger;
  assert.ok(big, 'a large communication id is present');
  assert.ok(stringifyJson(o.response).includes(big.digits));
  assert.equal(big.digits.length, 19);
});
