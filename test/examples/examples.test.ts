// examples/ is the README's demo and the e2e tests' workspace: every file must be free of errors,
// compile, and together the files must cover every channel family and every clause of the language.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Query } from '../../server/src/core/syntax/ast.js';
import { lex, parseDocument } from '../helpers/syntax.js';
import { mq } from '../helpers/mq.js';
import { computeResult } from '../../server/src/run/standin/dataset.js';

const ROOT = join(import.meta.dirname, '..', '..');
const FILES = readdirSync(join(ROOT, 'examples'))
  .filter((f) => f.endsWith('.mq'))
  .sort()
  .map((name) => ({ name, text: readFileSync(join(ROOT, 'examples', name), 'utf8') }));
const now = new Date('2026-06-15T10:00:00Z');
const ALL: Array<{ file: string; q: Query; text: string }> = FILES.flatMap((f) =>
  parseDocument(f.text).queries.map((q) => ({ file: f.name, q, text: f.text.slice(q.start, q.end) })),
);

/** The first query in the README: the first thing a reader sees, and the query sms-delivery.mq starts with. */
const README_FIRST_QUERY = (() => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const block = /```sql\n([\s\S]*?)```/.exec(readme);
  assert.ok(block, 'the README shows a query in a ```sql block');
  return block[1]!.trim();
})();

