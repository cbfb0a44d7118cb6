// COMPARE WITH and HAVING end to end over loopback HTTP: a plan's two requests go to the stand-in (which
// answers scripted rows per period, through the real submit → status → callback path), the results are
// joined, filtered, ordered and limited by applyPlan(). Plans are built by hand here, as the compiler
// would build them.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { HavingCondition, QueryPlan } from '../../server/src/core/compile/plan.js';
import { RawInteger, stringifyJson, type AggregateDataRequest, type AggregateDataResponse, type Cell, type ResultColumn } from '../../server/src/core/compile/wire.js';
import { startStandIn, type StandIn } from '../../server/src/run/standin/server.js';
import { runPlan, type PlanRunOptions } from '../../server/src/run/runPlan.js';
import { RunError } from '../../server/src/run/errors.js';
import { formatJson } from '../../server/src/run/results.js';
import { KEY, NOW } from './helpers.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const wire = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');
const T0 = Date.UTC(2026, 1, 16); // a Monday

let s: StandIn;
/** Rows the stand-in answers, by the request's sentSince. */
const scripted = new Map<string, AggregateDataResponse | string>();
before(async () => {
  s = await startStandIn({
    apiKey: KEY,
    latencyMs: 20,
    now: () => NOW,
    script: (r) => {
      const v = scripted.get(r.filterBy.sentSince);
      if (v === undefined) return undefined;
      return typeof v === 'string' ? { failureMessage: v } : { response: v };
    },
  });
});
after(() => s.close());

const live = (over: Partial<PlanRunOptions> = {}): PlanRunOptions => ({ baseUrl: s.url, apiKey: KEY, pollIntervalMs: 30, callbackGraceMs: 400, timeoutMs: 8000, ...over });

interface PlanInput {
  since: number;
  until: number;
  offsetMs?: number;
  metrics?: string[];
  dimensions?: string[];
  having?: HavingCondition[];
  orderBy?: QueryPlan['orderBy'];
  limit?: number;
}

function request(since: number, until: number, dimensions: string[], metrics: string[]): AggregateDataRequest {
  return { filterBy: { channelCodes: ['SMS', 'EMAIL', 'VIBER'], sentSince: wire(since), sentUntil: wire(until) }, aggregateBy: dimensions, metrics };
}

function plan(p: PlanInput): QueryPlan {
  const metrics = p.metrics ?? ['TOTAL_TRAFFIC_COUNT'];
  const dimensions = p.dimensions ?? ['DAY'];
  const out: QueryPlan = {
    request: request(p.since, p.until, dimensions, metrics),
    period: { sinceMs: p.since, untilMs: p.until },
    metrics,
    dimensions,
    having: p.having ?? [],
    orderBy: p.orderBy ?? [],
    ...(p.limit !== undefined ? { limit: p.limit } : {}),
  };
  if (p.offsetMs !== undefined) {
    const ps = p.since - p.offsetMs;
    const pu = p.until - p.offsetMs;
    out.comparison = { request: request(ps, pu, dimensions, metrics), period: { sinceMs: ps, untilMs: pu }, offsetMs: p.offsetMs, label: 'test' };
  }
  return out;
}

function answer(since: number, until: number, columns: ResultColumn[], rows: Cell[][]): AggregateDataResponse {
  const r = { requestedPeriod: { sentSince: wire(since), sentUntil: wire(until) }, totalRows: rows.length, columns, rows };
  scripted.set(wire(since), r);
  return r;
}

const col = (columnName: string, columnDataType: ResultColumn['columnDataType']): ResultColumn => ({ columnName, columnDataType });
const byName = (r: AggregateDataResponse) => (row: readonly Cell[], name: string) => row[r.columns.findIndex((c) => c.columnName === name)];
const text = (c: Cell | undefined) => (c instanceof RawInteger ? c.digits : c);

