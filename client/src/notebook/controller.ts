// The notebook controller ("mq" kernel) for mq cells in .mqnb notebooks and in Jupyter notebooks (.ipynb,
// cells whose language is mq). A cell runs like the Run command: on the active connection, or on sample
// data when there is none; every result is written to the history before it is shown; each query of the
// cell is one output; a query with errors is not sent and its output names the diagnostics.
import vscode = require('vscode');
import type { PlanOutcome, PlanRunOptions, QueryPlan, RunOptions } from '../../../server/src/api.js';
import { engine } from '../lazyEngine.js';
import { buildRunOptions, connectionLabel, SAMPLE_DATA_LABEL } from '../connections.js';
import type { Connections } from '../connectionsUi.js';
import type { HistoryStore } from '../history.js';
import { redact } from '../redact.js';
import { activeConnection, numberSetting } from '../settings.js';
import { NOTEBOOK_TYPE, toCellOutput } from './outputs.js';

export interface NotebookRunContext {
  connections: Connections;
  history: HistoryStore;
  log: (line: string) => void;
}

interface Prepared {
  options: RunOptions;
  secrets: string[];
  connection: string;
}

/** Run options for the active connection, as the Run command builds them (keys from the secret storage). */
async function prepare(ctx: NotebookRunContext): Promise<Prepared> {
  const { profile, problems } = activeConnection();
  if (problems.length) ctx.log(`settings: ${problems.join(' ')}`);
  const apiKey = profile ? await ctx.connections.apiKey(profile) : undefined;
  const relayToken = profile ? await ctx.connections.relayToken(profile) : undefined;
  const input: Parameters<typeof buildRunOptions>[0] = { timeoutMs: numberSetting('run.timeoutSeconds', 300, 1) * 1000 };
  if (profile) input.profile = profile;
  if (apiKey) input.apiKey = apiKey;
  if (relayToken) input.relayToken = relayToken;
  if (profile?.callback?.publicBaseUrl === 'auto' && profile.callback.listenPort) {
    const ext = await vscode.env.asExternalUri(vscode.Uri.parse(`http://localhost:${profile.callback.listenPort}`));
    input.externalBaseUrl = ext.toString(true).replace(/\/+$/, '');
  }
  const secrets = [apiKey, relayToken].filter((s): s is string => !!s);
  return { options: buildRunOptions(input) as RunOptions, secrets, connection: connectionLabel(profile) };
}

/**
 * Runs a cell's query plan the way the Run command does: recorded as pending before it is submitted, both
 * request ids (COMPARE WITH) recorded as the API returns them, the results on disk before they are shown.
 */
function historyRun(ctx: NotebookRunContext, prepared: Prepared, documentUri: string) {
  return async (plan: QueryPlan, options: PlanRunOptions, q: { title: string; queryText: string }): Promise<PlanOutcome> => {
    const e = engine();
    const timeoutMs = options.timeoutMs ?? 300_000;
    const entry = await ctx.history
      .create({
        title: q.title,
        queryText: q.queryText,
        connection: prepared.connection,
        requestJson: e.notebook.stringifyJson(plan.comparison ? e.planRequests(plan) : plan.request, 2),
        planJson: e.notebook.stringifyJson(plan),
        documentUri,
        mode: !options.baseUrl ? 'sample' : options.callback?.relay ? 'relay' : options.callback?.publicBaseUrl ? 'public' : 'local',
        deadline: new Date(Date.now() + timeoutMs).toISOString(),
        ownerPid: process.pid,
      })
      .catch((err: unknown) => void ctx.log(`history: could not record the run: ${String(err)}`));
    const opts: PlanRunOptions = { ...options };
    if (entry) {
      opts.onSubmitted = (requestId, _url, side) =>
        ctx.history.update(entry.id, side === 'previous' ? { previousRequestId: requestId } : { requestId }).then(() => undefined, (err: unknown) => ctx.log(`history: ${String(err)}`));
      opts.keep = async (outcome) => {
        const message = outcome.failureMessage ? redact(outcome.failureMessage, prepared.secrets) : undefined;
        await e.storeResult(ctx.history, entry.id, e.storedPlanResultOf(outcome), message).catch((err: unknown) => ctx.log(`history: could not store ${outcome.requestId}: ${String(err)}`));
      };
    }
    try {
      return await e.runPlan(plan, opts);
    } catch (err) {
      if (entry) {
        const cancelled = options.signal?.aborted === true;
        const message = redact(err instanceof Error ? err.message : String(err), prepared.secrets);
        // A result that may still reach the relay keeps the run pending (recovered like the Run command's).
        const later = !cancelled && err instanceof e.RunError && err.remedy === 'fetchLater';
        await ctx.history.update(entry.id, later ? { message, ownerPid: 0 } : { status: cancelled ? 'CANCELLED' : 'ERROR', message, ownerPid: 0 }).catch(() => undefined);
      }
      throw err;
    }
  };
}

