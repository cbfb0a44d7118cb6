// `mq run`, `mq stand-in` and `mq relay` called as functions, with real HTTP underneath.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, standInCli, relayCli } from '../../server/src/cli/run.js';
import type { CliIO } from '../../server/src/cli/io.js';
import { startStandIn, type StandIn } from '../../server/src/run/standin/server.js';
import { KEY } from './run-helpers.js';

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
  assert.equal(await runCli(['q.mq', ...NOW_ARG], x.cli), 0);
  assert.match(x.err(), /sample data/);
  const lines = x.out().trimEnd().split('\n');
  assert.match(lines[0]!, /^CHANNEL_CODE\s+DAY\s+TOTAL_TRAFFIC_COUNT\s+TRAFFIC_DELIVERY_RATE$/);
  assert.equal(lines.length, 2 + 4);
  const totals = lines.slice(2).map((l) => Number(l.trim().split(/\s+/)[2]));
  assert.deepEqual(totals, [...totals].sort((a, b) => b - a));
});

test('csv and json formats; json keeps int64 communication ids', async () => {
  const c = io();
  assert.equal(await runCli(['q.mq', '--format', 'csv', ...NOW_ARG], c.cli), 0);
  assert.match(c.out(), /^CHANNEL_CODE,DAY,TOTAL_TRAFFIC_COUNT,TRAFFIC_DELIVERY_RATE\r\n/);
  const j = io();
  assert.equal(await runCli(['q.mq', '--query', '2', '--format', 'json', ...NOW_ARG], j.cli), 0);
  assert.ok(j.out().includes('9223372036854775807'));
  const parsed = JSON.parse(j.out());
  assert.equal(parsed.source, 'sample');
  assert.equal(parsed.status, 'SUCCESS');
  assert.ok(parsed.response.rows.some((r: unknown[]) => r[0] === 'SMS' && r[2] === 'N/A'));
});

test('against a stand-in with a key (live path): same kind of result, key never printed', async () => {
  const x = io({ INFOBIP_BASE_URL: s.url, INFOBIP_API_KEY: KEY });
  assert.equal(await runCli(['q.mq', '--format', 'json', ...NOW_ARG], x.cli), 0);
  assert.equal(JSON.parse(x.out()).source, 'live');
  assert.doesNotMatch(x.err(), /warning/);
  assert.ok(!x.err().includes(KEY) && !x.out().includes(KEY));
});

test('wrong key: exit 1 with an auth message and no key', async () => {
  const bad = 'a-wrong-key-5555555555';
  const x = io();
  assert.equal(await runCli(['q.mq', '--base-url', s.url, '--api-key', bad, ...NOW_ARG], x.cli), 1);
  assert.match(x.err(), /error \(auth\).*Check the API key/);
  assert.ok(!x.err().includes(bad));
});

test('a query with error diagnostics is not run: exit 1', async () => {
  const x = io();
  assert.equal(await runCli(['q.mq', '--query', '3', ...NOW_ARG], x.cli), 1);
  assert.match(x.err(), /q\.mq:7:\d+: error \[unknown-metric\]/);
  assert.match(x.err(), /was not run/);
  assert.equal(x.out(), '');
});

