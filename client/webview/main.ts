// Browser side of the mq results panel. Plain DOM code; every value is written with textContent.
// The messages in (window 'message') and out (acquireVsCodeApi().postMessage) are defined in
// client/common/protocol.ts, shared with the extension host.
import { type ResultView, parseResultPayload, toCsv, toJsonExport, toMarkdown, displayText } from './model.js';
import { ChartView, planChart, type ChartPlan } from './chart.js';
import { type ColumnInfo, DisplayFormat, analyseColumns } from './columns.js';
import { el } from './dom.js';
import { renderHeader } from './header.js';
import { ResultTable, type TableState } from './table.js';
import { MAX_SAVED_PAYLOAD_CHARS, readHostMessage, type WebviewMessage } from '../common/protocol.js';

interface VsCodeApi {
  postMessage(msg: WebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

interface SavedState extends Partial<TableState> {
  v: 1;
  payload?: string;
  /** Set instead of `payload` when the host keeps the (large) result on disk under `key`. */
  stored?: { key: string; chars: number; title: string };
  /** Set instead of `payload` when the result was too large to keep: its size in characters and its title. */
  dropped?: { chars: number; title: string };
  tab?: 'table' | 'chart';
  metric?: number;
  details?: boolean;
  /** Set while a panel that has no result yet shows a run: after a reload the page says the run was cut off. */
  running?: string;
}

const vscode: VsCodeApi = typeof acquireVsCodeApi === 'function'
  ? acquireVsCodeApi()
  : { postMessage: () => undefined, getState: () => undefined, setState: () => undefined };

// ---------------------------------------------------------------------------------------------
// Page skeleton

const app = document.getElementById('app') ?? document.body.appendChild(el('div', { id: 'app' }));
app.textContent = '';

const statusEl = el('div', { id: 'status', class: 'status', role: 'status', 'aria-live': 'polite' });
const errorEl = el('div', { id: 'error', class: 'error', role: 'alert' });
errorEl.hidden = true;
const metaEl = el('header', { id: 'meta', class: 'meta', 'aria-label': 'Result details' });
const emptyEl = el('p', { id: 'empty', class: 'empty' }, 'Run a query to see its result here.');
/** Short confirmations ("Cell copied.") float over the page instead of pushing it down. */
const toastEl = el('div', { id: 'toast', class: 'toast', role: 'status', 'aria-live': 'polite' });

const toolbar = el('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Result actions' });
const tabList = el('div', { class: 'tabs', role: 'tablist', 'aria-label': 'View' });
const tabTable = el('button', { id: 'tab-table', type: 'button', role: 'tab', 'aria-selected': 'true', 'aria-controls': 'table-panel' }, 'Table');
const tabChart = el('button', { id: 'tab-chart', type: 'button', role: 'tab', 'aria-selected': 'false', 'aria-controls': 'chart-panel', tabindex: '-1' }, 'Chart');
tabList.append(tabTable, tabChart);
const filterInput = el('input', { id: 'filter', type: 'search', placeholder: 'Filter rows', 'aria-label': 'Filter rows', spellcheck: 'false', autocomplete: 'off' });
const countEl = el('span', { id: 'row-count', class: 'count', 'aria-live': 'polite' });
const btn = (id: string, label: string, title: string): HTMLButtonElement => el('button', { id, type: 'button', title }, label);
const btnCopyCell = btn('copy-cell', 'Copy cell', 'Copy the selected cell (Ctrl+C in the table)');
const btnCopyRow = btn('copy-row', 'Copy row', 'Copy the selected row as tab-separated values (Ctrl+Shift+C in the table)');
const btnCopyMd = btn('copy-md', 'Copy as Markdown', 'Copy the shown rows as a Markdown table');
const btnCsv = btn('export-csv', 'Export CSV', 'Export the shown rows as CSV');
const btnJson = btn('export-json', 'Export JSON', 'Export the shown rows as JSON');
toolbar.append(tabList, filterInput, countEl, btnCopyCell, btnCopyRow, btnCopyMd, btnCsv, btnJson);

const tablePanel = el('section', { id: 'table-panel', class: 'panel', role: 'tabpanel', 'aria-labelledby': 'tab-table' });

const chartPanel = el('section', { id: 'chart-panel', class: 'panel chart-panel', role: 'tabpanel', 'aria-labelledby': 'tab-chart' });
chartPanel.hidden = true;
const metricLabel = el('label', { for: 'metric' }, 'Metric ');
const metricSelect = el('select', { id: 'metric' });
const chartNote = el('span', { id: 'chart-note', class: 'chart-note', 'aria-live': 'polite' });
const chartControls = el('div', { class: 'chart-controls' });
chartControls.append(metricLabel, metricSelect, chartNote);
const chartHost = el('div', { id: 'chart', class: 'chart-host' });
chartPanel.append(chartControls, chartHost);

const content = el('div', { id: 'content', class: 'content' });
content.hidden = true;
content.append(toolbar, tablePanel, chartPanel);
const noRowsEl = el('p', { id: 'no-rows', class: 'no-rows' });
noRowsEl.hidden = true;
tablePanel.append(noRowsEl);
app.append(statusEl, errorEl, metaEl, emptyEl, content, toastEl);

// ---------------------------------------------------------------------------------------------
// State

let view: ResultView | undefined;
let payloadText: string | undefined;
/** The key the host keeps a large payload under on disk (see MAX_SAVED_PAYLOAD_CHARS). */
let storeKey: string | undefined;
let infos: ColumnInfo[] = [];
let tab: 'table' | 'chart' = 'table';
let metric = -1;
let detailsOpen = false;
let plan: ChartPlan | undefined;
const fmt = new DisplayFormat(navigator.language);
const chart = new ChartView(chartHost, fmt, () => {
  chartDirty = true;
  if (tab === 'chart') renderChart();
});
let chartDirty = true;

function saveState(): void {
  const ui = { ...table.state(), tab, metric, details: detailsOpen };
  let s: SavedState;
  if (payloadText === undefined || payloadText.length <= MAX_SAVED_PAYLOAD_CHARS) s = { v: 1, payload: payloadText, ...ui };
  else if (storeKey) s = { v: 1, stored: { key: storeKey, chars: payloadText.length, title: view?.title ?? '' }, ...ui };
  else s = { v: 1, dropped: { chars: payloadText.length, title: view?.title ?? '' } };
  try {
    vscode.setState(s);
  } catch {
    // state is a convenience; never fail rendering because of it
  }
}
let saveTimer: number | undefined;
function saveStateSoon(): void {
  if (saveTimer !== undefined) clearTimeout(saveTimer);
  saveTimer = window.setTimeout(() => {
    saveTimer = undefined;
    saveState();
  }, 200);
}

// ---------------------------------------------------------------------------------------------
// Header and table (shared with the notebook renderer)

function renderMeta(v: ResultView): void {
  const constants = table.constantColumns.map((c) => ({ ...c, value: fmt.cell(v.response.rows[0]![c.col]!, infos[c.col]!).text }));
  renderHeader(metaEl, v, infos, fmt, {
    detailsOpen,
    onDetails: (open) => {
      detailsOpen = open;
      saveStateSoon();
    },
    constants,
    onChip: (col, shown) => {
      table.setColumnShown(col, shown);
      renderMeta(v);
    },
  });
}

function post(msg: WebviewMessage): void {
  vscode.postMessage(msg);
}

let flashTimer: number | undefined;
function flash(text: string): void {
  toastEl.textContent = text;
  if (flashTimer !== undefined) clearTimeout(flashTimer);
  flashTimer = window.setTimeout(() => {
    if (toastEl.textContent === text) toastEl.textContent = '';
  }, 2500);
}

const rowsText = (n: number): string => `${fmt.plain(n)} row${n === 1 ? '' : 's'}`;

function updateCount(): void {
  if (!view) return;
  const total = view.response.rows.length;
  const n = table.order.length;
  countEl.textContent = n === total ? rowsText(total) : `${fmt.plain(n)} of ${rowsText(total)}`;
  noRowsEl.hidden = n > 0;
  noRowsEl.textContent = total === 0 ? 'The query returned no rows.' : 'No rows match the filter.';
}

const table = new ResultTable(fmt, {
  changed: () => saveStateSoon(),
  ordered: () => {
    updateCount();
    chartDirty = true;
    if (tab === 'chart') renderChart();
  },
  copy: (text, confirmation) => {
    post({ type: 'copy', text });
    flash(confirmation);
  },
  openUrl: (url) => post({ type: 'openUrl', url }),
  say: flash,
});
tablePanel.prepend(table.grid);

btnCopyCell.addEventListener('click', () => table.copyCell());
btnCopyRow.addEventListener('click', () => table.copyRow());
btnCopyMd.addEventListener('click', () => {
  if (!view) return;
  post({ type: 'copy', text: toMarkdown(view, table.order) });
  flash(`Copied ${table.order.length} rows as Markdown.`);
});
btnCsv.addEventListener('click', () => {
  if (!view) return;
  post({ type: 'export', format: 'csv', content: toCsv(view.response.columns, view.response.rows, table.order) });
});
btnJson.addEventListener('click', () => {
  if (!view) return;
  post({ type: 'export', format: 'json', content: toJsonExport(view, table.order) });
});

let filterTimer: number | undefined;
filterInput.addEventListener('input', () => {
  if (filterTimer !== undefined) clearTimeout(filterTimer);
  filterTimer = window.setTimeout(() => {
    filterTimer = undefined;
    table.setFilter(filterInput.value);
  }, 120);
});

// ---------------------------------------------------------------------------------------------
// Tabs and chart

function selectTab(t: 'table' | 'chart', focus = false): void {
  tab = t;
  tabTable.setAttribute('aria-selected', String(t === 'table'));
  tabChart.setAttribute('aria-selected', String(t === 'chart'));
  tabTable.tabIndex = t === 'table' ? 0 : -1;
  tabChart.tabIndex = t === 'chart' ? 0 : -1;
  tablePanel.hidden = t !== 'table';
  chartPanel.hidden = t !== 'chart';
  if (focus) (t === 'table' ? tabTable : tabChart).focus();
  if (t === 'chart') renderChart();
  else table.renderRows(true);
  saveStateSoon();
}
tabTable.addEventListener('click', () => selectTab('table'));
tabChart.addEventListener('click', () => selectTab('chart'));
tabList.addEventListener('keydown', (e) => {
  if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
    e.preventDefault();
    selectTab(tab === 'table' ? 'chart' : 'table', true);
  } else if (e.key === 'Home' || e.key === 'End') {
    e.preventDefault();
    selectTab(e.key === 'Home' ? 'table' : 'chart', true);
  }
});

