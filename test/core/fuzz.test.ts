// Fixed-seed property runs over lexer → parser → analyser → compiler → formatter and the language
// server's pure feature functions. `npm run fuzz` runs the same properties for long; these keep
// a few hundred inputs in npm test so that a regression shows up at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { caseArb, runCase, validCaseArb } from '../fuzz/cases.js';
import { EXAMPLES, grammarDocArb, mutatedExampleArb, tokenSoupArb, validDocArb } from '../fuzz/generators.js';
import { checkCore, checkFormat, checkRange, Lines } from '../fuzz/properties.js';
import { TextDocument } from 'vscode-languageserver-textdocument';

const SEED = 0x6d71;

test('every example file is error-free, compiles, and formats without changing a request', () => {
  for (const e of EXAMPLES) {
    const out = checkCore(e.text);
    assert.ok(out.errorFree, `${e.name} has errors: ${out.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message).join('; ')}`);
    assert.ok(out.bodies.length > 0 && out.bodies.every((b) => b !== undefined), e.name);
    checkFormat(e.text, out);
  }
});

test('the error-free generator really produces error-free documents (most of the time)', () => {
  const samples = fc.sample(validDocArb, { seed: SEED, numRuns: 100 });
  const clean = samples.filter((t) => checkCore(t).errorFree).length;
  assert.ok(clean >= 80, `only ${clean} of 100 generated documents are error-free`);
});

test('the grammar generator mixes valid and invalid queries', () => {
  const samples = fc.sample(grammarDocArb, { seed: SEED, numRuns: 100 });
  const withErrors = samples.filter((t) => !checkCore(t).errorFree).length;
  assert.ok(withErrors >= 30, `only ${withErrors} of 100 grammar-aware documents have errors`);
});

test('error-free documents: formatting is idempotent and keeps every request byte for byte', () => {
  fc.assert(fc.property(validCaseArb, (c) => runCase(c)), { seed: SEED, numRuns: 60 });
});

test('grammar-aware queries, token soup, mutated examples, binary text: every property holds', () => {
  fc.assert(fc.property(caseArb, (c) => runCase(c)), { seed: SEED, numRuns: 150 });
});

test('token soup and mutated examples, core pipeline only', () => {
  fc.assert(fc.property(fc.oneof(tokenSoupArb, mutatedExampleArb), (t) => void checkCore(t)), { seed: SEED + 1, numRuns: 200 });
});

test('the position model used by the checks agrees with vscode-languageserver-textdocument', () => {
  // The range checks are only as good as this model: \n, \r\n and a lone \r end lines, UTF-16 units.
  fc.assert(
    fc.property(fc.string({ unit: fc.constantFrom('a', '\n', '\r', '\r\n', '😀', '\u0000', ' ') }), fc.nat(), (text, pick) => {
      const lines = new Lines(text);
      const td = TextDocument.create('file:///x.mq', 'mq', 1, text);
      const off = pick % (text.length + 1);
      // TextDocument never places a position between \r and \n; compare away from that spot.
      if (text[off - 1] === '\r' && text[off] === '\n') return;
      assert.deepEqual(lines.position(off), td.positionAt(off));
      assert.equal(lines.offset(td.positionAt(off)), off);
    }),
    { seed: SEED, numRuns: 300 },
  );
});

test('the range checker rejects ranges that disagree with offsets or run past a line end', () => {
  // A property that cannot fail proves nothing: feed the checker the mistakes a parser could make.
  const text = 'SELECT\r\nX';
  const lines = new Lines(text);
  assert.deepEqual(lines.position(8), { line: 1, character: 0 });
  checkRange('ok', text, lines, { start: { line: 1, character: 0 }, end: { line: 1, character: 1 } }, 8, 9);
  // \r\n counted as two line breaks:
  assert.throws(() => checkRange('two', text, lines, { start: { line: 2, character: 0 }, end: { line: 2, character: 1 } }, 8, 9), /line past the end/);
  // line breaks not counted at all:
  assert.throws(() => checkRange('none', text, lines, { start: { line: 0, character: 8 }, end: { line: 0, character: 9 } }, 8, 9), /past the end of its line/);
  // offsets that do not match the range:
  assert.throws(() => checkRange('off', text, lines, { start: { line: 0, character: 0 }, end: { line: 0, character: 6 } }, 0, 7), /disagree/);
  assert.throws(() => checkRange('rev', text, lines, { start: { line: 1, character: 1 }, end: { line: 1, character: 0 } }), /start after end/);
});
