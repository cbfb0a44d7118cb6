// COMPARE WITH and HAVING in the grammar (spec §8.1): the new keywords in any case, decimal and negative
// numbers and != / <> in HAVING only, the clause order, ranges, recovery of broken clauses, and the cursor
// classification completion relies on.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSyntax } from '../../../server/src/core/syntax/parser.js';
import type { HavingLiteral, MqDocument, Query } from '../../../server/src/core/syntax/ast.js';
import { classifyCursor, parseDocument } from '../../helpers/syntax.js';
import { cursor } from '../../helpers/mq.js';

const clauseByClause = createSyntax({ clauseByClause: true });
const W = 'WHERE channelCode = SMS AND sentSince = now - 7d AND sentUntil = now';

const literal = (v: HavingLiteral): unknown => (v.kind === 'number' ? v.value : v.kind === 'string' ? `'${v.value}'` : v.text);
const errors = (doc: MqDocument): string[] => [...doc.syntaxErrors, ...doc.queries.flatMap((q) => q.syntaxErrors)].map((e) => e.message);

/** The readable shape of a query's COMPARE and HAVING clauses. */
function shape(q: Query): unknown {
  return {
    compare: q.compare?.target && (q.compare.target.kind === 'ago' ? `${q.compare.target.duration.amount}${q.compare.target.duration.unit} AGO` : 'PREVIOUS PERIOD'),
    having: q.having?.conditions.map((c) => [c.column.text, c.operator, c.values.map(literal)]),
  };
}

describe('parser: COMPARE WITH and HAVING', () => {
  it('reads both clauses with ranges, in any case, the same way on the quick and the recovering path', () => {
    const text =
      `select TOTAL_TRAFFIC_COUNT by COUNTRY_NAME ${W}\ncompare with Previous Period\n` +
      `having TOTAL_TRAFFIC_COUNT_DELTA_PCT <= -12.5 and COUNTRY_NAME != 'Spain' and COUNTRY_NAME <> France ` +
      `and TOTAL_TRAFFIC_COUNT in (1, 2.5) and TOTAL_TRAFFIC_COUNT between -0.5 and 10 order by TOTAL_TRAFFIC_COUNT desc limit 3`;
    for (const doc of [parseDocument(text), clauseByClause.parseDocument(text)]) {
      assert.deepEqual(errors(doc), []);
      const q = doc.queries[0]!;
      assert.deepEqual(shape(q), {
        compare: 'PREVIOUS PERIOD',
        having: [
          ['TOTAL_TRAFFIC_COUNT_DELTA_PCT', '<=', [-12.5]],
          ['COUNTRY_NAME', '!=', ["'Spain'"]],
          ['COUNTRY_NAME', '<>', ['France']],
          ['TOTAL_TRAFFIC_COUNT', 'IN', [1, 2.5]],
          ['TOTAL_TRAFFIC_COUNT', 'BETWEEN', [-0.5, 10]],
        ],
      });
      assert.equal(text.slice(q.compare!.start, q.compare!.end), 'compare with Previous Period');
      assert.deepEqual(q.compare!.target!.range, { start: { line: 1, character: 13 }, end: { line: 1, character: 28 } });
      const first = q.having!.conditions[0]!;
      assert.equal(text.slice(first.start, first.end), 'TOTAL_TRAFFIC_COUNT_DELTA_PCT <= -12.5');
      assert.equal(text.slice(first.operatorAt!.start, first.operatorAt!.end), '<=');
      const n = first.values[0]!;
      assert.ok(n.kind === 'number' && n.text === '-12.5' && text.slice(n.start, n.end) === '-12.5');
      assert.deepEqual(q.orderBy!.items.map((i) => [i.column.text, i.direction]), [['TOTAL_TRAFFIC_COUNT', 'DESC']]);
    }
  });

  it('reads `duration AGO`', () => {
    const q = parseDocument(`SELECT A ${W} COMPARE WITH 1w AGO HAVING A > 0`).queries[0]!;
    assert.deepEqual(q.syntaxErrors, []);
    const t = q.compare!.target!;
    assert.ok(t.kind === 'ago' && t.duration.ms === 604_800_000);
  });

  it('decimal numbers are for HAVING only: in WHERE they are a syntax error that says where they belong', () => {
    const doc = parseDocument(`SELECT A WHERE networkIds = 1.5 AND channelCode = SMS`);
    const msgs = errors(doc);
    assert.equal(msgs.length, 1);
    assert.match(msgs[0]!, /found '1\.5'.*allowed only in HAVING/);
    // The rest of the query is still read.
    assert.deepEqual(doc.queries[0]!.where!.conditions.map((c) => c.filter.text), ['networkIds', 'channelCode']);
  });

  it('!= and <> still parse in WHERE (the analyser explains them there)', () => {
    const doc = parseDocument(`SELECT A WHERE direction != INBOUND`);
    assert.deepEqual(errors(doc), []);
    assert.equal(doc.queries[0]!.where!.conditions[0]!.operator, '!=');
  });

  it('clauses out of order get one message naming the order', () => {
    const doc = parseDocument(`SELECT A ${W} HAVING A > 1 COMPARE WITH 7d AGO`);
    assert.deepEqual(errors(doc), ['COMPARE WITH must come before HAVING: clauses go in the order SELECT, BY, WHERE, COMPARE WITH, HAVING, ORDER BY, LIMIT.']);
    assert.deepEqual(shape(doc.queries[0]!), { compare: '7d AGO', having: [['A', '>', [1]]] });
  });
});

