// Entry point of the mq VS Code extension (bundled to dist/client.js).
import vscode = require('vscode');
import type { LanguageClient } from 'vscode-languageclient/node';
import { engine } from './lazyEngine.js';
import { QueryCodeLenses } from './codeLens.js';
import { Connections } from './connectionsUi.js';
import { HistoryStore } from './history.js';
import { showHistory } from './historyUi.js';
import { languageClientModule } from './lazyLanguageClient.js';
import { queryAtOffset } from './queryAtCursor.js';
import { redact } from './redact.js';
import { ResultsPanels } from './resultsPanel.js';
import { ResultStore } from './resultStore.js';
import { closeReceivers, copyCurl, runQuery, showRequest, type QuerySource, type RunContext } from './run.js';
import { openSampleWorkspace } from './sampleWorkspace.js';
import { startRecovery } from './recovery.js';
import { numberSetting } from './settings.js';
import { registerNotebooks } from './notebook/index.js';

let client: LanguageClient | undefined;

function historyLimits() {
  return {
    maxEntries: Math.floor(numberSetting('history.maxEntries', 200, 1)),
    maxBytes: Math.floor(numberSetting('history.maxMegabytes', 100, 1) * 1024 * 1024),
  };
}

/** Finds the document a command is about: a URI argument (CodeLens) or the active mq editor. */
async function targetDocument(uriArg: unknown): Promise<vscode.TextDocument | undefined> {
  if (typeof uriArg === 'string' || uriArg instanceof vscode.Uri) {
    const uri = typeof uriArg === 'string' ? vscode.Uri.parse(uriArg, true) : uriArg;
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    return open ?? (await vscode.workspace.openTextDocument(uri));
  }
  const editor = vscode.window.activeTextEditor;
  if (editor && editor.document.languageId === 'mq') return editor.document;
  const visible = vscode.window.visibleTextEditors.find((e) => e.document.languageId === 'mq');
  return visible?.document;
}

/** The query a command is about: (uri, index) from a CodeLens, else the query at the cursor. */
async function targetQuery(uriArg: unknown, indexArg: unknown): Promise<QuerySource | undefined> {
  const doc = await targetDocument(uriArg);
  if (!doc) {
    void vscode.window.showErrorMessage('mq: open an .mq file and put the cursor in a query first.');
    return undefined;
  }
  const text = doc.getText();
  const parsed = engine().parseDocument(text);
  let query = typeof indexArg === 'number' ? parsed.queries[indexArg] : undefined;
  if (!query) {
    const editor = vscode.window.visibleTextEditors.find((e) => e.document === doc) ?? vscode.window.activeTextEditor;
    const offset = editor && editor.document === doc ? doc.offsetAt(editor.selection.active) : 0;
    query = queryAtOffset(parsed, text, offset);
  }
  if (!query) {
    void vscode.window.showErrorMessage(
      parsed.queries.length ? 'mq: put the cursor inside the query to run.' : 'mq: this file holds no query (a query starts with SELECT).',
    );
    return undefined;
  }
  return { text, query, documentUri: doc.uri.toString(), after: engine().errorsAfterQuery(parsed, query.index) };
}

/** mq.runAllQueries: every query of the document, one after another; stops at a cancel. */
async function runAllQueries(ctx: RunContext, uri: unknown): Promise<unknown> {
  const doc = await targetDocument(uri);
  if (!doc) {
    void vscode.window.showErrorMessage('mq: open an .mq file first.');
    return undefined;
  }
  const text = doc.getText();
  const parsed = engine().parseDocument(text);
  if (parsed.queries.length === 0) {
    void vscode.window.showErrorMessage('mq: this file holds no query (a query starts with SELECT).');
    return [];
  }
  const results = [];
  for (const query of parsed.queries) {
    const r = await runQuery(ctx, { text, query, documentUri: doc.uri.toString(), after: engine().errorsAfterQuery(parsed, query.index) });
    results.push(r);
    if (r === 'cancelled') break;
  }
  const blocked = results.filter((r) => r === 'blocked').length;
  const failed = results.filter((r) => r === 'failed').length;
  if (blocked || failed) {
    void vscode.window.showWarningMessage(
      `mq: ran ${results.filter((r) => r === 'shown').length} of ${parsed.queries.length} queries; ${blocked} blocked by errors, ${failed} failed.`,
    );
  }
  return results;
}

