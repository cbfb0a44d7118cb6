// A minimal LSP client over stdio for the benchmarks: Content-Length framing, requests with ids,
// notifications, and a wait for the publishDiagnostics of a given document version.
//
// Timing is taken on this side of the pipe, so it includes JSON-RPC encoding, the pipe and decoding.
// Large messages (a 100,000-query document's diagnostics run to megabytes) are not JSON.parsed in full:
// the method, uri and version sit at the start of the text (the server writes
// { jsonrpc, method, params: { uri, version, diagnostics } }), so the prefix is enough to recognise them,
// and the measured time is the moment the last byte of the message arrived.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const FULL_PARSE_LIMIT = 256 * 1024;

interface Pending {
  resolve: (v: { result: unknown; at: number }) => void;
  reject: (e: Error) => void;
}

interface DiagWaiter {
  uri: string;
  version: number | undefined;
  resolve: (v: { at: number; bytes: number; count: number | undefined }) => void;
}

export interface DiagnosticsEvent {
  at: number;
  bytes: number;
  /** Number of diagnostics (only for messages small enough to parse in full). */
  count: number | undefined;
}

export class LspClient {
  readonly child: ChildProcessWithoutNullStreams;
  readonly spawnedAt: number;
  private chunks: Buffer[] = [];
  private buffered = 0;
  private expected = -1;
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private diagWaiters: DiagWaiter[] = [];
  private latestDiag = new Map<string, { version: number | undefined; ev: DiagnosticsEvent }>();
  private exited = false;
  stderr = '';

  constructor(serverJs: string, args: string[] = ['--stdio']) {
    this.spawnedAt = performance.now();
    // MQ_BENCH_SERVER_NODE_ARGS adds Node options to the server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
    const nodeArgs = (process.env.MQ_BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
    this.child = spawn(process.execPath, [...nodeArgs, serverJs, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (b: Buffer) => this.onData(b));
    this.child.stderr.on('data', (b: Buffer) => {
      if (this.stderr.length < 10_000) this.stderr += b.toString();
    });
    this.child.on('exit', () => {
      this.exited = true;
      for (const p of this.pending.values()) p.reject(new Error(`server exited: ${this.stderr.slice(0, 500)}`));
      this.pending.clear();
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  private onData(b: Buffer): void {
    this.chunks.push(b);
    this.buffered += b.length;
    for (;;) {
      if (this.expected < 0) {
        const head = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
        this.chunks = [head];
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        const m = /Content-Length: *(\d+)/i.exec(head.subarray(0, end).toString('ascii'));
        if (!m) throw new Error(`bad LSP header: ${head.subarray(0, end).toString()}`);
        this.expected = Number(m[1]);
        const rest = head.subarray(end + 4);
        this.chunks = rest.length ? [rest] : [];
        this.buffered = rest.length;
      }
      if (this.buffered < this.expected) return;
      const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
      const body = all.subarray(0, this.expected);
      const rest = all.subarray(this.expected);
      this.chunks = rest.length ? [rest] : [];
      this.buffered = rest.length;
      this.expected = -1;
      this.onMessage(body, performance.now());
    }
  }

  private onMessage(body: Buffer, at: number): void {
    if (body.length > FULL_PARSE_LIMIT) {
      const head = body.subarray(0, 2048).toString('utf8');
      const method = /"method":"([^"]+)"/.exec(head)?.[1];
      if (method === 'textDocument/publishDiagnostics') {
        const uri = /"uri":"([^"]+)"/.exec(head)?.[1] ?? '';
        const v = /"version":(\d+)/.exec(head)?.[1];
        this.onDiagnostics(JSON.parse(`"${uri}"`) as string, v === undefined ? undefined : Number(v), { at, bytes: body.length, count: undefined });
        return;
      }
    }
    const msg = JSON.parse(body.toString('utf8')) as { id?: number | string; method?: string; params?: unknown; result?: unknown; error?: { message: string } };
    if (msg.method !== undefined && msg.id !== undefined) {
      // A request from the server (configuration, registration, ...): answer with null.
      this.write({ jsonrpc: '2.0', id: msg.id, result: null });
      return;
    }
    if (msg.method === 'textDocument/publishDiagnostics') {
      const p = msg.params as { uri: string; version?: number; diagnostics: unknown[] };
      this.onDiagnostics(p.uri, p.version, { at, bytes: body.length, count: p.diagnostics.length });
      return;
    }
    if (msg.method !== undefined) return; // log messages and other notifications
    const p = typeof msg.id === 'number' ? this.pending.get(msg.id) : undefined;
    if (!p) return;
    this.pending.delete(msg.id as number);
    if (msg.error) p.reject(new Error(msg.error.message));
    else p.resolve({ result: msg.result, at });
  }

  private onDiagnostics(uri: string, version: number | undefined, ev: DiagnosticsEvent): void {
    this.latestDiag.set(uri, { version, ev });
    const still: DiagWaiter[] = [];
    for (const w of this.diagWaiters) {
      if (w.uri === uri && (w.version === undefined || w.version === version)) w.resolve(ev);
      else still.push(w);
    }
    this.diagWaiters = still;
  }

  private write(msg: unknown): void {
    const body = Buffer.from(JSON.stringify(msg), 'utf8');
    this.child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin.write(body);
  }

  /** Sends a request; resolves with the result and the time (performance.now) the answer arrived. */
  request(method: string, params: unknown, timeoutMs = 120_000): Promise<{ result: unknown; at: number }> {
    if (this.exited) return Promise.reject(new Error(`server exited: ${this.stderr.slice(0, 500)}`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(t);
          resolve(v);
        },
        reject: (e) => {
          clearTimeout(t);
          reject(e);
        },
      });
      this.write({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method: string, params: unknown): void {
    this.write({ jsonrpc: '2.0', method, params });
  }

  /**
   * Resolves when diagnostics for `uri` arrive (for `version` when given). Register before sending the
   * notification that triggers them.
   */
  diagnostics(uri: string, version?: number, timeoutMs = 180_000): Promise<DiagnosticsEvent> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no diagnostics for ${uri} v${version ?? '?'} within ${timeoutMs} ms`)), timeoutMs);
      this.diagWaiters.push({
        uri,
        version,
        resolve: (ev) => {
          clearTimeout(t);
          resolve(ev);
        },
      });
    });
  }

  /** Standard handshake. The capabilities are a typical editor's (snippets, markdown, related info; push diagnostics). */
  async initialize(initializationOptions: Record<string, unknown> = {}): Promise<void> {
    await this.request('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: {
        textDocument: {
          synchronization: { didSave: false, dynamicRegistration: false },
          completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'], tagSupport: { valueSet: [1] } } },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          publishDiagnostics: { relatedInformation: true, versionSupport: true, tagSupport: { valueSet: [1, 2] } },
        },
        workspace: { configuration: false },
      },
      initializationOptions,
    });
    this.notify('initialized', {});
  }

  open(uri: string, text: string, version = 1): void {
    this.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'mq', version, text } });
  }

  /** Resident memory of the server process (VmRSS) in MB. */
  rssMb(): number {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+)\s*kB/.exec(status)?.[1];
    return kb === undefined ? NaN : Number(kb) / 1024;
  }

  async close(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    try {
      await this.request('shutdown', null, 10_000);
      this.notify('exit', null);
    } catch {
      // fall through to the kill below
    }
    const t = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await gone;
    clearTimeout(t);
  }
}
