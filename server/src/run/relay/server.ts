// The relay server, for machines that cannot receive the Metrics API's callback. The API POSTs each result
// once to /cb/<token id>/<secret>; the relay answers 2xx only after the bytes are committed to its store,
// and keeps them until the token's client fetched (GET /results/<id>) and acknowledged (DELETE) them.
//
// Who may do what: callbacks need a path secret made by this relay for that token (GET /callback-url);
// everything under /results needs Authorization: Bearer <token>. Limits never mix callers: clients are
// rate-limited per token (and failed logins per address), callbacks only by their token's concurrency and
// store quota, /healthz not at all.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import { unwatchFile, watchFile } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { JsonScanner } from './jsonscan.js';
import { CallbackCommitter, type ThreadLost } from './groupcommit.js';
import { RateLimiter } from './limits.js';
import { RelayStore, type StoreFault } from './store.js';
import { hashToken, MIN_RELAY_TOKEN_LENGTH, readTokensFile, TokenSet, type TokenEntry } from './tokens.js';
import { StoreThread } from './writer.js';

export interface RelayOptions {
  host?: string;
  port?: number;
  /** The SQLite file (created if missing); ':memory:' for a store that dies with the process. */
  store: string;
  /** Accepted tokens given directly (at least 16 characters each). */
  tokens?: string[];
  /** A tokens file (NAME SHA256HEX per line), re-read when it changes and on reloadTokens(). */
  tokensFile?: string;
  /** How long an unacknowledged result is kept (default 7 days). */
  retentionMs?: number;
  /** Largest callback body (default 32 MiB). */
  maxBodyBytes?: number;
  /** Largest total of stored bodies (default 1 GiB). */
  maxStoredBytes?: number;
  /** Largest total of stored bodies per token (default a quarter of maxStoredBytes). */
  maxTokenBytes?: number;
  /** Most stored results per token (default 10,000). */
  maxTokenResults?: number;
  /** Callback uploads in progress per token (default 8); more get 503 with Retry-After. */
  maxUploadsPerToken?: number;
  /** Client requests per second per token (default 20, bursts of 3x). */
  ratePerSecond?: number;
  /** Read the client address for failed-login limits from X-Forwarded-For (behind your own proxy only). */
  trustProxy?: boolean;
  /** How long close() waits for callbacks in flight (default 10 s). */
  shutdownGraceMs?: number;
  /** One JSON-able object per event; never contains a token or a body. */
  log?: (event: Record<string, unknown>) => void;
  /** Test seam: a failure injected inside the store's transactions. */
  storeFault?: StoreFault;
  /** Write the store from worker threads (default: yes, unless the store is ':memory:'). */
  storeThreads?: boolean;
  /** Test seam: the store's threads once they run (a test ends one to check the fallback). */
  onStoreThreads?: (threads: { writer: StoreThread; checkpointer: StoreThread }) => void;
}

export interface RelayServer {
  readonly url: string;
  readonly port: number;
  /** Number of results held. */
  size(): number;
  /** Requests being handled right now (callbacks still uploading included). */
  inFlight(): number;
  /** Re-reads the tokens file (also done automatically when it changes). */
  reloadTokens(): void;
  /** A public id of a token this relay accepts (as it appears in callback URLs). */
  tokenId(token: string): string | undefined;
  /** Stops accepting, lets callbacks in flight finish (bounded), closes the store. */
  close(): Promise<void>;
}

export { MIN_RELAY_TOKEN_LENGTH };

type Answer = (status: number, body: string | Uint8Array, headers?: Record<string, string>) => void;
type Refuse = (status: number, message: string, headers?: Record<string, string>) => void;

class Relay {
  readonly clients: RateLimiter;
  readonly failedLogins = new RateLimiter(5, 20);
  readonly uploads = new Map<string, number>();
  commits!: CallbackCommitter;
  inflight = 0;
  onIdle: (() => void) | undefined;

  constructor(
    readonly opts: RelayOptions,
    readonly store: RelayStore,
    readonly tokens: TokenSet,
    readonly maxBody: number,
  ) {
    this.clients = new RateLimiter(opts.ratePerSecond ?? 20);
  }

