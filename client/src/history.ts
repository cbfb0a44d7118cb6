// The run history is shared with the CLI (server/src/run/history.ts): one store, one on-disk layout.
export * from '../../server/src/run/history.js';
