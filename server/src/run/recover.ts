// Recording a run in the history around the engine, and getting a pending run's result later from a relay.
// Order is what makes a result durable: the result file is on disk before the run is marked done, before it
// is shown or printed, and before the relay is told it may forget it (ack).
import type { AggregateDataResponse } from '../core/compile/wire.js';
import type { RunOutcome } from './engine.js';
import type { PlanOutcome } from './runPlan.js';
import type { CallbackMode, HistoryEntry, HistoryStore } from './history.js';
import { parseRelayBody, type RelayClient } from './relayWait.js';

/** One request's result as received. */
export interface StoredSide {
  requestId: string;
  status: 'SUCCESS' | 'FAILED';
  source: 'live' | 'sample';
  response?: AggregateDataResponse;
  failureMessage?: string;
  timings?: { submittedAt?: string; receivedAt?: string; elapsedMs?: number };
}

/**
 * What `<id>.result.json` holds: the (current period's) result as received and, for COMPARE WITH, the
 * previous period's result as received. Joining, HAVING and ORDER BY are applied when it is shown.
 */
export interface StoredResult extends StoredSide {
  previous?: StoredSide;
}

export function storedResultOf(o: RunOutcome): StoredResult {
  const out: StoredResult = { requestId: o.requestId, status: o.status, source: o.source, timings: { ...o.timings } };
  if (o.response) out.response = o.response;
  if (o.failureMessage !== undefined) out.failureMessage = o.failureMessage;
  return out;
}

/** Both raw results of a plan run (one for a query without COMPARE WITH). */
export function storedPlanResultOf(o: PlanOutcome): StoredResult {
  const out = storedResultOf(o.current);
  if (o.previous) out.previous = storedResultOf(o.previous);
  return out;
}

/** SUCCESS when every stored side succeeded. */
export function overallStatus(r: StoredResult): 'SUCCESS' | 'FAILED' {
  return r.status === 'SUCCESS' && (!r.previous || r.previous.status === 'SUCCESS') ? 'SUCCESS' : 'FAILED';
}

/** Stores a result durably, then marks its entry done (SUCCESS or FAILED). */
export async function storeResult(store: HistoryStore, entryId: string, r: StoredResult, message?: string): Promise<HistoryEntry> {
  const patch: Parameters<HistoryStore['update']>[1] = { status: overallStatus(r), source: r.source };
  // An empty id is a side that was never accepted: keep the id already recorded, if any.
  if (r.requestId) patch.requestId = r.requestId;
  if (r.previous) patch.previousRequestId = r.previous.requestId;
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

/** One side's result from the relay, or why it is not there. */
async function fetchSide(relay: RelayClient, requestId: string, timings: StoredSide['timings'], signal?: AbortSignal): Promise<StoredSide | Exclude<RelayRecovery, { kind: 'stored' }>> {
  const r = await relay.fetch(requestId, signal);
  if (r.kind !== 'ready') return r.kind === 'pending' ? { kind: 'pending' } : { kind: 'unavailable', reason: r.reason };
  const result = parseRelayBody(r.bodyText, requestId);
  const side: StoredSide = { requestId, status: result.status, source: 'live', timings: { ...(timings ?? {}), receivedAt: new Date().toISOString() } };
  if (result.response) side.response = result.response;
  if (result.failureMessage !== undefined) side.failureMessage = result.failureMessage;
  return side;
}

const isSide = (v: StoredSide | { kind: string }): v is StoredSide => 'requestId' in v;

/**
 * Asks a relay for a request's result; when it is there, stores it in the history (in `entry`, or in a new
 * entry when this machine never recorded the run), marks it done, and then acknowledges it to the relay.
 * For a COMPARE WITH entry both periods' results are fetched, and stored once both are there. A request id
 * that is the previous period of `entry` is recovered as that entry (both sides).
 */
export async function recoverFromRelay(store: HistoryStore, relay: RelayClient, requestId: string, entry: HistoryEntry | undefined, signal?: AbortSignal): Promise<RelayRecovery> {
  const currentId = entry?.previousRequestId === requestId && entry.requestId ? entry.requestId : requestId;
  const previousId = entry?.previousRequestId && entry.previousRequestId !== currentId ? entry.previousRequestId : undefined;
  const current = await fetchSide(relay, currentId, entry?.timings, signal);
  if (!isSide(current)) return current;
  const stored: StoredResult = current;
  if (previousId) {
    const previous = await fetchSide(relay, previousId, entry?.timings, signal);
    if (!isSide(previous)) return previous;
    stored.previous = previous;
  }
  const target =
    entry ??
    (await store.create({ title: `request ${requestId}`, queryText: '', connection: relay.baseUrl, requestJson: '{}', requestId, mode: 'relay', relayUrl: relay.baseUrl }));
  const failed = [stored, stored.previous].filter((x): x is StoredSide => x?.status === 'FAILED');
  const message = failed.length ? failed.map((x) => x.failureMessage ?? `The API reported request ${x.requestId} as FAILED.`).join(' ') : undefined;
  const done = await storeResult(store, target.id, stored, message);
  for (const id of [currentId, previousId]) if (id) await relay.ack(id, signal).catch(() => undefined);
  return { kind: 'stored', entry: done, result: stored };
}
