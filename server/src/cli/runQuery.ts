// `mq run`: parse the flags, run one query (or --all), record each run in the history before it is
// submitted, store its result before printing it. Data goes to stdout, progress and problems to stderr.
// Exit codes: 0 ok, 1 query/API failure, 2 usage, 3 (--fail-if-rows) rows returned and nothing failed.
import type { Mq } from '../core/index.js';
import type { MqDocument } from '../core/syntax/ast.js';
import { RunError, type AuthScheme, type RunOptions } from '../run/engine.js';
import { formatJsonList, type QueryOutcome } from '../run/results.js';
import type { HistoryStore } from '../run/history.js';
import { redactedIO, secretsOf, type CliIO } from './io.js';
import { readSource } from './files.js';
import { diagnosticLine } from './format.js';
import { parse, parseNow, UsageError } from './usage.js';
import { withRemedy } from './remedies.js';
import { cliHistory } from './state.js';
import { runOne } from './runOne.js';

export const RUN_HELP = `Usage: mq run FILE [options]

Runs a query of an .mq file against the Infobip Metrics API and prints the result.
Without a base URL and API key it runs on built-in sample data (synthetic traffic).
Each run is recorded in the history before it is submitted ($MQ_HOME, else $XDG_STATE_HOME/mq, else
~/.local/state/mq) and its result is stored there before it is printed; \`mq pending\` lists runs that did
not finish and \`mq fetch REQUEST_ID\` gets a result that reached a relay later.

Options:
  --query N              which query of the file to run (1-based; default 1)
  --all                  run every query of the file, one after another (table or json)
  --format F             table (default), csv or json
  --base-url URL         your account's API base URL (env INFOBIP_BASE_URL)
  --api-key KEY          API key (env INFOBIP_API_KEY); never printed
  --auth-scheme S        App (default), Basic (KEY is user:password), Bearer or IBSSO
  --callback-url URL     public URL that forwards to the local listener (tunnel, port forwarding, proxy)
  --listen HOST:PORT     where the local callback listener binds (default 127.0.0.1:0 = any free port)
  --relay URL            fetch the result from an \`mq relay\` server instead (needs --relay-token)
  --relay-token T        the relay's token (env MQ_RELAY_TOKEN)
  --timeout SECONDS      give up after this long (default 300)
  --now ISO              the clock for relative times (now, today) and for the sample data
  --fail-if-rows         exit 3 when a query returned at least one row (after HAVING and LIMIT) and
                         nothing failed: for alerts from cron or CI
  -h, --help             show this help

A query with COMPARE WITH sends two requests (the current and the previous period) and prints the joined
rows: each metric M is followed by M_PREVIOUS, M_DELTA and M_DELTA_PCT.

Exit codes: 0 success, 1 query or API failure, 2 usage error, 3 rows returned with --fail-if-rows.
`;

/** Everything `mq run` needs once its flags are read. */
export interface RunSettings {
  /** The language core the command was given. */
  mq: Mq;
  file: string;
  text: string;
  doc: MqDocument;
  format: 'table' | 'csv' | 'json';
  all: boolean;
  /** --fail-if-rows: exit 3 when a query returned rows and nothing failed. */
  failIfRows: boolean;
  indices: number[];
  now: Date;
  opts: RunOptions;
  /** Where runs are recorded (undefined when the CLI has no state directory). */
  history?: HistoryStore;
  /** Redact text stored in the history with these (the io redacts what is printed). */
  connection: string;
  secrets: string[];
  io: CliIO;
}

export function parseListen(v: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(v) ?? (/^(\d{1,5})$/.exec(v) ? [v, undefined, '127.0.0.1', v] : null);
  if (!m) throw new UsageError(`--listen expects HOST:PORT (for example 127.0.0.1:8123), got "${v}".`);
  const port = Number(m[3]);
  if (port > 65535) throw new UsageError(`--listen port ${port} is out of range.`);
  return { host: m[1] ?? m[2]!, port };
}

export function positiveNumber(name: string, v: string | undefined, opts: { integer?: boolean; allowZero?: boolean; max?: number } = {}): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || (!opts.allowZero && n === 0) || (opts.integer && !Number.isInteger(n)) || (opts.max !== undefined && n > opts.max)) {
    throw new UsageError(`${name} expects a ${opts.integer ? 'whole ' : ''}number${opts.allowZero ? '' : ' above 0'}${opts.max !== undefined ? ` up to ${opts.max}` : ''}, got "${v}".`);
  }
  return n;
}

