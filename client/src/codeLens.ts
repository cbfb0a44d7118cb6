// "▶ Run" and "{ } Request" above each query, from a cheap local parse. Not in notebook cells: a cell has
// its own run button, and its queries run through the notebook controller.
import vscode = require('vscode');
import { engine } from './lazyEngine.js';

/** The URI scheme of the text document behind a notebook cell (in .mqnb and .ipynb alike). */
const NOTEBOOK_CELL_SCHEME = 'vscode-notebook-cell';

export class QueryCodeLenses implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): vscode.CodeLens[] {
    if (document.uri.scheme === NOTEBOOK_CELL_SCHEME) return [];
    if (!vscode.workspace.getConfiguration('mq', document.uri).get<boolean>('codeLens.enabled', true)) return [];
    const doc = engine().parseDocument(document.getText());
    const lenses: vscode.CodeLens[] = [];
    for (const q of doc.queries) {
      if (token.isCancellationRequested) return [];
      const line = q.range.start.line;
      const range = new vscode.Range(line, 0, line, 0);
      const args = [document.uri.toString(), q.index];
      lenses.push(
        new vscode.CodeLens(range, { title: '▶ Run', tooltip: 'Run this query (Ctrl/Cmd+Enter)', command: 'mq.runQuery', arguments: args }),
        new vscode.CodeLens(range, { title: '{ } Request', tooltip: 'Show the JSON request this query sends', command: 'mq.showRequest', arguments: args }),
      );
    }
    return lenses;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
