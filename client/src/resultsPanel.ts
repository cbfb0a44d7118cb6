// Results webview panels: creation, reuse, restore after reload, and the messages the page sends.
import vscode = require('vscode');
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { renderWebviewHtml } from './webviewHtml.js';
import { resultViewJson, type ResultView } from './resultView.js';
import { readWebviewMessage, type HostMessage } from '../common/protocol.js';
import { ResultStore, restoredStateJson } from './resultStore.js';

export const VIEW_TYPE = 'mq.results';

interface PanelRecord {
  panel: vscode.WebviewPanel;
  key: string;
}

/** The panel's title for a query's result (and while it runs). */
export function panelTitle(title: string, sample: boolean): string {
  return `mq: ${title}${sample ? ' (sample data)' : ''}`;
}

export class ResultsPanels implements vscode.Disposable, vscode.WebviewPanelSerializer {
  private readonly panels = new Map<string, PanelRecord>();
  private readonly disposables: vscode.Disposable[] = [];
  /** The webview's files as text (undefined: not read yet; null: unreadable, so linked). */
  private assets: { script: string; styles: string[] } | null | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: (line: string) => void,
    /** Where results too large for a page's saved state are kept across a reload (none: they are not). */
    private readonly store?: ResultStore,
  ) {
    this.disposables.push(vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, this));
  }

  private get webviewRoot(): vscode.Uri {
    return vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
  }

  private options(): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return { enableScripts: true, localResourceRoots: [this.webviewRoot], retainContextWhenHidden: true, enableFindWidget: true };
  }

  /** dist/webview's script and stylesheets, read once (about 115 KB) and put in every panel's page. */
  private inlineAssets(): { script: string; styles: string[] } | undefined {
    if (this.assets === undefined) {
      const read = (name: string) => readFileSync(vscode.Uri.joinPath(this.webviewRoot, name).fsPath, 'utf8');
      try {
        this.assets = { script: read('main.js'), styles: [read('uPlot.min.css'), read('style.css')] };
      } catch (e) {
        this.log(`results panel: could not read the webview files, linking them instead: ${e instanceof Error ? e.message : String(e)}`);
        this.assets = null;
      }
    }
    return this.assets ?? undefined;
  }

  private html(webview: vscode.Webview, initialStateJson?: string): string {
    const nonce = randomBytes(18).toString('base64').replace(/[+/=]/g, 'x');
    const uri = (...p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(this.webviewRoot, ...p)).toString();
    const inline = this.inlineAssets();
    const opts: Parameters<typeof renderWebviewHtml>[0] = {
      cspSource: webview.cspSource,
      nonce,
      scriptUri: uri('main.js'),
      styleUris: [uri('uPlot.min.css'), uri('style.css')],
      ...(inline ? { inline } : {}),
    };
    if (initialStateJson !== undefined) opts.initialStateJson = initialStateJson;
    if (!opts.inline) return renderWebviewHtml(opts);
    try {
      return renderWebviewHtml(opts);
    } catch (e) {
      // A bundle the page cannot hold inline (see renderWebviewHtml): linked, as before, and said once.
      this.log(`results panel: ${e instanceof Error ? e.message : String(e)}; linking the files instead.`);
      this.assets = null;
      delete opts.inline;
      return renderWebviewHtml(opts);
    }
  }

  private wire(panel: vscode.WebviewPanel, key: string): void {
    const record: PanelRecord = { panel, key };
    this.panels.set(key, record);
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'mq-results.svg');
    panel.webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m));
    panel.onDidDispose(() => {
      if (this.panels.get(key) === record) this.panels.delete(key);
    });
  }

  /** Restores a panel after a reload from the state the page saved. */
  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    panel.webview.options = this.options();
    panel.webview.html = this.html(panel.webview, await restoredStateJson(state, this.store));
    // The first restored panel becomes the one reused when mq.results.reusePanel is on.
    const key = this.panels.has('reuse') ? `restored:${randomBytes(6).toString('hex')}` : 'reuse';
    this.wire(panel, key);
  }

  private keyFor(queryKey: string): string {
    return vscode.workspace.getConfiguration('mq').get<boolean>('results.reusePanel', false) ? 'reuse' : queryKey;
  }

  /**
   * A run of the query has started: its panel opens now (or the open one says so), showing the phase, so that
   * VS Code builds the webview while the query runs instead of after it. The outcome follows with show() or
   * failed().
   */
  running(queryKey: string, title: string, phase: string): void {
    const key = this.keyFor(queryKey);
    const existing = this.panels.get(key);
    if (existing) {
      this.send(existing, { type: 'running', phase });
      return;
    }
    const panel = this.create(title);
    panel.webview.html = this.html(panel.webview, JSON.stringify({ v: 1, running: phase }));
    this.wire(panel, key);
  }

  /** A run ended without a result: its open panel says why (it would otherwise go on saying "Running"). */
  failed(queryKey: string, message: string): void {
    const existing = this.panels.get(this.keyFor(queryKey));
    if (existing) this.send(existing, { type: 'error', message });
  }

  /**
   * Posts to the page. A page still loading gets it once it has loaded: VS Code holds messages for a webview
   * until its document is in place (the page's listener is set up by its inline script, before that). Waiting
   * for the page's own 'ready' instead cost a round trip through the extension host, about 100 ms.
   */
  private send(record: PanelRecord, message: HostMessage): void {
    void record.panel.webview.postMessage(message);
  }

  private create(title: string): vscode.WebviewPanel {
    return vscode.window.createWebviewPanel(VIEW_TYPE, title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, this.options());
  }

  /** Shows a result in the query's panel (or the shared one), creating it when needed. */
  show(queryKey: string, view: ResultView): vscode.WebviewPanel {
    const key = this.keyFor(queryKey);
    const payload = resultViewJson(view);
    const title = panelTitle(view.title, view.source === 'sample');
    const stored = this.store && ResultStore.needed(payload) ? this.store.save(payload) : undefined;
    const existing = this.panels.get(key);
    if (existing) {
      existing.panel.title = title;
      this.send(existing, stored ? { type: 'result', payload, stored } : { type: 'result', payload });
      existing.panel.reveal(undefined, true);
      return existing.panel;
    }
    const panel = this.create(title);
    // The payload goes in the page itself, so it shows even if a message were to arrive before the script runs.
    const initial = stored ? { v: 1, payload, stored: { key: stored, chars: payload.length, title: view.title } } : { v: 1, payload };
    panel.webview.html = this.html(panel.webview, JSON.stringify(initial));
    this.wire(panel, key);
    return panel;
  }

  private async onMessage(m: unknown): Promise<void> {
    const msg = readWebviewMessage(m);
    if (!msg) return;
    try {
      switch (msg.type) {
        case 'export':
          await this.export(msg.format, msg.content);
          break;
        case 'copy':
          await vscode.env.clipboard.writeText(msg.text);
          vscode.window.setStatusBarMessage('mq: copied to the clipboard', 2500);
          break;
        case 'openUrl':
          await this.openUrl(msg.url);
          break;
        case 'ready':
          break;
      }
    } catch (e) {
      const text = e instanceof Error ? e.message : String(e);
      this.log(`results panel: ${text}`);
      void vscode.window.showErrorMessage(`mq: ${text}`);
    }
  }

  private async export(format: 'csv' | 'json', content: string): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = `mq-result-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.${format}`;
    const target = await vscode.window.showSaveDialog({
      title: `Export result as ${format.toUpperCase()}`,
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
      filters: format === 'csv' ? { 'CSV files': ['csv'] } : { 'JSON files': ['json'] },
      saveLabel: 'Export',
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(content));
    const open = 'Open';
    void vscode.window.showInformationMessage(`Exported the result to ${target.fsPath || target.toString()}.`, open).then((c) => {
      if (c === open) void vscode.commands.executeCommand('vscode.open', target);
    });
  }

  /** Links from result cells open only after the user has seen the full URL and agreed. */
  private async openUrl(url: string): Promise<void> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      void vscode.window.showWarningMessage('mq: this cell does not hold a valid URL.');
      return;
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      void vscode.window.showWarningMessage(`mq: only http and https links can be opened (this one is ${parsed.protocol}).`);
      return;
    }
    const open = 'Open Link';
    // Show the URL as the browser will see it: the parsed form spells an international host in punycode and
    // percent-encodes bidi controls, so a look-alike host or reordered text cannot disguise the destination.
    const choice = await vscode.window.showWarningMessage(
      `Open this link from the query result in your browser? It goes to ${parsed.host}.`,
      { modal: true, detail: parsed.href },
      open,
    );
    if (choice === open) await vscode.env.openExternal(vscode.Uri.parse(parsed.toString(), true));
  }

  dispose(): void {
    for (const r of this.panels.values()) r.panel.dispose();
    this.panels.clear();
    for (const d of this.disposables) d.dispose();
  }
}
