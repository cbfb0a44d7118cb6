// Chart of the current (filtered) rows with uPlot: a time-series line chart when a DATE_TIME column is
// present (one series per combination of the other dimensions), a bar chart otherwise.
import uPlot from 'uplot';
import { type CellValue, type Column, type ResultView, parseDateTime, displayText, formatUtc, isNA, plainNumber } from './model.js';
import { type ColumnInfo, DisplayFormat, analyseColumns, constantColumns } from './columns.js';

export const MAX_SERIES = 12;
export const MAX_BARS = 60;

export interface ChartPlan {
  kind: 'line' | 'bar' | 'none';
  metrics: number[];
  timeCol: number;
  dimCols: number[];
  /** COMPARE WITH: metric column → its M_PREVIOUS column, drawn dashed on the current time axis. */
  previous: Map<number, number>;
  reason?: string;
}

export function planChart(view: ResultView): ChartPlan {
  const cols = view.response.columns;
  const infos = analyseColumns(view);
  const dims: number[] = [];
  const metrics: number[] = [];
  const previous = new Map<number, number>();
  for (const info of infos) {
    const i = info.index;
    const numeric = cols[i].columnDataType === 'INTEGER' || cols[i].columnDataType === 'NUMBER';
    if (info.dimension) dims.push(i);
    else if (info.compare?.kind === 'previous') previous.set(info.compare.base, i);
    else if (numeric) metrics.push(i);
  }
  const timeCol = dims.find((i) => cols[i].columnDataType === 'DATE_TIME') ?? -1;
  // A dimension with one value on every row names no series ("SMS · India" reads as "India").
  const constant = new Set(constantColumns(view.response.rows, infos));
  const varying = dims.filter((i) => !constant.has(i));
  if (!metrics.length) return { kind: 'none', metrics, timeCol, dimCols: dims, previous, reason: 'No numeric metric column to chart.' };
  if (timeCol >= 0) return { kind: 'line', metrics, timeCol, dimCols: varying.filter((i) => i !== timeCol), previous };
  return { kind: 'bar', metrics, timeCol, dimCols: varying, previous };
}

function num(v: CellValue): number | null {
  if (isNA(v)) return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return null;
}

const PALETTE = ['#3794ff', '#f14c4c', '#23d18b', '#cca700', '#b180d7', '#29b8db', '#e5732c', '#d670d6', '#8fbc3c', '#c6c6c6', '#ff8fa3', '#4ec9b0'];
/** The theme's chart colours first (they suit light, dark and high-contrast themes), then fixed ones. */
const THEME_CHART_COLOURS = ['blue', 'red', 'green', 'yellow', 'purple', 'orange'];

function palette(): string[] {
  return PALETTE.map((fallback, i) => (i < THEME_CHART_COLOURS.length ? cssVar(`--vscode-charts-${THEME_CHART_COLOURS[i]}`, fallback) : fallback));
}

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
  /** Per drawn series: the x indices where the API returned N/A (a missing row is not N/A). */
  na: Set<number>[];
  /** Per drawn series: its last value, shown in the legend while the pointer is not over the chart. */
  latest: (number | null)[];
  /** Per drawn series: the series it is the previous period of (COMPARE WITH), drawn dashed. */
  previousOf: (number | undefined)[];
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

interface LineSeries {
  points: Map<number, number | null>;
  na: Set<number>;
  weight: number;
}

/** One series per dimension combination; a rate met twice at one time is not added up (the first is kept). */
function collectLine(view: ResultView, plan: ChartPlan, cols: number[], order: number[], additive: boolean): { groups: Map<string, LineSeries[]>; xs: number[]; clashes: number } {
  const rows = view.response.rows;
  const groups = new Map<string, LineSeries[]>();
  const xs = new Set<number>();
  let clashes = 0;
  for (const i of order) {
    const row = rows[i];
    const t = typeof row[plan.timeCol] === 'string' ? parseDateTime(row[plan.timeCol] as string) : NaN;
    if (Number.isNaN(t)) continue;
    const x = t / 1000;
    xs.add(x);
    const k = seriesKey(row, plan.dimCols) || view.response.columns[cols[0]].columnName;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = cols.map(() => ({ points: new Map(), na: new Set(), weight: 0 }))));
    cols.forEach((c, n) => {
      const s = g![n];
      const v = num(row[c]);
      if (v === null && isNA(row[c])) s.na.add(x);
      const had = s.points.get(x);
      if (had !== undefined && had !== null && v !== null && !additive) {
        if (n === 0) clashes++;
        return;
      }
      s.points.set(x, v === null ? (had ?? null) : (had ?? 0) + v);
      if (v !== null) s.na.delete(x);
      s.weight += Math.abs(v ?? 0);
    });
  }
  return { groups, xs: [...xs].sort((a, b) => a - b), clashes };
}

