// Running queries from VS Code: checks, progress with Cancel, history, results panel, errors.
import * as vscode from 'vscode';
import type { Query } from '../../server/src/api.js';
import type { MqDiagnostic } from '../../server/src/api.js';
import { stringifyJson, type QueryAggregateDataRequest } from '../../server/src/api.js';
import type { RunOptions } from '../../server/src/api.js';
import type { CallbackReceiver } from '../../server/src/api.js';
import { engine } from './lazyEngine.js';
import { buildRunOptions, connectionLabel, SAMPLE_DATA_LABEL, type ConnectionProfile } from './connections.js';
import type { Connections } from './connectionsUi.js';
import type { HistoryEntry, HistoryStore } from './history.js';
import { queryText, queryTitle } from './queryAtCursor.js';
import { redact } from './redact.js';
import { buildResultView, orderAndLimitOf, type OrderSpec } from './resultView.js';
import type { ResultsPanels } from './resultsPanel.js';
import { activeConnection, numberSetting } from './settings.js';

export interface RunContext {
  connections: Connections;
  panels: ResultsPanels;
  history: HistoryStore;
  log: (line: string) => void;
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

/** Compiles a query; on errors, tells the user which diagnostics block it and returns undefined. */
export function compileOrExplain(src: QuerySource, action: string, callbackUrl: string): QueryAggregateDataRequest | undefined {
  const openApiOnlyChannels = vscode.workspace.getConfiguration('mq').get<'off' | 'hint' | 'warning'>('diagnostics.openApiOnlyChannels', 'off');
  const result = engine().compileQuery(src.query, { now: new Date(), callbackUrl, options: { openApiOnlyChannels } });
  const after = src.after ?? [];
  if (result.ok && !after.length) return result.body;
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

/** mq.showRequest: the compiled body in an untitled JSON document. */
export async function showRequest(src: QuerySource): Promise<void> {
  const { profile } = activeConnection();
  const body = compileOrExplain(src, 'show the request of', callbackUrlFor(profile));
  if (!body) return;
  const doc = await vscode.workspace.openTextDocument({ language: 'json', content: stringifyJson(body, 2) + '\n' });
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
}

/** mq.copyCurl: a cURL command for the active connection; the key stays in $INFOBIP_API_KEY. */
export async function copyCurl(src: QuerySource): Promise<void> {
  const { buildCurl } = await import('./curl.js');
  const { profile } = activeConnection();
  const body = compileOrExplain(src, 'copy the request of', callbackUrlFor(profile));
  if (!body) return;
  const baseUrl = profile?.baseUrl ?? 'https://YOUR-BASE-URL.api.infobip.com';
  await vscode.env.clipboard.writeText(buildCurl({ baseUrl, authScheme: profile?.authScheme ?? 'App', bodyJson: stringifyJson(body) }));
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

/** Runs one query: compile, submit, wait, store in history, then show. */
export async function runQuery(ctx: RunContext, src: QuerySource): Promise<RunResult> {
  const { profile, problems } = activeConnection();
  if (problems.length) ctx.log(`settings: ${problems.join(' ')}`);
  const text = queryText(src.text, src.query);
  const title = queryTitle(src.query);
  const { orderBy, limit } = orderAndLimitOf(src.query);
  const queryKey = `${src.documentUri ?? 'untitled'}#${src.query.index}`;
  // A query with errors is reported first, before any key is looked up or asked for.
  if (!compileOrExplain(src, 'run', CALLBACK_PLACEHOLDER)) return 'blocked';

  const secrets: string[] = [];
  let options: RunOptions;
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
    options = buildRunOptions(input) as RunOptions;
    if (options.callback) {
      const receiver = await sharedReceiver(options.callback);
      if (receiver) options.callback = { receiver };
    }
  } catch (e) {
    const message = redact(e instanceof Error ? e.message : String(e), secrets);
    const set = 'Set API Key';
    void vscode.window.showErrorMessage(`mq: ${message}`, ...(/API Key/.test(message) ? [set] : [])).then((c) => {
      if (c === set) void vscode.commands.executeCommand('mq.setApiKey', profile?.name);
    });
    ctx.log(`run: not started: ${message}`);
    return 'failed';
  }

  // Compiled again now: looking up (or asking for) a key may have taken a while, and `now` must be now.
  const body = compileOrExplain(src, 'run', CALLBACK_PLACEHOLDER);
  if (!body) return 'blocked';
  const request = body.request;
  const connection = connectionLabel(profile);
  const requestedPeriod = { sentSince: request.filterBy.sentSince, sentUntil: request.filterBy.sentUntil };

  let entry: HistoryEntry | undefined;
  try {
    const init: Parameters<HistoryStore['create']>[0] = { title, queryText: text, connection, requestJson: stringifyJson(request, 2) };
    if (src.documentUri) init.documentUri = src.documentUri;
    if (orderBy) init.orderBy = orderBy;
    if (limit !== undefined) init.limit = limit;
    entry = await ctx.history.create(init);
  } catch (e) {
    ctx.log(`history: could not record the run: ${e instanceof Error ? e.message : String(e)}`);
  }

  ctx.log(`run: query ${src.query.index + 1} "${title}" on ${profile ? `${profile.name} (${profile.baseUrl})` : SAMPLE_DATA_LABEL}`);
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `mq: ${title}`, cancellable: true },
    async (progress, token): Promise<RunResult> => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      try {
        progress.report({ message: profile ? `Connecting to ${profile.name}…` : 'Running on sample data…' });
        const outcome = await engine().runRequest(request, {
          ...options,
          signal: abort.signal,
          onProgress: (phase, info) => {
            progress.report({ message: PHASE_TEXT[phase] ?? phase });
            // A loopback callback is right for a stand-in on this machine; warn only for remote APIs.
            if (info?.warning && !(profile && isLoopbackUrl(profile.baseUrl))) {
              ctx.log(`run: warning: ${redact(info.warning, secrets)}`);
              void vscode.window.showWarningMessage(
                `mq: ${redact(info.warning, secrets).replace(/--callback-url \(([^)]*)\)/, 'callback.publicBaseUrl ($1)').replace(/--listen/g, 'callback.listenPort').replace(/--relay/g, 'callback.relayUrl')} See the "callback" settings of mq.connections.`,
              );
            }
            if (info?.retry) ctx.log(`run: retrying in ${info.retry.waitMs} ms: ${redact(info.retry.reason, secrets)}`);
            if (phase === 'submitted') ctx.log(`run: submitted${info?.requestId ? ` (request id ${info.requestId})` : ''}`);
          },
        });
        const source = outcome.source;
        const timings: NonNullable<HistoryEntry['timings']> = {
          submittedAt: outcome.timings.submittedAt,
          receivedAt: outcome.timings.receivedAt,
          elapsedMs: outcome.timings.elapsedMs,
        };
        const stored = {
          requestId: outcome.requestId,
          status: outcome.status,
          source,
          response: outcome.response,
          failureMessage: outcome.failureMessage,
          timings,
        };
        // Durable first: the API delivers the result once.
        if (entry) {
          try {
            const patch: Parameters<HistoryStore['update']>[1] = { status: outcome.status, requestId: outcome.requestId, source, timings };
            if (outcome.failureMessage) patch.message = redact(outcome.failureMessage, secrets);
            entry = await ctx.history.saveResult(entry.id, stored, patch);
            void ctx.history.prune().catch((e: unknown) => ctx.log(`history: prune failed: ${String(e)}`));
          } catch (e) {
            ctx.log(`history: could not store the result of ${outcome.requestId}: ${e instanceof Error ? e.message : String(e)}`);
            void vscode.window.showWarningMessage('mq: the result could not be saved to the history; it is shown but will not be kept.');
          }
        }
        if (outcome.status !== 'SUCCESS' || !outcome.response) {
          const why = redact(outcome.failureMessage ?? 'the API reported the request as failed without a reason.', secrets);
          ctx.log(`run: request ${outcome.requestId} FAILED: ${why}`);
          void vscode.window.showErrorMessage(`mq: query ${src.query.index + 1} failed (request ${outcome.requestId}): ${why}`);
          return 'failed';
        }
        progress.report({ message: 'Rendering…' });
        const input: Parameters<typeof buildResultView>[0] = {
          title,
          queryText: text,
          source,
          connection,
          requestId: outcome.requestId,
          requestedPeriod,
          elapsedMs: outcome.timings.elapsedMs,
          response: outcome.response,
          isRate: engine().isRateMetric,
        };
        if (orderBy) input.orderBy = orderBy;
        if (limit !== undefined) input.limit = limit;
        if (entry) input.historyId = entry.id;
        input.request = request;
        ctx.panels.show(queryKey, buildResultView(input));
        ctx.log(`run: request ${outcome.requestId} ${source === 'sample' ? '(sample data) ' : ''}returned ${outcome.response.rows.length} rows in ${outcome.timings.elapsedMs} ms`);
        return 'shown';
      } catch (e) {
        const cancelled = abort.signal.aborted;
        const raw = e instanceof Error ? e.message : String(e);
        const message = redact(raw, secrets);
        if (entry) {
          await ctx.history
            .update(entry.id, { status: cancelled ? 'CANCELLED' : 'ERROR', message })
            .catch((err: unknown) => ctx.log(`history: ${String(err)}`));
        }
        if (cancelled) {
          ctx.log(`run: cancelled`);
          void vscode.window.showInformationMessage(`mq: run of query ${src.query.index + 1} cancelled.`);
          return 'cancelled';
        }
        const kind = e instanceof engine().RunError ? ` [${String(e.kind)}]` : '';
        ctx.log(`run: error${kind}: ${message}`);
        void vscode.window.showErrorMessage(`mq: ${message}`);
        return 'failed';
      } finally {
        sub.dispose();
      }
    },
  );
}

