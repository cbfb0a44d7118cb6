// Running queries from VS Code: checks, progress with Cancel, history, results panel, errors.
import vscode = require('vscode');
import {
  stringifyJson, type Query, type MqDiagnostic, type QueryAggregateDataRequest, type RunOptions, type CallbackReceiver,
  type PlanOutcome, type PlanRunOptions, type QueryPlan, type AggregateDataResponse,
} from '../../server/src/api.js';
import { engine } from './lazyEngine.js';
import { buildRunOptions, connectionLabel, SAMPLE_DATA_LABEL, type ConnectionProfile } from './connections.js';
import type { Connections } from './connectionsUi.js';
import type { HistoryEntry, HistoryStore } from './history.js';
import { queryText, queryTitle } from './queryAtCursor.js';
import { redact } from './redact.js';
import { remedyAdvice } from './remedies.js';
import { buildResultView, type OrderSpec } from './resultView.js';
import { panelTitle, type ResultsPanels } from './resultsPanel.js';
import { activeConnection, numberSetting } from './settings.js';

export interface RunContext {
  connections: Connections;
  panels: ResultsPanels;
  history: HistoryStore;
  log: (line: string) => void;
  /** Asks for the pending runs to be recovered again later (a run left pending at a relay). */
  recoverLater?: () => void;
}

/** A query to run, with where it came from. */
export interface QuerySource {
  /** Full text of the document the query was parsed from (offsets refer to it). */
  text: string;
  query: Query;
  documentUri?: string;
  /** Syntax errors in the text right after the query (e.g. `ORDER BY` after a stray `;`): they block it. */
  after?: MqDiagnostic[];
}

export type RunResult = 'shown' | 'blocked' | 'failed' | 'cancelled';

/** Placeholder callback URL for Show Request / Copy cURL: the real one is chosen when the query runs. */
export const CALLBACK_PLACEHOLDER = 'https://callback.example.invalid/mq';

function describe(d: MqDiagnostic): string {
  return `line ${d.range.start.line + 1}: ${d.message}`;
}

/** Compiles a query to its plan; on errors, tells the user which diagnostics block it and returns undefined. */
export function compileOrExplain(src: QuerySource, action: string): QueryPlan | undefined {
  const openApiOnlyChannels = vscode.workspace.getConfiguration('mq').get<'off' | 'hint' | 'warning'>('diagnostics.openApiOnlyChannels', 'off');
  const result = engine().compilePlan(src.query, { now: new Date(), options: { openApiOnlyChannels } });
  const after = src.after ?? [];
  if (result.ok && !after.length) return result.plan;
  const errors = [...(result.ok ? [] : result.diagnostics.filter((d) => d.severity === 'error')), ...after];
  const all = result.ok ? after : [...result.diagnostics, ...after];
  const shown = (errors.length ? errors : all).slice(0, 3).map(describe);
  const more = (errors.length || all.length) - shown.length;
  const count = errors.length || all.length;
  const message =
    `mq: cannot ${action} query ${src.query.index + 1} (line ${src.query.range.start.line + 1}): ` +
    `${count} error${count === 1 ? '' : 's'} must be fixed first — ${shown.join('; ')}${more > 0 ? `; and ${more} more` : ''}` +
    `${after.length ? '. The text after the query is not part of it: remove a stray ";" or the text' : ''}.`;
  const problems = 'Show Problems';
  void vscode.window.showErrorMessage(message, problems).then((c) => {
    if (c === problems) void vscode.commands.executeCommand('workbench.actions.view.problems');
  });
  return undefined;
}

function callbackUrlFor(profile: ConnectionProfile | undefined): string {
  const cb = profile?.callback;
  if (cb?.publicBaseUrl && cb.publicBaseUrl !== 'auto') return cb.publicBaseUrl;
  if (cb?.relayUrl) return cb.relayUrl;
  return CALLBACK_PLACEHOLDER;
}

/** The request bodies a plan sends, current period first (two for COMPARE WITH). */
function bodiesOf(plan: QueryPlan, callbackUrl: string): QueryAggregateDataRequest[] {
  return engine().planRequests(plan).map((request) => ({ callbackUrl, request }));
}

/** mq.showRequest: the compiled body in an untitled JSON document (for COMPARE WITH an array of both, current first). */
export async function showRequest(src: QuerySource): Promise<void> {
  const { profile } = activeConnection();
  const plan = compileOrExplain(src, 'show the request of');
  if (!plan) return;
  const bodies = bodiesOf(plan, callbackUrlFor(profile));
  const doc = await vscode.workspace.openTextDocument({ language: 'json', content: stringifyJson(bodies.length > 1 ? bodies : bodies[0], 2) + '\n' });
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
}

