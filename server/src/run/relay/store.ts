// The relay's durable store: SQLite through Node's built-in node:sqlite (Node 22.13+), in WAL mode with
// synchronous=FULL; each callback is written in exactly one transaction, shared with the callbacks of its
// batch (group commit). A callback is answered 2xx only after that transaction committed, so a result the
// sender saw accepted survives a crash or a power cut.
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

export interface PutRequest {
  tokenId: string;
  /** The callback path's secret: a retry of the same callback (same request id, same bytes) is a duplicate. */
  secret: string;
  requestId: string;
  body: Uint8Array;
  /** SHA-256 of the body (hex). */
  digest: string;
}

/** What a batch being admitted adds on top of the store: its rows, secrets, request ids and bytes. */
class BatchView {
  readonly rows: PutRequest[] = [];
  readonly secrets = new Map<string, { token_id: string; request_id: string; digest: string }>();
  readonly ids = new Set<string>();
  private readonly perToken = new Map<string, { bytes: number; count: number }>();
  bytes = 0;

  add(item: PutRequest): void {
    this.rows.push(item);
    this.secrets.set(item.secret, { token_id: item.tokenId, request_id: item.requestId, digest: item.digest });
    this.ids.add(`${item.tokenId}/${item.requestId}`);
    const u = this.usage(item.tokenId);
    this.perToken.set(item.tokenId, { bytes: u.bytes + item.body.length, count: u.count + 1 });
    this.bytes += item.body.length;
  }

  usage(tokenId: string): { bytes: number; count: number } {
    return this.perToken.get(tokenId) ?? { bytes: 0, count: 0 };
  }
}

