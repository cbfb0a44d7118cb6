// `mq run`, `mq stand-in` and `mq relay`: the command-line faces of the run engine. `mq run` itself is in
// runQuery.ts and runOne.ts.
import { redact } from '../run/engine.js';
import { startStandIn } from '../run/standin/server.js';
import { startRelay, MIN_RELAY_TOKEN_LENGTH } from '../run/relay.js';
import type { CliIO } from './io.js';
import { parse, UsageError } from './usage.js';
import { positiveNumber } from './runQuery.js';

export { runCli } from './runQuery.js';
export type { CliIO } from './io.js';

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
