// COMPARE WITH and HAVING over the real language server (`node dist/server.js --stdio`): completion after
// HAVING lists the result columns, comparison columns included once the query has COMPARE WITH; the
// diagnostics of the new codes arrive with their codes; hover explains a comparison column.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CompletionRequest, DidOpenTextDocumentNotification, HoverRequest, type CompletionList } from 'vscode-languageserver-protocol';
import { spawnServer, type SpawnedServer } from '../helpers/lspServer.js';
import { cursor } from '../helpers/mq.js';

const W = 'WHERE channelCode = SMS AND sentSince = now - 7d AND sentUntil = now';
let server: SpawnedServer;

before(async () => {
  server = await spawnServer({
    capabilities: {
      workspace: { configuration: true },
      textDocument: { completion: { completionItem: { snippetSupport: true } }, hover: { contentFormat: ['markdown'] } },
    },
  });
});

after(async () => {
  await server?.stop();
});

async function open(uri: string, text: string): Promise<void> {
  await server.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'mq', version: 1, text } });
}

async function labelsAt(uri: string, marked: string, typedSpace = false): Promise<string[]> {
  const { text, position } = cursor(marked);
  await open(uri, text);
  const context = typedSpace ? { triggerKind: 2 as const, triggerCharacter: ' ' } : { triggerKind: 1 as const };
  const r = (await server.conn.sendRequest(CompletionRequest.type, { textDocument: { uri }, position, context })) as CompletionList;
  return r.items.map((i) => i.label);
}

test('completion after HAVING offers the result columns, with M_PREVIOUS, M_DELTA, M_DELTA_PCT under COMPARE WITH', async () => {
  const compared = await labelsAt('file:///work/having-compare.mq', `SELECT TOTAL_TRAFFIC_COUNT\nBY COUNTRY_NAME\n${W}\nCOMPARE WITH PREVIOUS PERIOD\nHAVING <|>`, true);
  for (const c of ['COUNTRY_NAME', 'CHANNEL_CODE', 'TOTAL_TRAFFIC_COUNT', 'TOTAL_TRAFFIC_COUNT_PREVIOUS', 'TOTAL_TRAFFIC_COUNT_DELTA', 'TOTAL_TRAFFIC_COUNT_DELTA_PCT']) {
    assert.ok(compared.includes(c), `${c} in ${JSON.stringify(compared)}`);
  }
  assert.ok(!compared.includes('DELIVERED_TRAFFIC_COUNT'), 'a metric that is not selected is no column');
  const plain = await labelsAt('file:///work/having-plain.mq', `SELECT TOTAL_TRAFFIC_COUNT BY COUNTRY_NAME ${W} HAVING <|>`);
  assert.deepEqual(plain.sort(), ['CHANNEL_CODE', 'COUNTRY_NAME', 'TOTAL_TRAFFIC_COUNT']);
});

test('completion after COMPARE WITH offers PREVIOUS PERIOD and duration AGO snippets', async () => {
  const labels = await labelsAt('file:///work/compare.mq', `SELECT TOTAL_TRAFFIC_COUNT ${W} COMPARE WITH <|>`, true);
  assert.deepEqual(labels, ['PREVIOUS PERIOD', '7d AGO', '1w AGO', '24h AGO']);
});

test('the new diagnostics arrive with their codes, and hover explains a comparison column with both periods', async () => {
  const uri = 'file:///work/diagnostics.mq';
  const text = `SELECT TOTAL_TRAFFIC_COUNT BY DAY ${W} COMPARE WITH 36h AGO HAVING TOTAL_TRAFFIC_COUNT_DELTA < 0 AND TOTAL_TRAFFIC_COUNT > 5 AND TOTAL_TRAFFIC_COUNT < 3;\n`;
  await open(uri, text);
  const codes = (await server.diagnostics(uri, 1, 5000)).map((d) => d.code).sort();
  assert.deepEqual(codes, ['compare-offset-misaligned', 'contradictory-having']);
  const at = text.indexOf('_DELTA');
  const h = await server.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: at } });
  const value = (h?.contents as { value: string } | undefined)?.value ?? '';
  assert.match(value, /comparison column/);
  assert.match(value, /Previous period \(36h AGO\)/);
});