/** Test seam: called inside a batch's (or an ack's) transaction after its writes, before COMMIT. */
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

  /**
   * `manualCheckpoints`: SQLite's automatic WAL checkpoint (which runs inside a commit, up to tens of ms for
   * a few MB) is turned off; the owner runs checkpoints itself, off the callbacks' path (see writer.ts).
   */
  constructor(
    readonly path: string,
    private readonly limits: StoreLimits,
    manualCheckpoints = false,
  ) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const { DatabaseSync } = sqlite();
    this.db = new DatabaseSync(path);
    // 16 KB pages for a new store (before WAL mode fixes the size; an existing store keeps its own): a 100 KB
    // body spans 7 overflow pages instead of 26, which halved the CPU of writing and checkpointing it.
    this.db.exec('PRAGMA page_size=16384; PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000; PRAGMA foreign_keys=OFF;');
    if (manualCheckpoints) this.db.exec('PRAGMA wal_autocheckpoint=0;');
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

  /**
   * Turns SQLite's automatic WAL checkpoint back on for this connection (the store's threads are gone, so
   * nobody else copies the log into the database; without this the -wal file would grow until a restart).
   * It runs when the log passes about 4 MiB, whatever the store's page size.
   */
  automaticCheckpoints(): void {
    if (!this.db.isOpen) return;
    const pageSize = Number(this.db.prepare('PRAGMA page_size').get()?.page_size) || 4096;
    const pages = Math.max(100, Math.floor((4 * 1024 * 1024) / pageSize));
    this.db.exec(`PRAGMA wal_autocheckpoint=${pages}; PRAGMA journal_size_limit=67108864;`);
  }

  /** How long an unacknowledged result is kept (ms). */
  get retentionMs(): number {
    return this.limits.retentionMs;
  }

  /** The relay's HMAC key: made once, then the same for the life of the store (callback URLs stay valid). */
  key(): Buffer {
    const row = this.db.prepare("SELECT v FROM meta WHERE k = 'hmac-key'").get();
    if (row) return Buffer.from(row.v as Uint8Array);
    const key = randomBytes(32);
    this.db.prepare("INSERT INTO meta (k, v) VALUES ('hmac-key', ?)").run(key);
    return key;
  }

  /** Stores one callback: a batch of one (see putBatch). */
  put(tokenId: string, secret: string, requestId: string, body: Uint8Array, digest: string, now = Date.now()): PutOutcome {
    return this.putBatch([{ tokenId, secret, requestId, body, digest }], now)[0]!;
  }

  /**
   * Stores a batch of callbacks in ONE transaction (group commit: one fsync for all of them) and returns an
   * outcome per callback, in order (see admitBatch). If the transaction fails, nothing of the batch is
   * stored, the usage counters are unchanged, and this throws: no callback of the batch may be answered as
   * stored.
   */
  putBatch(items: readonly PutRequest[], now = Date.now()): PutOutcome[] {
    const { outcomes, rows } = this.admitBatch(items);
    if (rows.length === 0) return outcomes;
    this.db.exec('BEGIN IMMEDIATE');
    try {
      for (const r of rows) {
        this.q.insert!.run(r.tokenId, r.requestId, r.body, r.body.length, now);
        this.q.useSecret!.run(r.secret, r.tokenId, r.requestId, r.body.length, r.digest, now);
      }
      this.fault?.('put');
      this.db.exec('COMMIT');
    } catch (e) {
      this.rollback();
      throw e;
    }
    this.recordStored(rows);
    return outcomes;
  }

  /**
   * Decides a batch without writing: an outcome per callback, and the rows to write. Each callback is checked
   * as if the earlier ones of the batch were already stored: quotas count their bytes, and a second use of a
   * secret or request id in the same batch is a duplicate or a conflict. Reads only committed rows, so it can
   * run on one connection while another one writes (the store writer); call recordStored after the commit.
   */
  admitBatch(items: readonly PutRequest[]): { outcomes: PutOutcome[]; rows: PutRequest[] } {
    const batch = new BatchView();
    const outcomes = items.map((item) => this.admit(item, batch));
    return { outcomes, rows: batch.rows };
  }

  /** Counts rows that were committed (by putBatch or by the store writer). */
  recordStored(rows: readonly PutRequest[]): void {
    for (const r of rows) {
      const u = this.usage.get(r.tokenId) ?? { bytes: 0, count: 0 };
      u.bytes += r.body.length;
      u.count++;
      this.usage.set(r.tokenId, u);
      this.totalBytes += r.body.length;
    }
  }

  /** Uncounts rows that were deleted (acknowledged or expired) by the store writer. */
  recordDeleted(rows: readonly { tokenId: string; bytes: number }[]): void {
    for (const r of rows) this.release(r.tokenId, r.bytes);
  }

  /** Decides one callback of a batch against the store and the batch's earlier callbacks. */
  private admit(item: PutRequest, batch: BatchView): PutOutcome {
    const used = batch.secrets.get(item.secret) ?? this.q.secret!.get(item.secret);
    if (used) {
      if (used.token_id === item.tokenId && used.request_id === item.requestId && used.digest === item.digest) return { kind: 'duplicate' };
      return { kind: 'conflict', message: 'this callback URL was already used for another result; each run gets its own' };
    }
    if (batch.ids.has(`${item.tokenId}/${item.requestId}`) || this.q.has!.get(item.tokenId, item.requestId)) {
      return { kind: 'conflict', message: 'a result for this request id was already received' };
    }
    const full = this.wouldOverflow(item.tokenId, item.body.length, batch.usage(item.tokenId), batch.bytes);
    if (full) return full;
    batch.add(item);
    return { kind: 'stored' };
  }

  /** Whether a body of this many bytes would go over the token's or the relay's bound. */
  wouldOverflow(tokenId: string, bytes: number, queued = { bytes: 0, count: 0 }, queuedTotal = 0): Extract<PutOutcome, { kind: 'full' }> | undefined {
    const stored = this.usage.get(tokenId) ?? { bytes: 0, count: 0 };
    const u = { bytes: stored.bytes + queued.bytes, count: stored.count + queued.count };
    const l = this.limits;
    if (u.count + 1 > l.maxTokenResults || u.bytes + bytes > l.maxTokenBytes) {
      return { kind: 'full', scope: 'token', message: `this token's share of the relay is full (${u.count} results, ${u.bytes} bytes unacknowledged); results are kept until their client fetches and acknowledges them` };
    }
    if (this.totalBytes + queuedTotal + bytes > l.maxTotalBytes) {
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
