// The benchmark's result record, its budget and the JSON writer.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Every key of bench-results/*.json, in output order. */
export const RESULT_KEYS = [
  'coldStartToDiagnosticsMs',
  'completionP50Ms',
  'completionP99Ms',
  'editReanalysisP50Ms_1k',
  'editReanalysisP50Ms_10k',
  'editReanalysisP50Ms_100k',
  'editReanalysisScaling',
  'fullAnalysis10kMs',
  'compileThroughputPerSec',
  'serverRssMb10k',
  'serverBundleBytes',
  'clientBundleBytes',
  'cliBundleBytes',
  'webviewBundleBytes',
  'webviewFirstPaint100kRowsMs',
  'webviewScrollFrameP95Ms',
  'sampleQueryMs',
  'relayCallbacksPerSec',
  'relayCallbackAckP99Ms',
  'editorSquiggleShowP50Ms',
  'editorSquiggleShowP95Ms',
  'editorSquiggleClearP50Ms',
  'editorSquiggleClearP95Ms',
  'editorCompletionP50Ms',
  'editorCompletionP95Ms',
  'editorRunFirstRowP50Ms',
  'editorRunFirstRowP95Ms',
  'editorRunNewPanelP50Ms',
  'editorRunNewPanelP95Ms',
  'editorActivationP50Ms',
  'editorActivationP95Ms',
  'editorEchoP50Ms',
  'editorEchoP95Ms',
  'editorWordCompletionP50Ms',
  'editorWordCompletionP95Ms',
  'notebookRunAll20CellsMs',
  'notebookRendererFirstPaint10kRowsMs',
  'compareRunToJoinedRowsMs',
] as const;

export type ResultKey = (typeof RESULT_KEYS)[number];

/** A figure per key; null when its measurement failed (the reason is printed). */
export type BenchResults = Record<ResultKey, number | null>;

const KB = 1024;

/** The budget: every line is "value ≤ limit". */
export const BUDGET: Partial<Record<ResultKey, number>> = {
  completionP99Ms: 10,
  editReanalysisScaling: 2,
  coldStartToDiagnosticsMs: 400,
  fullAnalysis10kMs: 300,
  serverRssMb10k: 150,
  serverBundleBytes: 450 * KB,
  clientBundleBytes: 500 * KB,
  webviewFirstPaint100kRowsMs: 500,
  webviewScrollFrameP95Ms: 20,
  sampleQueryMs: 500,
  relayCallbackAckP99Ms: 50,
  notebookRunAll20CellsMs: 3000,
  notebookRendererFirstPaint10kRowsMs: 300,
  // A COMPARE WITH run on sample data: two requests at once, so about one run's time, not two.
  compareRunToJoinedRowsMs: 500,
  // Latency in the editor, as a person feels it (issue 17): 95th percentiles in a real VS Code.
  editorSquiggleShowP95Ms: 100,
  editorSquiggleClearP95Ms: 100,
  editorCompletionP95Ms: 100,
  editorRunFirstRowP95Ms: 400,
  editorRunNewPanelP95Ms: 400,
  editorActivationP95Ms: 50,
};

/** Lines that are "value ≥ floor" instead. */
export const FLOOR: Partial<Record<ResultKey, number>> = {
  relayCallbacksPerSec: 500,
};

export function emptyResults(): BenchResults {
  const r = {} as BenchResults;
  for (const k of RESULT_KEYS) r[k] = null;
  return r;
}

/** Rounds for output: sizes and rates to integers, times to 0.01. */
export function rounded(key: ResultKey, v: number | null): number | null {
  if (v === null || !Number.isFinite(v)) return null;
  if (key.endsWith('Bytes') || key.endsWith('PerSec')) return Math.round(v);
  return Math.round(v * 100) / 100;
}

/** Writes exactly RESULT_KEYS (in that order) as JSON; creates the directory. Returns the text written. */
export function writeResults(file: string, results: BenchResults): string {
  const out: Record<string, number | null> = {};
  for (const k of RESULT_KEYS) out[k] = rounded(k, results[k]);
  const text = `${JSON.stringify(out, null, 2)}\n`;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  return text;
}

export type Verdict = 'PASS' | 'FAIL' | 'skipped' | '';

/** PASS/FAIL against the budget; 'skipped' when the key's section did not run (--only). */
export function verdict(key: ResultKey, v: number | null, measured?: ReadonlySet<ResultKey>): Verdict {
  const limit = BUDGET[key];
  const floor = FLOOR[key];
  if (limit === undefined && floor === undefined) return '';
  if (measured && !measured.has(key)) return 'skipped';
  if (v === null || !Number.isFinite(v)) return 'FAIL';
  return (limit === undefined || v <= limit) && (floor === undefined || v >= floor) ? 'PASS' : 'FAIL';
}

function fmt(key: ResultKey, v: number | null): string {
  if (v === null || !Number.isFinite(v)) return 'n/a';
  if (key.endsWith('Bytes')) return `${Math.round(v).toLocaleString('en-US')} B (${(v / KB).toFixed(1)} KB)`;
  if (key.endsWith('PerSec')) return `${Math.round(v).toLocaleString('en-US')} /s`;
  if (key.endsWith('Scaling')) return `${v.toFixed(2)}×`;
  if (key.startsWith('serverRss')) return `${v.toFixed(1)} MB`;
  return `${v.toFixed(2)} ms`;
}

function fmtBudget(key: ResultKey): string {
  const floor = FLOOR[key];
  if (floor !== undefined) return `≥ ${floor}${key.endsWith('PerSec') ? ' /s' : ''}`;
  const limit = BUDGET[key];
  if (limit === undefined) return '';
  if (key.endsWith('Bytes')) return `≤ ${limit / KB} KB`;
  if (key.endsWith('Scaling')) return `≤ ${limit}×`;
  if (key.startsWith('serverRss')) return `≤ ${limit} MB`;
  return `≤ ${limit} ms`;
}

/** The printed table: metric, value, budget, PASS/FAIL, note. */
export function formatTable(results: BenchResults, notes: Partial<Record<ResultKey, string>> = {}, measured?: ReadonlySet<ResultKey>): string {
  const rows = RESULT_KEYS.map((k) => [k, fmt(k, results[k]), fmtBudget(k), verdict(k, results[k], measured), notes[k] ?? '']);
  const head = ['metric', 'value', 'budget', 'result', 'note'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 1 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The same table as Markdown (for docs/performance.md and the README). */
export function formatMarkdown(results: BenchResults, notes: Partial<Record<ResultKey, string>> = {}, measured?: ReadonlySet<ResultKey>): string {
  const esc = (t: string) => t.replace(/\|/g, '\\|');
  const rows = RESULT_KEYS.map((k) => `| \`${k}\` | ${fmt(k, results[k])} | ${fmtBudget(k)} | ${verdict(k, results[k], measured)} | ${esc(notes[k] ?? '')} |`);
  return ['| metric | value | budget | result | note |', '| --- | ---: | --- | --- | --- |', ...rows].join('\n');
}

export function summary(results: BenchResults, measured?: ReadonlySet<ResultKey>): { passed: number; failed: number; failing: ResultKey[] } {
  let passed = 0;
  const failing: ResultKey[] = [];
  for (const k of RESULT_KEYS) {
    const v = verdict(k, results[k], measured);
    if (v === 'PASS') passed++;
    else if (v === 'FAIL') failing.push(k);
  }
  return { passed, failed: failing.length, failing };
}