test('joined rows: a row on one side only is kept with N/A on the other; N/A on either side makes the deltas N/A', async () => {
  const since = T0;
  const until = T0 + 2 * DAY;
  const off = 7 * DAY;
  const cols = [col('CHANNEL_CODE', 'STRING'), col('DAY', 'DATE_TIME'), col('TOTAL_TRAFFIC_COUNT', 'INTEGER')];
  answer(since, until, cols, [['SMS', wire(T0), 120], ['SMS', wire(T0 + DAY), 'N/A'], ['EMAIL', wire(T0), 50]]);
  answer(since - off, until - off, cols, [['SMS', wire(T0 - off), 100], ['SMS', wire(T0 + DAY - off), 90], ['VIBER', wire(T0 - off), 7], ['EMAIL', wire(T0 - off), 'N/A']]);
  const o = await runPlan(plan({ since, until, offsetMs: off }), live());
  assert.equal(o.status, 'SUCCESS', o.failureMessage);
  const r = o.response!;
  assert.deepEqual(r.columns.map((c) => `${c.columnName}:${c.columnDataType}`), [
    'CHANNEL_CODE:STRING', 'DAY:DATE_TIME', 'TOTAL_TRAFFIC_COUNT:INTEGER', 'TOTAL_TRAFFIC_COUNT_PREVIOUS:INTEGER', 'TOTAL_TRAFFIC_COUNT_DELTA:INTEGER', 'TOTAL_TRAFFIC_COUNT_DELTA_PCT:NUMBER',
  ]);
  assert.deepEqual(r.rows, [
    ['SMS', wire(T0), 120, 100, 20, 20],
    ['SMS', wire(T0 + DAY), 'N/A', 90, 'N/A', 'N/A'],
    ['EMAIL', wire(T0), 50, 'N/A', 'N/A', 'N/A'],
    // Only in the previous period: shown at the current period's time.
    ['VIBER', wire(T0), 'N/A', 7, 'N/A', 'N/A'],
  ]);
  assert.deepEqual(r.previousPeriod, { sentSince: wire(since - off), sentUntil: wire(until - off) });
  assert.notEqual(o.previousRequestId, o.requestId);
});

test('a previous value of 0 gives a delta but no percentage; decimals keep the places they were written with', async () => {
  const since = T0 + 10 * DAY;
  const until = since + DAY;
  const off = DAY;
  const cols = [col('CHANNEL_CODE', 'STRING'), col('TOTAL_TRAFFIC_COUNT', 'INTEGER'), col('TRAFFIC_DELIVERY_RATE', 'NUMBER')];
  answer(since, until, cols, [['SMS', 5, 94.12], ['EMAIL', 3, 80]]);
  answer(since - off, until - off, cols, [['SMS', 0, 93.5], ['EMAIL', 4, 0]]);
  const o = await runPlan(plan({ since, until, offsetMs: off, dimensions: [], metrics: ['TOTAL_TRAFFIC_COUNT', 'TRAFFIC_DELIVERY_RATE'] }), live());
  const r = o.response!;
  const at = byName(r);
  const sms = r.rows.find((row) => row[0] === 'SMS')!;
  assert.deepEqual([at(sms, 'TOTAL_TRAFFIC_COUNT_DELTA'), at(sms, 'TOTAL_TRAFFIC_COUNT_DELTA_PCT')], [5, 'N/A']);
  assert.equal(at(sms, 'TRAFFIC_DELIVERY_RATE_DELTA'), 0.62);
  const email = r.rows.find((row) => row[0] === 'EMAIL')!;
  assert.deepEqual([at(email, 'TOTAL_TRAFFIC_COUNT_DELTA'), at(email, 'TOTAL_TRAFFIC_COUNT_DELTA_PCT')], [-1, -25]);
  assert.equal(at(email, 'TRAFFIC_DELIVERY_RATE_DELTA_PCT'), 'N/A');
  assert.deepEqual(r.columns.slice(1).map((c) => c.columnName), [
    'TOTAL_TRAFFIC_COUNT', 'TOTAL_TRAFFIC_COUNT_PREVIOUS', 'TOTAL_TRAFFIC_COUNT_DELTA', 'TOTAL_TRAFFIC_COUNT_DELTA_PCT',
    'TRAFFIC_DELIVERY_RATE', 'TRAFFIC_DELIVERY_RATE_PREVIOUS', 'TRAFFIC_DELIVERY_RATE_DELTA', 'TRAFFIC_DELIVERY_RATE_DELTA_PCT',
  ]);
});

