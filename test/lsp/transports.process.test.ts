// The transports and exit rules of `node dist/server.js` as a real process: no flag means stdio, --node-ipc
// speaks over Node's IPC channel (how VS Code starts it), and the exit code is 0 only after shutdown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { ensureBuilt, SERVER_JS, spawnServer } from '../helpers/lspServer.js';

test('without a transport flag the server speaks LSP over stdio; input closed without shutdown exits with code 1', async () => {
  const s = await spawnServer({ args: [] });
  try {
    assert.equal(s.init.serverInfo?.name, 'mq-language-server');
    s.child.stdin!.end();
    assert.equal(await s.exitCode, 1);
  } finally {
    await s.stop();
  }
});

test('--node-ipc: initialize over the IPC channel, then shutdown + exit ends with code 0', async () => {
  ensureBuilt();
  const child = fork(SERVER_JS, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const answer = (id: number) => new Promise<{ result: unknown }>((resolve) => child.on('message', (m: { id?: number; result: unknown }) => m.id === id && resolve(m)));
  try {
    const init = answer(1);
    child.send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
    const r = (await init).result as { serverInfo?: { name: string }; capabilities: { completionProvider?: unknown } };
    assert.equal(r.serverInfo?.name, 'mq-language-server');
    assert.ok(r.capabilities.completionProvider);
    const down = answer(2);
    child.send({ jsonrpc: '2.0', id: 2, method: 'shutdown' });
    await down;
    child.send({ jsonrpc: '2.0', method: 'exit' });
    assert.equal(await exited, 0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});
