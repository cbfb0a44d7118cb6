// The ▶ Run / { } Request lenses: above every query of an .mq file, never in a notebook cell (which has its own
// run button), against a stand-in `vscode` module.
import { createRequire } from 'node:module';
import { test } from 'node:test';
import assert from 'node:assert/strict';

const require = createRequire(import.meta.url);
require('../notebook-harness/fake-vscode-register.cjs');
// The lazily required engine (dist/engine.js in the extension) is the ES module graph here.
const engineModule = await import('../../client/src/engine.js');
const enginePath = require.resolve('../../client/src/engine.ts');
require.cache[enginePath] = { id: enginePath, filename: enginePath, loaded: true, exports: engineModule } as unknown as NodeJS.Module;
const { QueryCodeLenses } = require('../../client/src/codeLens.ts') as typeof import('../../client/src/codeLens.js');

const TWO_QUERIES = 'SELECT TOTAL_TRAFFIC_COUNT WHERE channelCode = SMS AND sentSince = now - 1d AND sentUntil = now;\n\nSELECT DELIVERED_TRAFFIC_COUNT WHERE channelCode = SMS AND sentSince = now - 1d AND sentUntil = now';

function documentAt(scheme: string, text: string) {
  const uri = { scheme, toString: () => `${scheme}:/work/q.mq` };
  return { uri, getText: () => text } as unknown as import('vscode').TextDocument;
}
const notCancelled = { isCancellationRequested: false } as import('vscode').CancellationToken;

test('an .mq file gets a Run and a Request lens on the first line of each query', () => {
  const lenses = new QueryCodeLenses().provideCodeLenses(documentAt('file', TWO_QUERIES), notCancelled);
  assert.deepEqual(lenses.map((l) => [l.range.start.line, l.command?.command, l.command?.arguments?.[1]]), [
    [0, 'mq.runQuery', 0],
    [0, 'mq.showRequest', 0],
    [2, 'mq.runQuery', 1],
    [2, 'mq.showRequest', 1],
  ]);
});

test('a notebook cell gets no lenses: the cell has its own run button', () => {
  assert.deepEqual(new QueryCodeLenses().provideCodeLenses(documentAt('vscode-notebook-cell', TWO_QUERIES), notCancelled), []);
});
