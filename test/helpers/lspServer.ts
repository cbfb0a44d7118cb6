// A language-server client for tests, over either transport:
//   - spawnServer(): a real `node dist/server.js --stdio` process (built first when dist/ is missing);
//   - startInProcess(core, clock): startServer on a vscode-languageserver connection over two in-memory
//     streams, so a test can hand the server any language core and talk JSON-RPC to it without a process.
// Both answer workspace/configuration, record every publishDiagnostics and every error the server reports
// (window/logMessage errors, and stderr for a process), and shut the server down cleanly.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { createConnection } from 'vscode-languageserver';
import { createProtocolConnection } from 'vscode-languageserver-protocol/node';
import {
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  MessageType,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  type ClientCapabilities,
  type Diagnostic,
  type InitializeResult,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol';
import type { Clock, LanguageCore } from '../../server/src/lsp/languageCore.js';
import { startServer, type ServerOptions } from '../../server/src/lsp/server.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SERVER_JS = join(ROOT, 'dist', 'server.js');

export interface ClientOptions {
  capabilities?: ClientCapabilities;
  initializationOptions?: Record<string, unknown>;
  /** The answer to every workspace/configuration item (default: `{ diagnostics: { openApiOnlyChannels: 'off' } }`). */
  configuration?: unknown;
  /** Default 10 s: how long diagnostics() waits for a publication. */
  timeoutMs?: number;
  /** initialize's processId (the server watches that process): this one for a spawned server, else null. */
  processId?: number | null;
}

interface Publication {
  /** Order of arrival over all documents. */
  seq: number;
  version: number | undefined;
  diagnostics: Diagnostic[];
}

/** Publications kept per document (the oldest are dropped). */
const HISTORY = 64;

/** One side of a JSON-RPC conversation with the server, after initialize + initialized. */
export class LspTestClient {
  init!: InitializeResult;
  /** Errors the server reported: window/logMessage of type Error (and a process's stderr). */
  readonly errors: string[] = [];
  private readonly published = new Map<string, Publication[]>();
  private readonly waiters = new Set<() => void>();
  private seq = 0;

  constructor(
    readonly conn: MessageConnection,
    private readonly opts: ClientOptions,
  ) {
    conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
      const list = this.published.get(p.uri) ?? [];
      list.push({ seq: ++this.seq, version: p.version, diagnostics: p.diagnostics });
      if (list.length > HISTORY) list.shift();
      this.published.set(p.uri, list);
      for (const w of [...this.waiters]) w();
    });
    conn.onNotification(LogMessageNotification.type, (p) => {
      if (p.type === MessageType.Error) this.errors.push(p.message);
    });
    conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => opts.configuration ?? { diagnostics: { openApiOnlyChannels: 'off' } }));
    conn.listen();
  }

  async initialize(): Promise<void> {
    this.init = await this.conn.sendRequest(InitializeRequest.type, {
      processId: this.opts.processId ?? null,
      rootUri: null,
      capabilities: this.opts.capabilities ?? {},
      ...(this.opts.initializationOptions ? { initializationOptions: this.opts.initializationOptions } : {}),
    });
    await this.conn.sendNotification(InitializedNotification.type, {});
  }

  /** Waits for a publication for `uri` matching `accept`, among those already received and future ones. */
  private waitFor(uri: string, what: string, accept: (p: Publication) => boolean, timeoutMs: number): Promise<Diagnostic[]> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const hit = this.published.get(uri)?.find(accept);
        if (!hit) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(hit.diagnostics);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        const last = this.published.get(uri)?.at(-1);
        reject(new Error(`no diagnostics for ${uri} ${what} within ${timeoutMs} ms (last: version ${last?.version ?? 'none'})`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  /** The diagnostics published for `uri` with `version` (already or later; any version when undefined). */
  diagnostics(uri: string, version?: number, timeoutMs = this.opts.timeoutMs ?? 10_000): Promise<Diagnostic[]> {
    return this.waitFor(uri, `version ${version ?? 'any'}`, (p) => version === undefined || p.version === version, timeoutMs);
  }

  /** The next diagnostics published for `uri` after this call. */
  nextDiagnostics(uri: string, timeoutMs = this.opts.timeoutMs ?? 10_000): Promise<Diagnostic[]> {
    const seen = this.seq;
    return this.waitFor(uri, 'after now', (p) => p.seq > seen, timeoutMs);
  }

  open(uri: string, text: string, version = 1): Promise<void> {
    return this.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'mq', version, text } });
  }

  change(uri: string, version: number, contentChanges: TextDocumentContentChangeEvent[]): Promise<void> {
    return this.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges });
  }

  close(uri: string): Promise<void> {
    return this.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** shutdown (bounded), then exit. */
  async shutdownAndExit(): Promise<void> {
    await Promise.race([this.conn.sendRequest(ShutdownRequest.type), new Promise((r) => setTimeout(r, 3000))]).catch(() => undefined);
    await this.conn.sendNotification(ExitNotification.type).catch(() => undefined);
  }
}

