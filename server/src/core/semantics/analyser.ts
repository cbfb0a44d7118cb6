// The mq analyser: every diagnostic of spec §6 for a parsed query or document.
//
// Each rule lives in rules/<rule>.ts and registers checks keyed by node kind (Query, Metric, Dimension,
// Condition, OrderItem, Limit). The query is first resolved into a QueryModel (rules/model.ts): every
// name looked up once, every value checked and converted once, conditions folded per filter. Rules
// read that model; the compiler builds the request body from the same model, so what is checked is
// exactly what is sent.
//
// analyseQuery depends only on the query and the context (clock and options), so callers may cache
// per query. createAnalyser builds the check lists once per instance; "did you mean" suggestions are only
// computed for unknown names. Each check is guarded: one that throws becomes one internal-error diagnostic
// on its query (naming the rule), and the other checks still run.
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
// - COMPARE WITH / HAVING (v1.1): the result columns come from semantics/columns.ts (HAVING, ORDER BY,
//   completion and hover share them). compare-offset-misaligned checks the finest time dimension;
//   PREVIOUS PERIOD's offset is the period's length at the analysis clock. HAVING text literals are
//   case-sensitive and kept as written; a number against a dimension column is a type mismatch even for
//   numeric dimensions (write it quoted). contradictory-having folds the conditions of one column with AND
//   (bounds, = / IN sets, != exclusions) and reports the condition that empties them.
import type { Located, MqDocument, Query } from '../syntax/ast.js';
import type { CatalogIndex } from '../catalog/catalogIndex.js';
import { syntaxErrorDiagnostic, type MqDiagnostic } from './diagnostics.js';
import type { Syntax } from '../syntax/parser.js';
import { buildModel, type QueryModel } from './model.js';
import { diag, type Rule, type RuleChecks, type RuleContext, type RuleOptions } from './rules/types.js';

export interface AnalysisContext {
  now: Date;
  options?: { openApiOnlyChannels?: 'off' | 'hint' | 'warning' };
}

/** Diagnostics of one query plus the resolved model they were computed from (the compiler uses both). */
export interface QueryAnalysis {
  diagnostics: MqDiagnostic[];
  model: QueryModel;
}

export interface Analyser {
  /** Diagnostics of one query (its syntax errors, then everything the rules find, in source order) and its model. */
  analyseQuery(q: Query, ctx: AnalysisContext): QueryAnalysis;
  /** Diagnostics of a whole document: syntax errors outside queries, then each query's. */
  analyseDocument(doc: MqDocument, ctx: AnalysisContext): MqDiagnostic[];
  /**
   * Diagnostics of a whole text, the same list as analyseDocument(parse(text), ctx), computed query by query:
   * each query is analysed as soon as it is parsed and its syntax tree dropped, so a large file never has
   * all its trees in memory (what `mq check` uses).
   */
  checkDocument(text: string, ctx: AnalysisContext): MqDiagnostic[];
}

type NodeOf<K extends keyof RuleChecks> = Parameters<NonNullable<RuleChecks[K]>>[0];
interface Check<N> {
  rule: Rule;
  run: (node: N, rc: RuleContext) => void;
}
type Checks = { [K in keyof RuleChecks]-?: Check<NodeOf<K>>[] };

function collect(rules: readonly Rule[]): Checks {
  const c: Checks = { Query: [], Metric: [], Dimension: [], Condition: [], OrderItem: [], Limit: [] };
  const add = <K extends keyof RuleChecks>(kind: K, rule: Rule): void => {
    const run = rule.checks[kind];
    if (run) (c[kind] as Check<NodeOf<K>>[]).push({ rule, run: run as Check<NodeOf<K>>['run'] });
  };
  for (const r of rules) for (const kind of Object.keys(c) as (keyof RuleChecks)[]) add(kind, r);
  return c;
}

