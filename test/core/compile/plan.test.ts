// The QueryPlan of spec §8: COMPARE WITH compiles to two requests identical except the period; HAVING,
// ORDER BY and LIMIT travel in the plan and are never sent; the output is deterministic.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CompileResult } from '../../../server/src/core/compile/compiler.js';
import type { QueryPlan } from '../../../server/src/core/compile/plan.js';
import { stringifyJson } from '../../../server/src/core/compile/wire.js';
import { compileText, FIXED_NOW, mq } from '../../helpers/mq.js';

const WEEK = `WHERE channelCode IN (SMS, EMAIL) AND sentSince = '2026-10-01' AND sentUntil = '2026-10-08' AND networkIds = 12 AND communicationIds = 9223372036854775807`;

function ok(r: CompileResult): Extract<CompileResult, { ok: true }> {
  if (!r.ok) assert.fail(`expected success, got ${r.diagnostics.map((d) => `${d.code}: ${d.message}`).join('; ')}`);
  return r;
}

function planOf(text: string, now: Date = FIXED_NOW): QueryPlan {
  return ok(compileText(text, 0, now)).plan;
}

/** The two filterBy objects with their periods taken out, as JSON (so key order counts too). */
function withoutPeriod(r: Extract<CompileResult, { ok: true }>): string[] {
  return r.bodies.map((b) => {
    const rest: Record<string, unknown> = { ...b.request.filterBy };
    delete rest.sentSince;
    delete rest.sentUntil;
    return stringifyJson({ ...b, request: { ...b.request, filterBy: rest } });
  });
}

describe('compiler: COMPARE WITH', () => {
  it('PREVIOUS PERIOD: a second body identical except the period just before, of the same length', () => {
    const r = ok(compileText(`SELECT TOTAL_TRAFFIC_COUNT BY DAY ${WEEK} COMPARE WITH PREVIOUS PERIOD`));
    assert.equal(r.bodies.length, 2);
    assert.equal(r.bodies[0], r.body);
    const [cur, prev] = r.bodies.map((b) => b.request.filterBy);
    assert.deepEqual([cur!.sentSince, cur!.sentUntil], ['2026-10-01T00:00:00.000+0000', '2026-10-08T00:00:00.000+0000']);
    assert.deepEqual([prev!.sentSince, prev!.sentUntil], ['2026-09-24T00:00:00.000+0000', '2026-10-01T00:00:00.000+0000']);
    const [a, b] = withoutPeriod(r);
    assert.equal(a, b);
    // Key order is the same, so the bodies differ only in the two time strings.
    assert.deepEqual(Object.keys(prev!), Object.keys(cur!));
    assert.match(stringifyJson(r.bodies[1]), /"communicationIds":\[9223372036854775807\]/);
    const c = r.plan.comparison!;
    assert.deepEqual(c.period, { sinceMs: Date.UTC(2026, 8, 24), untilMs: Date.UTC(2026, 9, 1) });
    assert.equal(c.offsetMs, 7 * 86_400_000);
    assert.equal(c.label, 'PREVIOUS PERIOD');
    assert.equal(c.request, r.bodies[1]!.request);
    assert.deepEqual(r.plan.period, { sinceMs: Date.UTC(2026, 9, 1), untilMs: Date.UTC(2026, 9, 8) });
  });

  it('7d AGO over a 3-day period: the previous period is the same 3 days one week earlier', () => {
    const r = ok(compileText(`SELECT TOTAL_TRAFFIC_COUNT BY HOUR WHERE channelCode = SMS AND sent BETWEEN '2026-10-10' AND '2026-10-13' COMPARE WITH 7d AGO`));
    const prev = r.bodies[1]!.request.filterBy;
    assert.deepEqual([prev.sentSince, prev.sentUntil], ['2026-10-03T00:00:00.000+0000', '2026-10-06T00:00:00.000+0000']);
    const [a, b] = withoutPeriod(r);
    assert.equal(a, b);
    assert.equal(r.plan.comparison!.offsetMs, 7 * 86_400_000);
    assert.equal(r.plan.comparison!.label, '7d AGO');
  });

  it('relative times resolve against the clock for both periods', () => {
    const plan = planOf('SELECT TOTAL_TRAFFIC_COUNT WHERE channelCode = SMS AND sentSince = now - 1d AND sentUntil = now COMPARE WITH 24h AGO');
    const now = FIXED_NOW.getTime();
    assert.deepEqual(plan.period, { sinceMs: now - 86_400_000, untilMs: now });
    assert.deepEqual(plan.comparison!.period, { sinceMs: now - 2 * 86_400_000, untilMs: now - 86_400_000 });
  });

  it('a query without COMPARE has one body and no comparison', () => {
    const r = ok(compileText(`SELECT TOTAL_TRAFFIC_COUNT ${WEEK}`));
    assert.equal(r.bodies.length, 1);
    assert.equal(r.plan.comparison, undefined);
    assert.equal(r.plan.request, r.body.request);
  });

  it('same text and same clock give byte-identical bodies and plans', () => {
    const text = `SELECT TOTAL_TRAFFIC_COUNT, TRAFFIC_DELIVERY_RATE BY DAY ${WEEK} COMPARE WITH 1w AGO HAVING TRAFFIC_DELIVERY_RATE < 0.95 ORDER BY DAY LIMIT 5`;
    const one = ok(compileText(text));
    const two = ok(compileText(text));
    assert.equal(stringifyJson(one.bodies), stringifyJson(two.bodies));
    assert.equal(stringifyJson(one.plan), stringifyJson(two.plan));
  });

  it('compileRequest gives the same plan, with request = plan.request', () => {
    const text = `SELECT TOTAL_TRAFFIC_COUNT BY DAY ${WEEK} COMPARE WITH PREVIOUS PERIOD`;
    const r = mq.compileRequest(mq.parse(text).queries[0]!, { now: FIXED_NOW });
    assert.ok(r.ok);
    assert.equal(r.request, r.plan.request);
    assert.equal(stringifyJson(r.plan), stringifyJson(planOf(text)));
  });
});

