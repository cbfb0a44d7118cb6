// Fault injection against runRequest over real loopback HTTP, beyond what run-*.test.ts covers:
// DNS failure, TLS error, connections reset or left hanging, truncated and non-JSON bodies, 429 and 5xx
// storms whose Retry-After points past the deadline, plus a stand-in in every callback fault mode.
// Every run must end in a RunError of the right kind with an actionable message, within its configured
// timeout (plus a small margin), and leave no listening server or pending timer behind.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo, Socket } from 'node:net';
import { runRequest, RunError, type RunErrorKind, type RunOptions } from '../../server/src/run/engine.js';
import { startStandIn, type CallbackMode, type StandIn } from '../../server/src/run/standin/server.js';
import { METRICS_API_PATHS } from '../../server/src/core/compile/wire.js';
import { NOW, req } from './helpers.js';

const KEY = 'faults-key-6f1d0c0ffee5ecret';
const MARGIN_MS = 1500;

type Handler = (req: IncomingMessage, res: ServerResponse, socket: Socket) => void;

/** A tiny raw HTTP server whose behaviour the test sets per run. */
class RawServer {
  server!: Server;
  url = '';
  handler: Handler = (_q, res) => res.end();
  hits = 0;
  private sockets = new Set<Socket>();
  async start(): Promise<void> {
    this.server = createServer((q, res) => {
      this.hits++;
      // Read the body first, like a real server, then misbehave.
      q.resume();
      q.on('end', () => this.handler(q, res, q.socket));
    });
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

const raw = new RawServer();
let stand: StandIn;

before(async () => {
  await raw.start();
  stand = await startStandIn({ apiKey: KEY, latencyMs: 30, now: () => NOW });
});
after(async () => {
  await raw.close();
  await stand.close();
});

/** Counts of the process's active resources by type (TCPServerWrap = a listening server). */
function resources(): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of process.getActiveResourcesInfo()) m.set(r, (m.get(r) ?? 0) + 1);
  return m;
}

/**
 * Runs `p` (a runRequest with timeoutMs = `timeoutMs`) and checks: it rejects with a RunError of `kind`
 * whose message matches `re` and never holds the key, within the timeout plus a margin; afterwards no new
 * listening server remains and the timers settle back to what was there before.
 */