/** mq.copyCurl: a cURL command for the active connection; the key stays in $INFOBIP_API_KEY. */
export async function copyCurl(src: QuerySource): Promise<void> {
  const { buildCurl } = await import('./curl.js');
  const { profile } = activeConnection();
  const plan = compileOrExplain(src, 'copy the request of');
  if (!plan) return;
  const baseUrl = profile?.baseUrl ?? 'https://YOUR-BASE-URL.api.infobip.com';
  const commands = bodiesOf(plan, callbackUrlFor(profile)).map((body) => buildCurl({ baseUrl, authScheme: profile?.authScheme ?? 'App', bodyJson: stringifyJson(body) }));
  const text = commands.length > 1
    ? `# COMPARE WITH ${plan.comparison!.label}: the current period\n${commands[0]}\n\n# the previous period\n${commands[1]}`
    : commands[0]!;
  await vscode.env.clipboard.writeText(text);
  void vscode.window.showInformationMessage(
    profile
      ? `mq: copied the cURL command for "${profile.name}". It reads the key from $INFOBIP_API_KEY; replace the callbackUrl with a URL that reaches you.`
      : 'mq: copied the cURL command. No connection is active: replace YOUR-BASE-URL and the callbackUrl, and export INFOBIP_API_KEY.',
  );
}

const PHASE_TEXT: Record<string, string> = {
  submitting: 'Submitting the request…',
  submitted: 'Submitted; waiting for the result…',
  waiting: 'Waiting for the result…',
  received: 'Result received',
  done: 'Result received',
};

/** Resolves publicBaseUrl "auto" to the URL VS Code forwards to the callback port (remote windows, Codespaces). */
async function externalBaseUrl(profile: ConnectionProfile | undefined): Promise<string | undefined> {
  const cb = profile?.callback;
  if (cb?.publicBaseUrl !== 'auto' || !cb.listenPort) return undefined;
  const ext = await vscode.env.asExternalUri(vscode.Uri.parse(`http://localhost:${cb.listenPort}`));
  return ext.toString(true).replace(/\/+$/, '');
}

/**
 * Long-lived callback receivers for profiles with a fixed listen port, shared by concurrent runs (each run
 * gets its own unguessable path on it). Runs on port 0 let the engine open a receiver per run.
 */
const receivers = new Map<string, Promise<CallbackReceiver>>();

async function sharedReceiver(cb: NonNullable<RunOptions['callback']>): Promise<CallbackReceiver | undefined> {
  if (cb.relay || !cb.listenPort) return undefined;
  const id = `${cb.listenHost ?? '127.0.0.1'}|${cb.listenPort}|${cb.publicBaseUrl ?? ''}`;
  let p = receivers.get(id);
  if (!p) {
    p = engine().CallbackReceiver.start({
      ...(cb.listenHost ? { host: cb.listenHost } : {}),
      port: cb.listenPort,
      ...(cb.publicBaseUrl ? { publicBaseUrl: cb.publicBaseUrl } : {}),
    });
    receivers.set(id, p);
    p.catch(() => receivers.delete(id));
  }
  return p;
}

/** Stops the shared callback receivers (on deactivation). */
export async function closeReceivers(): Promise<void> {
  const all = [...receivers.values()];
  receivers.clear();
  await Promise.all(all.map((p) => p.then((r) => r.close(), () => undefined)));
}

function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === 'localhost' || host === '[::1]' || host === '::1' || /^127\./.test(host);
  } catch {
    return false;
  }
}

/** The run options of the active connection (keys from SecretStorage); undefined after telling the user why not. */
async function prepareOptions(ctx: RunContext, profile: ConnectionProfile | undefined, secrets: string[]): Promise<RunOptions | undefined> {
  try {
    const apiKey = profile ? await ctx.connections.apiKey(profile) : undefined;
    const relayToken = profile ? await ctx.connections.relayToken(profile) : undefined;
    if (apiKey) secrets.push(apiKey);
    if (relayToken) secrets.push(relayToken);
    const input: Parameters<typeof buildRunOptions>[0] = { timeoutMs: numberSetting('run.timeoutSeconds', 300, 1) * 1000 };
    if (profile) input.profile = profile;
    if (apiKey) input.apiKey = apiKey;
    if (relayToken) input.relayToken = relayToken;
    const ext = await externalBaseUrl(profile);
    if (ext) input.externalBaseUrl = ext;
    const options = buildRunOptions(input) as RunOptions;
    if (options.callback) {
      const receiver = await sharedReceiver(options.callback);
      if (receiver) options.callback = { receiver };
    }
    return options;
  } catch (e) {
    const message = redact(e instanceof Error ? e.message : String(e), secrets);
    const set = 'Set API Key';
    void vscode.window.showErrorMessage(`mq: ${message}`, ...(/API Key/.test(message) ? [set] : [])).then((c) => {
      if (c === set) void vscode.commands.executeCommand('mq.setApiKey', profile?.name);
    });
    ctx.log(`run: not started: ${message}`);
    return undefined;
  }
}

