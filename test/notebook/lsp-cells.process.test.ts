// Language features in notebook cells: VS Code sends each mq cell as a text document with a
// vscode-notebook-cell: URI. The real server process (dist/server.js over stdio) checks and completes
// such documents like .mq files, each cell on its own.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import {
  CompletionRequest,
  DidOpenTextDocumentNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  type CompletionItem,
  type CompletionList,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol';

const serverJs = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'server.js');
const CELL_BAD = 'vscode-notebook-cell:/work/report.mqnb#W1sZmlsZQ%3D%3D';
const CELL_GOOD = 'vscode-notebook-cell:/work/report.mqnb#W2sZmlsZQ%3D%3D';

let child: ChildProcess;
let conn: MessageConnection;
const published = new Map<string, PublishDiagnosticsParams>();
const waiters: (() => void)[] = [];

function diagnosticsOf(uri: string): Promise<PublishDiagnosticsParams> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri}`)), 10_000);
    const check = (): boolean => {
      const p = published.get(uri);
      if (!p) return false;
      clearTimeout(timer);
      resolve(p);
      return true;
    };
    if (!check()) waiters.push(() => void check());
  });
}

before(async () => {
  child = spawn(process.execPath, [serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  conn = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
    published.set(p.uri, p);
    for (const w of waiters) w();
  });
  conn.onRequest('workspace/configuration', () => [{ diagnostics: { openApiOnlyChannels: 'off' } }]);
  conn.listen();
  await conn.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } } });
  await conn.sendNotification(InitializedNotification.type, {});
  const open = (uri: string, text: string) => conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'mq', version: 1, text } });
  await open(CELL_BAD, 'SELECT DELIVERD_TRAFFIC_COUNT\nWHERE channelCode = SMS AND sentSince = now - 1d AND sentUntil = now;');
  await open(CELL_GOOD, 'SELECT DELIVERED_TRAFFIC_COUNT\nWHERE channelCode = SMS AND sentSince = now - 1d AND sentUntil = now;');
});

after(() => {
  conn?.dispose();
  child?.kill();
});

test('a notebook cell with an unknown metric gets a diagnostic on its own URI; a correct cell gets none', async () => {
  const bad = await diagnosticsOf(CELL_BAD);
  assert.equal(bad.diagnostics.length, 1);
  assert.equal(bad.diagnostics[0]!.code, 'unknown-metric');
  assert.equal(bad.diagnostics[0]!.range.start.line, 0);
  const good = await diagnosticsOf(CELL_GOOD);
  assert.deepEqual(good.diagnostics, []);
});

test('completion and hover work inside a notebook cell', async () => {
  const r = (await conn.sendRequest(CompletionRequest.type, { textDocument: { uri: CELL_GOOD }, position: { line: 0, character: 7 } })) as CompletionList | CompletionItem[];
  const items = Array.isArray(r) ? r : r.items;
  assert.ok(items.some((i) => i.label === 'DELIVERED_TRAFFIC_COUNT'));
  const hover = await conn.sendRequest(HoverRequest.type, { textDocument: { uri: CELL_GOOD }, position: { line: 0, character: 10 } });
  assert.match(JSON.stringify(hover?.contents ?? ''), /DELIVERED_TRAFFIC_COUNT/);
});
