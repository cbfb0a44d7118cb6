// Browser side of the mq results panel. Plain DOM code; every value is written with textContent.
// The messages in (window 'message') and out (acquireVsCodeApi().postMessage) are defined in
// client/common/protocol.ts, shared with the extension host.
import {
  type CellValue,
  type Column,
  type ResultView,
  type SortState,
  formatCell,
  isRateColumn,
  parseResultPayload,
  rawText,
  rowSearchText,
  rowToTsv,
  sortIndices,
  toCsv,
  toJsonExport,
  toMarkdown,
  displayText,
  isSafeUrl,
} from './model.js';
import { ChartView, planChart, type ChartPlan } from './chart.js';
import { orderByText, readHostMessage, type WebviewMessage } from '../common/protocol.js';

interface VsCodeApi {
  postMessage(msg: WebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

interface SavedState {
  v: 1;
  payload?: string;
  /** Set instead of `payload` when the result was too large to keep: its size in characters and its title. */
  dropped?: { chars: number; title: string };
  sort?: SortState | null;
  filter?: string;
  tab?: 'table' | 'chart';
  metric?: number;
  scrollTop?: number;
}

export const ROW_HEIGHT = 24;
const BUFFER_ROWS = 4;

const vscode: VsCodeApi = typeof acquireVsCodeApi === 'function'
  ? acquireVsCodeApi()
  : { postMessage: () => undefined, getState: () => undefined, setState: () => undefined };

// ---------------------------------------------------------------------------------------------
// Small DOM helpers (no innerHTML anywhere)

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else e.setAttribute(k, v);
  }
  if (text !== undefined) e.textContent = text;
  return e;
}

