// The stand-in: a local HTTP server that behaves like Infobip's Metrics API (two endpoints plus one
// callback POST per request), answering from the synthetic dataset in dataset.ts. It is the embedded
// default for `mq run` without credentials, the `mq stand-in` command, and the test double for the engine.
// It writes nothing to the console; callers observe it through the returned handle.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import {
  METRICS_API_PATHS,
  stringifyJson,
  type ApiErrorBody,
  type AggregateDataRequest,
  type AggregateDataResponse,
  type QueryAggregateDataResult,
  type RequestInfo,
} from '../../core/compile/wire.js';
import { parseJsonLossless } from '../json.js';
import { validateSubmitBody } from './schema.js';
import { computeResult, schemaExtras } from './dataset.js';

/** A scripted answer that replaces the normal one for the next matching request(s). */
export interface StandInFault {
  route: 'submit' | 'status' | 'any';
  /** HTTP status to answer with. */
  status: number;
  /** Value of the Retry-After header. */
  retryAfter?: string;
  /** Raw body; default: the documented ApiError body for the status. */
  body?: string;
  /** How many requests the fault applies to (default 1). */
  times?: number;
}

export type CallbackMode = 'once' | 'none' | 'malformed' | 'duplicate' | 'wrongPath';

export interface StandInOptions {
  /** Listen address, default 127.0.0.1. */
  host?: string;
  /** Port, default 0 (a free port). */
  port?: number;
  /** When set, only this key (App/Bearer/IBSSO credential, or the Basic password) is accepted. */
  apiKey?: string;
  /** Keys that authenticate but lack the metrics:manage scope (answered with 403). */
  scopelessKeys?: string[];
  /** Processing time of a job before it finishes and the callback is sent (default 100 ms). */
  latencyMs?: number;
  /** Fraction 0..1 of jobs that end FAILED (default 0). */
  failRate?: number;
  /** Requests per second before answering 429 (default: unlimited). */
  throttleRps?: number;
  /** Extra delay before every HTTP answer (a slow API). */
  responseDelayMs?: number;
  /** How the callback is delivered (tests use the faulty modes). Default 'once'. */
  callbackMode?: CallbackMode;
  /** Forward-compatibility probe: the status answer also carries the result once finished. */
  statusCarriesResult?: boolean;
  /** Clock for the dataset window and requestedPeriod (default: the real clock). */
  now?: () => Date;
  /** Dataset seed (default 1). */
  seed?: number;
  /** Random source for failRate (default Math.random). */
  random?: () => number;
  /** Largest accepted request body (default 1 MiB). */
  maxBodyBytes?: number;
  /** Timeout of the outbound callback POST (default 10 s). */
  callbackTimeoutMs?: number;
  /**
   * Scripted answers (tests): when it returns a response or a failure message for a request, that is the
   * job's result instead of the dataset's; undefined falls back to the dataset.
   */
  script?: (request: AggregateDataRequest) => { response: AggregateDataResponse } | { failureMessage: string } | undefined;
}

export interface CallbackAttempt {
  requestId: string;
  url: string;
  status?: number;
  error?: string;
}

interface Job {
  requestId: string;
  callbackUrl: string;
  request: AggregateDataRequest;
  status: 'IN_PROGRESS' | 'SUCCESS' | 'FAILED';
  result?: QueryAggregateDataResult;
}

export interface StandIn {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly port: number;
  /** Scripted faults, consumed in order (tests push to it). */
  readonly faults: StandInFault[];
  /** Options can be changed while running (tests). */
  readonly options: StandInOptions;
  /** Every callback POST attempted, in order. */
  readonly callbacks: CallbackAttempt[];
  /** Number of HTTP requests served per route. */
  readonly hits: { submit: number; status: number; other: number };
  close(): Promise<void>;
}

