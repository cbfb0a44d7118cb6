// COMPARE WITH and HAVING through the real dist/cli.js on sample data: the JSON shape of `mq run`, the
// joined CSV columns, `mq fetch` of either request id from the history, and the alerts example as a
// scheduled job runs it.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const dir = mkdtempSync(join(tmpdir(), 'mq-compare-cli-'));
const env = { PATH: process.env.PATH ?? '', HOME: dir, MQ_HOME: join(dir, 'state') };
const NOW = '2026-06-15T10:00:00Z';

const COMPARE = `SELECT TOTAL_TRAFFIC_COUNT
BY COUNTRY_NAME
WHERE channelCode = SMS AND sentSince = '2026-06-08' AND sentUntil = '2026-06-15'
COMPARE WITH PREVIOUS PERIOD
HAVING TOTAL_TRAFFIC_COUNT > 0
ORDER BY TOTAL_TRAFFIC_COUNT_DELTA DESC;
`;

function mq(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

interface Envelope {
  requestId: string;
  previousRequestId?: string;
  status: string;
  response: { requestedPeriod: unknown; previousPeriod?: unknown; totalRows: number; columns: { columnName: string }[]; rows: unknown[][] };
}

before(() => {
  assert.ok(existsSync(CLI), 'dist/cli.js is missing: run `npm run build` first');
  writeFileSync(join(dir, 'compare.mq'), COMPARE);
});

test('mq run --format json: previousRequestId beside requestId, previousPeriod beside requestedPeriod, the joined columns', () => {
  const r = mq('run', 'compare.mq', '--now', NOW, '--format', 'json');
  assert.equal(r.code, 0, r.err);
  const env = JSON.parse(r.out) as Envelope;
  assert.deepEqual(Object.keys(env), ['requestId', 'previousRequestId', 'status', 'source', 'response']);
  assert.notEqual(env.previousRequestId, env.requestId);
  assert.deepEqual(Object.keys(env.response), ['requestedPeriod', 'previousPeriod', 'totalRows', 'columns', 'rows']);
  assert.deepEqual(env.response.requestedPeriod, { sentSince: '2026-06-08T00:00:00.000+0000', sentUntil: '2026-06-15T00:00:00.000+0000' });
  assert.deepEqual(env.response.previousPeriod, { sentSince: '2026-06-01T00:00:00.000+0000', sentUntil: '2026-06-08T00:00:00.000+0000' });
  assert.deepEqual(env.response.columns.map((c) => c.columnName), [
    'CHANNEL_CODE', 'COUNTRY_NAME', 'TOTAL_TRAFFIC_COUNT', 'TOTAL_TRAFFIC_COUNT_PREVIOUS', 'TOTAL_TRAFFIC_COUNT_DELTA', 'TOTAL_TRAFFIC_COUNT_DELTA_PCT',
  ]);
  assert.equal(env.response.rows.length, 7, 'one row per country of the sample data');
  for (const row of env.response.rows) assert.equal(row[4], (row[2] as number) - (row[3] as number), 'DELTA is M − M_PREVIOUS');
  const deltas = env.response.rows.map((row) => row[4] as number);
  assert.deepEqual(deltas, [...deltas].sort((a, b) => b - a), 'ORDER BY the delta, descending');
  assert.ok(deltas.some((d) => d !== 0), 'the two weeks of sample data differ');
  assert.match(r.err, /submitted request \S+ for the current period/);
  assert.match(r.err, /submitted request \S+ for the previous period/);

  // Both results are in the history: the current id prints the joined result as mq run did; the previous id
  // prints that request's own rows.
  const joined = mq('fetch', env.requestId, '--format', 'json');
  assert.equal(joined.code, 0, joined.err);
  assert.deepEqual(JSON.parse(joined.out), env);
  const previous = mq('fetch', env.previousRequestId!, '--format', 'json');
  assert.equal(previous.code, 0, previous.err);
  const prev = JSON.parse(previous.out) as Envelope;
  assert.equal(prev.requestId, env.previousRequestId);
  assert.equal(prev.previousRequestId, undefined);
  assert.deepEqual(prev.response.requestedPeriod, env.response.previousPeriod);
  assert.deepEqual(prev.response.columns.map((c) => c.columnName), ['CHANNEL_CODE', 'COUNTRY_NAME', 'TOTAL_TRAFFIC_COUNT']);
  assert.match(previous.err, /previous period of a COMPARE WITH run/);
});

test('mq run --format csv has the joined header; a HAVING that nothing satisfies prints the header only', () => {
  const csv = mq('run', 'compare.mq', '--now', NOW, '--format', 'csv');
  assert.equal(csv.code, 0, csv.err);
  assert.equal(csv.out.split('\r\n')[0], 'CHANNEL_CODE,COUNTRY_NAME,TOTAL_TRAFFIC_COUNT,TOTAL_TRAFFIC_COUNT_PREVIOUS,TOTAL_TRAFFIC_COUNT_DELTA,TOTAL_TRAFFIC_COUNT_DELTA_PCT');
  writeFileSync(join(dir, 'none.mq'), COMPARE.replace('TOTAL_TRAFFIC_COUNT > 0', "COUNTRY_NAME = 'croatia'"));
  const none = mq('run', 'none.mq', '--now', NOW, '--format', 'csv', '--fail-if-rows');
  assert.equal(none.code, 0, 'dimension values compare case-sensitively: no row, exit 0');
  assert.equal(none.out.trim().split('\r\n').length, 1);
});

test('the alerts example finds something on the sample data: exit 3 with --fail-if-rows', () => {
  const r = mq('run', join(ROOT, 'examples', 'alerts.mq'), '--all', '--fail-if-rows', '--now', NOW);
  assert.equal(r.code, 3, r.err);
  assert.match(r.out, /Nigeria/);
  assert.match(r.err, /ran 3 queries: 3 succeeded, 0 did not/);
});
