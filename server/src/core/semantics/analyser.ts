// The mq analyser: every diagnostic of spec §6 for a parsed query or document.
//
// Each rule lives in rules/<rule>.ts and registers checks keyed by node kind (Query, Metric, Dimension,
// Condition, OrderItem, Limit). The query is first resolved into a QueryModel (rules/model.ts): every
// name looked up once, every value checked and converted once, conditions folded per filter. Rules
// read that model; the compiler builds the request body from the same model, so what is checked is
// exactly what is sent.
//
// analyseQuery depends only on the query and the context (clock and options), so callers may cache
// per query. Lookup tables are built once; "did you mean" suggestions are only computed for unknown names.
//
// Decisions where the spec is silent (also in docs/language.md):
// - AND semantics throughout. A list filter given several times keeps the values all conditions
//   allow (`channelCode IN (SMS, EMAIL) AND channelCode = SMS` sends [SMS]); if nothing is left that
//   is contradictory-filter (with an `IN (...)` replacement in data). Single-valued filters
//   (sentSince, sentUntil, includeSubaccounts, applicationId, entityId) given twice with different
//   values are contradictory-filter; the same value twice is accepted.
// - `sent` and sentSince/sentUntil set the same two bounds. Using both for one bound with different
//   instants is contradictory-filter. `sent BETWEEN a AND b` is half-open like the API (a included,
//   b excluded); `sent > a` starts 1 ms after a; `sent <= b` ends 1 ms after b (sentUntil is exclusive).
// - timeTo* filters: durations must be bucket boundaries or bucket names (SECONDS_5). `< x` and
//   `<= x` both give {from: SECONDS_0, to: x}; `>= x` and `> x` both give {from: x}: buckets cannot
//   tell a time equal to a boundary from one just beside it, so the inclusive and exclusive
//   spellings select the same buckets. Several conditions on one timeTo* filter tighten one span
//   (`timeToDeliver >= 1s AND timeToDeliver < 5s` → {from: SECONDS_1, to: SECONDS_5}); a span that
//   ends up empty is contradictory-filter (two conditions) or invalid-value (one BETWEEN, or `< 0s`).
// - applicationId and entityId form one platform; either may be given alone and only that property
//   is sent (the OpenAPI Platform object has no required properties).
// - Channel codes: the seed's codes (FB, KAKAOA, ...) and the OpenAPI's (FACEBOOK, VOICE_VIDEO, ...)
//   are all accepted and sent as written (canonical upper case); channel rules use the code's family.
//   ctx.options.openApiOnlyChannels ('off' by default) can flag codes that only the OpenAPI document
//   knows, as unknown-value with hint or warning severity.
// - trafficTypes/senderTypes accept names or numeric IDs and always send the name (spec §4).
//   statuses/errorCodes are open lists: unknown names pass (names upper-cased, strings as written).
// - String filters (accountKeys, senders, ...) also accept unquoted names and integers, sent as written.
//   Enum filters also accept a quoted string holding a known name.
// - int64/int32 IDs: digits only (a quoted number is invalid-value, with "remove the quotes"); leading
//   zeros are dropped; values above 2^63-1 / 2^31-1 are invalid-value.
// - Channel-dependent rules (metric-channel-*, traffic-type-channel, sender-type-channel) only run when
//   channelCode is fully valid and not contradictory; direction-metric likewise for direction.
// - multiple-time-grains is reported on each coarser time dimension; two week dimensions count as two grains.
// - missing-required-filter sits on WHERE when there is one, else on SELECT.
import type { MqDocument, Query } from '../syntax/ast.js';
import type { MqDiagnostic } from './diagnostics.js';
import { parseEachQuery } from '../syntax/parser.js';
import { buildModel, type QueryModel } from './model.js';
import { rules } from './rules/index.js';
import type { Rule, RuleContext, RuleOptions } from './rules/types.js';

export interface AnalysisContext {
  now: Date;
  options?: { openApiOnlyChannels?: 'off' | 'hint' | 'warning' };
}

type Checks = { [K in keyof Rule['checks']]-?: NonNullable<Rule['checks'][K]>[] };

function collect(): Checks {
  const c: Checks = { Query: [], Metric: [], Dimension: [], Condition: [], OrderItem: [], Limit: [] };
  for (const r of rules) {
    const k = r.checks;
    if (k.Query) c.Query.push(k.Query);
    if (k.Metric) c.Metric.push(k.Metric);
    if (k.Dimension) c.Dimension.push(k.Dimension);
    if (k.Condition) c.Condition.push(k.Condition);
    if (k.OrderItem) c.OrderItem.push(k.OrderItem);
    if (k.Limit) c.Limit.push(k.Limit);
  }
  return c;
}