/** Everything one run needs once it is compiled and its options are known. */
interface Prepared {
  src: QuerySource;
  profile: ConnectionProfile | undefined;
  options: RunOptions;
  secrets: string[];
  plan: QueryPlan;
  title: string;
  text: string;
}

/** Records the run as pending before it is submitted (a history that cannot be written is only logged). */
async function recordPending(ctx: RunContext, p: Prepared): Promise<HistoryEntry | undefined> {
  const profile = p.profile;
  const timeoutMs = p.options.timeoutMs ?? 300_000;
  const init: Parameters<HistoryStore['create']>[0] = {
    title: p.title,
    queryText: p.text,
    connection: connectionLabel(profile),
    requestJson: stringifyJson(p.plan.comparison ? engine().planRequests(p.plan) : p.plan.request, 2),
    planJson: stringifyJson(p.plan),
    mode: !profile ? 'sample' : profile.callback?.relayUrl ? 'relay' : profile.callback?.publicBaseUrl ? 'public' : 'local',
    deadline: new Date(Date.now() + timeoutMs).toISOString(),
    ownerPid: process.pid,
  };
  if (profile) init.baseUrl = profile.baseUrl;
  if (profile?.callback?.relayUrl) init.relayUrl = profile.callback.relayUrl;
  if (p.src.documentUri) init.documentUri = p.src.documentUri;
  if (p.plan.orderBy.length) init.orderBy = p.plan.orderBy;
  if (p.plan.limit !== undefined) init.limit = p.plan.limit;
  try {
    return await ctx.history.create(init);
  } catch (e) {
    ctx.log(`history: could not record the run: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
}

/** The results panel of a query in a document (one per query unless mq.results.reusePanel is on). */
function panelKey(src: QuerySource): string {
  return `${src.documentUri ?? 'untitled'}#${src.query.index}`;
}

/** Runs one query: compile, record as pending, submit, wait, store the result, then show it. */
export async function runQuery(ctx: RunContext, src: QuerySource): Promise<RunResult> {
  const { profile, problems } = activeConnection();
  if (problems.length) ctx.log(`settings: ${problems.join(' ')}`);
  // A query with errors is reported first, before any key is looked up or asked for.
  if (!compileOrExplain(src, 'run')) return 'blocked';
  const secrets: string[] = [];
  const options = await prepareOptions(ctx, profile, secrets);
  if (!options) return 'failed';
  // Compiled again now: looking up (or asking for) a key may have taken a while, and `now` must be now.
  const plan = compileOrExplain(src, 'run');
  if (!plan) return 'blocked';
  const p: Prepared = { src, profile, options, secrets, plan, title: queryTitle(src.query), text: queryText(src.text, src.query) };
  // The panel first: VS Code takes a few hundred milliseconds to build a webview, and that overlaps the rest.
  const key = panelKey(src);
  const title = panelTitle(p.title, !profile);
  const firstPhase = profile ? `Connecting to ${profile.name}…` : 'Running on sample data…';
  ctx.panels.running(key, title, firstPhase.replace(/…$/, ''));
  const entry = await recordPending(ctx, p);
  ctx.log(`run: query ${src.query.index + 1} "${p.title}" on ${profile ? `${profile.name} (${profile.baseUrl})` : SAMPLE_DATA_LABEL}`);
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `mq: ${p.title}`, cancellable: true },
    async (progress, token): Promise<RunResult> => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      const report = (m: string) => {
        progress.report({ message: m });
        ctx.panels.running(key, title, m.replace(/…$/, ''));
      };
      try {
        progress.report({ message: firstPhase }); // the panel already says it
        const opts = runOptions(ctx, p, entry, abort.signal, report);
        // Both periods' results are on disk before anything is shown (the API delivers each once).
        opts.keep = (outcome) => storeOutcome(ctx, p, entry, outcome);
        const outcome = await engine().runPlan(p.plan, opts);
        progress.report({ message: 'Rendering…' });
        return showOutcome(ctx, p, entry, outcome);
      } catch (e) {
        return runFailed(ctx, p, entry, e, abort.signal.aborted);
      } finally {
        sub.dispose();
      }
    },
  );
}

