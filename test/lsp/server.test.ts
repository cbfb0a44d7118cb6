// The language server in this process: startServer on a vscode-languageserver connection over two in-memory
// streams, with the language core and clock handed in. Real JSON-RPC both ways, no child process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CompletionRequest,
  DiagnosticRefreshRequest,
  DidChangeConfigurationNotification,
  DocumentDiagnosticRequest,
  ExitNotification,
  HoverRequest,
  ShutdownRequest,
  type CompletionList,
  type FullDocumentDiagnosticReport,
  type Hover,
} from 'vscode-languageserver-protocol';
import { coreWith, TEST_CORE } from '../helpers/languageCore.js';
import { startInProcess } from '../helpers/lspServer.js';
import { FIXED_NOW } from '../helpers/mq.js';

const URI = 'file:///work/inprocess.mq';
const TEXT = `SELECT DELIVERD_TRAFFIC_COUNT BY DAY
WHERE channelCode = SMS AND sentSince = now - 7d AND sentUntil = now;
SELECT TOTAL_TRAFFIC_COUNT WHERE channelCode = SMS AND sentSince = now - 1d AND sentUntil = now;
`;
const clock = () => FIXED_NOW;

test('initialize, didOpen → diagnostics, completion, shutdown and exit over a stream pair', async () => {
  const s = await startInProcess(TEST_CORE, clock, { initializationOptions: { diagnosticsDelayMs: 0 } });
  try {
    assert.equal(s.init.serverInfo?.name, 'mq-language-server');
    assert.deepEqual(s.init.capabilities.textDocumentSync, { openClose: true, change: 2 });
    assert.equal(s.init.capabilities.diagnosticProvider, undefined, 'push diagnostics for a client without pull support');

    await s.open(URI, TEXT);
    const d = await s.diagnostics(URI, 1);
    assert.deepEqual(d.map((x) => x.code), ['unknown-metric']);
    assert.deepEqual(d[0]!.range, { start: { line: 0, character: 7 }, end: { line: 0, character: 29 } });

    const list = (await s.conn.sendRequest(CompletionRequest.type, { textDocument: { uri: URI }, position: { line: 2, character: 7 } })) as CompletionList;
    assert.ok(list.items.some((i) => i.label === 'TOTAL_TRAFFIC_COUNT'));
    // The client sent no snippet support: no item is a snippet.
    assert.ok(list.items.every((i) => i.insertTextFormat !== 2));

    // The injected clock resolves relative times.
    const h = (await s.conn.sendRequest(HoverRequest.type, { textDocument: { uri: URI }, position: { line: 1, character: 44 } })) as Hover;
    assert.match(JSON.stringify(h.contents), /2026-10-29T10:20:30\.123/);

    await s.conn.sendRequest(ShutdownRequest.type);
    await s.conn.sendNotification(ExitNotification.type);
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(s.exitRequested, 0, 'exit after shutdown asks for code 0');
    assert.deepEqual(s.errors, []);
  } finally {
    s.stop();
  }
});

test('exit without shutdown asks for code 1', async () => {
  const s = await startInProcess(TEST_CORE, clock);
  try {
    await s.conn.sendNotification(ExitNotification.type);
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(s.exitRequested, 1);
  } finally {
    s.stop();
  }
});

