// Argument parsing shared by the check, compile and fmt commands (Node's util.parseArgs).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseIsoTime } from '../core/time.js';

/** A problem with how the command was called: exit code 2 and a pointer to --help. */
export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs in strict mode, turning its errors (unknown flag, missing value) into UsageErrors. */
export function parse<O extends Options>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new UsageError(msg.replace(/\. To specify a positional argument.*$/s, '.'));
  }
}

/** --now: an ISO-8601 date or date-time (UTC when no offset is given); default the real clock. */
export function parseNow(value: string | undefined): Date {
  if (value === undefined) return new Date();
  const r = parseIsoTime(value);
  if (!r.ok) throw new UsageError(`--now: ${r.message}`);
  return new Date(r.ms);
}