/** The engine options of one run: progress, warnings worded for VS Code, and the request id recorded. */
function runOptions(ctx: RunContext, p: Prepared, entry: HistoryEntry | undefined, signal: AbortSignal, report: (m: string) => void): PlanRunOptions {
  const { profile, secrets } = p;
  const opts: PlanRunOptions = {
    ...p.options,
    signal,
    onProgress: (phase, info) => {
      report(PHASE_TEXT[phase] ?? phase);
      // A loopback callback is right for a stand-in on this machine; warn only for remote APIs.
      if (info?.warning && !(profile && isLoopbackUrl(profile.baseUrl) && info.remedy === 'publicCallback')) {
        const advice = remedyAdvice(info.remedy, profile?.name);
        const text = redact(`${info.warning}${advice.text ? ` ${advice.text}` : ''}`, secrets);
        ctx.log(`run: warning: ${text}`);
        void vscode.window.showWarningMessage(`mq: ${text}`);
      }
      if (info?.retry) ctx.log(`run: retrying in ${info.retry.waitMs} ms: ${redact(info.retry.reason, secrets)}`);
      if (phase === 'submitted') ctx.log(`run: submitted${info?.requestId ? ` (request id ${redact(info.requestId, secrets)})` : ''}`);
    },
  };
  if (entry) {
    opts.onSubmitted = (requestId, _url, side) =>
      ctx.history.update(entry.id, side === 'previous' ? { previousRequestId: requestId } : { requestId }).then(
        () => undefined,
        (e: unknown) => ctx.log(`history: could not record the request id: ${String(e)}`),
      );
  }
  return opts;
}

/** Durable first: the API delivers the result once, so it is on disk before it is shown. */
async function storeOutcome(ctx: RunContext, p: Prepared, entry: HistoryEntry | undefined, outcome: PlanOutcome): Promise<void> {
  if (!entry) return;
  try {
    const message = outcome.failureMessage ? redact(outcome.failureMessage, p.secrets) : undefined;
    await engine().storeResult(ctx.history, entry.id, engine().storedPlanResultOf(outcome), message);
    void ctx.history.prune().catch((e: unknown) => ctx.log(`history: prune failed: ${String(e)}`));
  } catch (e) {
    ctx.log(`history: could not store the result of ${outcome.requestId}: ${e instanceof Error ? e.message : String(e)}`);
    void vscode.window.showWarningMessage('mq: the result could not be saved to the history; it is shown but will not be kept.');
  }
}

function showOutcome(ctx: RunContext, p: Prepared, entry: HistoryEntry | undefined, outcome: PlanOutcome): RunResult {
  const { src } = p;
  const current = outcome.current.response;
  if (outcome.status !== 'SUCCESS' || !current) {
    const why = redact(outcome.failureMessage ?? 'the API reported the request as failed without a reason.', p.secrets);
    ctx.log(`run: request ${outcome.requestId} FAILED: ${why}`);
    ctx.panels.failed(panelKey(src), `The API reported request ${outcome.requestId} as failed: ${why}`);
    void vscode.window.showErrorMessage(`mq: query ${src.query.index + 1} failed (request ${outcome.requestId}): ${why}`);
    return 'failed';
  }
  const input: Parameters<typeof buildResultView>[0] = {
    title: p.title,
    queryText: p.text,
    source: outcome.source,
    connection: connectionLabel(p.profile),
    requestId: outcome.requestId,
    requestedPeriod: { sentSince: p.plan.request.filterBy.sentSince, sentUntil: p.plan.request.filterBy.sentUntil },
    elapsedMs: outcome.elapsedMs,
    response: current,
    isRate: engine().isRateMetric,
    request: p.plan.request,
    plan: p.plan,
  };
  if (outcome.previous?.response) input.previousResponse = outcome.previous.response;
  if (outcome.previousRequestId) input.previousRequestId = outcome.previousRequestId;
  if (entry) input.historyId = entry.id;
  const view = buildResultView(input);
  ctx.panels.show(panelKey(src), view);
  const compared = outcome.previousRequestId ? ` (compared with request ${outcome.previousRequestId})` : '';
  ctx.log(`run: request ${outcome.requestId}${compared} ${outcome.source === 'sample' ? '(sample data) ' : ''}returned ${view.response.rows.length} rows in ${outcome.elapsedMs} ms`);
  return 'shown';
}

