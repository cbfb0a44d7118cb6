// createMqEditing, the core the language server runs: the same answers as createMq for every editor feature,
// over the examples and broken text, and no compiler (so the server bundle can leave it out).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalog } from '../../server/src/core/catalog/data.js';
import { createMqEditing, type MqEditing } from '../../server/src/core/index.js';
import { FIXED_NOW, mq } from '../helpers/mq.js';

const ROOT = join(import.meta.dirname, '..', '..');
const texts = [
  ...readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.mq')).sort().map((f) => readFileSync(join(ROOT, 'examples', f), 'utf8')),
  'SELECT DELIVERD_TRAFFIC_COUNT BY COUNTRY_NAMES WHERE channelCode = WHATSAP AND sentSince = now - 7d OR',
  'SELECT TOTAL_TRAFFIC_COUNT, TOTAL_TRAFFIC_COUNT WHERE channelCode IN (SMS, EMAIL) AND sentSince = now - 1d AND sentUntil = now HAVING x >',
];

/** Everything an editor asks for one text, at a spread of offsets. */
function answers(core: MqEditing, text: string): unknown {
  const doc = core.parse(text);
  const diagnostics = core.analyse(doc, { now: FIXED_NOW });
  const offsets = Array.from({ length: 12 }, (_, i) => Math.floor((text.length * i) / 11));
  const queryAt = (o: number) => doc.queries.find((q) => q.start <= o && o <= q.end);
  return {
    doc,
    diagnostics,
    complete: offsets.map((o) => core.complete(text, o, queryAt(o), FIXED_NOW)),
    hover: offsets.map((o) => core.hover(queryAt(o), o, FIXED_NOW)),
    actions: offsets.map((o) => core.codeActions(text, queryAt(o), diagnostics, o, Math.min(text.length, o + 40))),
    format: core.format(text),
    formatRange: core.formatRange(text, 0, Math.floor(text.length / 2)),
    tokens: core.semanticTokens(text, doc),
    symbols: core.symbols(doc),
    folding: core.folding(doc),
    hints: doc.queries.map((q) => core.inlayHints(q, FIXED_NOW)),
  };
}

test('the editing core answers every editor request like the full core, and has no compiler', () => {
  const editing = createMqEditing({ catalog });
  assert.equal(texts.length > 5, true);
  for (const text of texts) assert.deepEqual(answers(editing, text), answers(mq, text));
  assert.deepEqual(editing.registry, mq.registry);
  for (const method of ['compile', 'compileRequest', 'errorsAfterQuery', 'errorsElsewhere']) {
    assert.equal(method in editing, false, method);
    assert.equal(typeof (mq as unknown as Record<string, unknown>)[method], 'function', method);
  }
});
