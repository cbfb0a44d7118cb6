// The relay's durable store: SQLite through Node's built-in node:sqlite (Node 22.13+), in WAL mode with
// synchronous=FULL, one transaction per callback. A callback is answered 2xx only after its transaction
// committed, so a result the sender saw accepted survives a crash or a power cut.
//
// Tables: results (one row per stored result, unique per token id and request id, the body kept as the
// exact bytes received; a rowid table, as SQLite advises for large rows), callbacks (each callback path
// secret used, so a retried callback is recognised and a path cannot be reused for another request id),
// meta (the relay's HMAC key).
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DatabaseSync, StatementSync } from 'node:sqlite';

export interface StoreLimits {
  /** How long an unacknowledged result is kept (ms). */
  retentionMs: number;
  /** Largest total of stored bodies over all tokens (bytes). */
  maxTotalBytes: number;
  /** Largest total of stored bodies per token (bytes). */
  maxTokenBytes: number;
  /** Most results stored per token. */
  maxTokenResults: number;
}

export type PutOutcome =
  | { kind: 'stored' }
  | { kind: 'duplicate' } // the same callback again (a sender's retry): nothing new stored
  | { kind: 'conflict'; message: string }
  | { kind: 'full'; scope: 'token' | 'relay'; message: string };

export interface PendingResult {
  requestId: string;
  receivedAt: string;
  bytes: number;
}

/** Test seam: called inside the callback's transaction after its writes, before COMMIT. */
export type StoreFault = (op: 'put' | 'ack') => void;

/** Loads node:sqlite without the experimental-feature warning (and with a clear error on old Node). */
function sqlite(): typeof import('node:sqlite') {
  const emit = process.emitWarning;
  process.emitWarning = ((w: string | Error, ...rest: unknown[]) => {
    if (String(typeof w === 'string' ? w : w.message).includes('SQLite')) return;
    (emit as (...a: unknown[]) => void).call(process, w, ...rest);
  }) as typeof process.emitWarning;
  try {
    const mod = process.getBuiltinModule?.('node:sqlite') as typeof import('node:sqlite') | undefined;
    if (!mod) throw new Error('no node:sqlite');
    return mod;
  } catch {
    throw new Error(`The relay's store needs Node.js 22.13 or newer (node:sqlite); this is Node ${process.versions.node}.`);
  } finally {
    process.emitWarning = emit;
  }
}

export class RelayStore {
  private readonly db: DatabaseSync;
  private readonly q: Record<string, StatementSync>;
  /** Bytes and result count per token id, kept in step with the table (one process owns the store). */
  private readonly usage = new Map<string, { bytes: number; count: number }>();
  private totalBytes = 0;
  fault: StoreFault | undefined;