test('int64 dimension values join on every digit, and integer deltas beyond 2^53 stay exact', async () => {
  const since = T0 + 20 * DAY;
  const until = since + DAY;
  const off = 7 * DAY;
  const cols = [col('CHANNEL_CODE', 'STRING'), col('COMMUNICATION', 'INTEGER'), col('TOTAL_TRAFFIC_COUNT', 'INTEGER')];
  // Two ids that are the same double: a join through Number() would merge them.
  const a = new RawInteger('9223372036854775807');
  const b = new RawInteger('9223372036854775806');
  answer(since, until, cols, [['SMS', a, new RawInteger('9007199254740993')], ['SMS', b, 10], ['SMS', 200000022475266, 4]]);
  answer(since - off, until - off, cols, [['SMS', new RawInteger('9223372036854775806'), 3], ['SMS', a, 1], ['SMS', 200000022475266, 4]]);
  const o = await runPlan(plan({ since, until, offsetMs: off, dimensions: ['COMMUNICATION'] }), live());
  const rows = o.response!.rows.map((row) => row.map(text));
  assert.deepEqual(rows, [
    ['SMS', '9223372036854775807', '9007199254740993', 1, '9007199254740992', 900719925474099200],
    ['SMS', '9223372036854775806', 10, 3, 7, 233.3333],
    ['SMS', 200000022475266, 4, 4, 0, 0],
  ]);
  assert.ok(stringifyJson(o.response!.rows[0]).includes('9007199254740992'), 'written with every digit');
});

for (const g of [
  { grain: 'HOUR', step: HOUR, offsetMs: 24 * HOUR, buckets: 3 },
  { grain: 'DAY', step: DAY, offsetMs: 7 * DAY, buckets: 3 },
  { grain: 'WEEK_MONDAY_START', step: 7 * DAY, offsetMs: 7 * DAY, buckets: 2 },
]) {
  test(`time shift for ${g.grain}: previous buckets move forward by the offset and match the current ones`, async () => {
    const since = T0 + 40 * DAY;
    const until = since + g.buckets * g.step;
    const cols = [col('CHANNEL_CODE', 'STRING'), col(g.grain, 'DATE_TIME'), col('TOTAL_TRAFFIC_COUNT', 'INTEGER')];
    const times = Array.from({ length: g.buckets }, (_, k) => since + k * g.step);
    answer(since, until, cols, times.map((t, k) => ['SMS', wire(t), 100 + k]));
    // The previous period: every bucket but the first, plus one before the current period once shifted.
    answer(since - g.offsetMs, until - g.offsetMs, cols, times.slice(1).map((t, k) => ['SMS', wire(t - g.offsetMs), 50 + k]));
    const o = await runPlan(plan({ since, until, offsetMs: g.offsetMs, dimensions: [g.grain] }), live());
    const r = o.response!;
    assert.equal(r.rows.length, g.buckets, 'every previous bucket matched a current one');
    assert.deepEqual(r.rows.map((row) => row[1]), times.map(wire), 'the joined rows show the current times');
    assert.deepEqual(r.rows.map((row) => row[3]), ['N/A', ...times.slice(1).map((_, k) => 50 + k)]);
  });
}

test('a time cell written in another ISO form still matches after the shift', async () => {
  const since = T0 + 60 * DAY;
  const until = since + DAY;
  const cols = [col('CHANNEL_CODE', 'STRING'), col('HOUR', 'DATE_TIME'), col('TOTAL_TRAFFIC_COUNT', 'INTEGER')];
  answer(since, until, cols, [['SMS', wire(since), 9]]);
  answer(since - DAY, until - DAY, cols, [['SMS', new Date(since - DAY).toISOString(), 3]]);
  const o = await runPlan(plan({ since, until, offsetMs: DAY, dimensions: ['HOUR'] }), live());
  assert.deepEqual(o.response!.rows, [['SMS', wire(since), 9, 3, 6, 200]]);
});

const num = (v: number) => ({ kind: 'number' as const, text: String(v), value: v });
const str = (v: string) => ({ kind: 'text' as const, value: v });

