// The run engine: submit a query, receive its one callback, watch its status, and hand back the result.
// Used by the CLI and the VS Code extension; it knows nothing about either and prints nothing.
// Without a base URL and key it starts the embedded stand-in on loopback and runs on sample data.
import { randomBytes } from 'node:crypto';
import type { AggregateDataRequest, AggregateDataResponse, QueryAggregateDataRequest, QueryAggregateDataResult } from '../core/compile/wire.js';
import { MetricsClient, type AuthScheme, type StatusAnswer } from './client.js';
import { RunError, redact } from './errors.js';
import { CallbackReceiver, type CallbackSlot } from './receiver.js';
import { RelayLink } from './relay/index.js';
import { checkCallbackBody } from './receiver.js';
import { parseJsonLossless } from './json.js';
import { startStandIn, type StandIn, type StandInOptions } from './standin/server.js';

export { RunError, redact } from './errors.js';
export type { RunErrorKind, RunErrorDetails } from './errors.js';
export type { AuthScheme } from './client.js';

export type RunPhase = 'submitting' | 'submitted' | 'waiting' | 'received' | 'done';

export interface RunProgressInfo {
  requestId?: string;
  callbackUrl?: string;
  status?: string;
  /** A problem worth showing before the run ends (e.g. a loopback callback URL with a live API). */
  warning?: string;
  /** A retry is about to happen. */
  retry?: { waitMs: number; reason: string };
}

export interface RunOptions {
  baseUrl?: string;
  apiKey?: string;
  authScheme?: AuthScheme;
  callback?: {
    listenHost?: string;
    listenPort?: number;
    publicBaseUrl?: string;
    relay?: { url: string; token: string };
    /** An already running receiver to open this run's slot on (long-lived hosts such as the extension). */
    receiver?: CallbackReceiver;
  };
  /** Whole run, submit to result (default 5 min). */
  timeoutMs?: number;
  /** Status polling interval (default 2 s live, 100 ms on sample data). */
  pollIntervalMs?: number;
  /** After the status says finished, how long to wait for the callback (default 30 s live, 5 s sample). */
  callbackGraceMs?: number;
  /** One HTTP request (default 30 s). */
  requestTimeoutMs?: number;
  /** Client retry tuning (tests use small values). */
  retry?: { maxServerRetries?: number; maxThrottleRetries?: number; retryBaseMs?: number; maxRetryWaitMs?: number };
  signal?: AbortSignal;
  onProgress?(phase: RunPhase, info?: RunProgressInfo): void;
  /** Clock for the sample data (default: real time). */
  now?: () => Date;
  /** Extra options for the embedded stand-in (sample mode only). */
  standIn?: StandInOptions;
}

export interface RunOutcome {
  requestId: string;
  status: 'SUCCESS' | 'FAILED';
  source: 'live' | 'sample';
  response?: AggregateDataResponse;
  failureMessage?: string;
  timings: { submittedAt: string; receivedAt: string; elapsedMs: number };
  request: QueryAggregateDataRequest;
}

const LOOPBACK = /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/i;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
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