function lastValue(values: (number | null)[]): number | null {
  for (let i = values.length - 1; i >= 0; i--) if (values[i] !== null) return values[i]!;
  return null;
}

function buildLine(view: ResultView, plan: ChartPlan, metric: number, order: number[], info: ColumnInfo): ChartData {
  const prev = plan.previous.get(metric);
  const cols = prev === undefined ? [metric] : [metric, prev];
  const scale = info.rate ? 100 : 1;
  const { groups, xs, clashes } = collectLine(view, plan, cols, order, info.additive);
  const keys = [...groups.keys()].sort((a, b) => groups.get(b)![0].weight - groups.get(a)![0].weight);
  const shown = keys.slice(0, MAX_SERIES);
  const out: ChartData = { data: [xs] as unknown as uPlot.AlignedData, labels: [], note: '', na: [], latest: [], previousOf: [] };
  const data: (number | null)[][] = [xs];
  shown.forEach((k, n) => {
    groups.get(k)!.forEach((s, side) => {
      const values = xs.map((x) => (s.points.has(x) && s.points.get(x) !== null ? s.points.get(x)! * scale : null));
      data.push(values);
      out.labels.push(side === 0 ? k : `${k} (${view.comparison?.label ?? 'previous'})`);
      out.na.push(new Set(xs.flatMap((x, i) => (s.na.has(x) ? [i] : []))));
      out.latest.push(lastValue(values));
      out.previousOf.push(side === 0 ? undefined : n);
    });
  });
  out.data = data as uPlot.AlignedData;
  let note = keys.length > shown.length ? `Showing the ${shown.length} largest of ${keys.length} series.` : `${keys.length} series, ${plural(xs.length, 'point')}.`;
  if (prev !== undefined) note += ` Dashed: ${view.comparison?.label ?? 'the previous period'}, on the current time axis.`;
  if (clashes) note += ` ${plural(clashes, 'row')} shared a time and series with another; ${view.response.columns[metric].columnName} is not additive, so the first value is drawn.`;
  out.note = note;
  const empty = emptyReason(data, order.length, view.response.columns[metric].columnName);
  if (empty) out.empty = empty;
  return out;
}

/** Builds aligned data for the chart; exported for tests. */
export function buildChartData(view: ResultView, plan: ChartPlan, metric: number, order: number[]): ChartData {
  const info = analyseColumns(view)[metric]!;
  if (plan.kind === 'line') return buildLine(view, plan, metric, order, info);
  const rows = view.response.rows;
  const scale = (v: number | null): number | null => (v === null ? null : info.rate ? v * 100 : v);
  const picked = order.slice(0, MAX_BARS);
  const xLabels = picked.map((i, n) => seriesKey(rows[i], plan.dimCols) || `row ${n + 1}`);
  const values = picked.map((i) => scale(num(rows[i][metric])));
  const data: (number | null)[][] = [picked.map((_i, n) => n), values];
  const na = new Set(picked.flatMap((i, n) => (isNA(rows[i][metric]) ? [n] : [])));
  const note = order.length > picked.length ? `Showing the first ${picked.length} of ${order.length} rows (in table order).` : `${plural(picked.length, 'bar')}.`;
  const empty = emptyReason(data, order.length, view.response.columns[metric].columnName);
  const out: ChartData = { data: data as uPlot.AlignedData, labels: [view.response.columns[metric].columnName], xLabels, note, na: [na], latest: [null], previousOf: [undefined] };
  if (empty) out.empty = empty;
  return out;
}

/**
 * The legend text of series `s` (0-based among the drawn ones): at the pointer, the value there (N/A only
 * where the API said N/A, nothing for a missing row); with no pointer, the series' latest value.
 */
