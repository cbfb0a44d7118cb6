// mq.diagnostics.maxNumberOfProblems: spawns `node dist/server.js --stdio` (run `npm run build` first). A
// document with more problems than the cap gets the problems around the last edit (the start of the file
// before any edit) plus one information diagnostic with the counts; 0 publishes everything; pull
// diagnostics follow the same cap. Also the problem counts the document model keeps per segment.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentDiagnosticRequest,
  type ClientCapabilities,
  type Diagnostic,
  type FullDocumentDiagnosticReport,
} from 'vscode-languageserver-protocol';
import { DocumentModel } from '../../server/src/lsp/documentModel.js';
import { mq } from '../helpers/mq.js';
import { TEST_CORE } from '../helpers/languageCore.js';
import { spawnServer, type SpawnedServer } from '../helpers/lspServer.js';

const URI = 'file:///work/many.mq';
const N = 30;
/** One problem per query (unknown metric on line 2k, characters 7..29), each query on two lines. */
const QUERY = 'SELECT DELIVERD_TRAFFIC_COUNT BY DAY\nWHERE channelCode = SMS AND sentSince = now - 7d AND sentUntil = now;\n';
const TEXT = QUERY.repeat(N);
const FIXED = 'DELIVERED_TRAFFIC_COUNT';

type Server = SpawnedServer & { next(version: number): Promise<Diagnostic[]> };

const servers: SpawnedServer[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

async function start(opts: { init?: Record<string, unknown>; config?: unknown; capabilities?: ClientCapabilities }): Promise<Server> {
  const s = await spawnServer({
    capabilities: opts.capabilities ?? { workspace: { configuration: opts.config !== undefined } },
    initializationOptions: { diagnosticsDelayMs: 0, ...(opts.init ?? {}) },
    configuration: opts.config ?? {},
  });
  servers.push(s);
  return Object.assign(s, { next: (version: number) => s.diagnostics(URI, version) });
}

const lineOfQuery = (k: number) => 2 * k;
const problemLines = (d: Diagnostic[]) => d.filter((x) => x.code !== 'too-many-problems').map((x) => x.range.start.line);
const summary = (d: Diagnostic[]) => d.filter((x) => x.code === 'too-many-problems').map((x) => ({ ...x, message: String(x.message) }));

test('more problems than the cap: the first ones, then those around the last edit, and a summary', async () => {
  const s = await start({ init: { diagnostics: { maxNumberOfProblems: 10 } } });
  await s.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: URI, languageId: 'mq', version: 1, text: TEXT } });
  const d1 = await s.next(1);
  assert.equal(d1.length, 11);
  assert.deepEqual(problemLines(d1), Array.from({ length: 10 }, (_, k) => lineOfQuery(k)), 'before any edit: the start of the file');
  const [sum] = summary(d1);
  assert.ok(sum);
  assert.equal(sum.severity, 3, 'information');
  assert.deepEqual(sum.range.start, { line: 0, character: 0 });
  assert.match(sum.message, /Showing 10 of 30 problems/);
  assert.match(sum.message, /mq\.diagnostics\.maxNumberOfProblems/);

  // Fix the metric of query 20: 29 problems left; the window is centred on query 20.
  await s.conn.sendNotification(DidChangeTextDocumentNotification.type, {
    textDocument: { uri: URI, version: 2 },
    contentChanges: [{ range: { start: { line: lineOfQuery(20), character: 7 }, end: { line: lineOfQuery(20), character: 29 } }, text: FIXED }],
  });
  const d2 = await s.next(2);
  assert.match(summary(d2)[0]!.message, /Showing 10 of 29 problems/);
  assert.deepEqual(problemLines(d2), [15, 16, 17, 18, 19, 21, 22, 23, 24, 25].map(lineOfQuery));

  // An edit near the end: the window grows backwards to reach the cap.
  await s.conn.sendNotification(DidChangeTextDocumentNotification.type, {
    textDocument: { uri: URI, version: 3 },
    contentChanges: [{ range: { start: { line: lineOfQuery(29), character: 0 }, end: { line: lineOfQuery(29), character: 0 } }, text: ' ' }],
  });
  const d3 = await s.next(3);
  assert.deepEqual(problemLines(d3), [19, 21, 22, 23, 24, 25, 26, 27, 28, 29].map(lineOfQuery));
  assert.equal(d3.find((x) => x.range.start.line === lineOfQuery(29) && x.code !== 'too-many-problems')!.range.start.character, 8, 'shifted by the inserted space');

  // A new query with a problem: the count follows (incremental per segment).
  await s.conn.sendNotification(DidChangeTextDocumentNotification.type, {
    textDocument: { uri: URI, version: 4 },
    contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: QUERY }],
  });
  const d4 = await s.next(4);
  assert.match(summary(d4)[0]!.message, /Showing 10 of 30 problems/);
  assert.deepEqual(problemLines(d4), Array.from({ length: 10 }, (_, k) => lineOfQuery(k)));
});

