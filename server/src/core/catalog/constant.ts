// Metrics that some filters make constant by construction. A filter that keeps only delivered messages
// (a time-to-X band, a status group of DELIVERED alone) leaves a delivery rate of 100 % and nothing failed or
// bounced; a filter that keeps only messages that were not delivered (status groups without DELIVERED, error
// groups without OK) leaves nothing delivered, seen or clicked. Both follow from what the product page says
// the filters and metrics mean, and the sample data behaves the same way. The constant-metric hint and the
// metric's hover read this one table.

/** What a filter leaves of the traffic, as far as these metrics care. */
export type Kept = 'delivered' | 'undelivered';

export interface KeepingFilter {
  /** The mq filter name. */
  filter: string;
  /** When it applies: whenever the filter is present, when its values are exactly `only`, or when they lack `without`. */
  when: { present: true } | { only: string } | { without: string };
  keeps: Kept;
  /** Why, in a few words that finish "<filter> keeps only …". */
  why: string;
}

export const KEEPING_FILTERS: readonly KeepingFilter[] = [
  { filter: 'timeToDeliver', when: { present: true }, keeps: 'delivered', why: 'messages that were delivered' },
  { filter: 'timeToSeenFromDelivered', when: { present: true }, keeps: 'delivered', why: 'messages that were delivered and then seen' },
  { filter: 'timeToOpenFromDelivered', when: { present: true }, keeps: 'delivered', why: 'messages that were delivered and then opened' },
  { filter: 'timeToClickFromDelivered', when: { present: true }, keeps: 'delivered', why: 'messages that were delivered and then clicked' },
  { filter: 'timeToClickFromSeen', when: { present: true }, keeps: 'delivered', why: 'messages that were seen and then clicked' },
  { filter: 'statusGroups', when: { only: 'DELIVERED' }, keeps: 'delivered', why: 'messages in the DELIVERED status group' },
  { filter: 'statusGroups', when: { without: 'DELIVERED' }, keeps: 'undelivered', why: 'messages outside the DELIVERED status group' },
  { filter: 'errorGroups', when: { without: 'OK' }, keeps: 'undelivered', why: 'messages with an error (a delivered message has error group OK)' },
];

/** The value each metric is stuck at, per kind of kept traffic. */
export const CONSTANT_VALUES: { readonly [K in Kept]: Readonly<Record<string, string>> } = {
  delivered: {
    TRAFFIC_DELIVERY_RATE: '100 %',
    FAILED_TRAFFIC_COUNT: '0',
    TOTAL_BOUNCE_COUNT: '0',
    TOTAL_BOUNCE_RATE: '0',
    SOFT_BOUNCE_COUNT: '0',
    SOFT_BOUNCE_RATE: '0',
    HARD_BOUNCE_COUNT: '0',
    HARD_BOUNCE_RATE: '0',
    TOTAL_DROPPED_COUNT: '0',
    TOTAL_DROPPED_RATE: '0',
    TOTAL_SUPPRESSED_COUNT: '0',
  },
  undelivered: {
    DELIVERED_TRAFFIC_COUNT: '0',
    TRAFFIC_DELIVERY_RATE: '0',
    SEEN_OPENED_TRAFFIC_COUNT: '0',
    VIEWED_TOTAL_COUNT: '0',
    UNIQUE_CLICKS_COUNT: '0',
    UNIQUE_URL_CLICK_COUNT: '0',
    TOTAL_CLICKS_COUNT: '0',
  },
};

/**
 * What a query's filters ask for, as the table needs it: for each filter (by mq name, as the catalog spells
 * it) that is present, the canonical values it keeps (none for a time-to-X band), or `undefined` when its
 * conditions are not all valid (a value the user is still typing: no claim is made about it).
 */
export type FilterSelection = ReadonlyMap<string, readonly string[] | undefined>;

export interface ConstantMetric {
  metric: string;
  /** What it is stuck at: '0' or '100 %'. */
  value: string;
  filter: string;
  why: string;
}

function applies(k: KeepingFilter, values: readonly string[] | undefined): boolean {
  if (!values) return false;
  if ('present' in k.when) return true;
  if (values.length === 0) return false;
  if ('only' in k.when) return values.length === 1 && values[0] === k.when.only;
  return !values.includes(k.when.without);
}

/** Why `metric` is constant under `selection` (the first filter of the table that makes it so), if it is. */
export function constantUnder(metric: string, selection: FilterSelection): ConstantMetric | undefined {
  for (const k of KEEPING_FILTERS) {
    const value = CONSTANT_VALUES[k.keeps][metric];
    if (value === undefined || !selection.has(k.filter)) continue;
    if (applies(k, selection.get(k.filter))) return { metric, value, filter: k.filter, why: k.why };
  }
  return undefined;
}

/** One sentence for hover and the hint: "… is always 0 here: statusGroups keeps only …". */
export function constantText(c: ConstantMetric): string {
  return `${c.metric} is always ${c.value} here: ${c.filter} keeps only ${c.why}.`;
}