export function legendValue(built: ChartData, s: number, idx: number | null | undefined, v: number | null, show: (v: number) => string): string {
  if (idx === null || idx === undefined) {
    const last = built.latest[s];
    return last === null || last === undefined ? '' : show(last);
  }
  if (v !== null && v !== undefined) return show(v);
  return built.na[s]?.has(idx) ? 'N/A' : '';
}

/** What both kinds of chart share: size, axis colours, the y-axis labels and whether values are rates. */
interface PlotBase {
  width: number;
  height: number;
  axisBase: { stroke: string; grid: { stroke: string; width: number }; ticks: { stroke: string; width: number } };
  yValues: (u: uPlot, ticks: number[]) => string[];
  /** A drawn value (a rate is drawn ×100) as the table writes it. */
  show: (v: number) => string;
}

function lineOptions(base: PlotBase, cols: Column[], timeCol: number, built: ChartData): uPlot.Options {
  const { width, height, axisBase, yValues, show } = base;
  const colours = palette();
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
      ...built.labels.map((l, i) => {
        const of = built.previousOf[i];
        const colourIndex = of ?? built.previousOf.slice(0, i).filter((p) => p === undefined).length;
        return {
          label: displayText(l, 60),
          stroke: colours[colourIndex % colours.length],
          width: of === undefined ? 1.5 : 1.25,
          // The previous period: dashed, in its series' colour, so the pair reads as one.
          ...(of === undefined ? {} : { dash: [6, 4] }),
          spanGaps: false,
          value: (_u: uPlot, v: number | null, _s: number, idx: number | null) => legendValue(built, i, idx, v, show),
        };
      }),
    ],
    // The previous period's marker is dashed too, so the legend tells the two lines apart without colour.
    legend: { show: true, markers: { dash: (_u: uPlot, i: number) => (i > 0 && built.previousOf[i - 1] !== undefined ? 'dashed' : 'solid') } },
  };
}

function barOptions(base: PlotBase, built: ChartData): uPlot.Options {
  const { width, height, axisBase, yValues, show } = base;
  const xl = built.xLabels ?? [];
  const colour = palette()[0]!;
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
        stroke: colour,
        fill: colour,
        alpha: 0.75,
        width: 1,
        paths: uPlot.paths.bars!({ size: [0.7, 80] }),
        points: { show: false },
        value: (_u: uPlot, v: number | null, _s: number, idx: number | null) => legendValue(built, 0, idx, v, show),
      },
    ],
    legend: { show: true },
  };
}

export class ChartView {
  private plot: uPlot | undefined;
  private resizeObs: ResizeObserver | undefined;
  private themeObs: MutationObserver | undefined;

  /**
   * `onTheme` is called when VS Code switches the colour theme (it changes the body's class): the canvas
   * was painted with the old theme's colours and must be drawn again.
   */
  constructor(
    private readonly host: HTMLElement,
    private readonly format = new DisplayFormat(typeof navigator === 'undefined' ? undefined : navigator.language),
    onTheme?: () => void,
  ) {
    if (onTheme && typeof MutationObserver !== 'undefined') {
      this.themeObs = new MutationObserver(() => onTheme());
      this.themeObs.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind', 'data-vscode-theme-id'] });
    }
  }

  /** Destroys the chart and stops following the theme (the output is gone). */
  dispose(): void {
    this.themeObs?.disconnect();
    this.themeObs = undefined;
    this.destroy();
  }

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
    const info = analyseColumns(view)[metric]!;
    const fmt = this.format;
    const show = (v: number): string => fmt.value(info.rate ? v / 100 : v, info);
    const fg = cssVar('--vscode-foreground', '#cccccc');
    const gridColor = cssVar('--vscode-editorWidget-border', 'rgba(128,128,128,0.35)');
    const width = Math.max(300, this.host.clientWidth || 600);
    const height = Math.max(220, Math.min(480, (this.host.clientHeight || 360) - 60));
    const yValues = (_u: uPlot, ticks: number[]): string[] => ticks.map((t) => (info.rate ? fmt.rate(t / 100) : axisNumber(t)));
    const axisBase = { stroke: fg, grid: { stroke: gridColor, width: 1 }, ticks: { stroke: gridColor, width: 1 } };
    const base: PlotBase = { width, height, axisBase, yValues, show };
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
