// HTTP client for the Metrics API's two endpoints. It retries what is safe to retry (429 honouring
// Retry-After, a bounded number of 5xx and connection failures), turns every other answer into a
// RunError with an actionable message, and never lets the API key reach a message.
import {
  METRICS_API_PATHS,
  stringifyJson,
  type AggregateDataResponse,
  type QueryAggregateDataRequest,
  type RequestInfo,
} from '../core/compile/wire.js';
import { RunError, redact, type RunErrorKind } from './errors.js';
import { isPlainObject, parseJsonLossless } from './json.js';

export type AuthScheme = 'App' | 'Basic' | 'Bearer' | 'IBSSO';

export interface ClientOptions {
  baseUrl: string;
  /** The credential: an API key (App), "user:password" (Basic), or a token (Bearer, IBSSO). */
  apiKey: string;
  authScheme?: AuthScheme;
  /** Timeout of one HTTP request (default 30 s). */
  requestTimeoutMs?: number;
  /** Retries after a 5xx or a connection failure (default 3). */
  maxServerRetries?: number;
  /** Retries after a 429 (default 5). */
  maxThrottleRetries?: number;
  /** First backoff delay; doubles each retry (default 500 ms). */
  retryBaseMs?: number;
  /** Longest single wait, whatever Retry-After says (default 30 s). */
  maxRetryWaitMs?: number;
  signal?: AbortSignal;
  /** Called before each retry (for progress output). */
  onRetry?: (info: { attempt: number; waitMs: number; reason: string }) => void;
}

/** A status answer; `result` is set if the API ever includes the data itself (forward compatible). */
export interface StatusAnswer extends RequestInfo {
  response?: AggregateDataResponse;
}

export function authorizationHeader(scheme: AuthScheme, credential: string): string {
  if (scheme === 'Basic') {
    // "user:password" is encoded; anything else is taken as already encoded.
    return `Basic ${credential.includes(':') ? Buffer.from(credential, 'utf8').toString('base64') : credential}`;
  }
  return `${scheme} ${credential}`;
}

interface ParsedError {
  errorCode?: string;
  text?: string;
  violations: { property: string; violation: string }[];
}

