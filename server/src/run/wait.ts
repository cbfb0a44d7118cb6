// Waiting for one submitted request: the callback (a local slot or a relay) and the status endpoint,
// polled with a growing interval so that a long query costs few requests, until the result, a failure,
// or the run's deadline. Relay hiccups (unreachable, throttled, full) are retried until the deadline.
import type { AggregateDataResponse, QueryAggregateDataResult } from '../core/compile/wire.js';
import type { MetricsClient, StatusAnswer } from './client.js';
import { RunError } from './errors.js';
import { callbackLostMessage, timeoutMessage } from './messages.js';
import type { CallbackSlot } from './receiver.js';
import { parseRelayBody, type RelayClient } from './relayWait.js';
import type { RunPhase, RunProgressInfo } from './engine.js';

export type WaitResult =
  | QueryAggregateDataResult
  | { status: 'SUCCESS'; response: AggregateDataResponse; failureMessage?: undefined }
  | { status: 'FAILED'; failureMessage?: string; response?: undefined };

export interface WaitContext {
  requestId: string;
  client: MetricsClient;
  callbackUrl: string;
  slot?: CallbackSlot;
  relay?: RelayClient;
  life: AbortController;
  deadline: number;
  timeoutMs: number;
  pollMs: number;
  maxPollMs: number;
  graceMs: number;
  onProgress?(phase: RunPhase, info?: RunProgressInfo): void;
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    const onAbort = () => {
      clearTimeout(t);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** What the wait knows so far. */
interface WaitState {
  arrived?: QueryAggregateDataResult;
  lastStatus?: StatusAnswer;
  terminalAt?: number;
  /** Set while the relay cannot be asked (unreachable, throttled); cleared by the next answer. */
  relayProblem?: string;
  delay: number;
}

/** Waits until the result arrives, the status says FAILED, the callback is lost, or the deadline passes. */
export async function waitForResult(w: WaitContext): Promise<WaitResult> {
  const { requestId, life } = w;
  const st: WaitState = { delay: w.pollMs };
  // Without a local slot (relay mode) there is nothing to race the sleep against: the sleep alone paces.
  const waiter = w.slot?.wait(requestId, life.signal).then(
    (r) => (st.arrived = r),
    () => undefined,
  );
  const fail = (e: unknown) => timeoutOr(e, life, timeoutMessage(requestId, w.timeoutMs, st.lastStatus, st.relayProblem), requestId, w.relay ? 'fetchLater' : undefined);
  w.onProgress?.('waiting', { requestId, status: 'IN_PROGRESS' });
  for (;;) {
    if (st.arrived) return checkArrived(st.arrived, requestId);
    const left = w.deadline - Date.now();
    if (left <= 0) break;
    try {
      await Promise.race([sleep(Math.min(st.delay, left), life.signal), ...(waiter ? [waiter] : [])]);
    } catch (e) {
      throw fail(e);
    }
    st.delay = Math.min(w.maxPollMs, Math.round(st.delay * 1.5));
    if (st.arrived) return checkArrived(st.arrived, requestId);
    if (w.relay && (await askRelay(w, st).catch((e: unknown) => Promise.reject(fail(e))))) return st.arrived!;
    try {
      st.lastStatus = await w.client.status(requestId);
    } catch (e) {
      throw fail(e);
    }
    if (st.arrived) return checkArrived(st.arrived, requestId);
    const done = afterStatus(w, st);
    if (done) return done;
  }
  if (st.arrived) return checkArrived(st.arrived, requestId);
  throw new RunError('timeout', timeoutMessage(requestId, w.timeoutMs, st.lastStatus, st.relayProblem), { requestId }, w.relay ? 'fetchLater' : 'raiseTimeout');
}

function checkArrived(arrived: QueryAggregateDataResult, requestId: string): QueryAggregateDataResult {
  if (arrived.requestId !== requestId) throw new RunError('callbackLost', `A result arrived for request ${arrived.requestId}, not ${requestId}.`, { requestId });
  return arrived;
}

/** One fetch from the relay; true when the result is in (and acknowledged, best effort). */
async function askRelay(w: WaitContext, st: WaitState): Promise<boolean> {
  const relay = w.relay!;
  const r = await relay.fetch(w.requestId, w.life.signal);
  if (r.kind === 'pending') {
    st.relayProblem = undefined;
    return false;
  }
  if (r.kind === 'unavailable') {
    st.relayProblem = r.reason;
    if (r.retryAfterMs !== undefined) st.delay = Math.min(Math.max(st.delay, r.retryAfterMs), w.maxPollMs * 4);
    w.onProgress?.('waiting', { requestId: w.requestId, retry: { waitMs: st.delay, reason: `relay: ${r.reason}` } });
    return false;
  }
  st.arrived = parseRelayBody(r.bodyText, w.requestId);
  // The caller stores the result before anything else; an ack that fails leaves it on the relay, where
  // `mq fetch` or the extension's recovery finds it again (and stores it idempotently).
  await relay.ack(w.requestId, w.life.signal).catch(() => undefined);
  return true;
}

/** What a status answer means for the wait: a result, a failure, a lost callback, or keep waiting. */
function afterStatus(w: WaitContext, st: WaitState): WaitResult | undefined {
  const last = st.lastStatus!;
  w.onProgress?.('waiting', { requestId: w.requestId, status: last.status });
  if (last.response) return { status: 'SUCCESS', response: last.response };
  if (last.status === 'IN_PROGRESS') return undefined;
  st.terminalAt ??= Date.now();
  if (last.status === 'FAILED' && last.failureMessage !== undefined) return { requestId: w.requestId, status: 'FAILED', failureMessage: last.failureMessage };
  // While the relay cannot be asked, the result may be there: keep trying until the deadline.
  if (st.relayProblem !== undefined || Date.now() - st.terminalAt < w.graceMs) return undefined;
  if (last.status === 'FAILED') return { status: 'FAILED' };
  throw new RunError(
    'callbackLost',
    callbackLostMessage(w.requestId, w.callbackUrl, w.graceMs, w.relay !== undefined, w.slot?.lastRejection),
    { requestId: w.requestId },
    w.relay ? 'fetchLater' : 'publicCallback',
  );
}

/** Maps an abort caused by the run's deadline to a timeout error; keeps other errors. */
export function timeoutOr(e: unknown, life: AbortController, message: string, requestId?: string, remedy?: 'fetchLater'): unknown {
  const reason: unknown = life.signal.reason;
  const details = requestId ? { requestId } : {};
  const timeout = () => new RunError('timeout', message, details, remedy ?? 'raiseTimeout');
  if (life.signal.aborted && reason instanceof RunError && reason.kind === 'timeout') return timeout();
  if (life.signal.aborted && reason instanceof RunError && reason.kind === 'cancelled') return reason;
  if (e instanceof RunError && e.kind === 'cancelled' && life.signal.aborted && reason instanceof RunError) return reason.kind === 'timeout' ? timeout() : reason;
  return e;
}
