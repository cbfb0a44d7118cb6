// `mq run`, `mq stand-in` and `mq relay` called as functions, with real HTTP underneath.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { runCli, standInCli } from '../../server/src/cli/run.js';
import { relayCli } from '../../server/src/cli/relay.js';
import type { CliIO } from '../../server/src/cli/io.js';
import { startStandIn, type StandIn } from '../../server/src/run/standin/server.js';
import { KEY } from '../run/helpers.js';
import { mq } from '../helpers/mq.js';

const dir = mkdtempSync(join(tmpdir(), 'mq-run-cli-'));
writeFileSync(
  join(dir, 'q.mq'),
  `SELECT TOTAL_TRAFFIC_COUNT, TRAFFIC_DELIVERY_RATE BY DAY
WHERE channelCode IN (SMS, EMAIL) AND sentSince = now - 3d AND sentUntil = now
ORDER BY TOTAL_TRAFFIC_COUNT DESC LIMIT 4;

SELECT TOTAL_BOUNCE_COUNT BY COMMUNICATION WHERE channelCode IN (SMS, EMAIL) AND sentSince = now - 7d AND sentUntil = now;

SELECT NOT_A_METRIC WHERE channelCode = SMS AND sentSince = now - 1d AND sentUntil = now;
`,
);
const NOW_ARG = ['--now', '2026-03-01T12:00:00Z'];

function io(env: Record<string, string | undefined> = {}, signal?: AbortSignal) {
  const out: string[] = [];
  const err: string[] = [];
  const cli: CliIO = { stdout: (s) => out.push(s), stderr: (s) => err.push(s), env, cwd: dir, ...(signal ? { signal } : {}) };
  return { cli, out: () => out.join(''), err: () => err.join('') };
}

let s: StandIn;
before(async () => {
  s = await startStandIn({ apiKey: KEY, latencyMs: 20 });
});
after(() => s.close());

test('table on sample data: says so on stderr, ORDER BY and LIMIT applied', async () => {
  const x = io();
  assert.equal(await runCli(['q.mq', ...NOW_ARG], x.cli, mq), 0);
  assert.match(x.err(), /sample data/);
  const lines = x.out().trimEnd().split('\n');
  assert.match(lines[0]!, /^CHANNEL_CODE\s+DAY\s+TOTAL_TRAFFIC_COUNT\s+TRAFFIC_DELIVERY_RATE$/);
  assert.equal(lines.length, 2 + 4);
  const totals = lines.slice(2).map((l) => Number(l.trim().split(/\s+/)[2]));
  assert.deepEqual(totals, [...totals].sort((a, b) => b - a));
});

test('csv and json formats; json keeps int64 communication ids', async () => {
  const c = io();
  assert.equal(await runCli(['q.mq', '--format', 'csv', ...NOW_ARG], c.cli, mq), 0);
  assert.match(c.out(), /^CHANNEL_CODE,DAY,TOTAL_TRAFFIC_COUNT,TRAFFIC_DELIVERY_RATE\r\n/);
  const j = io();
  assert.equal(await runCli(['q.mq', '--query', '2', '--format', 'json', ...NOW_ARG], j.cli, mq), 0);
  assert.ok(j.out().includes('9223372036854775807'));
  const parsed = JSON.parse(j.out());
  assert.equal(parsed.source, 'sample');
  assert.equal(parsed.status, 'SUCCESS');
  assert.ok(parsed.response.rows.some((r: unknown[]) => r[0] === 'SMS' && r[2] === 'N/A'));
});

test('against a stand-in with a key (live path): same kind of result, key never printed', async () => {
  const x = io({ INFOBIP_BASE_URL: s.url, INFOBIP_API_KEY: KEY });
  assert.equal(await runCli(['q.mq', '--format', 'json', ...NOW_ARG], x.cli, mq), 0);
  assert.equal(JSON.parse(x.out()).source, 'live');
  assert.doesNotMatch(x.err(), /warning/);
  assert.ok(!x.err().includes(KEY) && !x.out().includes(KEY));
});

test('wrong key: exit 1 with an auth message and no key', async () => {
  const bad = 'a-wrong-key-5555555555';
  const x = io();
  assert.equal(await runCli(['q.mq', '--base-url', s.url, '--api-key', bad, ...NOW_ARG], x.cli, mq), 1);
  assert.match(x.err(), /error \(auth\).*Check the API key/);
  assert.ok(!x.err().includes(bad));
});

