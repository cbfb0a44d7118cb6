// Chart of the current (filtered) rows with uPlot: a time-series line chart when a DATE_TIME column is
// present (one series per combination of the other dimensions), a bar chart otherwise.
import uPlot from 'uplot';
import { type CellValue, type Column, type ResultView, isDimensionColumn, isRateColumn, parseDateTime, displayText, formatPercent, formatUtc, isNA, plainNumber } from './model.js';

export const MAX_SERIES = 12;
export const MAX_BARS = 60;

export interface ChartPlan {
  kind: 'line' | 'bar' | 'none';
  metrics: number[];
  timeCol: number;
  dimCols: number[];
  reason?: string;
}

export function planChart(view: ResultView): ChartPlan {
  const cols = view.response.columns;
  const dims: number[] = [];
  const metrics: number[] = [];
  cols.forEach((c, i) => {
    if (isDimensionColumn(view, c)) dims.push(i);
    else if (c.columnDataType === 'INTEGER' || c.columnDataType === 'NUMBER') metrics.push(i);
  });
  const timeCol = dims.find((i) => cols[i].columnDataType === 'DATE_TIME') ?? -1;
  if (!metrics.length) return { kind: 'none', metrics, timeCol, dimCols: dims, reason: 'No numeric metric column to chart.' };
  if (timeCol >= 0) return { kind: 'line', metrics, timeCol, dimCols: dims.filter((i) => i !== timeCol) };
  return { kind: 'bar', metrics, timeCol, dimCols: dims };
}

function num(v: CellValue): number | null {
  if (isNA(v)) return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return null;
}

const PALETTE = ['#3794ff', '#f14c4c', '#23d18b', '#cca700', '#b180d7', '#29b8db', '#e5732c', '#d670d6', '#8fbc3c', '#c6c6c6', '#ff8fa3', '#4ec9b0'];

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

function seriesKey(row: CellValue[], dimCols: number[]): string {
  return dimCols.map((c) => (row[c] === null ? 'N/A' : String(row[c]))).join(' · ');
}

export interface ChartData {
  data: uPlot.AlignedData;
  labels: string[];
  xLabels?: string[];
  note: string;
  /** Set when there is nothing to draw (no rows, or every value N/A): what to say instead of a chart. */
  empty?: string;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Axis numbers that fit the axis: 9.0e15 → "9Q", 1234567 → "1.23M"; small ones as they are. */
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 2 });
export function axisNumber(t: number): string {
  if (Math.abs(t) >= 1e5) return compact.format(t);
  if (t !== 0 && Math.abs(t) < 1e-3) return plainNumber(Number(t.toPrecision(3)));
  return String(Math.round(t * 1e6) / 1e6);
}

function emptyReason(data: (number | null)[][], rows: number, metricName: string): string | undefined {
  if (rows === 0) return 'No rows to chart.';
  const any = data.slice(1).some((s) => s.some((v) => v !== null && Number.isFinite(v)));
  return any ? undefined : `No values to chart: ${metricName} is N/A in every row shown.`;
}

