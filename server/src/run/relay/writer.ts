// The store's writes off the event loop. node:sqlite is synchronous: a commit with synchronous=FULL waits for
// its fsync (milliseconds, more on a busy disk), and while it waits the relay could neither read nor check
// the next bodies. So the writes run in a worker thread with its own connection to the same file: the event
// loop keeps receiving and checking callbacks while a batch is being made durable, and reads (fetch, list,
// the admission checks) use the main thread's connection, which WAL never blocks.
//
// A second worker runs the WAL checkpoints (copying the log into the database file) on a third connection.
// A PASSIVE checkpoint never blocks the writer, so it no longer lands inside a callback's commit as SQLite's
// automatic checkpoint did (up to 38 ms measured); the writer's connection has wal_autocheckpoint off.
//
// The worker's code is a self-contained string (eval), so the standalone dist/relay.js stays one file. It
// only runs SQL that the main thread hands it; every decision (admission, quotas, answers) stays on the
// main thread.
import { Worker } from 'node:worker_threads';

const WORKER_SOURCE = String.raw`'use strict';
const { parentPort, workerData } = process.getBuiltinModule('node:worker_threads');
const emit = process.emitWarning;
process.emitWarning = (w, ...rest) => { if (!String((w && w.message) || w).includes('SQLite')) emit.call(process, w, ...rest); };
const { DatabaseSync } = process.getBuiltinModule('node:sqlite');
process.emitWarning = emit;
let db;
let q;
function open() {
  db = new DatabaseSync(workerData.path);
  db.exec('PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=10000; PRAGMA wal_autocheckpoint=0; PRAGMA journal_size_limit=67108864;');
  if (workerData.role !== 'writer') return;
  q = {
    insert: db.prepare('INSERT INTO results (token_id, request_id, body, bytes, received_at) VALUES (?, ?, ?, ?, ?)'),
    useSecret: db.prepare('INSERT INTO callbacks (secret, token_id, request_id, bytes, digest, at) VALUES (?, ?, ?, ?, ?, ?)'),
    del: db.prepare('DELETE FROM results WHERE token_id = ? AND request_id = ? RETURNING bytes'),
    expired: db.prepare('DELETE FROM results WHERE received_at < ? RETURNING token_id, bytes'),
    oldSecrets: db.prepare('DELETE FROM callbacks WHERE at < ?'),
  };
}
function transaction(fail, work) {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = work();
    if (fail !== undefined) throw new Error(fail);
    db.exec('COMMIT');
    return result;
  } catch (e) {
    try { if (db.isTransaction) db.exec('ROLLBACK'); } catch {}
    throw e;
  }
}
const ops = {
  put: (m) => transaction(m.fail, () => {
    for (const r of m.rows) {
      q.insert.run(r.tokenId, r.requestId, r.body, r.body.length, m.now);
      q.useSecret.run(r.secret, r.tokenId, r.requestId, r.body.length, r.digest, m.now);
    }
  }),
  ack: (m) => transaction(m.fail, () => q.del.all(m.tokenId, m.requestId).map((r) => Number(r.bytes))),
  sweep: (m) => transaction(undefined, () => {
    const rows = q.expired.all(m.cutoff).map((r) => ({ tokenId: String(r.token_id), bytes: Number(r.bytes) }));
    q.oldSecrets.run(m.cutoff);
    return rows;
  }),
  checkpoint: () => {
    const r = db.prepare('PRAGMA wal_checkpoint(PASSIVE)').get();
    return { busy: Number(r.busy), log: Number(r.log), checkpointed: Number(r.checkpointed) };
  },
  close: () => { if (db.isOpen) db.close(); },
};
try {
  open();
  parentPort.postMessage({ ready: true });
} catch (e) {
  parentPort.postMessage({ ready: false, error: String((e && e.message) || e) });
}
parentPort.on('message', (m) => {
  try {
    parentPort.postMessage({ id: m.id, ok: true, value: ops[m.op](m) });
  } catch (e) {
    parentPort.postMessage({ id: m.id, ok: false, error: String((e && e.message) || e) });
  }
  if (m.op === 'close') parentPort.close();
});
`;

export interface WriterRow {
  tokenId: string;
  secret: string;
  requestId: string;
  body: Uint8Array;
  digest: string;
}

type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

/** One worker thread with its own connection to the store; calls run one at a time, in order. */
export class StoreThread {
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly lostListeners: ((error: Error) => void)[] = [];
  private nextId = 1;
  private broken: Error | undefined;
  private closing = false;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (m: Reply) => {
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      if (m.ok) w.resolve(m.value);
      else w.reject(new Error(m.error));
    });
    const fail = (e: Error) => {
      const first = this.broken === undefined;
      this.broken ??= e;
      for (const w of this.waiting.values()) w.reject(e);
      this.waiting.clear();
      if (first && !this.closing) for (const listener of this.lostListeners) listener(e);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the store's worker thread exited (code ${code})`)));
  }

  /** Starts a worker on the store file (which must exist with its tables); rejects if it cannot open it. */
  static async start(path: string, role: 'writer' | 'checkpointer'): Promise<StoreThread> {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, role }, stdout: false, stderr: false });
    const ready = await new Promise<{ ready: boolean; error?: string }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    if (!ready.ready) {
      await worker.terminate();
      throw new Error(`the store's ${role} thread could not open ${path}: ${ready.error}`);
    }
    return new StoreThread(worker);
  }

  /** Whether the thread is still usable (it has not crashed or been closed). */
  get alive(): boolean {
    return this.broken === undefined;
  }

  /** Calls listener once if the thread fails or ends by itself (not through close()). */
  onLost(listener: (error: Error) => void): void {
    this.lostListeners.push(listener);
  }

  /** Ends the thread at once, as a crash would (its calls in flight fail, onLost listeners are told). */
  async terminate(): Promise<void> {
    await this.worker.terminate();
  }

  /** Writes rows in one transaction; `fail` (a test seam) makes it fail after the writes, before COMMIT. */
  put(rows: readonly WriterRow[], now: number, fail?: string): Promise<void> {
    return this.call({ op: 'put', rows, now, fail }) as Promise<void>;
  }

  /** Deletes an acknowledged result; the byte counts of what was deleted (empty when nothing was). */
  ack(tokenId: string, requestId: string, fail?: string): Promise<number[]> {
    return this.call({ op: 'ack', tokenId, requestId, fail }) as Promise<number[]>;
  }

  sweep(cutoff: number): Promise<{ tokenId: string; bytes: number }[]> {
    return this.call({ op: 'sweep', cutoff }) as Promise<{ tokenId: string; bytes: number }[]>;
  }

  checkpoint(): Promise<{ busy: number; log: number; checkpointed: number }> {
    return this.call({ op: 'checkpoint' }) as Promise<{ busy: number; log: number; checkpointed: number }>;
  }

  /** Finishes the calls already queued, closes the connection and ends the thread. */
  async close(): Promise<void> {
    if (this.broken) return;
    this.closing = true;
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    await this.call({ op: 'close' }).catch(() => undefined);
    await exited;
  }

  private call(message: Record<string, unknown>): Promise<unknown> {
    if (this.broken) return Promise.reject(this.broken);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id });
    });
  }
}