/** Builds dist/ when dist/server.js is missing (npm test builds it first). */
export function ensureBuilt(): void {
  if (existsSync(SERVER_JS)) return;
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm run build failed: ${r.stderr}`);
}

/** A real `node dist/server.js --stdio` process. */
export class SpawnedServer extends LspTestClient {
  /** `code N signal S` once the process has exited. */
  exited: string | undefined;
  /** Resolves with the exit code when the process ends. */
  readonly exitCode: Promise<number | null>;

  constructor(
    readonly child: ChildProcess,
    opts: ClientOptions,
  ) {
    super(createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!)), opts);
    child.stderr!.setEncoding('utf8').on('data', (d: string) => this.errors.push(d));
    this.exitCode = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exited = `code ${code} signal ${signal}`;
        resolve(code);
      }),
    );
  }

  /** shutdown + exit, then waits for the process to end (SIGKILL after 3 s). */
  async stop(): Promise<void> {
    if (this.exited === undefined) await this.shutdownAndExit();
    this.conn.dispose();
    if (this.exited !== undefined) return;
    const t = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await this.exitCode;
    clearTimeout(t);
  }
}

/** Spawns `node dist/server.js --stdio` (or with `args`; building dist/ when missing) and initializes it. */
export async function spawnServer(opts: ClientOptions & { args?: string[] } = {}): Promise<SpawnedServer> {
  ensureBuilt();
  const child = spawn(process.execPath, [SERVER_JS, ...(opts.args ?? ['--stdio'])], { stdio: ['pipe', 'pipe', 'pipe'] });
  const server = new SpawnedServer(child, { processId: process.pid, ...opts });
  await server.initialize();
  return server;
}

/** The server in this process, on a connection over two in-memory streams. */
export class InProcessServer extends LspTestClient {
  /** The code the server would exit with, once exit was received (the test process is not ended). */
  exitRequested: number | undefined;
  private readonly serverSide: { dispose(): void };

  constructor(core: LanguageCore, clock: Clock, opts: ClientOptions & { server?: ServerOptions }) {
    const toServer = new PassThrough();
    const toClient = new PassThrough();
    super(createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer)), opts);
    const watchDog = {
      shutdownReceived: false,
      initialize: () => undefined,
      exit: (code: number) => {
        this.exitRequested = code;
      },
    };
    const connection = createConnection((logger) => createProtocolConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient), logger), watchDog);
    startServer(connection, core, clock, opts.server);
    this.serverSide = connection;
  }

  stop(): void {
    this.conn.dispose();
    this.serverSide.dispose();
  }
}

/** startServer(connection, core, clock) over a stream pair in this process, initialized. */
export async function startInProcess(core: LanguageCore, clock: Clock, opts: ClientOptions & { server?: ServerOptions } = {}): Promise<InProcessServer> {
  const server = new InProcessServer(core, clock, opts);
  await server.initialize();
  return server;
}
