// The language core and the run engine as the extension uses them. Bundled separately (dist/engine.js) and
// loaded on first use through lazyEngine.ts, so activating the extension only loads the language client.
export { parseDocument } from '../../server/src/core/syntax/parser.js';
export { compileQuery } from '../../server/src/core/compile/compiler.js';
export { errorsAfterQuery } from '../../server/src/core/semantics/stray.js';
export { runRequest, RunError } from '../../server/src/run/engine.js';
export { CallbackReceiver } from '../../server/src/run/receiver.js';
import { getCatalogIndex, key } from '../../server/src/core/catalog/catalogIndex.js';

/** True for the metrics the catalog marks as rates or ratios (the results view shows them as percentages). */
export function isRateMetric(name: string): boolean {
  return getCatalogIndex().metrics.get(key(name))?.isRate === true;
}
export * as notebook from './notebook/engineExports.js';