/** Builds aligned data for the chart; exported for tests. */
export function buildChartData(view: ResultView, plan: ChartPlan, metric: number, order: number[]): ChartData {
  const rows = view.response.rows;
  const rate = isRateColumn(view, view.response.columns[metric]);
  const scale = (v: number | null): number | null => (v === null ? null : rate ? v * 100 : v);
  if (plan.kind === 'line') {
    const groups = new Map<string, Map<number, number | null>>();
    const totals = new Map<string, number>();
    const xs = new Set<number>();
    for (const i of order) {
      const row = rows[i];
      const t = typeof row[plan.timeCol] === 'string' ? parseDateTime(row[plan.timeCol] as string) : NaN;
      if (Number.isNaN(t)) continue;
      const x = t / 1000;
      xs.add(x);
      const k = seriesKey(row, plan.dimCols) || view.response.columns[metric].columnName;
      let g = groups.get(k);
      if (!g) groups.set(k, (g = new Map()));
      const v = scale(num(row[metric]));
      g.set(x, v === null ? (g.get(x) ?? null) : (g.get(x) ?? 0) + v);
      totals.set(k, (totals.get(k) ?? 0) + Math.abs(v ?? 0));
    }
    const keys = [...groups.keys()].sort((a, b) => (totals.get(b) ?? 0) - (totals.get(a) ?? 0));
    const shown = keys.slice(0, MAX_SERIES);
    const xArr = [...xs].sort((a, b) => a - b);
    const data: (number | null)[][] = [xArr];
    for (const k of shown) {
      const g = groups.get(k)!;
      data.push(xArr.map((x) => (g.has(x) ? g.get(x)! : null)));
    }
    const note = keys.length > shown.length ? `Showing the ${shown.length} largest of ${keys.length} series.` : `${keys.length} series, ${plural(xArr.length, 'point')}.`;
    const empty = emptyReason(data, order.length, view.response.columns[metric].columnName);
    return { data: data as uPlot.AlignedData, labels: shown, note, ...(empty ? { empty } : {}) };
  }
  const picked = order.slice(0, MAX_BARS);
  const xLabels = picked.map((i, n) => seriesKey(rows[i], plan.dimCols) || `row ${n + 1}`);
  const data: (number | null)[][] = [picked.map((_i, n) => n), picked.map((i) => scale(num(rows[i][metric])))];
  const note = order.length > picked.length ? `Showing the first ${picked.length} of ${order.length} rows (in table order).` : `${plural(picked.length, 'bar')}.`;
  const empty = emptyReason(data, order.length, view.response.columns[metric].columnName);
  return { data: data as uPlot.AlignedData, labels: [view.response.columns[metric].columnName], xLabels, note, ...(empty ? { empty } : {}) };
}

/** What both kinds of chart share: size, axis colours, the y-axis labels and whether values are rates. */
interface PlotBase {
  width: number;
  height: number;
  axisBase: { stroke: string; grid: { stroke: string; width: number }; ticks: { stroke: string; width: number } };
  yValues: (u: uPlot, ticks: number[]) => string[];
  rate: boolean;
}

function lineOptions(base: PlotBase, cols: Column[], timeCol: number, built: ChartData): uPlot.Options {
  const { width, height, axisBase, yValues, rate } = base;
  return {
    width,
    height,
    // Times are shown in UTC, like the table (uPlot would use the browser's zone). A single time gets an
    // hour either side instead of uPlot's default span of years.
    tzDate: (ts: number) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    scales: {
      x: {
        time: true,
        range: (u, min, max) => {
          const xs = u.data[0];
          return xs.length === 1 && typeof xs[0] === 'number' ? [xs[0] - 3600, xs[0] + 3600] : [min, max];
        },
      },
    },
    axes: [{ ...axisBase, label: 'UTC', labelSize: 20 }, { ...axisBase, values: yValues, size: 70 }],
    series: [
      { label: `${cols[timeCol].columnName} (UTC)`, value: (_u: uPlot, v: number | null) => (v === null ? '' : formatUtc(v * 1000)) },
      ...built.labels.map((l, i) => ({
        label: displayText(l, 60),
        stroke: PALETTE[i % PALETTE.length],
        width: 1.5,
        spanGaps: false,
        value: (_u: uPlot, v: number | null) => (v === null ? 'N/A' : rate ? formatPercent(v / 100) : String(v)),
      })),
    ],
    legend: { show: true },
  };
}