test('a query with error diagnostics is not run: exit 1', async () => {
  const x = io();
  assert.equal(await runCli(['q.mq', '--query', '3', ...NOW_ARG], x.cli, mq), 1);
  assert.match(x.err(), /q\.mq:7:8 error unknown-metric /);
  assert.match(x.err(), /was not run/);
  assert.equal(x.out(), '');
});

test('--all runs every query in file order; one with errors is reported and the others still run', async () => {
  const t = io();
  assert.equal(await runCli(['q.mq', '--all', ...NOW_ARG], t.cli, mq), 1, 'exit 1: query 3 has errors');
  const out = t.out();
  const heads = [...out.matchAll(/^-- query (\d) \(line (\d+)\)$/gm)].map((m) => `${m[1]}@${m[2]}`);
  assert.deepEqual(heads, ['1@1', '2@5', '3@7']);
  assert.match(out, /-- query 1[^]*TOTAL_TRAFFIC_COUNT[^]*-- query 2[^]*TOTAL_BOUNCE_COUNT[^]*-- query 3 \(line 7\)\n\(not run: the query has errors\)\n$/);
  assert.match(t.err(), /q\.mq:7:8 error unknown-metric /);
  assert.match(t.err(), /ran 3 queries: 2 succeeded, 1 did not/);
  assert.doesNotMatch(t.err(), /running query 1/);

  const j = io();
  assert.equal(await runCli(['q.mq', '--all', '--format', 'json', ...NOW_ARG], j.cli, mq), 1);
  const list = JSON.parse(j.out()) as { query: number; line: number; status: string; source?: string; response?: { rows: unknown[] }; errors?: string[] }[];
  assert.deepEqual(list.map((r) => [r.query, r.line, r.status]), [[1, 1, 'SUCCESS'], [2, 5, 'SUCCESS'], [3, 7, 'NOT_RUN']]);
  assert.equal(list[0]!.response!.rows.length, 4, 'LIMIT 4 applied per query');
  assert.equal(list[1]!.source, 'sample');
  assert.match(list[2]!.errors!.join('\n'), /\[unknown-metric\][^]*NOT_A_METRIC/);
});

test('--all stops at an API error (it would fail every query) and says how far it got', async () => {
  const x = io();
  assert.equal(await runCli(['q.mq', '--all', '--format', 'json', '--base-url', s.url, '--api-key', 'a-wrong-key-5555555555', ...NOW_ARG], x.cli, mq), 1);
  assert.match(x.err(), /error \(auth\)/);
  assert.match(x.err(), /stopped at query 1 of 3; the rest were not run/);
  assert.deepEqual(JSON.parse(x.out()), [], 'what ran before the error is still printed (nothing here)');
});

test('files are read as check and compile read them: missing, directory, binary, not UTF-8, BOM (exit 2 / right columns)', async () => {
  writeFileSync(join(dir, 'bin.mq'), Buffer.from([0xff, 0xfe, 0x00, 0x53]));
  writeFileSync(join(dir, 'latin1.mq'), Buffer.from('SELECT caf\xe9', 'latin1'));
  writeFileSync(join(dir, 'bom.mq'), '\ufeffSELECT DELIVERD_TRAFFIC_COUNT WHERE channelCode = SMS AND sentSince = now - 1d AND sentUntil = now;\n');
  writeFileSync(join(dir, 'none.mq'), '-- only a comment\n');
  const cases: [string, number, RegExp][] = [
    ['missing.mq', 2, /^mq run: missing\.mq: no such file\n$/],
    ['.', 2, /is a directory/],
    ['bin.mq', 2, /looks like a binary file/],
    ['latin1.mq', 2, /not valid UTF-8/],
    ['none.mq', 1, /^mq run: none\.mq has no query \(a query starts with SELECT\)\.\n$/],
    ['bom.mq', 1, /bom\.mq:1:8 error unknown-metric /],
  ];
  for (const [file, code, re] of cases) {
    const x = io();
    assert.equal(await runCli([file, ...NOW_ARG], x.cli, mq), code, file);
    assert.match(x.err().replace(/^mq: no INFOBIP[^\n]*\n/, ''), re, file);
  }
});

