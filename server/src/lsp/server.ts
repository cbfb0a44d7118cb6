// The mq language server: adapts the language core (parser, analyser, completion, hover, quick fixes,
// formatter, ...) to LSP on a vscode-languageserver connection. It negotiates every capability from what the
// client says in `initialize`, so it works in any LSP client (VS Code, Neovim, Emacs eglot, Helix, ...).
//
// Documents are kept as query segments (documentModel.ts): an edit re-parses only the queries around it,
// only the changed queries are re-analysed, and requests look only at the query under the cursor. Each
// feature is its own adapter (features/*.ts) over a shared Session; diagnostics.ts publishes.
import type { Connection, DocumentDiagnosticParams, DocumentDiagnosticReport, InitializeParams, InitializeResult } from 'vscode-languageserver';
import { negotiate, serverCapabilities } from './capabilities.js';
import { DiagnosticsPublisher } from './diagnostics.js';
import { Documents } from './documents.js';
import { registerCodeActions } from './features/codeActions.js';
import { registerCompletion } from './features/completion.js';
import { registerConfiguration } from './features/configuration.js';
import { registerFormatting } from './features/formatting.js';
import { registerHover } from './features/hover.js';
import { registerInlayHints } from './features/inlayHints.js';
import { registerOutline } from './features/outline.js';
import { registerSemanticTokens } from './features/semanticTokens.js';
import type { Clock, LanguageCore } from './languageCore.js';
import { describeError, type Session } from './session.js';
import { DEFAULT_DIAGNOSTICS_DELAY_MS, DEFAULT_SETTINGS, readDiagnosticsDelay, readSettings } from './settings.js';

export { plainText } from './markup.js';
export { SEMANTIC_LEGEND } from './capabilities.js';
export { TOO_MANY_PROBLEMS } from './diagnostics.js';
export { DEFAULT_MAX_PROBLEMS, type ServerSettings } from './settings.js';

export interface ServerOptions {
  /** Delay between an edit and publishing diagnostics (ms); initializationOptions.diagnosticsDelayMs overrides it. */
  debounceMs?: number;
  /** Receives a line per update and publication with its timing (main.ts: MQ_LSP_TIMING=1). */
  timing?: (line: string) => void;
}

/** Registers every handler on `connection` and starts listening. Returns the session (for tests). */
export function startServer(connection: Connection, core: LanguageCore, now: Clock = () => new Date(), opts: ServerOptions = {}): Session {
  const session: Session = {
    connection,
    core,
    now,
    client: negotiate({}),
    settings: DEFAULT_SETTINGS,
    diagnosticsDelayMs: opts.debounceMs ?? DEFAULT_DIAGNOSTICS_DELAY_MS,
    documents: new Documents(core, {
      context: () => ({ now: now(), options: { openApiOnlyChannels: session.settings.diagnostics.openApiOnlyChannels } }),
      error: (message) => connection.console.error(message),
      timing: opts.timing,
    }),
  };
  const diagnostics = new DiagnosticsPublisher(session, opts.timing);
  registerLifecycle(session, diagnostics);
  registerDocumentSync(session, diagnostics);
  registerCompletion(session);
  registerHover(session);
  registerCodeActions(session, diagnostics);
  registerFormatting(session);
  registerSemanticTokens(session);
  registerOutline(session);
  registerInlayHints(session);
  registerConfiguration(session, diagnostics);
  connection.listen();
  return session;
}

function registerLifecycle(s: Session, diagnostics: DiagnosticsPublisher): void {
  s.connection.onInitialize((params: InitializeParams): InitializeResult => {
    s.client = negotiate(params.capabilities);
    if (params.initializationOptions) s.settings = readSettings(params.initializationOptions);
    s.diagnosticsDelayMs = readDiagnosticsDelay(params.initializationOptions, s.diagnosticsDelayMs);
    return { capabilities: serverCapabilities(s.client), serverInfo: { name: 'mq-language-server', version: '0.1.0' } };
  });
  // The framework answers shutdown and ends the process on exit (code 0 after shutdown, 1 otherwise).
  s.connection.onShutdown(() => diagnostics.stop());
}

function registerDocumentSync(s: Session, diagnostics: DiagnosticsPublisher): void {
  const { connection, documents } = s;
  // The document model is consistent after every update even when analysis fails; a failure is logged.
  const safely = (what: string, fn: () => void): void => {
    try {
      fn();
    } catch (e) {
      connection.console.error(`mq: ${what} failed: ${describeError(e)}`);
    }
  };
  connection.onDidOpenTextDocument((p) => {
    const { uri, version, text } = p.textDocument;
    safely('didOpen', () => documents.open(uri, version, text));
    diagnostics.schedule(uri, 0);
  });
  connection.onDidChangeTextDocument((p) => {
    const uri = p.textDocument.uri;
    if (!documents.get(uri)) return;
    safely('didChange', () => documents.change(uri, p.contentChanges, p.textDocument.version));
    diagnostics.schedule(uri);
  });
  connection.onDidCloseTextDocument((p) => {
    documents.close(p.textDocument.uri);
    diagnostics.closed(p.textDocument.uri);
  });
  connection.languages.diagnostics.on((p: DocumentDiagnosticParams, token): DocumentDiagnosticReport => {
    if (token.isCancellationRequested) return { kind: 'full', items: [] };
    try {
      return diagnostics.report(p.textDocument.uri);
    } catch (e) {
      connection.console.error(`mq: diagnostics failed: ${describeError(e)}`);
      return { kind: 'full', items: [] };
    }
  });
}