/** Registers commands whose errors are logged and shown (redacted) instead of thrown at VS Code. */
function commandRegistrar(context: vscode.ExtensionContext, log: (line: string) => void, secrets: () => string[]) {
  return (id: string, fn: (...args: unknown[]) => unknown) =>
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await fn(...args);
        } catch (e) {
          const message = redact(e instanceof Error ? e.message : String(e), secrets());
          log(`${id} failed: ${message}`);
          void vscode.window.showErrorMessage(`mq: ${message}`);
          return undefined;
        }
      }),
    );
}

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('mq', { log: true });
  context.subscriptions.push(output);
  const connections = new Connections(context.secrets);
  context.subscriptions.push(connections);
  // Whatever reaches the log is redacted with every secret currently known.
  let knownSecrets: string[] = [];
  const refreshSecrets = () => void connections.allSecrets().then((s) => (knownSecrets = s), () => undefined);
  refreshSecrets();
  context.subscriptions.push(connections.onDidChange(refreshSecrets));
  const log = (line: string) => output.info(redact(line, knownSecrets));

  const history = new HistoryStore(vscode.Uri.joinPath(context.globalStorageUri, 'history').fsPath, historyLimits());
  const panels = new ResultsPanels(context.extensionUri, log, new ResultStore(vscode.Uri.joinPath(context.globalStorageUri, 'results').fsPath, 10, log));
  context.subscriptions.push(panels);
  const ctx: RunContext = { connections, panels, history, log };

  const lenses = new QueryCodeLenses();
  context.subscriptions.push(lenses, vscode.languages.registerCodeLensProvider({ language: 'mq' }, lenses));

  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('mq.codeLens.enabled')) lenses.refresh();
      if (e.affectsConfiguration('mq.history')) {
        history.setLimits(historyLimits());
        void history.prune().catch(() => undefined);
      }
    }),
  );

  const command = commandRegistrar(context, log, () => knownSecrets);

  command('mq.runQuery', async (uri, index) => {
    const src = await targetQuery(uri, index);
    return src ? runQuery(ctx, src) : undefined;
  });
  command('mq.runAllQueries', (uri) => runAllQueries(ctx, uri));
  command('mq.showRequest', async (uri, index) => {
    const src = await targetQuery(uri, index);
    if (src) await showRequest(src);
  });
  command('mq.copyCurl', async (uri, index) => {
    const src = await targetQuery(uri, index);
    if (src) await copyCurl(src);
  });
  command('mq.setApiKey', (name) => connections.setApiKey(name));
  command('mq.clearApiKey', (name) => connections.clearApiKey(name));
  command('mq.addConnection', () => connections.addConnection());
  command('mq.switchConnection', (name) => connections.switchConnection(name));
  command('mq.showHistory', () => showHistory(ctx));
  command('mq.openSampleWorkspace', () => openSampleWorkspace(context));
  command('mq.showOutput', () => output.show(true));
  command('mq.restartServer', async () => {
    if (client) await client.restart();
  });
  registerNotebooks(context, { connections, history, log });

  void history.prune().catch(() => undefined);
  // Runs left pending by an earlier window: recover what a relay still holds, mark the rest with the reason.
  context.subscriptions.push(startRecovery(ctx));

  // The language client library loads after activate() returns (setImmediate), so that activation, which
  // VS Code waits for before it runs any mq command, stays short. Commands work while the server starts, or
  // if it cannot start.
  const started = setImmediate(() => startLanguageClient(context, output));
  context.subscriptions.push({ dispose: () => clearImmediate(started) });
}

function startLanguageClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): void {
  let c: LanguageClient;
  try {
    c = languageClientModule().createLanguageClient(context, output);
  } catch (e) {
    reportServerNotStarted(output, e);
    return;
  }
  client = c;
  c.start().catch((e: unknown) => reportServerNotStarted(output, e));
}

function reportServerNotStarted(output: vscode.LogOutputChannel, e: unknown): void {
  const message = e instanceof Error ? e.message : String(e);
  output.error(`The mq language server did not start: ${message}`);
  void vscode.window.showErrorMessage(`mq: the language server did not start (${message}). Queries can still be run.`, 'Show Output').then((c) => {
    if (c) output.show(true);
  });
}

export async function deactivate(): Promise<void> {
  await closeReceivers().catch(() => undefined);
  if (client) await client.stop().catch(() => undefined);
  client = undefined;
}