function fmtElapsed(ms: number | undefined): string {
  if (ms === undefined) return '—';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10000 ? 2 : 1)} s`;
}

function fmtPeriod(p: { sentSince: string; sentUntil: string } | undefined): string {
  if (!p || (!p.sentSince && !p.sentUntil)) return '—';
  return `${p.sentSince} → ${p.sentUntil}`;
}

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
const grid = el('div', { id: 'grid', class: 'grid', role: 'grid', tabindex: '0', 'aria-label': 'Result rows' });
const headerRow = el('div', { class: 'grid-row grid-header', role: 'row', 'aria-rowindex': '1' });
const body = el('div', { class: 'grid-body', role: 'rowgroup' });
grid.append(headerRow, body);
tablePanel.append(grid);

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
let rates: boolean[] = [];
let filtered: number[] = []; // filtered row indices, original order
let order: number[] = []; // filtered + sorted: what is shown
let sort: SortState | null = null;
let filterText = '';
let searchCache: string[] | undefined;
let active = { row: -1, col: 0 };
let tab: 'table' | 'chart' = 'table';
let metric = -1;
let plan: ChartPlan | undefined;
const chart = new ChartView(chartHost);
let chartDirty = true;

/**
 * Results above this size are not kept in the panel's saved state: VS Code copies the whole state on every
 * save (sorting, filtering, each scroll pause), which for a 100,000-row result is megabytes each time.
 */
export const MAX_SAVED_PAYLOAD_CHARS = 4 * 1024 * 1024;

function saveState(): void {
  const keep = payloadText === undefined || payloadText.length <= MAX_SAVED_PAYLOAD_CHARS;
  const s: SavedState = keep
    ? { v: 1, payload: payloadText, sort, filter: filterText, tab, metric, scrollTop: grid.scrollTop }
    : { v: 1, dropped: { chars: payloadText!.length, title: view?.title ?? '' } };
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
// Header

function renderMeta(v: ResultView): void {
  metaEl.textContent = '';
  const title = el('h1', { class: 'title' }, displayText(v.title, 200));
  title.title = displayText(v.title, 2000);
  metaEl.append(title);
  if (v.source === 'sample') {
    metaEl.append(el('div', { class: 'badge sample', id: 'source-label', role: 'note' }, 'sample data — not from a live account'));
  } else {
    metaEl.append(el('div', { class: 'badge live', id: 'source-label' }, 'live data'));
  }
  const dl = el('dl', { class: 'facts' });
  const r = v.response;
  const fact = (key: string, label: string, value: string): void => {
    const dt = el('dt', {}, label);
    const dd = el('dd', { 'data-fact': key }, displayText(value, 300));
    dd.title = displayText(value, 2000);
    const pair = el('div');
    pair.append(dt, dd);
    dl.append(pair);
  };
  fact('connection', 'Connection', v.source === 'sample' ? `${v.connection || 'none'} (sample data)` : v.connection || '—');
  fact('requestId', 'Request id', v.requestId || '—');
  fact('requestedPeriod', 'Requested period', fmtPeriod(v.requestedPeriod ?? r.requestedPeriod));
  fact('returnedPeriod', 'Returned period', fmtPeriod(v.returnedPeriod));
  const shown = r.rows.length;
  fact('rows', 'Rows', shown === r.totalRows ? String(shown) : `${shown} of ${r.totalRows}`);
  fact('elapsed', 'Elapsed', fmtElapsed(v.elapsedMs));
  fact('orderBy', 'ORDER BY', orderByText(v.orderBy) || 'none');
  fact('limit', 'LIMIT', v.limit === undefined ? 'none' : String(v.limit));
  metaEl.append(dl);
}

// ---------------------------------------------------------------------------------------------
// Table with virtual scrolling

let columns: Column[] = [];
/** x offset of each column in the grid (fixed widths), for keeping the selected cell in view. */
let columnLefts: number[] = [];
let headerCells: HTMLElement[] = [];
const pool: HTMLElement[] = [];
let lastRange = { start: -1, end: -1, key: '' };
let renderToken = 0;

function columnWidth(c: Column): number {
  switch (c.columnDataType) {
    case 'DATE_TIME':
      return 170;
    case 'INTEGER':
      return 150;
    case 'NUMBER':
      return 110;
    case 'BOOLEAN':
      return 80;
    default:
      return 220;
  }
}

function buildHeader(): void {
  headerRow.textContent = '';
  headerCells = columns.map((c, i) => {
    // One tab stop for the header row (roving tabindex): arrows move between the headers.
    const h = el('div', { class: 'grid-cell grid-head', role: 'columnheader', tabindex: i === 0 ? '0' : '-1', 'aria-sort': 'none', 'data-col': String(i) });
    const label = el('span', { class: 'head-label' }, displayText(c.columnName, 120));
    const arrow = el('span', { class: 'sort-arrow', 'aria-hidden': 'true' });
    h.title = `${displayText(c.columnName, 500)} (${c.columnDataType}${rates[i] ? ', rate shown as %' : ''}) — click or press Enter to sort`;
    if (c.columnDataType === 'INTEGER' || c.columnDataType === 'NUMBER') h.classList.add('num');
    h.append(label, arrow);
    headerRow.append(h);
    return h;
  });
  columnLefts = [];
  let x = 0;
  for (const c of columns) {
    columnLefts.push(x);
    x += columnWidth(c);
  }
  const template = columns.map((c) => `${columnWidth(c)}px`).join(' ');
  const total = columns.reduce((s, c) => s + columnWidth(c), 0);
  grid.style.setProperty('--mq-columns', template || '1fr');
  grid.style.setProperty('--mq-width', `${Math.max(total, 100)}px`);
  grid.setAttribute('aria-colcount', String(columns.length));
}

function updateHeaderSort(): void {
  headerCells.forEach((h, i) => {
    const dir = sort && sort.col === i ? sort.dir : null;
    h.setAttribute('aria-sort', dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : 'none');
    const arrow = h.querySelector('.sort-arrow');
    if (arrow) arrow.textContent = dir === 'asc' ? '▲' : dir === 'desc' ? '▼' : '';
  });
}

function makeRowEl(): HTMLElement {
  const r = el('div', { class: 'grid-row', role: 'row' });
  for (let c = 0; c < columns.length; c++) r.append(el('div', { class: 'grid-cell', role: 'gridcell', 'data-col': String(c) }));
  body.append(r);
  return r;
}

function fillRow(r: HTMLElement, viewIndex: number): void {
  const rowIdx = order[viewIndex];
  const row = view!.response.rows[rowIdx];
  r.dataset.view = String(viewIndex);
  r.setAttribute('aria-rowindex', String(viewIndex + 2));
  r.style.transform = `translateY(${viewIndex * ROW_HEIGHT}px)`;
  r.classList.toggle('odd', viewIndex % 2 === 1);
  const cells = r.children;
  for (let c = 0; c < columns.length; c++) {
    const cell = cells[c] as HTMLElement;
    const f = formatCell(row[c], columns[c], rates[c]);
    const isActive = active.row === viewIndex && active.col === c;
    // Only what changed is written: every attribute write invalidates style, and while scrolling most cells
    // keep their kind and state.
    cell.textContent = f.text;
    if (cell.title !== f.title) cell.title = f.title;
    const cls = `grid-cell ${f.kind}${isActive ? ' active' : ''}`;
    if (cell.className !== cls) cell.className = cls;
    cell.id = `cell-${viewIndex}-${c}`;
    const link = f.kind === 'link';
    if (link !== cell.hasAttribute('data-link')) {
      if (link) cell.setAttribute('data-link', '1');
      else cell.removeAttribute('data-link');
    }
    const selected = isActive ? 'true' : 'false';
    if (cell.getAttribute('aria-selected') !== selected) cell.setAttribute('aria-selected', selected);
  }
}

/**
 * Renders the rows in view plus a buffer. Row elements form a ring: view row v always lives in
 * pool[v % pool.length], so scrolling only refills the elements whose row changed, not every row.
 */
function renderRows(force = false): void {
  if (!view) return;
  const viewportH = grid.clientHeight || 400;
  const top = Math.max(0, grid.scrollTop - ROW_HEIGHT);
  const start = Math.max(0, Math.floor(top / ROW_HEIGHT) - BUFFER_ROWS);
  const end = Math.min(order.length, Math.ceil((top + viewportH) / ROW_HEIGHT) + BUFFER_ROWS);
  const key = `${order.length}:${renderToken}`;
  if (!force && start === lastRange.start && end === lastRange.end && key === lastRange.key) return;
  if (key !== lastRange.key) force = true;
  lastRange = { start, end, key };
  const need = end - start;
  if (pool.length < need) {
    while (pool.length < need) pool.push(makeRowEl());
    force = true; // the ring's size changed, so every row moves to another element
  }
  const size = pool.length;
  for (let i = 0; i < size; i++) {
    const r = pool[i];
    // The view row this element holds in the current window, if any.
    const v = start + ((i - (start % size) + size) % size);
    if (v < end) {
      if (r.hidden) r.hidden = false;
      if (force || r.dataset.view !== String(v)) fillRow(r, v);
    } else if (!r.hidden) {
      r.hidden = true;
      r.dataset.view = '';
    }
  }
  updateActiveDescendant();
}

// Chromium fires scroll events at most once per frame, in the frame's own update step, so the rows are
// rendered right here; a requestAnimationFrame hop would only add a callback (it runs in the same frame).
grid.addEventListener('scroll', () => {
  renderRows();
  saveStateSoon();
}, { passive: true });

function resetTable(): void {
  for (const r of pool) r.remove();
  pool.length = 0;
  lastRange = { start: -1, end: -1, key: '' };
  buildHeader();
}

const rowsText = (n: number): string => `${n} row${n === 1 ? '' : 's'}`;

function applyOrder(keepScroll = false): void {
  if (!view) return;
  // The selection stays on its data row (not on the screen position) when sorting or filtering moves it.
  const selectedRow = active.row >= 0 && active.row < order.length ? order[active.row] : -1;
  order = sort ? sortIndices(view.response.rows, filtered, columns, sort) : filtered.slice();
  body.style.height = `${order.length * ROW_HEIGHT}px`;
  grid.setAttribute('aria-rowcount', String(order.length + 1));
  const total = view.response.rows.length;
  countEl.textContent = order.length === total ? rowsText(total) : `${order.length} of ${rowsText(total)}`;
  noRowsEl.hidden = order.length > 0;
  noRowsEl.textContent = total === 0 ? 'The query returned no rows.' : 'No rows match the filter.';
  if (selectedRow >= 0) active.row = order.indexOf(selectedRow);
  // Back to the top, or to the selected row when there is one (it may have moved far).
  if (!keepScroll) grid.scrollTop = active.row >= 0 ? Math.max(0, active.row * ROW_HEIGHT - Math.floor(grid.clientHeight / 2)) : 0;
  renderToken++;
  updateHeaderSort();
  renderRows(true);
  chartDirty = true;
  if (tab === 'chart') renderChart();
}

function applyFilter(keepScroll = false): void {
  if (!view) return;
  const rows = view.response.rows;
  const needle = filterText.trim().toLowerCase();
  if (!needle) {
    filtered = rows.map((_r, i) => i);
  } else {
    if (!searchCache) searchCache = rows.map((r) => rowSearchText(r, columns, rates));
    const out: number[] = [];
    const cache = searchCache;
    for (let i = 0; i < cache.length; i++) if (cache[i].includes(needle)) out.push(i);
    filtered = out;
  }
  applyOrder(keepScroll);
}

function toggleSort(col: number): void {
  if (!sort || sort.col !== col) sort = { col, dir: 'asc' };
  else if (sort.dir === 'asc') sort = { col, dir: 'desc' };
  else sort = null;
  applyOrder();
  saveStateSoon();
}

headerRow.addEventListener('click', (e) => {
  const h = (e.target as HTMLElement).closest<HTMLElement>('.grid-head');
  if (h?.dataset.col !== undefined) toggleSort(Number(h.dataset.col));
});
// A header focused by the mouse becomes the header row's tab stop too.
headerRow.addEventListener('focusin', (e) => {
  const h = (e.target as HTMLElement).closest<HTMLElement>('.grid-head');
  if (!h) return;
  for (const x of headerCells) x.tabIndex = x === h ? 0 : -1;
});
headerRow.addEventListener('keydown', (e) => {
  const h = (e.target as HTMLElement).closest<HTMLElement>('.grid-head');
  if (!h || h.dataset.col === undefined) return;
  if (e.key === 'Enter' || e.key === ' ') {
    e.preventDefault();
    e.stopPropagation();
    toggleSort(Number(h.dataset.col));
    return;
  }
  const i = Number(h.dataset.col);
  const to = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? headerCells.length - 1 : -1;
  if (to < 0 || to >= headerCells.length || to === i) return;
  e.preventDefault();
  h.tabIndex = -1;
  headerCells[to]!.tabIndex = 0;
  headerCells[to]!.focus();
});

// ---------------------------------------------------------------------------------------------
// Selection, keyboard, copy, links

function updateActiveDescendant(): void {
  const id = `cell-${active.row}-${active.col}`;
  if (active.row >= 0 && document.getElementById(id)) grid.setAttribute('aria-activedescendant', id);
  else grid.removeAttribute('aria-activedescendant');
}

function setActive(row: number, col: number, scroll: boolean): void {
  if (!order.length) return;
  active = { row: Math.max(0, Math.min(order.length - 1, row)), col: Math.max(0, Math.min(columns.length - 1, col)) };
  if (scroll) {
    const y = active.row * ROW_HEIGHT;
    const headerH = headerRow.offsetHeight || ROW_HEIGHT;
    if (y < grid.scrollTop) grid.scrollTop = y;
    else if (y + ROW_HEIGHT > grid.scrollTop + grid.clientHeight - headerH) grid.scrollTop = y + ROW_HEIGHT - grid.clientHeight + headerH;
    // And sideways: the selected column in view.
    const left = columnLefts[active.col] ?? 0;
    const right = left + columnWidth(columns[active.col]!);
    if (left < grid.scrollLeft) grid.scrollLeft = left;
    else if (right > grid.scrollLeft + grid.clientWidth) grid.scrollLeft = right - grid.clientWidth;
  }
  renderToken++;
  renderRows(true);
}

function activeValue(): CellValue | undefined {
  if (!view || active.row < 0 || active.row >= order.length) return undefined;
  return view.response.rows[order[active.row]][active.col];
}

function post(msg: WebviewMessage): void {
  vscode.postMessage(msg);
}

function copyCell(): void {
  const v = activeValue();
  if (v === undefined) return flash('Select a cell first.');
  post({ type: 'copy', text: rawText(v) });
  flash('Cell copied.');
}

function copyRow(): void {
  if (!view || active.row < 0 || active.row >= order.length) return flash('Select a row first.');
  post({ type: 'copy', text: rowToTsv(view.response.rows[order[active.row]]) });
  flash('Row copied.');
}

function openLinkAt(viewIndex: number, col: number): void {
  if (!view) return;
  const v = view.response.rows[order[viewIndex]]?.[col];
  if (typeof v === 'string' && isSafeUrl(v)) post({ type: 'openUrl', url: v });
}

body.addEventListener('click', (e) => {
  const cell = (e.target as HTMLElement).closest<HTMLElement>('.grid-cell');
  const row = cell?.parentElement;
  if (!cell || !row || row.dataset.view === undefined) return;
  const vi = Number(row.dataset.view);
  const c = Number(cell.dataset.col);
  setActive(vi, c, false);
  grid.focus({ preventScroll: true });
  if (cell.dataset.link === '1') openLinkAt(vi, c);
});

grid.addEventListener('keydown', (e) => {
  if (!view || e.target !== grid) return;
  const page = Math.max(1, Math.floor(grid.clientHeight / ROW_HEIGHT) - 2);
  const r = active.row < 0 ? 0 : active.row;
  const mod = e.ctrlKey || e.metaKey;
  let handled = true;
  switch (e.key) {
    case 'ArrowDown': setActive(active.row < 0 ? 0 : r + 1, active.col, true); break;
    case 'ArrowUp': setActive(r - 1, active.col, true); break;
    case 'ArrowRight': setActive(r, active.col + 1, true); break;
    case 'ArrowLeft': setActive(r, active.col - 1, true); break;
    case 'PageDown': setActive(r + page, active.col, true); break;
    case 'PageUp': setActive(r - page, active.col, true); break;
    case 'Home': setActive(mod ? 0 : r, mod ? active.col : 0, true); break;
    case 'End': setActive(mod ? order.length - 1 : r, mod ? active.col : columns.length - 1, true); break;
    case 'Enter': if (active.row >= 0) openLinkAt(active.row, active.col); break;
    default:
      if (mod && (e.key === 'c' || e.key === 'C')) {
        if (e.shiftKey) copyRow();
        else copyCell();
      } else handled = false;
  }
  if (handled) e.preventDefault();
});

let flashTimer: number | undefined;
function flash(text: string): void {
  toastEl.textContent = text;
  if (flashTimer !== undefined) clearTimeout(flashTimer);
  flashTimer = window.setTimeout(() => {
    if (toastEl.textContent === text) toastEl.textContent = '';
  }, 2500);
}

btnCopyCell.addEventListener('click', copyCell);
btnCopyRow.addEventListener('click', copyRow);
btnCopyMd.addEventListener('click', () => {
  if (!view) return;
  post({ type: 'copy', text: toMarkdown(view, order) });
  flash(`Copied ${order.length} rows as Markdown.`);
});
btnCsv.addEventListener('click', () => {
  if (!view) return;
  post({ type: 'export', format: 'csv', content: toCsv(columns, view.response.rows, order) });
});
btnJson.addEventListener('click', () => {
  if (!view) return;
  post({ type: 'export', format: 'json', content: toJsonExport(view, order) });
});

let filterTimer: number | undefined;
filterInput.addEventListener('input', () => {
  if (filterTimer !== undefined) clearTimeout(filterTimer);
  filterTimer = window.setTimeout(() => {
    filterTimer = undefined;
    filterText = filterInput.value;
    applyFilter();
    saveStateSoon();
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
  else renderRows(true);
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
    const o = el('option', { value: String(m) }, displayText(columns[m].columnName, 120));
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
    chartNote.textContent = chart.render(view, plan, metric, order);
  } catch (err) {
    chart.destroy();
    chartNote.textContent = `The chart could not be drawn: ${displayText(String((err as Error)?.message ?? err), 200)}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Messages

