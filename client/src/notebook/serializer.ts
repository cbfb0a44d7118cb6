// Reads and writes .mqnb files for VS Code. A file that cannot be read throws, so VS Code shows the reason
// and does not open it: a damaged notebook is never overwritten by a save.
import vscode = require('vscode');
import { engine } from '../lazyEngine.js';
import { fromCellData, toCellData } from './outputs.js';

export class MqNotebookSerializer implements vscode.NotebookSerializer {
  deserializeNotebook(content: Uint8Array): vscode.NotebookData {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(content);
    } catch {
      throw new Error('mq: this notebook is not valid UTF-8 text, so it was not opened (and will not be overwritten).');
    }
    let nb;
    try {
      nb = engine().notebook.parseNotebook(text);
    } catch (e) {
      throw new Error(`mq: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    const data = new vscode.NotebookData(nb.cells.map(toCellData));
    if (nb.metadata?.title) data.metadata = { title: nb.metadata.title };
    return data;
  }

  serializeNotebook(data: vscode.NotebookData): Uint8Array {
    const title = typeof data.metadata?.title === 'string' ? data.metadata.title : undefined;
    const text = engine().notebook.serializeNotebook({ ...(title ? { metadata: { title } } : {}), cells: data.cells.map(fromCellData) });
    return new TextEncoder().encode(text);
  }
}
