// The language server's document model: incremental edits must leave exactly the segments, parses and
// positions a fresh open of the new text would give, while re-parsing only the queries around the edit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DocumentModel } from '../../server/src/lsp/documentModel.js';
import { parseDocument } from '../helpers/syntax.js';
import type { MqDiagnostic } from '../../server/src/core/semantics/diagnostics.js';
import type { MqDocument } from '../../server/src/core/syntax/ast.js';
import { TEST_CORE } from '../helpers/languageCore.js';

const openModel = (uri: string, text: string) => new DocumentModel(uri, 1, text, TEST_CORE);

/** Parsing the segments one by one finds the same queries and syntax errors as parsing the whole text. */
function sameAsWholeParse(m: DocumentModel): void {
  const whole = parseDocument(m.text);
  const fromSegs = m.segs.flatMap((_s, k) => m.parseOf(k).queries.map((q) => ({ start: q.start + m.starts[k]!, end: q.end + m.starts[k]!, metrics: q.select.metrics.map((n) => n.text) })));
  assert.deepEqual(fromSegs, whole.queries.map((q) => ({ start: q.start, end: q.end, metrics: q.select.metrics.map((n) => n.text) })));
  const errs = (k: number) => [...m.parseOf(k).syntaxErrors, ...m.parseOf(k).queries.flatMap((q) => q.syntaxErrors)].map((e) => `${e.start + m.starts[k]!}:${e.message}`);
  const wholeErrs = [...whole.syntaxErrors, ...whole.queries.flatMap((q) => q.syntaxErrors)].map((e) => `${e.start}:${e.message}`);
  assert.deepEqual(m.segs.flatMap((_, k) => errs(k)).sort(), wholeErrs.sort());
}

function positionAt(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let ls = 0;
  for (let i = 0; i < offset; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      ls = i + 1;
    }
  }
  return { line, character: offset - ls };
}

/** The model's state in a comparable form: segment texts, positions and the queries' shapes. */
function snapshot(m: DocumentModel): unknown[] {
  const text = m.text;
  return m.segs.map((s, k) => {
    const start = m.starts[k]!;
    const doc = m.parseOf(k);
    const q = doc.queries[0];
    return {
      text: text.slice(start, start + s.length),
      start,
      line: m.lines[k],
      character: m.chars[k],
      metrics: q?.select.metrics.map((n) => n.text),
      errors: [...(q?.syntaxErrors ?? []), ...doc.syntaxErrors].map((e) => e.message),
    };
  });
}

function edit(m: DocumentModel, start: number, end: number, text: string): void {
  const before = m.text;
  m.update([{ range: { start: positionAt(before, start), end: positionAt(before, end) }, text }], m.version + 1);
}

const QUERIES = [
  'SELECT DELIVERED_TRAFFIC_COUNT BY DAY WHERE channelCode = SMS AND sentSince = now - 7d AND sentUntil = now;\n',
  'SELECT TOTAL_TRAFFIC_COUNT\nWHERE channelCode IN (EMAIL, SMS)\n  AND sent BETWEEN \'2026-10-01\' AND \'2026-11-01\'\n\n',
  '-- a comment\nSELECT X, Y BY COUNTRY_NAME;\n',
  '/* block\n comment */ SELECT A WHERE b = 1 ORDER BY A DESC LIMIT 5;\n',
];

test('segments: one per query, text before the first SELECT on its own', () => {
  const m = openModel('file:///a.mq', 'junk ' + QUERIES.join(''));
  assert.equal(m.segs.length, 5);
  assert.equal(m.parseOf(0).queries.length, 0);
  assert.equal(m.parseOf(0).syntaxErrors.length, 1);
  assert.deepEqual(snapshot(m), snapshot(openModel('file:///b.mq', m.text)));
});

test('a one-character edit re-parses only the queries around it', () => {
  const text = QUERIES[0]!.repeat(1000);
  const m = openModel('file:///a.mq', text);
  assert.equal(m.segs.length, 1000);
  const at = QUERIES[0]!.length * 500 + 10;
  edit(m, at, at, 'X');
  assert.ok(m.lastReparsed <= 3, `re-parsed ${m.lastReparsed}`);
  assert.deepEqual(snapshot(m), snapshot(openModel('file:///b.mq', m.text)));
});