// Bodies copied from the OpenAPI document's components.responses and path examples (facts of the wire format).
export const API_ERRORS: Record<number, ApiErrorBody> = {
  400: {
    errorCode: 'E400',
    description: 'Request cannot be processed.',
    action: 'Check the syntax, violations and adjust the request.',
    violations: [],
    resources: [],
  },
  401: {
    errorCode: 'E401',
    description: 'The request lacks valid authentication credentials for the requested resource.',
    action: 'Check the resources and adjust authentication credentials.',
    violations: [],
    resources: [{ name: 'API Authentication', url: 'https://www.infobip.com/docs/essentials/api-authentication' }],
  },
  403: {
    errorCode: 'E403',
    description: 'Insufficient permissions to access the requested resource.',
    action: 'Repeat the request with new or different credentials.',
    violations: [],
    resources: [{ name: 'API Scopes', url: 'https://www.infobip.com/docs/essentials/api-essentials/api-authorization#api-scopes' }],
  },
  404: {
    errorCode: 'E404',
    description: "Not found - request URL doesn't exist on the API server or resource is not found.",
    action: 'Check the resources and adjust your request.',
    violations: [],
    resources: [],
  },
  429: {
    errorCode: 'E429',
    description: 'Too many requests sent.',
    action: 'Check request rate limit specified in the API endpoint documentation resource.',
    violations: [],
    resources: [{ name: 'Throttling handling errors', url: 'https://www.infobip.com/docs/essentials/integration-best-practices#throttling-handling-errors' }],
  },
  500: { errorCode: 'E500', description: 'Something went wrong.', action: 'Contact the support.', violations: [], resources: [] },
};

function apiError(status: number, violations: ApiErrorBody['violations'] = []): ApiErrorBody {
  const base = API_ERRORS[status] ?? {
    errorCode: `E${status}`,
    description: 'The request could not be served.',
    action: 'Check the request.',
    violations: [],
    resources: [],
  };
  return { ...base, violations, resources: base.resources.map((r) => ({ ...r })) };
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Extracts the credential the stand-in compares with its key; undefined when the header is unusable. */
function credentialOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^(App|Bearer|IBSSO|Basic)\s+(\S.*)$/i.exec(header.trim());
  if (!m) return undefined;
  const scheme = m[1]!.toLowerCase();
  const value = m[2]!.trim();
  if (scheme !== 'basic') return value;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return decoded.slice(colon + 1);
}

function readBody(req: IncomingMessage, limit: number): Promise<{ ok: true; text: string } | { ok: false }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) over = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(over ? { ok: false } : { ok: true, text: Buffer.concat(chunks).toString('utf8') }));
    req.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Everything a running stand-in keeps; `opts` is the caller's object, read afresh on every use (tests change it). */
interface State {
  opts: StandInOptions;
  jobs: Map<string, Job>;
  faults: StandInFault[];
  callbacks: CallbackAttempt[];
  hits: { submit: number; status: number; other: number };
  timers: Set<NodeJS.Timeout>;
  pendingCallbacks: Set<Promise<void>>;
  /** Token bucket of the throttle (throttleRps tokens per second). */
  bucket: { tokens: number; at: number };
}

type Route = keyof State['hits'];

async function send(st: State, res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): Promise<void> {
  if (st.opts.responseDelayMs) await sleep(st.opts.responseDelayMs);
  if (res.destroyed) return;
  const text = typeof body === 'string' ? body : stringifyJson(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

/** True when the request exceeds throttleRps (takes a token otherwise). */
function throttled(st: State): boolean {
  const rps = st.opts.throttleRps;
  if (!rps || rps <= 0) return false;
  const { bucket } = st;
  const t = Date.now();
  bucket.tokens = Math.min(rps, bucket.tokens + ((t - bucket.at) / 1000) * rps);
  bucket.at = t;
  if (bucket.tokens < 1) return true;
  bucket.tokens -= 1;
  return false;
}

/** POSTs the result to the job's callback URL the way callbackMode says, recording every attempt. */
async function deliver(st: State, job: Job, result: QueryAggregateDataResult): Promise<void> {
  const { opts } = st;
  const mode = opts.callbackMode ?? 'once';
  if (mode === 'none') return;
  const url = mode === 'wrongPath' ? job.callbackUrl.replace(/\/?$/, '-elsewhere') : job.callbackUrl;
  const text = mode === 'malformed' ? stringifyJson(result).slice(0, 25) : stringifyJson(result);
  const times = mode === 'duplicate' ? 2 : 1;
  for (let i = 0; i < times; i++) {
    const attempt: CallbackAttempt = { requestId: job.requestId, url };
    st.callbacks.push(attempt);
    try {
      const r = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: text,
        signal: AbortSignal.timeout(opts.callbackTimeoutMs ?? 10_000),
      });
      attempt.status = r.status;
      await r.arrayBuffer().catch(() => undefined);
    } catch (e) {
      attempt.error = e instanceof Error ? e.message : String(e);
    }
  }
}

