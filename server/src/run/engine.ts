// The run engine: submit a query, receive its one callback, watch its status, and hand back the result.
// Used by the CLI and the VS Code extension; it knows nothing about either and prints nothing.
// Without a base URL and key it starts the embedded stand-in on loopback and runs on sample data.
import { randomBytes } from 'node:crypto';
import type { AggregateDataRequest, AggregateDataResponse, QueryAggregateDataRequest, QueryAggregateDataResult } from '../core/compile/wire.js';
import { MetricsClient, type AuthScheme } from './client.js';
import { RunError, type Remedy } from './errors.js';
import { callbackWarning, duration, plainHttpWarning } from './messages.js';
import { redact, urlSecrets } from './redact.js';
import { CallbackReceiver, type CallbackSlot } from './receiver.js';
import { openRelay, type RelayClient } from './relayWait.js';
import { startStandIn, type StandIn, type StandInOptions } from './standin/server.js';
import { timeoutOr, waitForResult, type WaitResult } from './wait.js';

export { RunError, redact } from './errors.js';
export type { RunErrorKind, RunErrorDetails, Remedy } from './errors.js';
export type { AuthScheme } from './client.js';
export { callbackWarning, plainHttpWarning } from './messages.js';

export type RunPhase = 'submitting' | 'submitted' | 'waiting' | 'received' | 'done';

export interface RunProgressInfo {
  requestId?: string;
  callbackUrl?: string;
  status?: string;
  /** A problem worth showing before the run ends (e.g. a loopback callback URL with a live API). */
  warning?: string;
  /** What to do about the warning (each client words it). */
  remedy?: Remedy;
  /** A retry is about to happen. */
  retry?: { waitMs: number; reason: string };
  /** COMPARE WITH runs: which period's request this is about. */
  side?: PeriodSide;
}

/** The two requests of a COMPARE WITH run. */
export type PeriodSide = 'current' | 'previous';

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
  /** First status polling interval (default 2 s live, 100 ms on sample data); it grows while nothing changes. */
  pollIntervalMs?: number;
  /** Longest polling interval (default 5× the first, at most 10 s). */
  maxPollIntervalMs?: number;
  /** After the status says finished, how long to wait for the callback (default 30 s live, 5 s sample). */
  callbackGraceMs?: number;
  /** One HTTP request (default 30 s). */
  requestTimeoutMs?: number;
  /** Client retry tuning (tests use small values). */
  retry?: { maxServerRetries?: number; maxThrottleRetries?: number; retryBaseMs?: number; maxRetryWaitMs?: number };
  signal?: AbortSignal;
  onProgress?(phase: RunPhase, info?: RunProgressInfo): void;
  /**
   * Called once the API accepted the query, before the wait starts; the run waits for it. Clients record the
   * request id durably here, so that a result can be asked for again if this process ends.
   */
  onSubmitted?(requestId: string, callbackUrl: string, side: PeriodSide): Promise<void> | void;
  /** Clock for the sample data (default: real time). */
  now?: () => Date;
  /**
   * Extra options for the embedded stand-in (sample mode only). Its jobs finish at once (`latencyMs: 0`): the
   * submit → callback round trip is still the real one, with no wait added on sample data.
   */
  standIn?: StandInOptions;
  /** Relay client factory (tests); default openRelay. */
  openRelay?: typeof openRelay;
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

/** Where the callback of one request goes. */
interface CallbackTarget {
  callbackUrl: string;
  slot?: CallbackSlot;
  relay?: RelayClient;
}

/** Where the callbacks of a run go (a receiver to open slots on, or a relay), and what to close afterwards. */
interface CallbackChannel {
  receiver?: CallbackReceiver;
  relay?: RelayClient;
  ownReceiver?: CallbackReceiver;
}

/** Refuses a base URL without a key and a key without a base URL. */
function checkCredentials(opts: RunOptions): 'live' | 'sample' {
  const hasBase = !!opts.baseUrl;
  if (hasBase === !!opts.apiKey) return hasBase ? 'live' : 'sample';
  throw hasBase
    ? new RunError('auth', 'A base URL was given without an API key.', {}, 'setApiKey')
    : new RunError('invalidRequest', "An API key was given without a base URL (your account's https://xxxxx.api.infobip.com).", {}, 'setBaseUrl');
}