function showError(message: string): void {
  statusEl.textContent = '';
  statusEl.classList.remove('running');
  document.body.removeAttribute('aria-busy');
  errorEl.hidden = false;
  errorEl.textContent = displayText(message, 4000);
}

function showResult(text: string, restore?: SavedState): void {
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
  const keepMetric = !restore && metric >= 0 ? columns[metric]?.columnName : undefined;
  view = v;
  payloadText = text;
  columns = v.response.columns;
  rates = columns.map((c) => isRateColumn(v, c));
  searchCache = undefined;
  sort = restore?.sort && restore.sort.col < columns.length ? restore.sort : null;
  filterText = restore?.filter ?? '';
  filterInput.value = filterText;
  active = { row: -1, col: 0 };
  metric = restore ? (restore.metric ?? -1) : keepMetric !== undefined ? columns.findIndex((c) => c.columnName === keepMetric) : -1;
  errorEl.hidden = true;
  statusEl.textContent = '';
  statusEl.classList.remove('running');
  document.body.removeAttribute('aria-busy');
  emptyEl.hidden = true;
  content.hidden = false;
  document.title = displayText(v.title, 200);
  renderMeta(v);
  resetTable();
  setupChartControls();
  applyFilter();
  if (restore?.scrollTop) {
    grid.scrollTop = restore.scrollTop;
    renderRows(true);
  }
  selectTab((restore?.tab ?? keepTab) === 'chart' ? 'chart' : 'table');
  performance.mark('mq:result-rendered');
  requestAnimationFrame(() => setTimeout(() => performance.mark('mq:result-painted'), 0));
  saveState();
}

