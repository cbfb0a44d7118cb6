// Wire format of Infobip's Metrics API (OpenAPI 3.210, metrics-api slice), as mq sends and receives it.
// The compiler produces QueryAggregateDataRequest; the run engine sends it and receives the result.

export interface TimeSpan {
  from?: string;
  to?: string;
}

export interface Platform {
  applicationId?: string;
  entityId?: string;
}

/** request.filterBy. Integers that may exceed 2^53 (communicationIds) are kept as RawInteger. */
export interface AggregateDataFilter {
  sentSince: string;
  sentUntil: string;
  channelCodes: string[];
  accountKeys?: string[];
  includeSubaccounts?: boolean;
  timeToDeliver?: TimeSpan[];
  timeToAnswer?: TimeSpan[];
  timeToClickFromSeen?: TimeSpan[];
  timeToClickFromDelivered?: TimeSpan[];
  timeToSeenFromDelivered?: TimeSpan[];
  timeToOpenFromDelivered?: TimeSpan[];
  capabilities?: string[];
  directions?: string[];
  trafficTypes?: string[];
  senders?: string[];
  senderTypes?: string[];
  communicationIds?: RawInteger[];
  campaignReferenceIds?: string[];
  networkIds?: number[];
  countryIds?: number[];
  platforms?: Platform[];
  statusGroups?: string[];
  statuses?: string[];
  errorGroups?: string[];
  errorCodes?: string[];
  /** Deprecated by the API in favour of platforms. */
  applicationId?: string;
  /** Deprecated by the API in favour of platforms. */
  entityId?: string;
}

/**
 * An integer kept as its decimal digits so that int64 IDs never lose precision.
 * stringifyJson() writes it as a bare JSON number.
 */
export class RawInteger {
  constructor(readonly digits: string) {}
  toJSON(): string {
    return `\u0000RAWINT:${this.digits}\u0000`;
  }
}

export interface AggregateDataRequest {
  filterBy: AggregateDataFilter;
  aggregateBy: string[];
  metrics: string[];
}

export interface QueryAggregateDataRequest {
  callbackUrl: string;
  request: AggregateDataRequest;
}

/** Serialises JSON; RawInteger values become bare JSON numbers with every digit kept. */
export function stringifyJson(body: unknown, indent?: number): string {
  return JSON.stringify(body, null, indent).replace(/"\\u0000RAWINT:(-?\d+)\\u0000"/g, '$1');
}

export type ClientRequestStatus = 'IN_PROGRESS' | 'SUCCESS' | 'FAILED';

export interface QueryAggregateDataResponse {
  requestId: string;
}

export interface RequestInfo {
  requestId: string;
  status: ClientRequestStatus;
  failureMessage?: string;
}

export interface ResultColumn {
  columnName: string;
  columnDataType: 'STRING' | 'INTEGER' | 'NUMBER' | 'BOOLEAN' | 'DATE_TIME';
}

/**
 * A cell as received: a typed value or the string "N/A". Integers beyond 2^53 are kept as RawInteger
 * (parse callback bodies losslessly, e.g. with the lossless-json package) and written back untouched by
 * stringifyJson().
 */
export type Cell = string | number | boolean | null | RawInteger;

export interface AggregateDataResponse {
  requestedPeriod: { sentSince: string; sentUntil: string };
  totalRows: number;
  columns: ResultColumn[];
  rows: Cell[][];
}

/** Body of the one callback POST. */
export interface QueryAggregateDataResult {
  requestId: string;
  status: 'SUCCESS' | 'FAILED';
  response?: AggregateDataResponse;
  failureMessage?: string;
}

export interface ApiErrorBody {
  errorCode: string;
  description: string;
  action: string;
  violations: { property: string; violation: string }[];
  resources: { name: string; url: string }[];
}

export const METRICS_API_PATHS = {
  query: '/metrics/1/query-aggregate-data',
  status: (requestId: string) => `/metrics/1/requests/${encodeURIComponent(requestId)}`,
} as const;
