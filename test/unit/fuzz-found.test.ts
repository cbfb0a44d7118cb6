// Counterexamples the fuzzer found in other modules, kept as plain regression tests (shrunk by hand).
// Each names the function at fault; see the hardening report for the analysis.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDocument } from '../../server/src/core/formatter.js';

test('formatDocument is idempotent when a wrapped IN list has a block comment before the wrap', () => {
  // First pass wraps the list after `/* c */` and aligns the continuation under the first value (col 21);
  // the second pass sees "comment, then line break" and re-indents the continuation to 6 spaces.
  const text =
    'SELECT a WHERE errorCodes IN (EC_UNKNOWN_BASE_STATION, EC_UNKNOWN_SUBSCRIBER, NO_ERROR, NO_ERROR, NO_ERROR, /* c */ EC_ABSENT_SUBSCRIBER)';
  const once = formatDocument(text);
  assert.equal(formatDocument(once), once);
});