/** Runs one request and returns its result (status FAILED is an outcome, not an exception). */
export async function runRequest(request: AggregateDataRequest, opts: RunOptions = {}): Promise<RunOutcome> {
  const hasBase = !!opts.baseUrl;
  const hasKey = !!opts.apiKey;
  if (hasBase !== hasKey) {
    throw new RunError(
      hasBase ? 'auth' : 'invalidRequest',
      hasBase
        ? 'A base URL was given without an API key. Set --api-key or INFOBIP_API_KEY (or remove the base URL to use sample data).'
        : 'An API key was given without a base URL. Set --base-url or INFOBIP_BASE_URL to your account\'s https://xxxxx.api.infobip.com.',
    );
  }
  const source: 'live' | 'sample' = hasBase ? 'live' : 'sample';
  const secrets = [opts.apiKey, opts.callback?.relay?.token];
  const clean = (e: unknown): unknown => {
    if (e instanceof RunError) return new RunError(e.kind, redact(e.message, secrets), e.details);
    return e;
  };
  if (opts.signal?.aborted) throw new RunError('cancelled', 'The run was cancelled.');

  // One internal controller stops every wait when the run ends, fails or is cancelled.
  const life = new AbortController();
  const onOuterAbort = () => life.abort(new RunError('cancelled', 'The run was cancelled.'));
  opts.signal?.addEventListener('abort', onOuterAbort, { once: true });

  let standIn: StandIn | undefined;
  let ownReceiver: CallbackReceiver | undefined;
  let slot: CallbackSlot | undefined;
  let relay: RelayLink | undefined;
  try {
    let baseUrl = opts.baseUrl;
    let apiKey = opts.apiKey;
    if (source === 'sample') {
      apiKey = randomBytes(16).toString('hex');
      standIn = await startStandIn({ latencyMs: 100, ...opts.standIn, host: '127.0.0.1', port: 0, apiKey, ...(opts.now ? { now: opts.now } : {}) });
      baseUrl = standIn.url;
    }
    const cb = opts.callback ?? {};
    let callbackUrl: string;
    if (cb.relay) {
      relay = await RelayLink.open(cb.relay.url, cb.relay.token, { signal: life.signal });
      callbackUrl = relay.callbackUrl;
    } else {
      const receiver =
        cb.receiver ??
        (ownReceiver = await CallbackReceiver.start({
          ...(cb.listenHost ? { host: cb.listenHost } : {}),
          ...(cb.listenPort !== undefined ? { port: cb.listenPort } : {}),
          ...(cb.publicBaseUrl ? { publicBaseUrl: cb.publicBaseUrl } : {}),
        }));
      slot = receiver.openSlot();
      callbackUrl = slot.callbackUrl;
    }
    const body: QueryAggregateDataRequest = { callbackUrl, request };
    const warning = source === 'live' && !relay ? callbackWarning(baseUrl!, callbackUrl) : undefined;
    opts.onProgress?.('submitting', { callbackUrl, ...(warning ? { warning } : {}) });

    const client = new MetricsClient({
      baseUrl: baseUrl!,
      apiKey: apiKey!,
      authScheme: opts.authScheme ?? 'App',
      requestTimeoutMs: opts.requestTimeoutMs ?? 30_000,
      signal: life.signal,
      ...(opts.retry ?? {}),
      onRetry: (r) => opts.onProgress?.('waiting', { retry: { waitMs: r.waitMs, reason: r.reason } }),
    });

    const started = Date.now();
    const timeoutMs = opts.timeoutMs ?? 300_000;
    const deadline = started + timeoutMs;
    // The whole run is bounded: the deadline also stops a client waiting on retries.
    const deadlineTimer = setTimeout(() => life.abort(new RunError('timeout', '')), timeoutMs);
    try {
      let requestId: string;
      try {
        requestId = await client.submit(body);
      } catch (e) {
        throw timeoutOr(e, life, `The Metrics API did not accept the query within ${duration(timeoutMs)}. Try again or raise --timeout.`);
      }
      const submittedAt = new Date();
      opts.onProgress?.('submitted', { requestId, callbackUrl });

      const finish = (result: QueryAggregateDataResult | { status: 'SUCCESS'; response: AggregateDataResponse; failureMessage?: undefined }): RunOutcome => {
        const receivedAt = new Date();
        opts.onProgress?.('received', { requestId, status: result.status });
        const outcome: RunOutcome = {
          requestId,
          status: result.status,
          source,
          timings: { submittedAt: submittedAt.toISOString(), receivedAt: receivedAt.toISOString(), elapsedMs: receivedAt.getTime() - started },
          request: body,
        };
        if (result.response) outcome.response = result.response;
        if (result.failureMessage !== undefined) outcome.failureMessage = result.failureMessage;
        else if (result.status === 'FAILED') outcome.failureMessage = 'The API reported the request as FAILED without a reason.';
        opts.onProgress?.('done', { requestId, status: result.status });
        return outcome;
      };

      const pollMs = opts.pollIntervalMs ?? (source === 'sample' ? 100 : 2000);
      const graceMs = opts.callbackGraceMs ?? (source === 'sample' ? 5000 : 30_000);
      let arrived: QueryAggregateDataResult | undefined;
      const waiter = slot?.wait(requestId, life.signal).then(
        (r) => (arrived = r),
        () => undefined,
      );
      let terminalAt: number | undefined;
      let lastStatus: StatusAnswer | undefined;
      opts.onProgress?.('waiting', { requestId, status: 'IN_PROGRESS' });
      for (;;) {
        if (arrived) break;
        const left = deadline - Date.now();
        if (left <= 0) break;
        try {
          await Promise.race([sleep(Math.min(pollMs, left), life.signal), waiter]);
        } catch (e) {
          throw timeoutOr(e, life, timeoutMessage(requestId, timeoutMs, lastStatus), requestId);
        }
        if (arrived) break;
        if (relay) {
          const r = await relay.fetch(requestId, life.signal).catch((e: unknown) => {
            throw timeoutOr(e, life, timeoutMessage(requestId, timeoutMs, lastStatus), requestId);
          });
          if (r.kind === 'ready') {
            let body: unknown;
            try {
              body = parseJsonLossless(r.bodyText);
            } catch {
              body = undefined;
            }
            if (checkCallbackBody(body)) throw new RunError('callbackLost', `The relay returned something that is not a Metrics API result for request ${requestId}.`, { requestId });
            arrived = body as QueryAggregateDataResult;
            await relay.ack(requestId).catch(() => undefined);
            break;
          }
        }
        try {
          lastStatus = await client.status(requestId);
        } catch (e) {
          throw timeoutOr(e, life, timeoutMessage(requestId, timeoutMs, lastStatus), requestId);
        }
        if (arrived) break;
        opts.onProgress?.('waiting', { requestId, status: lastStatus.status });
        if (lastStatus.response) return finish({ status: 'SUCCESS', response: lastStatus.response });
        if (lastStatus.status === 'IN_PROGRESS') continue;
        terminalAt ??= Date.now();
        if (lastStatus.status === 'FAILED' && lastStatus.failureMessage !== undefined) {
          return finish({ requestId, status: 'FAILED', failureMessage: lastStatus.failureMessage });
        }
        if (Date.now() - terminalAt >= graceMs) {
          if (lastStatus.status === 'FAILED') return finish({ requestId, status: 'FAILED' });
          throw new RunError('callbackLost', callbackLostMessage(requestId, callbackUrl, graceMs, source, relay !== undefined, slot?.lastRejection), { requestId });
        }
      }
      if (arrived) {
        if (arrived.requestId !== requestId) throw new RunError('callbackLost', `A result arrived for request ${arrived.requestId}, not ${requestId}.`, { requestId });
        return finish(arrived);
      }
      throw new RunError('timeout', timeoutMessage(requestId, timeoutMs, lastStatus), { requestId });
    } finally {
      clearTimeout(deadlineTimer);
    }
  } catch (e) {
    throw clean(e);
  } finally {
    opts.signal?.removeEventListener('abort', onOuterAbort);
    if (!life.signal.aborted) life.abort(new RunError('cancelled', 'The run ended.'));
    slot?.close();
    await Promise.allSettled([ownReceiver?.close(), standIn?.close()]);
  }
}

