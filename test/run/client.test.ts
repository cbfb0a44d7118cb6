// The Metrics API client against the stand-in over real loopback HTTP: every status and fault.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MetricsClient, describeNetworkError, parseErrorBody, parseRetryAfter } from '../../server/src/run/client.js';
import { RunError } from '../../server/src/run/errors.js';
import { startStandIn, type StandIn } from '../../server/src/run/standin/server.js';
import { KEY, NOW, req } from './helpers.js';

let s: StandIn;
before(async () => {
  s = await startStandIn({ apiKey: KEY, scopelessKeys: ['scopeless-key-123456'], latencyMs: 20, now: () => NOW, callbackMode: 'none' });
});
after(() => s.close());

const client = (over: Partial<ConstructorParameters<typeof MetricsClient>[0]> = {}) =>
  new MetricsClient({ baseUrl: s.url, apiKey: KEY, retryBaseMs: 20, requestTimeoutMs: 2000, ...over });
const body = () => ({ callbackUrl: 'http://127.0.0.1:9/cb', request: req() });

async function waitForStatus(c: MetricsClient, id: string) {
  for (let i = 0; i < 100; i++) {
    const st = await c.status(id);
    if (st.status !== 'IN_PROGRESS') {
      assert.equal(st.status, 'SUCCESS');
      return st;
    }
    await new Promise((r) => setTimeout(r, 30));
  }
  assert.fail('the job never finished');
}

async function rejects(p: Promise<unknown>, kind: string, re?: RegExp): Promise<RunError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof RunError, `expected RunError, got ${String(e)}`);
    assert.equal(e.kind, kind, e.message);
    if (re) assert.match(e.message, re);
    assert.ok(!e.message.includes(KEY), 'the key must not appear in messages');
    return e;
  }
  assert.fail('expected a rejection');
}

test('201 submit returns a request id and status moves IN_PROGRESS → SUCCESS', async () => {
  const c = client();
  s.options.latencyMs = 400;
  const id = await c.submit(body()).finally(() => (s.options.latencyMs = 20));
  assert.match(id, /^[0-9A-F]{32}$/);
  assert.equal((await c.status(id)).status, 'IN_PROGRESS');
  await waitForStatus(c, id);
});

test('Basic, Bearer and IBSSO credentials are accepted', async () => {
  assert.ok(await client({ authScheme: 'Basic', apiKey: `user:${KEY}` }).submit(body()));
  assert.ok(await client({ authScheme: 'Bearer' }).submit(body()));
  assert.ok(await client({ authScheme: 'IBSSO' }).submit(body()));
});

test('400 lists the ApiError violations', async () => {
  const bad = { callbackUrl: 'http://127.0.0.1:9/cb', request: { ...req(), metrics: ['NOPE', 'NOPE'] } };
  const e = await rejects(client().submit(bad), 'invalidRequest', /request\.metrics\[0\]: unknown value "NOPE"/);
  assert.match(e.message, /unique items/);
  assert.equal(e.details.errorCode, 'E400');
});

test('401 says to check the key and never shows it', async () => {
  const wrong = 'wrong-key-987654321';
  const e = await rejects(client({ apiKey: wrong }).submit(body()), 'auth', /Check the API key/);
  assert.ok(!e.message.includes(wrong));
});

test('403 names the metrics:manage scope', async () => {
  await rejects(client({ apiKey: 'scopeless-key-123456' }).submit(body()), 'scope', /metrics:manage/);
});

test('404 on status says the request id is unknown', async () => {
  await rejects(client().status('FEDCBA9876543210FEDCBA9876543210'), 'notFound', /does not know request FEDCBA9876543210FEDCBA9876543210/);
});

test('404 on submit points at the base URL', async () => {
  await rejects(client({ baseUrl: `${s.url}/wrong` }).submit(body()), 'notFound', /Check the base URL/);
});

test('429 with Retry-After is retried after the advertised delay', async () => {
  s.faults.push({ route: 'submit', status: 429, retryAfter: '1' });
  const waits: number[] = [];
  const t = Date.now();
  const id = await client({ onRetry: (r) => waits.push(r.waitMs) }).submit(body());
  assert.ok(id);
  assert.deepEqual(waits, [1000]);
  assert.ok(Date.now() - t >= 950);
});

test('429 that persists becomes a throttled error', async () => {
  s.faults.push({ route: 'status', status: 429, retryAfter: '0', times: 10 });
  await rejects(client({ maxThrottleRetries: 2 }).status('X'), 'throttled', /HTTP 429/);
  s.faults.length = 0;
});

