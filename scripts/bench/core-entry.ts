// In-process measurements of the language core and the stand-in's dataset. run.ts bundles this file with
// esbuild (like scripts/build.mjs bundles the shipped artefacts) and runs the bundle in a child process,
// so the figures are those of the minified production code, not of tsx's on-the-fly transpilation.
//
//   node <bundle> <document.mq> <runs> <warmup>
//
// Prints one JSON object on stdout.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { catalog } from '../../server/src/core/catalog/data.js';
import { createMq } from '../../server/src/core/index.js';
import type { Query } from '../../server/src/core/syntax/ast.js';
import { computeResult, WINDOW_DAYS } from '../../server/src/run/standin/dataset.js';
import { CHANNEL_CODES } from '../../server/src/run/standin/schema.js';
import { median } from './stats.js';

const [docPath, runsArg, warmupArg] = process.argv.slice(2);
if (!docPath) throw new Error('usage: core-entry <document.mq> [runs] [warmup]');
const runs = Number(runsArg ?? 7);
const warmup = Number(warmupArg ?? 2);
const text = readFileSync(docPath, 'utf8');
const now = new Date('2026-03-01T12:00:00.000Z');
const mq = createMq({ catalog });

/** CPU time of each measured run (process user + system, so it includes V8's helper threads), in ms. */
const cpuTimes = new Map<string, number[]>();

function timeRuns(fn: () => void, label = ''): number[] {
  for (let i = 0; i < warmup; i++) fn();
  const out: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    out.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  if (label) cpuTimes.set(label, cpu);
  return out;
}

// ---- parse + analyse the whole document (as `mq check` does: each query analysed as it is parsed) ----
let diagnostics = 0;
const analysis = timeRuns(() => {
  diagnostics = mq.check(text, { now }).length;
}, 'analysis');
const queries: Query[] = mq.parse(text).queries;
const withErrors = new Set<Query>();
for (const q of queries) {
  if (mq.analyse({ ...mq.parse(''), queries: [q] }, { now }).some((d) => d.severity === 'error')) withErrors.add(q);
}

// ---- compile throughput: every error-free query -----------------------------------------------
const compilable = queries.filter((q) => !withErrors.has(q));
const callbackUrl = 'https://bench.invalid/callback/1';
let compiled = 0;
const compile = timeRuns(() => {
  compiled = 0;
  for (const q of compilable) if (mq.compile(q, { now, callbackUrl }).ok) compiled++;
});
const compileMs = median(compile);

// ---- the stand-in's dataset: whole window, by DAY and COUNTRY_NAME ------------------------------
const sampleText =
  'SELECT TOTAL_SENT_TRAFFIC_COUNT, DELIVERED_TRAFFIC_COUNT, TRAFFIC_DELIVERY_RATE\n' +
  'BY DAY, COUNTRY_NAME\n' +
  `WHERE channelCode IN (${CHANNEL_CODES.join(', ')})\n` +
  `  AND sentSince = now - ${WINDOW_DAYS}d AND sentUntil = now`;
const sampleNow = new Date();
let sampleRows = 0;
let sampleError = '';
const sampleQuery = (seed: number): void => {
  const q = mq.parse(sampleText).queries[0]!;
  const r = mq.compileRequest(q, { now: sampleNow });
  if (!r.ok) {
    sampleError = r.diagnostics.map((d) => `${d.code}: ${d.message}`).join('; ');
    return;
  }
  sampleRows = computeResult(r.request, sampleNow, seed).rows.length;
};
// Cold: a new seed each time, so the dataset (92 days of hourly facts) is generated as on a first run.
let seed = 1000;
const sampleCold = timeRuns(() => sampleQuery(seed++), 'sampleCold');
// Warm: the dataset of seed 1 is built once (by the warm-up) and reused, as a running stand-in does.
const sampleWarm = timeRuns(() => sampleQuery(1));

process.stdout.write(
  JSON.stringify({
    queries: queries.length,
    cleanQueries: compilable.length,
    diagnostics,
    fullAnalysisMs: analysis,
    fullAnalysisCpuMs: cpuTimes.get('analysis'),
    sampleColdCpuMs: cpuTimes.get('sampleCold'),
    compileMs: compile,
    compiled,
    compileThroughputPerSec: compileMs > 0 ? (compiled / compileMs) * 1000 : 0,
    sampleColdMs: sampleCold,
    sampleWarmMs: sampleWarm,
    sampleRows,
    sampleError,
  }),
);
