// The relay end to end (stand-in → relay → mq) and its guards.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { startRelay, relayTokenId, RelayLink, type RelayServer } from '../../server/src/run/relay.js';
import { startStandIn, type StandIn } from '../../server/src/run/standin/server.js';
import { runRequest, RunError } from '../../server/src/run/engine.js';
import { KEY, NOW, req } from './helpers.js';

const T1 = 'relay-token-one-0123456789';
const T2 = 'relay-token-two-0123456789';
let relay: RelayServer;
let s: StandIn;
before(async () => {
  relay = await startRelay({ tokens: [T1, T2], maxBodyBytes: 200_000, ratePerSecond: 200 });
  s = await startStandIn({ apiKey: KEY, latencyMs: 30, now: () => NOW });
});
after(async () => {
  await s.close();
  await relay.close();
});

const result = (id: string) => JSON.stringify({ requestId: id, status: 'FAILED', failureMessage: 'x' });
const post = (path: string, body: string) => fetch(relay.url + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });

test('end to end: Infobip posts to the relay, mq fetches it with the token', async () => {
  const o = await runRequest(req(), { baseUrl: s.url, apiKey: KEY, pollIntervalMs: 40, callbackGraceMs: 2000, timeoutMs: 8000, callback: { relay: { url: relay.url, token: T1 } } });
  assert.equal(o.status, 'SUCCESS');
  assert.ok(o.response!.rows.length > 0);
  assert.ok(o.request.callbackUrl.startsWith(`${relay.url}/cb/${relayTokenId(T1)}/`));
  assert.ok(!o.request.callbackUrl.includes(T1), 'the token itself is not in the callback URL');
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(relay.size(), 0, 'fetched results are deleted');
});

test('one token never reads another token\'s result; no token → 401', async () => {
  const link1 = new RelayLink(relay.url, T1);
  const link2 = new RelayLink(relay.url, T2);
  assert.equal((await post(new URL(link1.callbackUrl).pathname, result('R1'))).status, 200);
  assert.equal(await link2.fetch('R1'), undefined);
  assert.equal((await fetch(`${relay.url}/results/R1`)).status, 401);
  assert.equal((await fetch(`${relay.url}/results/R1`, { headers: { Authorization: 'Bearer wrong-token-0123456789' } })).status, 401);
  assert.equal((await link1.fetch('R1'))?.requestId, 'R1');
  assert.ok(link2.callbackUrl !== link1.callbackUrl);
});

test('callbacks for unknown token ids → 404; duplicates → 409; big bodies → 413; junk → 400', async () => {
  assert.equal((await post(`/cb/${'0'.repeat(32)}/abcdefghijklmnopqr`, result('R2'))).status, 404);
  const path = `/cb/${relayTokenId(T1)}/abcdefghijklmnopqr`;
  assert.equal((await post(path, result('R2'))).status, 200);
  assert.equal((await post(path, result('R2'))).status, 409);
  assert.equal((await post(path, '{oops')).status, 400);
  const big = await post(path, JSON.stringify({ requestId: 'R3', status: 'FAILED', failureMessage: 'y'.repeat(300_000) })).catch(() => undefined);
  assert.ok(!big || big.status === 413);
});

test('short tokens are refused on both sides', async () => {
  await assert.rejects(startRelay({ tokens: ['short'] }), /at least 16/);
  assert.throws(() => new RelayLink(relay.url, 'short'), (e: unknown) => e instanceof RunError && e.kind === 'invalidRequest');
});

test('rate limiting answers 429', async () => {
  const r2 = await startRelay({ tokens: [T1], ratePerSecond: 2 });
  try {
    const codes: number[] = [];
    for (let i = 0; i < 12; i++) codes.push((await fetch(`${r2.url}/health`)).status);
    assert.ok(codes.includes(429), codes.join(','));
  } finally {
    await r2.close();
  }
});

test('results expire after the TTL', async () => {
  const r2 = await startRelay({ tokens: [T1], ttlMs: 50 });
  try {
    const link = new RelayLink(r2.url, T1);
    await fetch(link.callbackUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: result('R9') });
    await new Promise((r) => setTimeout(r, 120));
    assert.equal(await link.fetch('R9'), undefined);
  } finally {
    await r2.close();
  }
});