describe('parser recovery in COMPARE WITH and HAVING', () => {
  it('a broken COMPARE clause never hides HAVING, ORDER BY or LIMIT', () => {
    for (const broken of ['COMPARE WITH', 'COMPARE PREVIOUS PERIOD', 'COMPARE WITH PREVIOUS', 'COMPARE WITH 7d', 'COMPARE WITH 7 AGO']) {
      const doc = parseDocument(`SELECT A ${W} ${broken} HAVING A > 1 ORDER BY A LIMIT 2`);
      const q = doc.queries[0]!;
      assert.ok(q.syntaxErrors.length >= 1, broken);
      assert.ok(errors(doc).every((m) => /COMPARE|WITH|PERIOD|AGO|PREVIOUS/.test(m)), `${broken}: ${errors(doc).join(' | ')}`);
      assert.deepEqual(q.having!.conditions.map((c) => c.column.text), ['A'], broken);
      assert.equal(q.limit!.value!.text, '2', broken);
      assert.ok(q.compare, `${broken}: the clause is still there, without a target`);
    }
  });

  it('the errors of a broken COMPARE say what to write', () => {
    assert.deepEqual(errors(parseDocument(`SELECT A COMPARE WITH`)), [
      'Expected PREVIOUS PERIOD or a duration followed by AGO after COMPARE WITH (for example COMPARE WITH PREVIOUS PERIOD or COMPARE WITH 7d AGO).',
    ]);
    assert.match(errors(parseDocument(`SELECT A COMPARE PREVIOUS PERIOD`))[0]!, /^Expected WITH after COMPARE/);
  });

  it('a broken HAVING condition never hides the other conditions, and one broken query never hides the next', () => {
    const text = `SELECT A ${W} HAVING A > AND B 3 AND C BETWEEN 1 AND 2 AND D IN (1, 2);\nSELECT B ${W} HAVING B >= -1`;
    for (const doc of [parseDocument(text), clauseByClause.parseDocument(text)]) {
      const [q1, q2] = doc.queries;
      assert.equal(q1!.syntaxErrors.length, 2, errors(doc).join(' | '));
      assert.deepEqual(q1!.having!.conditions.map((c) => c.column.text), ['A', 'B', 'C', 'D']);
      assert.deepEqual(shape(q2!), { compare: undefined, having: [['B', '>=', [-1]]] });
      assert.deepEqual(q2!.syntaxErrors, []);
    }
  });

  it('OR in HAVING parses (reported by the analyser), an empty HAVING says what a condition looks like', () => {
    const q = parseDocument(`SELECT A HAVING A > 1 OR A < 0`).queries[0]!;
    assert.deepEqual(q.syntaxErrors, []);
    assert.deepEqual(q.having!.unsupported.map((u) => u.keyword), ['OR']);
    assert.match(errors(parseDocument(`SELECT A HAVING ORDER BY A`))[0]!, /Expected a condition after HAVING/);
  });

  it('ORDER BY ORDER BY (and any clause keyword written twice) gives one clear error', () => {
    for (const [text, message] of [
      [`SELECT A ${W} ORDER BY ORDER BY A`, 'ORDER BY is written twice; remove one.'],
      [`SELECT A WHERE WHERE channelCode = SMS`, 'WHERE is written twice; remove one.'],
      [`SELECT A HAVING HAVING A > 1`, 'HAVING is written twice; remove one.'],
    ] as const) {
      const doc = parseDocument(text);
      assert.deepEqual(errors(doc), [message], text);
      const second = text.lastIndexOf(message.split(' is ')[0]!);
      assert.equal(doc.queries[0]!.syntaxErrors[0]!.start, second, text);
    }
    const q = parseDocument(`SELECT A ${W} ORDER BY ORDER BY A`).queries[0]!;
    assert.deepEqual(q.orderBy!.items.map((i) => i.column.text), ['A']);
    assert.equal(q.where!.conditions.length, 3);
  });
});

