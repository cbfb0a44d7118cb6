// The run history is shared with the CLI (server/src/run/history.ts): one store, one on-disk layout.
export {
  HistoryStore, newHistoryId, isPending, writeAtomic,
  type HistoryEntry, type HistoryStatus, type HistoryLimits, type CallbackMode,
} from '../../server/src/api.js';
