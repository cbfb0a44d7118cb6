// Real processes on loopback: `mq relay`, `mq stand-in` with latency, and `mq run --relay` killed with
// SIGKILL while it waits. After the callback reached the relay, `mq pending` lists the run and
// `mq fetch REQUEST_ID` gets its result: stored in the history, the run marked done, the rows byte-identical
// to an uninterrupted run of the same query.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const TOKEN = 'relay-token-for-the-kill-test-0001';
const KEY = 'standin-key-for-the-kill-test-0002';
const NOW = '2026-03-01T12:00:00Z';
const dir = mkdtempSync(join(tmpdir(), 'mq-kill-'));
const env = { PATH: process.env.PATH ?? '', HOME: dir, MQ_HOME: join(dir, 'state'), MQ_RELAY_TOKEN: TOKEN };
writeFileSync(
  join(dir, 'q.mq'),
  'SELECT TOTAL_TRAFFIC_COUNT, TRAFFIC_DELIVERY_RATE BY DAY, CHANNEL_CODE WHERE channelCode IN (SMS, EMAIL) AND sentSince = now - 5d AND sentUntil = now ORDER BY TOTAL_TRAFFIC_COUNT DESC LIMIT 7;\n',
);

const children: ChildProcess[] = [];

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Starts a long-running mq command and waits until its port answers HTTP. */
async function serve(args: string[], port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let log = '';
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  for (const until = Date.now() + 15_000; Date.now() < until; ) {
    if (child.exitCode !== null) throw new Error(`mq ${args[0]} exited ${child.exitCode}: ${log}`);
    const ok = await fetch(`http://127.0.0.1:${port}/`).then(() => true, () => false);
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`mq ${args[0]} did not start: ${log}`);
}

function mq(args: string[], timeoutMs = 30_000): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

let relayUrl = '';
let baseUrl = '';
before(async () => {
  const relayPort = await freePort();
  await serve(['relay', '--host', '127.0.0.1', '--port', String(relayPort), '--token', TOKEN], relayPort);
  relayUrl = `http://127.0.0.1:${relayPort}`;
  const standInPort = await freePort();
  await serve(['stand-in', '--port', String(standInPort), '--api-key', KEY, '--latency-ms', '2500'], standInPort);
  baseUrl = `http://127.0.0.1:${standInPort}`;
});

after(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** The text of the "rows" array of `--format json` output, exactly as printed. */
function rowsText(json: string): string {
  const m = /"rows": (\[[\s\S]*\])\n {2}\}/.exec(json);
  assert.ok(m, `no rows in ${json.slice(0, 300)}`);
  return m[1]!;
}

test('mq run killed with SIGKILL while waiting; after the callback, mq fetch gets the result, byte-identical', async () => {
  const runArgs = ['run', 'q.mq', '--base-url', baseUrl, '--api-key', KEY, '--relay', relayUrl, '--format', 'json', '--now', NOW];
  const child = spawn(process.execPath, [CLI, ...runArgs], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const requestId = await new Promise<string>((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /submitted request (\S+);/.exec(err);
      if (m) resolve(m[1]!);
    });
    child.on('close', () => reject(new Error(`mq run ended before submitting: ${err}`)));
  });
  child.kill('SIGKILL');
  await new Promise((r) => child.once('close', r));

  // The run is pending and can be fetched from the relay.
  const pending = await mq(['pending', '--format', 'json']);
  assert.equal(pending.code, 0, pending.err);
  const rows = JSON.parse(pending.out) as { requestId: string; state: string; mode: string; action: string }[];
  const mine = rows.find((r) => r.requestId === requestId);
  assert.ok(mine, pending.out);
  assert.equal(mine.state, 'fetchable');
  assert.equal(mine.mode, 'relay');
  assert.match(mine.action, new RegExp(`mq fetch ${requestId}`));

  // Before the callback arrived: "not yet", exit 1, nothing marked.
  const early = await mq(['fetch', requestId, '--format', 'json']);
  assert.equal(early.code, 1, early.err);
  assert.match(early.err, /has no result for request .* \(yet\)/);

  // The stand-in delivers 2.5 s after the submit; then the relay holds it.
  let fetched = early;
  for (const until = Date.now() + 20_000; Date.now() < until && fetched.code !== 0; ) {
    await new Promise((r) => setTimeout(r, 500));
    fetched = await mq(['fetch', requestId, '--format', 'json']);
  }
  assert.equal(fetched.code, 0, fetched.err);
  const got = JSON.parse(fetched.out) as { requestId: string; status: string; source: string };
  assert.deepEqual([got.requestId, got.status, got.source], [requestId, 'SUCCESS', 'live']);

  // The same query, not interrupted: identical rows, byte for byte (ORDER BY and LIMIT applied the same way).
  const reference = await mq(runArgs);
  assert.equal(reference.code, 0, reference.err);
  assert.equal(rowsText(fetched.out), rowsText(reference.out));
  assert.deepEqual(Object.keys(got), Object.keys(JSON.parse(reference.out) as object), 'the same JSON shape as mq run');

  // Done: nothing pending any more, and the result comes from the history now (the relay was acknowledged).
  const after = await mq(['pending', '--format', 'json']);
  assert.ok(!(JSON.parse(after.out) as { requestId: string }[]).some((r) => r.requestId === requestId), after.out);
  const again = await mq(['fetch', requestId, '--format', 'json', '--relay', 'http://127.0.0.1:1']);
  assert.equal(again.code, 0, again.err);
  assert.equal(again.out, fetched.out);
});
