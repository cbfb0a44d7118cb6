// The language core and the run engine as the extension uses them. Bundled separately (dist/engine.js) and
// loaded on first use through lazyEngine.ts, so activating the extension only loads the language client.
export { parseDocument } from '../../server/src/api.js';
export { compileQuery } from '../../server/src/api.js';
export { errorsAfterQuery } from '../../server/src/api.js';
export { runRequest, RunError } from '../../server/src/api.js';
export { CallbackReceiver } from '../../server/src/api.js';
import { getCatalogIndex, key } from '../../server/src/api.js';

/** True for the metrics the catalog marks as rates or ratios (the results view shows them as percentages). */
export function isRateMetric(name: string): boolean {
  return getCatalogIndex().metrics.get(key(name))?.isRate === true;
}

// Durable runs: recording results, and recovering pending runs from a relay.
export { storeResult, storedResultOf, recoverFromRelay } from '../../server/src/api.js';
export { openRelay } from '../../server/src/api.js';
export { decidePending, processIsAlive } from '../../server/src/api.js';