async function openChannel(opts: RunOptions, signal: AbortSignal): Promise<CallbackChannel> {
  const cb = opts.callback ?? {};
  if (cb.relay) {
    const relay = await (opts.openRelay ?? openRelay)(cb.relay.url, cb.relay.token, { signal, ...(opts.requestTimeoutMs ? { requestTimeoutMs: opts.requestTimeoutMs } : {}) });
    return { relay };
  }
  if (cb.receiver) return { receiver: cb.receiver };
  const ownReceiver = await CallbackReceiver.start({
    ...(cb.listenHost ? { host: cb.listenHost } : {}),
    ...(cb.listenPort !== undefined ? { port: cb.listenPort } : {}),
    ...(cb.publicBaseUrl ? { publicBaseUrl: cb.publicBaseUrl } : {}),
  });
  return { receiver: ownReceiver, ownReceiver };
}

/** A callback target of its own for one request: a fresh slot on the receiver, or the relay. */
function targetOn(channel: CallbackChannel): CallbackTarget {
  if (channel.relay) return { callbackUrl: channel.relay.callbackUrl, relay: channel.relay };
  const slot = channel.receiver!.openSlot();
  return { callbackUrl: slot.callbackUrl, slot };
}

/** The warnings worth showing before submitting (plain http off this machine, unreachable callback). */
function warningsFor(opts: RunOptions, baseUrl: string, target: CallbackTarget): RunProgressInfo[] {
  const out: RunProgressInfo[] = [];
  if (!opts.baseUrl) return out;
  const base = plainHttpWarning(baseUrl, 'base');
  if (base) out.push({ warning: base, remedy: 'none' });
  const relay = opts.callback?.relay ? plainHttpWarning(opts.callback.relay.url, 'relay') : undefined;
  if (relay) out.push({ warning: relay, remedy: 'none' });
  const cb = target.relay ? undefined : callbackWarning(baseUrl, target.callbackUrl);
  if (cb) out.push({ warning: cb, remedy: 'publicCallback' });
  return out;
}

/** One run's shared parts: the API to talk to (the stand-in on sample data), the callback channel, its life. */
export interface RunSession {
  source: 'live' | 'sample';
  /** Submits one request on a callback target of its own and waits for its result. */
  run(request: AggregateDataRequest, side?: PeriodSide): Promise<RunOutcome>;
  /** Stops every wait of the session (the other side of a comparison when one side failed). */
  abort(reason: RunError): void;
}

/**
 * Prepares a run (credentials, the stand-in on sample data, the callback receiver or relay), gives it to
 * `fn`, and closes everything afterwards. Errors come out redacted.
 */
export async function withRunSession<T>(opts: RunOptions, fn: (session: RunSession) => Promise<T>): Promise<T> {
  const source = checkCredentials(opts);
  const secrets = [opts.apiKey, opts.callback?.relay?.token, ...urlSecrets(opts.baseUrl), ...urlSecrets(opts.callback?.relay?.url)];
  if (opts.signal?.aborted) throw new RunError('cancelled', 'The run was cancelled.');
  // One internal controller stops every wait when the run ends, fails or is cancelled.
  const life = new AbortController();
  const onOuterAbort = () => life.abort(new RunError('cancelled', 'The run was cancelled.'));
  opts.signal?.addEventListener('abort', onOuterAbort, { once: true });
  let standIn: StandIn | undefined;
  let channel: CallbackChannel | undefined;
  const slots: CallbackSlot[] = [];
  try {
    let baseUrl = opts.baseUrl!;
    let apiKey = opts.apiKey!;
    if (source === 'sample') {
      apiKey = randomBytes(16).toString('hex');
      standIn = await startStandIn({ latencyMs: 0, ...opts.standIn, host: '127.0.0.1', port: 0, apiKey, ...(opts.now ? { now: opts.now } : {}) });
      baseUrl = standIn.url;
    }
    const ch = (channel = await openChannel(opts, life.signal));
    let warned = false;
    const session: RunSession = {
      source,
      abort: (reason) => life.abort(reason),
      run: async (request, side) => {
        const target = targetOn(ch);
        if (target.slot) slots.push(target.slot);
        const sideInfo = side ? { side } : {};
        opts.onProgress?.('submitting', { callbackUrl: target.callbackUrl, ...sideInfo });
        if (!warned) for (const w of warningsFor(opts, baseUrl, target)) opts.onProgress?.('submitting', { callbackUrl: target.callbackUrl, ...w });
        warned = true;
        return submitAndWait(request, opts, { source, baseUrl, apiKey, target, life, ...sideInfo });
      },
    };
    return await fn(session);
  } catch (e) {
    throw e instanceof RunError ? e.withMessage(redact(e.message, secrets)) : e;
  } finally {
    opts.signal?.removeEventListener('abort', onOuterAbort);
    if (!life.signal.aborted) life.abort(new RunError('cancelled', 'The run ended.'));
    for (const slot of slots) slot.close();
    await Promise.allSettled([channel?.ownReceiver?.close(), standIn?.close()]);
  }
}

