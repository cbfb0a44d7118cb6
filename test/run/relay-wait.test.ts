// The run engine in relay mode, client side: how it waits, retries and reports. The relay here is a small
// loopback HTTP server that takes the stand-in's callback, behind a scripted RelayClient (the relay
// server itself has its own tests); the engine reaches it only through the RelayClient interface.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runRequest, RunError, type RunOptions } from '../../server/src/run/engine.js';
import type { RelayClient, RelayFetch } from '../../server/src/run/relayWait.js';
import { startStandIn, type StandIn } from '../../server/src/run/standin/server.js';
import { cliRemedy } from '../../server/src/cli/remedies.js';
import { KEY, NOW, req } from './helpers.js';

/** Holds callback bodies by request id; `script` decides what each fetch answers before the store is read. */
class FakeRelay {
  server!: Server;
  url = '';
  bodies = new Map<string, string>();
  fetches = 0;
  acks: string[] = [];
  script: (n: number) => RelayFetch | undefined = () => undefined;
  async start(): Promise<void> {
    this.server = createServer((q, res) => {
      const chunks: Buffer[] = [];
      q.on('data', (c: Buffer) => chunks.push(c));
      q.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const id = /"requestId"\s*:\s*"([^"]+)"/.exec(text)?.[1];
        if (id) this.bodies.set(id, text);
        res.writeHead(200).end('{}');
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  client(): RelayClient {
    return {
      baseUrl: this.url,
      callbackUrl: `${this.url}/cb/token-id/random-part`,
      fetch: async (requestId) => {
        const scripted = this.script(++this.fetches);
        if (scripted) return scripted;
        const body = this.bodies.get(requestId);
        return body ? { kind: 'ready', bodyText: body } : { kind: 'pending' };
      },
      ack: async (requestId) => void this.acks.push(requestId),
      list: async () => [],
    };
  }
}

let s: StandIn;
let relay: FakeRelay;
before(async () => {
  s = await startStandIn({ apiKey: KEY, latencyMs: 30, now: () => NOW });
  relay = new FakeRelay();
  await relay.start();
});
after(async () => {
  await s.close();
  await new Promise<void>((r) => relay.server.close(() => r()));
});

const viaRelay = (over: Partial<RunOptions> = {}): RunOptions => ({
  baseUrl: s.url,
  apiKey: KEY,
  callback: { relay: { url: relay.url, token: 'relay-token-0123456789' } },
  openRelay: async () => relay.client(),
  pollIntervalMs: 50,
  callbackGraceMs: 400,
  timeoutMs: 6000,
  retry: { retryBaseMs: 20 },
  ...over,
});

test('relay mode sleeps between polls: a 1.5 s query costs a handful of status and relay requests, not hundreds', async () => {
  s.options.latencyMs = 1500;
  relay.fetches = 0;
  relay.script = () => undefined;
  const before = s.hits.status;
  try {
    const o = await runRequest(req(), viaRelay({ maxPollIntervalMs: 400 }));
    assert.equal(o.status, 'SUCCESS');
    const statusGets = s.hits.status - before;
    // 50 ms growing by half up to 400 ms: 6 polls in the first second, then one per 400 ms (about 8 for 1.5 s;
    // a loaded machine stretches the run, so the bound follows its length). The old loop made hundreds a second.
    const bound = 8 + Math.ceil(o.timings.elapsedMs / 400);
    assert.ok(statusGets <= bound, `${statusGets} status requests in ${o.timings.elapsedMs} ms`);
    assert.ok(relay.fetches <= bound, `${relay.fetches} relay fetches in ${o.timings.elapsedMs} ms`);
    assert.ok(relay.acks.includes(o.requestId), 'the result was acknowledged');
  } finally {
    s.options.latencyMs = 30;
  }
});

test('relay blips (unreachable, throttled) are retried until the result is there', async () => {
  relay.script = (n) => (n <= 4 ? { kind: 'unavailable', reason: n % 2 ? 'connection refused' : 'HTTP 429 too many requests', retryAfterMs: 50 } : undefined);
  relay.fetches = 0;
  const retries: string[] = [];
  const o = await runRequest(req(), viaRelay({ onProgress: (_p, i) => i?.retry && retries.push(i.retry.reason) }));
  assert.equal(o.status, 'SUCCESS');
  assert.ok(o.response!.rows.length > 0);
  assert.ok(retries.some((r) => /relay: HTTP 429/.test(r)), retries.join('; '));
});

test('a relay that keeps answering 429 is reported as throttling until the deadline, not as unreachable', async () => {
  relay.script = () => ({ kind: 'unavailable', reason: 'HTTP 429 too many requests', retryAfterMs: 100 });
  const t = Date.now();
  try {
    await runRequest(req(), viaRelay({ timeoutMs: 1500 }));
    assert.fail('expected a timeout');
  } catch (e) {
    assert.ok(e instanceof RunError, String(e));
    assert.equal(e.kind, 'timeout');
    assert.match(e.message, /HTTP 429/);
    assert.doesNotMatch(e.message, /reachable/);
    assert.equal(e.remedy, 'fetchLater');
    assert.match(cliRemedy(e.remedy, e.details.requestId), new RegExp(`mq fetch ${e.details.requestId}`));
    // Not cut short by the callback grace: the relay might still hold it.
    assert.ok(Date.now() - t >= 1400, 'it kept trying until the deadline');
  } finally {
    relay.script = () => undefined;
  }
});

test('a relay that answers but never gets the result: callbackLost that says so, with fetch-later as the remedy', async () => {
  s.options.callbackMode = 'none';
  try {
    await runRequest(req(), viaRelay());
    assert.fail('expected callbackLost');
  } catch (e) {
    assert.ok(e instanceof RunError, String(e));
    assert.equal(e.kind, 'callbackLost');
    assert.match(e.message, /relay answered every fetch/);
    assert.equal(e.remedy, 'fetchLater');
  } finally {
    s.options.callbackMode = 'once';
  }
});

test('the request id is handed to onSubmitted before the wait starts, and the run waits for it', async () => {
  const order: string[] = [];
  const o = await runRequest(req(), viaRelay({
    onSubmitted: async (id) => {
      await new Promise((r) => setTimeout(r, 100));
      order.push(`recorded ${id}`);
    },
    onProgress: (p) => p === 'submitted' && order.push('submitted'),
  }));
  assert.deepEqual(order, [`recorded ${o.requestId}`, 'submitted']);
});
