// One mq result in a notebook output: the results view's own header, table and chart components
// (client/webview/header.ts, table.ts, chart.ts), so the same rules hold in a notebook as in the results
// panel. Every value is written with textContent, never as markup.
import { parseResultPayload, type ResultView } from '../webview/model.js';
import { type ColumnInfo, DisplayFormat, analyseColumns } from '../webview/columns.js';
import { renderHeader } from '../webview/header.js';
import { ResultTable, ROW_HEIGHT } from '../webview/table.js';
import { ChartView, planChart } from '../webview/chart.js';

export { ROW_HEIGHT } from '../webview/table.js';
const MAX_HEIGHT = 360;

/** Whether the details are open, shared by the outputs of this notebook session. */
let detailsOpen = false;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls = '', text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

export class ResultOutput {
  private readonly view: ResultView;
  private readonly infos: ColumnInfo[];
  private readonly fmt = new DisplayFormat(typeof navigator === 'undefined' ? undefined : navigator.language);
  private readonly table: ResultTable;
  private readonly meta = el('div', 'meta');
  private readonly count = el('span', 'count');
  private readonly chart: ChartView;
  private readonly chartHost = el('div', 'chart-host');
  private readonly chartNote = el('span', 'chart-note');
  private readonly chartPanel = el('div', 'panel chart-panel');

  constructor(private readonly root: HTMLElement, text: string) {
    this.view = parseResultPayload(text);
    this.infos = analyseColumns(this.view);
    this.chart = new ChartView(this.chartHost, this.fmt, () => {
      if (!this.chartPanel.hidden) this.renderChart();
    });
    this.table = new ResultTable(this.fmt, {
      changed: () => undefined,
      ordered: () => this.ordered(),
      copy: () => undefined,
      openUrl: () => undefined,
      say: () => undefined,
    });
    this.build();
  }

  private renderMeta(): void {
    const rows = this.view.response.rows;
    renderHeader(this.meta, this.view, this.infos, this.fmt, {
      detailsOpen,
      onDetails: (open) => (detailsOpen = open),
      constants: this.table.constantColumns.map((c) => ({ ...c, value: this.fmt.cell(rows[0]![c.col]!, this.infos[c.col]!).text })),
      onChip: (col, shown) => {
        this.table.setColumnShown(col, shown);
        this.renderMeta();
      },
    });
  }

  private build(): void {
    const tabs = el('div', 'tabs');
    tabs.setAttribute('role', 'tablist');
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
    tablePanel.append(this.table.grid);
    this.chartPanel.append(this.chartNote, this.chartHost);
    this.chartPanel.hidden = true;
    this.root.append(this.meta, toolbar, tablePanel, this.chartPanel);
    const select = (t: 'table' | 'chart'): void => {
      tablePanel.hidden = t !== 'table';
      this.chartPanel.hidden = t !== 'chart';
      tableTab.setAttribute('aria-selected', String(t === 'table'));
      chartTab.setAttribute('aria-selected', String(t === 'chart'));
      if (t === 'chart') this.renderChart();
      else this.table.renderRows(true);
    };
    tableTab.addEventListener('click', () => select('table'));
    chartTab.addEventListener('click', () => select('chart'));
    filter.addEventListener('input', () => this.table.setFilter(filter.value));
    this.table.setResult(this.view, this.infos);
    this.renderMeta();
    select('table');
  }

  private ordered(): void {
    const n = this.table.order.length;
    const total = this.view.response.rows.length;
    const rows = (k: number): string => `${this.fmt.plain(k)} row${k === 1 ? '' : 's'}`;
    this.count.textContent = n === total ? rows(total) : `${this.fmt.plain(n)} of ${rows(total)}`;
    const totals = n > 0 && this.infos.some((i) => i.additive) ? 1 : 0;
    this.table.grid.style.height = `${Math.min(MAX_HEIGHT, (n + 1 + totals) * ROW_HEIGHT + 2)}px`;
    if (!this.chartPanel.hidden) this.renderChart();
  }

  renderChart(): void {
    const plan = planChart(this.view);
    const metric = plan.metrics[0] ?? -1;
    this.chartNote.textContent = plan.kind === 'none' ? (plan.reason ?? 'Nothing to chart.') : this.chart.render(this.view, plan, metric, this.table.order);
  }

  dispose(): void {
    this.chart.dispose();
  }
}
