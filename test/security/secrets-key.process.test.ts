// Secrets: a distinctive API key goes through every path that could leak it, and every output
// channel, error message, history entry, exported file and cURL copy is grepped for it, in the forms a
// leak takes (as written, base64 as in a Basic header, URL-encoded, and any 12-character slice of it).
//   - the real CLI (node dist/cli.js): `mq stand-in --api-key`, `mq run` against it (table, csv, json,
//     key from the flag and from the environment, Basic scheme), wrong key (401), key without the scope
//     (403), unreachable host, `mq compile` with the key in the environment;
//   - the extension's VS Code-free helpers: cURL builder, redaction, history store (meta and result files).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStandIn, type StandIn } from '../../server/src/run/standin/server.js';
import { runRequest, RunError } from '../../server/src/run/engine.js';
import { formatCsv, formatJson, formatTable, type ResultEnvelope } from '../../server/src/run/results.js';
import { parseDocument } from '../helpers/syntax.js';
import { stringifyJson } from '../../server/src/core/compile/wire.js';
import { buildCurl } from '../../client/src/curl.js';
import { redact } from '../../client/src/redact.js';
import { HistoryStore } from '../../client/src/history.js';
import { mq } from '../helpers/mq.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cliJs = join(root, 'dist', 'cli.js');

// Distinctive, long enough for every redaction rule, with characters that change under encodings.
const KEY = 'mqSECRET-7f3a9c1e+b2d4/5e6f=80a1b2c3d4';
const SCOPELESS = 'mqNOSCOPE-0b1c2d3e4f5a6b7c8d9e0f1a2b3c';
const WRONG = 'mqWRONG-9e8d7c6b5a4f3e2d1c0b9a8f7e6d';
const BASIC_USER = 'reporting-user';

/** Every form in which a secret could appear. */
function leakForms(secret: string): string[] {
  const forms = new Set([secret, Buffer.from(secret).toString('base64'), encodeURIComponent(secret), Buffer.from(`${BASIC_USER}:${secret}`).toString('base64')]);
  for (let i = 0; i + 12 <= secret.length; i += 4) forms.add(secret.slice(i, i + 12));
  return [...forms];
}

const SECRETS = [KEY, SCOPELESS, WRONG];

/** Fails when `text` (produced by `where`) holds any form of any secret. */
function assertClean(where: string, text: string): void {
  for (const s of SECRETS) {
    for (const f of leakForms(s)) {
      const at = text.indexOf(f);
      assert.equal(at, -1, `${where} leaks a secret (${JSON.stringify(f)}) near: ${JSON.stringify(text.slice(Math.max(0, at - 60), at + f.length + 60))}`);
    }
  }
}

let dir: string;
let standInProc: ChildProcess;
let standInUrl = '';
let standInLog = '';
let scoped: StandIn;

function cli(args: string[], env: Record<string, string> = {}, timeoutMs = 30_000): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliJs, ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', HOME: dir, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

const QUERY = `SELECT TOTAL_TRAFFIC_COUNT, TRAFFIC_DELIVERY_RATE BY DAY, SENDER
WHERE channelCode IN (SMS, EMAIL) AND sentSince = now - 3d AND sentUntil = now
ORDER BY TOTAL_TRAFFIC_COUNT DESC LIMIT 5;
`;
const NOW_ARG = ['--now', '2026-03-01T12:00:00Z'];

