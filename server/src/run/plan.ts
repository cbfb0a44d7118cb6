// Compiling a query into the QueryPlan every run path executes (the CLI, the extension, the notebook
// runner). The core's compileRequest() gives the plan; a core that predates QueryPlan gives only the
// request, and the plan is then completed from the query's ORDER BY and LIMIT.
import type { Mq } from '../core/index.js';
import type { Query } from '../core/syntax/ast.js';
import type { CompileOptions } from '../core/compile/compiler.js';
import type { MqDiagnostic } from '../core/semantics/diagnostics.js';
import type { Period, QueryPlan } from '../core/compile/plan.js';
import { parseTimeCell } from './compare.js';

export type PlanResult = { ok: true; plan: QueryPlan; warnings: MqDiagnostic[] } | { ok: false; diagnostics: MqDiagnostic[] };

const periodOf = (since: string, until: string): Period => ({ sinceMs: parseTimeCell(since) ?? NaN, untilMs: parseTimeCell(until) ?? NaN });

/** Compiles one query to its plan; on errors, `diagnostics` holds them. */
export function compilePlan(mq: Mq, q: Query, opts: CompileOptions): PlanResult {
  const r = mq.compileRequest(q, opts);
  if (!r.ok) return r;
  const given = (r as { plan?: QueryPlan }).plan;
  if (given) return { ok: true, plan: given, warnings: r.warnings };
  const digits = q.limit?.value?.text;
  const limit = digits !== undefined && Number.isSafeInteger(Number(digits)) ? Number(digits) : undefined;
  const plan: QueryPlan = {
    request: r.request,
    period: periodOf(r.request.filterBy.sentSince, r.request.filterBy.sentUntil),
    metrics: [...r.request.metrics],
    dimensions: [...r.request.aggregateBy],
    having: [],
    orderBy: (q.orderBy?.items ?? []).map((it) => ({ column: it.column.upper, direction: it.direction })),
    ...(limit !== undefined ? { limit } : {}),
  };
  return { ok: true, plan, warnings: r.warnings };
}

/** The request bodies of a plan, current first (the one body of a query without COMPARE WITH). */
export function planRequests(plan: QueryPlan): QueryPlan['request'][] {
  return plan.comparison ? [plan.request, plan.comparison.request] : [plan.request];
}