  log(event: string, fields: Record<string, unknown> = {}): void {
    this.opts.log?.({ time: new Date().toISOString(), event, ...fields });
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    this.inflight++;
    res.once('close', () => {
      if (--this.inflight === 0) this.onIdle?.();
    });
    const answer: Answer = (status, body, headers = {}) => {
      if (res.headersSent || res.destroyed) return;
      const bytes = typeof body === 'string' ? Buffer.from(body) : body;
      res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(bytes.length), 'Cache-Control': 'no-store', ...headers });
      res.end(bytes);
    };
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/healthz' || path === '/health') {
      req.resume();
      const { results, bytes } = this.store.stats();
      return answer(200, JSON.stringify({ status: 'ok', results, bytes }));
    }
    const cb = /\/cb\/([0-9a-f]{32})\/([A-Za-z0-9_-]{44})$/.exec(path);
    if (cb) return this.callback(req, answer, cb[1]!, cb[2]!);
    if (path === '/results' || path === '/callback-url' || path.startsWith('/results/')) return this.client(req, answer, path);
    req.resume();
    return msg(answer, 404, 'not found');
  }

  /** A callback from the API: checked, streamed with a size bound and a syntax check, stored, answered. */
  private callback(req: IncomingMessage, answer: Answer, tokenId: string, secret: string): void {
    const owner = this.tokens.byPublicId(tokenId);
    if (!owner || !this.tokens.checkCallbackSecret(tokenId, secret)) {
      req.resume();
      return msg(answer, 404, 'not found: this callback URL was not issued by this relay (or its token was removed)');
    }
    const refuse = (status: number, message: string, headers: Record<string, string> = {}) => {
      this.log('callback.refused', { user: owner.name, status, reason: message });
      msg(answer, status, message, headers);
    };
    if (req.method !== 'POST') {
      req.resume();
      return refuse(405, 'only POST', { Allow: 'POST' });
    }
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json' && !type.endsWith('+json')) {
      req.resume();
      return refuse(415, 'the body must be application/json');
    }
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > this.maxBody) {
      refuse(413, `the body is over the relay's ${this.maxBody}-byte limit`, { Connection: 'close' });
      req.destroy();
      return;
    }
    const full = Number.isFinite(declared) ? this.store.wouldOverflow(tokenId, declared) : undefined;
    if (full) {
      req.resume();
      return refuse(507, full.message, { 'Retry-After': '60' });
    }
    const busy = this.uploads.get(tokenId) ?? 0;
    if (busy >= (this.opts.maxUploadsPerToken ?? 8)) {
      req.resume();
      return refuse(503, 'too many uploads in progress for this token; retry shortly', { 'Retry-After': '1' });
    }
    this.uploads.set(tokenId, busy + 1);
    const done = () => {
      const n = (this.uploads.get(tokenId) ?? 1) - 1;
      if (n > 0) this.uploads.set(tokenId, n);
      else this.uploads.delete(tokenId);
    };
    this.readBody(req, refuse, (body, scanner) => {
      done();
      this.storeCallback(owner, secret, body, scanner, answer, refuse);
    }, done);
  }

  /** Reads the body, checking its size and JSON syntax chunk by chunk. */
  private readBody(req: IncomingMessage, refuse: Refuse, ok: (body: Buffer, scanner: JsonScanner) => void, failed: () => void): void {
    const scanner = new JsonScanner();
    const chunks: Buffer[] = [];
    let size = 0;
    let finished = false;
    const finish = () => {
      if (!finished) failed();
      finished = true;
    };
    req.on('data', (c: Buffer) => {
      if (finished) return;
      size += c.length;
      if (size > this.maxBody) {
        finish();
        refuse(413, `the body is over the relay's ${this.maxBody}-byte limit`, { Connection: 'close' });
        req.destroy();
        return;
      }
      if (!scanner.error && scanner.push(c)) chunks.push(c);
      else chunks.length = 0; // invalid: keep reading to answer 400, but keep nothing
    });
    req.on('error', finish);
    req.on('close', finish);
    req.on('end', () => {
      if (finished) return;
      finished = true;
      ok(Buffer.concat(chunks), scanner);
    });
  }

  private storeCallback(owner: TokenEntry, secret: string, body: Buffer, scanner: JsonScanner, answer: Answer, refuse: Refuse): void {
    const found = scanner.end();
    if (!found) return refuse(400, scanner.error ?? 'the body is not a Metrics API result');
    if (!isUtf8(body)) return refuse(400, 'the body is not valid UTF-8');
    const digest = createHash('sha256').update(body).digest('hex');
    const started = performance.now();
    const requestId = found.requestId;
    this.commits.submit({ tokenId: owner.id, secret, requestId, body, digest }).then(
      (outcome) => {
        if (outcome.kind === 'full') return refuse(507, outcome.message, { 'Retry-After': '60' });
        if (outcome.kind === 'conflict') return refuse(409, outcome.message);
        this.log(outcome.kind === 'stored' ? 'callback.stored' : 'callback.duplicate', {
          user: owner.name,
          requestId,
          status: found.status,
          bytes: body.length,
          ms: Math.round((performance.now() - started) * 10) / 10,
        });
        msg(answer, 200, outcome.kind === 'stored' ? 'stored' : 'already stored');
      },
      (e: unknown) => {
        this.log('store.error', { op: 'put', user: owner.name, requestId, error: errorText(e) });
        refuse(503, 'the relay could not write the result to its store; retry later', { 'Retry-After': '5' });
      },
    );
  }

  /** Token-scoped client endpoints. */
  private client(req: IncomingMessage, answer: Answer, path: string): void {
    req.resume();
    const addr = clientAddress(req, this.opts.trustProxy === true);
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const owner = bearer ? this.tokens.authenticate(bearer) : undefined;
    if (!owner) {
      const wait = this.failedLogins.take(addr);
      if (wait) return msg(answer, 429, 'too many failed logins from this address; retry later', { 'Retry-After': String(Math.ceil(wait / 1000)) });
      this.log('client.unauthorized', { address: addr, path: path.startsWith('/results/') ? '/results/…' : path });
      return msg(answer, 401, 'a valid relay token is required (Authorization: Bearer <token>)', { 'WWW-Authenticate': 'Bearer' });
    }
    const wait = this.clients.take(owner.id);
    if (wait) return msg(answer, 429, 'too many requests for this token; slow down', { 'Retry-After': String(Math.ceil(wait / 1000)) });
    try {
      this.route(req, answer, path, owner);
    } catch (e) {
      this.log('store.error', { op: req.method, user: owner.name, error: errorText(e) });
      msg(answer, 503, 'the relay could not read or write its store; retry later', { 'Retry-After': '5' });
    }
  }

  private route(req: IncomingMessage, answer: Answer, path: string, owner: TokenEntry): void {
    if (path === '/callback-url') {
      if (req.method !== 'GET') return msg(answer, 405, 'GET', { Allow: 'GET' });
      return answer(200, JSON.stringify({ path: `/cb/${owner.id}/${this.tokens.newCallbackSecret(owner.id)}` }));
    }
    if (path === '/results') {
      if (req.method !== 'GET') return msg(answer, 405, 'GET', { Allow: 'GET' });
      return answer(200, JSON.stringify({ results: this.store.list(owner.id) }));
    }
    let requestId: string;
    try {
      requestId = decodeURIComponent(path.slice('/results/'.length));
    } catch {
      return msg(answer, 400, 'the request id in the path is not valid percent-encoding');
    }
    if (req.method === 'GET') {
      const body = this.store.get(owner.id, requestId);
      if (!body) return msg(answer, 404, 'no result for this request id (yet)');
      this.log('result.fetched', { user: owner.name, requestId, bytes: body.length });
      return answer(200, body);
    }
    if (req.method === 'DELETE') {
      this.commits.ack(owner.id, requestId).then(
        (had) => {
          if (had) this.log('result.acknowledged', { user: owner.name, requestId });
          answer(204, '');
        },
        (e: unknown) => {
          this.log('store.error', { op: 'DELETE', user: owner.name, error: errorText(e) });
          msg(answer, 503, 'the relay could not read or write its store; retry later', { 'Retry-After': '5' });
        },
      );
      return;
    }
    return msg(answer, 405, 'GET or DELETE', { Allow: 'GET, DELETE' });
  }
}

