// The mq compiler (spec §5): one query → one Metrics API request body.
//
// It refuses to compile a query with any error-severity diagnostic, and otherwise builds the body from
// the same resolved model the analyser checked (rules/model.ts), so the two can never disagree.
// Output is deterministic: filterBy properties come in a fixed order (channelCodes, sentSince,
// sentUntil, then the catalog's filter order), values in the order written without repeats, times as
// yyyy-MM-dd'T'HH:mm:ss.SSS+0000 UTC resolved against the injected clock, int64 IDs as RawInteger
// (serialise with stringifyJson to keep every digit). ORDER BY and LIMIT are not sent; they are applied
// to the rows when the result arrives.
import type { Query } from '../syntax/ast.js';
import type { Analyser, AnalysisContext } from '../semantics/analyser.js';
import type { CatalogIndex } from '../catalog/catalogIndex.js';
import type { MqDiagnostic } from '../semantics/diagnostics.js';
import type { QueryModel } from '../semantics/model.js';
import { formatWireTime } from './time.js';
import type { AggregateDataFilter, AggregateDataRequest, Platform, QueryAggregateDataRequest, TimeSpan } from './wire.js';

export interface CompileOptions {
  now: Date;
  options?: AnalysisContext['options'];
}

export type CompileRequestResult =
  | { ok: true; request: AggregateDataRequest; warnings: MqDiagnostic[] }
  | { ok: false; diagnostics: MqDiagnostic[] };

export type CompileResult =
  | { ok: true; body: QueryAggregateDataRequest; warnings: MqDiagnostic[] }
  | { ok: false; diagnostics: MqDiagnostic[] };

/** What the compiler needs: the catalog and the analyser that checks the query first. */
export interface CompilerDeps {
  catalog: CatalogIndex;
  analyser: Analyser;
}

/** Compiles the `request` part (no callbackUrl). On failure, `diagnostics` holds the errors. */
export function compileRequest(deps: CompilerDeps, q: Query, opts: CompileOptions): CompileRequestResult {
  const ctx: AnalysisContext = opts.options ? { now: opts.now, options: opts.options } : { now: opts.now };
  const { diagnostics, model } = deps.analyser.analyseQuery(q, ctx);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) return { ok: false, diagnostics: errors };
  const request = buildRequest(deps.catalog, model);
  if (!request) {
    // Defensive: an error-free query always has the required filters.
    return { ok: false, diagnostics: diagnostics };
  }
  return { ok: true, request, warnings: diagnostics };
}

/** Compiles the whole request body with the callback URL of the run configuration. */
export function compileQuery(deps: CompilerDeps, q: Query, opts: { now: Date; callbackUrl: string; options?: AnalysisContext['options'] }): CompileResult {
  const r = compileRequest(deps, q, opts.options ? { now: opts.now, options: opts.options } : { now: opts.now });
  if (!r.ok) return r;
  return { ok: true, body: { callbackUrl: opts.callbackUrl, request: r.request }, warnings: r.warnings };
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