describe('compiler: HAVING, ORDER BY and LIMIT in the plan', () => {
  it('every condition with its canonical column, operator and typed literals; nothing of it is sent', () => {
    const text =
      `SELECT total_traffic_count, TRAFFIC_DELIVERY_RATE BY day, COUNTRY_NAME ${WEEK} COMPARE WITH PREVIOUS PERIOD ` +
      `HAVING traffic_delivery_rate < 0.9 AND Total_Traffic_Count_Delta_Pct <= -12.5 AND COUNTRY_NAME IN ('Germany', France) ` +
      `AND total_traffic_count BETWEEN 10 AND 20 AND country_name <> "Spain" ORDER BY total_traffic_count_delta DESC, day LIMIT 10`;
    const r = ok(compileText(text));
    assert.deepEqual(r.plan.having, [
      { column: 'TRAFFIC_DELIVERY_RATE', operator: '<', values: [{ kind: 'number', text: '0.9', value: 0.9 }] },
      { column: 'TOTAL_TRAFFIC_COUNT_DELTA_PCT', operator: '<=', values: [{ kind: 'number', text: '-12.5', value: -12.5 }] },
      { column: 'COUNTRY_NAME', operator: 'IN', values: [{ kind: 'text', value: 'Germany' }, { kind: 'text', value: 'France' }] },
      { column: 'TOTAL_TRAFFIC_COUNT', operator: 'BETWEEN', values: [{ kind: 'number', text: '10', value: 10 }, { kind: 'number', text: '20', value: 20 }] },
      { column: 'COUNTRY_NAME', operator: '<>', values: [{ kind: 'text', value: 'Spain' }] },
    ]);
    assert.deepEqual(r.plan.orderBy, [
      { column: 'TOTAL_TRAFFIC_COUNT_DELTA', direction: 'DESC' },
      { column: 'DAY', direction: 'ASC' },
    ]);
    assert.equal(r.plan.limit, 10);
    assert.deepEqual(r.plan.metrics, ['TOTAL_TRAFFIC_COUNT', 'TRAFFIC_DELIVERY_RATE']);
    assert.deepEqual(r.plan.dimensions, ['DAY', 'COUNTRY_NAME']);
    for (const b of r.bodies) assert.doesNotMatch(stringifyJson(b), /Germany|DELTA|having|limit/i);
  });

  it('a plain query has empty having and orderBy and no limit', () => {
    const plan = planOf(`SELECT TOTAL_TRAFFIC_COUNT ${WEEK}`);
    assert.deepEqual(plan.having, []);
    assert.deepEqual(plan.orderBy, []);
    assert.equal(plan.limit, undefined);
  });

  it('a query with HAVING errors does not compile', () => {
    const r = compileText(`SELECT TOTAL_TRAFFIC_COUNT ${WEEK} HAVING TOTAL_TRAFFIC_COUNT_DELTA < 0`);
    assert.ok(!r.ok);
    assert.deepEqual(r.diagnostics.map((d) => d.code), ['unknown-having-column']);
  });
});