/** The flags of every command that runs queries (mq run, mq notebook run): where, with what, how long. */
export const CONNECTION_FLAGS = {
  'base-url': { type: 'string' },
  'api-key': { type: 'string' },
  'auth-scheme': { type: 'string' },
  relay: { type: 'string' },
  'relay-token': { type: 'string' },
  timeout: { type: 'string' },
  now: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const RUN_FLAGS = {
  query: { type: 'string' },
  all: { type: 'boolean' },
  'fail-if-rows': { type: 'boolean' },
  format: { type: 'string' },
  'callback-url': { type: 'string' },
  listen: { type: 'string' },
  ...CONNECTION_FLAGS,
} as const;

type RunFlags = ReturnType<typeof parse<typeof RUN_FLAGS>>['values'];
type ConnectionFlags = ReturnType<typeof parse<typeof CONNECTION_FLAGS>>['values'] & { 'callback-url'?: string; listen?: string };

/** The connection part of the flags: base URL, key, scheme, callback, timeout. */
export function connectionOptions(values: ConnectionFlags, io: CliIO, now: Date): { opts: RunOptions; connection: string } {
  const scheme = (values['auth-scheme'] ?? 'App') as AuthScheme;
  if (!['App', 'Basic', 'Bearer', 'IBSSO'].includes(scheme)) throw new UsageError(`--auth-scheme must be App, Basic, Bearer or IBSSO, got "${String(values['auth-scheme'])}".`);
  const timeoutS = positiveNumber('--timeout', values.timeout);
  const baseUrl = values['base-url'] ?? io.env.INFOBIP_BASE_URL ?? undefined;
  if (baseUrl !== undefined && (!URL.canParse(baseUrl) || !/^https?:$/i.test(new URL(baseUrl).protocol))) {
    throw new UsageError(`the base URL must be an http(s) URL such as https://xxxxx.api.infobip.com, got "${baseUrl}"${values['base-url'] === undefined ? ' (from INFOBIP_BASE_URL)' : ''}.`);
  }
  const apiKey = values['api-key'] ?? io.env.INFOBIP_API_KEY ?? undefined;
  if (!!baseUrl !== !!apiKey) {
    throw new UsageError(baseUrl ? 'A base URL is set but no API key: pass --api-key or set INFOBIP_API_KEY.' : 'An API key is set but no base URL: pass --base-url or set INFOBIP_BASE_URL.');
  }
  const relayUrl = values.relay;
  const relayToken = values['relay-token'] ?? io.env.MQ_RELAY_TOKEN;
  if (relayUrl && !relayToken) throw new UsageError('--relay needs --relay-token (or MQ_RELAY_TOKEN).');
  if (relayUrl && (values['callback-url'] || values.listen)) throw new UsageError('--relay cannot be combined with --callback-url or --listen.');
  const listen = values.listen ? parseListen(values.listen) : undefined;
  if (values['callback-url'] && !/^https?:\/\//i.test(values['callback-url'])) throw new UsageError('--callback-url must be an http(s) URL.');
  const opts: RunOptions = { authScheme: scheme, now: () => now };
  if (timeoutS !== undefined) opts.timeoutMs = timeoutS * 1000;
  if (baseUrl && apiKey) {
    opts.baseUrl = baseUrl;
    opts.apiKey = apiKey;
  }
  if (relayUrl) opts.callback = { relay: { url: relayUrl, token: relayToken! } };
  else if (listen || values['callback-url']) {
    opts.callback = {};
    if (listen) {
      opts.callback.listenHost = listen.host;
      opts.callback.listenPort = listen.port;
    }
    if (values['callback-url']) opts.callback.publicBaseUrl = values['callback-url'];
  }
  if (io.signal) opts.signal = io.signal;
  return { opts, connection: baseUrl ? baseUrl : 'Sample data' };
}

/** Which queries of the document to run, from --query / --all. */
function chooseQueries(values: RunFlags, file: string, doc: MqDocument, format: string, io: CliIO): number[] {
  const n = positiveNumber('--query', values.query, { integer: true });
  if (values.all && n !== undefined) throw new UsageError('--all and --query cannot be combined: --all runs every query.');
  if (values.all && format === 'csv') throw new UsageError('--all cannot be used with --format csv (one CSV holds one table): use --format json, or --query N.');
  const index = (n ?? 1) - 1;
  if (index >= doc.queries.length) throw new UsageError(`--query ${n} is out of range: ${file} has ${doc.queries.length} quer${doc.queries.length === 1 ? 'y' : 'ies'}.`);
  if (!values.all && n === undefined && doc.queries.length > 1) io.stderr(`mq run: ${file} has ${doc.queries.length} queries; running query 1 (choose another with --query N, or --all).\n`);
  return values.all ? doc.queries.map((_q, i) => i) : [index];
}

/** Reads the flags and the file; a number is an exit code (help, unreadable file, no query). */
async function readRunSettings(argv: string[], io: CliIO, mq: Mq): Promise<RunSettings | number> {
  const { values, positionals } = parse(argv, RUN_FLAGS);
  if (values.help) {
    io.stdout(RUN_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(positionals.length ? `mq run takes one FILE, got ${positionals.length}.` : 'mq run needs a FILE (an .mq file).');
  const format = values.format ?? 'table';
  if (format !== 'table' && format !== 'csv' && format !== 'json') throw new UsageError(`--format must be table, csv or json, got "${format}".`);
  const now = parseNow(values.now);
  const { opts, connection } = connectionOptions(values, io, now);
  const file = positionals[0]!;
  const src = await readSource(file, io.cwd);
  if (!src.ok) {
    io.stderr(`mq run: ${src.message}\n`);
    return 2;
  }
  const doc = mq.parse(src.text);
  if (doc.queries.length === 0) {
    io.stderr(`mq run: ${file} has no query (a query starts with SELECT).\n`);
    return 1;
  }
  const indices = chooseQueries(values, file, doc, format, io);
  const elsewhere = mq.errorsElsewhere(doc, indices);
  if (elsewhere.length) {
    io.stderr(`mq run: ${file}: text outside any query was ignored:\n`);
    for (const d of elsewhere) io.stderr(diagnosticLine(file, d) + '\n');
  }
  if (!opts.baseUrl) io.stderr('mq: no INFOBIP_BASE_URL / INFOBIP_API_KEY set: running on built-in sample data (synthetic, not your account).\n');
  const secrets = secretsOf(argv, io.env);
  const history = cliHistory(io.env);
  return { mq, file, text: src.text, doc, format, all: !!values.all, failIfRows: !!values['fail-if-rows'], indices, now, opts, connection, secrets, io, ...(history ? { history } : {}) };
}

/**
 * Errors of one query that need not stop `mq run --all`: the API refused this query (400), or it was
 * accepted and then took too long. A timeout before the API accepted anything (a host that does not answer)
 * would cost every later query the same wait, so it stops the run.
 */
function perQueryError(e: RunError): boolean {
  return e.kind === 'invalidRequest' || (e.kind === 'timeout' && e.details.requestId !== undefined);
}

async function runAll(s: RunSettings): Promise<number> {
  // A query with errors, a FAILED request, or an error that belongs to one query (the API refused it, it
  // timed out) does not stop the others. An error that would fail every later query the same way
  // (credentials, scope, network, base URL, throttling, callback, cancel) stops the run.
  const { io, format, indices } = s;
  const records: QueryOutcome[] = [];
  let failed = 0;
  let withRows = 0;
  for (const i of indices) {
    try {
      const { ok, record, rows } = await runOne(s, i);
      records.push(record);
      if (!ok) failed++;
      if (rows > 0) withRows++;
    } catch (e) {
      if (e instanceof RunError && perQueryError(e)) {
        io.stderr(`mq: query ${i + 1}: error (${e.kind}): ${withRemedy(e.message, e.remedy, e.details.requestId)}\n`);
        if (format === 'table') io.stdout(`(error: ${e.kind})\n`);
        const line = s.doc.queries[i]!.range.start.line + 1;
        records.push({ query: i + 1, line, status: 'ERROR', kind: e.kind, message: e.message, ...(e.details.requestId ? { requestId: e.details.requestId } : {}) });
        failed++;
        continue;
      }
      if (format === 'json') io.stdout(formatJsonList(records));
      if (e instanceof RunError && indices.length - i > 1) io.stderr(`mq: stopped at query ${i + 1} of ${indices.length}; the rest were not run.\n`);
      throw e;
    }
  }
  if (format === 'json') io.stdout(formatJsonList(records));
  io.stderr(`mq: ran ${indices.length} quer${indices.length === 1 ? 'y' : 'ies'}: ${indices.length - failed} succeeded, ${failed} did not.\n`);
  if (failed) return 1;
  return rowsExit(s, withRows);
}

/** Exit code of a run in which nothing failed: 3 with --fail-if-rows when some query returned rows. */
function rowsExit(s: RunSettings, queriesWithRows: number): number {
  if (!s.failIfRows || queriesWithRows === 0) return 0;
  s.io.stderr(`mq: ${queriesWithRows} quer${queriesWithRows === 1 ? 'y' : 'ies'} returned rows (--fail-if-rows): exit code 3.\n`);
  return 3;
}

/** Prints an error as the CLI words it; returns the exit code. */
export function reportError(e: unknown, io: CliIO, command: string): number {
  if (e instanceof UsageError) {
    io.stderr(`mq ${command}: ${e.message}\nRun \`mq ${command} --help\` for usage.\n`);
    return 2;
  }
  if (e instanceof RunError) {
    io.stderr(`mq: ${e.kind === 'cancelled' ? 'cancelled' : `error (${e.kind})`}: ${withRemedy(e.message, e.remedy, e.details.requestId)}\n`);
    return 1;
  }
  io.stderr(`mq: unexpected error: ${e instanceof Error ? e.message : String(e)}\n`);
  return 1;
}

export async function runCli(argv: string[], rawIo: CliIO, mq: Mq): Promise<number> {
  const io = redactedIO(rawIo, secretsOf(argv, rawIo.env));
  try {
    const s = await readRunSettings(argv, io, mq);
    if (typeof s === 'number') return s;
    if (s.all) return await runAll(s);
    const { ok, rows } = await runOne(s, s.indices[0]!);
    return ok ? rowsExit(s, rows > 0 ? 1 : 0) : 1;
  } catch (e) {
    return reportError(e, io, 'run');
  }
}
