// The callback receiver: a small HTTP listener (loopback by default) that takes the one result POST
// Infobip makes per request. Each run opens a slot with an unguessable path; a slot accepts POSTs with a
// JSON body under the size limit, once per request id. Anything else is answered (404, 405, 415, 400,
// 413, 409) and otherwise ignored, so stray or hostile traffic cannot affect a run.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { QueryAggregateDataResult } from '../core/compile/wire.js';
import { isPlainObject, parseJsonLossless } from './json.js';

export interface ReceiverOptions {
  /** Listen address (default 127.0.0.1). */
  host?: string;
  /** Port (default 0: any free port). */
  port?: number;
  /** Public base URL that forwards to this listener (tunnel, port forwarding, reverse proxy). */
  publicBaseUrl?: string;
  /** Largest accepted body (default 64 MiB). */
  maxBodyBytes?: number;
}

/** Validates a callback body's shape; returns a reason when it is not a QueryAggregateDataResult. */
export function checkCallbackBody(body: unknown): string | undefined {
  if (!isPlainObject(body)) return 'the body is not a JSON object';
  if (typeof body.requestId !== 'string' || !body.requestId) return 'requestId is missing';
  if (body.status !== 'SUCCESS' && body.status !== 'FAILED') return 'status is not SUCCESS or FAILED';
  if (body.status === 'SUCCESS') {
    const r = body.response;
    if (!isPlainObject(r)) return 'a SUCCESS result has no response';
    if (!Array.isArray(r.columns) || !Array.isArray(r.rows)) return 'response.columns or response.rows is missing';
    if (!r.rows.every((row) => Array.isArray(row) && row.length === (r.columns as unknown[]).length)) return 'a row does not match the columns';
  }
  return undefined;
}

interface Waiter {
  resolve: (r: QueryAggregateDataResult) => void;
}

/** Results a slot keeps before its run knows which request id it waits for (normally one arrives, if any). */
export const MAX_EARLY_RESULTS = 4;

export class CallbackSlot {
  readonly token = randomBytes(18).toString('base64url');
  readonly results = new Map<string, QueryAggregateDataResult>();
  /** Why the last rejected POST on this slot was rejected (shown if the result never arrives). */
  lastRejection?: string;
  private waiters = new Map<string, Waiter[]>();
  closed = false;
  constructor(private readonly receiver: CallbackReceiver) {}

  get path(): string {
    return `/mq/callback/${this.token}`;
  }

  /** The URL to send as callbackUrl. */
  get callbackUrl(): string {
    return this.receiver.baseUrl + this.path;
  }

  /**
   * The request id this slot waits for, once the run knows it (set by wait()). Until then a result may
   * arrive before the submit's answer, so up to MAX_EARLY_RESULTS results are kept; after it, only that id's.
   */
  private expected?: string;

  /** Accepts a parsed body; returns the HTTP status and the message to answer. */
  deliver(body: QueryAggregateDataResult): { status: number; message: string } {
    if (this.results.has(body.requestId)) return { status: 409, message: 'a result for this request id was already received' };
    if (this.expected !== undefined && body.requestId !== this.expected) {
      this.lastRejection = `a result for another request id (${body.requestId.slice(0, 80)}) was refused`;
      return { status: 409, message: 'this callback URL belongs to another request id' };
    }
    if (this.expected === undefined && this.results.size >= MAX_EARLY_RESULTS) {
      this.lastRejection = `more than ${MAX_EARLY_RESULTS} results arrived before the run knew its request id; the rest were refused`;
      return { status: 429, message: 'too many results for this callback URL' };
    }
    this.results.set(body.requestId, body);
    for (const w of this.waiters.get(body.requestId) ?? []) w.resolve(body);
    this.waiters.delete(body.requestId);
    return { status: 200, message: 'accepted' };
  }

  /**
   * The result for requestId, as soon as it has arrived (it may have arrived already). From now on the slot
   * accepts only this request id, and results kept for other ids are dropped.
   */
  wait(requestId: string, signal?: AbortSignal): Promise<QueryAggregateDataResult> {
    if (this.expected === undefined) {
      this.expected = requestId;
      for (const id of [...this.results.keys()]) if (id !== requestId) this.results.delete(id);
    }
    const got = this.results.get(requestId);
    if (got) return Promise.resolve(got);
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(signal!.reason);
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      const list = this.waiters.get(requestId) ?? [];
      list.push({
        resolve: (r) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(r);
        },
      });
      this.waiters.set(requestId, list);
    });
  }

  close(): void {
    this.closed = true;
    this.receiver.removeSlot(this);
  }
}

