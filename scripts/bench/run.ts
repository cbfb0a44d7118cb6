// npm run bench [-- --json FILE] [--strict] [--quick] [--only a,b]
//
// Measures the language server over stdio, the core in-process (esbuild bundle in a child process), the
// bundles on disk, the results webview in headless Chromium and the stand-in's sample data; prints a
// table against the budget and writes the figures as JSON (default bench-results/latest.json).
// Every figure is the median of repeated runs after warm-up. Exit code 0 unless --strict and a budget
// line fails. Expects `npm run build` to have run (npm run bench does it).
//
//   --only   sections to run: bundles, core, cold, completion, edit, webview, relay, notebook, compare (the default),
//            and editor (latency in a real VS Code: code-server + Chromium, see scripts/bench/editor.mjs; minutes)
//   --quick  fewer repetitions (for trying the script, not for reporting)
//   --markdown FILE  also write the table as Markdown
//   --edit-sizes 1000,100000   document sizes of the edit section (profiling; the default is all three)
//   --edits N                  measured edits per size (default 20)
//   --editor-reps N            repetitions of each editor action (default 30, --quick 5)
//   --editor-activation-reps N window loads for the activation figure (default: --editor-reps)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { generateDocument, positionAt, rng } from './gen.js';
import { LspClient } from './lsp.js';
import { benchRelay } from './relay.js';
import { emptyResults, formatMarkdown, formatTable, summary, writeResults, type BenchResults, type ResultKey } from './results.js';
import { median, percentile } from './stats.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const SERVER = join(ROOT, 'dist/server.js');

// ---- arguments --------------------------------------------------------------------------------------

const argv = process.argv.slice(2);
function option(name: string): string | undefined {
  const i = argv.indexOf(name);
  if (i < 0) return undefined;
  const v = argv[i + 1];
  if (v === undefined || v.startsWith('--')) throw new Error(`${name} needs a value`);
  return v;
}
const SECTIONS = ['bundles', 'core', 'cold', 'completion', 'edit', 'webview', 'relay', 'notebook', 'compare', 'editor'] as const;
type Section = (typeof SECTIONS)[number];
/** What runs without --only: everything but the editor section, which needs the e2e tools and minutes. */
const DEFAULT_SECTIONS = SECTIONS.filter((s) => s !== 'editor');
const jsonFile = resolve(ROOT, option('--json') ?? 'bench-results/latest.json');
const strict = argv.includes('--strict');
const quick = argv.includes('--quick');
const only = new Set((option('--only') ?? DEFAULT_SECTIONS.join(',')).split(',').map((s) => s.trim()));
for (const s of only) if (!(SECTIONS as readonly string[]).includes(s)) throw new Error(`unknown section ${s}; use ${SECTIONS.join(', ')}`);
const want = (s: Section) => only.has(s);
const KEYS_OF: Record<Section, ResultKey[]> = {
  bundles: ['serverBundleBytes', 'clientBundleBytes', 'cliBundleBytes', 'webviewBundleBytes'],
  core: ['fullAnalysis10kMs', 'compileThroughputPerSec', 'sampleQueryMs'],
  cold: ['coldStartToDiagnosticsMs'],
  completion: ['completionP50Ms', 'completionP99Ms', 'serverRssMb10k'],
  edit: ['editReanalysisP50Ms_1k', 'editReanalysisP50Ms_10k', 'editReanalysisP50Ms_100k', 'editReanalysisScaling'],
  webview: ['webviewFirstPaint100kRowsMs', 'webviewScrollFrameP95Ms'],
  relay: ['relayCallbacksPerSec', 'relayCallbackAckP99Ms'],
  editor: [
    'editorSquiggleShowP50Ms', 'editorSquiggleShowP95Ms', 'editorSquiggleClearP50Ms', 'editorSquiggleClearP95Ms',
    'editorCompletionP50Ms', 'editorCompletionP95Ms', 'editorRunFirstRowP50Ms', 'editorRunFirstRowP95Ms',
    'editorRunNewPanelP50Ms', 'editorRunNewPanelP95Ms', 'editorActivationP50Ms', 'editorActivationP95Ms',
    'editorEchoP50Ms', 'editorEchoP95Ms', 'editorWordCompletionP50Ms', 'editorWordCompletionP95Ms',
  ],
  notebook: ['notebookRunAll20CellsMs', 'notebookRendererFirstPaint10kRowsMs'],
  compare: ['compareRunToJoinedRowsMs'],
};
const measuredKeys = new Set(SECTIONS.filter(want).flatMap((s) => KEYS_OF[s]));

