// `mq fetch REQUEST_ID`: the result of a run that this process no longer waits for. From the local history
// when it is already stored there, else from the relay it was sent to: stored in the history first, the run
// marked done, the relay acknowledged, then printed exactly as `mq run` prints it.
import { applyOrderAndLimit, formatCsv, formatJson, formatTable } from '../run/results.js';
import type { AggregateDataResponse } from '../core/compile/wire.js';
import type { QueryPlan } from '../core/compile/plan.js';
import { applyPlan } from '../run/compare.js';
import { parseJsonLossless } from '../run/json.js';
import type { HistoryEntry, HistoryStore } from '../run/history.js';
import { RunError } from '../run/errors.js';
import { decidePending, processIsAlive } from '../run/pending.js';
import { recoverFromRelay, type StoredResult } from '../run/recover.js';
import { openRelay } from '../run/relayWait.js';
import { redactedIO, secretsOf, type CliIO } from './io.js';
import { parse, UsageError } from './usage.js';
import { cliHistory } from './state.js';
import { reportError } from './runQuery.js';

export const FETCH_HELP = `Usage: mq fetch REQUEST_ID [--relay URL --relay-token T] [--format table|csv|json]

Gets the result of a run by its request id: from the history when it is stored there already, otherwise
from the relay it was sent to (the run's relay, or --relay). The result is stored in the history and the
run marked done before the relay is told it may delete it, and before it is printed. \`mq pending\` lists
the runs that wait for a result.

A COMPARE WITH run has two request ids. Its (current) request id prints the joined result, exactly as
\`mq run\` printed it (both periods are fetched from the relay when needed); the previous period's request id
prints that request's own rows as received, without the join, HAVING, ORDER BY or LIMIT.

Options:
  --relay URL        the relay to ask (default: the relay the run was sent with)
  --relay-token T    the relay's token (env MQ_RELAY_TOKEN)
  --format F         table (default), csv or json (the same JSON as \`mq run --format json\`)
  -h, --help         show this help

Exit codes: 0 result printed, 1 no result (yet) or the request FAILED, 2 usage error.
`;

