// Entry point of dist/server.js: `node dist/server.js --stdio` (also --node-ipc, --socket=N, --pipe=NAME,
// as vscode-languageserver understands them). Without a transport flag it speaks LSP over stdin/stdout.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server.js';

const transportGiven = process.argv.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket') || a.startsWith('--pipe'));
const connection = transportGiven ? createConnection(ProposedFeatures.all) : createConnection(ProposedFeatures.all, process.stdin, process.stdout);

// Never let a bug take the server down: log it and keep answering.
process.on('uncaughtException', (e) => connection.console.error(`mq: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));
process.on('unhandledRejection', (e) => connection.console.error(`mq: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));

startServer(connection);