/**
 * A warning when the API cannot reach the callback URL: a loopback callback with a non-loopback API.
 * (A stand-in on this machine can reach a loopback callback, so no warning then.)
 */
export function callbackWarning(baseUrl: string, callbackUrl: string): string | undefined {
  if (!LOOPBACK.test(callbackUrl) || LOOPBACK.test(baseUrl)) return undefined;
  return `The callback URL ${callbackUrl} is on this machine only; Infobip cannot deliver the result there unless something forwards it. Use --callback-url (a public URL that forwards to --listen) or --relay.`;
}

/** Maps an abort caused by the run's deadline to a timeout error; keeps other errors. */
function timeoutOr(e: unknown, life: AbortController, message: string, requestId?: string): unknown {
  const reason: unknown = life.signal.reason;
  const details = requestId ? { requestId } : {};
  if (life.signal.aborted && reason instanceof RunError && reason.kind === 'timeout') return new RunError('timeout', message, details);
  if (life.signal.aborted && reason instanceof RunError && reason.kind === 'cancelled') return reason;
  if (e instanceof RunError && e.kind === 'cancelled' && life.signal.aborted && reason instanceof RunError) return reason.kind === 'timeout' ? new RunError('timeout', message, details) : reason;
  return e;
}

/** A wait as people read it: "1.5 s", "30 s", or "800 ms" for short ones (never "0 s"). */
function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return ms < 10_000 ? `${Math.round(ms / 100) / 10} s` : `${Math.round(ms / 1000)} s`;
}

function timeoutMessage(requestId: string, timeoutMs: number, last: StatusAnswer | undefined): string {
  const s = duration(timeoutMs);
  if (!last || last.status === 'IN_PROGRESS') {
    return `Request ${requestId} was still IN_PROGRESS after ${s}. Large periods and many dimensions take longer: narrow the query or raise --timeout.`;
  }
  return `Request ${requestId} did not deliver its result within ${s} (its status is ${last.status}). Raise --timeout, or check the callback URL.`;
}

function callbackLostMessage(requestId: string, url: string, graceMs: number, source: 'live' | 'sample', viaRelay: boolean, rejection?: string): string {
  const s = duration(graceMs);
  const lines = [
    `The Metrics API finished request ${requestId} (status SUCCESS), but the result did not arrive at the callback URL within ${s}.`,
    'Infobip delivers rows only once, by POSTing them to the callback URL; the status endpoint cannot return them.',
  ];
  if (rejection) lines.push(`Something did reach the callback URL, but it was refused: ${rejection}.`);
  if (viaRelay) {
    lines.push('The relay did not receive it: check that the relay URL is reachable from the internet over HTTPS and that mq relay is running with the same token.');
  } else {
    const where = LOOPBACK.test(url) ? `${url.replace(/\/mq\/callback\/.*$/, '')} is only reachable from this machine` : `${url.replace(/\/mq\/callback\/.*$/, '')} is probably not reachable from the internet`;
    lines.push(`Most likely ${where}.`);
    if (source === 'live') {
      lines.push(
        'Fix it in one of these ways:',
        '  - a public URL that forwards to the listener: --listen 127.0.0.1:PORT --callback-url https://your-public-host (a tunnel such as cloudflared or ngrok, VS Code port forwarding, or a reverse proxy);',
        '  - a relay on a public host: run `mq relay --port P --token T` there and use --relay https://relay-host --relay-token T.',
      );
    }
  }
  return lines.join('\n');
}