describe('examples/', () => {
  it('has at least 8 files, each with comments and queries', () => {
    assert.ok(FILES.length >= 8, `${FILES.length} files`);
    for (const f of FILES) {
      assert.ok(parseDocument(f.text).queries.length >= 2, f.name);
      assert.ok(lex(f.text).comments.length >= 2, `${f.name} explains itself in comments`);
    }
  });

  for (const f of FILES) {
    it(`${f.name} has no errors and every query compiles`, () => {
      const doc = parseDocument(f.text);
      const errors = mq.analyse(doc, { now }).filter((d) => d.severity === 'error');
      assert.deepEqual(errors.map((d) => `${d.range.start.line + 1}: ${d.code} ${d.message}`), []);
      for (const q of doc.queries) {
        const r = mq.compile(q, { now, callbackUrl: 'https://callback.invalid/x' });
        assert.ok(r.ok, `${f.name} query ${q.index + 1}`);
      }
    });
  }

  it('sms-delivery.mq starts with the README\'s first query', () => {
    const sms = FILES.find((f) => f.name === 'sms-delivery.mq');
    assert.ok(sms);
    const first = parseDocument(sms.text).queries[0]!;
    const firstComment = README_FIRST_QUERY.split('\n')[0]!;
    const body = sms.text.slice(sms.text.indexOf(firstComment));
    assert.ok(body.startsWith(README_FIRST_QUERY), 'the README and the example show the same first query');
    assert.equal(first.select.metrics[0]!.upper, 'TOTAL_SENT_TRAFFIC_COUNT');
  });

  it('the first query orders by a column that varies on the sample data', () => {
    // The flagship query is the first impression: an ORDER BY over a column that is the same in every row
    // (e.g. a delivery rate under a time-to-deliver filter, which keeps only delivered traffic) shows nothing.
    const q = parseDocument(README_FIRST_QUERY).queries[0]!;
    const r = mq.compile(q, { now, callbackUrl: 'https://callback.invalid/x' });
    assert.ok(r.ok);
    const response = computeResult(r.body.request, now);
    const ordered = q.orderBy!.items[0]!.column.upper;
    const col = response.columns.findIndex((c) => c.columnName === ordered);
    assert.ok(col >= 0, `the result has the ORDER BY column ${ordered}`);
    const values = new Set(response.rows.map((row) => String(row[col])));
    assert.ok(response.rows.length >= 20, `${response.rows.length} rows`);
    assert.ok(values.size >= response.rows.length / 2, `${ordered} takes ${values.size} distinct values in ${response.rows.length} rows`);
  });

  it('covers every channel family', () => {
    const idx = mq.catalog;
    const families = new Set<string>();
    for (const { q } of ALL)
      for (const c of q.where?.conditions ?? [])
        if (c.filter.upper === 'CHANNELCODE') for (const v of c.values) if (v.kind === 'nameValue') families.add(idx.familyOf(v.upper) ?? '?');
    for (const f of ['SMS', 'EMAIL', 'WHATSAPP', 'RCS', 'VIBER', 'TELEGRAM', 'FACEBOOK', 'INSTAGRAM', 'VOICE_VIDEO']) {
      assert.ok(families.has(f), `no example uses ${f}`);
    }
  });

  it('covers every clause, operator and the notable filters', () => {
    const has = (pred: (q: Query, text: string) => boolean, what: string) =>
      assert.ok(ALL.some(({ q, text }) => pred(q, text)), `no example query with ${what}`);
    const conds = (q: Query) => q.where?.conditions ?? [];
    const filter = (q: Query, name: string) => conds(q).filter((c) => c.filter.upper === name.toUpperCase());
    has((q) => !!q.by, 'BY');
    has((q) => !!q.orderBy && !!q.limit, 'ORDER BY and LIMIT');
    has((q) => q.orderBy?.items.some((i) => i.direction === 'DESC') ?? false, 'ORDER BY ... DESC');
    has((q) => q.orderBy?.items.some((i) => i.direction === 'ASC') ?? false, 'ORDER BY ... ASC');
    has((q) => filter(q, 'sent').some((c) => c.operator === 'BETWEEN'), 'sent BETWEEN');
    has((q) => filter(q, 'sent').some((c) => c.operator === '>=' || c.operator === '<'), 'sent >= / <');
    has((q) => conds(q).some((c) => c.operator === 'IN'), 'IN (...)');
    has((q) => conds(q).some((c) => c.operator === '<' && c.filter.upper.startsWith('TIMETO')), 'timeTo* < duration');
    has((q) => filter(q, 'direction').some((c) => c.values.some((v) => v.kind === 'nameValue' && v.upper === 'INBOUND')), 'direction = INBOUND');
    has((q) => filter(q, 'timeToDeliver').length > 0 && q.select.metrics.length > 0, 'timeToDeliver');
    for (const f of ['accountKeys', 'includeSubaccounts', 'countryIds', 'networkIds', 'trafficTypes', 'senderTypes', 'statusGroups', 'errorGroups', 'statuses', 'errorCodes', 'campaignReferenceIds', 'senders']) {
      has((q) => filter(q, f).length > 0, f);
    }
    has((q) => filter(q, 'communicationIds').some((c) => c.values.some((v) => v.kind === 'integer' && BigInt(v.text) > BigInt(Number.MAX_SAFE_INTEGER))), 'an int64 communicationId beyond 2^53');
    has((q) => q.by?.dimensions.some((d) => d.upper === 'URL') === true && q.select.metrics.some((m) => m.upper === 'UNIQUE_URL_CLICK_COUNT'), 'BY URL with UNIQUE_URL_CLICK_COUNT');
    has((q) => q.by?.dimensions.some((d) => d.upper === 'WEEK_MONDAY_START') === true, 'BY WEEK_MONDAY_START');
    has((q) => q.by?.dimensions.some((d) => d.upper === 'TRAFFIC_TYPE') === true && q.select.metrics.some((m) => m.upper === 'INTERACTION_COUNT'), 'INTERACTION_COUNT BY TRAFFIC_TYPE');
    has((q) => q.by?.dimensions.some((d) => d.upper === 'STATUS_GROUP') === true, 'BY STATUS_GROUP');
    has((_q, text) => text.includes('/*'), 'a block comment inside a query');
    has((_q, text) => /\n[^\n]*--/.test(text), 'a line comment inside a query');
  });

  it('uses only names the catalog knows', () => {
    const idx = mq.catalog;
    for (const { file, q } of ALL) {
      for (const m of q.select.metrics) assert.ok(idx.metrics.has(m.upper), `${file}: ${m.text}`);
      for (const d of q.by?.dimensions ?? []) assert.ok(idx.dimensions.has(d.upper), `${file}: ${d.text}`);
      for (const c of q.where?.conditions ?? []) assert.ok(idx.filters.has(c.filter.upper), `${file}: ${c.filter.text}`);
    }
  });
});
