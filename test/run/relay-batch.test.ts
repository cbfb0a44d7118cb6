// Group commit in the relay's store: callbacks ready in the same turn share one transaction. A failed batch
// fails every callback in it and stores none; quotas, duplicates and conflicts are decided as if the earlier
// callbacks of the batch were already stored. Checked with the writer thread and with inline writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { RelayStore, startRelay } from '../../server/src/run/relay/index.js';
import { CallbackCommitter } from '../../server/src/run/relay/groupcommit.js';
import { StoreThread } from '../../server/src/run/relay/writer.js';
import type { PutRequest, StoreLimits } from '../../server/src/run/relay/store.js';
import { callbackUrl, post, resultBody, T1, tempDir } from './relay-helpers.js';

const dir = tempDir();
const LIMITS: StoreLimits = { retentionMs: 60_000, maxTotalBytes: 1e9, maxTokenBytes: 1e9, maxTokenResults: 1e6 };
let files = 0;

/** A committer over a fresh store file, with or without the writer and checkpoint threads. */
async function committer(threads: boolean, limits: StoreLimits = LIMITS) {
  const file = join(dir, `batch-${files++}.sqlite`);
  const store = new RelayStore(file, limits, threads);
  const writer = threads ? await StoreThread.start(file, 'writer') : undefined;
  const checkpointer = threads ? await StoreThread.start(file, 'checkpointer') : undefined;
  const batches: number[] = [];
  const commits = new CallbackCommitter(store, writer, checkpointer, { onBatch: (b) => batches.push(b.size), idleCheckpointMs: 10 });
  const close = async () => {
    await commits.close();
    store.close();
  };
  return { file, store, commits, batches, close };
}

const item = (n: number, body = `{"requestId":"R${n}"}`, token = 'tok'): PutRequest => ({
  tokenId: token,
  secret: `secret-${n}`,
  requestId: `R${n}`,
  body: Buffer.from(body),
  digest: `digest-${n}`,
});

for (const threads of [true, false]) {
  const mode = threads ? 'writer thread' : 'inline';

  test(`${mode}: a failed batch rejects every callback in it, stores none of them, and the next batch stores`, async () => {
    const c = await committer(threads);
    try {
      assert.equal((await c.commits.submit(item(0))).kind, 'stored');
      let faults = 0;
      c.store.fault = (op) => {
        if (op === 'put' && faults++ === 0) throw new Error('disk I/O error (injected)');
      };
      const settled = await Promise.allSettled([1, 2, 3, 4, 5].map((n) => c.commits.submit(item(n))));
      assert.equal(faults, 1, 'the five callbacks of one turn were one batch (one transaction)');
      for (const s of settled) assert.ok(s.status === 'rejected' && /injected/.test(String(s.reason)), 'each callback of the failed batch is rejected');
      assert.deepEqual(c.store.stats(), { results: 1, bytes: item(0).body.length }, 'nothing of the failed batch is counted');
      assert.deepEqual(c.store.list('tok').map((r) => r.requestId), ['R0'], 'nothing of the failed batch is stored');
      const again = await Promise.all([1, 2, 3, 4, 5].map((n) => c.commits.submit(item(n))));
      assert.deepEqual(again.map((o) => o.kind), ['stored', 'stored', 'stored', 'stored', 'stored'], 'the retries are stored');
      assert.equal(c.batches.at(-1), 5);
    } finally {
      await c.close();
    }
    const reopened = new RelayStore(c.file, LIMITS);
    try {
      assert.deepEqual(reopened.list('tok').map((r) => r.requestId), ['R0', 'R1', 'R2', 'R3', 'R4', 'R5']);
    } finally {
      reopened.close();
    }
  });

  test(`${mode}: quotas count the bytes of the earlier callbacks of the same batch`, async () => {
    const c = await committer(threads, { ...LIMITS, maxTokenBytes: 250, maxTotalBytes: 450 });
    try {
      const hundred = (n: number, token = 'tok') => item(n, `{"requestId":"R${n}","pad":"${'x'.repeat(100 - 26 - String(n).length)}"}`, token);
      assert.equal(hundred(1).body.length, 100);
      const outcomes = await Promise.all([hundred(1), hundred(2), hundred(3), hundred(4, 'other'), hundred(5, 'other'), hundred(6, 'third')].map((i) => c.commits.submit(i)));
      assert.deepEqual(c.batches, [6], 'one batch');
      assert.deepEqual(outcomes.map((o) => (o.kind === 'full' ? `full:${o.scope}` : o.kind)), ['stored', 'stored', 'full:token', 'stored', 'stored', 'full:relay']);
      assert.deepEqual(c.store.stats(), { results: 4, bytes: 400 });
    } finally {
      await c.close();
    }
  });

  test(`${mode}: a retry or a reused path in the same batch is a duplicate or a conflict, never a second row`, async () => {
    const c = await committer(threads);
    try {
      const same = item(1);
      const reused = { ...item(2), secret: same.secret };
      const sameId = { ...item(1), secret: 'another-secret', digest: 'another-digest' };
      const outcomes = await Promise.all([same, { ...same }, reused, sameId].map((i) => c.commits.submit(i)));
      assert.deepEqual(c.batches, [4]);
      assert.deepEqual(outcomes.map((o) => o.kind), ['stored', 'duplicate', 'conflict', 'conflict']);
      assert.deepEqual(c.store.stats(), { results: 1, bytes: same.body.length });
      assert.equal(await c.commits.ack('tok', 'R1'), true);
      assert.equal(await c.commits.ack('tok', 'R1'), false);
      assert.deepEqual(c.store.stats(), { results: 0, bytes: 0 }, 'an acknowledgement releases the quota');
    } finally {
      await c.close();
    }
  });
}

