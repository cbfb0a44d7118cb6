// What happens to a run that has no result yet: the decisions behind `mq pending`, `mq fetch` and the
// extension's recovery, and the history's pending → done order (result on disk before the run is done).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decidePending, processIsAlive, RELAY_RETENTION_MS } from '../../server/src/run/pending.js';
import { HistoryStore, type HistoryEntry } from '../../server/src/run/history.js';
import { recoverFromRelay, storeResult, type StoredResult } from '../../server/src/run/recover.js';
import type { RelayClient, RelayFetch } from '../../server/src/run/relayWait.js';
import { settlePending } from '../../server/src/cli/pending.js';
import { stringifyJson, RawInteger } from '../../server/src/core/compile/wire.js';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const DEAD = 999_999;
const ALIVE = 4242;
const isAlive = (pid: number) => pid === ALIVE;

function entry(over: Partial<HistoryEntry>): HistoryEntry {
  return {
    id: '20260301T115900000-00000000',
    createdAt: '2026-03-01T11:59:00.000Z',
    title: 'T',
    queryText: 'SELECT X',
    connection: 'Prod',
    status: 'PENDING',
    requestJson: '{}',
    hasResult: false,
    ...over,
  };
}

test('a run its process still waits for is left alone', () => {
  const d = decidePending(entry({ ownerPid: ALIVE, mode: 'local', requestId: 'R1', deadline: '2026-03-01T12:04:00Z' }), { now: NOW, isAlive });
  assert.equal(d.action, 'wait');
});

test('a local-receiver run whose process is gone is lost: the receiver closed before the callback arrived', () => {
  const d = decidePending(entry({ ownerPid: DEAD, mode: 'local', requestId: 'R1' }), { now: NOW, isAlive });
  assert.deepEqual(d.action, 'lost');
  assert.match(d.action === 'lost' ? d.reason : '', /local receiver was closed before the callback arrived/);
});

test('a relay run whose process is gone can be fetched, for as long as the relay keeps results', () => {
  const e = entry({ ownerPid: DEAD, mode: 'relay', requestId: 'R1', relayUrl: 'https://relay.example' });
  assert.equal(decidePending(e, { now: NOW, isAlive }).action, 'fetch');
  const old = decidePending(e, { now: Date.parse(e.createdAt) + RELAY_RETENTION_MS + 1, isAlive });
  assert.equal(old.action, 'lost');
});

test('a run without a request id cannot be asked for: lost, whatever its mode', () => {
  for (const mode of ['local', 'relay', 'public', 'sample'] as const) {
    const d = decidePending(entry({ mode, ownerPid: DEAD }), { now: NOW, isAlive });
    assert.equal(d.action, 'lost', mode);
    assert.match(d.action === 'lost' ? d.reason : '', /before the Metrics API returned a request id/);
  }
});

test('a run past its deadline is not "waiting" even if its process id is in use again', () => {
  const d = decidePending(entry({ ownerPid: ALIVE, mode: 'local', requestId: 'R1', deadline: '2026-03-01T11:59:30Z' }), { now: NOW, isAlive });
  assert.equal(d.action, 'lost');
});

test('processIsAlive: this process is alive, an unused id is not', () => {
  assert.equal(processIsAlive(process.pid), true);
  assert.equal(processIsAlive(0), false);
  assert.equal(processIsAlive(2 ** 22 + 12345), false);
});