  constructor(
    readonly path: string,
    private readonly limits: StoreLimits,
  ) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const { DatabaseSync } = sqlite();
    this.db = new DatabaseSync(path);
    this.db.exec('PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000; PRAGMA foreign_keys=OFF;');
    this.db.exec(`CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v BLOB NOT NULL);
      CREATE TABLE IF NOT EXISTS results (token_id TEXT NOT NULL, request_id TEXT NOT NULL, body BLOB NOT NULL,
        bytes INTEGER NOT NULL, received_at INTEGER NOT NULL, UNIQUE (token_id, request_id));
      CREATE TABLE IF NOT EXISTS callbacks (secret TEXT PRIMARY KEY, token_id TEXT NOT NULL, request_id TEXT NOT NULL,
        bytes INTEGER NOT NULL, digest TEXT NOT NULL, at INTEGER NOT NULL) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS results_by_age ON results (received_at);
      CREATE INDEX IF NOT EXISTS callbacks_by_age ON callbacks (at);`);
    this.q = {
      get: this.db.prepare('SELECT body FROM results WHERE token_id = ? AND request_id = ?'),
      has: this.db.prepare('SELECT bytes FROM results WHERE token_id = ? AND request_id = ?'),
      insert: this.db.prepare('INSERT INTO results (token_id, request_id, body, bytes, received_at) VALUES (?, ?, ?, ?, ?)'),
      secret: this.db.prepare('SELECT token_id, request_id, digest FROM callbacks WHERE secret = ?'),
      useSecret: this.db.prepare('INSERT INTO callbacks (secret, token_id, request_id, bytes, digest, at) VALUES (?, ?, ?, ?, ?, ?)'),
      del: this.db.prepare('DELETE FROM results WHERE token_id = ? AND request_id = ? RETURNING bytes'),
      list: this.db.prepare('SELECT request_id, received_at, bytes FROM results WHERE token_id = ? ORDER BY received_at, request_id LIMIT ?'),
      expired: this.db.prepare('DELETE FROM results WHERE received_at < ? RETURNING token_id, bytes'),
      oldSecrets: this.db.prepare('DELETE FROM callbacks WHERE at < ?'),
    };
    for (const row of this.db.prepare('SELECT token_id, SUM(bytes) AS b, COUNT(*) AS n FROM results GROUP BY token_id').all()) {
      this.usage.set(String(row.token_id), { bytes: Number(row.b), count: Number(row.n) });
      this.totalBytes += Number(row.b);
    }
  }

  /** The relay's HMAC key: made once, then the same for the life of the store (callback URLs stay valid). */
  key(): Buffer {
    const row = this.db.prepare("SELECT v FROM meta WHERE k = 'hmac-key'").get();
    if (row) return Buffer.from(row.v as Uint8Array);
    const key = randomBytes(32);
    this.db.prepare("INSERT INTO meta (k, v) VALUES ('hmac-key', ?)").run(key);
    return key;
  }

  /**
   * Stores one callback in one transaction. `secret` is the callback path's secret: a retry of the same
   * callback (same request id, same bytes) is a duplicate, any other use of the path is a conflict.
   */
  put(tokenId: string, secret: string, requestId: string, body: Uint8Array, digest: string, now = Date.now()): PutOutcome {
    const used = this.q.secret!.get(secret);
    if (used) {
      if (used.token_id === tokenId && used.request_id === requestId && used.digest === digest) return { kind: 'duplicate' };
      return { kind: 'conflict', message: 'this callback URL was already used for another result; each run gets its own' };
    }
    if (this.q.has!.get(tokenId, requestId)) return { kind: 'conflict', message: 'a result for this request id was already received' };
    const full = this.wouldOverflow(tokenId, body.length);
    if (full) return full;
    this.db.exec('BEGIN IMMEDIATE');
    try {
      this.q.insert!.run(tokenId, requestId, body, body.length, now);
      this.q.useSecret!.run(secret, tokenId, requestId, body.length, digest, now);
      this.fault?.('put');
      this.db.exec('COMMIT');
    } catch (e) {
      this.rollback();
      throw e;
    }
    const u = this.usage.get(tokenId) ?? { bytes: 0, count: 0 };
    u.bytes += body.length;
    u.count++;
    this.usage.set(tokenId, u);
    this.totalBytes += body.length;
    return { kind: 'stored' };
  }

  /** Whether a body of this many bytes would go over the token's or the relay's bound. */
  wouldOverflow(tokenId: string, bytes: number): Extract<PutOutcome, { kind: 'full' }> | undefined {
    const u = this.usage.get(tokenId) ?? { bytes: 0, count: 0 };
    const l = this.limits;
    if (u.count + 1 > l.maxTokenResults || u.bytes + bytes > l.maxTokenBytes) {
      return { kind: 'full', scope: 'token', message: `this token's share of the relay is full (${u.count} results, ${u.bytes} bytes unacknowledged); results are kept until their client fetches and acknowledges them` };
    }
    if (this.totalBytes + bytes > l.maxTotalBytes) {
      return { kind: 'full', scope: 'relay', message: 'the relay store is full; results are kept until their clients fetch and acknowledge them' };
    }
    return undefined;
  }

  /** The exact stored bytes, or undefined. */
  get(tokenId: string, requestId: string): Uint8Array | undefined {
    const row = this.q.get!.get(tokenId, requestId);
    return row ? (row.body as Uint8Array) : undefined;
  }

  /** Deletes an acknowledged result (committed before returning); false if there was none. */
  ack(tokenId: string, requestId: string): boolean {
    this.db.exec('BEGIN IMMEDIATE');
    let rows: Record<string, unknown>[];
    try {
      rows = this.q.del!.all(tokenId, requestId) as Record<string, unknown>[];
      this.fault?.('ack');
      this.db.exec('COMMIT');
    } catch (e) {
      this.rollback();
      throw e;
    }
    for (const r of rows) this.release(tokenId, Number(r.bytes));
    return rows.length > 0;
  }

  list(tokenId: string, limit = 1000): PendingResult[] {
    return this.q.list!.all(tokenId, limit).map((r) => ({
      requestId: String(r.request_id),
      receivedAt: new Date(Number(r.received_at)).toISOString(),
      bytes: Number(r.bytes),
    }));
  }

  /** Drops results older than the retention, and callback records old enough that no retry can come. */
  sweep(now = Date.now()): number {
    const cutoff = now - this.limits.retentionMs;
    const rows = this.q.expired!.all(cutoff) as Record<string, unknown>[];
    for (const r of rows) this.release(String(r.token_id), Number(r.bytes));
    this.q.oldSecrets!.run(cutoff);
    return rows.length;
  }

  stats(): { results: number; bytes: number } {
    let results = 0;
    for (const u of this.usage.values()) results += u.count;
    return { results, bytes: this.totalBytes };
  }

  /** A consistent copy of the store while it is in use (sqlite's VACUUM INTO). */
  backupTo(file: string): void {
    this.db.prepare('VACUUM INTO ?').run(file);
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }

  private release(tokenId: string, bytes: number): void {
    const u = this.usage.get(tokenId);
    if (u) {
      u.bytes -= bytes;
      u.count--;
      if (u.count <= 0) this.usage.delete(tokenId);
    }
    this.totalBytes -= bytes;
  }

  private rollback(): void {
    try {
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
    } catch {
      // The connection is broken; the next statement reports it.
    }
  }
}
