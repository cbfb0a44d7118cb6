// End to end: spawns `node dist/server.js --stdio` (run `npm run build` first) and talks real JSON-RPC
// to it, as a non-VS Code client would (no pull diagnostics, plain capabilities).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CodeActionRequest,
  CompletionRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentFormattingRequest,
  DocumentSymbolRequest,
  ExitNotification,
  FoldingRangeRequest,
  HoverRequest,
  InlayHintRequest,
  SemanticTokensRequest,
  ShutdownRequest,
  type CompletionItem,
  type CompletionList,
  type Diagnostic,
  type InitializeResult,
} from 'vscode-languageserver-protocol';
import { spawnServer, type SpawnedServer } from '../helpers/lspServer.js';

const URI = 'file:///work/example.mq';

let server: SpawnedServer;
let conn: SpawnedServer['conn'];
let init: InitializeResult;

const nextDiagnostics = (version: number): Promise<Diagnostic[]> => server.diagnostics(URI, version, 5000);

const TEXT = `-- first
SELECT DELIVERED_TRAFFIC_COUNT, TRAFFIC_DELIVERY_RATE
BY DAY
WHERE channelCode = SMS AND sentSince = now - 7d AND sentUntil = now;

SELECT DELIVERD_TRAFFIC_COUNT BY DAY WHERE channelCode = SMS;
`;

before(async () => {
  server = await spawnServer({
    capabilities: {
      workspace: { configuration: true },
      textDocument: {
        completion: { completionItem: { snippetSupport: true, tagSupport: { valueSet: [1] }, insertReplaceSupport: true } },
        hover: { contentFormat: ['markdown', 'plaintext'] },
        publishDiagnostics: { relatedInformation: true },
        documentSymbol: { hierarchicalDocumentSymbolSupport: true },
        codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
      },
    },
  });
  conn = server.conn;
  init = server.init;
  await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: URI, languageId: 'mq', version: 1, text: TEXT } });
});

after(async () => {
  await server?.stop();
});

test('initialize: capabilities for every feature, incremental sync, push diagnostics', () => {
  const c = init.capabilities;
  assert.deepEqual(c.textDocumentSync, { openClose: true, change: 2 });
  for (const k of ['completionProvider', 'hoverProvider', 'codeActionProvider', 'documentFormattingProvider', 'documentRangeFormattingProvider', 'documentSymbolProvider', 'foldingRangeProvider', 'semanticTokensProvider', 'inlayHintProvider'] as const) {
    assert.ok(c[k], k);
  }
  assert.equal(c.diagnosticProvider, undefined, 'no pull diagnostics for a client that does not support them');
});

test('diagnostics: codes, source, positions', async () => {
  const d = await nextDiagnostics(1);
  const codes = d.map((x) => x.code).sort();
  assert.ok(codes.includes('unknown-metric'), JSON.stringify(codes));
  assert.ok(codes.includes('missing-required-filter'));
  assert.ok(d.every((x) => x.source === 'mq'));
  const unknown = d.find((x) => x.code === 'unknown-metric')!;
  assert.deepEqual(unknown.range, { start: { line: 5, character: 7 }, end: { line: 5, character: 29 } });
});

test('didChange (incremental) republishes with the new version', async () => {
  await conn.sendNotification(DidChangeTextDocumentNotification.type, {
    textDocument: { uri: URI, version: 2 },
    contentChanges: [{ range: { start: { line: 5, character: 7 }, end: { line: 5, character: 29 } }, text: 'DELIVERED_TRAFFIC_COUNT' }],
  });
  const d = await nextDiagnostics(2);
  assert.ok(!d.some((x) => x.code === 'unknown-metric'));
  assert.ok(d.some((x) => x.code === 'missing-required-filter' && x.range.start.line === 5));
});