test('a core whose analyse throws: the error is logged, the document stays consistent and the server keeps answering', async () => {
  let broken = true;
  const core = coreWith({
    analyse: (doc, ctx) => {
      if (broken) throw new Error('a rule exploded');
      return TEST_CORE.analyse(doc, ctx);
    },
  });
  const s = await startInProcess(core, clock, { initializationOptions: { diagnosticsDelayMs: 0 } });
  try {
    await s.open(URI, TEXT);
    assert.deepEqual(await s.diagnostics(URI, 1), [], 'no diagnostics for queries the analyser failed on');
    assert.ok(s.errors.some((e) => /the analyser failed on 2 queries of file:\/\/\/work\/inprocess\.mq/.test(e) && /a rule exploded/.test(e)), s.errors.join('\n'));

    // An edit while the analyser still throws: the text and positions follow the edit.
    await s.change(URI, 2, [{ range: { start: { line: 2, character: 7 }, end: { line: 2, character: 7 } }, text: 'TO' }]);
    assert.deepEqual(await s.diagnostics(URI, 2), []);
    const list = (await s.conn.sendRequest(CompletionRequest.type, { textDocument: { uri: URI }, position: { line: 2, character: 9 } })) as CompletionList;
    const item = list.items.find((i) => i.label === 'TOTAL_TRAFFIC_COUNT');
    assert.ok(item?.textEdit && 'range' in item.textEdit);
    assert.deepEqual(item.textEdit.range, { start: { line: 2, character: 7 }, end: { line: 2, character: 9 } }, 'the completion range sees the edited text');

    // Once the analyser works again, the query edited next gets its diagnostics, at the right place.
    broken = false;
    await s.change(URI, 3, [{ range: { start: { line: 2, character: 7 }, end: { line: 2, character: 9 } }, text: 'X' }]);
    const d = await s.diagnostics(URI, 3);
    assert.deepEqual(d.map((x) => [x.code, x.range.start.line, x.range.start.character, x.range.end.character]), [['unknown-metric', 2, 7, 27]]);
  } finally {
    s.stop();
  }
});

test('a feature that throws answers empty and logs, and the other features keep working', async () => {
  const core = coreWith({
    hover: () => {
      throw new Error('hover broke');
    },
  });
  const s = await startInProcess(core, clock);
  try {
    await s.open(URI, TEXT);
    const h = await s.conn.sendRequest(HoverRequest.type, { textDocument: { uri: URI }, position: { line: 0, character: 10 } });
    assert.equal(h, null);
    assert.ok(s.errors.some((e) => /request failed: .*hover broke/s.test(e)), s.errors.join('\n'));
    const list = (await s.conn.sendRequest(CompletionRequest.type, { textDocument: { uri: URI }, position: { line: 2, character: 7 } })) as CompletionList;
    assert.ok(list.items.length > 0);
  } finally {
    s.stop();
  }
});

const FACEBOOK = 'SELECT TOTAL_TRAFFIC_COUNT WHERE channelCode = FACEBOOK AND sentSince = now - 1d AND sentUntil = now;\n';
const hintsIn = (d: { code?: unknown; severity?: number }[]) => d.filter((x) => x.code === 'unknown-value').map((x) => x.severity);

test('a changed analyser option (pushed settings) re-analyses open documents and republishes', async () => {
  const s = await startInProcess(TEST_CORE, clock, { initializationOptions: { diagnosticsDelayMs: 0 } });
  try {
    await s.open(URI, FACEBOOK);
    assert.deepEqual(hintsIn(await s.diagnostics(URI, 1)), [], 'off by default');
    const again = s.nextDiagnostics(URI);
    await s.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: { mq: { diagnostics: { openApiOnlyChannels: 'hint' } } } });
    assert.deepEqual(hintsIn(await again), [4], 'a hint on FACEBOOK');
  } finally {
    s.stop();
  }
});

test('a pull client: no publication, a refresh request after a settings change, and the pulled report follows', async () => {
  const s = await startInProcess(TEST_CORE, clock, {
    capabilities: { textDocument: { diagnostic: {} }, workspace: { configuration: true } },
    configuration: { diagnostics: { openApiOnlyChannels: 'warning' } },
  });
  let refreshed = 0;
  s.conn.onRequest(DiagnosticRefreshRequest.type, () => {
    refreshed++;
  });
  try {
    assert.deepEqual(s.init.capabilities.diagnosticProvider, { interFileDependencies: false, workspaceDiagnostics: false });
    await s.open(URI, FACEBOOK);
    // initialized → workspace/configuration → warning: the server asks the client to pull again.
    for (let i = 0; i < 50 && refreshed === 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(refreshed, 1);
    const r = (await s.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: URI } })) as FullDocumentDiagnosticReport;
    assert.deepEqual(hintsIn(r.items), [2], 'a warning on FACEBOOK');
    await assert.rejects(s.nextDiagnostics(URI, 100), /no diagnostics/, 'nothing is pushed to a pull client');
  } finally {
    s.stop();
  }
});