async function expectFault(kind: RunErrorKind | RunErrorKind[], re: RegExp, timeoutMs: number, run: () => Promise<unknown>): Promise<RunError> {
  const before = resources();
  const t0 = performance.now();
  let err: unknown;
  try {
    await run();
  } catch (e) {
    err = e;
  }
  const elapsed = performance.now() - t0;
  assert.ok(err instanceof RunError, `expected a RunError, got ${err === undefined ? 'success' : String(err)}`);
  const kinds = Array.isArray(kind) ? kind : [kind];
  assert.ok(kinds.includes(err.kind), `kind ${err.kind} (expected ${kinds.join('/')}): ${err.message}`);
  assert.match(err.message, re);
  assert.ok(!err.message.includes(KEY), `the key leaked into: ${err.message}`);
  assert.ok(err.message.length > 20 && err.message.length < 2000, `message length ${err.message.length}: ${err.message}`);
  if (process.env.MQ_SHOW_FAULTS) console.log(`[${err.kind} ${elapsed.toFixed(0)}ms] ${err.message}`);
  assert.ok(elapsed < timeoutMs + MARGIN_MS, `took ${elapsed.toFixed(0)} ms with a ${timeoutMs} ms timeout`);
  // No orphaned listener: the callback receiver of the run is closed when runRequest settles. (libuv
  // releases a closed server's handle on the next loop turn, so allow a few turns before counting.)
  const settle = Date.now() + 500;
  while ((resources().get('TCPServerWrap') ?? 0) > (before.get('TCPServerWrap') ?? 0) && Date.now() < settle) await new Promise((r) => setTimeout(r, 5));
  const afterRun = resources();
  assert.ok((afterRun.get('TCPServerWrap') ?? 0) <= (before.get('TCPServerWrap') ?? 0), `listening servers ${before.get('TCPServerWrap')} → ${afterRun.get('TCPServerWrap')}`);
  // Timers of the run (polling, retry waits, deadline) are cleared. The in-process stand-in may still have
  // its own (job latency, a late duplicate callback), so give those a few seconds to fire before counting.
  const deadline = Date.now() + 3000;
  while ((resources().get('Timeout') ?? 0) > (before.get('Timeout') ?? 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.ok((resources().get('Timeout') ?? 0) <= (before.get('Timeout') ?? 0), `timers ${before.get('Timeout')} → ${resources().get('Timeout')}`);
  return err;
}

const live = (baseUrl: string, over: Partial<RunOptions> = {}): RunOptions => ({
  baseUrl,
  apiKey: KEY,
  pollIntervalMs: 40,
  callbackGraceMs: 300,
  timeoutMs: 3000,
  requestTimeoutMs: 1000,
  retry: { retryBaseMs: 20, maxServerRetries: 2, maxThrottleRetries: 3 },
  ...over,
});

test('connection refused: a network error that names the address', async () => {
  const dead = createServer();
  await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
  const port = (dead.address() as AddressInfo).port;
  await new Promise<void>((r) => dead.close(() => r()));
  await expectFault('network', new RegExp(`127\\.0\\.0\\.1:${port}[\\s\\S]*refused[\\s\\S]*Check the base URL`), 3000, () => runRequest(req(), live(`http://127.0.0.1:${port}`)));
});

test('DNS failure (.invalid host): a network error that names the host', async () => {
  await expectFault('network', /no-such-host\.invalid[\s\S]*(host not found|resolve|DNS)[\s\S]*Check the base URL/i, 3000, () => runRequest(req(), live('https://no-such-host.invalid')));
});

test('TLS error (https to a plain-HTTP port): a network error, not a hang', async () => {
  const url = raw.url.replace('http:', 'https:');
  raw.handler = (_q, res) => res.end('{}');
  const e = await expectFault('network', /Could not reach[\s\S]*TLS handshake failed[\s\S]*use http:\/\/[\s\S]*Check the base URL/i, 3000, () => runRequest(req(), live(url)));
  assert.doesNotMatch(e.message, /openssl|deps\/|:error:/i, 'OpenSSL internals in the message');
});

test('an untrusted (self-signed) TLS certificate: says so, and how to trust a proxy CA', async () => {
  const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'tls');
  const tls = createHttpsServer({ key: readFileSync(join(dir, 'self-signed-key.pem')), cert: readFileSync(join(dir, 'self-signed-cert.pem')) }, (_q, res) => res.end('{}'));
  await new Promise<void>((r) => tls.listen(0, '127.0.0.1', r));
  try {
    const port = (tls.address() as AddressInfo).port;
    const e = await expectFault('network', /Could not reach[\s\S]*certificate is not trusted \(DEPTH_ZERO_SELF_SIGNED_CERT\)[\s\S]*NODE_EXTRA_CA_CERTS/, 3000, () => runRequest(req(), live(`https://127.0.0.1:${port}`)));
    assert.doesNotMatch(e.message, /openssl|deps\//i);
  } finally {
    tls.closeAllConnections();
    await new Promise<void>((r) => tls.close(() => r()));
  }
});

test('connection reset before any answer: network error after bounded retries', async () => {
  raw.handler = (_q, _res, socket) => socket.destroy();
  await expectFault(['network', 'server'], /Could not reach[\s\S]*(closed|reset)[\s\S]*Check the base URL/, 3000, () => runRequest(req(), live(raw.url)));
});

test('a server that accepts and never answers: bounded by the request timeout', async () => {
  raw.handler = () => undefined; // never respond
  await expectFault('timeout', /no answer within 500 ms[\s\S]*Check the base URL/, 3000, () => runRequest(req(), live(raw.url, { requestTimeoutMs: 500 })));
});

test('a body that trickles in a byte at a time: the run still ends within its timeout', async () => {
  // Timeouts that only cover the response headers would hang here forever.
  const drips = new Set<NodeJS.Timeout>();
  raw.handler = (_q, res, socket) => {
    res.writeHead(201, { 'Content-Type': 'application/json' });
    res.write('{');
    const t = setInterval(() => {
      if (socket.destroyed) {
        clearInterval(t);
        drips.delete(t);
        return;
      }
      res.write(' ');
    }, 100);
    drips.add(t);
    socket.on('close', () => {
      clearInterval(t);
      drips.delete(t);
    });
  };
  try {
    await expectFault('timeout', /started to answer \(HTTP 201\), but the rest of the answer did not arrive within 800 ms/, 3000, () => runRequest(req(), live(raw.url, { requestTimeoutMs: 800, timeoutMs: 3000 })));
  } finally {
    for (const t of drips) clearInterval(t);
  }
});

test('truncated submit body (Content-Length promises more, then the socket closes)', async () => {
  raw.handler = (_q, res, socket) => {
    res.writeHead(201, { 'Content-Type': 'application/json', 'Content-Length': '200' });
    res.write('{"requestId":"abc');
    setTimeout(() => socket.destroy(), 10);
  };
  await expectFault('network', /started to answer \(HTTP 201\), but the connection closed before the answer was complete/, 3000, () => runRequest(req(), live(raw.url)));
});

test('a 503 whose body breaks off is still retried as a 503, then reported as a server error', async () => {
  raw.hits = 0;
  raw.handler = (_q, res, socket) => {
    res.writeHead(503, { 'Content-Type': 'text/html', 'Content-Length': '500' });
    res.write('<html>Service Unav');
    setTimeout(() => socket.destroy(), 10);
  };
  await expectFault('server', /failed with HTTP 503 after 2 retries/, 3000, () => runRequest(req(), live(raw.url)));
  assert.equal(raw.hits, 3, 'the first try and two retries');
});

test('truncated JSON with a correct length: a clear error, not a JSON stack', async () => {
  raw.handler = (_q, res) => {
    res.writeHead(201, { 'Content-Type': 'application/json' });
    res.end('{"requestId":"abc');
  };
  const e = await expectFault('server', /HTTP 201 with a body that is not valid JSON \(17 characters of truncated or broken JSON\)[\s\S]*base URL/, 3000, () => runRequest(req(), live(raw.url)));
  assert.doesNotMatch(e.message, /at JSON\.parse|Unexpected end of JSON input$/);
});

test('an HTML error page from a proxy (502): a server error that says what came back', async () => {
  raw.handler = (_q, res) => {
    res.writeHead(502, { 'Content-Type': 'text/html' });
    res.end('<html><body><h1>502 Bad Gateway</h1><script>alert(1)</script></body></html>');
  };
  const e = await expectFault('server', /502|gateway|server/i, 3000, () => runRequest(req(), live(raw.url)));
  assert.doesNotMatch(e.message, /<script>/, 'markup from the response is echoed into the error');
});

test('submit accepted, then the status endpoint answers truncated bodies', async () => {
  raw.handler = (q, res) => {
    if (q.method === 'POST' && q.url === METRICS_API_PATHS.query) {
      res.writeHead(201, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ requestId: 'r-1' }));
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"requestId":"r-1","sta');
  };
  await expectFault('server', /HTTP 200 with a body that is not valid JSON/, 3000, () => runRequest(req(), live(raw.url)));
});

test('429 storm whose Retry-After is past the deadline: throttled or timeout within the timeout', async () => {
  raw.handler = (_q, res) => {
    res.writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': '3600' });
    res.end(JSON.stringify({ errorCode: 'TOO_MANY_REQUESTS', description: 'Too many requests', action: '', violations: [], resources: [] }));
  };
  const hits = raw.hits;
  await expectFault(['throttled', 'timeout'], /429|too many|throttl|did not accept the query within 2 s/i, 2000, () => runRequest(req(), live(raw.url, { timeoutMs: 2000 })));
  assert.ok(raw.hits - hits <= 5, `a 429 storm was answered with ${raw.hits - hits} requests`);
});

test('503 storm: bounded retries, then a server error naming the status', async () => {
  raw.handler = (_q, res) => {
    res.writeHead(503, { 'Content-Type': 'application/json', 'Retry-After': '0' });
    res.end('{}');
  };
  const hits = raw.hits;
  await expectFault('server', /503|unavailable|server/i, 3000, () => runRequest(req(), live(raw.url)));
  assert.ok(raw.hits - hits <= 4, `${raw.hits - hits} attempts for a persistent 503`);
});

test('the stand-in in every callback fault mode: a clear end and no listener left behind', async () => {
  const modes: { mode: CallbackMode; kind: RunErrorKind[] }[] = [
    { mode: 'none', kind: ['callbackLost'] },
    { mode: 'malformed', kind: ['callbackLost'] },
    { mode: 'wrongPath', kind: ['callbackLost'] },
  ];
  for (const { mode, kind } of modes) {
    stand.options.callbackMode = mode;
    try {
      await expectFault(kind, /callback|relay|reach/i, 3000, () => runRequest(req(), live(stand.url)));
    } finally {
      stand.options.callbackMode = 'once';
    }
  }
  // Duplicate delivery and FAILED jobs are outcomes, not errors; they too leave nothing behind.
  for (const setup of [() => (stand.options.callbackMode = 'duplicate'), () => (stand.options.failRate = 1)]) {
    setup();
    const before = resources().get('TCPServerWrap') ?? 0;
    try {
      const o = await runRequest(req(), live(stand.url));
      assert.ok(o.status === 'SUCCESS' || (o.status === 'FAILED' && !!o.failureMessage));
    } finally {
      stand.options.callbackMode = 'once';
      stand.options.failRate = 0;
    }
    const settle = Date.now() + 500;
    while ((resources().get('TCPServerWrap') ?? 0) > before && Date.now() < settle) await new Promise((r) => setTimeout(r, 5));
    assert.ok((resources().get('TCPServerWrap') ?? 0) <= before, 'a callback listener outlived its run');
  }
});

test('the fault checker itself fails on a leaked listener', async () => {
  // expectFault must be able to fail: a "run" that leaves a server listening is caught.
  const leak = createServer();
  try {
    await assert.rejects(
      expectFault('network', /x/, 1000, async () => {
        await new Promise<void>((r) => leak.listen(0, '127.0.0.1', r));
        throw new RunError('network', 'x'.repeat(30));
      }),
      /listening servers/,
    );
  } finally {
    if (leak.listening) await new Promise<void>((r) => leak.close(() => r()));
  }
});
