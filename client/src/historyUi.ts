// mq.showHistory: a filterable list of past runs; reopen, re-run or delete.
import vscode = require('vscode');
import { engine } from './lazyEngine.js';
import type { HistoryEntry } from './history.js';
import { reopenFromHistory, runQuery, type RunContext } from './run.js';

const ICON: Record<HistoryEntry['status'], string> = {
  SUCCESS: '$(pass)',
  FAILED: '$(error)',
  ERROR: '$(error)',
  CANCELLED: '$(circle-slash)',
  RUNNING: '$(loading~spin)',
  PENDING: '$(loading~spin)',
  LOST: '$(warning)',
};

type Item = vscode.QuickPickItem & { entry: HistoryEntry };

const RERUN: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('play'), tooltip: 'Run again' };
const DELETE: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('trash'), tooltip: 'Delete from history' };
const REQUEST: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('json'), tooltip: 'Show the request that was sent' };

function when(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

function toItem(e: HistoryEntry): Item {
  const rows = e.hasResult ? 'result stored' : e.status === 'RUNNING' || e.status === 'PENDING' ? 'waiting for the result' : 'no result';
  const parts = [e.connection, when(e.createdAt), e.status.toLowerCase(), rows];
  if (e.timings?.elapsedMs !== undefined) parts.push(`${e.timings.elapsedMs} ms`);
  return {
    label: `${ICON[e.status] ?? ''} ${e.title}`,
    description: parts.join(' · '),
    detail: `${e.queryText.replace(/\s+/g, ' ').slice(0, 200)}${e.requestId ? `  — request ${e.requestId}` : ''}${e.previousRequestId ? ` (previous period: ${e.previousRequestId})` : ''}${e.message ? `  — ${e.message}` : ''}`,
    buttons: [RERUN, REQUEST, DELETE],
    entry: e,
  };
}

export async function rerun(ctx: RunContext, entry: HistoryEntry): Promise<void> {
  const doc = engine().parseDocument(entry.queryText);
  const query = doc.queries[0];
  if (!query) {
    void vscode.window.showErrorMessage('mq: the stored query text holds no query to run.');
    return;
  }
  await runQuery(ctx, { text: entry.queryText, query, ...(entry.documentUri ? { documentUri: entry.documentUri } : {}) });
}

export async function showHistory(ctx: RunContext): Promise<void> {
  const qp = vscode.window.createQuickPick<Item>();
  qp.title = 'mq: History';
  qp.placeholder = 'Filter by query, connection, status or request id; Enter reopens the stored result';
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  qp.busy = true;
  qp.show();
  const load = async () => {
    const entries = await ctx.history.list();
    qp.items = entries.map(toItem);
    qp.busy = false;
    if (entries.length === 0) qp.placeholder = 'No runs yet: run a query with Ctrl/Cmd+Enter or the ▶ Run CodeLens';
  };
  await load().catch((e: unknown) => {
    qp.busy = false;
    void vscode.window.showErrorMessage(`mq: could not read the history: ${e instanceof Error ? e.message : String(e)}`);
  });
  qp.onDidTriggerItemButton(async ({ item, button }) => {
    if (button === DELETE) {
      await ctx.history.delete(item.entry.id);
      await load();
    } else if (button === RERUN) {
      qp.hide();
      await rerun(ctx, item.entry);
    } else if (button === REQUEST) {
      qp.hide();
      const doc = await vscode.workspace.openTextDocument({ language: 'json', content: item.entry.requestJson + '\n' });
      await vscode.window.showTextDocument(doc, { preview: true });
    }
  });
  qp.onDidAccept(async () => {
    const item = qp.selectedItems[0];
    if (!item) return;
    qp.hide();
    ctx.log(`history: reopening ${item.entry.id} (${item.entry.status}, ${item.entry.hasResult ? 'result stored' : 'no result'})`);
    const shown = await reopenFromHistory(ctx, item.entry).catch((e: unknown) => {
      const message = e instanceof Error ? e.message : String(e);
      ctx.log(`history: could not reopen ${item.entry.id}: ${message}`);
      void vscode.window.showErrorMessage(`mq: could not read the stored result: ${message}`);
      return true;
    });
    if (!shown && (item.entry.status === 'PENDING' || item.entry.status === 'RUNNING')) {
      const where = item.entry.mode === 'relay' ? ' mq asks its relay for it until it arrives.' : '';
      void vscode.window.showInformationMessage(`mq: this run is still waiting for its result${item.entry.requestId ? ` (request ${item.entry.requestId})` : ''}.${where}`);
    } else if (!shown) {
      const again = 'Run Again';
      const why = item.entry.message ? ` (${item.entry.message})` : '';
      const c = await vscode.window.showInformationMessage(`mq: no result is stored for this run: it ended ${item.entry.status.toLowerCase()}${why}.`, again);
      if (c === again) await rerun(ctx, item.entry);
    }
  });
  qp.onDidHide(() => qp.dispose());
}