test('HAVING on a metric, a comparison column and a dimension column; N/A satisfies no condition, not even !=', async () => {
  const since = T0 + 70 * DAY;
  const until = since + DAY;
  const off = 7 * DAY;
  const cols = [col('CHANNEL_CODE', 'STRING'), col('COUNTRY_NAME', 'STRING'), col('TOTAL_TRAFFIC_COUNT', 'INTEGER')];
  answer(since, until, cols, [['SMS', 'Croatia', 80], ['SMS', 'Germany', 200], ['EMAIL', 'Croatia', 300], ['SMS', 'Brazil', 'N/A'], ['SMS', 'India', 40]]);
  answer(since - off, until - off, cols, [['SMS', 'Croatia', 100], ['SMS', 'Germany', 100], ['EMAIL', 'Croatia', 310], ['SMS', 'Brazil', 10]]);
  const run = async (having: HavingCondition[], extra: Partial<PlanInput> = {}) => {
    const o = await runPlan(plan({ since, until, offsetMs: off, dimensions: ['COUNTRY_NAME'], having, ...extra }), live());
    return o.response!.rows.map((r) => `${r[0]}/${r[1]}`);
  };
  assert.deepEqual(await run([{ column: 'TOTAL_TRAFFIC_COUNT', operator: '>=', values: [num(200)] }]), ['SMS/Germany', 'EMAIL/Croatia']);
  assert.deepEqual(await run([{ column: 'TOTAL_TRAFFIC_COUNT_DELTA_PCT', operator: '<', values: [num(-2.5)] }]), ['SMS/Croatia', 'EMAIL/Croatia']);
  // India has no previous row: its delta is N/A and satisfies neither < nor !=.
  assert.deepEqual(await run([{ column: 'TOTAL_TRAFFIC_COUNT_DELTA', operator: '!=', values: [num(0)] }]), ['SMS/Croatia', 'SMS/Germany', 'EMAIL/Croatia']);
  assert.deepEqual(await run([{ column: 'CHANNEL_CODE', operator: '=', values: [str('SMS')] }, { column: 'TOTAL_TRAFFIC_COUNT', operator: 'BETWEEN', values: [num(40), num(80)] }]), ['SMS/Croatia', 'SMS/India']);
  assert.deepEqual(await run([{ column: 'CHANNEL_CODE', operator: '=', values: [str('sms')] }]), [], 'dimension values compare case-sensitively');
  assert.deepEqual(await run([{ column: 'COUNTRY_NAME', operator: 'IN', values: [str('Brazil'), str('India')] }]), ['SMS/Brazil', 'SMS/India']);
  assert.deepEqual(await run([{ column: 'country_name', operator: '<>', values: [str('Croatia')] }]), ['SMS/Germany', 'SMS/Brazil', 'SMS/India']);
  // HAVING comes before ORDER BY and LIMIT.
  const top = await run([{ column: 'COUNTRY_NAME', operator: '=', values: [str('Croatia')] }], { orderBy: [{ column: 'TOTAL_TRAFFIC_COUNT', direction: 'DESC' }], limit: 1 });
  assert.deepEqual(top, ['EMAIL/Croatia']);
});

test('without COMPARE WITH: one request, HAVING, ORDER BY and LIMIT on its rows; the json envelope has no previous fields', async () => {
  const since = T0 + 80 * DAY;
  const until = since + DAY;
  answer(since, until, [col('CHANNEL_CODE', 'STRING'), col('TOTAL_TRAFFIC_COUNT', 'INTEGER')], [['SMS', 5], ['EMAIL', 9], ['VIBER', 1]]);
  const before = s.hits.submit;
  const o = await runPlan(plan({ since, until, dimensions: [], having: [{ column: 'TOTAL_TRAFFIC_COUNT', operator: '>', values: [num(1)] }], orderBy: [{ column: 'TOTAL_TRAFFIC_COUNT', direction: 'ASC' }] }), live());
  assert.equal(s.hits.submit - before, 1);
  assert.deepEqual(o.response!.rows, [['SMS', 5], ['EMAIL', 9]]);
  assert.equal(o.previous, undefined);
  const json = JSON.parse(formatJson({ requestId: o.requestId, status: 'SUCCESS', source: o.source, response: o.response! })) as Record<string, unknown>;
  assert.deepEqual(Object.keys(json), ['requestId', 'status', 'source', 'response']);
  assert.deepEqual(Object.keys(json.response as object), ['requestedPeriod', 'totalRows', 'columns', 'rows']);
});

