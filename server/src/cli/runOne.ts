// One query of `mq run`: diagnostics, compile to a plan, record as pending, run (both periods for COMPARE
// WITH), store the results, then print the joined and filtered rows.
import { stringifyJson } from '../core/compile/wire.js';
import type { QueryPlan } from '../core/compile/plan.js';
import { RunError, type RunOptions } from '../run/engine.js';
import { formatCsv, formatJson, formatTable, type QueryOutcome } from '../run/results.js';
import type { HistoryEntry } from '../run/history.js';
import { callbackModeOf, storedPlanResultOf, storeResult, withoutCredentials } from '../run/recover.js';
import { compilePlan, planRequests } from '../run/plan.js';
import { runPlan, type PlanOutcome, type PlanRunOptions } from '../run/runPlan.js';
import { redact } from '../run/redact.js';
import { diagnosticLine } from './format.js';
import type { RunSettings } from './runQuery.js';

type Compiled = { ok: true; plan: QueryPlan } | { ok: false; record: QueryOutcome };

/** Prints a query's diagnostics and compiles it; a query with errors is not run. */
function compileOne(s: RunSettings, i: number): Compiled {
  const { io, doc, file, now } = s;
  const query = doc.queries[i]!;
  const line = query.range.start.line + 1;
  if (s.all && s.format === 'table') io.stdout(`${i > 0 ? '\n' : ''}-- query ${i + 1} (line ${line})\n`);
  const diagnostics = s.mq.analyseQuery(query, { now }).diagnostics;
  for (const d of diagnostics) io.stderr(diagnosticLine(file, d) + '\n');
  const compiled = compilePlan(s.mq, query, { now });
  const after = s.mq.errorsAfterQuery(doc, i);
  for (const d of after) io.stderr(diagnosticLine(file, d) + '\n');
  if (compiled.ok && !after.length) return { ok: true, plan: compiled.plan };
  const errors = [...(compiled.ok ? [] : compiled.diagnostics), ...after];
  if (!compiled.ok) for (const d of compiled.diagnostics) if (!diagnostics.includes(d) && !diagnostics.some((x) => x.code === d.code && x.start === d.start)) io.stderr(diagnosticLine(file, d) + '\n');
  io.stderr(`mq: query ${i + 1} has errors and was not run.${after.length ? ' Text after its end is not part of it: remove a stray ";" or the text.' : ''}\n`);
  if (s.all && s.format === 'table') io.stdout('(not run: the query has errors)\n');
  return { ok: false, record: { query: i + 1, line, status: 'NOT_RUN', errors: errors.filter((d) => d.severity === 'error').map((d) => `[${d.code}] ${d.message}`) } };
}

/** Progress lines on stderr. */
function progressPrinter(s: RunSettings): RunOptions['onProgress'] {
  let lastStatus = '';
  const { io } = s;
  return (phase, info) => {
    if (info?.warning) io.stderr(`mq: warning: ${info.warning}${info.remedy === 'publicCallback' ? ' Use --callback-url (a public URL that forwards to --listen) or --relay.' : ''}\n`);
    if (info?.retry) io.stderr(`mq: ${info.retry.reason}; retrying in ${(info.retry.waitMs / 1000).toFixed(1)} s\n`);
    const side = info?.side ? ` for the ${info.side} period` : '';
    if (phase === 'submitted') io.stderr(`mq: submitted request ${info?.requestId}${side}; waiting for the result\n`);
    if (phase === 'waiting' && info?.status && info.status !== lastStatus && info.status !== 'IN_PROGRESS') io.stderr(`mq: status ${info.status}\n`);
    if (info?.status) lastStatus = info.status;
  };
}

/** Records the run as pending before it is submitted; a history that cannot be written only warns. */
async function recordPending(s: RunSettings, i: number, plan: QueryPlan): Promise<HistoryEntry | undefined> {
  if (!s.history) return undefined;
  const query = s.doc.queries[i]!;
  const timeoutMs = s.opts.timeoutMs ?? 300_000;
  const init: Parameters<NonNullable<RunSettings['history']>['create']>[0] = {
    title: `${s.file} query ${i + 1}`,
    queryText: s.text.slice(query.start, query.end).trim(),
    connection: withoutCredentials(s.connection),
    requestJson: stringifyJson(plan.comparison ? planRequests(plan) : plan.request),
    planJson: stringifyJson(plan),
    mode: callbackModeOf(!!s.opts.baseUrl, s.opts.callback),
    deadline: new Date(Date.now() + timeoutMs).toISOString(),
    ownerPid: process.pid,
    orderBy: plan.orderBy,
    ...(plan.limit !== undefined ? { limit: plan.limit } : {}),
    ...(s.opts.baseUrl ? { baseUrl: withoutCredentials(s.opts.baseUrl) } : {}),
    ...(s.opts.callback?.relay ? { relayUrl: withoutCredentials(s.opts.callback.relay.url) } : {}),
  };
  try {
    return await s.history.create(init);
  } catch (e) {
    s.io.stderr(`mq: warning: could not record the run in the history (${e instanceof Error ? e.message : String(e)}); it runs anyway.\n`);
    return undefined;
  }
}

