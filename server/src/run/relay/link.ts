// The client side of the relay: get a callback URL for a run, fetch the stored result by request id,
// acknowledge it once the client has stored it, list what is still waiting. Every answer says what
// actually happened (not reachable, rate-limited, store full, refused token) so the caller can decide
// between retrying and giving up.
import { RunError, redact } from '../errors.js';
import { MIN_RELAY_TOKEN_LENGTH } from './tokens.js';

export type RelayFetch = { kind: 'ready'; bodyText: string } | { kind: 'pending' } | { kind: 'unavailable'; reason: string; retryAfterMs?: number };

const REQUEST_TIMEOUT_MS = 30_000;

export class RelayLink {
  private constructor(
    readonly baseUrl: string,
    readonly callbackUrl: string,
    private readonly token: string,
    private readonly fetchImpl: typeof fetch,
  ) {}

  /** Checks the URL and token, asks the relay for a fresh callback URL (which also proves the token). */
  static async open(baseUrl: string, token: string, opts: { signal?: AbortSignal; fetchImpl?: typeof fetch } = {}): Promise<RelayLink> {
    const base = baseUrl.replace(/\/+$/, '');
    if (!/^https?:\/\/[^/]/i.test(base)) throw new RunError('invalidRequest', `The relay URL "${baseUrl}" must start with https:// (or http:// for a local test).`);
    if (token.length < MIN_RELAY_TOKEN_LENGTH) throw new RunError('invalidRequest', `The relay token must be at least ${MIN_RELAY_TOKEN_LENGTH} characters (the token the relay accepts).`);
    const fetchImpl = opts.fetchImpl ?? fetch;
    const probe = new RelayLink(base, '', token, fetchImpl);
    // A connection kept alive from an earlier request may be closed by the relay just as it is reused
    // (ECONNRESET): the GET is idempotent, so one more try on a fresh connection tells a blip from an outage.
    let res = await probe.request('GET', '/callback-url', opts.signal);
    if ('failure' in res && !opts.signal?.aborted) res = await probe.request('GET', '/callback-url', opts.signal);
    if ('failure' in res) throw new RunError('network', `Could not get a callback URL from the relay at ${base}: ${res.failure}.`);
    const auth = probe.authProblem(res.status);
    if (auth) throw auth;
    const text = await res.response.text().catch(() => '');
    let path: unknown;
    try {
      path = (JSON.parse(text) as { path?: unknown }).path;
    } catch {
      path = undefined;
    }
    if (res.status !== 200 || typeof path !== 'string' || !path.startsWith('/cb/')) {
      throw new RunError('network', `The relay at ${base} did not hand out a callback URL (${describeStatus(res.status)}). Is it an mq relay of this version?`);
    }
    return new RelayLink(base, base + path, token, fetchImpl);
  }

  /** The stored result's exact text, or whether to ask again later. */
  async fetch(requestId: string, signal?: AbortSignal): Promise<RelayFetch> {
    const res = await this.request('GET', `/results/${encodeURIComponent(requestId)}`, signal);
    if ('failure' in res) return { kind: 'unavailable', reason: `the relay at ${this.baseUrl} could not be reached (${res.failure})` };
    const auth = this.authProblem(res.status);
    if (auth) throw auth;
    if (res.status === 200) {
      const bytes = await res.response.arrayBuffer().catch(() => undefined);
      if (bytes) return { kind: 'ready', bodyText: new TextDecoder().decode(bytes) };
      return { kind: 'unavailable', reason: `the connection to the relay broke while reading the result of ${requestId}` };
    }
    await res.response.arrayBuffer().catch(() => undefined);
    if (res.status === 404) return { kind: 'pending' };
    const retryAfterMs = retryAfter(res.response.headers.get('retry-after'));
    return { kind: 'unavailable', reason: `the relay answered ${describeStatus(res.status)}`, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  }

  /** Tells the relay the result is stored on this side, so it may delete it. Idempotent. */
  async ack(requestId: string, signal?: AbortSignal): Promise<void> {
    const res = await this.request('DELETE', `/results/${encodeURIComponent(requestId)}`, signal);
    if ('failure' in res) throw new RunError('network', `Could not acknowledge request ${requestId} at the relay ${this.baseUrl}: ${res.failure}. It stays on the relay until acknowledged or its retention ends.`, { requestId });
    await res.response.arrayBuffer().catch(() => undefined);
    const auth = this.authProblem(res.status);
    if (auth) throw auth;
    if (res.status !== 204 && res.status !== 200 && res.status !== 404) {
      throw new RunError('network', `The relay answered ${describeStatus(res.status)} to acknowledging request ${requestId}; try again later.`, { requestId, status: res.status });
    }
  }

  /** The results this token has waiting on the relay, oldest first. */
  async list(signal?: AbortSignal): Promise<Array<{ requestId: string; receivedAt: string; bytes: number }>> {
    const res = await this.request('GET', '/results', signal);
    if ('failure' in res) throw new RunError('network', `Could not list the results waiting at the relay ${this.baseUrl}: ${res.failure}.`);
    const auth = this.authProblem(res.status);
    if (auth) throw auth;
    const text = await res.response.text().catch(() => '');
    if (res.status !== 200) throw new RunError('network', `The relay answered ${describeStatus(res.status)} when listing waiting results; try again later.`, { status: res.status });
    try {
      const rows = (JSON.parse(text) as { results: unknown }).results;
      if (!Array.isArray(rows)) throw new Error('no list');
      return rows.map((r: { requestId?: unknown; receivedAt?: unknown; bytes?: unknown }) => ({ requestId: String(r.requestId), receivedAt: String(r.receivedAt), bytes: Number(r.bytes) }));
    } catch {
      throw new RunError('network', `The relay at ${this.baseUrl} answered the list of waiting results with something that is not one.`);
    }
  }

  private async request(method: string, path: string, signal?: AbortSignal): Promise<{ status: number; response: Response } | { failure: string }> {
    const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
    try {
      const response = await this.fetchImpl(this.baseUrl + path, {
        method,
        headers: { Authorization: `Bearer ${this.token}`, Accept: 'application/json' },
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      return { status: response.status, response };
    } catch (e) {
      if (signal?.aborted) throw new RunError('cancelled', 'The run was cancelled.');
      if (timeout.aborted) return { failure: `no answer within ${REQUEST_TIMEOUT_MS / 1000} s` };
      const cause = e instanceof Error && e.cause instanceof Error ? e.cause.message : e instanceof Error ? e.message : String(e);
      return { failure: redact(cause, [this.token]) };
    }
  }

  private authProblem(status: number): RunError | undefined {
    if (status !== 401 && status !== 403) return undefined;
    return new RunError('auth', `The relay at ${this.baseUrl} refused the relay token (HTTP ${status}). Use a token the relay accepts (--relay-token / MQ_RELAY_TOKEN, or the connection's stored relay token).`, { status });
  }
}

function describeStatus(status: number): string {
  if (status === 429) return 'HTTP 429: it is rate-limiting this client';
  if (status === 507) return 'HTTP 507: its store is full';
  if (status === 503) return 'HTTP 503: it is busy or cannot use its store right now';
  if (status >= 500) return `HTTP ${status}: a server error`;
  return `HTTP ${status}`;
}

function retryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const s = Number(header);
  if (Number.isFinite(s) && s >= 0) return Math.min(s, 3600) * 1000;
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, Math.min(at - Date.now(), 3_600_000)) : undefined;
}
