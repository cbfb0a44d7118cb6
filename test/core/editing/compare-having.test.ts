// Editor features for COMPARE WITH and HAVING: completion, quick fixes, hover, inlay hint, semantic tokens
// and formatting (plus the formatter's handling of a lone `;` line and of an open block comment).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cursor, FIXED_NOW, mq, quickFixes } from '../../helpers/mq.js';

const W = `WHERE channelCode = SMS AND sentSince = '2026-10-01' AND sentUntil = '2026-10-08'`;

function completeAt(marked: string): ReturnType<typeof mq.complete> {
  const { text, offset } = cursor(marked);
  return mq.complete(text, offset, mq.parse(text).queries[0], FIXED_NOW);
}
const labels = (marked: string): string[] => completeAt(marked).items.map((i) => i.label);

const fixed = (text: string, code: string) => quickFixes(text, code);

const errorsOf = (text: string): string[] =>
  mq.analyse(mq.parse(text), { now: FIXED_NOW }).filter((d) => d.severity === 'error').map((d) => d.code);

describe('completion', () => {
  it('after HAVING: the result columns; comparison columns only with COMPARE WITH', () => {
    assert.deepEqual(labels(`SELECT TOTAL_TRAFFIC_COUNT BY COUNTRY_NAME ${W} HAVING <|>`), ['CHANNEL_CODE', 'COUNTRY_NAME', 'TOTAL_TRAFFIC_COUNT']);
    assert.deepEqual(labels(`SELECT TOTAL_TRAFFIC_COUNT BY COUNTRY_NAME ${W} COMPARE WITH 7d AGO HAVING TOTAL_TRAFFIC_COUNT > 1 AND <|>`), [
      'CHANNEL_CODE',
      'COUNTRY_NAME',
      'TOTAL_TRAFFIC_COUNT',
      'TOTAL_TRAFFIC_COUNT_PREVIOUS',
      'TOTAL_TRAFFIC_COUNT_DELTA',
      'TOTAL_TRAFFIC_COUNT_DELTA_PCT',
    ]);
  });
  it('after ORDER BY: the same columns (a prefix filters them)', () => {
    assert.deepEqual(labels(`SELECT TOTAL_TRAFFIC_COUNT ${W} COMPARE WITH PREVIOUS PERIOD ORDER BY TOTAL_TRAFFIC_COUNT_D<|>`), [
      'TOTAL_TRAFFIC_COUNT_DELTA',
      'TOTAL_TRAFFIC_COUNT_DELTA_PCT',
    ]);
    assert.deepEqual(labels(`SELECT TOTAL_TRAFFIC_COUNT ${W} ORDER BY <|>`), ['CHANNEL_CODE', 'TOTAL_TRAFFIC_COUNT']);
  });
  it('after COMPARE WITH: PREVIOUS PERIOD and duration AGO snippets; then PERIOD, AGO, the later clauses', () => {
    const items = completeAt(`SELECT TOTAL_TRAFFIC_COUNT ${W} COMPARE WITH <|>`).items;
    assert.deepEqual(items.map((i) => [i.label, i.insertText]), [
      ['PREVIOUS PERIOD', 'PREVIOUS PERIOD'],
      ['7d AGO', '${1:7d} AGO'],
      ['1w AGO', '${1:1w} AGO'],
      ['24h AGO', '${1:24h} AGO'],
    ]);
    assert.deepEqual(labels(`SELECT TOTAL_TRAFFIC_COUNT ${W} COMPARE <|>`), ['WITH']);
    assert.deepEqual(labels(`SELECT TOTAL_TRAFFIC_COUNT ${W} COMPARE WITH PREVIOUS <|>`), ['PERIOD']);
    assert.deepEqual(labels(`SELECT TOTAL_TRAFFIC_COUNT ${W} COMPARE WITH 3d <|>`), ['AGO']);
    assert.deepEqual(labels(`SELECT TOTAL_TRAFFIC_COUNT ${W} COMPARE WITH 3d AGO <|>`), ['HAVING', 'ORDER BY', 'LIMIT']);
  });
  it('the new clause keywords where the grammar allows them, and HAVING operators by column type', () => {
    assert.deepEqual(labels(`SELECT TOTAL_TRAFFIC_COUNT ${W} HAVING TOTAL_TRAFFIC_COUNT > 1 <|>`), ['AND', 'ORDER BY', 'LIMIT']);
    assert.deepEqual(labels(`SELECT TOTAL_TRAFFIC_COUNT BY COUNTRY_NAME ${W} HAVING COUNTRY_NAME <|>`), ['=', '!=', 'IN']);
    assert.ok(labels(`SELECT TOTAL_TRAFFIC_COUNT ${W} HAVING TOTAL_TRAFFIC_COUNT <|>`).includes('BETWEEN'));
  });
});