const results = emptyResults();
const notes: Partial<Record<ResultKey, string>> = {};
const problems: string[] = [];
const loads: string[] = [];
const tmp = mkdtempSync(join(tmpdir(), 'mq-bench-'));

const fmtLoad = () => loadavg().map((x) => x.toFixed(2)).join(' ');
function log(msg: string): void {
  process.stderr.write(`[bench ${(performance.now() / 1000).toFixed(1)}s, load ${fmtLoad()}] ${msg}\n`);
}

async function section(name: Section, fn: () => Promise<void>): Promise<void> {
  if (!want(name)) return;
  log(`${name}…`);
  loads.push(`${name}: ${fmtLoad()}`);
  try {
    await fn();
  } catch (e) {
    problems.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
    log(`${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  }
}

// ---- documents ----------------------------------------------------------------------------------------

const docs = new Map<number, string>();
function doc(queries: number): string {
  let d = docs.get(queries);
  if (d === undefined) docs.set(queries, (d = generateDocument(queries, queries)));
  return d;
}
const uriFor = (n: number) => `file:///bench/doc-${n}.mq`;

// ---- bundles --------------------------------------------------------------------------------------------

await section('bundles', async () => {
  const size = (f: string) => (existsSync(join(ROOT, f)) ? statSync(join(ROOT, f)).size : null);
  results.serverBundleBytes = size('dist/server.js');
  results.clientBundleBytes = size('dist/client.js');
  results.cliBundleBytes = size('dist/cli.js');
  results.webviewBundleBytes = size('dist/webview/main.js');
  const engine = size('dist/engine.js');
  const lsp = size('dist/language-client.js');
  const kb = (n: number | null) => `${((n ?? 0) / 1024).toFixed(0)} KB`;
  if (engine !== null) {
    notes.clientBundleBytes = `activation only; dist/language-client.js (${kb(lsp)}) loads right after activation, dist/engine.js (${kb(engine)}) on first CodeLens or run`;
  }
});

// ---- core, in-process (bundled) ---------------------------------------------------------------------------

await section('core', async () => {
  const bundle = join(tmp, 'core-entry.cjs');
  await build({
    entryPoints: [join(ROOT, 'scripts/bench/core-entry.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    outfile: bundle,
  });
  const docFile = join(tmp, 'doc-10k.mq');
  writeFileSync(docFile, doc(10_000));
  const runs = quick ? 3 : 9;
  const r = spawnSync(process.execPath, [bundle, docFile, String(runs), '2'], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`core entry failed (${r.status}): ${r.stderr.slice(0, 2000)}`);
  const out = JSON.parse(r.stdout) as {
    queries: number;
    cleanQueries: number;
    diagnostics: number;
    fullAnalysisMs: number[];
    fullAnalysisCpuMs: number[];
    sampleColdCpuMs: number[];
    compiled: number;
    compileThroughputPerSec: number;
    sampleColdMs: number[];
    sampleWarmMs: number[];
    sampleRows: number;
    sampleError: string;
  };
  results.fullAnalysis10kMs = median(out.fullAnalysisMs);
  notes.fullAnalysis10kMs = `${out.queries} queries, ${((out.cleanQueries / out.queries) * 100).toFixed(0)}% error-free, ${out.diagnostics} diagnostics; min ${Math.min(...out.fullAnalysisMs).toFixed(0)} ms; CPU ${median(out.fullAnalysisCpuMs).toFixed(0)} ms`;
  results.compileThroughputPerSec = out.compileThroughputPerSec;
  notes.compileThroughputPerSec = `${out.compiled} error-free queries per run`;
  if (out.sampleError) throw new Error(`sample query does not compile: ${out.sampleError}`);
  results.sampleQueryMs = median(out.sampleColdMs);
  notes.sampleQueryMs = `${out.sampleRows} rows; dataset generated each run, CPU ${median(out.sampleColdCpuMs).toFixed(0)} ms (warm dataset: ${median(out.sampleWarmMs).toFixed(0)} ms)`;
});

// ---- language server: cold start ---------------------------------------------------------------------------

await section('cold', async () => {
  const text = doc(100);
  const times: number[] = [];
  const total = quick ? 3 : 9;
  for (let i = 0; i < total + 1; i++) {
    const c = new LspClient(SERVER);
    try {
      const diags = c.diagnostics(uriFor(100), undefined, 30_000);
      await c.initialize();
      c.open(uriFor(100), text);
      const ev = await diags;
      if (i > 0) times.push(ev.at - c.spawnedAt); // the first run warms the OS file cache
    } finally {
      await c.close();
    }
  }
  results.coldStartToDiagnosticsMs = median(times);
  notes.coldStartToDiagnosticsMs = `spawn → initialize → didOpen(100 queries) → publishDiagnostics; min ${Math.min(...times).toFixed(0)} ms`;
});

// ---- language server: completion and memory on a 10,000-query document --------------------------------------

/** Offsets worth completing at: after a keyword, comma, operator or paren, and inside words. */
function completionOffsets(text: string, count: number, seed: number): number[] {
  const r = rng(seed);
  const out: number[] = [];
  while (out.length < count) {
    const at = Math.floor(r() * text.length);
    const c = text.charCodeAt(at - 1);
    const inWord = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
    const afterSep = c === 32 || c === 44 || c === 40 || c === 61;
    if (inWord || afterSep) out.push(at);
  }
  return out;
}

/** Positions for offsets in ascending order (one scan). */
function positionsOf(text: string, offsets: number[]): Map<number, { line: number; character: number }> {
  const sorted = [...new Set(offsets)].sort((a, b) => a - b);
  const map = new Map<number, { line: number; character: number }>();
  let line = 0;
  let lineStart = 0;
  let i = 0;
  for (const off of sorted) {
    for (; i < off; i++) {
      if (text.charCodeAt(i) === 10) {
        line++;
        lineStart = i + 1;
      }
    }
    map.set(off, { line, character: off - lineStart });
  }
  return map;
}

await section('completion', async () => {
  const text = doc(10_000);
  const uri = uriFor(10_000);
  const rounds = quick ? 1 : 3;
  const perRound = 200;
  const offsets = completionOffsets(text, 30 + rounds * perRound, 7);
  const pos = positionsOf(text, offsets);
  const c = new LspClient(SERVER);
  const rss: number[] = [];
  try {
    const diags = c.diagnostics(uri);
    await c.initialize();
    c.open(uri, text);
    await diags;
    rss.push(c.rssMb());
    const slow: { ms: number; off: number; items: number }[] = [];
    const ask = async (off: number): Promise<{ ms: number; items: number }> => {
      const t0 = performance.now();
      const { result, at } = await c.request('textDocument/completion', { textDocument: { uri }, position: pos.get(off) });
      const items = (result as { items?: unknown[] } | null)?.items?.length ?? 0;
      slow.push({ ms: at - t0, off, items });
      return { ms: at - t0, items };
    };
    for (const off of offsets.slice(0, 30)) await ask(off); // warm-up
    const p50s: number[] = [];
    const p99s: number[] = [];
    let empty = 0;
    let all: number[] = [];
    for (let k = 0; k < rounds; k++) {
      const times: number[] = [];
      for (const off of offsets.slice(30 + k * perRound, 30 + (k + 1) * perRound)) {
        const a = await ask(off);
        times.push(a.ms);
        if (a.items === 0) empty++;
      }
      p50s.push(percentile(times, 50));
      p99s.push(percentile(times, 99));
      all = all.concat(times);
      rss.push(c.rssMb());
    }
    results.completionP50Ms = median(p50s);
    results.completionP99Ms = median(p99s);
    notes.completionP50Ms = `${rounds}×${perRound} requests; ${empty} returned no items`;
    notes.completionP99Ms = `max ${Math.max(...all).toFixed(1)} ms`;
    if (process.env.MQ_BENCH_VERBOSE === '1') {
      for (const x of slow.sort((a, b) => b.ms - a.ms).slice(0, 8)) {
        log(`slow completion ${x.ms.toFixed(1)} ms, ${x.items} items at ${JSON.stringify(text.slice(Math.max(0, x.off - 40), x.off))}‸${JSON.stringify(text.slice(x.off, x.off + 10))}`);
      }
    }
    results.serverRssMb10k = median(rss);
    notes.serverRssMb10k = `VmRSS after open and after each round: ${rss.map((x) => x.toFixed(0)).join(', ')} MB`;
  } finally {
    await c.close();
  }
});

// ---- language server: one-character edits in the middle of 1k / 10k / 100k-query documents -----------------

/** Offset just after the first metric of the first query starting at or after the middle of the text. */
function middleEditOffset(text: string): number {
  const s = text.indexOf('\nSELECT ', text.length >> 1);
  if (s < 0) throw new Error('no query in the second half of the document');
  const nameStart = s + '\nSELECT '.length;
  let e = nameStart;
  while (/[A-Za-z0-9_]/.test(text[e]!)) e++;
  return e;
}

async function editReanalysis(queries: number): Promise<{ p50: number; times: number[]; bytes: number }> {
  const text = doc(queries);
  const uri = uriFor(queries);
  const at = positionAt(text, middleEditOffset(text));
  const c = new LspClient(SERVER);
  try {
    const first = c.diagnostics(uri, 1, 600_000);
    // The server waits diagnosticsDelayMs (15 ms by default) after an edit before publishing, to batch
    // keystrokes; 0 here so the figure is the re-analysis and publication, not the wait.
    await c.initialize({ diagnosticsDelayMs: 0 });
    c.open(uri, text, 1);
    await first;
    const warmup = 4;
    const measured = Number(option('--edits') ?? (quick ? 6 : 20));
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < warmup + measured; i++) {
      const version = i + 2;
      // Alternately type an X after the metric name (it becomes unknown) and delete it again.
      const change = i % 2 === 0
        ? { range: { start: at, end: at }, text: 'X' }
        : { range: { start: at, end: { line: at.line, character: at.character + 1 } }, text: '' };
      const wait = c.diagnostics(uri, version, 120_000);
      const t0 = performance.now();
      c.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] });
      const ev = await wait;
      if (i >= warmup) {
        times.push(ev.at - t0);
        bytes = ev.bytes;
      }
    }
    return { p50: median(times), times, bytes };
  } finally {
    await c.close();
  }
}

await section('edit', async () => {
  const sizes: [number, ResultKey][] = [
    [1_000, 'editReanalysisP50Ms_1k'],
    [10_000, 'editReanalysisP50Ms_10k'],
    [100_000, 'editReanalysisP50Ms_100k'],
  ];
  const chosen = option('--edit-sizes')?.split(',').map(Number);
  for (const [n, key] of sizes) {
    if (chosen && !chosen.includes(n)) continue;
    log(`edit: ${n} queries`);
    const r = await editReanalysis(n);
    results[key] = r.p50;
    notes[key] = `${r.times.length} edits; publishDiagnostics ${(r.bytes / 1024).toFixed(0)} KB; max ${Math.max(...r.times).toFixed(1)} ms`;
  }
  const a = results.editReanalysisP50Ms_1k;
  const b = results.editReanalysisP50Ms_100k;
  results.editReanalysisScaling = a !== null && b !== null && a > 0 ? b / a : null;
});

// ---- results webview in headless Chromium ------------------------------------------------------------------

await section('webview', async () => {
  const { measureWebview } = await import('../../test/webview-harness/bench.js');
  const { launchChromium } = await import('../../test/webview-harness/harness.js');
  const browser = await launchChromium();
  try {
    const paint: number[] = [];
    const parse: number[] = [];
    const render: number[] = [];
    const p95: number[] = [];
    const runs = quick ? 1 : 3;
    let domRows = 0;
    let bytes = 0;
    await measureWebview({ rows: 100_000, browser, scrollFrames: 60 }); // warm-up
    for (let i = 0; i < runs; i++) {
      const m = await measureWebview({ rows: 100_000, browser });
      paint.push(m.firstPaintMs);
      parse.push(m.parseMs);
      render.push(m.renderMs);
      p95.push(m.scroll.p95);
      domRows = m.domRows;
      bytes = m.payloadBytes;
    }
    results.webviewFirstPaint100kRowsMs = median(paint);
    results.webviewScrollFrameP95Ms = median(p95);
    notes.webviewFirstPaint100kRowsMs = `100,000 rows, ${(bytes / 1e6).toFixed(1)} MB payload; runs ${paint.map((x) => x.toFixed(0)).join(', ')} ms; of which parse ${median(parse).toFixed(0)} ms, DOM built at ${median(render).toFixed(0)} ms`;
    notes.webviewScrollFrameP95Ms = `${domRows} row elements in the DOM`;
  } finally {
    await browser.close();
  }
});

// ---- relay: durable callbacks (dist/relay.js as its own process) -------------------------------------------

await section('relay', async () => {
  const r = await benchRelay(ROOT, tmp, quick);
  results.relayCallbacksPerSec = r.callbacksPerSec;
  results.relayCallbackAckP99Ms = r.callbackAckP99Ms;
  notes.relayCallbacksPerSec = `${r.callbacks} callbacks of ${(r.bodyBytes / 1024).toFixed(0)} KB, ${r.concurrency} concurrent senders, each 200 only after the commit of the transaction that holds it (group commit, WAL, synchronous=FULL)`;
  notes.relayCallbackAckP99Ms = `POST to 200; p50 ${r.callbackAckP50Ms.toFixed(1)} ms; client DELETE p99 ${r.deleteP99Ms.toFixed(1)} ms; relay CPU ${r.relayCpuMsPerCallback.toFixed(2)} ms per callback (main thread ${r.relayMainThreadCpuMsPerCallback.toFixed(2)} ms); load average ${r.loadAverage.map((l) => l.toFixed(1)).join(' → ')}`;
});

// ---- the editor: latency as a person feels it, in a real VS Code ------------------------------------------

interface EditorFigures {
  squiggleOn: number[];
  squiggleOff: number[];
  completion: number[];
  runOpenPanel: number[];
  runNewPanel: number[];
  /** The window's first Ctrl+Enter (engine bundle loaded, sample data built, webview created), once. */
  firstRun: number;
  activation: number[];
  /** The floor, no mq code involved (plain-text file): a key → the character painted; Ctrl+Space → word suggestions. */
  echo: number[];
  wordCompletion: number[];
  /** Per window load, the shortest activation among the other (built-in) extensions the view lists. */
  activationFastestOther: number[];
}

await section('editor', async () => {
  // A plain JavaScript module, like the e2e harness it drives.
  const mod = (await import(new URL('./editor.mjs', import.meta.url).href)) as {
    measureEditor(o: { reps: number; activationReps: number; log: (m: string) => void }): Promise<EditorFigures>;
  };
  const reps = Number(option('--editor-reps') ?? (quick ? 5 : 30));
  const f = await mod.measureEditor({ reps, activationReps: Number(option('--editor-activation-reps') ?? reps), log });
  const put = (p50: ResultKey, p95: ResultKey, xs: number[], what: string) => {
    results[p50] = percentile(xs, 50);
    results[p95] = percentile(xs, 95);
    notes[p50] = `${xs.length}× ${what}`;
    notes[p95] = `min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)} ms`;
  };
  put('editorSquiggleShowP50Ms', 'editorSquiggleShowP95Ms', f.squiggleOn, 'X typed after a metric name → error squiggle painted');
  put('editorSquiggleClearP50Ms', 'editorSquiggleClearP95Ms', f.squiggleOff, 'Backspace → squiggle gone');
  put('editorCompletionP50Ms', 'editorCompletionP95Ms', f.completion, 'Ctrl+Space after SELECT → suggest list with rows');
  put('editorRunFirstRowP50Ms', 'editorRunFirstRowP95Ms', f.runOpenPanel, 'Ctrl+Enter, sample data, results panel open → first row');
  put('editorRunNewPanelP50Ms', 'editorRunNewPanelP95Ms', f.runNewPanel, 'Ctrl+Enter, sample data, no panel → webview created, table painted');
  notes.editorRunNewPanelP95Ms += `; the window's first run (engine loaded, sample data built): ${f.firstRun.toFixed(0)} ms`;
  put('editorActivationP50Ms', 'editorActivationP95Ms', f.activation, 'window loads: VS Code\'s activation time (code loading + activate())');
  if (f.activationFastestOther.length) {
    const o = f.activationFastestOther;
    notes.editorActivationP95Ms += `; for scale, the fastest other (built-in) extension in the same windows: p50 ${percentile(o, 50).toFixed(0)}, p95 ${percentile(o, 95).toFixed(0)} ms`;
  }
  put('editorEchoP50Ms', 'editorEchoP95Ms', f.echo, 'floor, no mq code: a key typed in a plain-text file → the character painted');
  put('editorWordCompletionP50Ms', 'editorWordCompletionP95Ms', f.wordCompletion, 'floor, no mq code: Ctrl+Space in a plain-text file → VS Code\'s word suggestions');
});

// ---- notebooks: Run All on sample data, and the renderer's first paint --------------------------------------

await section('notebook', async () => {
  const { measureNotebook } = await import('./notebook.js');
  const m = await measureNotebook(quick ? 1 : 3);
  results.notebookRunAll20CellsMs = m.runAllMs;
  results.notebookRendererFirstPaint10kRowsMs = m.firstPaintMs;
  notes.notebookRunAll20CellsMs = m.runAllNote;
  notes.notebookRendererFirstPaint10kRowsMs = m.paintNote;
});

// ---- COMPARE WITH: both periods' requests on sample data, to the joined rows ---------------------------------

await section('compare', async () => {
  const { measureCompare } = await import('./compare.js');
  const m = await measureCompare(quick ? 2 : 7);
  results.compareRunToJoinedRowsMs = m.ms;
  notes.compareRunToJoinedRowsMs = m.note;
});

rmSync(tmp, { recursive: true, force: true });

// ---- report ---------------------------------------------------------------------------------------------

const sum = summary(results as BenchResults, measuredKeys);
console.log(`mq benchmarks — ${new Date().toISOString()}, Node ${process.version}, ${cpus().length} CPUs`);
console.log(`load average (1/5/15 min) at the start of each section: ${loads.join('; ')}; at the end: ${fmtLoad()}`);
console.log('');
console.log(formatTable(results, notes, measuredKeys));
console.log('');
for (const p of problems) console.log(`error: ${p}`);
console.log(`${sum.passed} passed, ${sum.failed} failed${sum.failed ? ` (${sum.failing.join(', ')})` : ''}`);
writeResults(jsonFile, results);
console.log(`wrote ${jsonFile}`);
const mdFile = option('--markdown');
if (mdFile) {
  const head = `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, Node ${process.version}, ${cpus().length} CPUs, load average ${loads.map((l) => l.split(': ')[1]!.split(' ')[0]).join(' → ')} (1 min, per section).`;
  writeFileSync(resolve(mdFile), `${head}\n\n${formatMarkdown(results, notes, measuredKeys)}\n\n${sum.passed} passed, ${sum.failed} failed.\n`);
  console.log(`wrote ${resolve(mdFile)}`);
}
if (strict && (sum.failed > 0 || problems.length > 0)) process.exitCode = 1;
