// Everything notebook-related the extension registers: the .mqnb serializer, the mq kernel for .mqnb and
// Jupyter notebooks, and the notebook commands.
import vscode = require('vscode');
import { exportNotebook, newNotebook, openQueryInNotebook } from './commands.js';
import { MqNotebookController, type NotebookRunContext } from './controller.js';
import { NOTEBOOK_TYPE } from './outputs.js';
import { MqNotebookSerializer } from './serializer.js';

export function registerNotebooks(context: vscode.ExtensionContext, ctx: NotebookRunContext): void {
  const guard = (id: string, fn: (...args: unknown[]) => Promise<unknown>) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await fn(...args);
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        ctx.log(`${id} failed: ${message}`);
        void vscode.window.showErrorMessage(`mq: ${message}`);
        return undefined;
      }
    });
  context.subscriptions.push(
    vscode.workspace.registerNotebookSerializer(NOTEBOOK_TYPE, new MqNotebookSerializer(), { transientOutputs: false }),
    new MqNotebookController(ctx),
    guard('mq.newNotebook', () => newNotebook()),
    guard('mq.openQueryInNotebook', (uri) => openQueryInNotebook(uri)),
    guard('mq.exportNotebookHtml', (nb, target) => exportNotebook('html', nb, target)),
    guard('mq.exportNotebookMarkdown', (nb, target) => exportNotebook('markdown', nb, target)),
  );
}
