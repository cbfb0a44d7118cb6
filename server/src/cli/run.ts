// `mq run`, `mq stand-in` and `mq relay`: the command-line faces of the run engine.
// Data goes to stdout, progress and problems to stderr. Exit codes: 0 ok, 1 query/API failure, 2 usage.
import type { Mq } from '../core/index.js';
import { runRequest, RunError, redact, type AuthScheme, type RunOptions } from '../run/engine.js';
import { applyOrderAndLimit, formatCsv, formatJson, formatJsonList, formatTable, type OrderSpec, type QueryOutcome } from '../run/results.js';
import { startStandIn } from '../run/standin/server.js';
import { startRelay, MIN_RELAY_TOKEN_LENGTH } from '../run/relay.js';
import type { CliIO } from './io.js';
import { readSource } from './files.js';
import { diagnosticLine } from './format.js';
import { parse, parseNow, UsageError } from './usage.js';

export type { CliIO } from './io.js';

const RUN_HELP = `Usage: mq run FILE [options]

Runs a query of an .mq file against the Infobip Metrics API and prints the result.
Without a base URL and API key it runs on built-in sample data (synthetic traffic).

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
  -h, --help             show this help

Exit codes: 0 success, 1 query or API failure, 2 usage error.
`;

const STANDIN_HELP = `Usage: mq stand-in [options]

Starts a local stand-in for the Infobip Metrics API (the two endpoints and the result callback), answering
from a deterministic synthetic dataset that covers the last 92 days. Point mq run at it with
  mq run FILE --base-url http://127.0.0.1:PORT --api-key KEY

Options:
  --port P           port to listen on (default 8080; 0 = any free port)
  --host H           address to bind (default 127.0.0.1)
  --api-key K        only accept this key (env MQ_STANDIN_API_KEY); without it any credential is accepted
  --latency-ms N     processing time of a query before its result is sent (default 500)
  --fail RATE        fraction 0..1 of queries that end FAILED (default 0)
  --throttle RPS     answer 429 above this many requests per second (default: no limit)
  --seed N           dataset seed (default 1)
  -h, --help         show this help
`;

const RELAY_HELP = `Usage: mq relay --token T [options]

Runs a relay for machines that cannot receive the Metrics API's callback. Run it on a public host behind
HTTPS; Infobip POSTs results to it and \`mq run --relay URL --relay-token T\` fetches them.

Options:
  --token T          accepted token, at least ${MIN_RELAY_TOKEN_LENGTH} characters (repeatable; env MQ_RELAY_TOKEN)
  --port P           port to listen on (default 8787)
  --host H           address to bind (default 0.0.0.0)
  --ttl SECONDS      how long an unfetched result is kept (default 900)
  --max-body-mb N    largest accepted result (default 32)
  -h, --help         show this help
`;


function parseListen(v: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(v) ?? (/^(\d{1,5})$/.exec(v) ? [v, undefined, '127.0.0.1', v] : null);
  if (!m) throw new UsageError(`--listen expects HOST:PORT (for example 127.0.0.1:8123), got "${v}".`);
  const port = Number(m[3]);
  if (port > 65535) throw new UsageError(`--listen port ${port} is out of range.`);
  return { host: m[1] ?? m[2]!, port };
}

function positiveNumber(name: string, v: string | undefined, opts: { integer?: boolean; allowZero?: boolean; max?: number } = {}): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || (!opts.allowZero && n === 0) || (opts.integer && !Number.isInteger(n)) || (opts.max !== undefined && n > opts.max)) {
    throw new UsageError(`${name} expects a ${opts.integer ? 'whole ' : ''}number${opts.allowZero ? '' : ' above 0'}${opts.max !== undefined ? ` up to ${opts.max}` : ''}, got "${v}".`);
  }
  return n;
}

