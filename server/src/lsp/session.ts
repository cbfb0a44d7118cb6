// What every feature adapter shares: the connection, the language core and clock, the open documents,
// the negotiated client features and the current settings. Plus the two helpers every request uses.
import type { CancellationToken, Connection, Range } from 'vscode-languageserver';
import type { ClientFeatures } from './capabilities.js';
import type { DocumentModel } from './documentModel.js';
import type { Documents } from './documents.js';
import type { Clock, LanguageCore } from './languageCore.js';
import type { ServerSettings } from './settings.js';

export interface Session {
  readonly connection: Connection;
  readonly core: LanguageCore;
  readonly now: Clock;
  readonly documents: Documents;
  /** Set once by initialize (conservative defaults before it). */
  client: ClientFeatures;
  settings: ServerSettings;
  /** Delay between an edit and publishing its diagnostics (ms). */
  diagnosticsDelayMs: number;
}

export const rangeOf = (m: DocumentModel, start: number, end: number): Range => ({ start: m.doc.positionAt(start), end: m.doc.positionAt(end) });

export function describeError(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}

/**
 * A request handler that answers `empty` when the request is cancelled or fails; a failure is logged to
 * the client (a bug in one feature must never take the server down or leave a request unanswered).
 */
export function guard<P, R>(s: Session, empty: R, fn: (p: P, token: CancellationToken) => R): (p: P, token: CancellationToken) => R {
  return (p, token) => {
    if (token.isCancellationRequested) return empty;
    try {
      return fn(p, token);
    } catch (e) {
      s.connection.console.error(`mq: request failed: ${describeError(e)}`);
      return empty;
    }
  };
}
