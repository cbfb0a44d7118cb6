// `mq pending`: the runs of this machine that have no result yet, with what can be done about each.
// Runs whose result can no longer arrive are marked LOST (with the reason) and reported once.
import { decidePending, processIsAlive, type PendingDecision } from '../run/pending.js';
import type { HistoryEntry, HistoryStore } from '../run/history.js';
import { redactedIO, secretsOf, type CliIO } from './io.js';
import { parse, UsageError } from './usage.js';
import { cliHistory, cliStateDir } from './state.js';
import { reportError } from './runQuery.js';

export const PENDING_HELP = `Usage: mq pending [--format table|json]

Lists the runs recorded in the history ($MQ_HOME, else $XDG_STATE_HOME/mq, else ~/.local/state/mq) that
have no result yet: their request id, when they started, how the result was to arrive, and what can be done.
A run whose result can no longer arrive (its local receiver closed, nothing was submitted) is marked lost.

Options:
  --format F     table (default) or json
  -h, --help     show this help
`;

export interface PendingRow {
  id: string;
  requestId: string | null;
  /** COMPARE WITH runs: the previous period's request id. */
  previousRequestId?: string;
  createdAt: string;
  mode: string;
  connection: string;
  relayUrl?: string;
  state: 'waiting' | 'fetchable' | 'lost';
  /** What can be done (or why nothing can). */
  action: string;
}

function actionFor(e: HistoryEntry, d: PendingDecision): string {
  if (d.action === 'wait') return `${d.why}; it prints the result when it arrives`;
  if (d.action === 'lost') return `lost: ${d.reason}; run the query again`;
  const both = e.previousRequestId ? `; fetches both periods (previous: ${e.previousRequestId})` : '';
  return `mq fetch ${e.requestId}${e.relayUrl ? ` --relay ${e.relayUrl}` : ''} (with --relay-token or MQ_RELAY_TOKEN)${both}`;
}

/** Decides every pending entry, marks the lost ones, and returns them as rows. */
export async function settlePending(store: HistoryStore, now = Date.now()): Promise<PendingRow[]> {
  const rows: PendingRow[] = [];
  for (const e of await store.pending()) {
    const d = decidePending(e, { now, isAlive: processIsAlive });
    if (d.action === 'lost') await store.update(e.id, { status: 'LOST', message: d.reason });
    rows.push({
      id: e.id,
      requestId: e.requestId ?? null,
      ...(e.previousRequestId ? { previousRequestId: e.previousRequestId } : {}),
      createdAt: e.createdAt,
      mode: e.mode ?? 'local',
      connection: e.connection,
      ...(e.relayUrl ? { relayUrl: e.relayUrl } : {}),
      state: d.action === 'wait' ? 'waiting' : d.action === 'fetch' ? 'fetchable' : 'lost',
      action: actionFor(e, d),
    });
  }
  return rows;
}

function table(rows: PendingRow[]): string {
  const head = ['REQUEST ID', 'STARTED', 'MODE', 'STATE', 'WHAT CAN BE DONE'];
  const body = rows.map((r) => [r.requestId ?? '(none)', r.createdAt.replace(/\.\d+Z$/, 'Z'), r.mode, r.state, r.action]);
  const widths = head.slice(0, 4).map((h, j) => Math.max(h.length, ...body.map((b) => b[j]!.length)));
  const line = (cells: string[]) => cells.map((c, j) => (j < 4 ? c.padEnd(widths[j]!) : c)).join('  ').trimEnd();
  return [line(head), ...body.map(line)].join('\n') + '\n';
}

export async function pendingCli(argv: string[], rawIo: CliIO): Promise<number> {
  const io = redactedIO(rawIo, secretsOf(argv, rawIo.env));
  try {
    const { values, positionals } = parse(argv, { format: { type: 'string' }, help: { type: 'boolean', short: 'h' } });
    if (values.help) {
      io.stdout(PENDING_HELP);
      return 0;
    }
    if (positionals.length) throw new UsageError(`mq pending takes no argument, got "${positionals[0]}".`);
    const format = values.format ?? 'table';
    if (format !== 'table' && format !== 'json') throw new UsageError(`--format must be table or json, got "${format}".`);
    const store = cliHistory(io.env);
    if (!store) throw new UsageError('no state directory: set MQ_HOME (or XDG_STATE_HOME or HOME).');
    const rows = await settlePending(store);
    if (format === 'json') io.stdout(JSON.stringify(rows, null, 2) + '\n');
    else if (rows.length) io.stdout(table(rows));
    const lost = rows.filter((r) => r.state === 'lost').length;
    io.stderr(`mq: ${rows.length - lost} pending run${rows.length - lost === 1 ? '' : 's'}${lost ? `; ${lost} marked lost` : ''} (history in ${cliStateDir(io.env)})\n`);
    return 0;
  } catch (e) {
    return reportError(e, io, 'pending');
  }
}
