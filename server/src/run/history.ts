// Run history on disk, shared by the CLI and the extension. Pure Node (no VS Code). The extension passes
// context.globalStorageUri/history as the directory; the CLI uses cliHistoryDir().
//
// Layout: one `<id>.meta.json` per run (small, listed) and, once the result arrived, `<id>.result.json`
// with the full result as received. A run is recorded as PENDING before it is submitted (then its request
// id as soon as the API returns it); the result file is written (atomically, flushed) before the run is
// marked done and before the result is shown: the API delivers the callback once, so a result must never
// exist only in memory. Every write is a rename of a flushed temporary file.
import { promises as fs } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { stringifyJson } from '../core/compile/wire.js';
import { parseJsonLossless } from './json.js';

/**
 * PENDING: recorded, maybe submitted, no result yet (RUNNING is the same, written by older versions).
 * LOST: it ended without a result and none can be fetched any more; `message` says why.
 */
export type HistoryStatus = 'PENDING' | 'RUNNING' | 'SUCCESS' | 'FAILED' | 'ERROR' | 'CANCELLED' | 'LOST';

/** How the result was to reach this machine. */
export type CallbackMode = 'local' | 'public' | 'relay' | 'sample';

export interface HistoryEntry {
  id: string;
  /** ISO time the run started. */
  createdAt: string;
  title: string;
  queryText: string;
  /** Where the query came from (a document URI), for information only. */
  documentUri?: string;
  /** Connection name, or "Sample data". */
  connection: string;
  source?: 'live' | 'sample';
  status: HistoryStatus;
  requestId?: string;
  /** COMPARE WITH: the previous period's request id (recorded, like requestId, before the wait). */
  previousRequestId?: string;
  /** The compiled request body, as JSON text (int64 values exact); for COMPARE WITH an array of both, current first. */
  requestJson: string;
  /** The compiled QueryPlan as JSON text (int64 values exact): what to do with the rows (join, HAVING, order). */
  planJson?: string;
  orderBy?: { column: string; direction: 'ASC' | 'DESC' }[];
  limit?: number;
  timings?: { submittedAt?: string; receivedAt?: string; elapsedMs?: number };
  /** Failure text, already redacted by the caller. */
  message?: string;
  /** True when `<id>.result.json` holds the result. */
  hasResult: boolean;
  /** Bytes on disk for this entry (meta + result); maintained by the store. */
  bytes?: number;
  /** How the result was to arrive. */
  mode?: CallbackMode;
  /** The API base URL (never with credentials). */
  baseUrl?: string;
  /** The relay's URL in relay mode (its token is never stored). */
  relayUrl?: string;
  /** ISO time after which the process that ran it has given up waiting. */
  deadline?: string;
  /** The process that waits for the result while it runs. */
  ownerPid?: number;
}

export interface HistoryLimits {
  maxEntries: number;
  maxBytes: number;
}

const ID_RE = /^[0-9]{8}T[0-9]{9}-[0-9a-f]{8}$/;

export function newHistoryId(now: Date = new Date()): string {
  const iso = now.toISOString(); // 2025-01-02T03:04:05.678Z
  const stamp = iso.slice(0, 10).replace(/-/g, '') + 'T' + iso.slice(11, 23).replace(/[:.]/g, '');
  return `${stamp}-${randomBytes(4).toString('hex')}`;
}

export class HistoryStore {
  constructor(
    readonly dir: string,
    private limits: HistoryLimits = { maxEntries: 200, maxBytes: 100 * 1024 * 1024 },
  ) {}

  /** Writes to one entry in this process, one after another (two updates must not read the same old entry). */
  private readonly queues = new Map<string, Promise<unknown>>();

  private serial<T>(id: string, work: () => Promise<T>): Promise<T> {
    const before = this.queues.get(id) ?? Promise.resolve();
    const next = before.then(work, work);
    const settled = next.then(() => undefined, () => undefined);
    this.queues.set(id, settled);
    void settled.then(() => {
      if (this.queues.get(id) === settled) this.queues.delete(id);
    });
    return next;
  }

  setLimits(limits: HistoryLimits): void {
    this.limits = limits;
  }

  private metaPath(id: string): string {
    return join(this.dir, `${checkId(id)}.meta.json`);
  }

  private resultPath(id: string): string {
    return join(this.dir, `${checkId(id)}.result.json`);
  }

  /** Records a new run (status PENDING unless given) and returns the stored entry. */
  async create(init: Omit<HistoryEntry, 'id' | 'createdAt' | 'hasResult' | 'status'> & { status?: HistoryStatus; createdAt?: string }): Promise<HistoryEntry> {
    const createdAt = init.createdAt ?? new Date().toISOString();
    const entry: HistoryEntry = { ...init, id: newHistoryId(new Date(createdAt)), createdAt, status: init.status ?? 'PENDING', hasResult: false };
    await this.writeMeta(entry);
    return entry;
  }

  /** Updates fields of an entry. */
  async update(id: string, patch: Partial<Omit<HistoryEntry, 'id' | 'createdAt'>>): Promise<HistoryEntry> {
    return this.serial(id, () => this.updateNow(id, patch));
  }