describe('quick fixes', () => {
  it('compare-offset-misaligned: the nearest aligned offsets, each leaving no error', () => {
    const got = fixed(`SELECT TOTAL_TRAFFIC_COUNT BY DAY ${W} COMPARE WITH 36h AGO`, 'compare-offset-misaligned');
    assert.deepEqual(got.map((f) => f.title), ['Compare with 1d AGO', 'Compare with 2d AGO']);
    assert.equal(got[0]!.preferred, true);
    for (const f of got) assert.deepEqual(errorsOf(f.result), [], f.result);
  });
  it('unknown-having-column: a comparison column without COMPARE adds COMPARE WITH PREVIOUS PERIOD', () => {
    const [f, ...rest] = fixed(`SELECT TOTAL_TRAFFIC_COUNT ${W} HAVING TOTAL_TRAFFIC_COUNT_DELTA < 0`, 'unknown-having-column');
    assert.equal(rest.length, 0);
    assert.equal(f!.title, 'Add COMPARE WITH PREVIOUS PERIOD');
    assert.equal(f!.result, `SELECT TOTAL_TRAFFIC_COUNT ${W}\nCOMPARE WITH PREVIOUS PERIOD HAVING TOTAL_TRAFFIC_COUNT_DELTA < 0`);
    assert.deepEqual(errorsOf(f!.result), []);
  });
  it('unknown-having-column: a misspelt column changes to the closest', () => {
    const got = fixed(`SELECT TOTAL_TRAFFIC_COUNT ${W} HAVING TOTAL_TRAFIC_COUNT > 0`, 'unknown-having-column');
    assert.equal(got[0]!.title, 'Change to TOTAL_TRAFFIC_COUNT');
    assert.deepEqual(errorsOf(got[0]!.result), []);
  });
  it('having-type-mismatch: a number compared with a dimension column gets quoted', () => {
    const [f, ...rest] = fixed(`SELECT TOTAL_TRAFFIC_COUNT BY COUNTRY_ID ${W} HAVING COUNTRY_ID = 49`, 'having-type-mismatch');
    assert.equal(rest.length, 0);
    assert.equal(f!.title, "Quote it: '49'");
    assert.ok(f!.result.endsWith("HAVING COUNTRY_ID = '49'"));
    assert.deepEqual(errorsOf(f!.result), []);
  });
  it('unknown-order-column: a comparison column without COMPARE adds it too (after BY when there is no WHERE)', () => {
    const text = 'SELECT TOTAL_TRAFFIC_COUNT BY DAY ORDER BY TOTAL_TRAFFIC_COUNT_PREVIOUS';
    const [f] = fixed(text, 'unknown-order-column');
    assert.equal(f!.result, 'SELECT TOTAL_TRAFFIC_COUNT BY DAY\nCOMPARE WITH PREVIOUS PERIOD ORDER BY TOTAL_TRAFFIC_COUNT_PREVIOUS');
  });
});

describe('hover and inlay hint', () => {
  const text = `SELECT TOTAL_TRAFFIC_COUNT ${W} COMPARE WITH 7d AGO ORDER BY TOTAL_TRAFFIC_COUNT_DELTA_PCT`;
  const q = mq.parse(text).queries[0]!;
  it('hover on a comparison column says what it holds and shows both resolved periods', () => {
    const h = mq.hover(q, text.indexOf('_DELTA_PCT'), FIXED_NOW)!;
    assert.match(h.contents, /comparison column/);
    assert.match(h.contents, /change in percent/);
    assert.match(h.contents, /Current period: `\[2026-10-01T00:00:00\.000\+0000, 2026-10-08T00:00:00\.000\+0000\)`/);
    assert.match(h.contents, /Previous period \(7d AGO\): `\[2026-09-24T00:00:00\.000\+0000, 2026-10-01T00:00:00\.000\+0000\)`/);
    assert.equal(text.slice(h.start, h.end), 'TOTAL_TRAFFIC_COUNT_DELTA_PCT');
    const onTarget = mq.hover(q, text.indexOf('7d AGO') + 1, FIXED_NOW)!;
    assert.match(onTarget.contents, /Previous period/);
  });
  it('an inlay hint after the COMPARE clause shows the resolved previous period', () => {
    const hint = mq.inlayHints(q, FIXED_NOW).find((h) => h.label.includes('2026-09-24'));
    assert.ok(hint);
    assert.equal(hint.offset, text.indexOf('7d AGO') + '7d AGO'.length);
    assert.equal(hint.label, '= 2026-09-24T00:00:00.000Z – 2026-10-01T00:00:00.000Z');
  });
});

