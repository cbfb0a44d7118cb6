// Results too large for a results page's saved state (client/common/protocol.ts, MAX_SAVED_PAYLOAD_CHARS)
// are kept on disk in the extension's global storage, so the panel shows them again after a window reload.
// One file per result, named by a random key; the oldest files go once there are more than `maxFiles`.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MAX_SAVED_PAYLOAD_CHARS, isStoreKey } from '../common/protocol.js';

export class ResultStore {
  private pending = new Map<string, Promise<void>>();

  constructor(
    private readonly dir: string,
    private readonly maxFiles = 10,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  /** Whether a payload is too large for the page's saved state and is kept here instead. */
  static needed(payload: string): boolean {
    return payload.length > MAX_SAVED_PAYLOAD_CHARS;
  }

  private file(key: string): string {
    return join(this.dir, `${key}.json`);
  }

  /** Starts writing the payload and returns its key at once (a reload waits for the write; see load). */
  save(payload: string): string {
    const key = randomBytes(16).toString('hex');
    const done = (async () => {
      await mkdir(this.dir, { recursive: true });
      await writeFile(this.file(key), payload, 'utf8');
      await this.prune();
    })().catch((e: unknown) => this.log(`results store: could not keep a large result on disk: ${e instanceof Error ? e.message : String(e)}`));
    this.pending.set(key, done);
    void done.finally(() => this.pending.delete(key));
    return key;
  }

  /** The payload kept under `key`, or undefined when the key is malformed or the file is gone. */
  async load(key: unknown): Promise<string | undefined> {
    if (!isStoreKey(key)) return undefined;
    await this.pending.get(key);
    try {
      return await readFile(this.file(key), 'utf8');
    } catch {
      return undefined;
    }
  }

  /** Removes the oldest files beyond `maxFiles`. */
  async prune(): Promise<void> {
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter((n) => isStoreKey(n.replace(/\.json$/, '')) && n.endsWith('.json'));
    } catch {
      return;
    }
    if (names.length <= this.maxFiles) return;
    const dated = await Promise.all(names.map(async (n) => ({ n, t: (await stat(join(this.dir, n)).catch(() => undefined))?.mtimeMs ?? 0 })));
    dated.sort((a, b) => b.t - a.t);
    for (const { n } of dated.slice(this.maxFiles)) await rm(join(this.dir, n), { force: true });
  }
}

/**
 * The state to embed in a page VS Code restores after a reload: the page's saved state as it is, or, for a
 * large result kept on disk, that state with the payload read back. Undefined when there is nothing to show.
 */
export async function restoredStateJson(state: unknown, store: ResultStore | undefined): Promise<string | undefined> {
  if (!state || typeof state !== 'object') return undefined;
  const s = state as { payload?: unknown; stored?: { key?: unknown } };
  if (typeof s.payload === 'string') return JSON.stringify(state);
  const payload = s.stored && store ? await store.load(s.stored.key) : undefined;
  return payload === undefined ? undefined : JSON.stringify({ ...s, payload });
}