window.addEventListener('message', (event: MessageEvent) => {
  const msg = readHostMessage(event.data);
  switch (msg?.type) {
    case 'result':
      performance.mark('mq:result-received');
      showResult(msg.payload);
      break;
    case 'error':
      showError(msg.message);
      break;
    case 'running':
      errorEl.hidden = true;
      statusEl.classList.add('running');
      document.body.setAttribute('aria-busy', 'true');
      statusEl.textContent = `Running: ${displayText(msg.phase, 200)}…`;
      break;
    default:
      break;
  }
});

// ---------------------------------------------------------------------------------------------
// Start: restore saved state, or the state the host embedded in the page.

function initialState(): SavedState | undefined {
  const saved = vscode.getState() as SavedState | undefined;
  if (saved && typeof saved === 'object' && typeof saved.payload === 'string') return saved;
  if (saved && typeof saved === 'object' && saved.dropped && typeof saved.dropped.chars === 'number') {
    const mb = (saved.dropped.chars / (1024 * 1024)).toFixed(1);
    const title = typeof saved.dropped.title === 'string' && saved.dropped.title ? `“${displayText(saved.dropped.title, 120)}” ` : '';
    emptyEl.textContent = `The result ${title}(${mb} MB) was too large to keep across a reload. Run the query again to see it.`;
    return undefined;
  }
  const tag = document.getElementById('mq-initial-state');
  if (tag?.textContent) {
    try {
      const s = JSON.parse(tag.textContent) as SavedState;
      if (s && typeof s.payload === 'string') return s;
    } catch {
      // ignore a broken embedded state
    }
  }
  return undefined;
}

const start = initialState();
if (start?.payload) showResult(start.payload, start);
post({ type: 'ready' });