/** Runs one request and returns its result (status FAILED is an outcome, not an exception). */
export async function runRequest(request: AggregateDataRequest, opts: RunOptions = {}): Promise<RunOutcome> {
  return withRunSession(opts, (session) => session.run(request));
}

interface Prepared {
  source: 'live' | 'sample';
  baseUrl: string;
  apiKey: string;
  target: CallbackTarget;
  life: AbortController;
  side?: PeriodSide;
}

async function submitAndWait(request: AggregateDataRequest, opts: RunOptions, p: Prepared): Promise<RunOutcome> {
  const { source, target, life } = p;
  const sideInfo = p.side ? { side: p.side } : {};
  const body: QueryAggregateDataRequest = { callbackUrl: target.callbackUrl, request };
  const client = new MetricsClient({
    baseUrl: p.baseUrl,
    apiKey: p.apiKey,
    authScheme: opts.authScheme ?? 'App',
    requestTimeoutMs: opts.requestTimeoutMs ?? 30_000,
    signal: life.signal,
    ...(opts.retry ?? {}),
    onRetry: (r) => opts.onProgress?.('waiting', { retry: { waitMs: r.waitMs, reason: r.reason }, ...sideInfo }),
  });
  const started = Date.now();
  const timeoutMs = opts.timeoutMs ?? 300_000;
  // The whole run is bounded: the deadline also stops a client waiting on retries.
  const deadlineTimer = setTimeout(() => life.abort(new RunError('timeout', '')), timeoutMs);
  try {
    let requestId: string;
    try {
      requestId = await client.submit(body);
    } catch (e) {
      throw timeoutOr(e, life, `The Metrics API did not accept the query within ${duration(timeoutMs)}.`);
    }
    const submittedAt = new Date();
    await opts.onSubmitted?.(requestId, target.callbackUrl, p.side ?? 'current');
    opts.onProgress?.('submitted', { requestId, callbackUrl: target.callbackUrl, ...sideInfo });
    const pollMs = opts.pollIntervalMs ?? (source === 'sample' ? 100 : 2000);
    const result = await waitForResult({
      requestId,
      client,
      callbackUrl: target.callbackUrl,
      ...(target.slot ? { slot: target.slot } : {}),
      ...(target.relay ? { relay: target.relay } : {}),
      life,
      deadline: started + timeoutMs,
      timeoutMs,
      pollMs,
      maxPollMs: opts.maxPollIntervalMs ?? Math.max(pollMs, Math.min(pollMs * 5, 10_000)),
      graceMs: opts.callbackGraceMs ?? (source === 'sample' ? 5000 : 30_000),
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    });
    return outcomeOf(result, { requestId, source, body, started, submittedAt }, opts);
  } finally {
    clearTimeout(deadlineTimer);
  }
}

function outcomeOf(
  result: WaitResult,
  run: { requestId: string; source: 'live' | 'sample'; body: QueryAggregateDataRequest; started: number; submittedAt: Date },
  opts: RunOptions,
): RunOutcome {
  const { requestId } = run;
  const receivedAt = new Date();
  opts.onProgress?.('received', { requestId, status: result.status });
  const outcome: RunOutcome = {
    requestId,
    status: result.status,
    source: run.source,
    timings: { submittedAt: run.submittedAt.toISOString(), receivedAt: receivedAt.toISOString(), elapsedMs: receivedAt.getTime() - run.started },
    request: run.body,
  };
  if (result.response) outcome.response = result.response;
  if (result.failureMessage !== undefined) outcome.failureMessage = result.failureMessage;
  else if (result.status === 'FAILED') outcome.failureMessage = 'The API reported the request as FAILED without a reason.';
  opts.onProgress?.('done', { requestId, status: result.status });
  return outcome;
}

export type { QueryAggregateDataResult };
