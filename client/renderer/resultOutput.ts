// One mq result in a notebook output: header, Table/Chart tabs, a filter, a sortable table with virtual
// scrolling and the chart. Cell formatting, sorting, filtering and the chart are the results view's own
// code (client/webview/model.ts and chart.ts); every value is written with textContent, never as markup.
import { formatCell, isRateColumn, parseResultPayload, rowSearchText, sortIndices, displayText, type ResultView, type SortState } from '../webview/model.js';
import { ChartView, planChart } from '../webview/chart.js';

export const ROW_HEIGHT = 24;
const BUFFER = 6;
const MAX_HEIGHT = 360;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls = '', text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

const WIDTHS: Record<string, number> = { DATE_TIME: 170, INTEGER: 150, NUMBER: 110, BOOLEAN: 80 };

export class ResultOutput {
  private readonly view: ResultView;
  private readonly rates: boolean[];
  private order: number[];
  private sort: SortState | null = null;
  private search: string[] | undefined;
  private readonly grid = el('div', 'grid');
  private readonly body = el('div', 'grid-body');
  private readonly headerRow = el('div', 'grid-row grid-header');
  private readonly count = el('span', 'count');
  private readonly chart: ChartView;
  private readonly chartHost = el('div', 'chart-host');
  private readonly chartNote = el('span', 'chart-note');
  private readonly pool: HTMLElement[] = [];
  private range = { start: -1, end: -1 };

  constructor(private readonly root: HTMLElement, text: string) {
    this.view = parseResultPayload(text);
    const cols = this.view.response.columns;
    this.rates = cols.map((c) => isRateColumn(this.view, c));
    this.order = this.view.response.rows.map((_r, i) => i);
    this.chart = new ChartView(this.chartHost);
    this.build();
  }

  private build(): void {
    const v = this.view;
    const meta = el('div', 'meta');
    meta.append(el('span', 'title', displayText(v.title, 200)), el('span', `badge ${v.source}`, v.source === 'sample' ? 'sample data' : displayText(v.connection, 80)));
    const p = v.requestedPeriod;
    if (p && (p.sentSince || p.sentUntil)) meta.append(el('span', 'period', displayText(`${p.sentSince} → ${p.sentUntil}`, 120)));
    const tabs = el('div', 'tabs');
    const tableTab = el('button', '', 'Table');
    const chartTab = el('button', '', 'Chart');
    for (const [b, name] of [[tableTab, 'table'], [chartTab, 'chart']] as const) {
      b.type = 'button';
      b.setAttribute('role', 'tab');
      b.dataset.tab = name;
    }
    const filter = el('input');
    filter.type = 'search';
    filter.placeholder = 'Filter rows';
    filter.setAttribute('aria-label', 'Filter rows');
    const toolbar = el('div', 'toolbar');
    toolbar.append(tabs, filter, this.count);
    tabs.append(tableTab, chartTab);
    const tablePanel = el('div', 'panel table-panel');
    this.grid.setAttribute('role', 'grid');
    this.grid.tabIndex = 0;
    this.grid.append(this.headerRow, this.body);
    tablePanel.append(this.grid);
    const chartPanel = el('div', 'panel chart-panel');
    chartPanel.append(this.chartNote, this.chartHost);
    chartPanel.hidden = true;
    this.root.append(meta, toolbar, tablePanel, chartPanel);
    const select = (t: 'table' | 'chart'): void => {
      tablePanel.hidden = t !== 'table';
      chartPanel.hidden = t !== 'chart';
      tableTab.setAttribute('aria-selected', String(t === 'table'));
      chartTab.setAttribute('aria-selected', String(t === 'chart'));
      if (t === 'chart') this.renderChart();
      else this.renderRows(true);
    };
    tableTab.addEventListener('click', () => select('table'));
    chartTab.addEventListener('click', () => select('chart'));
    filter.addEventListener('input', () => this.applyFilter(filter.value));
    this.grid.addEventListener('scroll', () => this.renderRows(), { passive: true });
    this.buildHeader();
    this.layout();
    select('table');
  }