before(async () => {
  if (!existsSync(cliJs)) {
    const r = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  }
  dir = mkdtempSync(join(tmpdir(), 'mq-secrets-'));
  writeFileSync(join(dir, 'q.mq'), QUERY);
  // The stand-in as a user starts it: a separate process, key on the command line.
  standInProc = spawn(process.execPath, [cliJs, 'stand-in', '--port', '0', '--api-key', KEY, '--latency-ms', '20'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  standInProc.stdout!.setEncoding('utf8').on('data', (d: string) => (standInLog += d));
  standInProc.stderr!.setEncoding('utf8').on('data', (d: string) => (standInLog += d));
  for (let i = 0; i < 300 && !/listening on (\S+)/.test(standInLog); i++) await new Promise((r) => setTimeout(r, 20));
  const m = /listening on (\S+)/.exec(standInLog);
  assert.ok(m, `the stand-in did not start: ${standInLog}`);
  standInUrl = m[1]!;
  // For 403: a key that authenticates but lacks the scope (an in-process stand-in, as the CLI has no flag for it).
  scoped = await startStandIn({ apiKey: KEY, scopelessKeys: [SCOPELESS], latencyMs: 20 });
});

after(async () => {
  standInProc?.kill('SIGTERM');
  await scoped?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('mq run against the stand-in: table, csv and json outputs never show the key', async () => {
  for (const format of ['table', 'csv', 'json']) {
    const r = await cli(['run', 'q.mq', '--format', format, '--base-url', standInUrl, '--api-key', KEY, ...NOW_ARG]);
    assert.equal(r.code, 0, r.err);
    assert.ok(r.out.length > 0);
    assertClean(`mq run --format ${format} stdout`, r.out);
    assertClean(`mq run --format ${format} stderr`, r.err);
  }
  // The key from the environment, and a results file exported through the shell.
  const r = await cli(['run', 'q.mq', '--format', 'csv', ...NOW_ARG], { INFOBIP_BASE_URL: standInUrl, INFOBIP_API_KEY: KEY });
  assert.equal(r.code, 0, r.err);
  writeFileSync(join(dir, 'export.csv'), r.out);
  assertClean('exported CSV', readFileSync(join(dir, 'export.csv'), 'utf8'));
  assertClean('mq run (env key) stderr', r.err);
});

test('mq run error paths: 401, 403, Basic scheme, unreachable host, timeout: no key in any message', async () => {
  const cases: { name: string; args: string[]; env?: Record<string, string>; exit: number; re: RegExp }[] = [
    { name: '401 (wrong key)', args: ['--base-url', standInUrl, '--api-key', WRONG], exit: 1, re: /auth|API key/i },
    { name: '403 (no scope)', args: ['--base-url', scoped.url, '--api-key', SCOPELESS], exit: 1, re: /metrics:manage|scope|403/i },
    { name: '401 with Basic', args: ['--base-url', standInUrl, '--api-key', `${BASIC_USER}:${WRONG}`, '--auth-scheme', 'Basic'], exit: 1, re: /auth|API key|password/i },
    { name: 'unreachable host', args: ['--base-url', 'https://no-such-host.invalid', '--api-key', KEY, '--timeout', '5'], exit: 1, re: /reach|host/i },
    { name: 'env key, wrong base URL path', args: [], env: { INFOBIP_BASE_URL: `${standInUrl}/nope`, INFOBIP_API_KEY: KEY }, exit: 1, re: /./ },
    { name: 'key echoed in a usage error', args: ['--api-key', KEY], exit: 2, re: /base URL/i },
  ];
  for (const c of cases) {
    const r = await cli(['run', 'q.mq', ...c.args, ...NOW_ARG], c.env ?? {});
    assert.equal(r.code, c.exit, `${c.name}: exit ${r.code}\n${r.err}`);
    assert.match(r.err, c.re, c.name);
    assertClean(`${c.name} stdout`, r.out);
    assertClean(`${c.name} stderr`, r.err);
  }
});

test('mq compile with the key in the environment prints a body without it', async () => {
  const r = await cli(['compile', 'q.mq', ...NOW_ARG], { INFOBIP_BASE_URL: standInUrl, INFOBIP_API_KEY: KEY });
  assert.equal(r.code, 0, r.err);
  assert.ok(JSON.parse(r.out).request);
  assertClean('mq compile stdout', r.out);
  assertClean('mq compile stderr', r.err);
});

test('the stand-in process never prints the key it was given', () => {
  assert.match(standInLog, /listening on/);
  assertClean('mq stand-in output', standInLog);
});

test('extension helpers: cURL copy, redaction, history entries and stored results hold no key', async () => {
  const doc = parseDocument(QUERY);
  const compiled = mq.compile(doc.queries[0]!, { now: new Date('2026-03-01T12:00:00Z'), callbackUrl: 'https://callback.example.invalid/mq' });
  assert.ok(compiled.ok);
  const bodyJson = stringifyJson(compiled.body);
  for (const authScheme of ['App', 'Basic', 'Bearer'] as const) {
    const curl = buildCurl({ baseUrl: standInUrl, authScheme, bodyJson });
    assert.match(curl, /\$INFOBIP_API_KEY/);
    assertClean(`cURL (${authScheme})`, curl);
  }

  // A failed live run (401), its message redacted the way the extension does before storing it.
  let failure = '';
  try {
    await runRequest(compiled.body.request, { baseUrl: scoped.url, apiKey: WRONG, timeoutMs: 5000 });
    assert.fail('a wrong key must fail');
  } catch (e) {
    assert.ok(e instanceof RunError, String(e));
    failure = e.message;
  }
  assertClean('RunError message (401)', failure);
  // The redaction helper masks every form of a secret that other text might carry.
  for (const s of SECRETS) {
    const dirty = `Authorization: App ${s}\nurl=https://u:${encodeURIComponent(s)}@h.example/?apiKey=${s}\nbasic ${Buffer.from(s).toString('base64')} ${s}`;
    assertClean('redact()', redact(dirty, SECRETS));
  }
  assertClean('redact() on a header without a known secret', redact(`authorization: "Bearer ${KEY}"`));

  // A successful live run stored in the history store, plus the failed one.
  const outcome = await runRequest(compiled.body.request, { baseUrl: scoped.url, apiKey: KEY, timeoutMs: 10_000, pollIntervalMs: 40 });
  assert.equal(outcome.status, 'SUCCESS');
  const historyDir = join(dir, 'history');
  const store = new HistoryStore(historyDir);
  const ok = await store.create({ title: 'ok', queryText: QUERY, connection: 'stand-in', source: 'live', requestJson: stringifyJson(outcome.request) });
  await store.saveResult(ok.id, { requestId: outcome.requestId, status: outcome.status, response: outcome.response }, { status: 'SUCCESS', requestId: outcome.requestId });
  const bad = await store.create({ title: 'bad', queryText: QUERY, connection: 'stand-in', source: 'live', requestJson: bodyJson });
  await store.update(bad.id, { status: 'ERROR', message: redact(failure, SECRETS) });
  const files = readdirSync(historyDir);
  assert.ok(files.length >= 3, `history files: ${files.join(', ')}`);
  for (const f of files) assertClean(`history file ${f}`, readFileSync(join(historyDir, f), 'utf8'));
  for (const e of await store.list()) assertClean(`history entry ${e.id}`, JSON.stringify(e));

  // Exported results (the formats the CLI and the extension write).
  const response = outcome.response!;
  assertClean('CSV export', formatCsv(response));
  assertClean('table', formatTable(response));
  assertClean('JSON export', formatJson({ requestId: outcome.requestId, status: outcome.status, source: outcome.source, response } satisfies ResultEnvelope));
});

test('the leak checker catches every form of a key', () => {
  // assertClean must be able to fail, or the tests above prove nothing.
  for (const form of [KEY, Buffer.from(KEY).toString('base64'), encodeURIComponent(KEY), KEY.slice(8, 20), Buffer.from(`${BASIC_USER}:${KEY}`).toString('base64')]) {
    assert.throws(() => assertClean('probe', `before ${form} after`), /leaks a secret/);
  }
  assert.doesNotThrow(() => assertClean('probe', 'Authorization: App ••••••'));
});