/** Reopens a stored result without running anything. */
export async function reopenFromHistory(ctx: RunContext, entry: HistoryEntry): Promise<boolean> {
  const stored = (await ctx.history.readResult(entry.id)) as
    | { requestId?: string; source?: 'live' | 'sample'; response?: import('../../server/src/api.js').AggregateDataResponse; timings?: { elapsedMs?: number } }
    | undefined;
  if (!stored?.response) return false;
  let requestedPeriod: { sentSince: string; sentUntil: string } | undefined;
  let req: { filterBy?: { sentSince?: string; sentUntil?: string }; aggregateBy?: unknown; metrics?: unknown } | undefined;
  try {
    req = JSON.parse(entry.requestJson) as typeof req;
    if (req?.filterBy?.sentSince && req.filterBy.sentUntil) requestedPeriod = { sentSince: req.filterBy.sentSince, sentUntil: req.filterBy.sentUntil };
  } catch {
    /* an old or damaged entry: show without the requested period */
  }
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
  const elapsed = stored.timings?.elapsedMs ?? entry.timings?.elapsedMs;
  if (elapsed !== undefined) input.elapsedMs = elapsed;
  if (entry.orderBy) input.orderBy = entry.orderBy as OrderSpec[];
  if (entry.limit !== undefined) input.limit = entry.limit;
  ctx.panels.show(`history:${entry.id}`, buildResultView(input));
  return true;
}