  private async updateNow(id: string, patch: Partial<Omit<HistoryEntry, 'id' | 'createdAt'>>): Promise<HistoryEntry> {
    const current = await this.get(id);
    if (!current) throw new Error(`History entry ${id} does not exist.`);
    const next: HistoryEntry = { ...current, ...patch, id: current.id, createdAt: current.createdAt };
    await this.writeMeta(next);
    return next;
  }

  /**
   * Stores the full result (any JSON value; RawInteger kept exact) durably, then marks the entry.
   * Resolves only once the data is on disk.
   */
  async saveResult(id: string, result: unknown, patch: Partial<Omit<HistoryEntry, 'id' | 'createdAt'>> = {}): Promise<HistoryEntry> {
    return this.serial(id, () => this.saveResultNow(id, result, patch));
  }

  private async saveResultNow(id: string, result: unknown, patch: Partial<Omit<HistoryEntry, 'id' | 'createdAt'>>): Promise<HistoryEntry> {
    const text = stringifyJson(result);
    await writeAtomic(this.resultPath(id), text);
    const current = await this.get(id);
    const base: HistoryEntry = current ?? {
      id,
      createdAt: new Date().toISOString(),
      title: '(unknown)',
      queryText: '',
      connection: '',
      status: 'SUCCESS',
      requestJson: '{}',
      hasResult: true,
    };
    const next: HistoryEntry = { ...base, ...patch, id: base.id, createdAt: base.createdAt, hasResult: true };
    await this.writeMeta(next);
    return next;
  }

  /** The stored result, parsed losslessly; undefined when there is none. */
  async readResult(id: string): Promise<unknown> {
    try {
      return parseJsonLossless(await fs.readFile(this.resultPath(id), 'utf8'));
    } catch (e) {
      if (isMissing(e)) return undefined;
      throw e;
    }
  }

  async get(id: string): Promise<HistoryEntry | undefined> {
    try {
      return JSON.parse(await fs.readFile(this.metaPath(id), 'utf8')) as HistoryEntry;
    } catch (e) {
      if (isMissing(e) || e instanceof SyntaxError) return undefined;
      throw e;
    }
  }

  /** All entries, newest first. Unreadable files are skipped. */
  async list(): Promise<HistoryEntry[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch (e) {
      if (isMissing(e)) return [];
      throw e;
    }
    const entries: HistoryEntry[] = [];
    for (const name of names) {
      const m = /^(.*)\.meta\.json$/.exec(name);
      if (!m || !ID_RE.test(m[1]!)) continue;
      const entry = await this.get(m[1]!);
      if (entry) entries.push(entry);
    }
    entries.sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    return entries;
  }

  /** Runs without a result that are not settled yet (PENDING, or RUNNING from an older version), newest first. */
  async pending(): Promise<HistoryEntry[]> {
    return (await this.list()).filter((e) => isPending(e));
  }

  /** The newest entry for a request id (a COMPARE WITH run is found by either of its two ids). */
  async findByRequestId(requestId: string): Promise<HistoryEntry | undefined> {
    return (await this.list()).find((e) => e.requestId === requestId || e.previousRequestId === requestId);
  }

  async delete(id: string): Promise<void> {
    await fs.rm(this.resultPath(id), { force: true });
    await fs.rm(this.metaPath(id), { force: true });
  }

  /**
   * Drops the oldest entries until at most maxEntries remain and they use at most maxBytes.
   * The newest entry is always kept, whatever its size. Returns the ids removed.
   */
  async prune(): Promise<string[]> {
    const entries = await this.list();
    const removed: string[] = [];
    let count = 0;
    let bytes = 0;
    for (const e of entries) {
      const size = await this.sizeOf(e.id);
      // A pending run is never dropped: it may still be recovered.
      const keep = isPending(e) || count === 0 || (count < this.limits.maxEntries && bytes + size <= this.limits.maxBytes);
      if (keep) {
        count++;
        bytes += size;
      } else {
        await this.delete(e.id);
        removed.push(e.id);
      }
    }
    // Leftover temporary files from an interrupted write.
    for (const name of await fs.readdir(this.dir).catch(() => [] as string[])) {
      if (name.endsWith('.tmp')) {
        const st = await fs.stat(join(this.dir, name)).catch(() => undefined);
        if (st && Date.now() - st.mtimeMs > 60_000) await fs.rm(join(this.dir, name), { force: true });
      }
    }
    return removed;
  }

  private async sizeOf(id: string): Promise<number> {
    let total = 0;
    for (const p of [this.metaPath(id), this.resultPath(id)]) {
      const st = await fs.stat(p).catch(() => undefined);
      if (st) total += st.size;
    }
    return total;
  }

  private async writeMeta(entry: HistoryEntry): Promise<void> {
    await writeAtomic(this.metaPath(entry.id), JSON.stringify(entry, null, 1));
  }
}

export function isPending(e: HistoryEntry): boolean {
  return (e.status === 'PENDING' || e.status === 'RUNNING') && !e.hasResult;
}

function checkId(id: string): string {
  if (!ID_RE.test(id)) throw new Error(`Invalid history id: ${JSON.stringify(id)}`);
  return id;
}

function isMissing(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: string }).code === 'ENOENT';
}

let tmpCounter = 0;

/** Writes a file so that readers see either the old or the complete new content, and flushes it to disk. */
export async function writeAtomic(path: string, text: string): Promise<void> {
  await fs.mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${++tmpCounter}.tmp`;
  const handle = await fs.open(tmp, 'w');
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(tmp, path);
}
