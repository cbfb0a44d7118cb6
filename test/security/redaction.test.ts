// The one redaction (server/src/run/redact.ts), used by every line the CLI prints and by the extension:
// secrets in their wire forms, parts of keys around control characters, echoed fragments, URL credentials.
// Then the CLI against hostile servers: whatever they echo, the key never reaches stdout or stderr.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MASK, redact, urlSecrets } from '../../server/src/run/redact.js';
import { redact as clientRedact } from '../../client/src/redact.js';
import { main } from '../../server/src/cli/main.js';
import type { CliIO } from '../../server/src/cli/io.js';

const KEY = 'k9Zq-81f0c3d2e4b5a697-XyWv';

test('the extension and the engine share one redaction with one mask', () => {
  assert.equal(clientRedact, redact);
  assert.equal(redact(`key ${KEY} here`, [KEY]), `key ${MASK} here`);
});

test('base64 and URL-encoded forms of a secret are masked', () => {
  const b64 = Buffer.from(KEY).toString('base64');
  assert.ok(!redact(`Basic ${b64}`, [KEY]).includes(b64));
  const odd = 'a/b+c=d&e f';
  assert.ok(!redact(`x=${encodeURIComponent(odd)}`, [odd]).includes(encodeURIComponent(odd)));
});

test('a key with CR/LF or other control characters: each part is masked on its own', () => {
  const key = 'first-part-1234\r\nsecond-part-5678\u0007third-part-9012';
  const out = redact('line one first-part-1234\nthen second-part-5678 and third-part-9012', [key]);
  for (const part of ['first-part-1234', 'second-part-5678', 'third-part-9012']) assert.ok(!out.includes(part), out);
});

test('an echo of 8 or more consecutive characters of a secret is masked; 7 are left alone', () => {
  const echo8 = KEY.slice(5, 13);
  const echo20 = KEY.slice(2, 22);
  assert.ok(!redact(`request ${echo8} submitted`, [KEY]).includes(echo8));
  assert.ok(!redact(`request ${echo20}`, [KEY]).includes(echo20));
  assert.equal(redact(`request ${KEY.slice(5, 12)}`, [KEY]), `request ${KEY.slice(5, 12)}`);
});

test('credentials in URLs are masked, known or not', () => {
  assert.equal(redact('http://user:s3cret-pass@host.example/x'), `http://${MASK}@host.example/x`);
  assert.equal(redact('retrying https://tok3n-only@relay.example'), `retrying https://${MASK}@relay.example`);
  assert.deepEqual(urlSecrets('http://user:p%40ss@h'), ['user', 'user', 'p%40ss', 'p@ss']);
});

// --- the CLI against hostile servers ---------------------------------------------------------------

const dir = mkdtempSync(join(tmpdir(), 'mq-redact-'));
writeFileSync(join(dir, 'q.mq'), 'SELECT TOTAL_TRAFFIC_COUNT BY DAY WHERE channelCode = SMS AND sentSince = now - 1d AND sentUntil = now;\n');

function io(env: Record<string, string> = {}) {
  let out = '';
  let err = '';
  const cli: CliIO = { stdout: (s) => void (out += s), stderr: (s) => void (err += s), env: { MQ_HOME: join(dir, 'state'), ...env }, cwd: dir };
  return { cli, text: () => out + err };
}

/** A server that accepts the query with `idOf(key)` as the request id, then answers 404 on the status. */
let echo: Server;
let echoUrl = '';
let idOf: (auth: string) => string = () => 'x';
before(async () => {
  echo = createServer((q, res) => {
    q.resume();
    q.on('end', () => {
      const key = (q.headers.authorization ?? '').replace(/^App /, '');
      res.setHeader('Content-Type', 'application/json');
      if (q.method === 'POST') return res.writeHead(200).end(JSON.stringify({ requestId: idOf(key) }));
      return res.writeHead(500).end(JSON.stringify({ errorCode: 'E500', description: `internal error for key ${key}` }));
    });
  });
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
  echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((r) => echo.close(() => r())));

const RUN = ['run', 'q.mq', '--timeout', '3', '--now', '2026-03-01T12:00:00Z'];

test('a server echoing the key (whole, or a 20-character prefix) as the request id: no output line holds it', async () => {
  for (const make of [(k: string) => k, (k: string) => k.slice(0, 20)]) {
    idOf = make;
    const x = io();
    await main([...RUN, '--base-url', echoUrl, '--api-key', KEY], x.cli);
    assert.match(x.text(), /submitted request/);
    for (let i = 0; i + 8 <= KEY.length; i++) assert.ok(!x.text().includes(KEY.slice(i, i + 8)), x.text());
  }
});

test('a key in the base URL\'s userinfo is never printed, also not in retry lines', async () => {
  idOf = () => 'REQ-1';
  const x = io();
  const base = echoUrl.replace('http://', `http://reporting:${KEY}@`);
  await main([...RUN, '--base-url', base, '--api-key', 'another-key-000000000'], x.cli);
  assert.match(x.text(), /retrying|HTTP 500/);
  assert.ok(!x.text().includes(KEY), x.text());
});

test('a key with a line break is never printed, not even its first line', async () => {
  idOf = () => 'REQ-2';
  const key = 'line-one-of-the-key-7777\r\nline-two-of-the-key-8888';
  const x = io({ INFOBIP_API_KEY: key, INFOBIP_BASE_URL: echoUrl });
  await main(RUN, x.cli);
  assert.ok(!x.text().includes('line-one-of-the-key') && !x.text().includes('line-two-of-the-key'), x.text());
});

test('a plain-http base URL that leaves this machine is accepted with a warning', async () => {
  const x = io();
  const code = await main([...RUN, '--timeout', '2', '--base-url', 'http://metrics.example.invalid', '--api-key', KEY], x.cli);
  assert.equal(code, 1);
  assert.match(x.text(), /warning: The base URL uses plain http:\/\/ to metrics\.example\.invalid/);
});