test('--now without an offset is UTC (as in compile), impossible dates are refused', async () => {
  writeFileSync(join(dir, 'day.mq'), 'SELECT TOTAL_TRAFFIC_COUNT BY HOUR WHERE channelCode = SMS AND sentSince = now - 1d AND sentUntil = now;\n');
  const x = io();
  assert.equal(await runCli(['day.mq', '--now', '2026-06-15T10:00:00', '--format', 'json'], x.cli, mq), 0);
  assert.equal(JSON.parse(x.out()).response.requestedPeriod.sentSince, '2026-06-14T10:00:00.000+0000');
  for (const bad of ['2026-02-30T00:00:00Z', 'June 15 2026']) {
    const y = io();
    assert.equal(await runCli(['day.mq', '--now', bad], y.cli, mq), 2, bad);
    assert.match(y.err(), /--now: /);
  }
});

test('a base URL that is not an http(s) URL is a usage error (exit 2), before anything is sent', async () => {
  const x = io();
  assert.equal(await runCli(['q.mq', '--base-url', 'notaurl', '--api-key', 'k-123456789', ...NOW_ARG], x.cli, mq), 2);
  assert.match(x.err(), /base URL must be an http\(s\) URL such as https:\/\/xxxxx\.api\.infobip\.com, got "notaurl"/);
  const y = io({ INFOBIP_BASE_URL: 'ftp://x.example', INFOBIP_API_KEY: 'k-123456789' });
  assert.equal(await runCli(['q.mq', ...NOW_ARG], y.cli, mq), 2);
  assert.match(y.err(), /from INFOBIP_BASE_URL/);
});

test('text after a query that is not part of it (a stray ";") stops that query; other stray text is reported', async () => {
  writeFileSync(join(dir, 'stray.mq'), 'intro text\nSELECT TOTAL_TRAFFIC_COUNT BY COUNTRY_NAME WHERE channelCode = SMS AND sentSince = now - 1d AND sentUntil = now;\nORDER BY TOTAL_TRAFFIC_COUNT DESC\nLIMIT 2;\n');
  const x = io();
  assert.equal(await runCli(['stray.mq', ...NOW_ARG], x.cli, mq), 1);
  assert.match(x.err(), /text outside any query was ignored:\nstray\.mq:1:1 error syntax-error /);
  assert.match(x.err(), /stray\.mq:3:1 error syntax-error [^\n]*\n[^]*query 1 has errors and was not run\. Text after its end is not part of it: remove a stray ";"/);
  assert.equal(x.out(), '');
});

test('--all: an error of one query (HTTP 400 from the API) does not stop the others', async () => {
  writeFileSync(join(dir, 'mixed.mq'), [
    'SELECT TOTAL_TRAFFIC_COUNT WHERE channelCode = EMAIL AND sentSince = now - 1d AND sentUntil = now;',
    'SELECT TOTAL_TRAFFIC_COUNT WHERE channelCode = SMS AND sentSince = now - 1d AND sentUntil = now;',
  ].join('\n\n') + '\n');
  // A gateway in front of the stand-in that refuses (400, ApiError body) any query on EMAIL.
  const gateway = createServer((q, res) => {
    const chunks: Buffer[] = [];
    q.on('data', (c: Buffer) => chunks.push(c));
    q.on('end', () => {
      const body = Buffer.concat(chunks);
      if (q.method === 'POST' && body.includes('"EMAIL"')) {
        res.writeHead(400, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ errorCode: 'E400', description: 'Bad request', action: 'Check the request', violations: [{ property: 'request.filterBy.channelCodes', violation: 'EMAIL is not enabled for this account' }] }));
        return;
      }
      fetch(s.url + q.url, { method: q.method, headers: q.headers as Record<string, string>, ...(q.method === 'POST' ? { body } : {}) }).then(async (r) => {
        res.writeHead(r.status, { 'Content-Type': r.headers.get('content-type') ?? 'application/json' });
        res.end(Buffer.from(await r.arrayBuffer()));
      }, () => res.destroy());
    });
  });
  await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r));
  try {
    const url = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
    const x = io({ INFOBIP_BASE_URL: url, INFOBIP_API_KEY: KEY });
    assert.equal(await runCli(['mixed.mq', '--all', '--format', 'json', ...NOW_ARG], x.cli, mq), 1);
    const list = JSON.parse(x.out()) as { query: number; status: string; kind?: string; message?: string; source?: string }[];
    assert.deepEqual(list.map((r) => [r.query, r.status]), [[1, 'ERROR'], [2, 'SUCCESS']]);
    assert.equal(list[0]!.kind, 'invalidRequest');
    assert.match(list[0]!.message!, /HTTP 400[^]*EMAIL is not enabled/);
    assert.equal(list[1]!.source, 'live');
    assert.match(x.err(), /query 1: error \(invalidRequest\)/);
    assert.match(x.err(), /ran 2 queries: 1 succeeded, 1 did not/);
    assert.doesNotMatch(x.err(), /stopped at query/);
  } finally {
    gateway.closeAllConnections();
    await new Promise<void>((r) => gateway.close(() => r()));
  }
});

