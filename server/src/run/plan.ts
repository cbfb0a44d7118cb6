// Compiling a query into the QueryPlan every run path executes (the CLI, the extension, the notebook
// runner): the core's compileRequest() gives the plan; this names the result the run paths use.
import type { Mq } from '../core/index.js';
import type { Query } from '../core/syntax/ast.js';
import type { CompileOptions } from '../core/compile/compiler.js';
import type { MqDiagnostic } from '../core/semantics/diagnostics.js';
import type { QueryPlan } from '../core/compile/plan.js';

export type PlanResult = { ok: true; plan: QueryPlan; warnings: MqDiagnostic[] } | { ok: false; diagnostics: MqDiagnostic[] };

/** Compiles one query to its plan; on errors, `diagnostics` holds them. */
export function compilePlan(mq: Mq, q: Query, opts: CompileOptions): PlanResult {
  const r = mq.compileRequest(q, opts);
  return r.ok ? { ok: true, plan: r.plan, warnings: r.warnings } : r;
}

/** The request bodies of a plan, current first (the one body of a query without COMPARE WITH). */
export function planRequests(plan: QueryPlan): QueryPlan['request'][] {
  return plan.comparison ? [plan.request, plan.comparison.request] : [plan.request];
}
