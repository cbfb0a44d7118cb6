// Starts the mq language server (dist/server.js) over IPC and keeps it running.
import vscode = require('vscode');
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  TransportKind,
  type CloseHandlerResult,
  type ErrorHandlerResult,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';

const MAX_RESTARTS = 5;
const WINDOW_MS = 3 * 60 * 1000;

export function createLanguageClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const restarts: number[] = [];
  let client: LanguageClient | undefined;
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'mq' },
      { scheme: 'untitled', language: 'mq' },
      // mq cells of notebooks (.mqnb and Jupyter): each cell is checked like an .mq file of its own.
      { scheme: 'vscode-notebook-cell', language: 'mq' },
    ],
    outputChannel: output,
    // The server reads mq.* through workspace/configuration; this also sends didChangeConfiguration on edits.
    synchronize: { configurationSection: 'mq' },
    errorHandler: {
      error: (): ErrorHandlerResult => ({ action: ErrorAction.Continue }),
      closed: (): CloseHandlerResult => {
        const now = Date.now();
        while (restarts.length && now - restarts[0]! > WINDOW_MS) restarts.shift();
        restarts.push(now);
        if (restarts.length <= MAX_RESTARTS) {
          output.appendLine(`[client] the mq language server stopped; restarting (${restarts.length}/${MAX_RESTARTS} in 3 minutes).`);
          return { action: CloseAction.Restart, handled: true };
        }
        const again = 'Restart Server';
        const show = 'Show Output';
        void vscode.window
          .showErrorMessage(`The mq language server crashed ${MAX_RESTARTS} times in 3 minutes and was not restarted.`, again, show)
          .then((c) => {
            if (c === show) output.show(true);
            if (c === again && client) {
              restarts.length = 0;
              void client.start();
            }
          });
        return { action: CloseAction.DoNotRestart, handled: true };
      },
    },
  };
  client = new LanguageClient('mq', 'mq language server', serverOptions, clientOptions);
  return client;
}
