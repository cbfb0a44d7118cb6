// Relay mode, for machines that cannot receive the callback. `mq relay` runs on any public host (behind
// HTTPS); Infobip POSTs results to it; mq fetches them by request id with a bearer token. A result is
// stored under the token it was addressed to, so one token can never read another token's results;
// entries expire after a bounded time, bodies and the total store are bounded, and clients are rate-limited.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { QueryAggregateDataResult } from '../core/compile/wire.js';
import { RunError, redact } from './errors.js';
import { parseJsonLossless } from './json.js';
import { checkCallbackBody, readLimitedBody } from './receiver.js';

export interface RelayOptions {
  host?: string;
  port?: number;
  /** Accepted tokens (at least 16 characters each). */
  tokens: string[];
  /** How long an unfetched result is kept (default 15 min). */
  ttlMs?: number;
  /** Largest callback body (default 32 MiB). */
  maxBodyBytes?: number;
  /** Largest total of stored bodies (default 256 MiB). */
  maxStoredBytes?: number;
  /** Requests per second per client address (default 20, bursts up to 3x). */
  ratePerSecond?: number;
}

export interface RelayServer {
  readonly url: string;
  readonly port: number;
  /** Number of results held. */
  size(): number;
  close(): Promise<void>;
}

export const MIN_RELAY_TOKEN_LENGTH = 16;

/** The public id of a token, used in callback paths: a hash prefix, not the token. */
export function relayTokenId(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex').slice(0, 32);
}

interface Stored {
  text: string;
  expires: number;
}