async function withStore(fn: (store: HistoryStore) => Promise<void>) {
  const dir = await mkdtemp(join(tmpdir(), 'mq-pending-'));
  try {
    await fn(new HistoryStore(join(dir, 'history')));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('settling: lost runs are marked LOST with the reason, fetchable ones stay PENDING, nothing stays unsettled', async () => {
  await withStore(async (store) => {
    const lost = await store.create({ title: 'a', queryText: '', connection: 'c', requestJson: '{}', mode: 'local', requestId: 'L1', ownerPid: DEAD });
    const fetchable = await store.create({ title: 'b', queryText: '', connection: 'c', requestJson: '{}', mode: 'relay', requestId: 'F1', relayUrl: 'https://relay.example', ownerPid: DEAD });
    const rows = await settlePending(store, NOW);
    assert.deepEqual(rows.map((r) => [r.requestId, r.state]).sort(), [['F1', 'fetchable'], ['L1', 'lost']]);
    assert.match(rows.find((r) => r.requestId === 'F1')!.action, /^mq fetch F1 --relay https:\/\/relay\.example/);
    assert.equal((await store.get(lost.id))?.status, 'LOST');
    assert.match((await store.get(lost.id))?.message ?? '', /local receiver was closed/);
    assert.equal((await store.get(fetchable.id))?.status, 'PENDING');
    assert.deepEqual((await store.pending()).map((e) => e.id), [fetchable.id]);
  });
});

test('storeResult writes the result file before the run is marked done, losslessly', async () => {
  await withStore(async (store) => {
    const e = await store.create({ title: 'a', queryText: '', connection: 'c', requestJson: '{}' });
    const result: StoredResult = { requestId: 'R9', status: 'SUCCESS', source: 'live', response: { requestedPeriod: { sentSince: 'a', sentUntil: 'b' }, totalRows: 1, columns: [{ columnName: 'ID', columnDataType: 'INTEGER' }], rows: [[new RawInteger('9223372036854775807')]] } };
    const done = await storeResult(store, e.id, result);
    assert.equal(done.status, 'SUCCESS');
    assert.equal(done.hasResult, true);
    assert.equal(await readFile(join(store.dir, `${e.id}.result.json`), 'utf8'), stringifyJson(result));
    assert.equal((await store.pending()).length, 0);
  });
});

function scriptedRelay(answer: RelayFetch, acks: string[]): RelayClient {
  return { baseUrl: 'https://relay.example', callbackUrl: 'https://relay.example/cb/x/y', fetch: async () => answer, ack: async (id) => void acks.push(id), list: async () => [] };
}

test('recovery from a relay stores the result, marks the run done, and only then acknowledges', async () => {
  await withStore(async (store) => {
    const e = await store.create({ title: 'a', queryText: '', connection: 'c', requestJson: '{}', mode: 'relay', requestId: 'R5', ownerPid: DEAD });
    const acks: string[] = [];
    const body = JSON.stringify({ requestId: 'R5', status: 'SUCCESS', response: { requestedPeriod: { sentSince: 'a', sentUntil: 'b' }, totalRows: 1, columns: [{ columnName: 'N', columnDataType: 'INTEGER' }], rows: [[7]] } });
    const relay = scriptedRelay({ kind: 'ready', bodyText: body }, acks);
    const origAck = relay.ack;
    relay.ack = async (id) => {
      // At ack time the result is already stored and the run is done.
      const now = await store.get(e.id);
      assert.equal(now?.status, 'SUCCESS');
      assert.equal(now?.hasResult, true);
      await origAck(id);
    };
    const r = await recoverFromRelay(store, relay, 'R5', e);
    assert.equal(r.kind, 'stored');
    assert.deepEqual(acks, ['R5']);
    assert.deepEqual((await store.readResult(e.id) as StoredResult).response?.rows, [[7]]);
  });
});

test('recovery: a relay that has nothing yet or cannot be asked leaves the run pending', async () => {
  await withStore(async (store) => {
    const e = await store.create({ title: 'a', queryText: '', connection: 'c', requestJson: '{}', mode: 'relay', requestId: 'R6' });
    const acks: string[] = [];
    assert.equal((await recoverFromRelay(store, scriptedRelay({ kind: 'pending' }, acks), 'R6', e)).kind, 'pending');
    assert.deepEqual(await recoverFromRelay(store, scriptedRelay({ kind: 'unavailable', reason: 'HTTP 507 the relay is full' }, acks), 'R6', e), { kind: 'unavailable', reason: 'HTTP 507 the relay is full' });
    assert.equal((await store.get(e.id))?.status, 'PENDING');
    assert.deepEqual(acks, []);
  });
});

test('recovery of a COMPARE WITH run: both periods are fetched, stored together, and acknowledged only after; either id finds it', async () => {
  await withStore(async (store) => {
    const e = await store.create({ title: 'cmp', queryText: '', connection: 'c', requestJson: '[]', mode: 'relay', requestId: 'CUR', previousRequestId: 'PREV', ownerPid: DEAD });
    assert.equal((await store.findByRequestId('PREV'))?.id, e.id);
    const body = (id: string, n: number) => JSON.stringify({ requestId: id, status: 'SUCCESS', response: { requestedPeriod: { sentSince: 'a', sentUntil: 'b' }, totalRows: 1, columns: [{ columnName: 'N', columnDataType: 'INTEGER' }], rows: [[n]] } });
    const answers = new Map<string, RelayFetch>([['CUR', { kind: 'ready', bodyText: body('CUR', 7) }], ['PREV', { kind: 'pending' }]]);
    const acks: string[] = [];
    const relay: RelayClient = { ...scriptedRelay({ kind: 'pending' }, acks), fetch: async (id) => answers.get(id)! };
    // The previous period's result has not reached the relay: nothing is stored, nothing acknowledged.
    assert.equal((await recoverFromRelay(store, relay, 'CUR', e)).kind, 'pending');
    assert.equal((await store.get(e.id))?.status, 'PENDING');
    assert.equal(acks.length, 0);
    answers.set('PREV', { kind: 'ready', bodyText: body('PREV', 5) });
    relay.ack = async (id) => {
      assert.equal((await store.get(e.id))?.hasResult, true, 'stored before the relay may forget it');
      acks.push(id);
    };
    // Asked by the previous id, the whole run is recovered.
    const r = await recoverFromRelay(store, relay, 'PREV', e);
    assert.equal(r.kind, 'stored');
    assert.deepEqual(acks.sort(), ['CUR', 'PREV']);
    const stored = (await store.readResult(e.id)) as StoredResult;
    assert.deepEqual([stored.requestId, stored.response?.rows, stored.previous?.requestId, stored.previous?.response?.rows], ['CUR', [[7]], 'PREV', [[5]]]);
    const done = await store.get(e.id);
    assert.deepEqual([done?.status, done?.requestId, done?.previousRequestId], ['SUCCESS', 'CUR', 'PREV']);
  });
});

test('a COMPARE WITH run whose previous period FAILED is stored as FAILED with that period\'s message', async () => {
  await withStore(async (store) => {
    const e = await store.create({ title: 'cmp', queryText: '', connection: 'c', requestJson: '[]' });
    const ok: StoredResult = { requestId: 'C1', status: 'SUCCESS', source: 'live', response: { requestedPeriod: { sentSince: 'a', sentUntil: 'b' }, totalRows: 0, columns: [], rows: [] } };
    const done = await storeResult(store, e.id, { ...ok, previous: { requestId: 'P1', status: 'FAILED', source: 'live', failureMessage: 'Could not load data' } }, 'previous failed');
    assert.deepEqual([done.status, done.previousRequestId, done.message], ['FAILED', 'P1', 'previous failed']);
  });
});

test('two updates of one entry at the same time both land (the two request ids of a COMPARE WITH run)', async () => {
  await withStore(async (store) => {
    const e = await store.create({ title: 'cmp', queryText: '', connection: 'c', requestJson: '[]' });
    await Promise.all([store.update(e.id, { requestId: 'CUR' }), store.update(e.id, { previousRequestId: 'PREV' }), store.update(e.id, { message: 'm' })]);
    const now = await store.get(e.id);
    assert.deepEqual([now?.requestId, now?.previousRequestId, now?.message], ['CUR', 'PREV', 'm']);
  });
});
