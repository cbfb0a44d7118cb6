// What can be done about a run that has no result yet: pure decisions over a history entry, shared by
// `mq pending`, `mq fetch` and the extension's recovery after a restart. Nothing stays pending forever:
// a run whose result can no longer arrive anywhere is marked LOST with the reason.
import type { HistoryEntry } from './history.js';

/** How long a relay keeps an unacknowledged result (its default retention). */
export const RELAY_RETENTION_MS = 7 * 24 * 3600_000;

export type PendingDecision =
  /** The process that submitted it is still waiting for it. */
  | { action: 'wait'; why: string }
  /** A relay may hold the result: ask it (by request id). */
  | { action: 'fetch'; why: string }
  /** The result cannot arrive any more. */
  | { action: 'lost'; reason: string };

export interface DecideInput {
  now: number;
  /** True when a process with this id runs on this machine. */
  isAlive: (pid: number) => boolean;
}

/** True when a process with this id exists (a permission error means it exists, owned by someone else). */
export function processIsAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function pastDeadline(e: HistoryEntry, now: number): boolean {
  const at = e.deadline ? Date.parse(e.deadline) : NaN;
  return Number.isFinite(at) && now > at;
}

/** What to do about a pending entry now. */
export function decidePending(e: HistoryEntry, input: DecideInput): PendingDecision {
  const owned = e.ownerPid !== undefined && input.isAlive(e.ownerPid) && !pastDeadline(e, input.now);
  if (owned) return { action: 'wait', why: `still being waited for by process ${e.ownerPid}` };
  if (!e.requestId) {
    return { action: 'lost', reason: 'the run ended before the Metrics API returned a request id, so there is nothing to ask for' };
  }
  switch (e.mode) {
    case 'relay': {
      const age = input.now - Date.parse(e.createdAt);
      if (Number.isFinite(age) && age > RELAY_RETENTION_MS) {
        return { action: 'lost', reason: 'the relay keeps a result for 7 days, and this one was not fetched in time' };
      }
      return { action: 'fetch', why: `the relay ${e.relayUrl ?? ''} may hold the result`.replace('  ', ' ') };
    }
    case 'sample':
      return { action: 'lost', reason: 'the sample-data stand-in stopped with the run that started it' };
    case 'public':
      return { action: 'lost', reason: 'the local receiver (behind the public callback URL) was closed before the callback arrived; the API sends a result only once' };
    default:
      return { action: 'lost', reason: 'the local receiver was closed before the callback arrived; the API sends a result only once' };
  }
}
