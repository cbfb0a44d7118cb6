// Entry point of dist/server.js: `node dist/server.js --stdio` (also --node-ipc, --socket=PORT, --pipe=NAME;
// without a transport flag it speaks LSP over stdin/stdout). vscode-languageserver picks the transport,
// watches the client process, sends console output to the client's log under --stdio, and exits with code
// 0 after shutdown + exit (1 when the client goes away without a shutdown).
import { createConnection } from 'vscode-languageserver/node';
import { catalog } from '../core/catalog/data.js';
import { createMqEditing } from '../core/index.js';
import { startServer } from './server.js';

const TRANSPORT_FLAGS = /^--(stdio|node-ipc|socket|pipe)(=|$)/;
if (!process.argv.slice(2).some((a) => TRANSPORT_FLAGS.test(a))) process.argv.push('--stdio');

const connection = createConnection();
// Never let a bug take the server down: log it and keep answering.
const report = (e: unknown): void => connection.console.error(`mq: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
process.on('uncaughtException', report);
process.on('unhandledRejection', report);

const timing = process.env.MQ_LSP_TIMING === '1' ? (line: string) => void process.stderr.write(`${line}\n`) : undefined;
// The server never compiles: the editing core keeps the compiler out of dist/server.js.
startServer(connection, createMqEditing({ catalog }), () => new Date(), { timing });
