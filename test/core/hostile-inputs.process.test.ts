// Pathological documents: megabyte lines and identifiers, unterminated strings and comments,
// 200,000 open parentheses, binary bytes, NUL, lone surrogates, CR-only line ends, 10,000 metrics,
// 1,000-digit integers... Each must be answered in bounded time with diagnostics, never a crash or a
// stack overflow:
//   - in process, a 90 KB cut of every input stays within the per-call limit of test/fuzz/properties.ts (1 s here; 100 ms in npm run fuzz);
//   - `node dist/cli.js check FILE` exits 0 or 1 (never 2 or a signal) within CLI_BOUND_MS and prints diagnostics;
//   - one `node dist/server.js --stdio` process takes every input through didOpen, diagnostics and the
//     feature requests, each answered within SERVER_BOUND_MS, and is still healthy at the end.
// Needs dist/ (npm test builds it first; built here when missing).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CodeActionRequest,
  CompletionRequest,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentFormattingRequest,
  DocumentSymbolRequest,
  FoldingRangeRequest,
  HoverRequest,
  InlayHintRequest,
  SemanticTokensRequest,
  type Position,
} from 'vscode-languageserver-protocol';
import { HOSTILE } from '../fuzz/hostile.js';
import { BUDGET_MS, checkCore, checkCursorFeatures, checkDocumentFeatures, checkFormat, Lines } from '../fuzz/properties.js';
import { spawnServer, type SpawnedServer } from '../helpers/lspServer.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cliJs = join(root, 'dist', 'cli.js');
const serverJs = join(root, 'dist', 'server.js');

/** `mq check` on one input, node start-up included. Generous: CI machines are shared. */
const CLI_BOUND_MS = 20_000;
/** One server request or one diagnostics publication on one input. */
const SERVER_BOUND_MS = 10_000;

let dir: string;

before(() => {
  if (!existsSync(cliJs) || !existsSync(serverJs)) {
    const r = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 0, `npm run build failed: ${r.stderr}`);
  }
  dir = mkdtempSync(join(tmpdir(), 'mq-hostile-'));
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test(`in process: a 90 KB cut of every pathological input stays within ${BUDGET_MS} ms in every stage`, () => {
  for (const h of HOSTILE) {
    const text = h.make().slice(0, 90 * 1024);
    const core = checkCore(text);
    checkFormat(text, core);
    checkDocumentFeatures(text, core.doc);
    for (const o of [0, text.length >> 1, text.length]) checkCursorFeatures(text, core.doc, core.diagnostics, o, o);
  }
});

function runCli(args: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [cliJs, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      // Keep the head and the size; a million diagnostics need not sit in memory twice.
      if (stdout.length < 1 << 20) stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), CLI_BOUND_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: performance.now() - t0 });
    });
  });
}

for (const h of HOSTILE) {
  test(`mq check answers "${h.name}" with diagnostics in bounded time`, async () => {
    const file = join(dir, `${h.name.replace(/[^A-Za-z0-9]+/g, '-')}.mq`);
    const text = h.make();
    writeFileSync(file, text, 'utf8');
    const r = await runCli(['check', '--now', '2026-11-05T10:20:30Z', '--format', 'json', file]);
    assert.equal(r.signal, null, `mq check was killed after ${r.ms.toFixed(0)} ms (bound ${CLI_BOUND_MS} ms)`);
    if (text.slice(0, 8192).includes('\u0000')) {
      // By design the CLI refuses files with NUL bytes near the start (server/src/cli/files.ts): exit 2
      // with a one-line reason is a clear answer too.
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /^mq check: .*looks like a binary file, not mq text\n$/);
      return;
    }
    assert.ok(r.code === 0 || r.code === 1, `mq check exited ${r.code}: ${r.stderr.slice(0, 2000)}`);
    assert.doesNotMatch(r.stderr, /RangeError|Maximum call stack|FATAL|out of memory|at .+\(.+:\d+:\d+\)/, r.stderr.slice(0, 2000));
    if (r.stdout.length < 1 << 20) {
      const report = JSON.parse(r.stdout) as { file: string; diagnostics: { code: string }[] }[];
      assert.equal(report.length, 1);
      // Exit 1 exactly when something is an error; and an error is always reported as a diagnostic.
      if (r.code === 1) assert.ok(report[0]!.diagnostics.length > 0, 'exit 1 without a diagnostic');
    }
  });
}

