// The notebook parts of the lazily loaded engine bundle (dist/engine.js): the .mqnb format, the cell
// runner and the exports. Re-exported from client/src/engine.ts as `notebook`, where the cell runner gets
// the engine's one language core.
export { parseNotebook, serializeNotebook, readResult, NotebookFormatError } from '../../../server/src/api.js';
export { runCellSource, describeDiagnostics } from '../../../server/src/api.js';
export { exportHtml, exportMarkdown, resultFallbacks } from '../../../server/src/api.js';
export { parseJsonLossless, stringifyJson } from '../../../server/src/api.js';