export class CallbackReceiver {
  private readonly slots = new Map<string, CallbackSlot>();
  private constructor(
    private readonly server: Server,
    /** The listener's own URL, e.g. http://127.0.0.1:38211 */
    readonly localUrl: string,
    /** What callback URLs are built on: the public base URL if configured, else localUrl. */
    readonly baseUrl: string,
    readonly port: number,
  ) {}

  static async start(opts: ReceiverOptions = {}): Promise<CallbackReceiver> {
    const maxBody = opts.maxBodyBytes ?? 64 * 1024 * 1024;
    let receiver: CallbackReceiver | undefined;
    const server = createServer((req, res) => receiver!.handle(req, res, maxBody));
    server.requestTimeout = 120_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
    });
    const addr = server.address() as AddressInfo;
    const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
    const localHost = host === '0.0.0.0' ? '127.0.0.1' : host === '[::]' ? '[::1]' : host;
    const localUrl = `http://${localHost}:${addr.port}`;
    const baseUrl = opts.publicBaseUrl ? opts.publicBaseUrl.replace(/\/+$/, '') : localUrl;
    receiver = new CallbackReceiver(server, localUrl, baseUrl, addr.port);
    return receiver;
  }

  /** Opens a slot: a fresh unguessable path for one run. */
  openSlot(): CallbackSlot {
    const slot = new CallbackSlot(this);
    this.slots.set(slot.token, slot);
    return slot;
  }

  /** @internal */
  removeSlot(slot: CallbackSlot): void {
    this.slots.delete(slot.token);
  }

  private handle(req: IncomingMessage, res: ServerResponse, maxBody: number): void {
    const answer = (status: number, message: string, headers: Record<string, string> = {}) => {
      if (res.headersSent) return;
      const text = JSON.stringify({ status, message });
      res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)), Connection: 'close', ...headers });
      res.end(text);
    };
    // A proxy may keep a prefix of the public base URL: match on the last path segment.
    const path = (req.url ?? '/').split('?')[0]!;
    const m = /\/mq\/callback\/([A-Za-z0-9_-]{20,})$/.exec(path);
    const slot = m ? this.slots.get(m[1]!) : undefined;
    if (!slot) {
      req.resume();
      return answer(404, 'not found');
    }
    if (req.method !== 'POST') {
      req.resume();
      return answer(405, 'only POST is accepted here', { Allow: 'POST' });
    }
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json' && !type.endsWith('+json')) {
      req.resume();
      slot.lastRejection = `a POST with Content-Type "${type || 'none'}" was refused`;
      return answer(415, 'the body must be application/json');
    }
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > maxBody) {
      slot.lastRejection = `a POST of ${declared} bytes was over the ${maxBody}-byte limit`;
      answer(413, 'body too large');
      req.destroy();
      return;
    }
    const tooLarge = () => {
      slot.lastRejection = `a POST over the ${maxBody}-byte limit was refused`;
      answer(413, 'body too large');
    };
    readLimitedBody(req, maxBody, tooLarge, (text) => {
      let body: unknown;
      try {
        body = parseJsonLossless(text);
      } catch {
        slot.lastRejection = 'a POST arrived whose body is not valid JSON';
        return answer(400, 'the body is not valid JSON');
      }
      const problem = checkCallbackBody(body);
      if (problem) {
        slot.lastRejection = `a POST arrived that is not a Metrics API result (${problem})`;
        return answer(400, problem);
      }
      const { status, message } = slot.deliver(body as QueryAggregateDataResult);
      answer(status, message);
    });
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections?.();
    });
  }
}

/**
 * Reads a request body of at most maxBody bytes. A bigger one calls tooLarge (once, to answer 413) and drops
 * the connection; otherwise done gets the body as UTF-8 text. Shared by the callback receiver and the relay.
 */
export function readLimitedBody(req: IncomingMessage, maxBody: number, tooLarge: () => void, done: (text: string) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  req.on('data', (c: Buffer) => {
    if (over) return;
    size += c.length;
    if (size > maxBody) {
      over = true;
      tooLarge();
      req.destroy();
      return;
    }
    chunks.push(c);
  });
  req.on('error', () => undefined);
  req.on('end', () => {
    if (!over) done(Buffer.concat(chunks).toString('utf8'));
  });
}
