// `mq run` and `mq stand-in`: the command-line faces of the run engine. `mq run` itself is in runQuery.ts and
// runOne.ts; `mq relay` is cli/relay.ts.
import { startStandIn } from '../run/standin/server.js';
import { untilStopped, type CliIO } from './io.js';
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
