// The server's side of the LSP wire, built directly on vscode-languageserver-protocol (JSON-RPC plus the
// protocol's message types) instead of the vscode-languageserver framework, which added ~48 KB to
// dist/server.js for features mq does not use. This file does what that framework did for us:
//   - picks the transport from the command line: --stdio, --node-ipc (how VS Code's LanguageClient starts
//     the server with TransportKind.ipc), --socket=PORT / --socket PORT, --pipe=NAME / --pipe NAME, and
//     plain stdin/stdout without a flag;
//   - exits when the client goes away (input closed, or the client process given by --clientProcessId or by
//     initialize's processId is gone), with code 0 after shutdown and 1 otherwise (LSP's exit rule);
//   - with --stdio, sends console.* output to the client's log instead of corrupting stdout;
//   - logging (window/logMessage), workspace/configuration and workspace/diagnostic/refresh helpers.
// Requests get a CancellationToken from vscode-jsonrpc ($/cancelRequest), unknown requests a MethodNotFound.
import { inspect } from 'node:util';
import {
  createProtocolConnection,
  createServerPipeTransport,
  createServerSocketTransport,
  IPCMessageReader,
  IPCMessageWriter,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageReader,
  type MessageWriter,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { ConfigurationRequest, DiagnosticRefreshRequest, ExitNotification, LogMessageNotification, MessageType, SetTraceNotification } from 'vscode-languageserver-protocol';

export interface ServerConnection {
  /** The JSON-RPC connection: register handlers with onRequest(XRequest.type, …) / onNotification. */
  readonly rpc: ProtocolConnection;
  log(type: MessageType, message: string): void;
  /** workspace/configuration for one section (the client's answer for it, or undefined). */
  getConfiguration(section: string): Promise<unknown>;
  /** Asks a pull-diagnostics client to pull again. */
  refreshDiagnostics(): void;
  /** Watches the client process (initialize's processId): exit when it is gone. */
  watchClient(pid: number | null | undefined): void;
  /** Called by the shutdown handler: exit then ends the process with code 0. */
  shutdownReceived(): void;
  listen(): void;
}

interface Transport {
  reader: MessageReader;
  writer: MessageWriter;
  stdio: boolean;
  streams?: NodeJS.ReadableStream;
}

function argValue(argv: string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === name) return argv[i + 1];
    if (a.startsWith(`${name}=`)) return a.slice(name.length + 1);
  }
  return undefined;
}

function transportFrom(argv: string[]): Transport {
  if (argv.includes('--node-ipc')) return { reader: new IPCMessageReader(process), writer: new IPCMessageWriter(process), stdio: false };
  const port = argValue(argv, '--socket');
  if (port !== undefined && !argv.includes('--stdio')) {
    const [reader, writer] = createServerSocketTransport(Number.parseInt(port, 10));
    return { reader, writer, stdio: false };
  }
  const pipe = argValue(argv, '--pipe');
  if (pipe !== undefined && !argv.includes('--stdio')) {
    const [reader, writer] = createServerPipeTransport(pipe);
    return { reader, writer, stdio: false };
  }
  // --stdio, or no flag at all: LSP over stdin/stdout.
  return { reader: new StreamMessageReader(process.stdin), writer: new StreamMessageWriter(process.stdout), stdio: true, streams: process.stdin };
}

export function createServerConnection(argv: string[] = process.argv.slice(2)): ServerConnection {
  const t = transportFrom(argv);
  const rpc = createProtocolConnection(t.reader, t.writer);
  let shutdown = false;
  let watchdog: ReturnType<typeof setInterval> | undefined;
  const exit = (): never => process.exit(shutdown ? 0 : 1);

  const log = (type: MessageType, message: string): void => {
    void rpc.sendNotification(LogMessageNotification.type, { type, message }).catch(() => undefined);
  };

  const watch = (pid: number): void => {
    if (watchdog !== undefined || !Number.isInteger(pid) || pid <= 0) return;
    watchdog = setInterval(() => {
      try {
        process.kill(pid, 0);
      } catch {
        exit();
      }
    }, 3000);
    watchdog.unref();
  };
  const fromArgs = argValue(argv, '--clientProcessId');
  if (fromArgs !== undefined) watch(Number.parseInt(fromArgs, 10));

  if (t.stdio) {
    // Anything printed to stdout would break the framing: route console output to the client's log.
    const fmt = (args: unknown[]): string => args.map((a) => (typeof a === 'string' ? a : inspect(a))).join(' ');
    console.log = console.info = console.debug = (...a: unknown[]) => log(MessageType.Log, fmt(a));
    console.warn = (...a: unknown[]) => log(MessageType.Warning, fmt(a));
    console.error = (...a: unknown[]) => log(MessageType.Error, fmt(a));
  }
  t.streams?.on('end', exit);
  t.streams?.on('close', exit);
  rpc.onClose(exit);
  rpc.onNotification(ExitNotification.type, exit);
  rpc.onNotification(SetTraceNotification.type, () => undefined);

  return {
    rpc,
    log,
    async getConfiguration(section) {
      const r = await rpc.sendRequest(ConfigurationRequest.type, { items: [{ section }] });
      return Array.isArray(r) ? r[0] : undefined;
    },
    refreshDiagnostics() {
      void rpc.sendRequest(DiagnosticRefreshRequest.type).catch(() => undefined);
    },
    watchClient(pid) {
      if (typeof pid === 'number') watch(pid);
    },
    shutdownReceived() {
      shutdown = true;
    },
    listen() {
      rpc.listen();
    },
  };
}
