// What a notebook looks like outside VS Code: the text fallbacks of each result output (plain text,
// Markdown table, CSV), and whole-notebook exports to Markdown and to a self-contained HTML report whose
// tables and charts (inline SVG) need no script. Cell formatting, Markdown and CSV come from the results
// view's own model (client/webview/model.ts), so a value reads the same everywhere. Every value is escaped.
import { stringifyJson } from '../core/compile/wire.js';
import { formatTable } from '../run/results.js';
import {
  formatCell,
  isDimensionColumn,
  isNA,
  isRateColumn,
  parseDateTime,
  parseResultPayload,
  toCsv,
  toMarkdown,
  displayText,
  type CellValue,
  type ResultView,
} from '../../../client/webview/model.js';
import type { Notebook, NotebookOutput, NotebookResult } from './format.js';
import { escapeHtml, markdownToHtml } from './markdown.js';

/** Rows put into Markdown and HTML tables; the full result stays in the notebook (and the CSV fallback). */
export const MAX_TABLE_ROWS = 1000;

/** The results view's model of a stored result (cells parsed losslessly, int64 as bigint). */
export function viewOf(result: NotebookResult): ResultView {
  return parseResultPayload(stringifyJson(result));
}

const rowsWord = (n: number): string => `${n.toLocaleString('en-US')} row${n === 1 ? '' : 's'}`;
const upTo = (n: number, max: number): number[] => Array.from({ length: Math.min(n, max) }, (_v, i) => i);

function truncationNote(total: number, max: number): string {
  return total > max ? `(first ${rowsWord(max)} of ${rowsWord(total)})\n` : '';
}

/** text/plain, text/markdown and text/csv versions of a result, for tools that cannot render it. */
export function resultFallbacks(result: NotebookResult): { plain: string; markdown: string; csv: string } {
  const view = viewOf(result);
  const total = view.response.rows.length;
  const head = `${result.title} — ${rowsWord(total)}${result.source === 'sample' ? ' (sample data)' : ''}\n`;
  const plainRows = { ...result.response, rows: result.response.rows.slice(0, MAX_TABLE_ROWS) };
  return {
    plain: head + formatTable(plainRows) + truncationNote(total, MAX_TABLE_ROWS),
    markdown: `**${mdInline(result.title)}** — ${rowsWord(total)}\n\n` + toMarkdown(view, upTo(total, MAX_TABLE_ROWS)) + truncationNote(total, MAX_TABLE_ROWS),
    csv: toCsv(view.response.columns, view.response.rows, upTo(total, total)),
  };
}

