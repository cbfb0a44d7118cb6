// Builds what the results webview shows from a run outcome. Pure: no VS Code.
import type { Query } from '../../server/src/core/ast.js';
import type { AggregateDataResponse } from '../../server/src/core/wire.js';
import { stringifyJson } from '../../server/src/core/wire.js';
import { applyOrderAndLimit } from '../../server/src/run/results.js';

export interface OrderSpec {
  column: string;
  direction: 'ASC' | 'DESC';
}

/** The payload of `{ type: 'result' }` messages to the webview (sent as JSON text). */
export interface ResultView {
  title: string;
  queryText: string;
  source: 'live' | 'sample';
  /** Connection name, or "sample data". */
  connection: string;
  requestId: string;
  requestedPeriod?: { sentSince: string; sentUntil: string };
  returnedPeriod?: { sentSince: string; sentUntil: string };
  elapsedMs?: number;
  orderBy?: OrderSpec[];
  limit?: number;
  /** History entry this result is stored under, so it can be found again. */
  historyId?: string;
  response: AggregateDataResponse;
}

export function orderAndLimitOf(q: Query): { orderBy?: OrderSpec[]; limit?: number } {
  const out: { orderBy?: OrderSpec[]; limit?: number } = {};
  const items = q.orderBy?.items ?? [];
  if (items.length > 0) out.orderBy = items.map((i) => ({ column: i.column.upper, direction: i.direction }));
  const digits = q.limit?.value?.text;
  if (digits !== undefined) {
    const n = Number(digits);
    if (Number.isSafeInteger(n) && n >= 0) out.limit = n;
  }
  return out;
}

export interface ResultViewInput {
  title: string;
  queryText: string;
  source: 'live' | 'sample';
  connection: string;
  requestId: string;
  /** The period the request asked for (the compiled filterBy). */
  requestedPeriod?: { sentSince: string; sentUntil: string };
  elapsedMs?: number;
  orderBy?: OrderSpec[];
  limit?: number;
  historyId?: string;
  /** The response as received (ORDER BY/LIMIT not applied yet). */
  response: AggregateDataResponse;
}

export function buildResultView(input: ResultViewInput): ResultView {
  const response =
    input.orderBy || input.limit !== undefined
      ? applyOrderAndLimit(input.response, input.orderBy ?? [], input.limit)
      : input.response;
  const view: ResultView = {
    title: input.title,
    queryText: input.queryText,
    source: input.source,
    connection: input.source === 'sample' ? 'sample data' : input.connection,
    requestId: input.requestId,
    response,
  };
  if (input.requestedPeriod) view.requestedPeriod = input.requestedPeriod;
  if (input.response.requestedPeriod) view.returnedPeriod = input.response.requestedPeriod;
  if (input.elapsedMs !== undefined) view.elapsedMs = input.elapsedMs;
  if (input.orderBy) view.orderBy = input.orderBy;
  if (input.limit !== undefined) view.limit = input.limit;
  if (input.historyId) view.historyId = input.historyId;
  return view;
}

/** JSON text of the view with int64 cells exact. */
export function resultViewJson(view: ResultView): string {
  return stringifyJson(view);
}