test('opening a block comment swallows the rest; closing it splits again', () => {
  const m = openModel('file:///a.mq', QUERIES.join('').repeat(3));
  const at = QUERIES[0]!.length + 3;
  edit(m, at, at, '/*');
  assert.deepEqual(snapshot(m), snapshot(openModel('file:///b.mq', m.text)));
  edit(m, at, at + 2, '');
  assert.deepEqual(snapshot(m), snapshot(openModel('file:///b.mq', m.text)));
});

test('typing SELECT inside a query splits it; deleting it joins again', () => {
  const m = openModel('file:///a.mq', QUERIES.join(''));
  const at = QUERIES[0]!.indexOf('WHERE');
  edit(m, at, at, 'SELECT ');
  assert.deepEqual(snapshot(m), snapshot(openModel('file:///b.mq', m.text)));
  edit(m, at, at + 7, '');
  assert.deepEqual(snapshot(m), snapshot(openModel('file:///b.mq', m.text)));
});

test('random edits always match a fresh parse of the new text', () => {
  const pieces = ['SELECT ', 'A', ', ', ' BY ', ' WHERE ', 'x = 1', ' AND ', ';', '\n', '\r\n', "'", '"', '/*', '*/', '--', 'now - 7d', ' ', 'ORDER BY ', 'LIMIT 3', '(', ')', 'é', '😀'];
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: QUERIES.length - 1 }), { minLength: 0, maxLength: 8 }),
      fc.array(fc.tuple(fc.nat(), fc.nat({ max: 12 }), fc.array(fc.constantFrom(...pieces), { maxLength: 3 })), { minLength: 1, maxLength: 12 }),
      (qs, edits) => {
        const m = openModel('file:///a.mq', qs.map((i) => QUERIES[i]!).join(''));
        for (const [pos, len, ins] of edits) {
          const n = m.text.length;
          const s = n === 0 ? 0 : pos % (n + 1);
          const e = Math.min(n, s + len);
          edit(m, s, e, ins.join(''));
          assert.deepEqual(snapshot(m), snapshot(openModel('file:///b.mq', m.text)));
          sameAsWholeParse(m);
        }
      },
    ),
    { numRuns: 300 },
  );
});

test('several changes in one notification and a full-text change', () => {
  const m = openModel('file:///a.mq', QUERIES.join(''));
  m.update(
    [
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '-- top\n' },
      { range: { start: { line: 1, character: 7 }, end: { line: 1, character: 16 } }, text: 'SENT' },
    ],
    2,
  );
  assert.deepEqual(snapshot(m), snapshot(openModel('file:///b.mq', m.text)));
  m.update([{ text: 'SELECT A;' }], 3);
  assert.equal(m.segs.length, 1);
  m.update([{ text: '' }], 4);
  assert.equal(m.segs.length, 0);
  edit(m, 0, 0, 'SELECT B');
  assert.deepEqual(snapshot(m), snapshot(openModel('file:///b.mq', m.text)));
});

test('positions past the end of a line or of the file are clamped', () => {
  const m = openModel('file:///a.mq', 'SELECT A\nBY DAY');
  m.update([{ range: { start: { line: 0, character: 99 }, end: { line: 9, character: 0 } }, text: ';' }], 2);
  assert.equal(m.text, 'SELECT A;');
  assert.deepEqual(snapshot(m), snapshot(openModel('file:///b.mq', m.text)));
});

test('large files are cut at the same SELECTs as a whole parse (chunked lexing, long comments)', () => {
  const big = QUERIES.join('').repeat(400) + '/* ' + 'x SELECT '.repeat(20000) + '*/ ' + QUERIES.join('').repeat(400) + 'SELECTED SELECT';
  for (const cut of [0, 1, 5, 65530, 65536, 70000]) {
    const text = 'S'.repeat(cut % 7) + big.slice(cut);
    const m = openModel('file:///a.mq', text);
    sameAsWholeParse(m);
  }
});

