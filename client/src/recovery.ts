// After a restart (or a window reload): every run still pending in the history is settled. A run another
// window still waits for is left alone; one whose result a relay may hold is fetched, stored, marked done
// and offered to the user; the rest are marked LOST with the reason. Nothing stays "running" forever.
import vscode = require('vscode');
import type { HistoryEntry } from './history.js';
import { engine } from './lazyEngine.js';
import { reopenFromHistory, type RunContext } from './run.js';
import { activeConnection } from './settings.js';

export interface RecoverySummary {
  recovered: number;
  lost: number;
  /** Runs that may still get a result (at a relay, or in another window). */
  waiting: number;
}

/**
 * Recovery now, then again with a growing pause (10 s doubling to 5 min) for as long as some run may still
 * get its result: a callback that reaches the relay after the window opened is picked up too.
 * Returns a disposable that stops the retries.
 */
export function keepRecovering(ctx: RunContext, firstDelayMs = 0): { dispose(): void } {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const pass = async (delay: number): Promise<void> => {
    const s = await recoverPendingRuns(ctx).catch((e: unknown) => {
      ctx.log(`recovery: ${e instanceof Error ? e.message : String(e)}`);
      return { recovered: 0, lost: 0, waiting: 1 };
    });
    if (stopped || s.waiting === 0) return;
    const next = Math.min(delay * 2, 300_000);
    timer = setTimeout(() => void pass(next), delay);
  };
  timer = setTimeout(() => void pass(10_000), firstDelayMs);
  return {
    dispose: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

/** The relay token of the connection a run used (looked up by its name). */
async function relayTokenFor(ctx: RunContext, entry: HistoryEntry): Promise<string | undefined> {
  const profile = activeConnection().profiles.find((p) => p.name === entry.connection);
  return profile ? ctx.connections.relayToken(profile) : undefined;
}

/** Asks the run's relay for its result; true when it was stored. */
async function fetchFromRelay(ctx: RunContext, entry: HistoryEntry): Promise<boolean> {
  const token = await relayTokenFor(ctx, entry);
  if (!token || !entry.relayUrl || !entry.requestId) {
    ctx.log(`recovery: ${entry.requestId ?? entry.id} waits at the relay, but connection "${entry.connection}" has no relay token stored; it stays pending.`);
    return false;
  }
  const e = engine();
  const relay = await e.openRelay(entry.relayUrl, token);
  const r = await e.recoverFromRelay(ctx.history, relay, entry.requestId, entry);
  if (r.kind === 'pending') ctx.log(`recovery: the relay has no result for ${entry.requestId} yet; it stays pending.`);
  if (r.kind === 'unavailable') ctx.log(`recovery: the relay could not be asked for ${entry.requestId} (${r.reason}); it stays pending.`);
  if (r.kind !== 'stored') return false;
  ctx.log(`recovery: stored the result of request ${entry.requestId} from the relay.`);
  const show = 'Show Result';
  void vscode.window.showInformationMessage(`mq: recovered the result of "${entry.title}" (request ${entry.requestId}) from the relay.`, show).then((c) => {
    if (c === show) void reopenFromHistory(ctx, r.entry);
  });
  return true;
}

/** Settles every pending run; safe to call at any time (runs of this window are left alone). */
export async function recoverPendingRuns(ctx: RunContext): Promise<RecoverySummary> {
  const summary: RecoverySummary = { recovered: 0, lost: 0, waiting: 0 };
  const pending = await ctx.history.pending();
  if (!pending.length) return summary;
  const e = engine();
  for (const entry of pending) {
    const d = e.decidePending(entry, { now: Date.now(), isAlive: e.processIsAlive });
    try {
      if (d.action === 'wait') summary.waiting++;
      else if (d.action === 'lost') {
        await ctx.history.update(entry.id, { status: 'LOST', message: d.reason });
        ctx.log(`recovery: "${entry.title}"${entry.requestId ? ` (request ${entry.requestId})` : ''} is lost: ${d.reason}.`);
        summary.lost++;
      } else if (await fetchFromRelay(ctx, entry)) summary.recovered++;
      else summary.waiting++;
    } catch (err) {
      ctx.log(`recovery: ${entry.requestId ?? entry.id}: ${err instanceof Error ? err.message : String(err)}`);
      summary.waiting++;
    }
  }
  if (summary.lost) {
    void vscode.window.showWarningMessage(
      `mq: ${summary.lost} earlier run${summary.lost === 1 ? '' : 's'} ended without a result that can still arrive (see "mq: Show History").`,
    );
  }
  return summary;
}

/**
 * Recovery for the life of the extension: now, and again whenever a run of this window ends pending at its
 * relay (RunContext.recoverLater).
 */
export function startRecovery(ctx: RunContext): { dispose(): void } {
  let recovering = keepRecovering(ctx);
  ctx.recoverLater = () => {
    recovering.dispose();
    recovering = keepRecovering(ctx, 10_000);
  };
  return { dispose: () => recovering.dispose() };
}
