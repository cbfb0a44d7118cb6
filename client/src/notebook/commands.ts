// Notebook commands: mq: New Notebook, mq: Open Query in Notebook (a .mq file's queries as cells) and the
// export of a notebook to a self-contained HTML report or to Markdown.
import vscode = require('vscode');
import { engine } from '../lazyEngine.js';
import { NOTEBOOK_TYPE, notebookOfDocument } from './outputs.js';

const WELCOME = `# New mq notebook

Write the question in prose, the query in an mq cell below, and run it with the ▶ button (or **Run All**).
Without a connection, queries run on built-in sample data.`;

const STARTER = `-- Daily SMS delivery over the last 7 days
SELECT TOTAL_SENT_TRAFFIC_COUNT, DELIVERED_TRAFFIC_COUNT, TRAFFIC_DELIVERY_RATE
BY DAY
WHERE channelCode = SMS
  AND sentSince = today - 7d AND sentUntil = today;`;

async function openNotebook(cells: vscode.NotebookCellData[]): Promise<vscode.NotebookEditor> {
  const doc = await vscode.workspace.openNotebookDocument(NOTEBOOK_TYPE, new vscode.NotebookData(cells));
  return vscode.window.showNotebookDocument(doc);
}

export async function newNotebook(): Promise<vscode.NotebookEditor> {
  return openNotebook([
    new vscode.NotebookCellData(vscode.NotebookCellKind.Markup, WELCOME, 'markdown'),
    new vscode.NotebookCellData(vscode.NotebookCellKind.Code, STARTER, 'mq'),
  ]);
}

/** Splits an .mq text into one piece per query, each with the comments above it. */
export function queryCells(text: string): string[] {
  const doc = engine().parseDocument(text);
  let from = 0;
  return doc.queries.map((q, i) => {
    const semicolonEnd = q.semicolon ? Math.max(q.end, q.semicolon.end) : q.end;
    const next = doc.queries[i + 1];
    // Keep a comment on the query's own last line with it; the rest of the gap goes to the next query.
    const lineEnd = text.indexOf('\n', semicolonEnd);
    const to = next ? Math.min(lineEnd < 0 ? text.length : lineEnd, next.start) : text.length;
    const piece = text.slice(from, to).trim();
    from = to;
    return piece;
  });
}

export async function openQueryInNotebook(uriArg?: unknown): Promise<vscode.NotebookEditor | undefined> {
  const uri = uriArg instanceof vscode.Uri ? uriArg : typeof uriArg === 'string' ? vscode.Uri.parse(uriArg, true) : undefined;
  const doc = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
  if (!doc || doc.languageId !== 'mq') {
    void vscode.window.showErrorMessage('mq: open an .mq file first; its queries become the cells of a new notebook.');
    return undefined;
  }
  const pieces = queryCells(doc.getText());
  if (!pieces.length) {
    void vscode.window.showErrorMessage('mq: this file holds no query (a query starts with SELECT).');
    return undefined;
  }
  const name = doc.uri.path.replace(/^.*\//, '');
  return openNotebook([
    new vscode.NotebookCellData(vscode.NotebookCellKind.Markup, `# ${name}\n\nThe queries of \`${name}\`, one per cell.`, 'markdown'),
    ...pieces.map((p) => new vscode.NotebookCellData(vscode.NotebookCellKind.Code, p, 'mq')),
  ]);
}

function targetNotebook(uriArg: unknown): vscode.NotebookDocument | undefined {
  const uri = uriArg instanceof vscode.Uri ? uriArg.toString() : typeof uriArg === 'string' ? uriArg : undefined;
  if (uri) return vscode.workspace.notebookDocuments.find((d) => d.uri.toString() === uri);
  return vscode.window.activeNotebookEditor?.notebook;
}

/**
 * Exports the open notebook. With a target URI (tests, scripts) it writes there; otherwise it asks where.
 * Returns the URI written, or undefined when there was nothing to export or the user cancelled.
 */
export async function exportNotebook(format: 'html' | 'markdown', notebookArg?: unknown, targetArg?: unknown): Promise<vscode.Uri | undefined> {
  const notebook = targetNotebook(notebookArg);
  if (!notebook) {
    void vscode.window.showErrorMessage('mq: open a notebook first (.mqnb, or an .ipynb with mq cells).');
    return undefined;
  }
  const nb = notebookOfDocument(notebook);
  const base = notebook.uri.path.replace(/^.*\//, '').replace(/\.(mqnb|ipynb)$/i, '') || 'notebook';
  const ext = format === 'html' ? 'html' : 'md';
  let target = targetArg instanceof vscode.Uri ? targetArg : typeof targetArg === 'string' ? vscode.Uri.parse(targetArg, true) : undefined;
  if (!target) {
    const folder = notebook.uri.scheme === 'untitled' ? vscode.workspace.workspaceFolders?.[0]?.uri : vscode.Uri.joinPath(notebook.uri, '..');
    target = await vscode.window.showSaveDialog({
      ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, `${base}.${ext}`) } : {}),
      filters: format === 'html' ? { 'HTML report': ['html'] } : { Markdown: ['md'] },
      title: format === 'html' ? 'Export the notebook as an HTML report' : 'Export the notebook as Markdown',
    });
    if (!target) return undefined;
  }
  const text = format === 'html' ? engine().notebook.exportHtml(nb, { title: base }) : engine().notebook.exportMarkdown(nb);
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
  if (!targetArg) {
    const open = format === 'html' ? 'Open in Browser' : 'Open';
    void vscode.window.showInformationMessage(`mq: exported the notebook to ${target.fsPath || target.toString()}.`, open).then((c) => {
      if (c && target) void (format === 'html' ? vscode.env.openExternal(target) : vscode.window.showTextDocument(target));
    });
  }
  return target;
}