  private buildHeader(): void {
    const cols = this.view.response.columns;
    const widths = cols.map((c) => WIDTHS[c.columnDataType] ?? 220);
    this.grid.style.setProperty('--mq-columns', widths.map((w) => `${w}px`).join(' ') || '1fr');
    this.grid.style.setProperty('--mq-width', `${Math.max(100, widths.reduce((a, b) => a + b, 0))}px`);
    cols.forEach((c, i) => {
      const h = el('div', `grid-cell grid-head${c.columnDataType === 'INTEGER' || c.columnDataType === 'NUMBER' ? ' num' : ''}`);
      h.setAttribute('role', 'columnheader');
      h.setAttribute('aria-sort', 'none');
      h.title = `${displayText(c.columnName, 500)} (${c.columnDataType}) — click to sort`;
      h.append(el('span', 'head-label', displayText(c.columnName, 120)), el('span', 'sort-arrow'));
      h.addEventListener('click', () => this.toggleSort(i));
      this.headerRow.append(h);
    });
  }

  private toggleSort(col: number): void {
    const dir = this.sort?.col === col ? (this.sort.dir === 'asc' ? 'desc' : null) : 'asc';
    this.sort = dir ? { col, dir } : null;
    Array.from(this.headerRow.children).forEach((h, i) => {
      const d = this.sort?.col === i ? this.sort.dir : null;
      h.setAttribute('aria-sort', d === 'asc' ? 'ascending' : d === 'desc' ? 'descending' : 'none');
      h.querySelector('.sort-arrow')!.textContent = d === 'asc' ? '▲' : d === 'desc' ? '▼' : '';
    });
    this.refreshOrder(this.currentFilter);
  }

  private currentFilter = '';

  private applyFilter(text: string): void {
    this.currentFilter = text.trim().toLowerCase();
    this.refreshOrder(this.currentFilter);
  }

  private refreshOrder(filter: string): void {
    const rows = this.view.response.rows;
    let idx = rows.map((_r, i) => i);
    if (filter) {
      this.search ??= rows.map((r) => rowSearchText(r, this.view.response.columns, this.rates));
      idx = idx.filter((i) => this.search![i]!.includes(filter));
    }
    this.order = this.sort ? sortIndices(rows, idx, this.view.response.columns, this.sort) : idx;
    this.layout();
    this.renderRows(true);
    if (!this.chartHost.parentElement?.hidden) this.renderChart();
  }

  private layout(): void {
    const n = this.order.length;
    const total = this.view.response.rows.length;
    this.count.textContent = n === total ? `${total} row${total === 1 ? '' : 's'}` : `${n} of ${total} rows`;
    this.body.style.height = `${n * ROW_HEIGHT}px`;
    this.grid.style.height = `${Math.min(MAX_HEIGHT, (n + 1) * ROW_HEIGHT + 2)}px`;
  }

  private fill(r: HTMLElement, viewIndex: number): void {
    const row = this.view.response.rows[this.order[viewIndex]!]!;
    const cols = this.view.response.columns;
    r.style.transform = `translateY(${viewIndex * ROW_HEIGHT}px)`;
    r.classList.toggle('odd', viewIndex % 2 === 1);
    r.dataset.view = String(viewIndex);
    for (let c = 0; c < cols.length; c++) {
      const cell = r.children[c] as HTMLElement;
      const f = formatCell(row[c]!, cols[c]!, this.rates[c]!);
      cell.textContent = f.text;
      cell.title = f.title;
      cell.className = `grid-cell ${f.kind}`;
    }
  }

  /** Renders the rows in view (plus a few) into a fixed pool of row elements. */
  renderRows(force = false): void {
    const top = this.grid.scrollTop;
    const height = this.grid.clientHeight || MAX_HEIGHT;
    const start = Math.max(0, Math.floor(top / ROW_HEIGHT) - BUFFER);
    const end = Math.min(this.order.length, Math.ceil((top + height) / ROW_HEIGHT) + BUFFER);
    if (!force && start === this.range.start && end === this.range.end) return;
    this.range = { start, end };
    const cols = this.view.response.columns.length;
    while (this.pool.length < end - start) {
      const r = el('div', 'grid-row');
      r.setAttribute('role', 'row');
      for (let c = 0; c < cols; c++) r.append(el('div', 'grid-cell'));
      this.body.append(r);
      this.pool.push(r);
    }
    this.pool.forEach((r, i) => {
      const v = start + i;
      r.hidden = v >= end;
      if (v < end) this.fill(r, v);
    });
  }

  renderChart(): void {
    const plan = planChart(this.view);
    const metric = plan.metrics[0] ?? -1;
    this.chartNote.textContent = plan.kind === 'none' ? (plan.reason ?? 'Nothing to chart.') : this.chart.render(this.view, plan, metric, this.order);
  }

  dispose(): void {
    this.chart.destroy();
  }
}