test('--all stops when the API never accepted the query (a host that does not answer would stall every query)', async () => {
  writeFileSync(join(dir, 'two.mq'), 'SELECT TOTAL_TRAFFIC_COUNT WHERE channelCode = SMS AND sentSince = now - 1d AND sentUntil = now;\n\nSELECT TOTAL_TRAFFIC_COUNT WHERE channelCode = EMAIL AND sentSince = now - 1d AND sentUntil = now;\n');
  const silent = createServer(() => undefined); // accepts, reads, never answers
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  try {
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const x = io({ INFOBIP_BASE_URL: url, INFOBIP_API_KEY: KEY });
    const t0 = Date.now();
    assert.equal(await runCli(['two.mq', '--all', '--timeout', '1', ...NOW_ARG], x.cli, mq), 1);
    assert.ok(Date.now() - t0 < 2500, `took ${Date.now() - t0} ms`);
    assert.match(x.err(), /error \(timeout\): The Metrics API did not accept the query within 1 s/);
    assert.match(x.err(), /stopped at query 1 of 2; the rest were not run/);
  } finally {
    silent.closeAllConnections();
    await new Promise<void>((r) => silent.close(() => r()));
  }
});

test('usage errors exit 2; --help exits 0', async () => {
  for (const args of [['q.mq', '--all', '--query', '2'], ['q.mq', '--all', '--format', 'csv'], ['q.mq', '--format', 'xml'], ['q.mq', '--query', '9'], ['q.mq', '--bogus'], ['q.mq', '--relay', 'https://r.example'], ['q.mq', '--listen', 'nope'], ['q.mq', '--base-url', 'https://x.example']]) {
    const x = io();
    assert.equal(await runCli(args, x.cli, mq), 2, args.join(' '));
    assert.match(x.err(), /mq run --help/);
  }
  const h = io();
  assert.equal(await runCli(['--help'], h.cli, mq), 0);
  assert.match(h.out(), /Usage: mq run FILE/);
});

test('mq stand-in serves until its signal aborts', async () => {
  const ac = new AbortController();
  const x = io({}, ac.signal);
  const p = standInCli(['--port', '0', '--api-key', KEY, '--latency-ms', '10'], x.cli);
  for (let i = 0; i < 100 && !/listening on/.test(x.err()); i++) await new Promise((r) => setTimeout(r, 20));
  const url = /listening on (\S+)/.exec(x.err())![1]!;
  const y = io({ INFOBIP_BASE_URL: url, INFOBIP_API_KEY: KEY });
  assert.equal(await runCli(['q.mq', ...NOW_ARG], y.cli, mq), 0);
  ac.abort();
  assert.equal(await p, 0);
  assert.equal(await standInCli(['--fail', '2'], io().cli), 2);
});

test('mq relay needs a long token and serves until aborted', async () => {
  assert.equal(await relayCli([], io().cli), 2);
  assert.equal(await relayCli(['--token', 'short'], io().cli), 2);
  const ac = new AbortController();
  const x = io({}, ac.signal);
  const p = relayCli(['--port', '0', '--host', '127.0.0.1', '--token', 'a-long-relay-token-123', '--store', join(dir, 'relay.sqlite')], x.cli);
  for (let i = 0; i < 100 && !/relay\.listening/.test(x.err()); i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(!x.err().includes('a-long-relay-token-123'));
  const url = /"url":"([^"]+)"/.exec(x.err())![1]!;
  const y = io({ INFOBIP_BASE_URL: s.url, INFOBIP_API_KEY: KEY });
  assert.equal(await runCli(['q.mq', '--relay', url, '--relay-token', 'a-long-relay-token-123', ...NOW_ARG], y.cli, mq), 0, y.err());
  ac.abort();
  assert.equal(await p, 0);
});
