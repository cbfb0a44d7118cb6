// The server side as the VS Code client sees it: the one module that client/src may import from server/src
// (eslint.config.mjs enforces it; docs/architecture.md lists the boundaries). Everything here is a re-export,
// so the folders behind it can move without touching the client. Only the extension's lazily loaded engine
// (client/src/engine.ts, bundled as dist/engine.js) takes the parser, compiler and run engine; the other
// client modules take types and the small wire helpers, and esbuild drops what a bundle does not use.

// Language core: syntax, semantics, compile, catalog.
export type { MqDocument, Query } from './core/syntax/ast.js';
export { createMq, type Mq, type CompileQueryOptions, type CompileOptions } from './core/index.js';
export { catalog } from './core/catalog/data.js';
export type { MqDiagnostic } from './core/semantics/diagnostics.js';
export { METRICS_API_PATHS, RawInteger, stringifyJson } from './core/compile/wire.js';
export type { AggregateDataResponse, Cell, QueryAggregateDataRequest } from './core/compile/wire.js';
export { key } from './core/catalog/catalogIndex.js';

// Run engine: the request, the callback receiver, ordering of results.
export { runRequest, RunError, type RunOptions, type RunOutcome } from './run/engine.js';
export { prepareSampleData } from './run/standin/dataset.js';
export type { Remedy } from './run/errors.js';
export { redact, redactShapes, urlSecrets, MASK } from './run/redact.js';
export { parseJsonLossless, isPlainObject } from './run/json.js';

// Notebooks: the .mqnb format, the cell runner and the exports (shared with `mq notebook`).
export { parseNotebook, serializeNotebook, readResult, NotebookFormatError } from './notebook/format.js';
export type { CellExecution, Notebook, NotebookCell, NotebookOutput } from './notebook/format.js';
export { runCellSource, describeDiagnostics, type CellRunContext } from './notebook/runner.js';
export { exportHtml, exportMarkdown, resultFallbacks } from './notebook/export.js';
export type { AggregateDataRequest } from './core/compile/wire.js';

// Durable runs: the history shared with the CLI, recording results, recovering pending runs from a relay.
export * from './run/history.js';
export { storeResult, storedResultOf, recoverFromRelay } from './run/recover.js';
export { openRelay } from './run/relayWait.js';
export { decidePending, processIsAlive } from './run/pending.js';
export { CallbackReceiver } from './run/receiver.js';
export { applyOrderAndLimit, type OrderSpec } from './run/results.js';

// Plans: what a compiled query sends and does to its rows (COMPARE WITH, HAVING, ORDER BY, LIMIT).
export type { QueryPlan } from './core/compile/plan.js';
export { compilePlan, planRequests, type PlanResult } from './run/plan.js';
export { applyPlan, comparisonOf, dimensionColumnsOf, rateColumnsOf, type PlannedResponse } from './run/compare.js';
export { runPlan, type PlanOutcome, type PlanRunOptions } from './run/runPlan.js';
export { storedPlanResultOf, type StoredResult } from './run/recover.js';
