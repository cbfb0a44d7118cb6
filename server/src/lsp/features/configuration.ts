// Settings changes: read the `mq` section with workspace/configuration when the client answers it (after
// `initialized` and on every didChangeConfiguration), otherwise take what didChangeConfiguration carries.
// A changed analyser option re-analyses every open document; any change re-publishes (or asks a pull
// client to pull again).
import type { DidChangeConfigurationParams } from 'vscode-languageserver';
import type { DiagnosticsPublisher } from '../diagnostics.js';
import type { Session } from '../session.js';
import { readSettings, type ServerSettings } from '../settings.js';

async function nextSettings(s: Session, pushed: unknown): Promise<ServerSettings> {
  if (s.client.configuration) {
    try {
      return readSettings(await s.connection.workspace.getConfiguration('mq'));
    } catch {
      return s.settings; // some clients answer with an error: keep what we have
    }
  }
  return pushed === undefined ? s.settings : readSettings(pushed);
}

export async function refreshSettings(s: Session, diagnostics: DiagnosticsPublisher, pushed?: unknown): Promise<void> {
  const next = await nextSettings(s, pushed);
  const before = s.settings.diagnostics;
  const reanalyse = next.diagnostics.openApiOnlyChannels !== before.openApiOnlyChannels;
  if (!reanalyse && next.diagnostics.maxNumberOfProblems === before.maxNumberOfProblems) return;
  s.settings = next;
  if (reanalyse) s.documents.reanalyseAll();
  diagnostics.refreshAll();
}

export function registerConfiguration(s: Session, diagnostics: DiagnosticsPublisher): void {
  s.connection.onInitialized(() => {
    if (s.client.configuration) void refreshSettings(s, diagnostics);
  });
  s.connection.onDidChangeConfiguration((p: DidChangeConfigurationParams) => void refreshSettings(s, diagnostics, p.settings));
}