const FLAGS = {
  relay: { type: 'string' },
  'relay-token': { type: 'string' },
  format: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The plan a run was recorded with; undefined for runs recorded before plans were stored. */
function planOf(entry: HistoryEntry | undefined): QueryPlan | undefined {
  if (!entry?.planJson) return undefined;
  try {
    return parseJsonLossless(entry.planJson) as QueryPlan;
  } catch {
    return undefined;
  }
}

/** The rows to print: the plan applied (join, HAVING, ORDER BY, LIMIT), or for the previous id its own rows. */
function shown(r: StoredResult, entry: HistoryEntry | undefined, requestId: string): { response?: AggregateDataResponse; previousRequestId?: string; failure?: string } {
  const plan = planOf(entry);
  if (r.previous && requestId === r.previous.requestId) {
    const p = r.previous;
    return p.status === 'SUCCESS' && p.response ? { response: p.response } : { failure: `request ${p.requestId} FAILED: ${p.failureMessage ?? 'no reason given'}` };
  }
  if (r.status !== 'SUCCESS' || !r.response) return { failure: `request ${r.requestId} FAILED: ${r.failureMessage ?? 'no reason given'}` };
  if (plan?.comparison) {
    const p = r.previous;
    if (!p || p.status !== 'SUCCESS' || !p.response) return { failure: `request ${p?.requestId ?? '(none)'} for the previous period FAILED: ${p?.failureMessage ?? 'no result stored'}` };
    return { response: applyPlan(plan, r.response, p.response), previousRequestId: p.requestId };
  }
  return { response: plan ? applyPlan(plan, r.response) : applyOrderAndLimit(r.response, entry?.orderBy ?? [], entry?.limit) };
}

function print(io: CliIO, format: string, r: StoredResult, entry: HistoryEntry | undefined, requestId: string): number {
  const out = shown(r, entry, requestId);
  if (out.failure !== undefined) {
    io.stderr(`mq: ${out.failure}\n`);
    if (format === 'json') io.stdout(formatJson({ requestId, status: 'FAILED', source: r.source, failureMessage: out.failure }));
    return 1;
  }
  const response = out.response!;
  if (format === 'csv') io.stdout(formatCsv(response));
  else if (format === 'table') io.stdout(formatTable(response));
  else io.stdout(formatJson({ requestId, ...(out.previousRequestId ? { previousRequestId: out.previousRequestId } : {}), status: 'SUCCESS', source: r.source, response }));
  const note = r.previous?.requestId === requestId ? ` (the previous period of a COMPARE WITH run, as received; \`mq fetch ${r.requestId}\` prints the joined result)` : '';
  io.stderr(`mq: request ${requestId}: ${response.rows.length} row${response.rows.length === 1 ? '' : 's'}, period ${response.requestedPeriod.sentSince} – ${response.requestedPeriod.sentUntil}${note}\n`);
  return 0;
}

/** Why a run without a relay has no result to fetch. */
function noRelay(requestId: string, entry: HistoryEntry | undefined): never {
  if (!entry) throw new UsageError(`request ${requestId} is not in the history of this machine; to ask a relay for it, pass --relay URL and --relay-token T.`);
  const d = decidePending(entry, { now: Date.now(), isAlive: processIsAlive });
  const why = d.action === 'lost' ? d.reason : d.action === 'wait' ? d.why : 'its result was to arrive at a local receiver';
  throw new RunError('callbackLost', `Request ${requestId} has no stored result and was not sent through a relay: ${why}.`, { requestId }, d.action === 'wait' ? 'none' : 'none');
}

async function fromRelay(io: CliIO, store: HistoryStore, requestId: string, entry: HistoryEntry | undefined, url: string, token: string): Promise<StoredResult> {
  const relay = await openRelay(url, token, io.signal ? { signal: io.signal } : {});
  const r = await recoverFromRelay(store, relay, requestId, entry, io.signal);
  if (r.kind === 'stored') return r.result;
  if (r.kind === 'pending') throw new RunError('relay', `The relay at ${relay.baseUrl} has no result for request ${requestId} (yet).`, { requestId }, 'fetchLater');
  throw new RunError('relay', `The relay at ${relay.baseUrl} could not be asked for request ${requestId}: ${r.reason}.`, { requestId }, 'checkRelay');
}

export async function fetchCli(argv: string[], rawIo: CliIO): Promise<number> {
  const io = redactedIO(rawIo, secretsOf(argv, rawIo.env));
  try {
    const { values, positionals } = parse(argv, FLAGS);
    if (values.help) {
      io.stdout(FETCH_HELP);
      return 0;
    }
    if (positionals.length !== 1) throw new UsageError(positionals.length ? `mq fetch takes one REQUEST_ID, got ${positionals.length}.` : 'mq fetch needs a REQUEST_ID (see `mq pending`).');
    const requestId = positionals[0]!;
    const format = values.format ?? 'table';
    if (format !== 'table' && format !== 'csv' && format !== 'json') throw new UsageError(`--format must be table, csv or json, got "${format}".`);
    const store = cliHistory(io.env);
    if (!store) throw new UsageError('no state directory: set MQ_HOME (or XDG_STATE_HOME or HOME).');
    const entry = await store.findByRequestId(requestId);
    const url = values.relay ?? entry?.relayUrl;
    const token = values['relay-token'] ?? io.env.MQ_RELAY_TOKEN;
    if (entry?.hasResult) {
      const stored = (await store.readResult(entry.id)) as StoredResult | undefined;
      if (stored) {
        // Stored here already: the relay may forget it (a run that stored its result but could not ack).
        if (url && token) await openRelay(url, token).then((r) => r.ack(requestId), () => undefined).catch(() => undefined);
        return print(io, format, stored, entry, requestId);
      }
    }
    if (!url) noRelay(requestId, entry);
    if (!token) throw new UsageError(`asking the relay for request ${requestId} needs its token: --relay-token T or MQ_RELAY_TOKEN.`);
    return print(io, format, await fromRelay(io, store, requestId, entry, url, token), entry, requestId);
  } catch (e) {
    return reportError(e, io, 'fetch');
  }
}
