// What a CLI subcommand gets from the entry point: output streams, environment, working directory and
// an optional signal that ends long-running commands (stand-in, relay) and cancels runs.
import { redact, urlSecrets } from '../run/redact.js';

export interface CliIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: Record<string, string | undefined>;
  cwd: string;
  signal?: AbortSignal;
}

/** Flags whose value is a secret. */
const SECRET_FLAGS = new Set(['--api-key', '--relay-token', '--token']);
/** Environment variables whose value is a secret. */
const SECRET_ENV = ['INFOBIP_API_KEY', 'MQ_RELAY_TOKEN', 'MQ_STANDIN_API_KEY'];

/** Every secret the command line and the environment hold: key and token values, and URL credentials. */
export function secretsOf(argv: readonly string[], env: Record<string, string | undefined>): string[] {
  const out: string[] = [];
  for (const name of SECRET_ENV) if (env[name]) out.push(env[name]);
  for (const name of ['INFOBIP_BASE_URL']) out.push(...urlSecrets(env[name]));
  argv.forEach((arg, i) => {
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (SECRET_FLAGS.has(flag)) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[i + 1];
      if (value) out.push(value);
    }
    out.push(...urlSecrets(eq > 0 ? arg.slice(eq + 1) : arg));
  });
  return out;
}

/** The same io, with everything written to stdout and stderr passed through the one redaction. */
export function redactedIO(io: CliIO, secrets: readonly string[]): CliIO {
  return { ...io, stdout: (s) => io.stdout(redact(s, secrets)), stderr: (s) => io.stderr(redact(s, secrets)) };
}

/** Waits until the signal aborts, or SIGINT/SIGTERM when there is no signal. */
export function untilStopped(signal?: AbortSignal): Promise<void> {
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
