// `mq notebook run` and `mq notebook export`: notebooks (.mqnb) on the command line, for scheduled reports.
// Runs every mq cell through the same engine as `mq run` and writes the outputs back (or to --out), and
// exports the notebook as a self-contained HTML report or as Markdown. A damaged notebook is never written.
import { rename, writeFile } from 'node:fs/promises';
import { readSource, resolvePath } from './files.js';
import type { CliIO } from './io.js';
import type { Mq } from '../core/index.js';
import { CONNECTION_FLAGS, connectionOptions } from './runQuery.js';
import { parse, parseNow, UsageError } from './usage.js';
import { redact } from '../run/engine.js';
import { NotebookFormatError, parseNotebook, serializeNotebook, type Notebook } from '../notebook/format.js';
import { runNotebook } from '../notebook/runner.js';
import { exportHtml, exportMarkdown } from '../notebook/export.js';

export const NOTEBOOK_HELP = `Usage: mq notebook run FILE.mqnb [options]
       mq notebook export FILE.mqnb (--html REPORT.html | --md REPORT.md)

run      runs every mq cell of the notebook, one query after another, and saves the outputs into the
         notebook (or into --out). Without a base URL and API key it runs on built-in sample data.
export   writes the stored outputs as a report, without running anything.

Options:
  --out FILE.mqnb        save the executed notebook here instead of over FILE (run only)
  --html FILE            also write a self-contained HTML report (tables and charts, no scripts)
  --md FILE              also write a Markdown report
  --base-url URL         your account's API base URL (env INFOBIP_BASE_URL)
  --api-key KEY          API key (env INFOBIP_API_KEY); never printed or saved
  --auth-scheme S        App (default), Basic, Bearer or IBSSO
  --relay URL            fetch results from an \`mq relay\` server (needs --relay-token or MQ_RELAY_TOKEN)
  --relay-token T        the relay's token; never printed or saved
  --timeout SECONDS      give up on a query after this long (default 300)
  --now ISO              the clock for relative times (now, today) and for the sample data
  -h, --help             show this help

Exit codes: 0 every cell ran, 1 a cell has errors or failed, 2 usage, I/O error or damaged notebook.
`;

const OPTIONS = {
  out: { type: 'string' },
  html: { type: 'string' },
  md: { type: 'string' },
  ...CONNECTION_FLAGS,
} as const;

type Values = ReturnType<typeof parse<typeof OPTIONS>>['values'];

/** Writes next to the target and renames, so a crash never leaves half a file. */
async function writeAtomically(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, text, 'utf8');
  await rename(tmp, path);
}

async function readNotebook(file: string, io: CliIO): Promise<Notebook | undefined> {
  const src = await readSource(file, io.cwd);
  if (!src.ok) {
    io.stderr(`mq notebook: ${src.message}\n`);
    return undefined;
  }
  try {
    return parseNotebook(src.text);
  } catch (e) {
    if (!(e instanceof NotebookFormatError)) throw e;
    io.stderr(`mq notebook: ${file}: ${e.message}\n`);
    return undefined;
  }
}

async function writeReports(nb: Notebook, values: Values, io: CliIO, file: string): Promise<void> {
  const title = file.replace(/^.*[\\/]/, '').replace(/\.mqnb$/i, '');
  if (values.html) {
    await writeAtomically(resolvePath(values.html, io.cwd), exportHtml(nb, { title }));
    io.stderr(`mq notebook: wrote the HTML report ${values.html}\n`);
  }
  if (values.md) {
    await writeAtomically(resolvePath(values.md, io.cwd), exportMarkdown(nb));
    io.stderr(`mq notebook: wrote the Markdown report ${values.md}\n`);
  }
}

async function runCommand(file: string, values: Values, io: CliIO, mq: Mq): Promise<number> {
  const now = values.now !== undefined ? parseNow(values.now) : undefined;
  const { opts: options } = connectionOptions(values, io, now ?? new Date());
  const secrets = [options.apiKey, options.callback?.relay?.token].filter((x): x is string => !!x);
  const nb = await readNotebook(file, io);
  if (!nb) return 2;
  if (!options.baseUrl) io.stderr('mq: no INFOBIP_BASE_URL / INFOBIP_API_KEY set: running on built-in sample data (synthetic, not your account).\n');
  const summary = await runNotebook(nb, {
    mq,
    runOptions: options,
    secrets,
    connection: options.baseUrl ? new URL(options.baseUrl).host : 'embedded',
    ...(now ? { now: () => now } : {}),
    ...(io.signal ? { signal: io.signal } : {}),
    onOutput: (o) => {
      if (o.kind === 'error') io.stderr(`mq notebook: ${redact(o.message, secrets)}\n`);
      else io.stderr(`mq notebook: ${o.result.title}: ${o.result.response.rows.length} rows\n`);
    },
  });
  const target = values.out ?? file;
  await writeAtomically(resolvePath(target, io.cwd), serializeNotebook(nb));
  await writeReports(nb, values, io, file);
  const failed = summary.ran - summary.succeeded;
  io.stderr(
    `mq notebook: ran ${summary.ran} cell${summary.ran === 1 ? '' : 's'}: ${summary.succeeded} succeeded, ${failed} did not` +
      `${summary.skipped ? `, ${summary.skipped} not run (${redact(summary.stopped ?? '', secrets)})` : ''}; saved ${target}\n`,
  );
  return failed || summary.skipped ? 1 : 0;
}

export async function notebookCli(argv: string[], io: CliIO, mq: Mq): Promise<number> {
  const { values, positionals } = parse(argv, OPTIONS);
  if (values.help || positionals.length === 0) {
    io.stdout(NOTEBOOK_HELP);
    return values.help ? 0 : 2;
  }
  const [sub, file, ...extra] = positionals;
  if (sub !== 'run' && sub !== 'export') throw new UsageError(`unknown notebook command "${sub}": use mq notebook run FILE.mqnb or mq notebook export FILE.mqnb.`);
  if (file === undefined) throw new UsageError(`mq notebook ${sub} needs a FILE (an .mqnb notebook).`);
  if (extra.length) throw new UsageError(`mq notebook ${sub} takes one FILE, got ${extra.length + 1}.`);
  if (sub === 'export') {
    if (!values.html && !values.md) throw new UsageError('mq notebook export needs --html FILE or --md FILE.');
    if (values.out) throw new UsageError('--out is for mq notebook run; export only writes --html and --md.');
    const nb = await readNotebook(file, io);
    if (!nb) return 2;
    await writeReports(nb, values, io, file);
    return 0;
  }
  return runCommand(file, values, io, mq);
}
