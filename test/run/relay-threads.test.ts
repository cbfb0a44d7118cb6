// When a store thread dies, the relay keeps storing callbacks on what is left, says so once in its log (what
// happened, what it means, what to do), and keeps the SQLite WAL bounded. The threads are real worker
// threads, ended the way a crash would end them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { RelayStore, startRelay } from '../../server/src/run/relay/index.js';
import { CallbackCommitter, type ThreadLost } from '../../server/src/run/relay/groupcommit.js';
import { StoreThread } from '../../server/src/run/relay/writer.js';
import type { PutRequest, StoreLimits } from '../../server/src/run/relay/store.js';
import { callbackUrl, post, T1, tempDir } from './relay-helpers.js';

const dir = tempDir();
const LIMITS: StoreLimits = { retentionMs: 60_000, maxTotalBytes: 1e9, maxTokenBytes: 1e9, maxTokenResults: 1e6 };
const auth = { Authorization: `Bearer ${T1}` };

/** A result body of about `kb` kilobytes. */
const bigBody = (id: string, kb: number) => JSON.stringify({ requestId: id, status: 'SUCCESS', rows: [['x'.repeat(kb * 1024)]] });
const walBytes = (file: string) => statSync(`${file}-wal`).size;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function startLogged(file: string) {
  const events: Record<string, unknown>[] = [];
  let threads: { writer: StoreThread; checkpointer: StoreThread } | undefined;
  const relay = await startRelay({ store: file, tokens: [T1], ratePerSecond: 10_000, log: (e) => events.push(e), onStoreThreads: (t) => (threads = t) });
  assert.ok(threads, 'a store file is written by worker threads');
  const send = async (id: string, kb = 1) => {
    const body = bigBody(id, kb);
    const r = await post(await callbackUrl(relay.url, T1), body);
    assert.equal(r.status, 200, `${id}: ${await r.text()}`);
    const back = await fetch(`${relay.url}/results/${id}`, { headers: auth });
    assert.equal(await back.text(), body, `${id} is stored byte for byte`);
  };
  return { relay, events, threads, send, lost: () => events.filter((e) => e.event === 'store.thread_lost') };
}

test('the writer thread dies: callbacks are still stored and answered 200, and the log says so exactly once', async () => {
  const file = join(dir, 'writer-lost.sqlite');
  const r = await startLogged(file);
  try {
    await r.send('before');
    await r.threads.writer.terminate();
    for (let i = 0; i < 5; i++) await r.send(`after-${i}`);
    const acked = await fetch(`${r.relay.url}/results/before`, { method: 'DELETE', headers: auth });
    assert.equal(acked.status, 204, 'acknowledgements go to the main thread too');
    assert.equal(r.relay.size(), 5);
    const lost = r.lost();
    assert.equal(lost.length, 1, 'one log line for one lost thread, however many callbacks follow');
    assert.equal(lost[0]!.thread, 'writer');
    assert.equal(lost[0]!.writes, 'main thread');
    assert.equal(lost[0]!.checkpoints, 'checkpoint thread');
    assert.match(String(lost[0]!.error), /worker thread exited/);
    assert.match(String(lost[0]!.meaning), /loses nothing.*event loop/);
    assert.match(String(lost[0]!.action), /restart the relay/);
  } finally {
    await r.relay.close();
  }
  assert.equal(r.lost().length, 1, 'closing the relay is not reported as a lost thread');
});

test('both store threads die: the main connection checkpoints by itself, so the WAL stays bounded', async () => {
  const file = join(dir, 'both-lost.sqlite');
  const r = await startLogged(file);
  try {
    await r.threads.writer.terminate();
    await r.threads.checkpointer.terminate();
    for (let i = 0; i < 80; i++) await r.send(`big-${i}`, 100); // about 8 MB of bodies, 15 MB of WAL frames
    assert.deepEqual(r.lost().map((e) => [e.thread, e.checkpoints]), [
      ['writer', 'checkpoint thread'],
      ['checkpointer', 'main thread, inside commits'],
    ]);
    assert.match(String(r.lost()[1]!.meaning), /WAL file bounded/);
    assert.ok(walBytes(file) < 6 * 1024 * 1024, `the WAL is ${walBytes(file)} bytes after 8 MB of callbacks`);
    assert.equal(r.relay.size(), 80);
  } finally {
    await r.relay.close();
  }
});

test('the checkpoint thread dies: the writer thread runs the checkpoints, so the WAL is reused', async () => {
  const file = join(dir, 'checkpointer-lost.sqlite');
  const store = new RelayStore(file, LIMITS, true);
  const writer = await StoreThread.start(file, 'writer');
  const checkpointer = await StoreThread.start(file, 'checkpointer');
  const reports: ThreadLost[] = [];
  // Checkpoints when idle for 150 ms: between the bursts below, hardly ever inside one.
  const commits = new CallbackCommitter(store, writer, checkpointer, { idleCheckpointMs: 150, onThreadLost: (l) => reports.push(l) });
  try {
    await checkpointer.terminate();
    assert.deepEqual(reports.map((l) => [l.thread, l.writes, l.checkpoints]), [['checkpointer', 'writer thread', 'writer thread']]);
    const body = Buffer.from(bigBody('x', 100));
    const item = (n: number): PutRequest => ({ tokenId: 'tok', secret: `s-${n}`, requestId: `R${n}`, body, digest: `d-${n}` });
    const afterBurst: number[] = [];
    for (let round = 0; round < 3; round++) {
      for (let n = 0; n < 30; n++) assert.equal((await commits.submit(item(round * 30 + n))).kind, 'stored');
      afterBurst.push(walBytes(file));
      await sleep(600); // idle: a checkpoint runs, and the next writes start the WAL from its beginning again
    }
    // Without checkpoints the third burst would end at about three times the first one's size.
    assert.ok(afterBurst[2]! < afterBurst[0]! * 2, `the WAL grew from ${afterBurst[0]} to ${afterBurst[2]} bytes over three bursts; it should be reused`);
    assert.equal(store.stats().results, 90);
  } finally {
    await commits.close();
    store.close();
  }
});
