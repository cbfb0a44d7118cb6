// mq.openSampleWorkspace: copies the bundled examples/ to the extension's storage and opens them.
import vscode = require('vscode');

async function copyMissing(from: vscode.Uri, to: vscode.Uri): Promise<void> {
  await vscode.workspace.fs.createDirectory(to);
  for (const [name, type] of await vscode.workspace.fs.readDirectory(from)) {
    const src = vscode.Uri.joinPath(from, name);
    const dst = vscode.Uri.joinPath(to, name);
    if (type & vscode.FileType.Directory) {
      await copyMissing(src, dst);
      continue;
    }
    try {
      await vscode.workspace.fs.stat(dst);
      // Present already: keep the user's edits.
    } catch {
      await vscode.workspace.fs.copy(src, dst, { overwrite: false });
    }
  }
}

export async function openSampleWorkspace(context: vscode.ExtensionContext): Promise<void> {
  const source = vscode.Uri.joinPath(context.extensionUri, 'examples');
  const target = vscode.Uri.joinPath(context.globalStorageUri, 'sample-workspace');
  try {
    await copyMissing(source, target);
  } catch (e) {
    void vscode.window.showErrorMessage(`mq: could not copy the sample workspace: ${e instanceof Error ? e.message : String(e)}`);
    return;
  }
  const files = (await vscode.workspace.fs.readDirectory(target)).filter(([n, t]) => t === vscode.FileType.File && n.endsWith('.mq')).map(([n]) => n).sort();
  const open = vscode.workspace.workspaceFolders?.some((f) => f.uri.toString() === target.toString());
  if (!vscode.workspace.workspaceFolders?.length) {
    // Nothing open yet: open the samples as the workspace of this window.
    await vscode.commands.executeCommand('vscode.openFolder', target, { forceNewWindow: false });
    return;
  }
  // A workspace is open: leave it alone, open the first sample here and offer the folder.
  if (files[0]) {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(target, files[0]));
    await vscode.window.showTextDocument(doc);
  }
  if (!open) {
    const newWindow = 'Open Folder in New Window';
    void vscode.window
      .showInformationMessage(`mq: the sample queries are in ${target.fsPath}.`, newWindow)
      .then((c) => {
        if (c === newWindow) void vscode.commands.executeCommand('vscode.openFolder', target, { forceNewWindow: true });
      });
  }
}