test('completion: metrics after SELECT, compatible first', async () => {
  const r = (await conn.sendRequest(CompletionRequest.type, { textDocument: { uri: URI }, position: { line: 1, character: 7 } })) as CompletionList;
  const items: CompletionItem[] = r.items;
  assert.ok(items.some((i) => i.label === 'DELIVERED_TRAFFIC_COUNT'));
  const email = items.find((i) => i.label === 'UNIQUE_OPENS_COUNT' || i.label === 'SEEN_OPENED_TRAFFIC_COUNT');
  assert.ok(email);
});

test('completion: values after channelCode =', async () => {
  const r = (await conn.sendRequest(CompletionRequest.type, { textDocument: { uri: URI }, position: { line: 3, character: 20 } })) as CompletionList;
  assert.ok(r.items.some((i) => i.label === 'SMS'), JSON.stringify(r.items.map((i) => i.label)));
});

test('completion inside a word: insert and replace ranges, so the editor setting decides', async () => {
  const r = (await conn.sendRequest(CompletionRequest.type, { textDocument: { uri: URI }, position: { line: 1, character: 10 } })) as CompletionList;
  const item = r.items.find((i) => i.label === 'DELIVERED_TRAFFIC_COUNT');
  assert.ok(item?.textEdit && 'insert' in item.textEdit, JSON.stringify(item?.textEdit));
  assert.deepEqual(item.textEdit.insert, { start: { line: 1, character: 7 }, end: { line: 1, character: 10 } });
  assert.deepEqual(item.textEdit.replace, { start: { line: 1, character: 7 }, end: { line: 1, character: 30 } });
});

test('a typed space after a whole condition opens no keyword list (Enter must start a new line); invoking does', async () => {
  const position = { line: 3, character: 24 }; // WHERE channelCode = SMS |AND ...
  const typed = (await conn.sendRequest(CompletionRequest.type, { textDocument: { uri: URI }, position, context: { triggerKind: 2, triggerCharacter: ' ' } })) as CompletionList;
  assert.deepEqual(typed.items, []);
  const invoked = (await conn.sendRequest(CompletionRequest.type, { textDocument: { uri: URI }, position, context: { triggerKind: 1 } })) as CompletionList;
  assert.ok(invoked.items.some((i) => i.label === 'AND'));
  // After SELECT a space still lists the metrics.
  const metrics = (await conn.sendRequest(CompletionRequest.type, { textDocument: { uri: URI }, position: { line: 1, character: 7 }, context: { triggerKind: 2, triggerCharacter: ' ' } })) as CompletionList;
  assert.ok(metrics.items.some((i) => i.label === 'TOTAL_TRAFFIC_COUNT'));
});

