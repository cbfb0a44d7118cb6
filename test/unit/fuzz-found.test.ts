// Counterexamples the fuzzer found in other modules, kept as plain regression tests (shrunk by hand).
// Each names the function at fault; see the hardening report for the analysis.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDocument } from '../../server/src/core/formatter.js';
import { diagnose } from '../helpers/mq.js';

// Found by the fixed-seed run in npm test; fixed in the formatter since (787b530), kept as a regression test.
test('formatDocument is idempotent when a wrapped IN list has a block comment before the wrap', () => {
  // First pass wraps the list after `/* c */` and aligns the continuation under the first value (col 21);
  // the second pass sees "comment, then line break" and re-indents the continuation to 6 spaces.
  const text =
    'SELECT a WHERE errorCodes IN (EC_UNKNOWN_BASE_STATION, EC_UNKNOWN_SUBSCRIBER, NO_ERROR, NO_ERROR, NO_ERROR, /* c */ EC_ABSENT_SUBSCRIBER)';
  const once = formatDocument(text);
  assert.equal(formatDocument(once), once);
});

test('formatDocument keeps a stray ";" between two pieces of text outside any query', () => {
  // Found by npm run fuzz (seed 20269024). Before: two syntax errors, "0" and "TOTAL_TRAFFIC_COUNT".
  // The formatter dropped the ";" (and kept both comments), so the two stray pieces merged into one
  // region and the document then had one syntax error spanning three lines: formatting changed the
  // diagnostics. Expected: the ";" is kept (text outside queries is verbatim).
  const text = '0 -- note\n; -- note\nTOTAL_TRAFFIC_COUNT ';
  const formatted = formatDocument(text);
  assert.match(formatted, /;/);
  const errors = (t: string) => diagnose(t).map((d) => `${d.code}:${d.text}`);
  assert.deepEqual(errors(formatted), errors(text));
});