test('over HTTP: callbacks of a failed write all get 503 and none is listed; their retries get 200', async () => {
  let failing = true;
  const relay = await startRelay({
    store: join(dir, 'http-batch.sqlite'),
    tokens: [T1],
    storeFault: (op) => {
      if (op === 'put' && failing) throw new Error('disk full (injected)');
    },
  });
  try {
    const urls = await Promise.all(Array.from({ length: 8 }, () => callbackUrl(relay.url, T1)));
    const first = await Promise.all(urls.map((u, i) => post(u, resultBody(`H${i}`))));
    assert.deepEqual(first.map((r) => r.status), Array(8).fill(503));
    assert.equal(relay.size(), 0);
    const list = await fetch(`${relay.url}/results`, { headers: { Authorization: `Bearer ${T1}` } });
    assert.deepEqual(((await list.json()) as { results: unknown[] }).results, [], 'nothing refused is listed');
    failing = false;
    const retried = await Promise.all(urls.map((u, i) => post(u, resultBody(`H${i}`))));
    assert.deepEqual(retried.map((r) => r.status), Array(8).fill(200));
    assert.equal(relay.size(), 8);
  } finally {
    await relay.close();
  }
});

test('commits that land while a checkpoint runs get a checkpoint of their own once it has finished', async () => {
  const file = join(dir, `batch-${files++}.sqlite`);
  const store = new RelayStore(file, LIMITS);
  // A checkpoint thread whose checkpoints finish when the test says so (writes stay inline on the store).
  const started: { finish: () => void }[] = [];
  const checkpointer = {
    alive: true,
    onLost: () => undefined,
    checkpoint: () => new Promise<void>((finish) => started.push({ finish })),
    close: async () => undefined,
  } as unknown as StoreThread;
  const commits = new CallbackCommitter(store, undefined, checkpointer, { idleCheckpointMs: 5 });
  const until = async (what: string, ok: () => boolean) => {
    for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 5));
    assert.ok(ok(), what);
  };
  try {
    assert.equal((await commits.submit(item(1))).kind, 'stored');
    await until('the first checkpoint starts when the relay is idle', () => started.length === 1);
    // A callback while that checkpoint runs: its idle timer fires, but one checkpoint is already running.
    assert.equal((await commits.submit(item(2))).kind, 'stored');
    await new Promise((r) => setTimeout(r, 40));
    assert.equal(started.length, 1, 'no second checkpoint while the first one runs');
    started[0]!.finish();
    // The first one did not cover callback 2: with nothing else arriving, a second one must still follow.
    await until('a second checkpoint follows for the callback that came during the first', () => started.length === 2);
    started[1]!.finish();
    await new Promise((r) => setTimeout(r, 40));
    assert.equal(started.length, 2, 'and no third: nothing came after');
  } finally {
    for (const s of started) s.finish();
    await commits.close();
    store.close();
  }
});