test('mq check answers raw binary bytes (invalid UTF-8, NUL after the first 8 KB) with a clear reason', async () => {
  const raw = Buffer.alloc(256 * 1024);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 7919 + 13) % 255 + 1; // no NUL, but invalid UTF-8
  const file = join(dir, 'raw.mq');
  writeFileSync(file, raw);
  const r = await runCli(['check', file]);
  assert.equal(r.signal, null, 'killed: no answer in bounded time');
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /is not valid UTF-8 text/);
  // A NUL past the sniffed prefix is just an unexpected character: diagnostics, exit 1.
  const late = join(dir, 'late-nul.mq');
  writeFileSync(late, `${'-- padding\n'.repeat(1000)}SELECT TOTAL_TRAFFIC_COUNT\u0000 WHERE channelCode = SMS AND sent BETWEEN now - 1d AND now`);
  const r2 = await runCli(['check', late]);
  assert.equal(r2.code, 1, r2.stderr);
  assert.match(r2.stdout, /syntax-error/);
});

// ---------------------------------------------------------------------------------------------------
// The language server

let server: SpawnedServer;

function within<T>(what: string, p: Promise<T>, ms = SERVER_BOUND_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms${server.exited ? ` (server exited: ${server.exited})` : ''}`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

test('the language server answers every pathological input in bounded time and stays healthy', async (t) => {
  server = await spawnServer({
    capabilities: { textDocument: { codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } } } },
    initializationOptions: { diagnosticsDelayMs: 0 },
    timeoutMs: SERVER_BOUND_MS,
  });
  const conn = server.conn;
  try {
    for (const [i, h] of HOSTILE.entries()) {
      await t.test(h.name, async () => {
        const text = h.make();
        const uri = `file:///hostile/${i}.mq`;
        const lines = new Lines(text);
        const last = lines.position(text.length);
        const mid: Position = lines.position(text.length >> 1);
        await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'mq', version: 1, text } });
        const diags = await within(`${h.name}: diagnostics`, server.diagnostics(uri, 1));
        for (const d of diags) {
          assert.ok(d.range.start.line <= last.line && d.range.end.line <= last.line, `${h.name}: diagnostic past the end: ${JSON.stringify(d.range)}`);
        }
        const td = { uri };
        const whole = { start: { line: 0, character: 0 }, end: last };
        await within(`${h.name}: completion`, conn.sendRequest(CompletionRequest.type, { textDocument: td, position: mid }));
        await within(`${h.name}: completion at the end`, conn.sendRequest(CompletionRequest.type, { textDocument: td, position: last }));
        await within(`${h.name}: hover`, conn.sendRequest(HoverRequest.type, { textDocument: td, position: mid }));
        await within(`${h.name}: code actions`, conn.sendRequest(CodeActionRequest.type, { textDocument: td, range: { start: mid, end: mid }, context: { diagnostics: diags.slice(0, 5) } }));
        await within(`${h.name}: semantic tokens`, conn.sendRequest(SemanticTokensRequest.type, { textDocument: td }));
        await within(`${h.name}: symbols`, conn.sendRequest(DocumentSymbolRequest.type, { textDocument: td }));
        await within(`${h.name}: folding`, conn.sendRequest(FoldingRangeRequest.type, { textDocument: td }));
        await within(`${h.name}: inlay hints`, conn.sendRequest(InlayHintRequest.type, { textDocument: td, range: whole }));
        await within(`${h.name}: formatting`, conn.sendRequest(DocumentFormattingRequest.type, { textDocument: td, options: { tabSize: 2, insertSpaces: true } }));
        await conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: td });
        assert.equal(server.exited, undefined, `server exited: ${server.exited}`);
        const fatal = server.errors.filter((e) => /RangeError|Maximum call stack|TypeError|Error:/.test(e));
        assert.deepEqual(fatal, [], `server logged errors on ${h.name}`);
      });
    }
    // Still healthy: a normal document gets its normal diagnostics.
    const uri = 'file:///hostile/after.mq';
    await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'mq', version: 1, text: 'SELECT DELIVERD_TRAFFIC_COUNT WHERE channelCode = SMS AND sent BETWEEN now - 1d AND now' } });
    const diags = await within('normal document after the hostile ones', server.diagnostics(uri, 1));
    assert.deepEqual(diags.map((d) => d.code), ['unknown-metric']);
  } finally {
    await server.stop();
  }
});