/** Reads an ApiError body or the older requestError.serviceException envelope. */
export function parseErrorBody(body: unknown): ParsedError {
  const out: ParsedError = { violations: [] };
  if (!isPlainObject(body)) return out;
  if (typeof body.errorCode === 'string' || typeof body.description === 'string') {
    if (typeof body.errorCode === 'string') out.errorCode = body.errorCode;
    const parts = [body.description, body.action].filter((x): x is string => typeof x === 'string' && x.length > 0);
    if (parts.length) out.text = parts.join(' ');
    if (Array.isArray(body.violations)) {
      for (const v of body.violations) {
        if (isPlainObject(v)) out.violations.push({ property: String(v.property ?? ''), violation: String(v.violation ?? '') });
      }
    }
    return out;
  }
  const re = isPlainObject(body.requestError) ? body.requestError : undefined;
  const se = re && isPlainObject(re.serviceException) ? re.serviceException : undefined;
  if (se) {
    if (typeof se.messageId === 'string') out.errorCode = se.messageId;
    if (typeof se.text === 'string') out.text = se.text;
    if (isPlainObject(se.validationErrors)) {
      for (const [property, msgs] of Object.entries(se.validationErrors)) {
        for (const m of Array.isArray(msgs) ? msgs : [msgs]) out.violations.push({ property, violation: String(m) });
      }
    }
  }
  return out;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** What parseAnswer returns for a body that is not JSON. */
const NOT_JSON: unique symbol = Symbol('not JSON');

/** A body parsed losslessly; undefined when empty, NOT_JSON when it is not JSON. */
function parseAnswer(text: string): unknown {
  if (!text) return undefined;
  try {
    return parseJsonLossless(text);
  } catch {
    return NOT_JSON;
  }
}

/** Seconds or an HTTP date → milliseconds to wait; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

export class MetricsClient {
  private readonly base: string;
  private readonly scheme: AuthScheme;
  constructor(private readonly opts: ClientOptions) {
    this.base = opts.baseUrl.replace(/\/+$/, '');
    this.scheme = opts.authScheme ?? 'App';
    if (!/^https?:\/\//i.test(this.base)) {
      throw new RunError('invalidRequest', `The base URL "${this.base}" must start with https:// (for example https://xxxxx.api.infobip.com).`, {}, 'checkBaseUrl');
    }
  }

  private secrets(): string[] {
    return [this.opts.apiKey, authorizationHeader(this.scheme, this.opts.apiKey).split(' ')[1]!];
  }

  private clean(text: string): string {
    return redact(text, this.secrets());
  }

  /** POST /metrics/1/query-aggregate-data → requestId. */
  async submit(body: QueryAggregateDataRequest): Promise<string> {
    const res = await this.call('POST', METRICS_API_PATHS.query, stringifyJson(body), 'submit');
    if (!isPlainObject(res) || typeof res.requestId !== 'string' || !res.requestId) {
      throw new RunError('server', 'The Metrics API accepted the query but its answer has no requestId; try again, and check the base URL points at the Metrics API.');
    }
    return res.requestId;
  }

  /** GET /metrics/1/requests/{id}. */
  async status(requestId: string): Promise<StatusAnswer> {
    const res = await this.call('GET', METRICS_API_PATHS.status(requestId), undefined, 'status', requestId);
    if (!isPlainObject(res) || typeof res.status !== 'string') {
      throw new RunError('server', `The status answer for request ${requestId} is not in the documented shape.`, { requestId });
    }
    const answer: StatusAnswer = { requestId: typeof res.requestId === 'string' ? res.requestId : requestId, status: res.status as RequestInfo['status'] };
    if (typeof res.failureMessage === 'string') answer.failureMessage = res.failureMessage;
    // Forward compatible: a status answer that carries the data.
    const carried = isPlainObject(res.response) ? res.response : isPlainObject(res.result) && isPlainObject(res.result.response) ? res.result.response : undefined;
    if (carried && Array.isArray(carried.rows) && Array.isArray(carried.columns)) answer.response = carried as unknown as AggregateDataResponse;
    return answer;
  }

  private async call(method: 'GET' | 'POST', path: string, body: string | undefined, op: 'submit' | 'status', requestId?: string): Promise<unknown> {
    const { signal } = this.opts;
    const maxServer = this.opts.maxServerRetries ?? 3;
    const maxThrottle = this.opts.maxThrottleRetries ?? 5;
    const baseDelay = this.opts.retryBaseMs ?? 500;
    const maxWait = this.opts.maxRetryWaitMs ?? 30_000;
    let serverTries = 0;
    let throttleTries = 0;
    /** One more try after a 5xx or a failed connection: exponential backoff unless the server named a delay. */
    const serverRetry = async (attempt: number, reason: string, hintedMs?: number): Promise<void> => {
      serverTries++;
      const wait = Math.min(maxWait, hintedMs ?? baseDelay * 2 ** (serverTries - 1));
      this.opts.onRetry?.({ attempt, waitMs: wait, reason });
      await this.wait(wait);
    };
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw new RunError('cancelled', 'The run was cancelled.');
      const timeout = AbortSignal.timeout(this.opts.requestTimeoutMs ?? 30_000);
      const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
      let response: Response;
      try {
        response = await this.send(method, path, body, combined);
      } catch (e) {
        if (signal?.aborted) throw new RunError('cancelled', 'The run was cancelled.');
        const timedOut = timeout.aborted;
        const reason = timedOut
          ? `no answer within ${duration(this.opts.requestTimeoutMs ?? 30_000)}`
          : describeNetworkError(e);
        // A POST that timed out may have been accepted: do not send it twice.
        if (serverTries < maxServer && (method === 'GET' || !timedOut)) {
          await serverRetry(attempt, reason);
          continue;
        }
        throw new RunError(timedOut ? 'timeout' : 'network', this.clean(`Could not reach the Metrics API at ${this.base} (${reason}). Check the base URL (your account's own https://xxxxx.api.infobip.com), your network and any proxy.`), requestId ? { requestId } : {});
      }
      const status = response.status;
      let text: string;
      try {
        text = await response.text();
      } catch (e) {
        if (signal?.aborted) throw new RunError('cancelled', 'The run was cancelled.');
        // The headers came but the body did not (the same timeout covers both). For an error status the
        // status says enough (5xx and 429 are retried below as usual); for a success the body was the answer.
        if (status >= 200 && status < 300) {
          const timedOut = timeout.aborted;
          const reason = timedOut
            ? `the rest of the answer did not arrive within ${duration(this.opts.requestTimeoutMs ?? 30_000)}`
            : `the connection closed before the answer was complete (${describeNetworkError(e)})`;
          // The server has seen this request; a POST is not sent twice.
          if (method === 'GET' && serverTries < maxServer) {
            await serverRetry(attempt, reason);
            continue;
          }
          throw new RunError(
            timedOut ? 'timeout' : 'network',
            this.clean(`The Metrics API at ${this.base} started to answer (HTTP ${status}), but ${reason}. Check your network and any proxy, then run again.`),
            { status, ...(requestId ? { requestId } : {}) },
          );
        }
        text = '';
      }
      const parsed = parseAnswer(text);
      if (status >= 200 && status < 300) return this.successBody(status, parsed, text, response.headers.get('content-type'));
      const err = parseErrorBody(parsed === NOT_JSON ? undefined : parsed);
      const apiSays = err.text || err.errorCode ? ` (API says: ${[err.errorCode, err.text].filter(Boolean).join(' ')})` : '';
      if (status === 429 && throttleTries < maxThrottle) {
        throttleTries++;
        const hinted = parseRetryAfter(response.headers.get('retry-after'));
        const wait = Math.min(maxWait, hinted ?? baseDelay * 2 ** (throttleTries - 1));
        this.opts.onRetry?.({ attempt, waitMs: wait, reason: 'HTTP 429 too many requests' });
        await this.wait(wait);
        continue;
      }
      if (status >= 500 && serverTries < maxServer) {
        await serverRetry(attempt, `HTTP ${status}`, parseRetryAfter(response.headers.get('retry-after')));
        continue;
      }
      throw this.answerError(status, err, apiSays, op, throttleTries, serverTries, requestId);
    }
  }

  private send(method: 'GET' | 'POST', path: string, body: string | undefined, signal: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = { Authorization: authorizationHeader(this.scheme, this.opts.apiKey), Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    return fetch(this.base + path, { method, headers, body, signal, redirect: 'follow' });
  }

  /** A 2xx answer must be JSON: its parsed body, or an error that says what came instead. */
  private successBody(status: number, parsed: unknown, text: string, contentType: string | null): unknown {
    if (parsed !== undefined && parsed !== NOT_JSON) return parsed;
    const what = parsed === NOT_JSON ? `a body that is not valid JSON (${describeBody(text, contentType)})` : 'an empty body';
    throw new RunError('server', this.clean(`The Metrics API answered HTTP ${status} with ${what}, where a JSON object was expected. Check that the base URL ${this.base} is the Metrics API (your account's https://xxxxx.api.infobip.com) and not a proxy or web page.`), { status }, 'checkBaseUrl');
  }

  /** The error for a final non-2xx answer: what happened, in words, with its kind. */
  private answerError(status: number, err: ParsedError, apiSays: string, op: 'submit' | 'status', throttleTries: number, serverTries: number, requestId?: string): RunError {
    const details = { status, ...(err.errorCode ? { errorCode: err.errorCode } : {}), ...(requestId ? { requestId } : {}), violations: err.violations };
    let kind: RunErrorKind;
    let message: string;
    if (status === 400) {
      kind = 'invalidRequest';
      const list = err.violations.map((v) => `  - ${v.property}: ${v.violation}`).join('\n');
      message = `The Metrics API rejected the query (HTTP 400)${apiSays}.${list ? `\n${list}` : ''}`;
    } else if (status === 401) {
      kind = 'auth';
      message = `The Metrics API did not accept the credentials (HTTP 401)${apiSays}. Check the API key, that it has not been revoked, and that the auth scheme (${this.scheme}) is right.`;
    } else if (status === 403) {
      kind = 'scope';
      message = `The API key is valid but may not use the Metrics API (HTTP 403)${apiSays}. Give the key the metrics:manage scope in the Infobip portal, or use a key that has it.`;
    } else if (status === 404) {
      kind = 'notFound';
      message =
        op === 'status'
          ? `The Metrics API does not know request ${requestId} (HTTP 404)${apiSays}. The id may be mistyped, expired, or belong to another account.`
          : `The Metrics API endpoint was not found at ${this.base} (HTTP 404)${apiSays}. Check the base URL: it should be your account's https://xxxxx.api.infobip.com without a path.`;
    } else if (status === 429) {
      kind = 'throttled';
      message = `The Metrics API is throttling requests (HTTP 429) and still did after ${throttleTries} retries${apiSays}. Wait a minute and run again; the documented limit is 60 requests per second.`;
    } else if (status >= 500) {
      kind = 'server';
      message = `The Metrics API failed with HTTP ${status} after ${serverTries} retries${apiSays}. This is on the API's side; try again later, and contact Infobip support if it persists.`;
    } else {
      kind = 'server';
      message = `The Metrics API answered HTTP ${status}${apiSays}.`;
    }
    return new RunError(kind, this.clean(message), details, kind === 'notFound' && op === 'status' ? 'none' : undefined);
  }

  private async wait(ms: number): Promise<void> {
    try {
      await sleep(ms, this.opts.signal);
    } catch {
      throw new RunError('cancelled', 'The run was cancelled.');
    }
  }
}