export async function startRelay(opts: RelayOptions): Promise<RelayServer> {
  if (!opts.tokens.length) throw new Error('The relay needs at least one token (--token or MQ_RELAY_TOKEN).');
  for (const t of opts.tokens) {
    if (t.length < MIN_RELAY_TOKEN_LENGTH) throw new Error(`Relay tokens must be at least ${MIN_RELAY_TOKEN_LENGTH} characters long.`);
  }
  const tokenIds = new Map(opts.tokens.map((t) => [relayTokenId(t), t] as const));
  const ttl = opts.ttlMs ?? 15 * 60_000;
  const maxBody = opts.maxBodyBytes ?? 32 * 1024 * 1024;
  const maxStored = opts.maxStoredBytes ?? 256 * 1024 * 1024;
  const rate = opts.ratePerSecond ?? 20;
  const store = new Map<string, Stored>(); // key: tokenId + '/' + requestId
  let storedBytes = 0;
  const buckets = new Map<string, { tokens: number; at: number }>();

  const sweep = () => {
    const now = Date.now();
    for (const [k, v] of store) {
      if (v.expires <= now) {
        store.delete(k);
        storedBytes -= v.text.length;
      }
    }
    for (const [k, b] of buckets) if (now - b.at > 60_000) buckets.delete(k);
  };
  const timer = setInterval(sweep, 30_000);
  timer.unref();

  const limited = (ip: string): boolean => {
    const now = Date.now();
    const b = buckets.get(ip) ?? { tokens: rate * 3, at: now };
    b.tokens = Math.min(rate * 3, b.tokens + ((now - b.at) / 1000) * rate);
    b.at = now;
    buckets.set(ip, b);
    if (b.tokens < 1) return true;
    b.tokens -= 1;
    return false;
  };

  const tokenFrom = (req: IncomingMessage): string | undefined => {
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!m) return undefined;
    const id = relayTokenId(m[1]!);
    const known = tokenIds.get(id);
    if (!known) return undefined;
    const a = Buffer.from(known);
    const b = Buffer.from(m[1]!);
    return a.length === b.length && timingSafeEqual(a, b) ? id : undefined;
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const answer = (status: number, body: string, headers: Record<string, string> = {}) => {
      if (res.headersSent) return;
      res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)), 'Cache-Control': 'no-store', ...headers });
      res.end(body);
    };
    const msg = (status: number, message: string, headers: Record<string, string> = {}) => answer(status, JSON.stringify({ message }), headers);
    if (limited(req.socket.remoteAddress ?? '?')) {
      req.resume();
      return msg(429, 'too many requests', { 'Retry-After': '1' });
    }
    sweep();
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/health' && req.method === 'GET') return msg(200, 'ok');

    const cb = /^\/cb\/([0-9a-f]{32})\/([A-Za-z0-9_-]{16,64})$/.exec(path);
    if (cb) {
      const tokenId = cb[1]!;
      if (!tokenIds.has(tokenId)) {
        req.resume();
        return msg(404, 'not found');
      }
      if (req.method !== 'POST') {
        req.resume();
        return msg(405, 'only POST', { Allow: 'POST' });
      }
      const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== 'application/json') {
        req.resume();
        return msg(415, 'the body must be application/json');
      }
      readLimitedBody(req, maxBody, () => msg(413, 'body too large'), (text) => {
        let body: unknown;
        try {
          body = parseJsonLossless(text);
        } catch {
          return msg(400, 'the body is not valid JSON');
        }
        const problem = checkCallbackBody(body);
        if (problem) return msg(400, problem);
        const key = `${tokenId}/${(body as QueryAggregateDataResult).requestId}`;
        if (store.has(key)) return msg(409, 'a result for this request id was already received');
        if (storedBytes + text.length > maxStored) return msg(507, 'the relay is full; results are kept until fetched or expired');
        store.set(key, { text, expires: Date.now() + ttl });
        storedBytes += text.length;
        return msg(200, 'accepted');
      });
      return;
    }

    const rm = /^\/results\/([A-Za-z0-9_.-]{1,128})$/.exec(path);
    if (rm) {
      req.resume();
      const tokenId = tokenFrom(req);
      if (!tokenId) return msg(401, 'a valid relay token is required (Authorization: Bearer <token>)', { 'WWW-Authenticate': 'Bearer' });
      const key = `${tokenId}/${rm[1]!}`;
      if (req.method === 'GET') {
        const hit = store.get(key);
        if (!hit) return msg(404, 'no result for this request id (yet)');
        return answer(200, hit.text);
      }
      if (req.method === 'DELETE') {
        const hit = store.get(key);
        if (hit) {
          store.delete(key);
          storedBytes -= hit.text.length;
        }
        res.writeHead(204, { 'Cache-Control': 'no-store' });
        return res.end();
      }
      return msg(405, 'GET or DELETE', { Allow: 'GET, DELETE' });
    }
    req.resume();
    return msg(404, 'not found');
  };

  const server = createServer(handle);
  server.requestTimeout = 120_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host === '[::]' ? '[::1]' : host}:${addr.port}`,
    port: addr.port,
    size: () => store.size,
    close: async () => {
      clearInterval(timer);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      });
    },
  };
}

/** The client side: the callback URL to send, and fetching the stored result. */
export class RelayLink {
  readonly callbackUrl: string;
  private readonly base: string;
  constructor(
    relayUrl: string,
    private readonly token: string,
    private readonly requestTimeoutMs = 30_000,
  ) {
    this.base = relayUrl.replace(/\/+$/, '');
    if (!/^https?:\/\//i.test(this.base)) throw new RunError('invalidRequest', `The relay URL "${relayUrl}" must start with https:// (or http:// for a local test).`);
    if (token.length < MIN_RELAY_TOKEN_LENGTH) throw new RunError('invalidRequest', `The relay token must be at least ${MIN_RELAY_TOKEN_LENGTH} characters (the same token the relay was started with).`);
    this.callbackUrl = `${this.base}/cb/${relayTokenId(token)}/${randomBytes(18).toString('base64url')}`;
  }

  /** The result if the relay holds it, undefined if not yet. */
  async fetch(requestId: string, signal?: AbortSignal): Promise<QueryAggregateDataResult | undefined> {
    const timeout = AbortSignal.timeout(this.requestTimeoutMs);
    let res: Response;
    try {
      res = await fetch(`${this.base}/results/${encodeURIComponent(requestId)}`, {
        headers: { Authorization: `Bearer ${this.token}`, Accept: 'application/json' },
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (e) {
      if (signal?.aborted) throw new RunError('cancelled', 'The run was cancelled.');
      throw new RunError('network', redact(`Could not reach the relay at ${this.base} (${e instanceof Error ? e.message : String(e)}). Check --relay and that the relay is running.`, [this.token]));
    }
    const text = await res.text().catch(() => '');
    if (res.status === 404 || res.status === 429) return undefined;
    if (res.status === 401) throw new RunError('auth', 'The relay refused the relay token (HTTP 401). Use the token the relay was started with (--relay-token / MQ_RELAY_TOKEN).');
    if (res.status !== 200) throw new RunError('network', `The relay answered HTTP ${res.status} when fetching request ${requestId}.`);
    try {
      const body = parseJsonLossless(text);
      if (checkCallbackBody(body)) throw new Error('bad shape');
      return body as QueryAggregateDataResult;
    } catch {
      throw new RunError('callbackLost', `The relay returned something that is not a Metrics API result for request ${requestId}.`);
    }
  }

  /** Tells the relay the result was taken (best effort). */
  async ack(requestId: string): Promise<void> {
    try {
      const r = await fetch(`${this.base}/results/${encodeURIComponent(requestId)}`, {
        method: 'DELETE',
        headers: { Authorization: `Bearer ${this.token}` },
        signal: AbortSignal.timeout(this.requestTimeoutMs),
      });
      await r.arrayBuffer().catch(() => undefined);
    } catch {
      // The relay forgets it after its TTL anyway.
    }
  }
}