describe('semantic tokens', () => {
  it('new keywords are keywords, HAVING columns metrics or dimensions, decimals numbers', () => {
    const text = `SELECT TOTAL_TRAFFIC_COUNT BY COUNTRY_NAME ${W} COMPARE WITH PREVIOUS PERIOD HAVING TOTAL_TRAFFIC_COUNT_DELTA > -0.5 AND COUNTRY_NAME = Germany`;
    const toks = mq.semanticTokens(text, mq.parse(text));
    const kindOf = (word: string, from = 0): string | undefined => toks.find((t) => t.start === text.indexOf(word, from))?.kind;
    for (const kw of ['COMPARE', 'WITH', 'PREVIOUS', 'PERIOD', 'HAVING']) assert.equal(kindOf(kw), 'keyword', kw);
    assert.equal(kindOf('TOTAL_TRAFFIC_COUNT_DELTA'), 'metric');
    assert.equal(kindOf('COUNTRY_NAME', text.indexOf('HAVING')), 'dimension');
    assert.equal(kindOf('0.5'), 'number');
    assert.equal(kindOf('Germany'), 'enumValue');
  });
});

describe('formatting', () => {
  it('lays out COMPARE WITH and HAVING one clause per line, keeps literals, and round-trips', () => {
    const text =
      "select total_traffic_count by country_name where channelcode = sms and sentsince = '2026-10-01' and sentuntil = '2026-10-08' " +
      "compare with 7d ago having total_traffic_count_delta_pct <= -10 and country_name in ('Germany', France) " +
      'and total_traffic_count between -1 and 2.5 order by total_traffic_count_delta desc limit 5';
    const out = mq.format(text);
    assert.equal(
      out,
      `SELECT TOTAL_TRAFFIC_COUNT
BY COUNTRY_NAME
WHERE channelCode = SMS
  AND sentSince = '2026-10-01'
  AND sentUntil = '2026-10-08'
COMPARE WITH 7d AGO
HAVING TOTAL_TRAFFIC_COUNT_DELTA_PCT <= -10
  AND COUNTRY_NAME IN ('Germany', France)
  AND TOTAL_TRAFFIC_COUNT BETWEEN -1 AND 2.5
ORDER BY TOTAL_TRAFFIC_COUNT_DELTA DESC
LIMIT 5;
`,
    );
    assert.equal(mq.format(out), out, 'idempotent');
    const compile = (t: string): string => {
      const r = mq.compile(mq.parse(t).queries[0]!, { now: FIXED_NOW, callbackUrl: 'https://x.invalid' });
      assert.ok(r.ok);
      return JSON.stringify([r.bodies, r.plan]);
    };
    assert.equal(compile(out), compile(text), 'formatting changes nothing that is compiled');
  });

  it('a -- comment after a lone-line ; stays on the line of the ;', () => {
    const text = `SELECT TOTAL_TRAFFIC_COUNT ${W}\n; -- weekly\nSELECT DELIVERED_TRAFFIC_COUNT ${W};\n; -- stray\n`;
    const out = mq.format(text);
    assert.match(out, /sentUntil = '2026-10-08'; -- weekly\n/);
    assert.match(out, /sentUntil = '2026-10-08'; -- stray\n$/);
    assert.equal(mq.format(out), out);
  });

  it('no ; is added before a block comment left open at the end (the text keeps its meaning)', () => {
    const text = `SELECT TOTAL_TRAFFIC_COUNT ${W} /* still typing`;
    const out = mq.format(text);
    assert.ok(out.endsWith(`sentUntil = '2026-10-08' /* still typing`), out);
    assert.ok(!out.includes(';'));
    assert.equal(mq.format(out), out);
    // Once the comment is closed, what follows still belongs to the query, as it did before formatting.
    const closed = `${out} */ ORDER BY TOTAL_TRAFFIC_COUNT`;
    assert.equal(mq.parse(closed).queries.length, 1);
    assert.deepEqual(mq.parse(closed).queries[0]!.syntaxErrors, []);
    // A ; the user wrote is kept.
    assert.match(mq.format(`SELECT TOTAL_TRAFFIC_COUNT ${W}; /* open`), /'2026-10-08'; \/\* open$/);
  });
});
