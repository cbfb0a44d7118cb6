import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HistoryStore, newHistoryId } from '../../client/src/history.js';
import { RawInteger, stringifyJson } from '../../server/src/core/compile/wire.js';

async function withStore(fn: (store: HistoryStore, dir: string) => Promise<void>, limits = { maxEntries: 100, maxBytes: 10_000_000 }) {
  const dir = await mkdtemp(join(tmpdir(), 'mq-history-'));
  try {
    await fn(new HistoryStore(join(dir, 'history'), limits), join(dir, 'history'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const base = { title: 'T', queryText: 'SELECT X', connection: 'Sample data', requestJson: '{"a":1}' };

test('ids are sortable by time and safe as file names', () => {
  const a = newHistoryId(new Date('2025-01-02T03:04:05.678Z'));
  const b = newHistoryId(new Date('2025-01-02T03:04:05.679Z'));
  assert.match(a, /^20250102T030405678-[0-9a-f]{8}$/);
  assert.ok(a < b);
});

test('create, update, list newest first, get, delete', async () => {
  await withStore(async (store) => {
    assert.deepEqual(await store.list(), []);
    const a = await store.create({ ...base, createdAt: '2025-01-01T00:00:00.000Z' });
    const b = await store.create({ ...base, title: 'second', createdAt: '2025-01-01T00:00:01.000Z' });
    assert.equal(a.status, 'PENDING');
    assert.equal(a.hasResult, false);
    await store.update(a.id, { status: 'FAILED', message: 'boom' });
    const list = await store.list();
    assert.deepEqual(list.map((e) => e.id), [b.id, a.id]);
    assert.equal((await store.get(a.id))?.message, 'boom');
    await store.delete(a.id);
    assert.equal(await store.get(a.id), undefined);
    assert.equal((await store.list()).length, 1);
  });
});

test('results round-trip with int64 values exact', async () => {
  await withStore(async (store) => {
    const e = await store.create(base);
    const big = '9223372036854775807';
    const result = { requestId: 'r1', response: { rows: [[new RawInteger(big), 'N/A', 0.25, 12]] } };
    const saved = await store.saveResult(e.id, result, { status: 'SUCCESS', requestId: 'r1' });
    assert.equal(saved.hasResult, true);
    assert.equal(saved.status, 'SUCCESS');
    const back = await store.readResult(e.id);
    assert.equal(stringifyJson(back), stringifyJson(result));
    assert.ok(stringifyJson(back).includes(big));
  });
});

test('readResult of an entry without result is undefined; bad ids are rejected', async () => {
  await withStore(async (store) => {
    const e = await store.create(base);
    assert.equal(await store.readResult(e.id), undefined);
    await assert.rejects(() => store.readResult('../../etc/passwd'), /Invalid history id/);
    await assert.rejects(() => store.delete('x/y'), /Invalid history id/);
  });
});

test('prune keeps at most maxEntries, newest first', async () => {
  await withStore(
    async (store) => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await store.create({ ...base, status: 'SUCCESS', createdAt: new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString() })).id);
      const removed = await store.prune();
      assert.deepEqual(removed.sort(), ids.slice(0, 2).sort());
      assert.deepEqual((await store.list()).map((e) => e.id), ids.slice(2).reverse());
    },
    { maxEntries: 3, maxBytes: 10_000_000 },
  );
});

test('prune never drops a pending run, however old: it may still be recovered', async () => {
  await withStore(
    async (store) => {
      const pending = await store.create({ ...base, createdAt: '2025-01-01T00:00:00.000Z', requestId: 'R-OLD', mode: 'relay' });
      for (let i = 1; i <= 3; i++) await store.create({ ...base, status: 'SUCCESS', createdAt: new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString() });
      const removed = await store.prune();
      assert.ok(!removed.includes(pending.id));
      assert.equal((await store.get(pending.id))?.status, 'PENDING');
      assert.deepEqual((await store.pending()).map((e) => e.id), [pending.id]);
      assert.equal((await store.findByRequestId('R-OLD'))?.id, pending.id);
    },
    { maxEntries: 2, maxBytes: 10_000_000 },
  );
});

test('prune honours the byte limit but always keeps the newest entry', async () => {
  await withStore(
    async (store) => {
      const old = await store.create({ ...base, createdAt: '2025-01-01T00:00:00.000Z' });
      await store.saveResult(old.id, { rows: 'x'.repeat(3000) });
      const newest = await store.create({ ...base, createdAt: '2025-01-01T00:00:01.000Z' });
      await store.saveResult(newest.id, { rows: 'y'.repeat(5000) });
      const removed = await store.prune();
      assert.deepEqual(removed, [old.id]);
      assert.deepEqual((await store.list()).map((e) => e.id), [newest.id]);
    },
    { maxEntries: 100, maxBytes: 4000 },
  );
});

test('unreadable and foreign files are ignored by list', async () => {
  await withStore(async (store, dir) => {
    const e = await store.create(base);
    await writeFile(join(dir, '20250101T000000000-deadbeef.meta.json'), '{ broken');
    await writeFile(join(dir, 'notes.txt'), 'hello');
    const list = await store.list();
    assert.deepEqual(list.map((x) => x.id), [e.id]);
    assert.ok((await readdir(dir)).every((n) => !n.endsWith('.tmp')));
  });
});