test('500 then success is retried transparently', async () => {
  s.faults.push({ route: 'submit', status: 500, times: 2 });
  assert.ok(await client().submit(body()));
});

test('500 that persists becomes a server error after bounded retries', async () => {
  s.faults.push({ route: 'submit', status: 503, times: 10 });
  const before = s.hits.submit;
  await rejects(client({ maxServerRetries: 2 }).submit(body()), 'server', /HTTP 503 after 2 retries/);
  assert.equal(s.hits.submit - before, 3);
  s.faults.length = 0;
});

test('a slow API hits the request timeout', async () => {
  s.options.responseDelayMs = 600;
  try {
    await rejects(client({ requestTimeoutMs: 150, maxServerRetries: 0 }).submit(body()), 'timeout', /no answer within/);
  } finally {
    s.options.responseDelayMs = 0;
  }
});

test('connection refused is a network error', async () => {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  await rejects(new MetricsClient({ baseUrl: `http://127.0.0.1:${port}`, apiKey: KEY, maxServerRetries: 1, retryBaseMs: 10 }).submit(body()), 'network', /connection refused/);
});

test('the legacy requestError.serviceException body is understood', async () => {
  s.faults.push({ route: 'submit', status: 401, body: JSON.stringify({ requestError: { serviceException: { messageId: 'UNAUTHORIZED', text: 'Invalid login details' } } }) });
  await rejects(client().submit(body()), 'auth', /UNAUTHORIZED Invalid login details/);
  const p = parseErrorBody({ requestError: { serviceException: { messageId: 'BAD_REQUEST', text: 'x', validationErrors: { 'request.metrics': ['bad'] } } } });
  assert.deepEqual(p.violations, [{ property: 'request.metrics', violation: 'bad' }]);
});

test('an error body echoing the key is redacted', async () => {
  s.faults.push({ route: 'submit', status: 401, body: JSON.stringify({ errorCode: 'E401', description: `key ${KEY} rejected`, action: '', violations: [], resources: [] }) });
  const e = await rejects(client().submit(body()), 'auth');
  assert.match(e.message, /key •••••• rejected/);
});

test('a status answer carrying the result is used (forward compatible)', async () => {
  s.options.statusCarriesResult = true;
  try {
    const c = client();
    const id = await c.submit(body());
    const st = await waitForStatus(c, id);
    assert.equal(st.status, 'SUCCESS');
    assert.ok(st.response && st.response.rows.length > 0);
  } finally {
    s.options.statusCarriesResult = false;
  }
});

test('Retry-After accepts seconds and HTTP dates', () => {
  assert.equal(parseRetryAfter('2'), 2000);
  assert.equal(parseRetryAfter(null), undefined);
  const d = parseRetryAfter(new Date(Date.now() + 3000).toUTCString());
  assert.ok(d !== undefined && d > 1000 && d <= 3000);
});

test('cancellation aborts a retry wait', async () => {
  s.faults.push({ route: 'submit', status: 429, retryAfter: '5' });
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 100);
  const t = Date.now();
  await rejects(client({ signal: ac.signal }).submit(body()), 'cancelled');
  assert.ok(Date.now() - t < 2000);
  s.faults.length = 0;
});

test('network errors are described in words, without OpenSSL source locations', () => {
  const wrap = (code: string | undefined, message: string): Error => {
    const cause = Object.assign(new Error(message), code ? { code } : {});
    return new TypeError('fetch failed', { cause });
  };
  assert.equal(describeNetworkError(wrap('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1')), 'connection refused');
  assert.equal(describeNetworkError(wrap('ENOTFOUND', 'getaddrinfo ENOTFOUND x.invalid')), 'host not found');
  assert.match(describeNetworkError(wrap('CERT_HAS_EXPIRED', 'certificate has expired')), /certificate has expired/);
  assert.match(describeNetworkError(wrap('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames")), /for another host name/);
  assert.match(describeNetworkError(wrap('SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain')), /not trusted \(SELF_SIGNED_CERT_IN_CHAIN\)[\s\S]*NODE_EXTRA_CA_CERTS/);
  // An OpenSSL error the table does not know: its reason only.
  const alert = describeNetworkError(wrap('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', 'C0BC9F1B:error:0A000410:SSL routines:ssl3_read_bytes:sslv3 alert handshake failure:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:908:SSL alert number 40\n'));
  assert.equal(alert, 'TLS error ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE: sslv3 alert handshake failure');
  assert.equal(describeNetworkError(wrap('EWHATEVER', 'line one\nline two')), 'EWHATEVER: line one');
  assert.equal(describeNetworkError(new Error('plain failure')), 'plain failure');
  assert.equal(describeNetworkError('not an error'), 'not an error');
});
