// Between the .mqnb model and VS Code's notebook API: outputs (a result is the mq mime type plus
// text/markdown, text/csv and text/plain fallbacks; an error is VS Code's error item), cells and
// execution summaries. The mq part of each output is kept in its metadata so that it is saved exactly.
import vscode = require('vscode');
import type { CellExecution, Notebook, NotebookCell, NotebookOutput } from '../../../server/src/api.js';
import { engine } from '../lazyEngine.js';

/** The mime type of an mq result output (JSON text of the result, int64 cells as bare numbers). */
export const RESULT_MIME = 'application/vnd.mq.result+json';
export const NOTEBOOK_TYPE = 'mq-notebook';

type OutputMeta = { mq?: { kind: 'result'; query: number; line: number } | NotebookOutput };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function toCellOutput(o: NotebookOutput): vscode.NotebookCellOutput {
  const nb = engine().notebook;
  if (o.kind === 'error') {
    const name = o.reason === 'diagnostics' ? 'Not run: the query has errors' : o.reason === 'cancelled' ? 'Cancelled' : o.reason === 'failed' ? 'Request failed' : 'Run error';
    const details = (o.diagnostics ?? []).map((d) => `  [${d.code}] line ${d.line}, column ${d.column}: ${d.message}`).join('\n');
    const error = { name, message: details ? `${o.message}\n${details}` : o.message };
    return new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.error(error), vscode.NotebookCellOutputItem.text(error.message)], { mq: o });
  }
  const text = nb.stringifyJson(o.result);
  const f = nb.resultFallbacks(o.result);
  return new vscode.NotebookCellOutput(
    [
      new vscode.NotebookCellOutputItem(encoder.encode(text), RESULT_MIME),
      vscode.NotebookCellOutputItem.text(f.markdown, 'text/markdown'),
      vscode.NotebookCellOutputItem.text(f.csv, 'text/csv'),
      vscode.NotebookCellOutputItem.text(f.plain, 'text/plain'),
    ],
    { mq: { kind: 'result', query: o.query, line: o.line } },
  );
}

/** The mq output an output holds, or undefined for outputs mq did not make. */
export function fromCellOutput(out: { items: readonly { mime: string; data: Uint8Array }[]; metadata?: { [key: string]: unknown } }): NotebookOutput | undefined {
  const meta = (out.metadata ?? {}) as OutputMeta;
  if (meta.mq?.kind === 'error') return meta.mq;
  const item = out.items.find((i) => i.mime === RESULT_MIME);
  if (!item) return undefined;
  const nb = engine().notebook;
  const result = nb.readResult(nb.parseJsonLossless(decoder.decode(item.data)));
  const head = meta.mq?.kind === 'result' ? meta.mq : { query: 1, line: 1 };
  return { kind: 'result', query: head.query, line: head.line, result };
}

export function toCellData(c: NotebookCell): vscode.NotebookCellData {
  if (c.kind === 'markdown') return new vscode.NotebookCellData(vscode.NotebookCellKind.Markup, c.source, 'markdown');
  const data = new vscode.NotebookCellData(vscode.NotebookCellKind.Code, c.source, 'mq');
  data.outputs = (c.outputs ?? []).map(toCellOutput);
  const e = c.execution;
  if (e) {
    const summary: vscode.NotebookCellExecutionSummary = {};
    if (e.order !== undefined) (summary as { executionOrder?: number }).executionOrder = e.order;
    if (e.success !== undefined) (summary as { success?: boolean }).success = e.success;
    const start = e.startedAt ? Date.parse(e.startedAt) : NaN;
    if (!Number.isNaN(start) && e.durationMs !== undefined) (summary as { timing?: { startTime: number; endTime: number } }).timing = { startTime: start, endTime: start + e.durationMs };
    data.executionSummary = summary;
  }
  return data;
}

function executionOf(s: vscode.NotebookCellExecutionSummary | undefined): CellExecution | undefined {
  if (!s) return undefined;
  const e: CellExecution = {};
  if (s.executionOrder !== undefined) e.order = s.executionOrder;
  if (s.timing) {
    e.startedAt = new Date(s.timing.startTime).toISOString();
    e.durationMs = Math.max(0, s.timing.endTime - s.timing.startTime);
  }
  if (s.success !== undefined) e.success = s.success;
  return Object.keys(e).length ? e : undefined;
}

type CellLike = { kind: vscode.NotebookCellKind; value: string; outputs?: readonly vscode.NotebookCellOutput[]; executionSummary?: vscode.NotebookCellExecutionSummary };

export function fromCellData(c: CellLike): NotebookCell {
  if (c.kind === vscode.NotebookCellKind.Markup) return { kind: 'markdown', source: c.value };
  const cell: NotebookCell = { kind: 'mq', source: c.value, outputs: (c.outputs ?? []).map(fromCellOutput).filter((o): o is NotebookOutput => !!o) };
  const e = executionOf(c.executionSummary);
  if (e) cell.execution = e;
  return cell;
}

/** An open notebook (mq or Jupyter) as the .mqnb model, for export. Non-mq code cells are left out. */
export function notebookOfDocument(doc: vscode.NotebookDocument): Notebook {
  const cells = doc
    .getCells()
    .filter((c) => c.kind === vscode.NotebookCellKind.Markup || c.document.languageId === 'mq')
    .map((c) => fromCellData({ kind: c.kind, value: c.document.getText(), outputs: c.outputs, executionSummary: c.executionSummary }));
  return { cells };
}