test('hover on a metric and on a relative time', async () => {
  const h = await conn.sendRequest(HoverRequest.type, { textDocument: { uri: URI }, position: { line: 1, character: 10 } });
  assert.ok(h && typeof h.contents === 'object' && 'value' in h.contents && h.contents.value.includes('DELIVERED_TRAFFIC_COUNT'));
  const t = await conn.sendRequest(HoverRequest.type, { textDocument: { uri: URI }, position: { line: 3, character: 42 } });
  assert.ok(t && 'value' in (t.contents as object) && /resolves to `\d{4}-\d\d-\d\dT/.test((t.contents as { value: string }).value));
});

test('code action: add the missing required filters', async () => {
  const d = await nextDiagnostics(2);
  const missing = d.find((x) => x.code === 'missing-required-filter')!;
  const actions = await conn.sendRequest(CodeActionRequest.type, { textDocument: { uri: URI }, range: missing.range, context: { diagnostics: [missing] } });
  const add = actions?.find((a) => 'title' in a && a.title.startsWith('Add the required'));
  assert.ok(add && 'edit' in add && add.edit?.changes?.[URI]?.[0]?.newText.includes('sentSince = now - 7d'));
});

test('formatting, semantic tokens, symbols, folding, inlay hints', async () => {
  const edits = await conn.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri: URI }, options: { tabSize: 2, insertSpaces: true } });
  assert.ok(Array.isArray(edits));
  const tokens = await conn.sendRequest(SemanticTokensRequest.type, { textDocument: { uri: URI } });
  assert.ok(tokens && tokens.data.length > 0 && tokens.data.length % 5 === 0);
  const symbols = await conn.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: URI } });
  assert.equal(symbols?.length, 2);
  assert.equal(symbols?.[0]?.name, 'DELIVERED_TRAFFIC_COUNT, TRAFFIC_DELIVERY_RATE');
  const folds = await conn.sendRequest(FoldingRangeRequest.type, { textDocument: { uri: URI } });
  assert.ok(folds?.some((f) => f.startLine === 1 && f.endLine === 3));
  const hints = await conn.sendRequest(InlayHintRequest.type, { textDocument: { uri: URI }, range: { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } } });
  assert.ok(hints?.some((h) => h.label === ', CHANNEL_CODE'));
  assert.ok(hints?.some((h) => typeof h.label === 'string' && h.label.startsWith('= ')));
});

test('formatting keeps CRLF line endings, and a formatted CRLF document gets no edit', async () => {
  const crlf = 'file:///work/crlf.mq';
  const tidy = 'SELECT DELIVERED_TRAFFIC_COUNT\r\nBY DAY\r\nWHERE channelCode = SMS\r\n  AND sentSince = now - 7d\r\n  AND sentUntil = now;\r\n';
  await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: crlf, languageId: 'mq', version: 1, text: tidy } });
  const none = await conn.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri: crlf }, options: { tabSize: 2, insertSpaces: true } });
  assert.deepEqual(none, []);
  await conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: crlf, version: 2 }, contentChanges: [{ text: tidy.replace('BY DAY', 'by   day') }] });
  const edits = await conn.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri: crlf }, options: { tabSize: 2, insertSpaces: true } });
  assert.equal(edits?.length, 1);
  assert.equal(edits![0]!.newText, tidy);
});

test('bad positions and unknown documents get valid, empty answers', async () => {
  for (const position of [{ line: 999, character: 999 }, { line: 0, character: 999 }, { line: 6, character: 0 }]) {
    const r = await conn.sendRequest(CompletionRequest.type, { textDocument: { uri: URI }, position });
    assert.ok(r && 'items' in r);
    await conn.sendRequest(HoverRequest.type, { textDocument: { uri: URI }, position });
  }
  const none = await conn.sendRequest(HoverRequest.type, { textDocument: { uri: 'file:///nope.mq' }, position: { line: 0, character: 0 } });
  assert.equal(none, null);
});

test('code action: a stray ";" before ORDER BY is removed by the quick fix on the syntax error', async () => {
  // Line 3 ends the first query with ";"; put ORDER BY on a new line after it.
  await conn.sendNotification(DidChangeTextDocumentNotification.type, {
    textDocument: { uri: URI, version: 3 },
    contentChanges: [{ range: { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } }, text: 'ORDER BY DELIVERED_TRAFFIC_COUNT DESC\n' }],
  });
  const d = await nextDiagnostics(3);
  const stray = d.find((x) => x.code === 'syntax-error' && x.range.start.line === 4);
  assert.ok(stray, JSON.stringify(d.map((x) => [x.code, x.range.start])));
  const actions = await conn.sendRequest(CodeActionRequest.type, { textDocument: { uri: URI }, range: stray.range, context: { diagnostics: [stray] } });
  const fix = actions?.find((a) => 'title' in a && a.title.startsWith('Remove the ";"'));
  assert.ok(fix && 'edit' in fix, JSON.stringify(actions));
  const edits = fix.edit?.changes?.[URI] ?? [];
  assert.deepEqual(edits, [{ range: { start: { line: 3, character: 68 }, end: { line: 3, character: 69 } }, newText: '' }]);
});

test('no errors logged, then shutdown and exit with code 0', async () => {
  assert.deepEqual(server.errors, []);
  await conn.sendRequest(ShutdownRequest.type);
  await conn.sendNotification(ExitNotification.type);
  assert.equal(await server.exitCode, 0);
});
