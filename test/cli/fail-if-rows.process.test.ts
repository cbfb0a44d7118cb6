// `mq run --fail-if-rows` as a scheduled job sees it: the exit code of the real dist/cli.js process on
// sample data. 3 when a query returned rows and nothing failed; 0 when no query returned rows; a failure
// (1) and a usage error (2) keep their codes even when other queries returned rows.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const dir = mkdtempSync(join(tmpdir(), 'mq-fail-if-rows-'));
const env = { PATH: process.env.PATH ?? '', HOME: dir, MQ_HOME: join(dir, 'state') };
const NOW = '2026-06-15T10:00:00Z';

const WHERE = 'WHERE channelCode = SMS AND sentSince = now - 2d AND sentUntil = now';
const ROWS = `SELECT TOTAL_TRAFFIC_COUNT BY DAY ${WHERE};\n`;
// No sample traffic has this sender: the query succeeds with no rows.
const NO_ROWS = `SELECT TOTAL_TRAFFIC_COUNT BY DAY ${WHERE} AND senders = 'nobody-sends-this';\n`;
const BAD = `SELECT NOT_A_METRIC ${WHERE};\n`;

function file(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return name;
}

function mq(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, 'run', '--now', NOW, ...args], { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

before(() => assert.ok(existsSync(CLI), 'dist/cli.js is missing: run `npm run build` first'));

test('exit 3 when the query returned rows, 0 when it returned none; without the flag rows exit 0', () => {
  const rows = mq(file('rows.mq', ROWS), '--fail-if-rows');
  assert.equal(rows.code, 3, rows.err);
  assert.match(rows.out, /TOTAL_TRAFFIC_COUNT/);
  assert.match(rows.err, /returned rows \(--fail-if-rows\): exit code 3/);
  const none = mq(file('none.mq', NO_ROWS), '--fail-if-rows', '--format', 'json');
  assert.equal(none.code, 0, none.err);
  assert.equal((JSON.parse(none.out) as { response: { rows: unknown[] } }).response.rows.length, 0);
  assert.equal(mq('rows.mq').code, 0);
});

test('--all: 3 when any query returned rows and all succeeded; 1 wins when a query failed', () => {
  const some = mq(file('some.mq', `${NO_ROWS}\n${ROWS}`), '--all', '--fail-if-rows');
  assert.equal(some.code, 3, some.err);
  const failing = mq(file('failing.mq', `${ROWS}\n${BAD}`), '--all', '--fail-if-rows');
  assert.equal(failing.code, 1, failing.err);
  assert.match(failing.err, /query 2 has errors and was not run/);
});

test('a usage error exits 2 with --fail-if-rows too', () => {
  const r = mq('rows.mq', '--fail-if-rows', '--format', 'xml');
  assert.equal(r.code, 2);
  assert.match(r.err, /--format must be table, csv or json/);
});
