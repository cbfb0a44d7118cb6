// `mq relay`: runs the durable relay (server/src/run/relay/) for machines that cannot receive the Metrics
// API's callback. Logs go to stderr as one JSON object per line, never with a token or a result body.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { hashToken, MIN_RELAY_TOKEN_LENGTH, startRelay, type RelayOptions } from '../run/relay/index.js';
import { redact } from '../run/errors.js';
import { untilStopped, type CliIO } from './io.js';
import { parse, UsageError } from './usage.js';

export const RELAY_HELP = `Usage: mq relay --token T [options]
       mq relay --tokens-file FILE [options]

Runs a relay for machines that cannot receive the Metrics API's callback. Run it on a public host behind
HTTPS; Infobip POSTs results to it and \`mq run --relay URL --relay-token T\` fetches them. A result is
answered 2xx only once it is on disk, and kept until its client fetched and acknowledged it.

Options:
  --token T              accepted token, at least ${MIN_RELAY_TOKEN_LENGTH} characters (repeatable; env MQ_RELAY_TOKEN)
  --tokens-file FILE     one "NAME SHA256-OF-TOKEN" per line; re-read when it changes and on SIGHUP
  --hash-token [NAME]    print the tokens-file line for each --token / MQ_RELAY_TOKEN, then exit
  --store PATH           the SQLite store (env MQ_RELAY_STORE; default $XDG_STATE_HOME/mq/relay.sqlite,
                         else ~/.local/state/mq/relay.sqlite)
  --port P               port to listen on (default 8787)
  --host H               address to bind (default 0.0.0.0)
  --retention-days N     how long an unacknowledged result is kept (default 7)
  --max-body-mb N        largest accepted result (default 32)
  --max-store-mb N       largest total of stored results (default 1024)
  --token-quota-mb N     largest total of stored results per token (default a quarter of --max-store-mb)
  --token-max-results N  most stored results per token (default 10000)
  --rate N               client requests per second per token (default 20, bursts of 3x)
  --trust-proxy          take the client address from X-Forwarded-For (only behind your own proxy)
  -h, --help             show this help
`;

const OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  token: { type: 'string', multiple: true },
  'tokens-file': { type: 'string' },
  'hash-token': { type: 'boolean' },
  store: { type: 'string' },
  'retention-days': { type: 'string' },
  ttl: { type: 'string' },
  'max-body-mb': { type: 'string' },
  'max-store-mb': { type: 'string' },
  'token-quota-mb': { type: 'string' },
  'token-max-results': { type: 'string' },
  rate: { type: 'string' },
  'trust-proxy': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Where the store lives when --store is not given. */
export function defaultStorePath(env: Record<string, string | undefined>): string {
  if (env.MQ_RELAY_STORE) return env.MQ_RELAY_STORE;
  const state = env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state');
  return join(state, 'mq', 'relay.sqlite');
}

function number(name: string, v: string | undefined, opts: { integer?: boolean; allowZero?: boolean; max?: number } = {}): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || (!opts.allowZero && n === 0) || (opts.integer && !Number.isInteger(n)) || (opts.max !== undefined && n > opts.max)) {
    throw new UsageError(`${name} expects a ${opts.integer ? 'whole ' : ''}number${opts.allowZero ? '' : ' above 0'}${opts.max !== undefined ? ` up to ${opts.max}` : ''}, got "${v}".`);
  }
  return n;
}

type Values = ReturnType<typeof parse<typeof OPTIONS>>['values'];

/** The relay's options from the command line (everything except the process wiring). */
export function relayOptions(values: Values, io: CliIO, tokens: string[]): RelayOptions {
  const mb = (name: keyof Values & string) => {
    const n = number(`--${name}`, values[name] as string | undefined);
    return n === undefined ? undefined : Math.round(n * 1024 * 1024);
  };
  const days = number('--retention-days', values['retention-days']);
  const ttl = number('--ttl', values.ttl);
  const opts: RelayOptions = {
    port: number('--port', values.port, { integer: true, allowZero: true, max: 65535 }) ?? 8787,
    host: values.host ?? '0.0.0.0',
    store: resolve(io.cwd, values.store ?? defaultStorePath(io.env)),
    tokens,
    retentionMs: days !== undefined ? days * 86_400_000 : ttl !== undefined ? ttl * 1000 : 7 * 86_400_000,
    trustProxy: values['trust-proxy'] === true,
    log: (e) => io.stderr(JSON.stringify(e) + '\n'),
  };
  const maybe = { maxBodyBytes: mb('max-body-mb'), maxStoredBytes: mb('max-store-mb'), maxTokenBytes: mb('token-quota-mb') };
  for (const [k, v] of Object.entries(maybe)) if (v !== undefined) (opts as unknown as Record<string, number>)[k] = v;
  const maxResults = number('--token-max-results', values['token-max-results'], { integer: true });
  if (maxResults !== undefined) opts.maxTokenResults = maxResults;
  const rate = number('--rate', values.rate);
  if (rate !== undefined) opts.ratePerSecond = rate;
  if (values['tokens-file']) opts.tokensFile = resolve(io.cwd, values['tokens-file']);
  return opts;
}

export async function relayCli(argv: string[], io: CliIO): Promise<number> {
  let tokens: string[] = [];
  try {
    const { values, positionals } = parse(argv, OPTIONS);
    if (values.help) {
      io.stdout(RELAY_HELP);
      return 0;
    }
    tokens = [...(values.token ?? []), ...(io.env.MQ_RELAY_TOKEN ? [io.env.MQ_RELAY_TOKEN] : [])];
    const short = tokens.find((t) => t.length < MIN_RELAY_TOKEN_LENGTH);
    if (short !== undefined) throw new UsageError(`Relay tokens must be at least ${MIN_RELAY_TOKEN_LENGTH} characters long.`);
    if (values['hash-token']) return printHashes(tokens, positionals, io);
    if (positionals.length) throw new UsageError(`mq relay takes no file or other argument, got "${positionals[0]}".`);
    if (!tokens.length && !values['tokens-file']) throw new UsageError('mq relay needs --token T (or MQ_RELAY_TOKEN) or --tokens-file FILE.');
    return await serve(relayOptions(values, io, tokens), io);
  } catch (e) {
    const msg = redact(e instanceof Error ? e.message : String(e), tokens);
    const usage = e instanceof UsageError;
    io.stderr(`mq relay: ${msg}\n${usage ? 'Run `mq relay --help` for usage.\n' : ''}`);
    return usage ? 2 : 1;
  }
}

function printHashes(tokens: string[], names: string[], io: CliIO): number {
  if (!tokens.length) throw new UsageError('--hash-token needs the token in --token T or MQ_RELAY_TOKEN.');
  tokens.forEach((t, i) => io.stdout(`${names[i] ?? `user${i + 1}`} ${hashToken(t)}\n`));
  return 0;
}

async function serve(opts: RelayOptions, io: CliIO): Promise<number> {
  const relay = await startRelay(opts);
  const onHup = () => relay.reloadTokens();
  process.on('SIGHUP', onHup);
  try {
    await untilStopped(io.signal);
  } finally {
    process.off('SIGHUP', onHup);
    await relay.close();
  }
  return 0;
}