/** The job's outcome: FAILED for the failRate share (or when computing throws), else the computed response. */
function jobResult(opts: StandInOptions, job: Job): QueryAggregateDataResult {
  const fail = (opts.failRate ?? 0) > 0 && (opts.random ?? Math.random)() < (opts.failRate ?? 0);
  if (fail) return { requestId: job.requestId, status: 'FAILED', failureMessage: 'Could not load data' };
  const scripted = opts.script?.(job.request);
  if (scripted) {
    return 'response' in scripted
      ? { requestId: job.requestId, status: 'SUCCESS', response: scripted.response }
      : { requestId: job.requestId, status: 'FAILED', failureMessage: scripted.failureMessage };
  }
  try {
    const now = opts.now ? opts.now() : new Date();
    return { requestId: job.requestId, status: 'SUCCESS', response: computeResult(job.request, now, opts.seed ?? 1) };
  } catch (e) {
    return { requestId: job.requestId, status: 'FAILED', failureMessage: `Could not load data (${e instanceof Error ? e.message : String(e)})` };
  }
}

function finish(st: State, job: Job): void {
  const result = jobResult(st.opts, job);
  job.status = result.status;
  job.result = result;
  const p = deliver(st, job, result).finally(() => st.pendingCallbacks.delete(p));
  st.pendingCallbacks.add(p);
}

/** Takes one use of the first scripted fault for this route, if any. */
function takeFault(st: State, route: Route): StandInFault | undefined {
  const fi = st.faults.findIndex((f) => f.route === 'any' || f.route === route);
  if (fi < 0 || route === 'other') return undefined;
  const f = st.faults[fi]!;
  f.times = (f.times ?? 1) - 1;
  if (f.times <= 0) st.faults.splice(fi, 1);
  return f;
}

/** 401 without a usable credential (or with the wrong key), 403 for a key without the scope, else undefined. */
function authFailure(opts: StandInOptions, req: IncomingMessage): 401 | 403 | undefined {
  const credential = credentialOf(req.headers.authorization);
  const scopeless = opts.scopelessKeys ?? [];
  if (credential === undefined || (opts.apiKey !== undefined && !safeEqual(credential, opts.apiKey) && !scopeless.includes(credential))) return 401;
  if (scopeless.includes(credential)) return 403;
  return undefined;
}

/** Schedules a job that finishes after latencyMs; the oldest jobs are forgotten beyond 10 000. */
function startJob(st: State, p: { callbackUrl: string; request: AggregateDataRequest }): string {
  const requestId = randomBytes(16).toString('hex').toUpperCase();
  const job: Job = { requestId, callbackUrl: p.callbackUrl, request: p.request, status: 'IN_PROGRESS' };
  st.jobs.set(requestId, job);
  if (st.jobs.size > 10_000) st.jobs.delete(st.jobs.keys().next().value as string);
  const t = setTimeout(() => {
    st.timers.delete(t);
    finish(st, job);
  }, Math.max(0, st.opts.latencyMs ?? 100));
  st.timers.add(t);
  return requestId;
}

