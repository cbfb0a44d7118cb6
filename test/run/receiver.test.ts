// The callback receiver rejects everything but one JSON POST per request id on its slot path.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { CallbackReceiver, MAX_EARLY_RESULTS, type CallbackSlot } from '../../server/src/run/receiver.js';
import { RawInteger } from '../../server/src/core/compile/wire.js';

let rcv: CallbackReceiver;
let slot: CallbackSlot;
before(async () => {
  rcv = await CallbackReceiver.start({ maxBodyBytes: 2048 });
  slot = rcv.openSlot();
});
after(() => rcv.close());

const ok = (id: string) => JSON.stringify({ requestId: id, status: 'SUCCESS', response: { requestedPeriod: { sentSince: 'a', sentUntil: 'b' }, totalRows: 1, columns: [{ columnName: 'X', columnDataType: 'INTEGER' }], rows: [['BIG']] } }).replace('"BIG"', '9223372036854775807');
const post = (url: string, body: string, type = 'application/json', method = 'POST') =>
  fetch(url, { method, headers: { 'Content-Type': type }, ...(method === 'GET' ? {} : { body }) });

test('the slot path is unguessable and on the listener', () => {
  assert.match(slot.callbackUrl, new RegExp(`^${rcv.localUrl}/mq/callback/[A-Za-z0-9_-]{24}$`));
  assert.notEqual(rcv.openSlot().token, slot.token);
});

test('wrong path → 404, GET → 405, text/plain → 415', async () => {
  assert.equal((await post(`${rcv.localUrl}/mq/callback/guessguessguessguessguess`, ok('A'))).status, 404);
  assert.equal((await post(`${rcv.localUrl}/`, ok('A'))).status, 404);
  assert.equal((await post(slot.callbackUrl, '', 'application/json', 'GET')).status, 405);
  assert.equal((await post(slot.callbackUrl, ok('A'), 'text/plain')).status, 415);
  assert.equal(slot.results.size, 0);
});

test('malformed JSON and wrong shapes → 400, recorded but without effect', async () => {
  assert.equal((await post(slot.callbackUrl, '{"requestId":')).status, 400);
  assert.equal((await post(slot.callbackUrl, '{"status":"SUCCESS"}')).status, 400);
  assert.equal((await post(slot.callbackUrl, '{"requestId":"A","status":"DONE"}')).status, 400);
  assert.equal((await post(slot.callbackUrl, '{"requestId":"A","status":"SUCCESS","response":{"columns":[{}],"rows":[[1,2]]}}')).status, 400);
  assert.match(slot.lastRejection ?? '', /row does not match/);
  assert.equal(slot.results.size, 0);
});

test('oversized body → 413', async () => {
  const big = JSON.stringify({ requestId: 'B', status: 'FAILED', failureMessage: 'x'.repeat(5000) });
  const r = await post(slot.callbackUrl, big).catch(() => undefined);
  assert.ok(!r || r.status === 413);
  assert.equal(slot.results.has('B'), false);
});

test('accepted once per request id (200 then 409), losslessly, even before anyone waits', async () => {
  assert.equal((await post(slot.callbackUrl, ok('C'))).status, 200);
  assert.equal((await post(slot.callbackUrl, ok('C'))).status, 409);
  const r = await slot.wait('C');
  assert.ok(r.response!.rows[0]![0] instanceof RawInteger);
  assert.equal((r.response!.rows[0]![0] as RawInteger).digits, '9223372036854775807');
});

test('a waiter is woken by the delivery', async () => {
  const s = rcv.openSlot();
  const p = s.wait('D');
  assert.equal((await post(s.callbackUrl, ok('D'))).status, 200);
  assert.equal((await p).requestId, 'D');
  s.close();
});

test('once the run knows its request id, results for other ids are refused (409) and dropped', async () => {
  const s = rcv.openSlot();
  assert.equal((await post(s.callbackUrl, ok('early-other'))).status, 200, 'kept: the id is not known yet');
  const p = s.wait('mine');
  assert.equal(s.results.has('early-other'), false, 'results for other ids are dropped when the id is known');
  const r = await post(s.callbackUrl, ok('another'));
  assert.equal(r.status, 409);
  assert.match(((await r.json()) as { message: string }).message, /another request id/);
  assert.match(s.lastRejection ?? '', /another request id \(another\)/);
  assert.equal((await post(s.callbackUrl, ok('mine'))).status, 200);
  assert.equal((await p).requestId, 'mine');
  s.close();
});

test('before the request id is known, at most MAX_EARLY_RESULTS results are kept (then 429)', async () => {
  const s = rcv.openSlot();
  for (let i = 0; i < MAX_EARLY_RESULTS; i++) assert.equal((await post(s.callbackUrl, ok(`e${i}`))).status, 200);
  const r = await post(s.callbackUrl, ok('one-too-many'));
  assert.equal(r.status, 429);
  assert.equal(s.results.size, MAX_EARLY_RESULTS);
  assert.match(s.lastRejection ?? '', new RegExp(`more than ${MAX_EARLY_RESULTS} results`));
  // The run's own result, if it was among the early ones, is still there for it.
  assert.equal((await s.wait('e2')).requestId, 'e2');
  s.close();
});

test('a closed slot answers 404', async () => {
  const s2 = rcv.openSlot();
  s2.close();
  assert.equal((await post(s2.callbackUrl, ok('E'))).status, 404);
});

test('public base URL: callback URLs use it, and a forwarded prefix still matches', async () => {
  const r2 = await CallbackReceiver.start({ publicBaseUrl: 'https://tunnel.example/fwd/' });
  try {
    const sl = r2.openSlot();
    assert.match(sl.callbackUrl, /^https:\/\/tunnel\.example\/fwd\/mq\/callback\//);
    assert.equal((await post(`${r2.localUrl}/fwd${sl.path}`, ok('F'))).status, 200);
  } finally {
    await r2.close();
  }
});
