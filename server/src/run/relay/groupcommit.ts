// Group commit: the callbacks that are ready while a batch is being made durable are written together in
// the next single transaction, so one fsync serves all of them. Each callback's promise settles only after
// the COMMIT of its own batch returned, so a 2xx still follows the durable write of that very callback; if
// the batch fails, every callback in it is rejected (the relay answers each one 503) and none is counted.
//
// With a writer thread (the default for a store file) the event loop keeps receiving and checking bodies
// while a batch commits, and WAL checkpoints run on a third connection in idle moments (or when the log has
// grown past a bound), never inside a commit. Without one (':memory:', or if the thread died) the batch is
// written synchronously on the event loop, one batch per turn.
//
// If a thread dies, the relay keeps working on what is left, and says so once (onThreadLost): without the
// writer, batches are written on the event loop (checkpoints still by their thread); without the checkpoint
// thread, the writer runs the checkpoints between batches; without both, the main connection writes with
// SQLite's automatic checkpoints back on, so the WAL stays bounded. A 2xx still follows its own commit.
import type { PutOutcome, PutRequest, RelayStore } from './store.js';
import type { StoreThread } from './writer.js';

interface Waiting {
  item: PutRequest;
  resolve: (outcome: PutOutcome) => void;
  reject: (error: unknown) => void;
}

export interface CommitterOptions {
  /** Most callbacks in one transaction (default 64). */
  maxBatch?: number;
  /** Checkpoint after this long without a commit (default 250 ms). */
  idleCheckpointMs?: number;
  /** Checkpoint at once when this many body bytes were committed since the last one (default 32 MiB). */
  checkpointBytes?: number;
  /** Told about each committed batch (size, ms from dispatch to COMMIT). */
  onBatch?: (report: { size: number; ms: number }) => void;
  /** Told when a background write or checkpoint failed. */
  onError?: (op: string, error: unknown) => void;
  /** Told once per thread that died, with what does its work from now on. */
  onThreadLost?: (report: ThreadLost) => void;
}

export interface ThreadLost {
  thread: 'writer' | 'checkpointer';
  error: Error;
  /** Who writes callbacks, acknowledgements and the retention sweep from now on. */
  writes: 'writer thread' | 'main thread';
  /** Who runs the WAL checkpoints from now on. */
  checkpoints: 'checkpoint thread' | 'writer thread' | 'main thread, inside commits';
}

