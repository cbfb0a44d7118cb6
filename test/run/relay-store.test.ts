// The relay's durable store and team features: write failures, retention, the tokens file and its reload,
// graceful shutdown with a callback in flight, and logs without secrets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashToken, parseTokensFile, RelayLink, RelayStore, startRelay } from '../../server/src/run/relay/index.js';
import { callbackUrl, post, resultBody, T1, T2, tempDir } from './relay-helpers.js';

const dir = tempDir();
const LIMITS = { retentionMs: 60_000, maxTotalBytes: 1e9, maxTokenBytes: 1e9, maxTokenResults: 1e6 };

test('a write failure at the store: 503 to the sender, the store still opens and holds every earlier result', async () => {
  const file = join(dir, 'fault.sqlite');
  let failAt = -1;
  let puts = 0;
  const relay = await startRelay({
    store: file,
    tokens: [T1],
    storeFault: (op) => {
      if (op === 'put' && puts++ === failAt) throw new Error('disk I/O error (injected)');
    },
  });
  const bodies = new Map<string, string>();
  for (let i = 0; i < 5; i++) {
    const id = `F${i}`;
    bodies.set(id, resultBody(id, 'é'.repeat(i)));
    assert.equal((await post(await callbackUrl(relay.url, T1), bodies.get(id)!)).status, 200);
  }
  failAt = puts;
  const failed = await post(await callbackUrl(relay.url, T1), resultBody('F-fail'));
  assert.equal(failed.status, 503);
  assert.match(((await failed.json()) as { message: string }).message, /could not write the result to its store; retry later/);
  assert.ok(failed.headers.get('retry-after'));
  await relay.close();
  const store = new RelayStore(file, LIMITS);
  try {
    assert.deepEqual(store.stats(), { results: 5, bytes: [...bodies.values()].reduce((n, b) => n + Buffer.byteLength(b), 0) }, 'the store opens and holds every earlier result');
  } finally {
    store.close();
  }
  const again = await startRelay({ store: file, tokens: [T1] });
  try {
    const link = await RelayLink.open(again.url, T1);
    assert.deepEqual((await link.list()).map((r) => r.requestId).sort(), [...bodies.keys()]);
    for (const [id, body] of bodies) assert.deepEqual(await link.fetch(id), { kind: 'ready', bodyText: body });
    assert.deepEqual(await link.fetch('F-fail'), { kind: 'pending' }, 'the failed callback is not reported as stored');
    assert.equal((await post(link.callbackUrl, resultBody('F-fail'))).status, 200, 'the sender\'s retry succeeds');
  } finally {
    await again.close();
  }
});

test('retention: results stay until acknowledged or older than the retention; full means 507, never early eviction', () => {
  const store = new RelayStore(join(dir, 'retention.sqlite'), { ...LIMITS, maxTotalBytes: 100 });
  try {
    const t0 = 1_000_000;
    assert.equal(store.put('tok', 's1', 'A', Buffer.from('x'.repeat(60)), 'd1', t0).kind, 'stored');
    const full = store.put('tok', 's2', 'B', Buffer.from('y'.repeat(60)), 'd2', t0 + 1);
    assert.equal(full.kind, 'full');
    assert.equal(store.sweep(t0 + LIMITS.retentionMs - 1), 0, 'not before the retention ends');
    assert.ok(store.get('tok', 'A'));
    assert.equal(store.sweep(t0 + LIMITS.retentionMs + 1), 1);
    assert.equal(store.get('tok', 'A'), undefined);
    assert.equal(store.put('tok', 's2', 'B', Buffer.from('y'.repeat(60)), 'd2', t0 + 2).kind, 'stored', 'space is free again');
    assert.deepEqual(store.stats(), { results: 1, bytes: 60 });
  } finally {
    store.close();
  }
});

test('VACUUM INTO makes a usable backup of a store in use', () => {
  const file = join(dir, 'backup.sqlite');
  const store = new RelayStore(file, LIMITS);
  store.put('tok', 's1', 'A', Buffer.from('{"a":1}'), 'd', 5);
  const copy = join(dir, 'backup-copy.sqlite');
  store.backupTo(copy);
  store.close();
  const restored = new RelayStore(copy, LIMITS);
  try {
    assert.equal(Buffer.from(restored.get('tok', 'A')!).toString(), '{"a":1}');
  } finally {
    restored.close();
  }
});

