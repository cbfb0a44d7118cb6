// Random edit sequences through the real language server: `node dist/server.js --stdio` gets a
// document (an example, a generated query or token soup), then keystroke-sized incremental didChange
// notifications. After the last edit the diagnostics it publishes must be exactly those of a fresh parse of
// the final text (same codes, messages and LSP ranges), and completion, hover and formatting at the edit
// must answer within the budget. A fixed seed keeps this short in npm test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  CompletionRequest,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentFormattingRequest,
  HoverRequest,
  type Diagnostic,
} from 'vscode-languageserver-protocol';
import { mq } from '../helpers/mq.js';
import { applyEdit, editArb, exampleArb, queryArb, tokenSoupArb } from '../fuzz/generators.js';
import { Lines } from '../fuzz/properties.js';
import { spawnServer, type SpawnedServer } from '../helpers/lspServer.js';

/** Per request, over JSON-RPC and a process boundary, on a shared machine. */
const REQUEST_BOUND_MS = 2000;

let server: SpawnedServer;
let conn: SpawnedServer['conn'];
let errors: string[];

before(async () => {
  server = await spawnServer({ initializationOptions: { diagnosticsDelayMs: 0 } });
  conn = server.conn;
  errors = server.errors;
});

after(async () => {
  await server?.stop();
});

const diagnosticsAt = (uri: string, version: number): Promise<Diagnostic[]> => server.diagnostics(uri, version, REQUEST_BOUND_MS * 2);

async function timedRequest<T>(what: string, p: Promise<T>): Promise<T> {
  const t0 = performance.now();
  const r = await p;
  const ms = performance.now() - t0;
  assert.ok(ms < REQUEST_BOUND_MS, `${what} took ${ms.toFixed(0)} ms`);
  return r;
}

const key = (d: { code?: unknown; message: unknown; range: { start: { line: number; character: number }; end: { line: number; character: number } } }) =>
  `${String(d.code)} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${typeof d.message === 'string' ? d.message : JSON.stringify(d.message)}`;

let docNo = 0;

test('random incremental edits through the server: diagnostics equal a fresh parse, requests stay fast', async () => {
  await fc.assert(
    fc.asyncProperty(fc.oneof(exampleArb, queryArb, tokenSoupArb), fc.array(editArb, { minLength: 1, maxLength: 8 }), async (initial, edits) => {
      const uri = `file:///fuzz/${docNo++}.mq`;
      let text = initial;
      let version = 1;
      await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'mq', version, text } });
      let at = { line: 0, character: 0 };
      for (const e of edits) {
        const lines = new Lines(text);
        let { start, end } = applyEdit(text, e);
        // LSP positions cannot split \r\n.
        if (text[start - 1] === '\r' && text[start] === '\n') start++;
        if (end < start || (text[end - 1] === '\r' && text[end] === '\n')) end = Math.max(start, end + 1);
        const range = { start: lines.position(start), end: lines.position(end) };
        text = text.slice(0, start) + e.text + text.slice(end);
        at = new Lines(text).position(start + e.text.length);
        await conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: ++version }, contentChanges: [{ range, text: e.text }] });
      }
      const got = await diagnosticsAt(uri, version);
      // The server resolves now/today with the real clock; so does the expectation.
      const expected = mq.analyse(mq.parse(text), { now: new Date() });
      // Messages may mention the resolved "now" of the server's clock; compare them without digits.
      const norm = (s: string) => s.replace(/\d{4}-\d\d-\d\dT[\d:.]+[+Z0-9]*/g, '<time>');
      assert.deepEqual(got.map((d) => norm(key(d))).sort(), expected.map((d) => norm(key({ ...d, code: d.code }))).sort(), `diagnostics after edits of ${JSON.stringify(initial.slice(0, 300))} → ${JSON.stringify(text.slice(0, 300))}`);
      const td = { uri };
      await timedRequest('completion', conn.sendRequest(CompletionRequest.type, { textDocument: td, position: at }));
      await timedRequest('hover', conn.sendRequest(HoverRequest.type, { textDocument: td, position: at }));
      await timedRequest('formatting', conn.sendRequest(DocumentFormattingRequest.type, { textDocument: td, options: { tabSize: 2, insertSpaces: true } }));
      await conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: td });
      assert.deepEqual(errors.filter((m) => /Error|at .+:\d+:\d+/.test(m)), [], 'the server logged errors');
    }),
    { seed: 0x5e4, numRuns: 40 },
  );
});
