// dist/relay.js on its own: copied alone into an empty directory and run with plain node (no node_modules),
// with a tokens file, the default store path, SIGHUP reload, JSON logs and a clean exit on SIGTERM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { relayBundle, resultBody, T1, T2, tempDir } from './relay-helpers.js';

test('the standalone relay runs alone: hash a token, serve a team from a tokens file, reload on SIGHUP, stop on SIGTERM', { timeout: 60_000 }, async () => {
  const dir = tempDir('mq-relay-alone-');
  copyFileSync(await relayBundle(), join(dir, 'relay.js'));
  assert.deepEqual(readdirSync(dir), ['relay.js']);
  const env = { PATH: process.env.PATH ?? '', HOME: dir, XDG_STATE_HOME: join(dir, 'state') };
  const hashed = spawnSync(process.execPath, ['relay.js', '--hash-token', 'alice'], { cwd: dir, env: { ...env, MQ_RELAY_TOKEN: T1 }, encoding: 'utf8' });
  assert.equal(hashed.status, 0, hashed.stderr);
  assert.match(hashed.stdout, /^alice [0-9a-f]{64}\n$/);
  assert.ok(!hashed.stdout.includes(T1));
  writeFileSync(join(dir, 'tokens'), `# users\n${hashed.stdout}`);

  const child = spawn(process.execPath, ['relay.js', '--tokens-file', 'tokens', '--port', '0', '--host', '127.0.0.1'], { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let logs = '';
  child.stderr.on('data', (c: Buffer) => (logs += c.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  try {
    for (let i = 0; i < 200 && !logs.includes('relay.listening'); i++) await new Promise((r) => setTimeout(r, 25));
    const url = /"url":"([^"]+)"/.exec(logs)?.[1];
    assert.ok(url, logs);
    assert.ok(existsSync(join(dir, 'state', 'mq', 'relay.sqlite')), 'the default store is under $XDG_STATE_HOME/mq');
    assert.equal((await fetch(`${url}/healthz`)).status, 200);
    const auth = (t: string) => ({ headers: { Authorization: `Bearer ${t}` } });
    const { path } = (await (await fetch(`${url}/callback-url`, auth(T1))).json()) as { path: string };
    assert.equal((await fetch(url + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: resultBody('S1') })).status, 200);
    assert.equal(await (await fetch(`${url}/results/S1`, auth(T1))).text(), resultBody('S1'));
    assert.equal((await fetch(`${url}/results`, auth(T2))).status, 401);
    const bob = spawnSync(process.execPath, ['relay.js', '--hash-token', 'bob'], { cwd: dir, env: { ...env, MQ_RELAY_TOKEN: T2 }, encoding: 'utf8' }).stdout;
    writeFileSync(join(dir, 'tokens'), hashed.stdout + bob);
    child.kill('SIGHUP');
    let status = 0;
    for (let i = 0; i < 100 && status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 30));
      status = (await fetch(`${url}/results`, auth(T2))).status;
    }
    assert.equal(status, 200, 'bob is accepted after SIGHUP');
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  } finally {
    child.kill('SIGKILL');
  }
  const lines = logs.trim().split('\n');
  for (const l of lines) assert.doesNotThrow(() => JSON.parse(l), l);
  assert.ok(lines.some((l) => l.includes('"event":"tokens.reloaded"')));
  assert.ok(lines.at(-1)!.includes('"event":"relay.stopped"'));
  for (const secret of [T1, T2, 'failureMessage']) assert.ok(!logs.includes(secret));
});