function setupChartControls(): void {
  metricSelect.textContent = '';
  plan = view ? planChart(view) : undefined;
  if (!view || !plan) return;
  for (const m of plan.metrics) {
    const o = el('option', { value: String(m) }, displayText(infos[m]!.column.columnName, 120));
    metricSelect.append(o);
  }
  if (!plan.metrics.includes(metric)) metric = plan.metrics[0] ?? -1;
  metricSelect.value = String(metric);
  metricSelect.disabled = plan.metrics.length === 0;
  chartPanel.dataset.kind = plan.kind;
  chartDirty = true;
}

metricSelect.addEventListener('change', () => {
  metric = Number(metricSelect.value);
  chartDirty = true;
  renderChart();
  saveStateSoon();
});

function renderChart(): void {
  if (!view || !plan || !chartDirty) return;
  chartDirty = false;
  try {
    chartNote.textContent = chart.render(view, plan, metric, table.order);
  } catch (err) {
    chart.destroy();
    chartNote.textContent = `The chart could not be drawn: ${displayText(String((err as Error)?.message ?? err), 200)}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Messages

function showError(message: string): void {
  // A run that ended in an error is not "running" any more after a reload.
  if (!view) {
    try {
      vscode.setState({ v: 1 } satisfies SavedState);
    } catch {
      // state is a convenience
    }
  }
  statusEl.textContent = '';
  statusEl.classList.remove('running');
  document.body.removeAttribute('aria-busy');
  errorEl.hidden = false;
  errorEl.textContent = displayText(message, 4000);
}

function showResult(text: string, restore?: SavedState, stored?: string): void {
  let v: ResultView;
  try {
    v = parseResultPayload(text);
  } catch (err) {
    showError(`The result could not be read: ${String((err as Error)?.message ?? err)}`);
    return;
  }
  performance.mark('mq:result-parsed');
  // A new result (a re-run) keeps the tab and the charted metric, when the new result has that column.
  const keepTab = restore ? undefined : tab;
  const keepMetric = !restore && metric >= 0 ? infos[metric]?.column.columnName : undefined;
  view = v;
  payloadText = text;
  storeKey = stored ?? restore?.stored?.key;
  infos = analyseColumns(v);
  metric = restore ? (restore.metric ?? -1) : keepMetric !== undefined ? infos.findIndex((c) => c.column.columnName === keepMetric) : -1;
  if (typeof restore?.details === 'boolean') detailsOpen = restore.details;
  errorEl.hidden = true;
  statusEl.textContent = '';
  statusEl.classList.remove('running');
  document.body.removeAttribute('aria-busy');
  emptyEl.hidden = true;
  content.hidden = false;
  document.title = displayText(v.title, 200);
  filterInput.value = typeof restore?.filter === 'string' ? restore.filter : '';
  setupChartControls();
  table.setResult(v, infos, restore);
  renderMeta(v);
  selectTab((restore?.tab ?? keepTab) === 'chart' ? 'chart' : 'table');
  performance.mark('mq:result-rendered');
  requestAnimationFrame(() => setTimeout(() => performance.mark('mq:result-painted'), 0));
  saveState();
}

function showRunning(phase: string): void {
  errorEl.hidden = true;
  emptyEl.hidden = true;
  if (!view) {
    try {
      vscode.setState({ v: 1, running: phase } satisfies SavedState);
    } catch {
      // state is a convenience
    }
  }
  statusEl.classList.add('running');
  document.body.setAttribute('aria-busy', 'true');
  statusEl.textContent = `Running: ${displayText(phase, 200)}…`;
}

window.addEventListener('message', (event: MessageEvent) => {
  const msg = readHostMessage(event.data);
  switch (msg?.type) {
    case 'result':
      performance.mark('mq:result-received');
      showResult(msg.payload, undefined, msg.stored);
      break;
    case 'error':
      showError(msg.message);
      break;
    case 'running':
      showRunning(msg.phase);
      break;
    default:
      break;
  }
});

// ---------------------------------------------------------------------------------------------
// Start: restore saved state, or the state the host embedded in the page.

/** What the host put in the page: a result, or (a panel opened as its query starts) the phase of the run. */
function embedded(): (SavedState & { running?: unknown }) | undefined {
  const tag = document.getElementById('mq-initial-state');
  if (!tag?.textContent) return undefined;
  try {
    const s = JSON.parse(tag.textContent) as SavedState & { running?: unknown };
    return s && typeof s === 'object' ? s : undefined;
  } catch {
    return undefined; // ignore a broken embedded state
  }
}

function embeddedState(): SavedState | undefined {
  const s = embedded();
  return typeof s?.payload === 'string' ? s : undefined;
}

function tooLarge(what: { chars?: unknown; title?: unknown }, why: string): void {
  const mb = (Number(what.chars) / (1024 * 1024)).toFixed(1);
  const title = typeof what.title === 'string' && what.title ? `“${displayText(what.title, 120)}” ` : '';
  emptyEl.textContent = `The result ${title}(${mb} MB) ${why}. Run the query again to see it.`;
}

/**
 * The page's saved state, or what the host embedded: the result itself, or (for a large result the host
 * keeps on disk) the page's saved view state with the payload the host read back.
 */
function initialState(): SavedState | undefined {
  const saved = vscode.getState() as SavedState | undefined;
  const embedded = embeddedState();
  if (saved && typeof saved === 'object') {
    if (typeof saved.payload === 'string') return saved;
    if (typeof saved.running === 'string' && !embedded) {
      emptyEl.textContent = 'The window was reloaded while this query was running. If mq can still fetch its result, it ' +
        'says so and keeps it in the history (mq: Show History); otherwise run the query again.';
      return undefined;
    }
    if (saved.stored && typeof saved.stored.chars === 'number') {
      if (embedded) return { ...saved, payload: embedded.payload };
      tooLarge(saved.stored, 'is no longer in the extension\'s storage');
      return undefined;
    }
    if (saved.dropped && typeof saved.dropped.chars === 'number') {
      tooLarge(saved.dropped, 'was too large to keep across a reload');
      return undefined;
    }
  }
  return embedded;
}

const start = initialState();
if (start?.payload) showResult(start.payload, start, start.stored?.key);
else {
  const running = embedded()?.running;
  if (typeof running === 'string') showRunning(running);
}
post({ type: 'ready' });