test('the analysis phase analyses each segment an update made, once, and keeps outline and diagnostics', () => {
  let calls = 0;
  const count = (): MqDiagnostic[] => {
    calls++;
    return [];
  };
  const m = openModel('file:///a.mq', QUERIES.join(''));
  assert.ok(m.hasPending);
  assert.ok(m.segs.every((s) => s.diags === undefined), 'update() alone analyses nothing');
  m.analyseChanged(count);
  assert.equal(calls, m.segs.length);
  assert.ok(!m.hasPending);
  assert.ok(m.segs.every((s) => s.diags && s.outline));
  assert.equal(m.parseOf(1).queries.length, 1);
  edit(m, 3, 3, 'x');
  m.analyseChanged(count);
  assert.equal(calls, m.segs.length + 1, 'only the edited query again');
  m.analyseChanged(count);
  assert.equal(calls, m.segs.length + 1, 'nothing pending: no work');
});

test('several edits before one analysis phase: every segment they made is analysed, none twice', () => {
  const now = new Date('2026-11-05T10:20:30.123Z');
  const m = openModel('file:///a.mq', QUERIES.join('').repeat(5));
  m.analyseChanged((doc) => TEST_CORE.analyse(doc, { now }));
  // Three edits far apart (the last one before the first, so indices shift), then one phase.
  edit(m, m.text.length - 5, m.text.length - 5, 'SELECT Z ');
  edit(m, m.text.length >> 1, m.text.length >> 1, 'SELECT Y WHERE ');
  edit(m, 2, 2, 'SELECT X;\n');
  const made = m.segs.filter((s) => s.diags === undefined).length;
  assert.ok(made >= 3, `${made} segments made anew`);
  let calls = 0;
  m.analyseChanged((doc) => {
    calls++;
    return TEST_CORE.analyse(doc, { now });
  });
  assert.equal(calls, made);
  assert.ok(m.segs.every((s) => s.diags !== undefined), 'every segment analysed');
  const fresh = openModel('file:///b.mq', m.text);
  fresh.analyseChanged((doc) => TEST_CORE.analyse(doc, { now }));
  assert.equal(m.problemCount, fresh.problemCount);
  assert.deepEqual(m.segs.map((s) => s.diags!.map((d) => d.code)), fresh.segs.map((s) => s.diags!.map((d) => d.code)));
});

test('an analyser that throws leaves the document consistent: text, segments, version and counts', () => {
  const text = QUERIES.join('').repeat(3);
  const m = openModel('file:///a.mq', text);
  const ok = (doc: MqDocument) => TEST_CORE.analyse(doc, { now: new Date('2026-11-05T10:20:30.123Z') });
  m.analyseChanged(ok);
  const before = m.problemCount;
  // Type a misspelt metric into the third query, then analyse with a rule that blows up.
  const at = m.text.indexOf('SELECT', QUERIES.join('').length * 2) + 'SELECT '.length;
  m.update([{ range: { start: m.doc.positionAt(at), end: m.doc.positionAt(at) }, text: 'NOPE_' }], 7);
  assert.throws(() => m.analyseChanged(() => {
    throw new Error('rule exploded');
  }), /rule exploded/);
  assert.equal(m.version, 7);
  assert.equal(m.text, text.slice(0, at) + 'NOPE_' + text.slice(at));
  assert.deepEqual(snapshot(m), snapshot(openModel('file:///b.mq', m.text)), 'segments as a fresh open of the new text');
  assert.ok(m.hasPending, 'the segment the analyser failed on is still to be analysed');
  assert.equal(m.problemCount, m.segs.reduce((n, s) => n + (s.diags?.length ?? 0), 0), 'problem count matches the segments');
  assert.ok(m.problemCount <= before);
  // The next phase, with a working analyser, catches up.
  m.analyseChanged(ok);
  assert.ok(!m.hasPending);
  assert.ok(m.segs.some((s) => s.diags!.some((d) => d.code === 'unknown-metric')));
});