export class CallbackCommitter {
  private queue: Waiting[] = [];
  private running: Promise<void> | undefined;
  private scheduled: NodeJS.Immediate | undefined;
  private sinceCheckpoint = 0;
  private checkpointing: Promise<void> | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly store: RelayStore,
    private readonly writer: StoreThread | undefined,
    private readonly checkpointer: StoreThread | undefined,
    private readonly opts: CommitterOptions = {},
  ) {
    writer?.onLost((e) => this.threadLost('writer', e));
    checkpointer?.onLost((e) => this.threadLost('checkpointer', e));
  }

  /** Queues one callback; settles with its outcome once its batch committed, or rejects if the batch failed. */
  submit(item: PutRequest): Promise<PutOutcome> {
    if (this.closed) return Promise.reject(new Error('the store is closed'));
    return new Promise<PutOutcome>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      // setImmediate runs after the poll phase: every body that finished in this turn joins the batch.
      if (!this.running) this.scheduled ??= setImmediate(() => this.start());
    });
  }

  /** Deletes an acknowledged result (committed before this resolves); false if there was none. */
  async ack(tokenId: string, requestId: string): Promise<boolean> {
    if (!this.writer?.alive) return this.store.ack(tokenId, requestId);
    const deleted = await this.writer.ack(tokenId, requestId, this.faultText('ack'));
    this.store.recordDeleted(deleted.map((bytes) => ({ tokenId, bytes })));
    return deleted.length > 0;
  }

  /** Drops expired results (see RelayStore.sweep); the number dropped. */
  async sweep(now = Date.now()): Promise<number> {
    if (!this.writer?.alive) return this.store.sweep(now);
    const deleted = await this.writer.sweep(now - this.store.retentionMs);
    this.store.recordDeleted(deleted);
    return deleted.length;
  }

  /** Commits what is queued, waits for a running checkpoint, then stops the threads (the store stays open). */
  async close(): Promise<void> {
    this.start();
    await this.running;
    this.closed = true;
    clearTimeout(this.idleTimer);
    await this.checkpointing;
    await this.checkpointer?.close();
    await this.writer?.close();
  }

  private start(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    if (!this.running && this.queue.length > 0) this.running = this.drain();
  }

  /** Commits batch after batch until the queue is empty; `running` is cleared in the same step that saw it empty. */
  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) await this.commit(this.queue.splice(0, this.opts.maxBatch ?? 64));
    } finally {
      this.running = undefined;
    }
  }

  private async commit(batch: Waiting[]): Promise<void> {
    const started = performance.now();
    let outcomes: PutOutcome[];
    try {
      outcomes = this.writer?.alive ? await this.viaWriter(batch.map((w) => w.item)) : this.store.putBatch(batch.map((w) => w.item));
    } catch (e) {
      for (const w of batch) w.reject(e);
      return;
    }
    this.opts.onBatch?.({ size: batch.length, ms: performance.now() - started });
    batch.forEach((w, i) => w.resolve(outcomes[i]!));
    for (const [i, o] of outcomes.entries()) if (o.kind === 'stored') this.sinceCheckpoint += batch[i]!.item.body.length;
    this.planCheckpoint();
  }

  private async viaWriter(items: PutRequest[]): Promise<PutOutcome[]> {
    const { outcomes, rows } = this.store.admitBatch(items);
    if (rows.length > 0) {
      await this.writer!.put(rows, Date.now(), this.faultText('put'));
      this.store.recordStored(rows);
    }
    return outcomes;
  }

  /** The test seam's failure, if it throws, as text for the writer thread to fail with before COMMIT. */
  private faultText(op: 'put' | 'ack'): string | undefined {
    try {
      this.store.fault?.(op);
      return undefined;
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }

  /** The thread that runs checkpoints: the checkpoint thread, else the writer; undefined when both are gone. */
  private checkpointThread(): StoreThread | undefined {
    if (this.checkpointer?.alive) return this.checkpointer;
    return this.writer?.alive ? this.writer : undefined;
  }

  private threadLost(thread: ThreadLost['thread'], error: Error): void {
    const writes = this.writer?.alive ? 'writer thread' : 'main thread';
    const via = this.checkpointThread();
    if (!via) this.store.automaticCheckpoints();
    const checkpoints = via === undefined ? 'main thread, inside commits' : via === this.checkpointer ? 'checkpoint thread' : 'writer thread';
    this.opts.onThreadLost?.({ thread, error, writes, checkpoints });
  }

  /** A checkpoint when the relay has been idle for a moment, or at once when the log grew past the bound. */
  private planCheckpoint(): void {
    if (!this.checkpointThread() || this.closed) return;
    clearTimeout(this.idleTimer);
    if (this.sinceCheckpoint >= (this.opts.checkpointBytes ?? 32 * 1024 * 1024)) return this.checkpoint();
    this.idleTimer = setTimeout(() => this.checkpoint(), this.opts.idleCheckpointMs ?? 250);
    this.idleTimer.unref();
  }

  private checkpoint(): void {
    const thread = this.checkpointThread();
    if (this.checkpointing || !thread || this.sinceCheckpoint === 0) return;
    const covered = this.sinceCheckpoint;
    let done = false;
    this.checkpointing = thread
      .checkpoint()
      .then(
        () => {
          this.sinceCheckpoint = Math.max(0, this.sinceCheckpoint - covered);
          done = true;
        },
        (e: unknown) => this.opts.onError?.('checkpoint', e),
      )
      .finally(() => {
        this.checkpointing = undefined;
        // Commits that came while it ran are not covered: plan the next one, or the log would keep them
        // (and grow from there) until some later commit planned it.
        if (done && this.sinceCheckpoint > 0) this.planCheckpoint();
      });
  }
}