/** Marks the run with what happened and tells the user, with the remedy worded for VS Code. */
async function runFailed(ctx: RunContext, p: Prepared, entry: HistoryEntry | undefined, e: unknown, cancelled: boolean): Promise<RunResult> {
  const message = redact(e instanceof Error ? e.message : String(e), p.secrets);
  const typed = e instanceof engine().RunError ? e : undefined;
  if (entry) {
    // A result that may still reach the relay keeps the run pending (recovered on the next start).
    const patch: Parameters<HistoryStore['update']>[1] =
      !cancelled && typed?.remedy === 'fetchLater' ? { message, ownerPid: 0 } : { status: cancelled ? 'CANCELLED' : 'ERROR', message };
    if (typed?.details.requestId) patch.requestId = typed.details.requestId;
    await ctx.history.update(entry.id, patch).catch((err: unknown) => ctx.log(`history: ${String(err)}`));
    if (patch.status === undefined) ctx.recoverLater?.();
  }
  if (cancelled) {
    ctx.log(`run: cancelled`);
    ctx.panels.failed(panelKey(p.src), 'The run was cancelled. Run the query again to see its result.');
    void vscode.window.showInformationMessage(`mq: run of query ${p.src.query.index + 1} cancelled.`);
    return 'cancelled';
  }
  ctx.log(`run: error${typed ? ` [${typed.kind}]` : ''}: ${message}`);
  const advice = remedyAdvice(typed?.remedy, p.profile?.name);
  ctx.panels.failed(panelKey(p.src), `${message}${advice.text ? ` ${advice.text}` : ''}`);
  const action = advice.action;
  void vscode.window.showErrorMessage(`mq: ${message}${advice.text ? ` ${advice.text}` : ''}`, ...(action ? [action.label] : [])).then((c) => {
    if (action && c === action.label) void vscode.commands.executeCommand(action.command, ...(action.args ?? []));
  });
  return 'failed';
}

/** What a history entry's result file holds (the current period's result; COMPARE WITH: the previous one too). */
interface StoredView {
  requestId?: string;
  source?: 'live' | 'sample';
  response?: AggregateDataResponse;
  timings?: { elapsedMs?: number };
  previous?: { requestId?: string; response?: AggregateDataResponse };
}

/** The plan and the requested period an entry was recorded with (old or damaged entries have neither). */
function recordedPlan(entry: HistoryEntry): { plan?: QueryPlan; requestedPeriod?: { sentSince: string; sentUntil: string }; req?: { aggregateBy?: unknown; metrics?: unknown } } {
  const out: ReturnType<typeof recordedPlan> = {};
  try {
    if (entry.planJson) out.plan = engine().notebook.parseJsonLossless(entry.planJson) as QueryPlan;
    const parsed = JSON.parse(entry.requestJson) as unknown;
    const req = (Array.isArray(parsed) ? parsed[0] : parsed) as { filterBy?: { sentSince?: string; sentUntil?: string }; aggregateBy?: unknown; metrics?: unknown } | undefined;
    if (req) out.req = req;
    if (req?.filterBy?.sentSince && req.filterBy.sentUntil) out.requestedPeriod = { sentSince: req.filterBy.sentSince, sentUntil: req.filterBy.sentUntil };
  } catch {
    /* an old or damaged entry: show without the plan or the requested period */
  }
  return out;
}

/** Reopens a stored result without running anything (joined again for COMPARE WITH, with HAVING and ORDER BY). */
export async function reopenFromHistory(ctx: RunContext, entry: HistoryEntry): Promise<boolean> {
  const stored = (await ctx.history.readResult(entry.id)) as StoredView | undefined;
  if (!stored?.response) return false;
  const { plan, requestedPeriod, req } = recordedPlan(entry);
  if (plan?.comparison && !stored.previous?.response) return false;
  const input: Parameters<typeof buildResultView>[0] = {
    title: entry.title,
    queryText: entry.queryText,
    source: stored.source ?? entry.source ?? 'live',
    connection: entry.connection,
    requestId: stored.requestId ?? entry.requestId ?? '',
    historyId: entry.id,
    response: stored.response,
    isRate: engine().isRateMetric,
  };
  if (requestedPeriod) input.requestedPeriod = requestedPeriod;
  if (req) input.request = req;
  if (plan) input.plan = plan;
  if (stored.previous?.response) input.previousResponse = stored.previous.response;
  const previousId = stored.previous?.requestId ?? entry.previousRequestId;
  if (previousId) input.previousRequestId = previousId;
  const elapsed = stored.timings?.elapsedMs ?? entry.timings?.elapsedMs;
  if (elapsed !== undefined) input.elapsedMs = elapsed;
  if (entry.orderBy) input.orderBy = entry.orderBy as OrderSpec[];
  if (entry.limit !== undefined) input.limit = entry.limit;
  ctx.panels.show(`history:${entry.id}`, buildResultView(input));
  return true;
}
