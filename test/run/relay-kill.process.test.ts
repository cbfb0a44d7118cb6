// The relay as a real process (the standalone bundle) killed with SIGKILL at random moments while 1,000
// callbacks arrive and a client fetches and acknowledges: every callback answered 2xx is fetched afterwards,
// byte for byte, acknowledged once and never seen again; nothing answered non-2xx is ever listed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { relayBundle, T1, tempDir } from './relay-helpers.js';

const CALLBACKS = Number(process.env.MQ_KILL_CALLBACKS ?? 1000);
const MIN_KILLS = 20;

interface Proc {
  child: ChildProcess;
  url: string;
}

function startRelayProcess(bundle: string, store: string): Promise<Proc> {
  const child = spawn(process.execPath, [bundle, '--port', '0', '--host', '127.0.0.1', '--store', store, '--rate', '100000'], {
    env: { MQ_RELAY_TOKEN: T1, PATH: process.env.PATH ?? '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`the relay did not start: ${err}`)), 10_000);
    child.stderr!.on('data', (c: Buffer) => {
      err += c.toString();
      const m = /"event":"relay\.listening"[^\n]*"url":"([^"]+)"/.exec(err) ?? /"url":"([^"]+)"[^\n]*"event":"relay\.listening"/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]! });
      }
    });
    child.once('exit', (code) => reject(new Error(`the relay exited (${code}): ${err}`)));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const AUTH = { Authorization: `Bearer ${T1}` };

function makeBody(i: number): { id: string; text: string; valid: boolean } {
  const id = `K${i}`;
  const valid = i % 37 !== 5;
  const pad = 'ü€x'.repeat(50 + ((i * 7919) % 600));
  const text = valid ? JSON.stringify({ requestId: id, status: 'FAILED', failureMessage: `${i} ${pad}` }) : `{"requestId":"${id}","status":"FAILED",`;
  return { id, text, valid };
}

test('SIGKILL at random moments during 1,000 callbacks with fetches and acks: nothing acknowledged is lost or repeated', { timeout: 300_000 }, async () => {
  const bundle = await relayBundle();
  const store = join(tempDir(), 'relay.sqlite');
  let current: Proc | undefined = await startRelayProcess(bundle, store);
  const accepted = new Map<string, string>();
  const refused = new Set<string>();
  const collected = new Map<string, string>();
  const acked = new Set<string>();
  const problems: string[] = [];
  let kills = 0;
  let sendersDone = false;

  const call = async (path: string, init: RequestInit = {}): Promise<Response | undefined> => {
    const base = current?.url;
    if (!base) return undefined;
    return fetch(base + path, { ...init, signal: AbortSignal.timeout(5000) }).catch(() => undefined);
  };

  const send = async (i: number) => {
    const { id, text, valid } = makeBody(i);
    let path: string | undefined;
    for (;;) {
      if (!path) {
        const r = await call('/callback-url', { headers: AUTH });
        if (r?.status === 200) path = ((await r.json().catch(() => ({}))) as { path?: string }).path;
        if (!path) await sleep(20);
        continue;
      }
      const r = await call(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: text });
      if (!r || r.status === 503) {
        await sleep(20);
        continue;
      }
      await r.arrayBuffer().catch(() => undefined);
      if (r.status === 200) accepted.set(id, text);
      else refused.add(id);
      if (r.status === 200 && !valid) problems.push(`${id}: an invalid body was accepted`);
      return;
    }
  };

  /** Fetches one result and acknowledges it; false when the relay is down. */
  const take = async (requestId: string): Promise<boolean> => {
    if (acked.has(requestId)) problems.push(`${requestId} was listed after its acknowledgement`);
    if (refused.has(requestId)) problems.push(`${requestId} got a non-2xx answer but is stored`);
    const got = await call(`/results/${encodeURIComponent(requestId)}`, { headers: AUTH });
    if (got?.status !== 200) return false;
    const text = await got.text().catch(() => undefined);
    if (text === undefined) return false;
    const before = collected.get(requestId);
    if (before !== undefined && before !== text) problems.push(`${requestId} changed between fetches`);
    collected.set(requestId, text);
    const del = await call(`/results/${encodeURIComponent(requestId)}`, { method: 'DELETE', headers: AUTH });
    if (del?.status !== 204) return false;
    acked.add(requestId);
    return true;
  };

  const consume = async () => {
    while (!sendersDone || collected.size < accepted.size) {
      const r = await call('/results', { headers: AUTH });
      if (r?.status !== 200) {
        await sleep(30);
        continue;
      }
      const list = ((await r.json().catch(() => ({ results: [] }))) as { results: { requestId: string }[] }).results;
      for (let i = 0; i < list.length; i += 8) {
        const ok = await Promise.all(list.slice(i, i + 8).map(({ requestId }) => take(requestId)));
        if (ok.includes(false)) break;
      }
      if (!list.length) await sleep(20);
    }
  };

  // Kills spread over the callbacks at random points (a random moment within each 1/MIN_KILLS+4 of the
  // work), so a slow shared machine still gets work done between kills and the test stays bounded.
  const killer = async () => {
    const rounds = MIN_KILLS + 4;
    for (let k = 0; k < rounds; k++) {
      const at = (k + Math.random()) * (CALLBACKS / rounds);
      while (accepted.size + refused.size < at && !sendersDone) await sleep(3 + Math.random() * 10);
      await sleep(Math.random() * 30);
      const victim = current!;
      current = undefined;
      victim.child.kill('SIGKILL');
      await new Promise((r) => victim.child.once('exit', r));
      kills++;
      current = await startRelayProcess(bundle, store);
    }
  };

  const progress = setInterval(() => process.env.MQ_KILL_DEBUG && console.error(`kills ${kills} accepted ${accepted.size} refused ${refused.size} collected ${collected.size} up ${current !== undefined}`), 1000);
  try {
    let next = 0;
    const senders = Array.from({ length: 8 }, async () => {
      while (next < CALLBACKS) await send(next++);
    });
    const killing = killer();
    const consuming = consume();
    await Promise.all(senders);
    sendersDone = true;
    await killing;
    await consuming;
    const rest = await call('/results', { headers: AUTH });
    assert.deepEqual(((await rest!.json()) as { results: unknown[] }).results, [], 'nothing is left on the relay');
  } finally {
    clearInterval(progress);
    current?.child.kill('SIGKILL');
  }
  assert.ok(kills >= MIN_KILLS, `${kills} kills`);
  assert.deepEqual(problems, []);
  assert.equal(accepted.size + refused.size, CALLBACKS);
  assert.ok(refused.size >= 20 && accepted.size >= 900, `${accepted.size} accepted, ${refused.size} refused`);
  assert.deepEqual([...collected.keys()].sort(), [...accepted.keys()].sort(), 'every accepted callback was fetched');
  for (const [id, text] of accepted) assert.equal(collected.get(id), text, `${id} is byte-identical`);
  for (const id of refused) assert.ok(!collected.has(id), `${id} was refused but fetched`);
});
