// The headless runner and `mq notebook`: every mq cell through the run engine on sample data (a real
// stand-in on loopback), one output per query, errors as outputs naming the diagnostics (not sent), and
// damaged files never written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCellSource, runNotebook } from '../../server/src/notebook/runner.js';
import { parseNotebook, serializeNotebook, type Notebook } from '../../server/src/notebook/format.js';
import { notebookCli } from '../../server/src/cli/notebook.js';
import type { CliIO } from '../../server/src/cli/io.js';
import type { AggregateDataRequest } from '../../server/src/core/compile/wire.js';
import { mq } from '../helpers/mq.js';

const NOW = new Date('2026-03-01T12:00:00Z');
const Q1 = '-- per day\nSELECT TOTAL_TRAFFIC_COUNT, TRAFFIC_DELIVERY_RATE BY DAY\nWHERE channelCode = SMS AND sentSince = now - 3d AND sentUntil = now\nORDER BY TOTAL_TRAFFIC_COUNT DESC LIMIT 2;';
const Q2 = 'SELECT TOTAL_TRAFFIC_COUNT WHERE channelCode = EMAIL AND sentSince = now - 1d AND sentUntil = now;';
const BAD = 'SELECT NOT_A_METRIC WHERE channelCode = SMS AND sentSince = now - 1d AND sentUntil = now;';
const fast = { mq, runOptions: { standIn: { latencyMs: 0 }, pollIntervalMs: 20 }, now: () => NOW };

test('a cell with two queries gives one result output per query, ORDER BY and LIMIT applied, rates marked', async () => {
  const r = await runCellSource(`${Q1}\n\n${Q2}`, fast);
  assert.equal(r.success, true);
  assert.equal(r.outputs.length, 2);
  const [a, b] = r.outputs;
  assert.ok(a?.kind === 'result' && b?.kind === 'result');
  assert.equal(a.query, 1);
  assert.equal(b.query, 2);
  assert.equal(b.line, 6);
  assert.equal(a.result.title, 'per day');
  assert.equal(a.result.source, 'sample');
  assert.equal(a.result.response.rows.length, 2);
  assert.deepEqual(a.result.rateColumns, ['TRAFFIC_DELIVERY_RATE']);
  assert.deepEqual(a.result.dimensions, ['CHANNEL_CODE', 'DAY']);
  const counts = a.result.response.rows.map((row) => row[a.result.response.columns.findIndex((c) => c.columnName === 'TOTAL_TRAFFIC_COUNT')] as number);
  assert.ok(counts[0]! >= counts[1]!, 'sorted descending');
});

test('a query with errors becomes an error output naming its diagnostics and is not sent; the others run', async () => {
  const sent: AggregateDataRequest[] = [];
  const { runPlan } = await import('../../server/src/run/runPlan.js');
  const r = await runCellSource(`${BAD}\n${Q2}`, { ...fast, run: (plan, o) => (sent.push(plan.request), runPlan(plan, o)) });
  assert.equal(r.success, false);
  assert.equal(sent.length, 1, 'only the good query was sent');
  const [err, ok] = r.outputs;
  assert.ok(err?.kind === 'error');
  assert.equal(err.reason, 'diagnostics');
  assert.match(err.message, /query 1 \(line 1\) has 1 error and was not sent: \[unknown-metric\] line 1: .*NOT_A_METRIC/);
  assert.equal(err.diagnostics?.[0]?.code, 'unknown-metric');
  assert.equal(ok?.kind, 'result');
});

test('a cell without a query says so; an empty cell has no output', async () => {
  const r = await runCellSource('-- just a comment', fast);
  assert.equal(r.outputs[0]?.kind, 'error');
  assert.match(r.outputs[0]!.message, /holds no query/);
  assert.deepEqual((await runCellSource('  \n', fast)).outputs, []);
});

test('an error that stops every later query (bad credentials) ends the run and leaves later cells untouched', async () => {
  const nb: Notebook = { cells: [{ kind: 'mq', source: Q2 }, { kind: 'markdown', source: 'x' }, { kind: 'mq', source: Q2, outputs: [{ kind: 'error', reason: 'run', message: 'old' }] }] };
  const summary = await runNotebook(nb, {
    mq,
    runOptions: { baseUrl: 'http://127.0.0.1:9', apiKey: 'KEY-secret-123456', requestTimeoutMs: 2000, retry: { maxServerRetries: 0 } },
    now: () => NOW,
  });
  assert.equal(summary.ran, 1);
  assert.equal(summary.skipped, 1);
  assert.ok(summary.stopped);
  const first = nb.cells[0]!.outputs![0]!;
  assert.equal(first.kind, 'error');
  assert.doesNotMatch(JSON.stringify(nb), /KEY-secret-123456/);
  const kept = nb.cells[2]!.outputs![0]!;
  assert.equal(kept.kind === 'error' && kept.message, 'old');
});

