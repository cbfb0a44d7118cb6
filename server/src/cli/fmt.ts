// `mq fmt [--check | --write] FILE...`: canonical layout (see core/editing/formatter.ts for the rules).
import type { Mq } from '../core/index.js';
import type { CliIO } from './io.js';
import { readSource, restoreEncoding, writeSource } from './files.js';
import { plural } from './format.js';
import { parse, UsageError } from './usage.js';

export const FMT_HELP = `Usage: mq fmt [--check | --write] FILE...

Formats .mq files in mq's canonical layout: keywords upper case, one clause per line, each further
condition on its own line starting with AND, catalog names in their canonical spelling, comments kept.
Queries with syntax errors are left exactly as written. Formatting twice changes nothing.

Without options the formatted text is printed to stdout (files one after another).

Options:
  --check       print nothing but the names of files that are not formatted; exit 1 if there are any
  --write       rewrite the files that are not formatted, and print their names
  -h, --help    show this help

Exit codes: 0 success, 1 (--check) some files would change, 2 usage or I/O error.
`;

export async function fmtCommand(argv: string[], io: CliIO, mq: Mq): Promise<number> {
  const { values, positionals } = parse(argv, {
    check: { type: 'boolean' },
    write: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout(FMT_HELP);
    return 0;
  }
  if (values.check && values.write) throw new UsageError('--check and --write cannot be used together.');
  if (positionals.length === 0) throw new UsageError('mq fmt needs at least one FILE.');
  let ioFailed = false;
  const changed: string[] = [];
  for (const file of positionals) {
    const src = await readSource(file, io.cwd);
    if (!src.ok) {
      io.stderr(`mq fmt: ${src.message}\n`);
      ioFailed = true;
      continue;
    }
    const formatted = mq.format(src.text.replace(/\r\n?/g, '\n'));
    const stored = restoreEncoding(src, formatted);
    const original = restoreEncoding({ bom: src.bom, eol: '\n' }, src.text);
    if (!values.check && !values.write) {
      io.stdout(formatted);
      continue;
    }
    if (stored === original) continue;
    changed.push(file);
    if (values.write) {
      try {
        await writeSource(src, formatted);
      } catch (e) {
        io.stderr(`mq fmt: ${file}: cannot write: ${e instanceof Error ? e.message : String(e)}\n`);
        ioFailed = true;
        continue;
      }
    }
    io.stdout(file + '\n');
  }
  if (values.check && changed.length > 0) io.stderr(`mq fmt: ${plural(changed.length, 'file')} not formatted; run mq fmt --write to fix.\n`);
  if (values.write) io.stderr(`mq fmt: ${plural(changed.length, 'file')} rewritten.\n`);
  if (ioFailed) return 2;
  return values.check && changed.length > 0 ? 1 : 0;
}