/** What a failed connection means, in words, with the next step for the common TLS problems. */
export function describeNetworkError(e: unknown): string {
  const cause = e instanceof Error && e.cause && typeof e.cause === 'object' ? (e.cause as { code?: string; message?: string }) : undefined;
  const code = cause?.code ?? (e instanceof Error ? (e as { code?: string }).code : undefined);
  const message = cause?.message ?? (e instanceof Error ? e.message : String(e));
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
      return 'host not found';
    case 'EAI_AGAIN':
      return 'the host name could not be resolved right now (DNS)';
    case 'ECONNRESET':
      return 'the connection was reset';
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'the connection timed out';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'the network or host is unreachable';
    case 'UND_ERR_SOCKET':
      return 'the server closed the connection';
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
      return 'TLS handshake failed: nothing speaks TLS on that port. Use http:// for a plain-HTTP server such as a local stand-in';
    case 'CERT_HAS_EXPIRED':
      return "TLS: the server's certificate has expired";
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return "TLS: the server's certificate is for another host name";
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
      return `TLS: the server's certificate is not trusted (${code}). Behind a proxy that inspects TLS, give Node its CA certificate with NODE_EXTRA_CA_CERTS=/path/to/ca.pem`;
    default:
      break;
  }
  // Unknown: the code and the first line of the message; of an OpenSSL error line
  // ("<hex>:error:<hex>:<library>:<function>:<reason>:<source file>:<line>:") only the reason.
  const line = message.split('\n')[0]!;
  const openssl = /:error:[0-9A-Fa-f]+:[^:]*:[^:]*:([^:]+)/.exec(line);
  const first = (openssl ? openssl[1]! : line).replace(/\s+/g, ' ').trim().slice(0, 200);
  if (code) return /ssl|tls/i.test(code) ? `TLS error ${code}${first ? `: ${first}` : ''}` : `${code}${first ? `: ${first}` : ''}`;
  return first || 'unknown network error';
}

function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}

/** A short, markup-free description of a body that was expected to be JSON. */
function describeBody(text: string, contentType: string | null): string {
  const type = contentType ? contentType.split(';')[0]!.trim().slice(0, 60) : 'no Content-Type';
  const looksHtml = /^\s*</.test(text);
  return `${text.length} characters of ${looksHtml ? 'HTML or XML' : type === 'application/json' ? 'truncated or broken JSON' : type}`;
}
