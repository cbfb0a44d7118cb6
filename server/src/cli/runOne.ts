// One query of `mq run`: diagnostics, compile, record as pending, run, store the result, then print it.
import type { AggregateDataRequest } from '../core/compile/wire.js';
import { runRequest, RunError, type RunOptions, type RunOutcome } from '../run/engine.js';
import { applyOrderAndLimit, formatCsv, formatJson, formatTable, type OrderSpec, type QueryOutcome } from '../run/results.js';
import type { HistoryEntry } from '../run/history.js';
import { callbackModeOf, storedResultOf, storeResult, withoutCredentials } from '../run/recover.js';
import { redact } from '../run/redact.js';
import { diagnosticLine } from './format.js';
import type { RunSettings } from './runQuery.js';

type Compiled = { ok: true; request: AggregateDataRequest; orderBy: OrderSpec[]; limit?: number } | { ok: false; record: QueryOutcome };

/** Prints a query's diagnostics and compiles it; a query with errors is not run. */
function compileOne(s: RunSettings, i: number): Compiled {
  const { io, doc, file, now } = s;
  const query = doc.queries[i]!;
  const line = query.range.start.line + 1;
  if (s.all && s.format === 'table') io.stdout(`${i > 0 ? '\n' : ''}-- query ${i + 1} (line ${line})\n`);
  const diagnostics = s.mq.analyseQuery(query, { now }).diagnostics;
  for (const d of diagnostics) io.stderr(diagnosticLine(file, d) + '\n');
  const compiled = s.mq.compileRequest(query, { now });
  const after = s.mq.errorsAfterQuery(doc, i);
  for (const d of after) io.stderr(diagnosticLine(file, d) + '\n');
  if (compiled.ok && !after.length) {
    const orderBy = (query.orderBy?.items ?? []).map((it) => ({ column: it.column.upper, direction: it.direction }));
    const limitText = query.limit?.value?.text;
    return { ok: true, request: compiled.request, orderBy, ...(limitText !== undefined ? { limit: Number(limitText) } : {}) };
  }
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
    if (phase === 'submitted') io.stderr(`mq: submitted request ${info?.requestId}; waiting for the result\n`);
    if (phase === 'waiting' && info?.status && info.status !== lastStatus && info.status !== 'IN_PROGRESS') io.stderr(`mq: status ${info.status}\n`);
    if (info?.status) lastStatus = info.status;
  };
}

/** Records the run as pending before it is submitted; a history that cannot be written only warns. */
async function recordPending(s: RunSettings, i: number, request: AggregateDataRequest, c: Extract<Compiled, { ok: true }>): Promise<HistoryEntry | undefined> {
  if (!s.history) return undefined;
  const query = s.doc.queries[i]!;
  const timeoutMs = s.opts.timeoutMs ?? 300_000;
  const init: Parameters<NonNullable<RunSettings['history']>['create']>[0] = {
    title: `${s.file} query ${i + 1}`,
    queryText: s.text.slice(query.start, query.end).trim(),
    connection: withoutCredentials(s.connection),
    requestJson: JSON.stringify(request),
    mode: callbackModeOf(!!s.opts.baseUrl, s.opts.callback),
    deadline: new Date(Date.now() + timeoutMs).toISOString(),
    ownerPid: process.pid,
    orderBy: c.orderBy,
    ...(c.limit !== undefined ? { limit: c.limit } : {}),
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

/** Runs a compiled request with its history record around it. */
async function recordedRun(s: RunSettings, i: number, c: Extract<Compiled, { ok: true }>): Promise<RunOutcome> {
  const entry = await recordPending(s, i, c.request, c);
  const opts: RunOptions = { ...s.opts, onProgress: progressPrinter(s) };
  if (entry) opts.onSubmitted = (requestId) => s.history!.update(entry.id, { requestId }).then(() => undefined, () => undefined);
  let outcome: RunOutcome;
  try {
    outcome = await runRequest(c.request, opts);
  } catch (e) {
    if (entry) await recordFailure(s, entry, e);
    throw e;
  }
  if (entry) {
    const message = outcome.failureMessage !== undefined ? redact(outcome.failureMessage, s.secrets) : undefined;
    await storeResult(s.history!, entry.id, storedResultOf(outcome), message).catch((e: unknown) => {
      s.io.stderr(`mq: warning: could not store the result in the history (${e instanceof Error ? e.message : String(e)}); it is printed but not kept.\n`);
    });
  }
  return outcome;
}

/** One query: diagnostics, compile, run, print. Returns its JSON record (for --all) and whether it succeeded. */
export async function runOne(s: RunSettings, i: number): Promise<{ ok: boolean; record: QueryOutcome }> {
  const { io, format } = s;
  const line = s.doc.queries[i]!.range.start.line + 1;
  const base = { query: i + 1, line };
  const c = compileOne(s, i);
  if (!c.ok) return { ok: false, record: c.record };
  const outcome = await recordedRun(s, i, c);
  if (outcome.status !== 'SUCCESS' || !outcome.response) {
    io.stderr(`mq: request ${outcome.requestId} FAILED: ${outcome.failureMessage ?? 'no reason given'}\n`);
    if (s.all && format === 'table') io.stdout(`(request ${outcome.requestId} FAILED)\n`);
    const record: QueryOutcome = { ...base, requestId: outcome.requestId, status: 'FAILED', source: outcome.source, ...(outcome.failureMessage ? { failureMessage: outcome.failureMessage } : {}) };
    if (!s.all && format === 'json') io.stdout(formatJson(record));
    return { ok: false, record };
  }
  const response = applyOrderAndLimit(outcome.response, c.orderBy, c.limit);
  if (format === 'csv') io.stdout(formatCsv(response));
  else if (format === 'table') io.stdout(formatTable(response));
  const p = response.requestedPeriod;
  const of = outcome.response.rows.length !== response.rows.length ? ` (of ${outcome.response.rows.length})` : '';
  io.stderr(`mq: ${s.all ? `query ${i + 1}: ` : ''}${response.rows.length} row${response.rows.length === 1 ? '' : 's'}${of}, period ${p.sentSince} – ${p.sentUntil}, ${outcome.source === 'sample' ? 'sample data' : 'live'}, ${outcome.timings.elapsedMs} ms\n`);
  const record: QueryOutcome = { ...base, requestId: outcome.requestId, status: outcome.status, source: outcome.source, response };
  if (!s.all && format === 'json') io.stdout(formatJson(record));
  return { ok: true, record };
}
