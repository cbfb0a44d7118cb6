// The language core and the run engine as the extension uses them. Bundled separately (dist/engine.js) and
// loaded on first use through lazyEngine.ts, so activating the extension only loads the language client.
import {
  catalog, compilePlan as compilePlanWith, createMq, key, type CompileQueryOptions, type CompileOptions, type MqDocument, type PlanResult, type Query,
} from '../../server/src/api.js';
export { runRequest, runPlan, planRequests, RunError, CallbackReceiver } from '../../server/src/api.js';
import { prepareSampleData } from '../../server/src/api.js';

// The sample data (≈ 200 ms of CPU, once per process) is built while the editor is idle after this module
// loads (the first CodeLens of an .mq file), not on the first Ctrl+Enter.
setTimeout(() => prepareSampleData(new Date()), 0).unref?.();

/** The extension's one instance of the language core (this module is loaded once, on first use). */
const mq = createMq({ catalog });

export function parseDocument(text: string): MqDocument {
  return mq.parse(text);
}

export function compileQuery(q: Query, opts: CompileQueryOptions): ReturnType<typeof mq.compile> {
  return mq.compile(q, opts);
}

/** The plan of a query: its request(s) and what happens to the rows (COMPARE WITH, HAVING, ORDER BY, LIMIT). */
export function compilePlan(q: Query, opts: CompileOptions): PlanResult {
  return compilePlanWith(mq, q, opts);
}

export function errorsAfterQuery(doc: MqDocument, index: number): ReturnType<typeof mq.errorsAfterQuery> {
  return mq.errorsAfterQuery(doc, index);
}

/** True for the metrics the catalog marks as rates or ratios (the results view shows them as percentages). */
export function isRateMetric(name: string): boolean {
  return mq.catalog.metrics.get(key(name))?.isRate === true;
}

// Durable runs: recording results, and recovering pending runs from a relay.
export { storeResult, storedResultOf, storedPlanResultOf, recoverFromRelay } from '../../server/src/api.js';
export { openRelay } from '../../server/src/api.js';
export { decidePending, processIsAlive } from '../../server/src/api.js';
import * as notebookParts from './notebook/engineExports.js';
import type { CellRunContext } from '../../server/src/api.js';

/** The notebook parts, with the cell runner bound to this bundle's language core. */
export const notebook = {
  ...notebookParts,
  runCellSource: (text: string, ctx: Omit<CellRunContext, 'mq'>) => notebookParts.runCellSource(text, { ...ctx, mq }),
};