function barOptions(base: PlotBase, built: ChartData): uPlot.Options {
  const { width, height, axisBase, yValues, rate } = base;
  const xl = built.xLabels ?? [];
  return {
    width,
    height,
    scales: { x: { time: false, range: (_u, min, max) => [min - 0.5, max + 0.5] } },
    axes: [
      {
        ...axisBase,
        // Room for the longest shown label between ticks, so labels do not run into each other.
        space: Math.min(220, 12 + 7 * Math.min(18, Math.max(1, ...xl.map((l) => l.length)))),
        values: (_u, ticks) => ticks.map((t) => (Number.isInteger(t) && xl[t] !== undefined ? displayText(xl[t], 18) : '')),
      } as uPlot.Axis,
      { ...axisBase, values: yValues, size: 70 },
    ],
    series: [
      { label: 'row', value: (_u: uPlot, v: number | null) => (v === null || xl[v] === undefined ? '' : displayText(xl[v], 60)) },
      {
        label: displayText(built.labels[0], 60),
        stroke: PALETTE[0],
        fill: `${PALETTE[0]}99`,
        width: 1,
        paths: uPlot.paths.bars!({ size: [0.7, 80] }),
        points: { show: false },
        value: (_u: uPlot, v: number | null) => (v === null ? 'N/A' : rate ? formatPercent(v / 100) : String(v)),
      },
    ],
    legend: { show: true },
  };
}

export class ChartView {
  private plot: uPlot | undefined;
  private resizeObs: ResizeObserver | undefined;

  constructor(private readonly host: HTMLElement) {}

  destroy(): void {
    this.plot?.destroy();
    this.plot = undefined;
    this.resizeObs?.disconnect();
    this.resizeObs = undefined;
    this.host.textContent = '';
    delete this.host.dataset.xMin;
    delete this.host.dataset.xMax;
  }

  render(view: ResultView, plan: ChartPlan, metric: number, order: number[]): string {
    this.destroy();
    if (plan.kind === 'none') return plan.reason ?? 'Nothing to chart.';
    const cols: Column[] = view.response.columns;
    const built = buildChartData(view, plan, metric, order);
    if (built.empty) {
      this.host.append(Object.assign(document.createElement('p'), { className: 'chart-empty', textContent: built.empty }));
      return built.empty;
    }
    const rate = isRateColumn(view, cols[metric]);
    const fg = cssVar('--vscode-foreground', '#cccccc');
    const gridColor = cssVar('--vscode-editorWidget-border', 'rgba(128,128,128,0.35)');
    const width = Math.max(300, this.host.clientWidth || 600);
    const height = Math.max(220, Math.min(480, (this.host.clientHeight || 360) - 60));
    const yValues = (_u: uPlot, ticks: number[]): string[] => ticks.map((t) => (rate ? formatPercent(t / 100) : axisNumber(t)));
    const axisBase = { stroke: fg, grid: { stroke: gridColor, width: 1 }, ticks: { stroke: gridColor, width: 1 } };
    const base: PlotBase = { width, height, axisBase, yValues, rate };
    const opts = plan.kind === 'line' ? lineOptions(base, cols, plan.timeCol, built) : barOptions(base, built);
    // The x range drawn (seconds for times), readable by tests and tools.
    const host = this.host;
    opts.hooks = {
      setScale: [
        (u: uPlot, key: string) => {
          if (key !== 'x') return;
          host.dataset.xMin = String(u.scales.x?.min ?? '');
          host.dataset.xMax = String(u.scales.x?.max ?? '');
        },
      ],
    };
    this.plot = new uPlot(opts, built.data, this.host);
    const canvas = this.host.querySelector('canvas');
    if (canvas) {
      canvas.setAttribute('role', 'img');
      canvas.setAttribute(
        'aria-label',
        plan.kind === 'line'
          ? `Line chart of ${cols[metric].columnName} over ${cols[plan.timeCol].columnName}. ${built.note}`
          : `Bar chart of ${cols[metric].columnName}. ${built.note}`,
      );
    }
    if (typeof ResizeObserver !== 'undefined') {
      this.resizeObs = new ResizeObserver(() => {
        const w = Math.max(300, this.host.clientWidth);
        if (this.plot && Math.abs(this.plot.width - w) > 4) this.plot.setSize({ width: w, height: this.plot.height });
      });
      this.resizeObs.observe(this.host);
    }
    return built.note;
  }
}
