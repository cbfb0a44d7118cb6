// Runs the mq cells of a notebook through the same run engine as `mq run`: each query of a cell is checked,
// compiled and sent on its own, and becomes one output (a result, or an error naming what went wrong).
// A query with errors is not sent. Used by `mq notebook run` and by the VS Code notebook controller.
import type { Mq } from '../core/index.js';
import type { MqDocument, Query } from '../core/syntax/ast.js';
import type { MqDiagnostic } from '../core/semantics/diagnostics.js';
import { key } from '../core/catalog/catalogIndex.js';
import { RunError, redact, type RunOptions } from '../run/engine.js';
import { runPlan, type PlanOutcome, type PlanRunOptions } from '../run/runPlan.js';
import { compilePlan } from '../run/plan.js';
import { comparisonOf, dimensionColumnsOf, rateColumnsOf } from '../run/compare.js';
import type { QueryPlan } from '../core/compile/plan.js';
import type { CellExecution, Notebook, NotebookOutput, NotebookResult, OutputDiagnostic } from './format.js';

export interface CellRunContext {
  /** The language core that checks and compiles the queries. */
  mq: Mq;
  /** Options for the run engine (no base URL and key: sample data). */
  runOptions: RunOptions;
  /** The clock for relative times; read when each query is compiled. */
  now?: () => Date;
  /** Connection name shown with results ("embedded" for sample data). */
  connection?: string;
  /** Secrets to remove from any message that is kept. */
  secrets?: readonly (string | undefined)[];
  /** Options of the analyser (as the language server uses them). */
  analysis?: { openApiOnlyChannels?: 'off' | 'hint' | 'warning' };
  signal?: AbortSignal;
  /** Called with each output as soon as it exists (the controller shows them one by one). */
  onOutput?: (output: NotebookOutput) => void;
  /**
   * Runs a compiled plan (both periods for COMPARE WITH; joined, HAVING, ORDER BY, LIMIT); defaults to the
   * run engine's runPlan (the extension passes its own, which records the run in the history).
   */
  run?: (plan: QueryPlan, options: PlanRunOptions, query: { title: string; queryText: string }) => Promise<PlanOutcome>;
}

export interface CellRunResult {
  outputs: NotebookOutput[];
  /** True when every query of the cell returned a result. */
  success: boolean;
  /** Set when the run cannot go on with later cells (credentials, network, cancel): why. */
  stop?: string;
}

/** True for the metrics the catalog marks as rates or ratios (the results show them as percentages). */
export function isRateMetric(mq: Mq, name: string): boolean {
  return mq.catalog.metrics.get(key(name))?.isRate === true;
}

function outputDiagnostic(d: MqDiagnostic): OutputDiagnostic {
  return { code: d.code, severity: d.severity, line: d.range.start.line + 1, column: d.range.start.character + 1, message: d.message };
}

/** "[code] line 2: message; …" for the first few diagnostics. */
export function describeDiagnostics(ds: readonly OutputDiagnostic[]): string {
  const shown = ds.slice(0, 5).map((d) => `[${d.code}] line ${d.line}: ${d.message}`);
  return shown.join('; ') + (ds.length > shown.length ? `; and ${ds.length - shown.length} more` : '');
}

/** The first line comment above or inside the query, else "query N". */
export function queryTitle(doc: MqDocument, q: Query, text: string): string {
  const before = doc.comments.filter((c) => c.end <= q.start && (doc.queries[q.index - 1]?.end ?? -1) < c.start);
  const comment = before[before.length - 1];
  const raw = comment ? text.slice(comment.start, comment.end).replace(/^--\s*|^\/\*\s*|\s*\*\/$/g, '').split('\n')[0]!.trim() : '';
  return raw || `query ${q.index + 1}`;
}

function resultOf(mq: Mq, q: Query, doc: MqDocument, text: string, plan: QueryPlan, outcome: PlanOutcome, connection: string): NotebookResult {
  const response = outcome.response!;
  const result: NotebookResult = {
    title: queryTitle(doc, q, text),
    queryText: text.slice(q.start, q.semicolon ? Math.max(q.end, q.semicolon.end) : q.end),
    source: outcome.source,
    connection: outcome.source === 'sample' ? 'embedded' : connection,
    requestId: outcome.requestId,
    requestedPeriod: { sentSince: plan.request.filterBy.sentSince, sentUntil: plan.request.filterBy.sentUntil },
    elapsedMs: outcome.elapsedMs,
    dimensions: dimensionColumnsOf(plan),
    rateColumns: rateColumnsOf(plan, (m) => isRateMetric(mq, m)),
    response,
  };
  const returned = outcome.current.response?.requestedPeriod;
  if (returned) result.returnedPeriod = returned;
  if (plan.orderBy.length) result.orderBy = plan.orderBy;
  if (plan.limit !== undefined) result.limit = plan.limit;
  const comparison = comparisonOf(plan, outcome.previousRequestId, response);
  if (comparison) result.comparison = comparison;
  return result;
}

/** Errors that belong to one query and need not stop the others (the same rule as `mq run --all`). */
function perQueryError(e: RunError): boolean {
  return e.kind === 'invalidRequest' || e.kind === 'failed' || (e.kind === 'timeout' && e.details.requestId !== undefined);
}

