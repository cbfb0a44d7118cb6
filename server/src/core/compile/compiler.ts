// The mq compiler (spec §5, §8): one query → its QueryPlan (plan.ts): the request body to send (two for
// COMPARE WITH) and what to do with the rows when they arrive (HAVING, ORDER BY, LIMIT).
//
// It refuses to compile a query with any error-severity diagnostic, and otherwise builds the body from
// the same resolved model the analyser checked (rules/model.ts), so the two can never disagree.
// Output is deterministic: filterBy properties come in a fixed order (channelCodes, sentSince,
// sentUntil, then the catalog's filter order), values in the order written without repeats, times as
// yyyy-MM-dd'T'HH:mm:ss.SSS+0000 UTC resolved against the injected clock, int64 IDs as RawInteger
// (serialise with stringifyJson to keep every digit). COMPARE WITH adds a second request, a copy of the
// first whose sentSince/sentUntil are the previous period (same keys in the same order). HAVING, ORDER BY
// and LIMIT are never sent; they are applied to the rows when the result arrives.
import type { HavingLiteral as LiteralNode, Query } from '../syntax/ast.js';
import type { Analyser, AnalysisContext } from '../semantics/analyser.js';
import type { CatalogIndex } from '../catalog/catalogIndex.js';
import type { MqDiagnostic } from '../semantics/diagnostics.js';
import type { QueryModel } from '../semantics/model.js';
import { modelColumns } from '../semantics/columns.js';
import { compareLabel, compareOffsetMs, previousPeriod, queryPeriod } from '../semantics/compare.js';
import { formatWireTime } from './time.js';
import type { ComparisonPlan, HavingCondition, HavingLiteral, OrderItemSpec, QueryPlan } from './plan.js';
import { RawInteger, type AggregateDataFilter, type AggregateDataRequest, type Platform, type QueryAggregateDataRequest, type TimeSpan } from './wire.js';

export interface CompileOptions {
  now: Date;
  options?: AnalysisContext['options'];
}

export type CompileRequestResult =
  | {
      ok: true;
      /** The current period's request (= plan.request). */
      request: AggregateDataRequest;
      /** Everything the run needs: the request(s), the periods, HAVING, ORDER BY, LIMIT. */
      plan: QueryPlan;
      warnings: MqDiagnostic[];
    }
  | { ok: false; diagnostics: MqDiagnostic[] };

export type CompileResult =
  | {
      ok: true;
      /** The current period's body. */
      body: QueryAggregateDataRequest;
      /** Every body to send, current first: one, or two for COMPARE WITH (the previous period second). */
      bodies: QueryAggregateDataRequest[];
      plan: QueryPlan;
      warnings: MqDiagnostic[];
    }
  | { ok: false; diagnostics: MqDiagnostic[] };

/** What the compiler needs: the catalog and the analyser that checks the query first. */
export interface CompilerDeps {
  catalog: CatalogIndex;
  analyser: Analyser;
}

/** Compiles the query's plan (no callbackUrl). On failure, `diagnostics` holds the errors. */
export function compileRequest(deps: CompilerDeps, q: Query, opts: CompileOptions): CompileRequestResult {
  const ctx: AnalysisContext = opts.options ? { now: opts.now, options: opts.options } : { now: opts.now };
  const { diagnostics, model } = deps.analyser.analyseQuery(q, ctx);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) return { ok: false, diagnostics: errors };
  const plan = buildPlan(deps.catalog, model);
  if (!plan) {
    // Defensive: an error-free query always has the required filters.
    return { ok: false, diagnostics: diagnostics };
  }
  return { ok: true, request: plan.request, plan, warnings: diagnostics };
}

/** Compiles the whole request body (and the previous period's for COMPARE) with the run's callback URL. */
export function compileQuery(deps: CompilerDeps, q: Query, opts: { now: Date; callbackUrl: string; options?: AnalysisContext['options'] }): CompileResult {
  const r = compileRequest(deps, q, opts.options ? { now: opts.now, options: opts.options } : { now: opts.now });
  if (!r.ok) return r;
  const body = { callbackUrl: opts.callbackUrl, request: r.request };
  const bodies = [body];
  if (r.plan.comparison) bodies.push({ callbackUrl: opts.callbackUrl, request: r.plan.comparison.request });
  return { ok: true, body, bodies, plan: r.plan, warnings: r.warnings };
}