let checks: Checks | undefined;

class Collector implements RuleContext {
  readonly out: MqDiagnostic[] = [];
  constructor(
    readonly model: QueryModel,
    readonly options: RuleOptions,
  ) {}
  accept(d: MqDiagnostic): void {
    this.out.push(d);
  }
}

/** Runs every rule over a resolved query model. */
export function runRules(model: QueryModel, ctx: AnalysisContext): MqDiagnostic[] {
  if (!checks) checks = collect();
  const options: RuleOptions = { openApiOnlyChannels: ctx.options?.openApiOnlyChannels ?? 'off' };
  const rc = new Collector(model, options);
  const out = rc.out;
  const q = model.query;
  for (const m of model.metrics) for (const f of checks.Metric) f(m, rc);
  for (const d of model.dimensions) for (const f of checks.Dimension) f(d, rc);
  for (const c of model.conditions) for (const f of checks.Condition) f(c, rc);
  for (const o of q.orderBy?.items ?? []) for (const f of checks.OrderItem) f(o, rc);
  if (q.limit) for (const f of checks.Limit) f(q.limit, rc);
  for (const f of checks.Query) f(q, rc);
  return out;
}

function bySource(a: MqDiagnostic, b: MqDiagnostic): number {
  return a.start - b.start || a.end - b.end;
}

/** Sorts in source order and drops repeats of the same code at the same range (list must be sorted by bySource). */
function sortUnique(list: MqDiagnostic[]): MqDiagnostic[] {
  if (list.length < 2) return list;
  list.sort(bySource);
  let w = 1;
  for (let r = 1; r < list.length; r++) {
    const d = list[r]!;
    let dup = false;
    for (let k = w - 1; k >= 0; k--) {
      const p = list[k]!;
      if (p.start !== d.start || p.end !== d.end) break;
      if (p.code === d.code) {
        dup = true;
        break;
      }
    }
    if (!dup) list[w++] = d;
  }
  list.length = w;
  return list;
}

/** Diagnostics of one query plus the resolved model they were computed from (the compiler uses both). */
export function analyseQueryWithModel(q: Query, ctx: AnalysisContext): { diagnostics: MqDiagnostic[]; model: QueryModel } {
  const out: MqDiagnostic[] = [];
  for (const e of q.syntaxErrors) {
    out.push({ code: 'syntax-error', severity: 'error', message: e.message, range: e.range, start: e.start, end: e.end });
  }
  const model = buildModel(q, ctx.now);
  const found = runRules(model, ctx);
  for (const d of found) out.push(d);
  return { diagnostics: sortUnique(out), model };
}

/** Diagnostics of one query: its syntax errors, then everything the rules find, in source order. */
export function analyseQuery(q: Query, ctx: AnalysisContext): MqDiagnostic[] {
  return analyseQueryWithModel(q, ctx).diagnostics;
}

/** Diagnostics of a whole document: syntax errors outside queries, then each query's. */
export function analyseDocument(doc: MqDocument, ctx: AnalysisContext): MqDiagnostic[] {
  const out: MqDiagnostic[] = [];
  for (const e of doc.syntaxErrors) {
    out.push({ code: 'syntax-error', severity: 'error', message: e.message, range: e.range, start: e.start, end: e.end });
  }
  for (const q of doc.queries) out.push(...analyseQuery(q, ctx));
  return out.sort(bySource);
}

/**
 * Diagnostics of a whole text, the same list as analyseDocument(parseDocument(text), ctx), computed query by
 * query: each query is analysed as soon as it is parsed and its syntax tree dropped, so a large file never
 * has all its trees in memory (what `mq check` uses).
 */
export function checkDocument(text: string, ctx: AnalysisContext): MqDiagnostic[] {
  const found: MqDiagnostic[] = [];
  const doc = parseEachQuery(text, (q) => {
    const list = analyseQuery(q, ctx);
    for (let i = 0; i < list.length; i++) found.push(list[i]!);
  });
  const out: MqDiagnostic[] = [];
  for (const e of doc.syntaxErrors) {
    out.push({ code: 'syntax-error', severity: 'error', message: e.message, range: e.range, start: e.start, end: e.end });
  }
  for (let i = 0; i < found.length; i++) out.push(found[i]!);
  return out.sort(bySource);
}

/** True when any diagnostic is an error. */
export function hasErrors(list: readonly MqDiagnostic[]): boolean {
  return list.some((d) => d.severity === 'error');
}