test('a cancelled run records a cancelled output', async () => {
  const abort = new AbortController();
  const p = runCellSource(Q2, { ...fast, runOptions: { standIn: { latencyMs: 2000 } }, signal: abort.signal });
  setTimeout(() => abort.abort(), 100);
  const r = await p;
  assert.equal(r.stop, 'cancelled');
  assert.equal(r.outputs[0]?.kind === 'error' && r.outputs[0].reason, 'cancelled');
});

function cli(dir: string) {
  const err: string[] = [];
  const out: string[] = [];
  const io: CliIO = { stdout: (s) => out.push(s), stderr: (s) => err.push(s), env: {}, cwd: dir };
  return { io, err: () => err.join(''), out: () => out.join('') };
}

test('mq notebook run executes every cell, saves the outputs with execution order, and writes HTML and Markdown reports', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mq-nb-'));
  const nb: Notebook = { cells: [{ kind: 'markdown', source: '# Weekly' }, { kind: 'mq', source: Q1 }, { kind: 'mq', source: `${BAD}\n${Q2}` }] };
  writeFileSync(join(dir, 'r.mqnb'), serializeNotebook(nb));
  const c = cli(dir);
  const code = await notebookCli(['run', 'r.mqnb', '--out', 'done.mqnb', '--html', 'r.html', '--md', 'r.md', '--now', NOW.toISOString()], c.io, mq);
  assert.equal(code, 1, 'a cell had errors: exit 1\n' + c.err());
  assert.match(c.err(), /ran 2 cells: 1 succeeded, 1 did not; saved done\.mqnb/);
  assert.equal(readFileSync(join(dir, 'r.mqnb'), 'utf8'), serializeNotebook(nb), '--out leaves the input alone');
  const done = parseNotebook(readFileSync(join(dir, 'done.mqnb'), 'utf8'));
  assert.deepEqual(done.cells.map((x) => x.execution?.order), [undefined, 1, 2]);
  assert.deepEqual(done.cells.map((x) => x.execution?.success), [undefined, true, false]);
  assert.deepEqual(done.cells[2]!.outputs!.map((o) => o.kind), ['error', 'result']);
  const html = readFileSync(join(dir, 'r.html'), 'utf8');
  assert.match(html, /<h1>Weekly<\/h1>/);
  assert.match(html, /<svg class="chart"/);
  assert.match(html, /unknown-metric/);
  assert.doesNotMatch(html, /<script/i);
  assert.match(readFileSync(join(dir, 'r.md'), 'utf8'), /\| CHANNEL\\_CODE \| DAY \| TOTAL\\_TRAFFIC\\_COUNT/);
});

test('mq notebook run on a damaged notebook exits 2 with the reason and does not touch the file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mq-nb-'));
  const damaged = '{ "mqNotebook": 1, "cells": [ { "kind": "mq", "source": ["SELECT"] }';
  writeFileSync(join(dir, 'd.mqnb'), damaged);
  const c = cli(dir);
  assert.equal(await notebookCli(['run', 'd.mqnb', '--html', 'd.html'], c.io, mq), 2);
  assert.match(c.err(), /d\.mqnb: not a valid mq notebook: .*JSON is damaged.*not changed/);
  assert.equal(readFileSync(join(dir, 'd.mqnb'), 'utf8'), damaged);
});

test('mq notebook export writes a report from the stored outputs without running; usage errors are explained', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mq-nb-'));
  writeFileSync(join(dir, 'e.mqnb'), serializeNotebook({ cells: [{ kind: 'markdown', source: 'Just <b>prose</b>' }] }));
  const c = cli(dir);
  assert.equal(await notebookCli(['export', 'e.mqnb', '--md', 'e.md'], c.io, mq), 0);
  assert.equal(readFileSync(join(dir, 'e.md'), 'utf8'), 'Just <b>prose</b>\n');
  await assert.rejects(notebookCli(['export', 'e.mqnb'], c.io, mq), /needs --html FILE or --md FILE/);
  await assert.rejects(notebookCli(['frobnicate', 'e.mqnb'], c.io, mq), /unknown notebook command "frobnicate"/);
  await assert.rejects(notebookCli(['run', 'e.mqnb', '--base-url', 'https://x.example'], c.io, mq), /no API key/);
});

test('the example weekly report runs cleanly on sample data', async () => {
  const text = readFileSync(new URL('../../examples/weekly-report.mqnb', import.meta.url), 'utf8');
  const nb = parseNotebook(text);
  const queries = nb.cells.filter((x) => x.kind === 'mq').length;
  assert.ok(queries >= 5 && queries <= 8, `${queries} query cells`);
  const summary = await runNotebook(nb, fast);
  assert.equal(summary.succeeded, queries);
  for (const cell of nb.cells.filter((x) => x.kind === 'mq')) {
    for (const o of cell.outputs!) assert.ok(o.kind === 'result' && o.result.response.rows.length > 0, JSON.stringify(o).slice(0, 300));
  }
});
