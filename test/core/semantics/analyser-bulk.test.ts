// 10,000 generated queries (valid and broken mixes of catalog names, operators and values) are
// analysed and compiled without throwing, and every diagnostic is well formed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { catalog } from '../../../server/src/core/catalog/data.js';
import { REGISTRY } from '../../../server/src/core/semantics/registry.js';
import { parseDocument } from '../../helpers/syntax.js';
import { mq, FIXED_NOW } from '../../helpers/mq.js';
import { seededRandom as rng } from '../../../server/src/util/random.js';


export function generateQueries(count: number, seed = 42): string[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const some = <T>(xs: readonly T[], max: number): T[] => Array.from({ length: 1 + Math.floor(r() * max) }, () => pick(xs));
  const metrics = [...catalog.metrics.map((m) => m.name), 'NOT_A_METRIC', 'DAY'];
  const dims = [...catalog.dimensions.map((d) => d.name), 'NOPE'];
  const filters = [...catalog.filters.map((f) => f.name), 'bogus'];
  const ops = ['=', 'IN', 'BETWEEN', '<', '<=', '>', '>=', '!=', '<>'];
  const values = [
    ...catalog.channels.map((c) => c.name),
    ...catalog.trafficTypes.map((t) => t.name),
    ...catalog.senderTypes.map((t) => t.name),
    ...catalog.timeBuckets.map((b) => b.name),
    'INBOUND', 'OUTBOUND', 'DELIVERED', 'OK', 'PHONE', 'TRUE', 'FALSE', 'now', 'today', 'now - 7d', 'today + 1h',
    `'2026-10-01'`, `'2026-02-30'`, `'x'`, `''`, '0', '7', '2147483648', '9223372036854775808', '9007199254740993',
    '5s', '7s', '1m', '4d', '0s', '10DLC',
  ];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let q = `SELECT ${some(metrics, 4).join(', ')}`;
    if (r() < 0.7) q += ` BY ${some(dims, 3).join(', ')}`;
    if (r() < 0.95) {
      const conds: string[] = [];
      if (r() < 0.85) conds.push(`channelCode ${r() < 0.5 ? '=' : 'IN'} ${r() < 0.5 ? pick(catalog.channels).name : `(${some(catalog.channels.map((c) => c.name), 3).join(', ')})`}`);
      if (r() < 0.85) conds.push(`sentSince = ${pick(['now - 7d', 'today', `'2026-10-01'`, 'now'])}`);
      if (r() < 0.85) conds.push(`sentUntil = ${pick(['now', 'today', `'2026-10-02'`, 'now - 30d'])}`);
      const n = Math.floor(r() * 4);
      for (let k = 0; k < n; k++) {
        const op = pick(ops);
        const f = pick(filters);
        const vs = op === 'IN' ? `(${some(values, 3).join(', ')})` : op === 'BETWEEN' ? `${pick(values)} AND ${pick(values)}` : pick(values);
        conds.push(`${r() < 0.03 ? 'NOT ' : ''}${f} ${op} ${vs}`);
      }
      if (conds.length) q += ` WHERE ${conds.join(r() < 0.03 ? ' OR ' : ' AND ')}`;
    }
    if (r() < 0.3) q += ` ORDER BY ${pick([...metrics, ...dims])} ${pick(['ASC', 'DESC', ''])}`;
    if (r() < 0.2) q += ` LIMIT ${pick(['0', '1', '100'])}`;
    if (r() < 0.05) q = q.slice(0, Math.floor(r() * q.length)); // truncated input
    out.push(q);
  }
  return out;
}

describe('analyser: bulk', () => {
  it('analyses and compiles 10,000 generated queries without throwing', () => {
    const texts = generateQueries(10_000);
    const doc = parseDocument(texts.join(';\n'));
    assert.ok(doc.queries.length >= 9_000, `parsed ${doc.queries.length} queries`);
    let errors = 0;
    let compiled = 0;
    for (const q of doc.queries) {
      const ds = mq.analyseQuery(q, { now: FIXED_NOW, options: { openApiOnlyChannels: 'hint' } }).diagnostics;
      for (const d of ds) {
        assert.ok(d.code in REGISTRY, d.code);
        assert.ok(d.message.length > 10);
        assert.ok(d.start <= d.end);
      }
      if (ds.some((d) => d.severity === 'error')) errors++;
      const c = mq.compile(q, { now: FIXED_NOW, callbackUrl: 'https://x.invalid' });
      if (c.ok) compiled++;
    }
    assert.ok(errors > 0 && compiled > 0, `errors ${errors}, compiled ${compiled}`);
    assert.ok(mq.analyse(doc, { now: FIXED_NOW }).length > 0);
  });

  it('checkDocument (each query analysed as it is parsed) gives exactly what mq.analyse(parseDocument) gives', () => {
    // Several 32 KB lexer chunks, stray characters inside and between queries, text before the first query,
    // an unterminated comment at the end, and CRLF line breaks.
    let n = 0;
    const stray = (s: string) => s.replace(/ /g, (m) => (++n % 97 === 0 ? ' # ' : n % 89 === 0 ? ' ;@; ' : m));
    const base = stray(generateQueries(2_000, 7).join(';\n'));
    const texts = ['oops # ' + base + '\n/* open', base.replace(/\n/g, '\r\n'), '', '§', 'SELECT a # ; @ SELECT b'];
    for (const text of texts) {
      const ctx = { now: FIXED_NOW, options: { openApiOnlyChannels: 'warning' as const } };
      const expected = mq.analyse(parseDocument(text), ctx);
      const actual = mq.check(text, ctx);
      assert.equal(actual.length, expected.length);
      assert.deepEqual(
        actual.map((d) => ({ ...d, range: d.range })),
        expected.map((d) => ({ ...d, range: d.range })),
      );
    }
  });
});
