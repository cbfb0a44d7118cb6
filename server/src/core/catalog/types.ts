// Shapes of the catalog: everything mq knows about the Metrics API's vocabulary.
// The data itself lives in catalog.ts; every other module reads names from there and never
// spells a metric, dimension, filter or channel as a string literal of its own.

/** Where a name comes from: the product's "Metrics and filters" page, the OpenAPI document, or both. */
export type Source = 'seed' | 'openapi' | 'both';

/**
 * A channel family is the OpenAPI spelling of a channel (SMS, EMAIL, FACEBOOK, KAKAO, VOICE_VIDEO, ...).
 * The seed's codes (FB, KAKAOA, LINELNS, ...) map onto a family, so rules written once per family
 * apply to every spelling. Seed-only services without an OpenAPI counterpart (EMAILVALID, NL) are
 * their own family.
 */
export type ChannelFamily = string;

export interface CatalogEntry {
  /** Canonical name as sent on the wire (UPPER_SNAKE for metrics, dimensions and enum values). */
  name: string;
  /** Human label, e.g. "Delivery rate". */
  displayName: string;
  /** A short description in mq's own words. */
  description: string;
  source: Source;
}

export interface ChannelEntry extends CatalogEntry {
  /** OpenAPI family this code belongs to (equal to name for OpenAPI codes). */
  family: ChannelFamily;
}

export type MetricCategory =
  | 'delivery'
  | 'inbound'
  | 'delivery-failure'
  | 'seen-opened'
  | 'clicks'
  | 'feedback'
  | 'voice';

export type ColumnDataType = 'STRING' | 'INTEGER' | 'NUMBER' | 'BOOLEAN' | 'DATE_TIME';

export interface MetricEntry extends CatalogEntry {
  category: MetricCategory;
  /** Column type in the result: counts are INTEGER, rates and ratios NUMBER. */
  valueType: 'INTEGER' | 'NUMBER';
  /** True for rates/ratios (shown as percentages). */
  isRate: boolean;
  /** The metric returns values only for these channel families (others get N/A). */
  onlyFor?: ChannelFamily[];
  /** The metric is N/A for these families. */
  notFor?: ChannelFamily[];
  /** The metric may return no data for every family except these (seen/opened). */
  mayBeEmptyExceptFor?: ChannelFamily[];
  /** The metric may return no data for these families (click tracking). */
  mayBeEmptyFor?: ChannelFamily[];
  /** Only meaningful for one traffic direction. */
  direction?: 'INBOUND' | 'OUTBOUND';
  /** How the metric behaves with BY URL: 'valid' (documented), 'unconfirmed' (a click metric), absent = invalid. */
  urlDimension?: 'valid' | 'unconfirmed';
  /** Per-family replacement suggestion, e.g. FAILED_TRAFFIC_COUNT → TOTAL_DROPPED_COUNT for EMAIL. */
  replacement?: { family: ChannelFamily; metric: string };
  /** Channel specifics as the user should read them (hover text), one sentence each. */
  channelNotes: string[];
}

export type DimensionCategory =
  | 'time'
  | 'account'
  | 'status'
  | 'latency'
  | 'traffic'
  | 'campaign'
  | 'geo'
  | 'platform'
  | 'channel';

export interface DimensionEntry extends CatalogEntry {
  category: DimensionCategory;
  /** Column type of the dimension in the result. */
  columnType: ColumnDataType;
  /** For time dimensions: size rank, smaller = finer (HOUR 1, DAY 2, weeks 3, MONTH 4, QUARTER 5, YEAR 6). */
  timeGrain?: number;
}

/** What kind of value a filter takes. */
export type FilterValueKind =
  | 'channel'
  | 'time'
  | 'direction'
  | 'string'
  | 'boolean'
  | 'statusGroup'
  | 'errorGroup'
  | 'status'
  | 'errorCode'
  | 'trafficType'
  | 'senderType'
  | 'int64'
  | 'int32'
  | 'timeBucket'
  | 'capability';

export type FilterOperator = '=' | 'IN' | 'BETWEEN' | '<' | '<=' | '>' | '>=';

export interface FilterEntry extends CatalogEntry {
  /** Wire property in request.filterBy (channelCode → channelCodes, applicationId → platforms). */
  wire: string;
  valueKind: FilterValueKind;
  operators: FilterOperator[];
  required: boolean;
  /** The wire property is an array (several values mean "any of"). */
  list: boolean;
  /** A range filter (time buckets, `sent`): accepts <, <=, >, >=, BETWEEN. */
  range: boolean;
  /** mq's own shorthand, not an API property (`sent` → sentSince/sentUntil). */
  shorthand?: true;
}

export interface EnumValueEntry extends CatalogEntry {
  /** Numeric ID where the product documents one (traffic types, sender types, groups). */
  id?: number;
}

export interface TrafficTypeEntry extends EnumValueEntry {
  id: number;
  /** The channel family the traffic type belongs to (WHATSAPP or RCS). */
  family: ChannelFamily;
}

export interface SenderTypeEntry extends EnumValueEntry {
  id: number;
  /** 'email' for DOMAIN, 'phone' for numeric/alphanumeric phone senders. */
  kind: 'email' | 'phone';
}

export interface TimeBucketEntry {
  name: string;
  /** Boundary in milliseconds (SECONDS_5 → 5000). */
  ms: number;
}

export interface StatusEntry extends CatalogEntry {
  /** Status group name (DELIVERED, REJECTED, ...). */
  group: string;
}

export interface ErrorCodeEntry extends CatalogEntry {
  /** Error group name (OK, HANDSET_ERRORS, ...). */
  group: string;
}

export interface Catalog {
  metrics: MetricEntry[];
  dimensions: DimensionEntry[];
  filters: FilterEntry[];
  channels: ChannelEntry[];
  trafficTypes: TrafficTypeEntry[];
  senderTypes: SenderTypeEntry[];
  statusGroups: EnumValueEntry[];
  errorGroups: EnumValueEntry[];
  directions: EnumValueEntry[];
  capabilities: EnumValueEntry[];
  timeBuckets: TimeBucketEntry[];
  statuses: StatusEntry[];
  errorCodes: ErrorCodeEntry[];
}