test('both requests are submitted before either is waited for; both ids are recorded, both results kept before the join', async () => {
  const since = T0 + 90 * DAY;
  const until = since + DAY;
  const cols = [col('CHANNEL_CODE', 'STRING'), col('TOTAL_TRAFFIC_COUNT', 'INTEGER')];
  answer(since, until, cols, [['SMS', 5]]);
  answer(since - DAY, until - DAY, cols, [['SMS', 4]]);
  const events: string[] = [];
  const callbackUrls = new Set<string>();
  const o = await runPlan(plan({ since, until, offsetMs: DAY, dimensions: [] }), live({
    onSubmitted: (id, url, side) => {
      events.push(`submitted ${side}`);
      callbackUrls.add(url);
    },
    onProgress: (phase, info) => {
      if (phase === 'received') events.push(`received ${info?.requestId}`);
    },
    keep: (outcome) => {
      events.push('keep');
      assert.equal(outcome.response, undefined, 'nothing joined yet');
      assert.ok(outcome.current.response && outcome.previous?.response);
    },
  }));
  assert.deepEqual(events.slice(0, 2).sort(), ['submitted current', 'submitted previous']);
  assert.equal(events.filter((e) => e.startsWith('received')).length, 2);
  assert.equal(events.at(-1), 'keep');
  assert.equal(callbackUrls.size, 2, 'each request has its own callback slot');
  assert.deepEqual(o.response!.rows, [['SMS', 5, 4, 1, 25]]);
  const json = JSON.parse(formatJson({ requestId: o.requestId, previousRequestId: o.previousRequestId!, status: 'SUCCESS', source: o.source, response: o.response! })) as Record<string, unknown>;
  assert.deepEqual(Object.keys(json), ['requestId', 'previousRequestId', 'status', 'source', 'response']);
  assert.deepEqual(Object.keys(json.response as object), ['requestedPeriod', 'previousPeriod', 'totalRows', 'columns', 'rows']);
  assert.deepEqual((json.response as { previousPeriod: unknown }).previousPeriod, { sentSince: wire(since - DAY), sentUntil: wire(until - DAY) });
});

test('a previous period that FAILED fails the run, naming that period with its dates; the current result is still kept', async () => {
  const since = T0 + 100 * DAY;
  const until = since + DAY;
  answer(since, until, [col('CHANNEL_CODE', 'STRING'), col('TOTAL_TRAFFIC_COUNT', 'INTEGER')], [['SMS', 5]]);
  scripted.set(wire(since - 7 * DAY), 'Could not load data');
  let kept = false;
  const o = await runPlan(plan({ since, until, offsetMs: 7 * DAY, dimensions: [] }), live({ keep: (x) => void (kept = !!x.current.response) }));
  assert.equal(o.status, 'FAILED');
  assert.equal(o.response, undefined);
  assert.ok(kept);
  assert.match(o.failureMessage!, new RegExp(`^The previous period \\(${wire(since - 7 * DAY).replace(/\+/g, '\\+')} – ${wire(until - 7 * DAY).replace(/\+/g, '\\+')}\\), request \\S+, FAILED: Could not load data$`));
});

test('a current period the API refuses fails the run with an error that names the current period', async () => {
  const since = T0 + 110 * DAY;
  const p = plan({ since, until: since + DAY, offsetMs: DAY, dimensions: [] });
  p.request = { ...p.request, metrics: ['NOT_A_METRIC'] };
  await assert.rejects(runPlan(p, live()), (e: unknown) => {
    assert.ok(e instanceof RunError);
    assert.equal(e.kind, 'invalidRequest');
    assert.match(e.message, new RegExp(`^The current period \\(${wire(since).replace(/\+/g, '\\+')} – .*\\) failed: `));
    return true;
  });
});

test('when one side throws, the other is still waited for and its result kept before the error, which says so', async () => {
  const since = T0 + 120 * DAY;
  const until = since + DAY;
  const cols = [col('CHANNEL_CODE', 'STRING'), col('TOTAL_TRAFFIC_COUNT', 'INTEGER')];
  answer(since - DAY, until - DAY, cols, [['SMS', 4]]);
  const p = plan({ since, until, offsetMs: DAY, dimensions: [] });
  p.request = { ...p.request, metrics: ['NOT_A_METRIC'] }; // the API refuses the current side only
  const kept: { previousRows?: unknown; currentStatus?: string; currentId?: string }[] = [];
  let previousId = '';
  await assert.rejects(
    runPlan(p, live({
      onSubmitted: (id, _url, side) => void (side === 'previous' && (previousId = id)),
      keep: (o) => void kept.push({ previousRows: o.previous?.response?.rows, currentStatus: o.current.status, currentId: o.current.requestId }),
    })),
    (e: unknown) => {
      assert.ok(e instanceof RunError);
      assert.equal(e.kind, 'invalidRequest');
      assert.match(e.message, /^The current period .* failed: /);
      assert.ok(e.message.endsWith(`The previous period's result (request ${previousId}) arrived and is kept in the run history.`), e.message);
      return true;
    },
  );
  assert.ok(previousId, 'the previous side was submitted');
  assert.deepEqual(kept, [{ previousRows: [['SMS', 4]], currentStatus: 'FAILED', currentId: '' }]);
});