class Collector implements RuleContext {
  readonly out: MqDiagnostic[] = [];
  private failed: Set<Rule> | undefined;
  constructor(
    readonly model: QueryModel,
    readonly options: RuleOptions,
    readonly catalog: CatalogIndex,
  ) {}
  accept(d: MqDiagnostic): void {
    this.out.push(d);
  }
  /** A check threw: one internal-error per rule and query. */
  fail(rule: Rule, error: unknown): void {
    this.failed ??= new Set();
    if (this.failed.has(rule)) return;
    this.failed.add(rule);
    this.out.push(internalError(this.model.query.select.keyword, rule.id, error));
  }
}

function internalError(at: Located, rule: string, error: unknown): MqDiagnostic {
  const why = error instanceof Error ? error.message : String(error);
  return diag(
    'internal-error',
    at,
    `mq's "${rule}" check failed on this query (${why}). This is a bug in mq, not in the query; the other checks ran. ` +
      'Please report it with the query text.',
    { data: { rule } },
  );
}

function runChecks<N>(list: readonly Check<N>[], node: N, rc: Collector): void {
  for (let i = 0; i < list.length; i++) {
    const c = list[i]!;
    try {
      c.run(node, rc);
    } catch (e) {
      rc.fail(c.rule, e);
    }
  }
}

/** A model with nothing resolved, for a query whose model could not be built (reported as internal-error). */
function emptyModel(q: Query): QueryModel {
  return { query: q, metrics: [], dimensions: [], conditions: [], lists: new Map(), spans: new Map(), scalars: new Map(), since: [], until: [], present: new Set() };
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

/** The analyser over one catalog and one list of rules; the check lists are built here, once. */
export function createAnalyser(catalog: CatalogIndex, rules: readonly Rule[], syntax: Pick<Syntax, 'parseEachQuery'>): Analyser {
  const checks = collect(rules);

  function runRules(model: QueryModel, ctx: AnalysisContext): MqDiagnostic[] {
    const options: RuleOptions = { openApiOnlyChannels: ctx.options?.openApiOnlyChannels ?? 'off' };
    const rc = new Collector(model, options, catalog);
    const q = model.query;
    for (const m of model.metrics) runChecks(checks.Metric, m, rc);
    for (const d of model.dimensions) runChecks(checks.Dimension, d, rc);
    for (const c of model.conditions) runChecks(checks.Condition, c, rc);
    for (const o of q.orderBy?.items ?? []) runChecks(checks.OrderItem, o, rc);
    if (q.limit) runChecks(checks.Limit, q.limit, rc);
    runChecks(checks.Query, q, rc);
    return rc.out;
  }

  function analyseQuery(q: Query, ctx: AnalysisContext): QueryAnalysis {
    const out: MqDiagnostic[] = [];
    for (const e of q.syntaxErrors) out.push(syntaxErrorDiagnostic(e));
    let model: QueryModel;
    try {
      model = buildModel(catalog, q, ctx.now);
    } catch (e) {
      out.push(internalError(q.select.keyword, 'model', e));
      return { diagnostics: sortUnique(out), model: emptyModel(q) };
    }
    const found = runRules(model, ctx);
    for (const d of found) out.push(d);
    return { diagnostics: sortUnique(out), model };
  }

  function analyseDocument(doc: MqDocument, ctx: AnalysisContext): MqDiagnostic[] {
    const out: MqDiagnostic[] = [];
    for (const e of doc.syntaxErrors) out.push(syntaxErrorDiagnostic(e));
    for (const q of doc.queries) out.push(...analyseQuery(q, ctx).diagnostics);
    return out.sort(bySource);
  }

  function checkDocument(text: string, ctx: AnalysisContext): MqDiagnostic[] {
    const found: MqDiagnostic[] = [];
    const doc = syntax.parseEachQuery(text, (q) => {
      const list = analyseQuery(q, ctx).diagnostics;
      for (let i = 0; i < list.length; i++) found.push(list[i]!);
    });
    const out: MqDiagnostic[] = [];
    for (const e of doc.syntaxErrors) out.push(syntaxErrorDiagnostic(e));
    for (let i = 0; i < found.length; i++) out.push(found[i]!);
    return out.sort(bySource);
  }

  return { analyseQuery, analyseDocument, checkDocument };
}
