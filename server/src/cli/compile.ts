// `mq compile FILE [--query N | --all] [--now ISO] [--callback-url URL]`: the Metrics API request body.
import type { Mq } from '../core/index.js';
import { stringifyJson } from '../core/compile/wire.js';
import type { CliIO } from './io.js';
import { readSource } from './files.js';
import { diagnosticLine } from './format.js';
import { parse, parseNow, UsageError } from './usage.js';

/** A placeholder that can never receive anything: replace it with your own callback URL. */
export const DEFAULT_CALLBACK_URL = 'https://callback.invalid/replace-me';

export const COMPILE_HELP = `Usage: mq compile FILE [--query N | --all] [--now ISO] [--callback-url URL]

Prints the Metrics API request body of a query as JSON (2-space indent), exactly as mq would send it.
A query with COMPARE WITH prints a JSON array of its two bodies: the current period first, then the
previous period. Relative times (now, today) are resolved against --now or the current time.

Options:
  --query N            which query of the file, 1-based (default 1; when the file holds several
                       queries and --query is not given, the first is printed and stderr says how
                       many there are)
  --all                print every query's body as one JSON array, in file order
  --now ISO            the clock for relative times, e.g. 2026-06-15T10:00:00Z (default: now)
  --callback-url URL   callbackUrl of the body (default ${DEFAULT_CALLBACK_URL},
                       a placeholder that must be replaced before the body is sent)
  -h, --help           show this help

Warnings go to stderr and do not stop compilation.
Exit codes: 0 compiled, 1 the query has errors (printed to stderr) or the file has no query,
2 usage or I/O error.
`;

export async function compileCommand(argv: string[], io: CliIO, mq: Mq): Promise<number> {
  const { values, positionals } = parse(argv, {
    query: { type: 'string' },
    all: { type: 'boolean' },
    now: { type: 'string' },
    'callback-url': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout(COMPILE_HELP);
    return 0;
  }
  if (positionals.length !== 1) {
    throw new UsageError(positionals.length === 0 ? 'a FILE is needed (an .mq file).' : `mq compile takes one FILE, got ${positionals.length}.`);
  }
  if (values.all && values.query !== undefined) throw new UsageError('--query and --all cannot be used together.');
  let queryNumber: number | undefined;
  if (values.query !== undefined) {
    if (!/^[0-9]+$/.test(values.query) || Number(values.query) < 1) {
      throw new UsageError(`--query expects a query number from 1, got "${values.query}".`);
    }
    queryNumber = Number(values.query);
  }
  const callbackUrl = values['callback-url'] ?? DEFAULT_CALLBACK_URL;
  if (!URL.canParse(callbackUrl) || !/^https?:$/i.test(new URL(callbackUrl).protocol)) {
    throw new UsageError(`--callback-url must be an http(s) URL, got "${callbackUrl}".`);
  }
  const now = parseNow(values.now);

  const file = positionals[0]!;
  const src = await readSource(file, io.cwd);
  if (!src.ok) {
    io.stderr(`mq compile: ${src.message}\n`);
    return 2;
  }
  const doc = mq.parse(src.text);
  const queries = doc.queries;
  if (queries.length === 0) {
    io.stderr(`mq compile: ${file} has no query (a query starts with SELECT).\n`);
    return 1;
  }
  if (queryNumber !== undefined && queryNumber > queries.length) {
    throw new UsageError(`--query ${queryNumber}: ${file} has only ${queries.length === 1 ? '1 query' : `${queries.length} queries`}.`);
  }
  const chosen = values.all ? queries : [queries[(queryNumber ?? 1) - 1]!];
  const elsewhere = mq.errorsElsewhere(doc, chosen.map((q) => q.index));
  if (elsewhere.length) {
    io.stderr(`mq compile: ${file}: text outside any query was ignored:\n`);
    for (const d of elsewhere) io.stderr(diagnosticLine(file, d) + '\n');
  }
  const bodies: unknown[] = [];
  let failed = false;
  for (const q of chosen) {
    const r = mq.compile(q, { now, callbackUrl });
    const after = mq.errorsAfterQuery(doc, q.index);
    if (!r.ok || after.length) {
      failed = true;
      io.stderr(`mq compile: ${file}: query ${q.index + 1} has errors${after.length ? ' (text after its end is not part of it: remove a stray ";" or the text)' : ''}:\n`);
      for (const d of [...(r.ok ? [] : r.diagnostics), ...after]) io.stderr(diagnosticLine(file, d) + '\n');
      continue;
    }
    for (const d of r.warnings) io.stderr(diagnosticLine(file, d) + '\n');
    // A COMPARE WITH query has two bodies (current period first); any other query one.
    bodies.push(r.bodies.length === 1 ? r.body : r.bodies);
  }
  if (failed) return 1;
  io.stdout(stringifyJson(values.all ? bodies : bodies[0], 2) + '\n');
  if (!values.all && queryNumber === undefined && queries.length > 1) {
    io.stderr(`mq compile: ${file} holds ${queries.length} queries; printed query 1 (use --query N to pick another, or --all).\n`);
  }
  return 0;
}
