// Builds what the results webview shows from a run outcome. Pure: no VS Code.
import type { AggregateDataResponse, Cell, QueryPlan } from '../../server/src/api.js';
import { stringifyJson } from '../../server/src/api.js';
import { applyOrderAndLimit, applyPlan, comparisonOf, dimensionColumnsOf, rateColumnsOf } from '../../server/src/api.js';
import type { ResultView as SharedResultView } from '../common/protocol.js';

export type { OrderSpec } from '../common/protocol.js';

/** The payload of `{ type: 'result' }` messages to the webview (client/common/protocol.ts), with wire cells. */
export type ResultView = SharedResultView<Cell>;

/** Which result columns are dimensions and which metrics are rates, from the request that was sent. */
export function columnHints(
  request: { aggregateBy?: unknown; metrics?: unknown } | undefined,
  isRate: (metric: string) => boolean = () => false,
): { dimensions?: string[]; rateColumns?: string[] } {
  if (!request) return {};
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const dims = strings(request.aggregateBy);
  const metrics = strings(request.metrics);
  if (metrics.length === 0) return {};
  return {
    dimensions: ['CHANNEL_CODE', ...dims.filter((d) => d !== 'CHANNEL_CODE')],
    rateColumns: metrics.filter((m) => isRate(m)),
  };
}

/** What a run produced, before ORDER BY/LIMIT are applied and the column hints are worked out. */
export type ResultViewInput = Pick<
  ResultView,
  'title' | 'queryText' | 'source' | 'connection' | 'requestId' | 'requestedPeriod' | 'elapsedMs' | 'orderBy' | 'limit' | 'historyId'
> & {
  /** The request that was sent (for the column hints). */
  request?: { aggregateBy?: unknown; metrics?: unknown };
  /** Whether a metric is a rate or ratio (from the catalog, which lives in the lazily loaded engine). */
  isRate?: (metric: string) => boolean;
  /** The response as received (nothing applied yet); for COMPARE WITH the current period's. */
  response: AggregateDataResponse;
  /**
   * The compiled plan: when given, the rows are joined with `previousResponse` (COMPARE WITH), filtered
   * (HAVING), ordered and limited by it, and `orderBy`/`limit` are taken from it. Without it (history entries
   * recorded before plans were kept) only `orderBy`/`limit` are applied.
   */
  plan?: QueryPlan;
  /** COMPARE WITH: the previous period's response as received. */
  previousResponse?: AggregateDataResponse;
  /** COMPARE WITH: the previous period's request id. */
  previousRequestId?: string;
};

/** The rows to show: the plan applied, or ORDER BY/LIMIT alone for a run recorded without a plan. */
function shownResponse(input: ResultViewInput): AggregateDataResponse {
  if (input.plan) return applyPlan(input.plan, input.response, input.previousResponse);
  return input.orderBy || input.limit !== undefined ? applyOrderAndLimit(input.response, input.orderBy ?? [], input.limit) : input.response;
}

/** The view's facts that come from the plan: order, limit, column hints and the previous period. */
function planFacts(view: ResultView, plan: QueryPlan, input: ResultViewInput): void {
  if (plan.orderBy.length) view.orderBy = plan.orderBy;
  if (plan.limit !== undefined) view.limit = plan.limit;
  view.dimensions = dimensionColumnsOf(plan);
  view.rateColumns = rateColumnsOf(plan, input.isRate ?? (() => false));
  const comparison = comparisonOf(plan, input.previousRequestId, view.response);
  if (comparison) view.comparison = comparison;
}

export function buildResultView(input: ResultViewInput): ResultView {
  const response = shownResponse(input);
  const view: ResultView = {
    title: input.title,
    queryText: input.queryText,
    source: input.source,
    // The page adds "(sample data)" itself for sample results.
    connection: input.source === 'sample' ? 'embedded' : input.connection,
    requestId: input.requestId,
    response,
  };
  if (input.requestedPeriod) view.requestedPeriod = input.requestedPeriod;
  if (input.response.requestedPeriod) view.returnedPeriod = input.response.requestedPeriod;
  if (input.elapsedMs !== undefined) view.elapsedMs = input.elapsedMs;
  if (input.orderBy) view.orderBy = input.orderBy;
  if (input.limit !== undefined) view.limit = input.limit;
  if (input.historyId) view.historyId = input.historyId;
  const hints = columnHints(input.request, input.isRate);
  if (hints.dimensions) view.dimensions = hints.dimensions;
  if (hints.rateColumns) view.rateColumns = hints.rateColumns;
  if (input.plan) planFacts(view, input.plan, input);
  return view;
}

/** JSON text of the view with int64 cells exact. */
export function resultViewJson(view: ResultView): string {
  return stringifyJson(view);
}
