// Results too large for the page's saved state are kept on disk and read back after a window reload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ResultStore, restoredStateJson } from '../../client/src/resultStore.js';
import { MAX_SAVED_PAYLOAD_CHARS, isStoreKey } from '../../client/common/protocol.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'mq-results-'));
}

test('a result over 4 MiB is kept on disk and read back whole under its key', async () => {
  const dir = tempDir();
  try {
    const store = new ResultStore(join(dir, 'results'));
    const payload = JSON.stringify({ title: 'big', rows: Array.from({ length: 150_000 }, (_v, i) => [`row-${i}`, 9007199254740993n.toString() + i]) });
    assert.ok(payload.length > MAX_SAVED_PAYLOAD_CHARS, `${payload.length} chars`);
    assert.equal(ResultStore.needed(payload), true);
    assert.equal(ResultStore.needed('{"small":1}'), false);
    const key = store.save(payload);
    assert.ok(isStoreKey(key), key);
    // Read at once: the load waits for the write still under way.
    const back = await store.load(key);
    assert.equal(back, payload);
    // A second store on the same folder (a new window after a reload) finds it too.
    assert.equal(await new ResultStore(join(dir, 'results')).load(key), payload);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a key that is not one of the store\'s own names reads nothing, so a saved state cannot name another file', async () => {
  const dir = tempDir();
  try {
    const store = new ResultStore(dir);
    for (const bad of ['../secret', '..\\x', '', 'ABCDEF', 42, undefined, `${'a'.repeat(32)}/../../x`, 'g'.repeat(32)]) {
      assert.equal(await store.load(bad), undefined, String(bad));
    }
    assert.equal(await store.load('0'.repeat(32)), undefined, 'a well-formed key whose file is gone');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('only the newest results are kept: older files go once there are more than the limit', async () => {
  const dir = tempDir();
  try {
    const store = new ResultStore(dir, 3);
    const keys: string[] = [];
    for (let i = 0; i < 5; i++) {
      const key = store.save(`payload ${i}`);
      await store.load(key);
      // Distinct modification times, oldest first, whatever the file system's resolution.
      const t = new Date(Date.UTC(2025, 0, 1, 0, i));
      utimesSync(join(dir, `${key}.json`), t, t);
      keys.push(key);
    }
    await store.prune();
    assert.deepEqual(readdirSync(dir).sort(), keys.slice(2).map((k) => `${k}.json`).sort());
    assert.equal(await store.load(keys[0]), undefined);
    assert.equal(await store.load(keys[4]), 'payload 4');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a restored panel gets its saved state back, with a large result read from disk in place of its key', async () => {
  const dir = tempDir();
  try {
    const store = new ResultStore(dir);
    const key = store.save('{"title":"big"}');
    const saved = { v: 1, stored: { key, chars: 15, title: 'big' }, filter: 'sms', sort: { col: 2, dir: 'desc' } };
    assert.deepEqual(JSON.parse((await restoredStateJson(saved, store))!), { ...saved, payload: '{"title":"big"}' });
    // A small result is in the state itself; a missing file or no store leaves the page to say so.
    assert.deepEqual(JSON.parse((await restoredStateJson({ v: 1, payload: '{}' }, store))!), { v: 1, payload: '{}' });
    assert.equal(await restoredStateJson({ v: 1, stored: { key: 'f'.repeat(32), chars: 1, title: '' } }, store), undefined);
    assert.equal(await restoredStateJson(saved, undefined), undefined);
    assert.equal(await restoredStateJson(null, store), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