async function runOneQuery(doc: MqDocument, text: string, q: Query, ctx: CellRunContext): Promise<{ output: NotebookOutput; stop?: string }> {
  const head = { query: q.index + 1, line: q.range.start.line + 1 };
  const now = ctx.now?.() ?? new Date();
  const compiled = compilePlan(ctx.mq, q, { now, ...(ctx.analysis ? { options: ctx.analysis } : {}) });
  const blocking = [...(compiled.ok ? [] : compiled.diagnostics.filter((d) => d.severity === 'error')), ...ctx.mq.errorsAfterQuery(doc, q.index)];
  if (!compiled.ok || blocking.length) {
    const diagnostics = blocking.map(outputDiagnostic);
    const message = `query ${head.query} (line ${head.line}) has ${diagnostics.length} error${diagnostics.length === 1 ? '' : 's'} and was not sent: ${describeDiagnostics(diagnostics)}`;
    return { output: { kind: 'error', ...head, reason: 'diagnostics', message, diagnostics } };
  }
  const secrets = [...(ctx.secrets ?? []), ctx.runOptions.apiKey, ctx.runOptions.callback?.relay?.token];
  try {
    const options: RunOptions = { ...ctx.runOptions, ...(ctx.signal ? { signal: ctx.signal } : {}), ...(ctx.now ? { now: ctx.now } : {}) };
    const info = { title: queryTitle(doc, q, text), queryText: text.slice(q.start, q.end) };
    const outcome = await (ctx.run ?? runPlan)(compiled.plan, options, info);
    if (outcome.status !== 'SUCCESS' || !outcome.response) {
      const why = redact(outcome.failureMessage ?? 'no reason given', secrets);
      return { output: { kind: 'error', ...head, reason: 'failed', message: outcome.previous ? why : `request ${outcome.requestId} FAILED: ${why}`, requestId: outcome.requestId } };
    }
    return { output: { kind: 'result', ...head, result: resultOf(ctx.mq, q, doc, text, compiled.plan, outcome, ctx.connection ?? 'embedded') } };
  } catch (e) {
    const cancelled = ctx.signal?.aborted === true || (e instanceof RunError && e.kind === 'cancelled');
    const message = redact(e instanceof Error ? e.message : String(e), secrets);
    const kind = e instanceof RunError ? e.kind : 'unexpected';
    const output: NotebookOutput = { kind: 'error', ...head, reason: cancelled ? 'cancelled' : 'run', message: cancelled ? 'the run was cancelled' : `${kind}: ${message}` };
    if (e instanceof RunError && e.details.requestId) output.requestId = e.details.requestId;
    const stop = cancelled ? 'cancelled' : e instanceof RunError && perQueryError(e) ? undefined : message;
    return stop === undefined ? { output } : { output, stop };
  }
}

/** Runs every query of one mq cell, one after another; one output per query. */
export async function runCellSource(text: string, ctx: CellRunContext): Promise<CellRunResult> {
  const doc = ctx.mq.parse(text);
  const outputs: NotebookOutput[] = [];
  const emit = (o: NotebookOutput): void => {
    outputs.push(o);
    ctx.onOutput?.(o);
  };
  if (doc.queries.length === 0) {
    if (text.trim() === '') return { outputs, success: true };
    emit({ kind: 'error', reason: 'diagnostics', message: 'this cell holds no query (a query starts with SELECT)' });
    return { outputs, success: false };
  }
  const stray = ctx.mq.errorsElsewhere(doc, doc.queries.map((q) => q.index)).map(outputDiagnostic);
  if (stray.length) emit({ kind: 'error', reason: 'diagnostics', message: `text outside any query was ignored: ${describeDiagnostics(stray)}`, diagnostics: stray });
  let success = stray.length === 0;
  for (const q of doc.queries) {
    if (ctx.signal?.aborted) return { outputs, success: false, stop: 'cancelled' };
    const { output, stop } = await runOneQuery(doc, text, q, ctx);
    emit(output);
    if (output.kind !== 'result') success = false;
    if (stop) return { outputs, success: false, stop };
  }
  return { outputs, success };
}

export interface NotebookRunSummary {
  ran: number;
  succeeded: number;
  /** Cells not run because the run stopped early. */
  skipped: number;
  stopped?: string;
}

/**
 * Runs every mq cell of the notebook in order, replacing its outputs and execution info. Markdown cells are
 * kept as they are. A run that cannot go on (credentials, network, cancel) leaves the later cells untouched.
 */
export async function runNotebook(nb: Notebook, ctx: CellRunContext & { onCell?: (index: number, total: number) => void }): Promise<NotebookRunSummary> {
  const summary: NotebookRunSummary = { ran: 0, succeeded: 0, skipped: 0 };
  const mqCells = nb.cells.filter((c) => c.kind === 'mq' && c.source.trim() !== '');
  let order = 0;
  for (const cell of mqCells) {
    if (summary.stopped) {
      summary.skipped++;
      continue;
    }
    ctx.onCell?.(order, mqCells.length);
    const startedAt = new Date();
    const t0 = performance.now();
    const r = await runCellSource(cell.source, ctx);
    const execution: CellExecution = { order: ++order, startedAt: startedAt.toISOString(), durationMs: Math.round(performance.now() - t0), success: r.success };
    cell.execution = execution;
    cell.outputs = r.outputs;
    summary.ran++;
    if (r.success) summary.succeeded++;
    if (r.stop) summary.stopped = r.stop;
  }
  return summary;
}