test('at or under the cap: every problem and no summary', async () => {
  const s = await start({ init: { diagnostics: { maxNumberOfProblems: 30 } } });
  await s.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: URI, languageId: 'mq', version: 1, text: TEXT } });
  const d = await s.next(1);
  assert.equal(d.length, 30);
  assert.equal(summary(d).length, 0);
});

test('0 (read with workspace/configuration) publishes every problem', async () => {
  const s = await start({ init: { diagnostics: { maxNumberOfProblems: 5 } }, config: { diagnostics: { maxNumberOfProblems: 0 } } });
  const text = QUERY.repeat(1200);
  await new Promise((r) => setTimeout(r, 200)); // let the server read its configuration
  await s.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: URI, languageId: 'mq', version: 1, text } });
  const d = await s.next(1);
  assert.equal(d.length, 1200);
  assert.equal(summary(d).length, 0);
});

test('the default cap is 1000, and a configuration change re-publishes with the new cap', async () => {
  const s = await start({});
  const text = QUERY.repeat(1200);
  await s.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: URI, languageId: 'mq', version: 1, text } });
  const d = await s.next(1);
  assert.equal(d.length, 1001);
  assert.match(summary(d)[0]!.message, /Showing 1000 of 1200 problems/);
  const republished = s.nextDiagnostics(URI);
  await s.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: { mq: { diagnostics: { maxNumberOfProblems: 0 } } } });
  // Re-published for the same version.
  const again = await republished;
  assert.equal(again.length, 1200);
});

test('pull diagnostics follow the same cap', async () => {
  const s = await start({ init: { diagnostics: { maxNumberOfProblems: 4 } }, capabilities: { textDocument: { diagnostic: {} } } });
  await s.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: URI, languageId: 'mq', version: 1, text: TEXT } });
  const r = (await s.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: URI } })) as FullDocumentDiagnosticReport;
  assert.equal(r.kind, 'full');
  assert.equal(r.items.length, 5);
  assert.match(summary(r.items)[0]!.message, /Showing 4 of 30 problems/);
  assert.deepEqual(problemLines(r.items), [0, 1, 2, 3].map(lineOfQuery));
});

test('document model: problem counts per segment stay right through edits', () => {
  const analyse = (doc: Parameters<typeof mq.analyse>[0]) => mq.analyse(doc, { now: new Date('2026-03-01T00:00:00Z') });
  const m = new DocumentModel('file:///a.mq', 1, TEXT, TEST_CORE);
  m.analyseChanged(analyse);
  assert.equal(m.problemCount, N);
  const total = (mm: DocumentModel) => mm.segs.reduce((n, s) => n + (s.diags?.length ?? 0), 0);
  const edits: [number, number, string][] = [
    [7, 29, FIXED],
    [0, 0, QUERY + QUERY],
    [QUERY.length * 3 + 5, QUERY.length * 3 + 5, '/* '],
    [QUERY.length * 10, QUERY.length * 10, ' */'],
    [QUERY.length, QUERY.length * 2, ''],
  ];
  let v = 1;
  for (const [s, e, t] of edits) {
    m.update([{ range: { start: m.doc.positionAt(s), end: m.doc.positionAt(e) }, text: t }], ++v);
    m.analyseChanged(analyse);
    const fresh = new DocumentModel('file:///b.mq', 1, m.text, TEST_CORE);
    fresh.analyseChanged(analyse);
    assert.equal(m.problemCount, total(m));
    assert.equal(m.problemCount, fresh.problemCount);
    assert.equal(m.focusOffset, s);
    for (let k = 0; k < m.problemCount; k++) {
      const seg = m.segmentOfProblem(k);
      assert.ok(m.problemsBefore(seg) <= k && k < m.problemsBefore(seg + 1));
    }
  }
});