describe('cursor classification in COMPARE WITH and HAVING', () => {
  const kind = (marked: string): unknown => {
    const { text, offset } = cursor(marked);
    return classifyCursor(text, offset).situation;
  };
  it('knows what follows each part of COMPARE WITH', () => {
    assert.deepEqual(kind(`SELECT A ${W} COMPARE <|>`), { kind: 'compareWith' });
    assert.deepEqual(kind(`SELECT A ${W} COMPARE WITH <|>`), { kind: 'compareTarget' });
    assert.deepEqual(kind(`SELECT A ${W} COMPARE WITH PREVIOUS <|>`), { kind: 'comparePeriod' });
    assert.deepEqual(kind(`SELECT A ${W} COMPARE WITH 7d <|>`), { kind: 'compareAgo' });
    assert.deepEqual(kind(`SELECT A ${W} COMPARE WITH PREVIOUS PERIOD <|>`), { kind: 'afterCompare' });
  });
  it('knows what follows each part of a HAVING condition', () => {
    assert.deepEqual(kind(`SELECT A ${W} HAVING <|>`), { kind: 'havingColumn' });
    assert.deepEqual(kind(`SELECT A ${W} HAVING A > 1 AND <|>`), { kind: 'havingColumn' });
    assert.deepEqual(kind(`SELECT A ${W} HAVING A <|>`), { kind: 'havingOperator', column: 'A' });
    assert.deepEqual(kind(`SELECT A ${W} HAVING A > <|>`), { kind: 'havingValue', column: 'A' });
    assert.deepEqual(kind(`SELECT A ${W} HAVING A > - <|>`), { kind: 'havingValue', column: 'A' });
    assert.deepEqual(kind(`SELECT A ${W} HAVING A > 0.5 <|>`), { kind: 'afterHavingCondition' });
    assert.deepEqual(kind(`SELECT A ${W} HAVING A BETWEEN 1 <|>`), { kind: 'betweenAnd', filter: 'A' });
    assert.deepEqual(kind(`SELECT A ${W} HAVING A BETWEEN 1 AND 2 <|>`), { kind: 'afterHavingCondition' });
    assert.deepEqual(kind(`SELECT A ${W} HAVING A IN (1, <|>`), { kind: 'havingValue', column: 'A' });
    assert.deepEqual(kind(`SELECT A ${W} HAVING A IN (1) <|>`), { kind: 'afterHavingCondition' });
    // WHERE is unchanged.
    assert.deepEqual(kind(`SELECT A WHERE <|>`), { kind: 'filter' });
  });
});