/** POST /metrics/1/query-aggregate-data: validate the body, start a job, answer 201 with its id. */
async function handleSubmit(st: State, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'POST') {
    req.resume();
    return send(st, res, 405, apiError(405), { Allow: 'POST' });
  }
  const body = await readBody(req, st.opts.maxBodyBytes ?? 1024 * 1024);
  if (!body.ok) return send(st, res, 413, apiError(413));
  let parsed: unknown;
  try {
    parsed = parseJsonLossless(body.text);
  } catch (e) {
    return send(st, res, 400, apiError(400, [{ property: 'body', violation: `malformed JSON: ${e instanceof Error ? e.message : String(e)}` }]));
  }
  const violations = validateSubmitBody(parsed, schemaExtras());
  if (violations.length) return send(st, res, 400, apiError(400, violations));
  const requestId = startJob(st, parsed as { callbackUrl: string; request: AggregateDataRequest });
  return send(st, res, 201, { requestId });
}

/** GET /metrics/1/requests/{id}: the job's status (and, with statusCarriesResult, its response). */
function handleStatus(st: State, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  req.resume();
  if (req.method !== 'GET') return send(st, res, 405, apiError(405), { Allow: 'GET' });
  let id: string;
  try {
    id = decodeURIComponent(path.slice('/metrics/1/requests/'.length));
  } catch {
    return send(st, res, 400, apiError(400, [{ property: 'requestId', violation: 'the request id in the path has a malformed % escape' }]));
  }
  const job = st.jobs.get(id);
  if (!job) return send(st, res, 404, apiError(404, [{ property: 'requestId', violation: `Request with id "${id}" not found` }]));
  const info: RequestInfo & { response?: unknown } = { requestId: job.requestId, status: job.status };
  if (job.result?.failureMessage) info.failureMessage = job.result.failureMessage;
  if (st.opts.statusCarriesResult && job.result?.response) info.response = job.result.response;
  return send(st, res, 200, info);
}

/** Every request: count it, then throttle, scripted faults, authentication, and the route's handler. */
async function handle(st: State, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://stand-in');
  const path = url.pathname;
  const route: Route = path === METRICS_API_PATHS.query ? 'submit' : path.startsWith('/metrics/1/requests/') ? 'status' : 'other';
  st.hits[route]++;

  if (throttled(st)) return send(st, res, 429, apiError(429), { 'Retry-After': '1' });
  const f = takeFault(st, route);
  if (f) {
    req.resume();
    return send(st, res, f.status, f.body ?? apiError(f.status), f.retryAfter !== undefined ? { 'Retry-After': f.retryAfter } : {});
  }
  const denied = authFailure(st.opts, req);
  if (denied) {
    req.resume();
    return send(st, res, denied, apiError(denied));
  }
  if (route === 'submit') return handleSubmit(st, req, res);
  if (route === 'status') return handleStatus(st, req, res, path);
  req.resume();
  return send(st, res, 404, apiError(404));
}

/** The base URL for an address (a wildcard listen address is reached through loopback). */
function baseUrl(addr: AddressInfo): string {
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return `http://${host === '0.0.0.0' ? '127.0.0.1' : host === '[::]' ? '[::1]' : host}:${addr.port}`;
}

export async function startStandIn(options: StandInOptions = {}): Promise<StandIn> {
  const opts = options;
  const st: State = {
    opts,
    jobs: new Map(),
    faults: [],
    callbacks: [],
    hits: { submit: 0, status: 0, other: 0 },
    timers: new Set(),
    pendingCallbacks: new Set(),
    bucket: { tokens: opts.throttleRps ?? 0, at: Date.now() },
  };
  const server = createServer((req, res) => {
    handle(st, req, res).catch(() => {
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(apiError(500)));
      } else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  st.bucket = { tokens: opts.throttleRps ?? 0, at: Date.now() };

  return {
    url: baseUrl(addr),
    port: addr.port,
    faults: st.faults,
    options: opts,
    callbacks: st.callbacks,
    hits: st.hits,
    close: async () => {
      for (const t of st.timers) clearTimeout(t);
      st.timers.clear();
      await Promise.allSettled([...st.pendingCallbacks]);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      });
    },
  };
}