/** Waits until the signal aborts, or SIGINT/SIGTERM when there is no signal. */
function untilStopped(signal?: AbortSignal): Promise<void> {
  return new Promise((resolveStop) => {
    if (signal) {
      if (signal.aborted) return resolveStop();
      signal.addEventListener('abort', () => resolveStop(), { once: true });
      return;
    }
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolveStop();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/**
 * Errors of one query that need not stop `mq run --all`: the API refused this query (400), or it was
 * accepted and then took too long. A timeout before the API accepted anything (a host that does not answer)
 * would cost every later query the same wait, so it stops the run.
 */
function perQueryError(e: RunError): boolean {
  return e.kind === 'invalidRequest' || (e.kind === 'timeout' && e.details.requestId !== undefined);
}

export async function runCli(argv: string[], io: CliIO, mq: Mq): Promise<number> {
  let secrets: (string | undefined)[] = [io.env.INFOBIP_API_KEY, io.env.MQ_RELAY_TOKEN];
  try {
    const { values, positionals } = parse(argv, {
        query: { type: 'string' },
        all: { type: 'boolean' },
        format: { type: 'string' },
        'base-url': { type: 'string' },
        'api-key': { type: 'string' },
        'auth-scheme': { type: 'string' },
        'callback-url': { type: 'string' },
        listen: { type: 'string' },
        relay: { type: 'string' },
        'relay-token': { type: 'string' },
        timeout: { type: 'string' },
        now: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      io.stdout(RUN_HELP);
      return 0;
    }
    secrets = [values['api-key'], values['relay-token'], ...secrets];
    if (positionals.length !== 1) throw new UsageError(positionals.length ? `mq run takes one FILE, got ${positionals.length}.` : 'mq run needs a FILE (an .mq file).');
    const format = values.format ?? 'table';
    if (!['table', 'csv', 'json'].includes(format)) throw new UsageError(`--format must be table, csv or json, got "${format}".`);
    const scheme = (values['auth-scheme'] ?? 'App') as AuthScheme;
    if (!['App', 'Basic', 'Bearer', 'IBSSO'].includes(scheme)) throw new UsageError(`--auth-scheme must be App, Basic, Bearer or IBSSO, got "${String(values['auth-scheme'])}".`);
    const timeoutS = positiveNumber('--timeout', values.timeout);
    const now = parseNow(values.now);
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

    const file = positionals[0]!;
    const src = await readSource(file, io.cwd);
    if (!src.ok) {
      io.stderr(`mq run: ${src.message}\n`);
      return 2;
    }
    const text = src.text;
    const doc = mq.parse(text);
    if (doc.queries.length === 0) {
      io.stderr(`mq run: ${file} has no query (a query starts with SELECT).\n`);
      return 1;
    }
    const n = positiveNumber('--query', values.query, { integer: true });
    if (values.all && n !== undefined) throw new UsageError('--all and --query cannot be combined: --all runs every query.');
    if (values.all && format === 'csv') throw new UsageError('--all cannot be used with --format csv (one CSV holds one table): use --format json, or --query N.');
    const index = (n ?? 1) - 1;
    if (index >= doc.queries.length) throw new UsageError(`--query ${n} is out of range: ${file} has ${doc.queries.length} quer${doc.queries.length === 1 ? 'y' : 'ies'}.`);
    if (!values.all && n === undefined && doc.queries.length > 1) io.stderr(`mq run: ${file} has ${doc.queries.length} queries; running query 1 (choose another with --query N, or --all).\n`);
    const indices = values.all ? doc.queries.map((_q, i) => i) : [index];
    const elsewhere = mq.errorsElsewhere(doc, indices);
    if (elsewhere.length) {
      io.stderr(`mq run: ${file}: text outside any query was ignored:\n`);
      for (const d of elsewhere) io.stderr(diagnosticLine(file, d) + '\n');
    }

    const opts: RunOptions = { authScheme: scheme, now: () => now };
    if (timeoutS !== undefined) opts.timeoutMs = timeoutS * 1000;
    if (baseUrl && apiKey) {
      opts.baseUrl = baseUrl;
      opts.apiKey = apiKey;
    } else {
      io.stderr('mq: no INFOBIP_BASE_URL / INFOBIP_API_KEY set: running on built-in sample data (synthetic, not your account).\n');
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
    let lastStatus = '';
    opts.onProgress = (phase, info) => {
      if (info?.warning) io.stderr(`mq: warning: ${info.warning}\n`);
      if (info?.retry) io.stderr(`mq: ${info.retry.reason}; retrying in ${(info.retry.waitMs / 1000).toFixed(1)} s\n`);
      if (phase === 'submitted') io.stderr(`mq: submitted request ${info?.requestId}; waiting for the result\n`);
      if (phase === 'waiting' && info?.status && info.status !== lastStatus && info.status !== 'IN_PROGRESS') io.stderr(`mq: status ${info.status}\n`);
      if (info?.status) lastStatus = info.status;
    };

    // One query: diagnostics, compile, run, print. Returns its JSON record (for --all) and whether it succeeded.
    const runOne = async (i: number): Promise<{ ok: boolean; record: QueryOutcome }> => {
      const query = doc.queries[i]!;
      const line = query.range.start.line + 1;
      const base = { query: i + 1, line };
      if (values.all && format === 'table') io.stdout(`${i > 0 ? '\n' : ''}-- query ${i + 1} (line ${line})\n`);
      const diagnostics = mq.analyseQuery(query, { now }).diagnostics;
      for (const d of diagnostics) io.stderr(diagnosticLine(file, d) + '\n');
      const compiled = mq.compileRequest(query, { now });
      const after = mq.errorsAfterQuery(doc, i);
      for (const d of after) io.stderr(diagnosticLine(file, d) + '\n');
      if (!compiled.ok || after.length) {
        const errors = [...(compiled.ok ? [] : compiled.diagnostics), ...after];
        if (!compiled.ok) for (const d of compiled.diagnostics) if (!diagnostics.includes(d) && !diagnostics.some((x) => x.code === d.code && x.start === d.start)) io.stderr(diagnosticLine(file, d) + '\n');
        io.stderr(`mq: query ${i + 1} has errors and was not run.${after.length ? ' Text after its end is not part of it: remove a stray ";" or the text.' : ''}\n`);
        if (values.all && format === 'table') io.stdout('(not run: the query has errors)\n');
        return { ok: false, record: { ...base, status: 'NOT_RUN', errors: errors.filter((d) => d.severity === 'error').map((d) => `[${d.code}] ${d.message}`) } };
      }
      lastStatus = '';
      const outcome = await runRequest(compiled.request, opts);
      if (outcome.status !== 'SUCCESS' || !outcome.response) {
        io.stderr(`mq: request ${outcome.requestId} FAILED: ${redact(outcome.failureMessage ?? 'no reason given', secrets)}\n`);
        if (values.all && format === 'table') io.stdout(`(request ${outcome.requestId} FAILED)\n`);
        return { ok: false, record: { ...base, requestId: outcome.requestId, status: 'FAILED', source: outcome.source, ...(outcome.failureMessage ? { failureMessage: redact(outcome.failureMessage, secrets) } : {}) } };
      }
      const orderBy: OrderSpec[] = (query.orderBy?.items ?? []).map((it) => ({ column: it.column.upper, direction: it.direction }));
      const limitText = query.limit?.value?.text;
      const limit = limitText !== undefined ? Number(limitText) : undefined;
      const response = applyOrderAndLimit(outcome.response, orderBy, limit);
      if (format === 'csv') io.stdout(formatCsv(response));
      else if (format === 'table') io.stdout(formatTable(response));
      const p = response.requestedPeriod;
      io.stderr(`mq: ${values.all ? `query ${i + 1}: ` : ''}${response.rows.length} row${response.rows.length === 1 ? '' : 's'}${outcome.response.rows.length !== response.rows.length ? ` (of ${outcome.response.rows.length})` : ''}, period ${p.sentSince} – ${p.sentUntil}, ${outcome.source === 'sample' ? 'sample data' : 'live'}, ${outcome.timings.elapsedMs} ms\n`);
      return { ok: true, record: { ...base, requestId: outcome.requestId, status: outcome.status, source: outcome.source, response } };
    };

    if (!values.all) {
      const { ok, record } = await runOne(index);
      if (format === 'json' && record.status !== 'NOT_RUN' && record.status !== 'ERROR') io.stdout(formatJson(record));
      return ok ? 0 : 1;
    }
    // --all: a query with errors, a FAILED request, or an error that belongs to one query (the API refused
    // it, it timed out) does not stop the others. An error that would fail every later query the same way
    // (credentials, scope, network, base URL, throttling, callback, cancel) stops the run.
    const records: QueryOutcome[] = [];
    let failed = 0;
    for (const i of indices) {
      try {
        const { ok, record } = await runOne(i);
        records.push(record);
        if (!ok) failed++;
      } catch (e) {
        if (e instanceof RunError && perQueryError(e)) {
          io.stderr(`mq: query ${i + 1}: error (${e.kind}): ${redact(e.message, secrets)}\n`);
          if (format === 'table') io.stdout(`(error: ${e.kind})\n`);
          const line = doc.queries[i]!.range.start.line + 1;
          records.push({ query: i + 1, line, status: 'ERROR', kind: e.kind, message: redact(e.message, secrets), ...(e.details.requestId ? { requestId: e.details.requestId } : {}) });
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
    return failed ? 1 : 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`mq run: ${redact(e.message, secrets)}\nRun \`mq run --help\` for usage.\n`);
      return 2;
    }
    if (e instanceof RunError) {
      io.stderr(`mq: ${e.kind === 'cancelled' ? 'cancelled' : `error (${e.kind})`}: ${redact(e.message, secrets)}\n`);
      return 1;
    }
    io.stderr(`mq: unexpected error: ${redact(e instanceof Error ? e.message : String(e), secrets)}\n`);
    return 1;
  }
}

export async function standInCli(argv: string[], io: CliIO): Promise<number> {
  try {
    const { values, positionals } = parse(argv, {
        port: { type: 'string' },
        host: { type: 'string' },
        'api-key': { type: 'string' },
        'latency-ms': { type: 'string' },
        fail: { type: 'string' },
        throttle: { type: 'string' },
        seed: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      io.stdout(STANDIN_HELP);
      return 0;
    }
    if (positionals.length) throw new UsageError(`mq stand-in takes no file or other argument, got "${positionals[0]}".`);
    const port = positiveNumber('--port', values.port, { integer: true, allowZero: true, max: 65535 }) ?? 8080;
    const latencyMs = positiveNumber('--latency-ms', values['latency-ms'], { allowZero: true }) ?? 500;
    const failRate = positiveNumber('--fail', values.fail, { allowZero: true, max: 1 }) ?? 0;
    const throttleRps = positiveNumber('--throttle', values.throttle);
    const seed = positiveNumber('--seed', values.seed, { integer: true, allowZero: true }) ?? 1;
    const apiKey = values['api-key'] ?? io.env.MQ_STANDIN_API_KEY;
    const standIn = await startStandIn({
      port,
      host: values.host ?? '127.0.0.1',
      latencyMs,
      failRate,
      seed,
      ...(throttleRps !== undefined ? { throttleRps } : {}),
      ...(apiKey ? { apiKey } : {}),
    });
    io.stderr(`mq stand-in: Metrics API stand-in listening on ${standIn.url}\n`);
    io.stderr(apiKey ? 'mq stand-in: accepting only the configured API key\n' : 'mq stand-in: no --api-key given, accepting any credential\n');
    io.stderr(`mq stand-in: try  mq run FILE --base-url ${standIn.url} --api-key ${apiKey ? '<your key>' : 'anything'}\n`);
    await untilStopped(io.signal);
    await standIn.close();
    io.stderr('mq stand-in: stopped\n');
    return 0;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const usage = e instanceof UsageError;
    io.stderr(`mq stand-in: ${msg}\n${usage ? 'Run `mq stand-in --help` for usage.\n' : ''}`);
    return usage ? 2 : 1;
  }
}

export async function relayCli(argv: string[], io: CliIO): Promise<number> {
  let tokens: string[] = [];
  try {
    const { values, positionals } = parse(argv, {
        port: { type: 'string' },
        host: { type: 'string' },
        token: { type: 'string', multiple: true },
        ttl: { type: 'string' },
        'max-body-mb': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      io.stdout(RELAY_HELP);
      return 0;
    }
    if (positionals.length) throw new UsageError(`mq relay takes no file or other argument, got "${positionals[0]}".`);
    tokens = [...(values.token ?? []), ...(io.env.MQ_RELAY_TOKEN ? [io.env.MQ_RELAY_TOKEN] : [])];
    if (!tokens.length) throw new UsageError('mq relay needs --token T (or MQ_RELAY_TOKEN).');
    const short = tokens.find((t) => t.length < MIN_RELAY_TOKEN_LENGTH);
    if (short !== undefined) throw new UsageError(`Relay tokens must be at least ${MIN_RELAY_TOKEN_LENGTH} characters long.`);
    const port = positiveNumber('--port', values.port, { integer: true, allowZero: true, max: 65535 }) ?? 8787;
    const ttl = positiveNumber('--ttl', values.ttl) ?? 900;
    const maxMb = positiveNumber('--max-body-mb', values['max-body-mb']) ?? 32;
    const relay = await startRelay({ port, host: values.host ?? '0.0.0.0', tokens, ttlMs: ttl * 1000, maxBodyBytes: Math.round(maxMb * 1024 * 1024) });
    io.stderr(`mq relay: listening on ${relay.url} with ${tokens.length} token${tokens.length === 1 ? '' : 's'}; put HTTPS in front of it\n`);
    io.stderr('mq relay: clients use  mq run FILE --relay https://<this host> --relay-token <token>\n');
    await untilStopped(io.signal);
    await relay.close();
    io.stderr('mq relay: stopped\n');
    return 0;
  } catch (e) {
    const msg = redact(e instanceof Error ? e.message : String(e), tokens);
    const usage = e instanceof UsageError;
    io.stderr(`mq relay: ${msg}\n${usage ? 'Run `mq relay --help` for usage.\n' : ''}`);
    return usage ? 2 : 1;
  }
}
