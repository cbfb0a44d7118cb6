// Entry point of dist/server.js: `node dist/server.js --stdio` (also --node-ipc, --socket=N, --pipe=NAME).
// Without a transport flag it speaks LSP over stdin/stdout.
import { MessageType } from 'vscode-languageserver-protocol';
import { createServerConnection } from './connection.js';
import { startServer } from './server.js';

const server = createServerConnection();

// Never let a bug take the server down: log it and keep answering.
const report = (e: unknown): void => server.log(MessageType.Error, `mq: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
process.on('uncaughtException', report);
process.on('unhandledRejection', report);

startServer(server);
