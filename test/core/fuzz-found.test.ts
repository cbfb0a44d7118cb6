// Counterexamples the fuzzer found in other modules, kept as plain regression tests (shrunk by hand).
// Each names the function at fault; see the hardening report for the analysis.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mq, diagnose } from '../helpers/mq.js';
import { parseDocument } from '../helpers/syntax.js';
import { timed } from '../fuzz/properties.js';

// Found by the fixed-seed run in npm test; fixed in the formatter since (787b530), kept as a regression test.
test('formatDocument is idempotent when a wrapped IN list has a block comment before the wrap', () => {
  // First pass wraps the list after `/* c */` and aligns the continuation under the first value (col 21);
  // the second pass sees "comment, then line break" and re-indents the continuation to 6 spaces.
  const text =
    'SELECT a WHERE errorCodes IN (EC_UNKNOWN_BASE_STATION, EC_UNKNOWN_SUBSCRIBER, NO_ERROR, NO_ERROR, NO_ERROR, /* c */ EC_ABSENT_SUBSCRIBER)';
  const once = mq.format(text);
  assert.equal(mq.format(once), once);
});

test('formatDocument keeps a stray ";" between two pieces of text outside any query', () => {
  // Found by npm run fuzz (seed 20269024). Before: two syntax errors, "0" and "TOTAL_TRAFFIC_COUNT".
  // The formatter dropped the ";" (and kept both comments), so the two stray pieces merged into one
  // region and the document then had one syntax error spanning three lines: formatting changed the
  // diagnostics. Expected: the ";" is kept (text outside queries is verbatim).
  const text = '0 -- note\n; -- note\nTOTAL_TRAFFIC_COUNT ';
  const formatted = mq.format(text);
  assert.match(formatted, /;/);
  const errors = (t: string) => diagnose(t).map((d) => `${d.code}:${d.text}`);
  assert.deepEqual(errors(formatted), errors(text));
});

test('formatDocument is idempotent when a comment line sits between the last token and the ";"', () => {
  // Found by npm run fuzz (seed 20609542, on a mutated examples/inbound.mq), shrunk by hand.
  // First pass:  "SELECT a;\n       -- x\n"  (the ";" moves before the comment, which keeps the SELECT
  // continuation indent); second pass: "SELECT a;\n\n-- x\n" (now outside the query).
  for (const text of ['SELECT a\n-- x\n;', 'SELECT a WHERE b = c AND d = e\n--\n;']) {
    const once = mq.format(text);
    assert.equal(mq.format(once), once, JSON.stringify(text));
  }
});

test('formatDocument keeps Unicode spaces the lexer rejects (U+2028, U+3000, U+2000..U+200A, ...)', () => {
  // Found by npm run fuzz (seed 20783760): the document " " made of U+2000..U+3000-style spaces has one
  // syntax error ("Unexpected character"), the lexer only skips [ \t\r\n\f\v\u00a0\ufeff]. The formatter
  // drops such characters (as JS whitespace) and returns "", so formatting silently removes a syntax error
  // and changes the text outside any query, which it promises to keep verbatim.
  for (const cp of [0x1680, 0x2000, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000]) {
    const ch = String.fromCodePoint(cp);
    const text = `SELECT TOTAL_TRAFFIC_COUNT WHERE channelCode = SMS AND sent BETWEEN now - 1d AND now;${ch}`;
    const codes = (t: string) => diagnose(t).map((d) => d.code);
    assert.deepEqual(codes(mq.format(text)), codes(text), `U+${cp.toString(16).toUpperCase()}`);
  }
});

test('analyseDocument stays within budget on a 90 KB SELECT of distinct unknown metrics', () => {
  // Found by hostile-inputs.test.ts. buildModel (server/src/core/semantics/model.ts) looks for an earlier
  // duplicate by scanning every previous metric (and dimension): quadratic when the names are all different.
  // 7,000 unknown metrics (90 KB) take ~270 ms, 10,000 ~550 ms (CPU). A Map from entry / upper-cased name to
  // the first node makes it linear.
  const text = `SELECT ${Array.from({ length: 7000 }, (_, i) => `METRIC_${i}`).join(', ')} WHERE channelCode = SMS AND sent BETWEEN now - 1d AND now;`;
  assert.ok(text.length < 100 * 1024);
  const doc = parseDocument(text);
  timed('analyseDocument', text, () => mq.analyse(doc, { now: new Date('2026-11-05T10:00:00Z') }));
});