/** The plan of an error-free model (undefined when the required filters are missing). */
export function buildPlan(catalog: CatalogIndex, m: QueryModel): QueryPlan | undefined {
  const request = buildRequest(catalog, m);
  const period = queryPeriod(m);
  if (!request || !period) return undefined;
  const q = m.query;
  const cols = modelColumns(catalog, m);
  const canonical = (upper: string): string => cols.find((c) => c.name === upper)?.name ?? upper;
  const plan: QueryPlan = {
    request,
    period,
    metrics: request.metrics.slice(),
    dimensions: request.aggregateBy.slice(),
    having: (q.having?.conditions ?? []).flatMap((c): HavingCondition[] =>
      c.operator ? [{ column: canonical(c.column.upper), operator: c.operator, values: c.values.map(planLiteral) }] : [],
    ),
    orderBy: (q.orderBy?.items ?? []).map((o): OrderItemSpec => ({ column: canonical(o.column.upper), direction: o.direction })),
  };
  const target = q.compare?.target;
  const offsetMs = target && compareOffsetMs(target, period);
  if (target && offsetMs !== undefined) plan.comparison = comparisonPlan(request, previousPeriod(period, offsetMs), offsetMs, compareLabel(target));
  if (q.limit?.value) plan.limit = Number(q.limit.value.text);
  return plan;
}

function planLiteral(v: LiteralNode): HavingLiteral {
  if (v.kind === 'number') return { kind: 'number', text: v.text, value: v.value };
  return { kind: 'text', value: v.kind === 'string' ? v.value : v.text };
}

/** The previous period's request: a copy of the current one with only sentSince and sentUntil changed. */
function comparisonPlan(request: AggregateDataRequest, period: ComparisonPlan['period'], offsetMs: number, label: string): ComparisonPlan {
  const filterBy = copyData(request.filterBy) as AggregateDataFilter;
  filterBy.sentSince = formatWireTime(period.sinceMs);
  filterBy.sentUntil = formatWireTime(period.untilMs);
  return { request: { filterBy, aggregateBy: request.aggregateBy.slice(), metrics: request.metrics.slice() }, period, offsetMs, label };
}

/** A deep copy of plain request data (arrays and objects; RawInteger values are immutable and shared). */
function copyData(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(copyData);
  if (v && typeof v === 'object' && !(v instanceof RawInteger)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = copyData(x);
    return out;
  }
  return v;
}

/** Builds the request from an error-free model. */
export function buildRequest(catalog: CatalogIndex, m: QueryModel): AggregateDataRequest | undefined {
  const known = catalog.known;
  const since = m.since[0];
  const until = m.until[0];
  const channels = m.lists.get(known.channelCode);
  if (!since || !until || !channels) return undefined;

  const out: Record<string, unknown> = {};
  let platform: Platform | undefined;
  for (const f of catalog.filterOrder) {
    if (f === known.sentSince) {
      out.sentSince = formatWireTime(since.ms);
      continue;
    }
    if (f === known.sentUntil) {
      out.sentUntil = formatWireTime(until.ms);
      continue;
    }
    if (f === known.sent) continue;
    if (f === known.applicationId || f === known.entityId) {
      const v = m.scalars.get(f)?.values[0];
      if (!v) continue;
      if (!platform) {
        platform = {};
        out[f.wire] = [platform];
      }
      if (f === known.applicationId) platform.applicationId = String(v.wire);
      else platform.entityId = String(v.wire);
      continue;
    }
    const list = m.lists.get(f);
    if (list) {
      out[f.wire] = list.values.map((v) => v.wire);
      continue;
    }
    const span = m.spans.get(f);
    if (span && (span.from || span.to)) {
      const ts: TimeSpan = { from: (span.from?.bucket ?? catalog.bucketsByMs[0]!).name };
      if (span.to) ts.to = span.to.bucket.name;
      out[f.wire] = [ts];
      continue;
    }
    const scalar = m.scalars.get(f);
    if (scalar && scalar.values[0]) out[f.wire] = scalar.values[0].wire;
  }
  // Platform key order: applicationId before entityId, whatever the query order.
  if (platform) {
    const p: Platform = {};
    if (platform.applicationId !== undefined) p.applicationId = platform.applicationId;
    if (platform.entityId !== undefined) p.entityId = platform.entityId;
    out[known.applicationId.wire] = [p];
  }

  const metrics: string[] = [];
  for (const r of m.metrics) if (r.entry && !metrics.includes(r.entry.name)) metrics.push(r.entry.name);
  const aggregateBy: string[] = [];
  for (const d of m.dimensions) if (d.entry && !aggregateBy.includes(d.entry.name)) aggregateBy.push(d.entry.name);
  if (aggregateBy.length === 0) aggregateBy.push(known.channelCodeDimension.name);

  return { filterBy: out as unknown as AggregateDataFilter, aggregateBy, metrics };
}
