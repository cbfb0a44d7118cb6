// Entry point of dist/server.js: `node dist/server.js --stdio` (also --node-ipc, --socket=PORT, --pipe=NAME;
// without a transport flag it speaks LSP over stdin/stdout). vscode-languageserver picks the transport,
// watches the client process, sends console output to the client's log under --stdio, and exits with code
// 0 after shutdown + exit (1 when the client goes away without a shutdown).
import { createConnection } from 'vscode-languageserver/node';
import { analyseDocument } from '../core/semantics/analyser.js';
import { codeActionsFor } from '../core/editing/codeActions.js';
import { complete } from '../core/editing/completion.js';
import { foldingRanges } from '../core/editing/folding.js';
import { formatDocument, formatRange } from '../core/editing/formatter.js';
import { hoverAt } from '../core/editing/hover.js';
import { inlayHints } from '../core/editing/inlayHints.js';
import { semanticTokens } from '../core/editing/semanticTokens.js';
import { querySymbols } from '../core/editing/symbols.js';
import { parseDocument } from '../core/syntax/parser.js';
import type { LanguageCore } from './languageCore.js';
import { startServer } from './server.js';

/** The language core from its free functions (to be replaced by the core's own constructor). */
function languageCore(): LanguageCore {
  return {
    parse: (text) => parseDocument(text),
    analyse: analyseDocument,
    complete,
    hover: hoverAt,
    codeActions: codeActionsFor,
    format: formatDocument,
    formatRange,
    semanticTokens,
    symbols: querySymbols,
    folding: foldingRanges,
    inlayHints,
  };
}

const TRANSPORT_FLAGS = /^--(stdio|node-ipc|socket|pipe)(=|$)/;
if (!process.argv.slice(2).some((a) => TRANSPORT_FLAGS.test(a))) process.argv.push('--stdio');

const connection = createConnection();
// Never let a bug take the server down: log it and keep answering.
const report = (e: unknown): void => connection.console.error(`mq: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
process.on('uncaughtException', report);
process.on('unhandledRejection', report);

const timing = process.env.MQ_LSP_TIMING === '1' ? (line: string) => void process.stderr.write(`${line}\n`) : undefined;
startServer(connection, languageCore(), () => new Date(), { timing });