test('--all runs every query in file order; one with errors is reported and the others still run', async () => {
  const t = io();
  assert.equal(await runCli(['q.mq', '--all', ...NOW_ARG], t.cli), 1, 'exit 1: query 3 has errors');
  const out = t.out();
  const heads = [...out.matchAll(/^-- query (\d) \(line (\d+)\)$/gm)].map((m) => `${m[1]}@${m[2]}`);
  assert.deepEqual(heads, ['1@1', '2@5', '3@7']);
  assert.match(out, /-- query 1[^]*TOTAL_TRAFFIC_COUNT[^]*-- query 2[^]*TOTAL_BOUNCE_COUNT[^]*-- query 3 \(line 7\)\n\(not run: the query has errors\)\n$/);
  assert.match(t.err(), /q\.mq:7:\d+: error \[unknown-metric\]/);
  assert.match(t.err(), /ran 3 queries: 2 succeeded, 1 did not/);
  assert.doesNotMatch(t.err(), /running query 1/);

  const j = io();
  assert.equal(await runCli(['q.mq', '--all', '--format', 'json', ...NOW_ARG], j.cli), 1);
  const list = JSON.parse(j.out()) as { query: number; line: number; status: string; source?: string; response?: { rows: unknown[] }; errors?: string[] }[];
  assert.deepEqual(list.map((r) => [r.query, r.line, r.status]), [[1, 1, 'SUCCESS'], [2, 5, 'SUCCESS'], [3, 7, 'NOT_RUN']]);
  assert.equal(list[0]!.response!.rows.length, 4, 'LIMIT 4 applied per query');
  assert.equal(list[1]!.source, 'sample');
  assert.match(list[2]!.errors!.join('\n'), /\[unknown-metric\][^]*NOT_A_METRIC/);
});

test('--all stops at an API error (it would fail every query) and says how far it got', async () => {
  const x = io();
  assert.equal(await runCli(['q.mq', '--all', '--format', 'json', '--base-url', s.url, '--api-key', 'a-wrong-key-5555555555', ...NOW_ARG], x.cli), 1);
  assert.match(x.err(), /error \(auth\)/);
  assert.match(x.err(), /stopped at query 1 of 3; the rest were not run/);
  assert.deepEqual(JSON.parse(x.out()), [], 'what ran before the error is still printed (nothing here)');
});

test('usage errors exit 2; --help exits 0', async () => {
  for (const args of [['q.mq', '--all', '--query', '2'], ['q.mq', '--all', '--format', 'csv'], ['q.mq', '--format', 'xml'], ['q.mq', '--query', '9'], ['q.mq', '--bogus'], ['missing.mq'], ['q.mq', '--relay', 'https://r.example'], ['q.mq', '--listen', 'nope'], ['q.mq', '--base-url', 'https://x.example']]) {
    const x = io();
    assert.equal(await runCli(args, x.cli), 2, args.join(' '));
    assert.match(x.err(), /mq run --help/);
  }
  const h = io();
  assert.equal(await runCli(['--help'], h.cli), 0);
  assert.match(h.out(), /Usage: mq run FILE/);
});

test('mq stand-in serves until its signal aborts', async () => {
  const ac = new AbortController();
  const x = io({}, ac.signal);
  const p = standInCli(['--port', '0', '--api-key', KEY, '--latency-ms', '10'], x.cli);
  for (let i = 0; i < 100 && !/listening on/.test(x.err()); i++) await new Promise((r) => setTimeout(r, 20));
  const url = /listening on (\S+)/.exec(x.err())![1]!;
  const y = io({ INFOBIP_BASE_URL: url, INFOBIP_API_KEY: KEY });
  assert.equal(await runCli(['q.mq', ...NOW_ARG], y.cli), 0);
  ac.abort();
  assert.equal(await p, 0);
  assert.equal(await standInCli(['--fail', '2'], io().cli), 2);
});

test('mq relay needs a long token and serves until aborted', async () => {
  assert.equal(await relayCli([], io().cli), 2);
  assert.equal(await relayCli(['--token', 'short'], io().cli), 2);
  const ac = new AbortController();
  const x = io({}, ac.signal);
  const p = relayCli(['--port', '0', '--host', '127.0.0.1', '--token', 'a-long-relay-token-123'], x.cli);
  for (let i = 0; i < 100 && !/listening on/.test(x.err()); i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(!x.err().includes('a-long-relay-token-123'));
  const url = /listening on (\S+)/.exec(x.err())![1]!;
  const y = io({ INFOBIP_BASE_URL: s.url, INFOBIP_API_KEY: KEY });
  assert.equal(await runCli(['q.mq', '--relay', url, '--relay-token', 'a-long-relay-token-123', ...NOW_ARG], y.cli), 0, y.err());
  ac.abort();
  assert.equal(await p, 0);
});