test('a new store uses 16 KB pages; a store made with 4 KB pages keeps them and its results', () => {
  const pageSize = (file: string) => {
    const { DatabaseSync } = process.getBuiltinModule('node:sqlite') as typeof import('node:sqlite');
    const db = new DatabaseSync(file, { readOnly: true });
    try {
      return Number(db.prepare('PRAGMA page_size').get()!.page_size);
    } finally {
      db.close();
    }
  };
  const fresh = join(dir, 'pages-new.sqlite');
  new RelayStore(fresh, LIMITS).close();
  assert.equal(pageSize(fresh), 16384);
  const old = join(dir, 'pages-old.sqlite');
  const { DatabaseSync } = process.getBuiltinModule('node:sqlite') as typeof import('node:sqlite');
  const made = new DatabaseSync(old);
  made.exec('PRAGMA page_size=4096; PRAGMA journal_mode=WAL; CREATE TABLE t (x)');
  made.close();
  const store = new RelayStore(old, LIMITS);
  store.put('tok', 's1', 'A', Buffer.from('{"a":1}'), 'd', 5);
  store.close();
  assert.equal(pageSize(old), 4096);
  const reopened = new RelayStore(old, LIMITS);
  try {
    assert.equal(Buffer.from(reopened.get('tok', 'A')!).toString(), '{"a":1}');
  } finally {
    reopened.close();
  }
});

test('tokens file: hashed tokens, names in logs, reloaded on change without a restart; a broken file keeps the old set', async () => {
  const file = join(dir, 'tokens.txt');
  writeFileSync(file, `# team relay\nalice ${hashToken(T1)}\n`);
  const events: Record<string, unknown>[] = [];
  const relay = await startRelay({ store: join(dir, 'team.sqlite'), tokensFile: file, log: (e) => events.push(e) });
  try {
    const alice = await RelayLink.open(relay.url, T1);
    await assert.rejects(RelayLink.open(relay.url, T2), /refused the relay token/);
    writeFileSync(file, `alice ${hashToken(T1)}\nbob sha256:${hashToken(T2).toUpperCase()}\n`);
    let bob: RelayLink | undefined;
    for (let i = 0; i < 60 && !bob; i++) {
      await new Promise((r) => setTimeout(r, 100));
      bob = await RelayLink.open(relay.url, T2).catch(() => undefined);
    }
    assert.ok(bob, 'bob is accepted after the file changed');
    assert.equal((await post(bob.callbackUrl, resultBody('B1'))).status, 200);
    writeFileSync(file, 'this is not a token line\n');
    relay.reloadTokens();
    assert.ok(events.some((e) => e.event === 'tokens.reload_failed' && /line 1/.test(String(e.error))));
    assert.equal((await bob.fetch('B1')).kind, 'ready', 'the old set is kept');
    writeFileSync(file, `alice ${hashToken(T1)}\n`);
    relay.reloadTokens();
    await assert.rejects(bob.fetch('B1'), /refused/);
    assert.deepEqual(await alice.list(), []);
    const logs = JSON.stringify(events);
    for (const secret of [T1, T2, hashToken(T1), hashToken(T2), 'failureMessage']) assert.ok(!logs.includes(secret), `logs contain ${secret.slice(0, 12)}`);
    assert.ok(events.some((e) => e.event === 'callback.stored' && e.user === 'bob' && e.requestId === 'B1'));
  } finally {
    await relay.close();
  }
  assert.throws(() => parseTokensFile(`ok ${hashToken(T1)}\nbad 1234\n`), /line 2/);
  await assert.rejects(startRelay({ store: ':memory:', tokensFile: join(dir, 'missing.txt') }), /ENOENT|no such file/);
});

test('graceful shutdown: a callback still uploading when close() starts is finished and stored', async () => {
  const file = join(dir, 'graceful.sqlite');
  const relay = await startRelay({ store: file, tokens: [T1] });
  const url = new URL(await callbackUrl(relay.url, T1));
  const body = Buffer.from(resultBody('G1'));
  const answered = new Promise<number>((resolve, reject) => {
    const r = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': body.length } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    r.on('error', reject);
    r.write(body.subarray(0, 10));
    void (async () => {
      for (let i = 0; i < 500 && relay.inFlight() === 0; i++) await new Promise((w) => setTimeout(w, 10));
      closing = relay.close();
      setTimeout(() => r.end(body.subarray(10)), 200);
    })();
  });
  let closing: Promise<void> | undefined;
  assert.equal(await answered, 200);
  assert.ok(closing);
  await closing;
  const store = new RelayStore(file, LIMITS);
  try {
    assert.equal(store.stats().results, 1);
  } finally {
    store.close();
  }
});
