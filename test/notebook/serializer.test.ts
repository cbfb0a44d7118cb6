// The VS Code side of .mqnb files: what the serializer hands VS Code (cells, outputs with the mq mime type and
// text fallbacks, execution summaries) and what it writes back from that, against a stand-in `vscode` module.
import { createRequire } from 'node:module';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serializeNotebook } from '../../server/src/notebook/format.js';
import { sampleNotebook } from './fixtures.js';

// The extension's modules are CommonJS; required (not imported) so that `require('vscode')` finds the fake.
const require = createRequire(import.meta.url);
require('../notebook-harness/fake-vscode-register.cjs');
// The lazily required engine (dist/engine.js in the extension) is the ES module graph here.
const engineModule = await import('../../client/src/engine.js');
const enginePath = require.resolve('../../client/src/engine.ts');
require.cache[enginePath] = { id: enginePath, filename: enginePath, loaded: true, exports: engineModule } as unknown as NodeJS.Module;
const { MqNotebookSerializer } = require('../../client/src/notebook/serializer.ts') as typeof import('../../client/src/notebook/serializer.js');
const { RESULT_MIME } = require('../../client/src/notebook/outputs.ts') as typeof import('../../client/src/notebook/outputs.js');

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

test('opening a notebook gives VS Code its cells, outputs with the mq mime type and fallbacks, and execution info', () => {
  const data = new MqNotebookSerializer().deserializeNotebook(enc(serializeNotebook(sampleNotebook())));
  assert.equal(data.cells.length, 3);
  const [md, mq] = data.cells;
  assert.equal(md!.languageId, 'markdown');
  assert.equal(mq!.languageId, 'mq');
  assert.equal(mq!.executionSummary?.executionOrder, 1);
  assert.deepEqual(mq!.executionSummary?.timing, { startTime: Date.parse('2026-03-01T12:00:00.000Z'), endTime: Date.parse('2026-03-01T12:00:00.000Z') + 120 });
  const [result, error] = mq!.outputs!;
  assert.deepEqual(result!.items.map((i) => i.mime), [RESULT_MIME, 'text/markdown', 'text/csv', 'text/plain']);
  assert.match(dec(result!.items[0]!.data), /9007199254740993/);
  assert.match(dec(result!.items[2]!.data), /^CHANNEL_CODE,DAY,TOTAL_TRAFFIC_COUNT\r\n/);
  assert.equal(error!.items[0]!.mime, 'application/vnd.code.notebook.error');
  assert.match(dec(error!.items[0]!.data), /unknown-metric/);
});

test('saving what was opened writes the same file back', () => {
  const s = new MqNotebookSerializer();
  const text = serializeNotebook(sampleNotebook());
  assert.equal(dec(s.serializeNotebook(s.deserializeNotebook(enc(text)))), text);
});

test('a damaged file is refused with the reason, so VS Code does not open (and cannot overwrite) it', () => {
  const s = new MqNotebookSerializer();
  assert.throws(() => s.deserializeNotebook(enc('{ "mqNotebook": 1, "cells": [')), /^Error: mq: not a valid mq notebook: .*not changed/);
  assert.throws(() => s.deserializeNotebook(new Uint8Array([0x7b, 0xff, 0xfe])), /not valid UTF-8/);
});
