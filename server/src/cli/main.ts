// The `mq` command line: check, compile and fmt work on .mq files; run, stand-in and relay are the run
// engine's commands (cli/run.ts, cli/relay.ts). Bundled to dist/cli.js. `main` is exported so that tests can call it
// in-process; it only runs by itself when this file is the program.
import packageJson from '../../../package.json' with { type: 'json' };
import { catalog } from '../core/catalog/data.js';
import { createMq, type Mq } from '../core/index.js';
import { checkCommand, CHECK_HELP } from './check.js';
import { compileCommand, COMPILE_HELP } from './compile.js';
import { fmtCommand, FMT_HELP } from './fmt.js';
import { redactedIO, secretsOf, type CliIO } from './io.js';
import { runCli, standInCli } from './run.js';
import { relayCli } from './relay.js';
import { pendingCli } from './pending.js';
import { fetchCli } from './fetch.js';
import { notebookCli, NOTEBOOK_HELP } from './notebook.js';
import { UsageError } from './usage.js';
import { redact } from '../run/redact.js';

export type { CliIO } from './io.js';

export const VERSION: string = typeof packageJson.version === 'string' ? packageJson.version : 'unknown';

export const MAIN_HELP = `mq ${VERSION}: queries for Infobip's Metrics API (SELECT metrics BY dimensions WHERE filters)

Usage: mq <command> [options] [FILE...]

Commands:
  check     report problems in .mq files                 mq check examples/*.mq
  compile   print a query's request body as JSON         mq compile examples/sms-delivery.mq --query 2
  fmt       format .mq files in the canonical layout     mq fmt --write examples/*.mq
  run       run a query and print the result             mq run examples/sms-delivery.mq
  pending   list runs that have no result yet            mq pending
  fetch     get a run's result by request id             mq fetch REQUEST_ID
  stand-in  start a local stand-in for the Metrics API   mq stand-in --port 8080
  relay     receive results for machines without a public callback URL
  notebook  run an .mqnb notebook, export it as HTML   mq notebook run report.mqnb --html report.html

Options:
  -h, --help      show this help (mq <command> --help for a command's options)
  -v, --version   print the version

Exit codes: 0 success, 1 problems found (query errors, unformatted files, failed runs), 2 usage or I/O error.
`;

type Command = (argv: string[], io: CliIO, mq: Mq) => Promise<number>;

const COMMANDS: Record<string, { run: Command; help?: string }> = {
  check: { run: checkCommand, help: CHECK_HELP },
  compile: { run: compileCommand, help: COMPILE_HELP },
  fmt: { run: fmtCommand, help: FMT_HELP },
  run: { run: runCli },
  pending: { run: pendingCli },
  fetch: { run: fetchCli },
  'stand-in': { run: standInCli },
  relay: { run: relayCli },
  notebook: { run: notebookCli, help: NOTEBOOK_HELP },
};

/** Runs the mq command line; returns the exit code. Never throws. Everything it prints is redacted. */
export async function main(argv: string[], rawIo: CliIO): Promise<number> {
  const io = redactedIO(rawIo, secretsOf(argv, rawIo.env));
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    if (first === 'help' && rest[0] !== undefined) return main([rest[0], '--help'], io);
    io.stdout(MAIN_HELP);
    return first === undefined ? 2 : 0;
  }
  if (first === '-v' || first === '--version' || first === 'version') {
    io.stdout(VERSION + '\n');
    return 0;
  }
  const command = Object.prototype.hasOwnProperty.call(COMMANDS, first) ? COMMANDS[first] : undefined;
  if (!command) {
    const hint = first.startsWith('-') ? `unknown option "${first}"` : `unknown command "${first}"`;
    io.stderr(`mq: ${hint}. Commands: ${Object.keys(COMMANDS).join(', ')}. Run mq --help for usage.\n`);
    return 2;
  }
  try {
    return await command.run(rest, io, createMq({ catalog }));
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`mq ${first}: ${e.message}\nRun mq ${first} --help for usage.\n`);
      return 2;
    }
    const message = e instanceof Error ? e.message : String(e);
    io.stderr(`mq ${first}: unexpected error: ${message}\n`);
    return 2;
  }
}

/** The real process as a CliIO; long-running commands stop on the first Ctrl+C, a second one exits. */
function processIO(longRunning: boolean): { io: CliIO; dispose: () => void } {
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (): void => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    controller.abort();
  };
  if (longRunning) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  const io: CliIO = {
    stdout: (s) => void process.stdout.write(s),
    stderr: (s) => void process.stderr.write(s),
    env: process.env,
    cwd: process.cwd(),
    ...(longRunning ? { signal: controller.signal } : {}),
  };
  const dispose = (): void => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  return { io, dispose };
}

function runAsProgram(): void {
  // `mq check ... | head` closes the pipe early: stop quietly instead of printing EPIPE.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  const argv = process.argv.slice(2);
  const longRunning = argv[0] === 'run' || argv[0] === 'notebook' || argv[0] === 'stand-in' || argv[0] === 'relay' || argv[0] === 'fetch';
  const { io, dispose } = processIO(longRunning);
  main(argv, io).then(
    (code) => {
      dispose();
      process.exitCode = code;
    },
    (e: unknown) => {
      dispose();
      process.stderr.write(redact(`mq: unexpected error: ${e instanceof Error ? e.message : String(e)}\n`, secretsOf(argv, process.env)));
      process.exitCode = 2;
    },
  );
}

if (typeof require !== 'undefined' && typeof module !== 'undefined' && require.main === module) runAsProgram();
