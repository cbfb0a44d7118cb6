// Argument parsing shared by the check, compile and fmt commands (Node's util.parseArgs).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseIsoTime } from '../core/compile/time.js';

/** A problem with how the command was called: exit code 2 and a pointer to --help. */
export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs in strict mode, turning its errors (unknown flag, missing value) into UsageErrors. */
export function parse<O extends Options>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(parseArgsMessage(e));
  }
}

/** --now: an ISO-8601 date or date-time (UTC when no offset is given); default the real clock. */
export function parseNow(value: string | undefined): Date {
  if (value === undefined) return new Date();
  const r = parseIsoTime(value);
  if (!r.ok) throw new UsageError(`--now: ${r.message}`);
  return new Date(r.ms);
}

/** Node's parseArgs messages, shortened to what the user needs. */
export function parseArgsMessage(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  const ambiguous = /^Option '(-[^']+)' argument is ambiguous/.exec(msg);
  if (ambiguous) {
    const opt = ambiguous[1]!;
    return `${opt} needs a value; a value starting with "-" is read as an option (write ${opt}=VALUE if you mean it).`;
  }
  return msg.replace(/\. To specify a positional argument.*$/s, '.').replace(/\s*\n\s*/g, ' ');
}