function msg(answer: Answer, status: number, message: string, headers: Record<string, string> = {}): void {
  answer(status, JSON.stringify({ status, message }), headers);
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The peer's address; behind a trusted proxy, the address the proxy appended last to X-Forwarded-For. */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  const peer = req.socket.remoteAddress ?? '?';
  if (!trustProxy) return peer;
  const xff = req.headers['x-forwarded-for'];
  const last = (Array.isArray(xff) ? xff.join(',') : (xff ?? '')).split(',').map((s) => s.trim()).filter(Boolean).pop();
  return last ?? peer;
}

function loadTokens(opts: RelayOptions): { name: string; hash: string }[] {
  const direct = (opts.tokens ?? []).map((t, i) => {
    if (t.length < MIN_RELAY_TOKEN_LENGTH) throw new Error(`Relay tokens must be at least ${MIN_RELAY_TOKEN_LENGTH} characters long.`);
    return { name: `token-${i + 1}`, hash: hashToken(t) };
  });
  return [...direct, ...(opts.tokensFile ? readTokensFile(opts.tokensFile) : [])];
}

export async function startRelay(opts: RelayOptions): Promise<RelayServer> {
  const initial = loadTokens(opts);
  if (!initial.length) throw new Error('The relay needs at least one token (--token, MQ_RELAY_TOKEN or --tokens-file).');
  const { store, relay, tokens } = await openStore(opts, initial);
  const reloadTokens = () => {
    try {
      relay.log('tokens.reloaded', { tokens: tokens.replace(loadTokens(opts)) });
    } catch (e) {
      relay.log('tokens.reload_failed', { error: errorText(e), kept: tokens.size });
    }
  };
  if (opts.tokensFile) watchFile(opts.tokensFile, { interval: 1000, persistent: false }, reloadTokens);
  const sweep = () =>
    relay.commits.sweep().then(
      (expired) => relay.log('store.swept', { expired }),
      (e: unknown) => relay.log('store.error', { op: 'sweep', error: errorText(e) }),
    );
  await sweep();
  const sweeper = setInterval(() => void sweep(), 60_000);
  sweeper.unref();

  const server = createServer((req, res) => relay.handle(req, res));
  server.requestTimeout = 120_000;
  server.headersTimeout = 20_000;
  try {
    await listen(server, opts);
  } catch (e) {
    clearInterval(sweeper);
    if (opts.tokensFile) unwatchFile(opts.tokensFile, reloadTokens);
    await relay.commits.close();
    store.close();
    throw e;
  }
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host === '[::]' ? '[::1]' : host}:${addr.port}`;
  relay.log('relay.listening', { url, store: opts.store, tokens: tokens.size, ...store.stats() });
  let closing: Promise<void> | undefined;
  return {
    url,
    port: addr.port,
    size: () => store.stats().results,
    inFlight: () => relay.inflight,
    reloadTokens,
    tokenId: (token) => tokens.authenticate(token)?.id,
    close: () => (closing ??= shutdown(server, relay, opts, async () => {
      clearInterval(sweeper);
      if (opts.tokensFile) unwatchFile(opts.tokensFile, reloadTokens);
      await relay.commits.close();
      store.close();
    })),
  };
}

/** The store (main thread: reads and decisions), its writer and checkpoint threads, and the token set. */
async function openStore(opts: RelayOptions, initial: { name: string; hash: string }[]): Promise<{ store: RelayStore; relay: Relay; tokens: TokenSet }> {
  const maxStored = opts.maxStoredBytes ?? 1024 ** 3;
  const threads = opts.storeThreads ?? opts.store !== ':memory:';
  const store = new RelayStore(opts.store, {
    retentionMs: opts.retentionMs ?? 7 * 86_400_000,
    maxTotalBytes: maxStored,
    maxTokenBytes: opts.maxTokenBytes ?? Math.floor(maxStored / 4),
    maxTokenResults: opts.maxTokenResults ?? 10_000,
  }, threads);
  store.fault = opts.storeFault;
  const tokens = new TokenSet(store.key());
  tokens.replace(initial);
  const relay = new Relay(opts, store, tokens, opts.maxBodyBytes ?? 32 * 1024 * 1024);
  let writer: StoreThread | undefined;
  let checkpointer: StoreThread | undefined;
  if (threads) {
    const started = await Promise.allSettled([StoreThread.start(opts.store, 'writer'), StoreThread.start(opts.store, 'checkpointer')]);
    const failed = started.find((r) => r.status === 'rejected');
    if (failed) {
      await Promise.all(started.map((r) => (r.status === 'fulfilled' ? r.value.close() : undefined)));
      store.close();
      throw failed.reason;
    }
    [writer, checkpointer] = started.map((r) => (r as PromiseFulfilledResult<StoreThread>).value);
    opts.onStoreThreads?.({ writer: writer!, checkpointer: checkpointer! });
  }
  relay.commits = new CallbackCommitter(store, writer, checkpointer, {
    onError: (op, e) => relay.log('store.error', { op, error: errorText(e) }),
    onThreadLost: (lost) => relay.log('store.thread_lost', threadLostReport(lost)),
  });
  return { store, relay, tokens };
}

/** The log line for a store thread that died: what happened, what it means now, what to do. */
function threadLostReport(lost: ThreadLost): Record<string, unknown> {
  const slower =
    lost.writes === 'main thread'
      ? 'each commit (with its fsync) now runs on the event loop, so callbacks are acknowledged more slowly under load'
      : 'checkpoints now run on the writer thread between batches, so an acknowledgement may wait for one';
  const wal = lost.checkpoints === 'main thread, inside commits' ? '; SQLite checkpoints inside commits again, which keeps the WAL file bounded but adds pauses' : '';
  return {
    thread: lost.thread,
    error: lost.error.message,
    writes: lost.writes,
    checkpoints: lost.checkpoints,
    meaning: `the relay keeps accepting callbacks and loses nothing (every 200 still follows its own commit), but ${slower}${wal}`,
    action: 'restart the relay when convenient (systemctl restart mq-relay); callbacks in flight are finished first and every stored result stays',
  };
}

async function listen(server: Server, opts: RelayOptions): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
}

/** Graceful stop: no new connections, requests in flight finish (bounded by the grace period). */
async function shutdown(server: Server, relay: Relay, opts: RelayOptions, release: () => Promise<void>): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const pending = relay.inflight;
  if (relay.inflight > 0) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, opts.shutdownGraceMs ?? 10_000);
      relay.onIdle = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
  server.closeAllConnections();
  await closed;
  await release();
  relay.log('relay.stopped', { finishedInFlight: pending, left: relay.inflight });
}
