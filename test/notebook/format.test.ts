// The .mqnb format: what is written is read back unchanged, damaged files are refused with a message that
// says where and what, and nothing but the known fields (never a key or token) reaches the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NotebookFormatError, parseNotebook, serializeNotebook, type Notebook } from '../../server/src/notebook/format.js';
import { sampleNotebook } from './fixtures.js';

test('a notebook written and read back is the same notebook, int64 cells with every digit', () => {
  const nb = sampleNotebook();
  const text = serializeNotebook(nb);
  const back = parseNotebook(text);
  assert.deepEqual(back, nb);
  assert.equal(serializeNotebook(back), text, 'writing again gives the same bytes');
  assert.match(text, /9007199254740993/);
});

test('the file starts with the format version and puts each source line and each row on its own line', () => {
  const text = serializeNotebook(sampleNotebook());
  assert.match(text, /^\{\n {2}"mqNotebook": 1,/);
  assert.match(text, /\n\s+"-- daily",\n\s+"SELECT TOTAL_TRAFFIC_COUNT BY DAY",\n/);
  assert.match(text, /\n\s+\["SMS", "2026-02-28T00:00:00.000\+0000", 9007199254740993\],\n/);
  assert.ok(text.endsWith('}\n'));
});

test('an empty file is an empty notebook (VS Code creates new files empty)', () => {
  assert.deepEqual(parseNotebook(''), { cells: [] });
  assert.deepEqual(parseNotebook('  \n'), { cells: [] });
});

test('fields a notebook object carries beyond the format, such as keys and tokens, are never written', () => {
  const nb = sampleNotebook() as unknown as Record<string, unknown> & { cells: Record<string, unknown>[] };
  nb.apiKey = 'App SECRET-KEY-123456';
  nb.metadata = { title: 'Report', relayToken: 'TOKEN-abcdef-123456' };
  nb.cells[1]!.metadata = { authorization: 'App SECRET-KEY-123456' };
  const out = (nb.cells[1]!.outputs as Record<string, unknown>[])[0]! as { result: Record<string, unknown> };
  out.result.request = { callbackUrl: 'https://relay.example/cb/TOKEN-abcdef-123456' };
  out.result.apiKey = 'SECRET-KEY-123456';
  const text = serializeNotebook(nb as unknown as Notebook);
  assert.doesNotMatch(text, /SECRET-KEY|TOKEN-abcdef|callbackUrl|apiKey|authorization/i);
  assert.deepEqual(parseNotebook(text), sampleNotebook());
});

const damaged: [string, string, RegExp][] = [
  ['truncated JSON', '{\n  "mqNotebook": 1,\n  "cells": [\n    { "kind": "mq", "source": ["SELECT"', /JSON is damaged/],
  ['not an object', '[1, 2]', /must hold a JSON object/],
  ['no version field', '{ "cells": [] }', /"mqNotebook" format version field is missing/],
  ['a version that is not a number', '{ "mqNotebook": "one", "cells": [] }', /must be a format version number/],
  ['cells that are not a list', '{ "mqNotebook": 1, "cells": {} }', /"cells" must be a list/],
  ['a cell of unknown kind', '{ "mqNotebook": 1, "cells": [{ "kind": "python", "source": [] }] }', /cell 1: "kind" must be "markdown" or "mq", got "python"/],
  ['a source that is not lines', '{ "mqNotebook": 1, "cells": [{ "kind": "mq", "source": [1, 2] }] }', /cell 1: "source" must be a list of lines/],
  ['an output of unknown kind', '{ "mqNotebook": 1, "cells": [{ "kind": "mq", "source": [], "outputs": [{ "kind": "html" }] }] }', /cell 1, output 1: unknown output kind "html"/],
  ['a result without rows', '{ "mqNotebook": 1, "cells": [{ "kind": "mq", "source": [], "outputs": [{ "kind": "result", "result": { "response": { "columns": [] } } }] }] }', /needs "columns" and "rows"/],
  ['a column of unknown type', '{ "mqNotebook": 1, "cells": [{ "kind": "mq", "source": [], "outputs": [{ "kind": "result", "result": { "response": { "columns": [{ "columnName": "A", "columnDataType": "BLOB" }], "rows": [] } } }] }] }', /column 1: a column needs/],
];

for (const [what, text, message] of damaged) {
  test(`a damaged file (${what}) is refused with a message saying what is wrong and that the file was not changed`, () => {
    assert.throws(() => parseNotebook(text), (e: unknown) => {
      assert.ok(e instanceof NotebookFormatError);
      assert.match(e.message, message);
      assert.match(e.message, /not changed/);
      return true;
    });
  });
}

test('a syntax error is located by line and column', () => {
  assert.throws(() => parseNotebook('{\n  "mqNotebook": 1,\n  "cells": [,]\n}'), /line 3, column \d+/);
});

test('a notebook from a newer format version is refused and says to update mq', () => {
  assert.throws(() => parseNotebook('{ "mqNotebook": 2, "cells": [] }'), /format version 2, written by a newer mq; this mq reads version 1\. Update/);
});

test('markdown cells keep no outputs or execution, and CRLF sources read back with LF', () => {
  const text = serializeNotebook({ cells: [{ kind: 'markdown', source: 'a\r\nb', outputs: [{ kind: 'error', reason: 'run', message: 'x' }] }] });
  assert.doesNotMatch(text, /outputs/);
  assert.deepEqual(parseNotebook(text).cells, [{ kind: 'markdown', source: 'a\nb' }]);
});
