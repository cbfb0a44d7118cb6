// The notebook parts of the lazily loaded engine bundle (dist/engine.js): the .mqnb format, the cell
// runner and the exports. Re-exported from client/src/engine.ts as `notebook`.
export { parseNotebook, serializeNotebook, readResult, NotebookFormatError } from '../../../server/src/notebook/format.js';
export { runCellSource, describeDiagnostics } from '../../../server/src/notebook/runner.js';
export { exportHtml, exportMarkdown, resultFallbacks } from '../../../server/src/notebook/export.js';
export { parseJsonLossless } from '../../../server/src/run/json.js';
export { stringifyJson } from '../../../server/src/core/compile/wire.js';
