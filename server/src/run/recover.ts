// Recording a run in the history around the engine, and getting a pending run's result later from a relay.
// Order is what makes a result durable: the result file is on disk before the run is marked done, before it
// is shown or printed, and before the relay is told it may forget it (ack).
import type { AggregateDataResponse } from '../core/compile/wire.js';
import type { RunOutcome } from './engine.js';
import type { CallbackMode, HistoryEntry, HistoryStore } from './history.js';
import { parseRelayBody, type RelayClient } from './relayWait.js';

/** What `<id>.result.json` holds. */
export interface StoredResult {
  requestId: string;
  status: 'SUCCESS' | 'FAILED';
  source: 'live' | 'sample';
  response?: AggregateDataResponse;
  failureMessage?: string;
  timings?: { submittedAt?: string; receivedAt?: string; elapsedMs?: number };
}

export function storedResultOf(o: RunOutcome): StoredResult {
  const out: StoredResult = { requestId: o.requestId, status: o.status, source: o.source, timings: { ...o.timings } };
  if (o.response) out.response = o.response;
  if (o.failureMessage !== undefined) out.failureMessage = o.failureMessage;
  return out;
}

/** Stores a result durably, then marks its entry done (SUCCESS or FAILED). */
export async function storeResult(store: HistoryStore, entryId: string, r: StoredResult, message?: string): Promise<HistoryEntry> {
  const patch: Parameters<HistoryStore['update']>[1] = { status: r.status, requestId: r.requestId, source: r.source };
  if (r.timings) patch.timings = r.timings;
  if (message !== undefined) patch.message = message;
  return store.saveResult(entryId, r, patch);
}

/** The callback mode of a run's options, as the history records it. */
export function callbackModeOf(live: boolean, cb: { relay?: unknown; publicBaseUrl?: string } | undefined): CallbackMode {
  if (!live) return 'sample';
  if (cb?.relay) return 'relay';
  return cb?.publicBaseUrl ? 'public' : 'local';
}

/** A URL without credentials, for the history. */
export function withoutCredentials(url: string): string {
  if (!URL.canParse(url)) return url;
  const u = new URL(url);
  u.username = '';
  u.password = '';
  return u.toString().replace(/\/+$/, '');
}

export type RelayRecovery =
  | { kind: 'stored'; entry: HistoryEntry; result: StoredResult }
  | { kind: 'pending' }
  | { kind: 'unavailable'; reason: string };

/**
 * Asks a relay for a request's result; when it is there, stores it in the history (in `entry`, or in a new
 * entry when this machine never recorded the run), marks it done, and then acknowledges it to the relay.
 */
export async function recoverFromRelay(store: HistoryStore, relay: RelayClient, requestId: string, entry: HistoryEntry | undefined, signal?: AbortSignal): Promise<RelayRecovery> {
  const r = await relay.fetch(requestId, signal);
  if (r.kind !== 'ready') return r.kind === 'pending' ? { kind: 'pending' } : { kind: 'unavailable', reason: r.reason };
  const result = parseRelayBody(r.bodyText, requestId);
  const stored: StoredResult = { requestId, status: result.status, source: 'live', timings: { ...(entry?.timings ?? {}), receivedAt: new Date().toISOString() } };
  if (result.response) stored.response = result.response;
  if (result.failureMessage !== undefined) stored.failureMessage = result.failureMessage;
  const target =
    entry ??
    (await store.create({ title: `request ${requestId}`, queryText: '', connection: relay.baseUrl, requestJson: '{}', requestId, mode: 'relay', relayUrl: relay.baseUrl }));
  const done = await storeResult(store, target.id, stored, result.status === 'FAILED' ? (result.failureMessage ?? 'The API reported the request as FAILED.') : undefined);
  await relay.ack(requestId, signal).catch(() => undefined);
  return { kind: 'stored', entry: done, result: stored };
}