/** Marks a run that ended without a result: still pending when a relay may yet deliver it. */
async function recordFailure(s: RunSettings, entry: HistoryEntry, e: unknown): Promise<void> {
  const message = redact(e instanceof Error ? e.message : String(e), s.secrets);
  const patch: Parameters<NonNullable<RunSettings['history']>['update']>[1] =
    e instanceof RunError && e.remedy === 'fetchLater'
      ? { message, ownerPid: 0 }
      : { status: e instanceof RunError && e.kind === 'cancelled' ? 'CANCELLED' : 'ERROR', message, ownerPid: 0 };
  if (e instanceof RunError && e.details.requestId) patch.requestId = e.details.requestId;
  await s.history!.update(entry.id, patch).catch(() => undefined);
}

/** Runs a compiled plan with its history record around it: both request ids and both results are kept. */
async function recordedRun(s: RunSettings, i: number, plan: QueryPlan): Promise<PlanOutcome> {
  const entry = await recordPending(s, i, plan);
  const opts: PlanRunOptions = { ...s.opts, onProgress: progressPrinter(s) };
  if (entry) {
    const history = s.history!;
    opts.onSubmitted = (requestId, _url, side) => history.update(entry.id, side === 'previous' ? { previousRequestId: requestId } : { requestId }).then(() => undefined, () => undefined);
    opts.keep = async (outcome) => {
      const message = outcome.failureMessage !== undefined ? redact(outcome.failureMessage, s.secrets) : undefined;
      await storeResult(history, entry.id, storedPlanResultOf(outcome), message).catch((e: unknown) => {
        s.io.stderr(`mq: warning: could not store the result in the history (${e instanceof Error ? e.message : String(e)}); it is printed but not kept.\n`);
      });
    };
  }
  try {
    return await runPlan(plan, opts);
  } catch (e) {
    if (entry) await recordFailure(s, entry, e);
    throw e;
  }
}

/** The stderr line after a result: rows kept (of how many), the period(s), where from, how long. */
function summaryLine(s: RunSettings, i: number, plan: QueryPlan, outcome: PlanOutcome): string {
  const response = outcome.response!;
  const p = response.requestedPeriod;
  const raw = outcome.current.response!.rows.length;
  const of = !plan.comparison && raw !== response.rows.length ? ` (of ${raw})` : '';
  const prev = response.previousPeriod ? `, compared with ${response.previousPeriod.sentSince} – ${response.previousPeriod.sentUntil} (${plan.comparison!.label})` : '';
  const rows = `${response.rows.length} row${response.rows.length === 1 ? '' : 's'}`;
  return `mq: ${s.all ? `query ${i + 1}: ` : ''}${rows}${of}, period ${p.sentSince} – ${p.sentUntil}${prev}, ${outcome.source === 'sample' ? 'sample data' : 'live'}, ${outcome.elapsedMs} ms\n`;
}

/** One query: diagnostics, compile, run, print. Returns its JSON record (for --all), whether it succeeded and the rows shown. */
export async function runOne(s: RunSettings, i: number): Promise<{ ok: boolean; record: QueryOutcome; rows: number }> {
  const { io, format } = s;
  const line = s.doc.queries[i]!.range.start.line + 1;
  const ids = (o: PlanOutcome) => ({ requestId: o.requestId, ...(o.previousRequestId ? { previousRequestId: o.previousRequestId } : {}) });
  const c = compileOne(s, i);
  if (!c.ok) return { ok: false, record: c.record, rows: 0 };
  const outcome = await recordedRun(s, i, c.plan);
  if (outcome.status !== 'SUCCESS' || !outcome.response) {
    const why = outcome.failureMessage ?? 'no reason given';
    io.stderr(outcome.previous ? `mq: ${why}\n` : `mq: request ${outcome.requestId} FAILED: ${why}\n`);
    if (s.all && format === 'table') io.stdout(`(request ${outcome.requestId} FAILED)\n`);
    const record: QueryOutcome = { query: i + 1, line, ...ids(outcome), status: 'FAILED', source: outcome.source, ...(outcome.failureMessage ? { failureMessage: outcome.failureMessage } : {}) };
    if (!s.all && format === 'json') io.stdout(formatJson(record));
    return { ok: false, record, rows: 0 };
  }
  const response = outcome.response;
  if (format === 'csv') io.stdout(formatCsv(response));
  else if (format === 'table') io.stdout(formatTable(response));
  io.stderr(summaryLine(s, i, c.plan, outcome));
  const record: QueryOutcome = { query: i + 1, line, ...ids(outcome), status: 'SUCCESS', source: outcome.source, response };
  if (!s.all && format === 'json') io.stdout(formatJson(record));
  return { ok: true, record, rows: response.rows.length };
}