export class MqNotebookController implements vscode.Disposable {
  private readonly controllers: vscode.NotebookController[] = [];
  private readonly order = new Map<string, number>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly ctx: NotebookRunContext) {
    for (const [id, type] of [['mq-notebook-kernel', NOTEBOOK_TYPE], ['mq-jupyter-kernel', 'jupyter-notebook']] as const) {
      const c = vscode.notebooks.createNotebookController(id, type, 'mq');
      c.supportedLanguages = ['mq'];
      c.supportsExecutionOrder = true;
      c.description = 'Runs mq queries (sample data when no connection is active)';
      c.executeHandler = (cells, notebook, controller) => this.execute(cells, notebook, controller);
      this.controllers.push(c);
    }
    // In a Jupyter notebook that holds mq cells, offer mq's kernel first.
    const prefer = (doc: vscode.NotebookDocument): void => {
      if (doc.notebookType === 'jupyter-notebook' && doc.getCells().some((c) => c.document.languageId === 'mq')) {
        this.controllers[1]!.updateNotebookAffinity(doc, vscode.NotebookControllerAffinity.Preferred);
      }
    };
    vscode.workspace.notebookDocuments.forEach(prefer);
    this.disposables.push(vscode.workspace.onDidOpenNotebookDocument(prefer));
  }

  dispose(): void {
    for (const c of this.controllers) c.dispose();
    for (const d of this.disposables) d.dispose();
  }

  private nextOrder(notebook: vscode.NotebookDocument): number {
    const key = notebook.uri.toString();
    const seen = Math.max(0, ...notebook.getCells().map((c) => c.executionSummary?.executionOrder ?? 0));
    const next = Math.max(this.order.get(key) ?? 0, seen) + 1;
    this.order.set(key, next);
    return next;
  }

  private async execute(cells: vscode.NotebookCell[], notebook: vscode.NotebookDocument, controller: vscode.NotebookController): Promise<void> {
    let prepared: Prepared;
    try {
      prepared = await prepare(this.ctx);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.ctx.log(`notebook: not started: ${message}`);
      const set = 'Set API Key';
      void vscode.window.showErrorMessage(`mq: ${message}`, ...(/API Key/.test(message) ? [set] : [])).then((c) => {
        if (c === set) void vscode.commands.executeCommand('mq.setApiKey');
      });
      return;
    }
    this.ctx.log(`notebook: running ${cells.length} cell${cells.length === 1 ? '' : 's'} on ${prepared.connection === SAMPLE_DATA_LABEL ? 'sample data' : prepared.connection}`);
    for (const cell of cells) {
      if (cell.kind !== vscode.NotebookCellKind.Code || cell.document.languageId !== 'mq') continue;
      const stop = await this.executeCell(cell, notebook, controller, prepared);
      if (stop) break;
    }
  }

  /** Runs one cell; returns true when the cells after it should not run (cancelled, or a run-wide error). */
  private async executeCell(cell: vscode.NotebookCell, notebook: vscode.NotebookDocument, controller: vscode.NotebookController, prepared: Prepared): Promise<boolean> {
    const execution = controller.createNotebookCellExecution(cell);
    execution.executionOrder = this.nextOrder(notebook);
    execution.start(Date.now());
    await execution.clearOutput();
    const abort = new AbortController();
    const sub = execution.token.onCancellationRequested(() => abort.abort());
    try {
      const pending: Thenable<void>[] = [];
      const r = await engine().notebook.runCellSource(cell.document.getText(), {
        runOptions: prepared.options,
        connection: prepared.connection,
        secrets: prepared.secrets,
        signal: abort.signal,
        analysis: { openApiOnlyChannels: vscode.workspace.getConfiguration('mq').get<'off' | 'hint' | 'warning'>('diagnostics.openApiOnlyChannels', 'off') },
        run: historyRun(this.ctx, prepared, notebook.uri.toString()),
        onOutput: (o) => void pending.push(execution.appendOutput(toCellOutput(o))),
      });
      await Promise.all(pending);
      execution.end(r.success, Date.now());
      if (r.stop && r.stop !== 'cancelled') this.ctx.log(`notebook: stopped: ${redact(r.stop, prepared.secrets)}`);
      return r.stop !== undefined;
    } catch (e) {
      const message = redact(e instanceof Error ? e.message : String(e), prepared.secrets);
      this.ctx.log(`notebook: error: ${message}`);
      await execution.replaceOutput(toCellOutput({ kind: 'error', reason: 'run', message }));
      execution.end(false, Date.now());
      return true;
    } finally {
      sub.dispose();
    }
  }
}
