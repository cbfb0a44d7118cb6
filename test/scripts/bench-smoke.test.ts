// Smoke test of the benchmark's building blocks (no timing): the document generator draws from the whole
// catalog with about one query in five broken, and the JSON writer writes exactly the agreed keys.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalog } from '../../server/src/core/catalog/data.js';
import { parseDocument } from '../helpers/syntax.js';
import { generateDocument, generateQueries, positionAt } from '../../scripts/bench/gen.js';
import { BUDGET, emptyResults, FLOOR, RESULT_KEYS, summary, writeResults } from '../../scripts/bench/results.js';
import { median, percentile } from '../../scripts/bench/stats.js';
import { mq, FIXED_NOW } from '../helpers/mq.js';

describe('bench document generator', () => {
  it('is deterministic and yields the requested number of queries', () => {
    assert.equal(generateDocument(50, 3), generateDocument(50, 3));
    assert.notEqual(generateDocument(50, 3), generateDocument(50, 4));
    assert.equal(parseDocument(generateDocument(300, 5)).queries.length, 300);
  });

  it('mixes valid and broken queries, about four to one, as the analyser sees them', () => {
    const qs = generateQueries(500, 11);
    let clean = 0;
    let meantValidButBroken = 0;
    for (const q of qs) {
      const errors = mq.analyse(parseDocument(q.text), { now: FIXED_NOW }).filter((d) => d.severity === 'error');
      if (errors.length === 0) clean++;
      else if (q.valid) meantValidButBroken++;
    }
    assert.equal(meantValidButBroken, 0, 'queries meant to be valid analyse without errors');
    const share = clean / qs.length;
    assert.ok(share > 0.7 && share < 0.9, `error-free share ${share}`);
  });

  it('draws on the whole catalog', () => {
    const text = generateDocument(3000, 1);
    const words = new Set(text.match(/[A-Za-z_][A-Za-z0-9_]*/g));
    const missing = (names: string[]) => names.filter((n) => !words.has(n));
    assert.deepEqual(missing(catalog.filters.filter((f) => !f.shorthand).map((f) => f.name)), []);
    assert.ok(missing(catalog.metrics.map((m) => m.name)).length === 0, `metrics never drawn: ${missing(catalog.metrics.map((m) => m.name))}`);
    assert.deepEqual(missing(catalog.dimensions.filter((d) => d.name !== 'URL').map((d) => d.name)), []);
    assert.deepEqual(missing(catalog.channels.map((c) => c.name)), []);
  });

  it('positionAt counts lines and characters', () => {
    assert.deepEqual(positionAt('ab\ncd\nef', 0), { line: 0, character: 0 });
    assert.deepEqual(positionAt('ab\ncd\nef', 4), { line: 1, character: 1 });
    assert.deepEqual(positionAt('ab\ncd\nef', 6), { line: 2, character: 0 });
  });
});

describe('bench results', () => {
  it('writes exactly the agreed keys, rounded, null for a failed measurement', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mq-bench-test-'));
    try {
      const r = emptyResults();
      r.completionP99Ms = 3.14159;
      r.serverBundleBytes = 400 * 1024 - 0.4; // at the limit: passes
      const file = join(dir, 'nested', 'out.json');
      writeResults(file, r);
      const back = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      assert.deepEqual(Object.keys(back), [...RESULT_KEYS]);
      assert.equal(back['completionP99Ms'], 3.14);
      assert.equal(back['serverBundleBytes'], 409600);
      assert.equal(back['fullAnalysis10kMs'], null);
      const s = summary(r);
      assert.equal(s.passed, 2);
      assert.equal(s.failed, Object.keys(BUDGET).length + Object.keys(FLOOR).length - 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('median and percentile', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 2, 3]), 2.5);
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(percentile(hundred, 99), 99);
    assert.equal(percentile(hundred, 50), 50);
  });
});
