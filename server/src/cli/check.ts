// `mq check [--format text|json] [--now ISO] FILE...`: diagnostics for .mq files.
import type { Mq } from '../core/index.js';
import type { CliIO } from './io.js';
import { readSource } from './files.js';
import { diagnosticJson, diagnosticLine, plural, type JsonDiagnostic } from './format.js';
import { parse, parseNow, UsageError } from './usage.js';

export const CHECK_HELP = `Usage: mq check [--format text|json] [--now ISO] FILE...

Checks .mq files and reports every diagnostic: syntax errors, unknown names (with the closest
catalog names), channel rules, time ranges and more.

Options:
  --format text|json   text (default): one line per diagnostic,
                         file:line:col severity code message   (line and column 1-based)
                       json: [{ "file", "diagnostics": [{ "code", "severity", "message",
                         "range": { "start": {"line","character"}, "end": {...} } }] }]
                         (one entry per file; lines and characters 0-based, as in LSP)
  --now ISO            the clock for relative times (now, today); default the current time
  -h, --help           show this help

Exit codes: 0 no errors (warnings allowed), 1 at least one error, 2 usage or I/O error.
`;

export async function checkCommand(argv: string[], io: CliIO, mq: Mq): Promise<number> {
  const { values, positionals } = parse(argv, {
    format: { type: 'string', default: 'text' },
    now: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout(CHECK_HELP);
    return 0;
  }
  const format = values.format;
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not "${format}".`);
  if (positionals.length === 0) throw new UsageError('mq check needs at least one FILE.');
  const now = parseNow(values.now);

  let ioFailed = false;
  let errors = 0;
  let warnings = 0;
  let readable = 0;
  const report: Array<{ file: string; diagnostics: JsonDiagnostic[] }> = [];
  for (const file of positionals) {
    const src = await readSource(file, io.cwd);
    if (!src.ok) {
      io.stderr(`mq check: ${src.message}\n`);
      ioFailed = true;
      continue;
    }
    readable++;
    const diagnostics = mq.check(src.text, { now });
    for (const d of diagnostics) {
      if (d.severity === 'error') errors++;
      else if (d.severity === 'warning') warnings++;
    }
    if (format === 'json') report.push({ file, diagnostics: diagnostics.map(diagnosticJson) });
    else if (diagnostics.length > 0) io.stdout(diagnostics.map((d) => diagnosticLine(file, d)).join('\n') + '\n');
  }
  if (format === 'json') io.stdout(JSON.stringify(report, null, 2) + '\n');
  else {
    io.stderr(`mq check: ${plural(readable, 'file')} checked, ${plural(errors, 'error')}, ${plural(warnings, 'warning')}\n`);
  }
  if (ioFailed) return 2;
  return errors > 0 ? 1 : 0;
}