function mdInline(text: string): string {
  return displayText(text, 300).replace(/[\\|<>[\]`*_#]/g, (c) => `\\${c}`);
}

// ------------------------------------------------------------------------------------------------
// Charts as inline SVG: a line per series over time when there is a DATE_TIME column, bars otherwise.

const PALETTE = ['#3794ff', '#f14c4c', '#23d18b', '#cca700', '#b180d7', '#29b8db', '#e5732c', '#d670d6'];
const W = 720;
const H = 260;
const PAD = { left: 64, right: 16, top: 16, bottom: 36 };

function num(v: CellValue): number | null {
  if (isNA(v)) return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return null;
}

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 2 });

function axisLabel(v: number, rate: boolean): string {
  return rate ? `${(v * 100).toFixed(1).replace(/\.0$/, '')}%` : compact.format(v);
}

function chartPlan(view: ResultView): { metric: number; time: number; dims: number[]; rate: boolean } | undefined {
  const cols = view.response.columns;
  const dims = cols.map((c, i) => (isDimensionColumn(view, c) ? i : -1)).filter((i) => i >= 0);
  const metric = cols.findIndex((c, i) => !dims.includes(i) && (c.columnDataType === 'INTEGER' || c.columnDataType === 'NUMBER'));
  if (metric < 0 || view.response.rows.length === 0) return undefined;
  const time = dims.find((i) => cols[i]!.columnDataType === 'DATE_TIME') ?? -1;
  return { metric, time, dims: dims.filter((i) => i !== time), rate: isRateColumn(view, cols[metric]!) };
}

function yScale(values: number[]): { min: number; max: number; y: (v: number) => number } {
  const min = Math.min(0, ...values);
  const max = Math.max(min + 1e-9, ...values);
  return { min, max, y: (v) => PAD.top + (H - PAD.top - PAD.bottom) * (1 - (v - min) / (max - min)) };
}

function axes(min: number, max: number, y: (v: number) => number, rate: boolean): string {
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => min + (max - min) * f);
  return ticks
    .map((t) => `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" class="grid"/><text x="${PAD.left - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end">${escapeHtml(axisLabel(t, rate))}</text>`)
    .join('');
}

function seriesName(row: CellValue[], dims: number[]): string {
  return dims.map((d) => (row[d] === null ? 'N/A' : String(row[d]))).join(' · ') || 'all';
}

function lineChart(view: ResultView, p: NonNullable<ReturnType<typeof chartPlan>>): string {
  const series = new Map<string, [number, number][]>();
  for (const row of view.response.rows) {
    const t = typeof row[p.time] === 'string' ? parseDateTime(row[p.time] as string) : NaN;
    const v = num(row[p.metric]!);
    if (Number.isNaN(t) || v === null) continue;
    const name = seriesName(row, p.dims);
    if (!series.has(name) && series.size >= PALETTE.length) continue;
    (series.get(name) ?? series.set(name, []).get(name)!).push([t, v]);
  }
  const points = [...series.values()].flat();
  if (!points.length) return '';
  const t0 = Math.min(...points.map((x) => x[0]));
  const t1 = Math.max(t0 + 1, ...points.map((x) => x[0]));
  const x = (t: number): number => PAD.left + ((W - PAD.left - PAD.right) * (t - t0)) / (t1 - t0);
  const { min, max, y } = yScale(points.map((q) => q[1]));
  const lines = [...series.entries()].map(([name, pts], i) => {
    const d = pts.sort((a, b) => a[0] - b[0]).map(([t, v], j) => `${j ? 'L' : 'M'}${x(t).toFixed(1)},${y(v).toFixed(1)}`).join('');
    return `<path d="${d}" stroke="${PALETTE[i]}" fill="none" stroke-width="2"><title>${escapeHtml(displayText(name, 200))}</title></path>`;
  });
  const day = (t: number): string => new Date(t).toISOString().slice(0, 10);
  const xLabels = `<text x="${PAD.left}" y="${H - 12}">${day(t0)}</text><text x="${W - PAD.right}" y="${H - 12}" text-anchor="end">${day(t1)}</text>`;
  const legend = [...series.keys()].map((n, i) => `<span class="key"><i style="background:${PALETTE[i]}"></i>${escapeHtml(displayText(n, 80))}</span>`).join(' ');
  return svg(view, p, axes(min, max, y, p.rate) + lines.join('') + xLabels) + `<div class="legend">${legend}</div>`;
}

function barChart(view: ResultView, p: NonNullable<ReturnType<typeof chartPlan>>): string {
  const bars = view.response.rows
    .map((row) => ({ name: seriesName(row, p.dims), v: num(row[p.metric]!) }))
    .filter((b): b is { name: string; v: number } => b.v !== null)
    .slice(0, 30);
  if (!bars.length) return '';
  const { min, max, y } = yScale(bars.map((b) => b.v));
  const slot = (W - PAD.left - PAD.right) / bars.length;
  const rects = bars.map((b, i) => {
    const top = Math.min(y(b.v), y(0));
    const h = Math.max(1, Math.abs(y(b.v) - y(0)));
    const label = `${displayText(b.name, 200)}: ${axisLabel(b.v, p.rate)}`;
    const short = displayText(b.name, Math.max(3, Math.floor(slot / 7)));
    return `<rect x="${(PAD.left + i * slot + slot * 0.1).toFixed(1)}" y="${top.toFixed(1)}" width="${(slot * 0.8).toFixed(1)}" height="${h.toFixed(1)}" fill="${PALETTE[0]}"><title>${escapeHtml(label)}</title></rect>` +
      (bars.length <= 12 ? `<text x="${(PAD.left + (i + 0.5) * slot).toFixed(1)}" y="${H - 12}" text-anchor="middle">${escapeHtml(short)}</text>` : '');
  });
  return svg(view, p, axes(min, max, y, p.rate) + rects.join(''));
}

function svg(view: ResultView, p: NonNullable<ReturnType<typeof chartPlan>>, inner: string): string {
  const name = view.response.columns[p.metric]!.columnName;
  return `<svg class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeHtml(displayText(name, 200))}" xmlns="http://www.w3.org/2000/svg"><title>${escapeHtml(displayText(name, 200))}</title>${inner}</svg>`;
}

/** An inline SVG chart of a result's first metric, or '' when there is nothing to draw. */
export function svgChart(view: ResultView): string {
  const p = chartPlan(view);
  if (!p) return '';
  const chart = p.time >= 0 ? lineChart(view, p) : barChart(view, p);
  const name = view.response.columns[p.metric]!.columnName;
  return chart && `<p class="note">${escapeHtml(displayText(name, 200))}${p.time >= 0 ? ' over time' : ''}</p>${chart}`;
}

// ------------------------------------------------------------------------------------------------
// HTML report

function htmlTable(view: ResultView): string {
  const cols = view.response.columns;
  const rates = cols.map((c) => isRateColumn(view, c));
  const head = cols.map((c) => `<th>${escapeHtml(displayText(c.columnName))}</th>`).join('');
  const rows = view.response.rows.slice(0, MAX_TABLE_ROWS).map((row) => {
    const cells = row.map((v, j) => {
      const f = formatCell(v, cols[j]!, rates[j]!);
      return `<td class="${f.kind}" title="${escapeHtml(f.title)}">${escapeHtml(f.text)}</td>`;
    });
    return `<tr>${cells.join('')}</tr>`;
  });
  const note = view.response.rows.length > MAX_TABLE_ROWS ? `<p class="note">First ${rowsWord(MAX_TABLE_ROWS)} of ${rowsWord(view.response.rows.length)}.</p>` : '';
  return `<div class="table"><table><thead><tr>${head}</tr></thead><tbody>${rows.join('\n')}</tbody></table></div>${note}`;
}

function htmlOutput(o: NotebookOutput): string {
  if (o.kind === 'error') {
    const items = (o.diagnostics ?? []).map((d) => `<li><code>${escapeHtml(d.code)}</code> line ${d.line}: ${escapeHtml(d.message)}</li>`).join('');
    return `<div class="error"><strong>${o.reason === 'diagnostics' ? 'Not run' : 'Error'}:</strong> ${escapeHtml(o.message)}${items ? `<ul>${items}</ul>` : ''}</div>`;
  }
  const view = viewOf(o.result);
  const r = o.result;
  const p = r.requestedPeriod;
  const meta = [rowsWord(view.response.rows.length), r.source === 'sample' ? 'sample data' : r.connection, p ? `${p.sentSince} → ${p.sentUntil}` : ''].filter(Boolean);
  return `<section class="result"><h3>${escapeHtml(displayText(r.title, 300))}</h3><p class="meta">${escapeHtml(meta.join(' · '))}</p>${svgChart(view)}${htmlTable(view)}</section>`;
}

const CSS = `body{font:14px/1.5 system-ui,sans-serif;max-width:980px;margin:2em auto;padding:0 1em;color:#1f2328;background:#fff}
pre,code{font-family:ui-monospace,monospace;font-size:13px}pre{background:#f6f8fa;padding:.8em;overflow:auto;border-radius:4px}
.table{overflow:auto;max-height:480px;border:1px solid #d0d7de;border-radius:4px}table{border-collapse:collapse;width:100%}
th,td{padding:3px 8px;border-bottom:1px solid #d0d7de;text-align:left;white-space:nowrap}th{position:sticky;top:0;background:#f6f8fa}
td.num{text-align:right;font-variant-numeric:tabular-nums}td.na{color:#8c959f;font-style:italic}
.meta,.note{color:#59636e;font-size:12px}.error{border-left:4px solid #cf222e;padding:.4em .8em;background:#ffebe9}
svg.chart{max-width:100%;height:auto}svg text{font-size:11px;fill:currentColor}svg .grid{stroke:#d0d7de}
.legend{font-size:12px}.key i{display:inline-block;width:10px;height:10px;margin:0 4px 0 8px;border-radius:2px}
details summary{cursor:pointer;color:#59636e}
@media (prefers-color-scheme:dark){body{color:#e6edf3;background:#0d1117}pre{background:#161b22}th{background:#161b22}
th,td,.table{border-color:#30363d}svg .grid{stroke:#30363d}.error{background:#3c1618}.meta,.note{color:#9198a1}}`;

/** A self-contained HTML report: prose, queries (folded), charts and tables; no scripts, no external files. */
export function exportHtml(nb: Notebook, opts: { title?: string } = {}): string {
  const title = opts.title ?? nb.metadata?.title ?? 'mq notebook';
  const body = nb.cells.map((c) => {
    if (c.kind === 'markdown') return `<div class="prose">${markdownToHtml(c.source)}</div>`;
    const outputs = (c.outputs ?? []).map(htmlOutput).join('\n');
    return `<div class="cell"><details><summary>Query</summary><pre><code>${escapeHtml(c.source)}</code></pre></details>${outputs}</div>`;
  });
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="mq">
<title>${escapeHtml(title)}</title><style>${CSS}</style></head>
<body>
${body.join('\n')}
</body></html>
`;
}

// ------------------------------------------------------------------------------------------------
// Markdown

function fenceFor(text: string): string {
  const longest = Math.max(2, ...(text.match(/`{3,}/g) ?? []).map((f) => f.length));
  return '`'.repeat(longest + 1);
}

function markdownOutput(o: NotebookOutput): string {
  if (o.kind === 'error') {
    const list = (o.diagnostics ?? []).map((d) => `> - \`${d.code}\` line ${d.line}: ${mdInline(d.message)}`).join('\n');
    return `> **${o.reason === 'diagnostics' ? 'Not run' : 'Error'}:** ${mdInline(o.message)}${list ? `\n${list}` : ''}\n`;
  }
  return resultFallbacks(o.result).markdown;
}

/** The notebook as Markdown: prose as written, queries as fenced code, results as tables. */
export function exportMarkdown(nb: Notebook): string {
  const parts = nb.cells.map((c) => {
    if (c.kind === 'markdown') return c.source.trimEnd() + '\n';
    const fence = fenceFor(c.source);
    const outputs = (c.outputs ?? []).map(markdownOutput);
    return [`${fence}sql\n${c.source.trimEnd()}\n${fence}\n`, ...outputs].join('\n');
  });
  return parts.join('\n');
}
