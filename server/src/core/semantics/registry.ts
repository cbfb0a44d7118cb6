// The one description of each diagnostic code, in two tables keyed by code: REGISTRY holds what the analyser,
// the quick fixes and the editor read (severity, editor tags, the name of its quick fix); CODE_DOCS holds what it
// means and a query that produces it, read only by the tests and the docs. Nothing at run time reads CODE_DOCS, so
// the bundles leave it out (it is a plain object literal that no server module imports).
// The type of each code's `data` is DiagnosticData (diagnostics.ts).
// Adding a code = its DiagnosticData entry and its entries in both tables here (the compiler insists on all
// three), the rule that reports it (rules/), a row in docs/language.md and tests (test/core/semantics/registry.test.ts
// checks the docs and the examples against these tables).
import type { DiagnosticCode, Severity } from './diagnostics.js';

/**
 * The quick fixes an entry can name. Each is written once in editing/quickFixes.ts (its QUICK_FIXES table must
 * have exactly these keys), so this layer names a fix without importing the editing layer above it.
 */
export type QuickFixName =
  | 'addRequiredFilters'
  | 'alignCompareOffset'
  | 'combineConditions'
  | 'fixMetricChannel'
  | 'fixResultColumn'
  | 'fixTypeChannel'
  | 'joinQuery'
  | 'orToIn'
  | 'quoteHavingValue'
  | 'removeRepetition'
  | 'useSuggestion'
  | 'useUrlMetric';

/** Editor tags: `unnecessary` greys the range out, `deprecated` strikes it through. */
export type DiagnosticTagName = 'unnecessary' | 'deprecated';

export interface CodeEntry {
  /** The usual severity (a rule may lower it for one case, e.g. url-dimension-metric on a click metric). */
  severity: Severity;
  tags: readonly DiagnosticTagName[];
  /** The quick fix offered for a diagnostic of this code (none when absent). */
  fix?: QuickFixName;
}

/** What a code means and how to produce it: for the docs and the tests (the server never shows these). */
export interface CodeDoc {
  /** What the code means, in one sentence (the docs table says the same). */
  doc: string;
  /** A query that produces this code when analysed. */
  example: string;
}

export type Registry = { readonly [C in DiagnosticCode]: CodeEntry };

export const REGISTRY: Registry = {
  'syntax-error': { severity: 'error', tags: [], fix: 'joinQuery' },
  'internal-error': { severity: 'error', tags: [] },
  'unknown-metric': { severity: 'error', tags: [], fix: 'useSuggestion' },
  'unknown-dimension': { severity: 'error', tags: [], fix: 'useSuggestion' },
  'unknown-filter': { severity: 'error', tags: [], fix: 'useSuggestion' },
  'unknown-value': { severity: 'error', tags: [], fix: 'useSuggestion' },
  'duplicate-metric': { severity: 'warning', tags: ['unnecessary'], fix: 'removeRepetition' },
  'duplicate-dimension': { severity: 'warning', tags: ['unnecessary'], fix: 'removeRepetition' },
  'missing-required-filter': { severity: 'error', tags: [], fix: 'addRequiredFilters' },
  'invalid-value': { severity: 'error', tags: [] },
  'empty-time-range': { severity: 'error', tags: [] },
  'contradictory-filter': { severity: 'error', tags: [], fix: 'combineConditions' },
  'unsupported-operator': { severity: 'error', tags: [], fix: 'orToIn' },
  'invalid-time-bucket': { severity: 'error', tags: [], fix: 'useSuggestion' },
  'metric-channel-unsupported': { severity: 'error', tags: [], fix: 'fixMetricChannel' },
  'metric-channel-partial': { severity: 'warning', tags: [], fix: 'fixMetricChannel' },
  'metric-channel-may-be-empty': { severity: 'warning', tags: [] },
  'url-dimension-metric': { severity: 'error', tags: [], fix: 'useUrlMetric' },
  'traffic-type-channel': { severity: 'error', tags: [], fix: 'fixTypeChannel' },
  'sender-type-channel': { severity: 'error', tags: [], fix: 'fixTypeChannel' },
  'direction-metric': { severity: 'warning', tags: [] },
  'constant-metric': { severity: 'hint', tags: [] },
  'multiple-time-grains': { severity: 'warning', tags: [] },
  'unknown-order-column': { severity: 'error', tags: [], fix: 'fixResultColumn' },
  'invalid-limit': { severity: 'error', tags: [] },
  'invalid-compare-offset': { severity: 'error', tags: [] },
  'compare-offset-misaligned': { severity: 'error', tags: [], fix: 'alignCompareOffset' },
  'unknown-having-column': { severity: 'error', tags: [], fix: 'fixResultColumn' },
  'having-type-mismatch': { severity: 'error', tags: [], fix: 'quoteHavingValue' },
  'contradictory-having': { severity: 'warning', tags: [] },
};

export const CODE_DOCS: { readonly [C in DiagnosticCode]: CodeDoc } = {
  'syntax-error': { doc: 'The text does not follow the grammar.', example: 'SELECT TOTAL_TRAFFIC_COUNT,' },
  'internal-error': {
    doc: 'A check of mq itself failed on this query (a bug in mq); the other checks still ran.',
    example: 'SELECT TOTAL_TRAFFIC_COUNT WHERE channelCode = SMS AND sentSince = now - 7d AND sentUntil = now',
  },
  'unknown-metric': {
    doc: 'SELECT names no known metric.',
    example: 'SELECT DELIVERD_TRAFFIC_COUNT WHERE channelCode = SMS AND sentSince = now - 7d AND sentUntil = now',
  },
  'unknown-dimension': {
    doc: 'BY names no known dimension.',
    example: 'SELECT TOTAL_TRAFFIC_COUNT BY COUNTRY_NAMES WHERE channelCode = SMS AND sentSince = now - 7d AND sentUntil = now',
  },
  'unknown-filter': {
    doc: 'WHERE names no known filter.',
    example: 'SELECT TOTAL_TRAFFIC_COUNT WHERE channelCode = SMS AND sentSince = now - 7d AND sentUntil = now AND channelCodes = SMS',
  },
  'unknown-value': {
    doc: 'A filter value that the filter does not know.',
    example: 'SELECT TOTAL_TRAFFIC_COUNT WHERE channelCode = WHATSAP AND sentSince = now - 7d AND sentUntil = now',
  },
  'duplicate-metric': {
    doc: 'A metric selected twice.',
    example: 'SELECT TOTAL_TRAFFIC_COUNT, TOTAL_TRAFFIC_COUNT WHERE channelCode = SMS AND sentSince = now - 7d AND sentUntil = now',
  },
  'duplicate-dimension': {
    doc: 'A dimension listed twice in BY.',
    example: 'SELECT TOTAL_TRAFFIC_COUNT BY DAY, DAY WHERE channelCode = SMS AND sentSince = now - 7d AND sentUntil = now',
  },
  'missing-required-filter': {
    doc: 'channelCode, sentSince or sentUntil is not set.',
    example: 'SELECT TOTAL_TRAFFIC_COUNT WHERE channelCode = SMS AND sentSince = now - 7d',
  },
  'invalid-value': {
    doc: 'A value of the wrong kind or out of range for its filter.',
    example: "SELECT TOTAL_TRAFFIC_COUNT WHERE channelCode = SMS AND sentSince = now - 7d AND sentUntil = now AND networkIds = '12'",
  },
  'empty-time-range': {
    doc: 'sentSince is not before sentUntil once resolved.',
    example: 'SELECT TOTAL_TRAFFIC_COUNT WHERE channelCode = SMS AND sentSince = now AND sentUntil = now - 1d',
  },
  'contradictory-filter': {
    doc: 'Conditions that AND together into nothing.',
    example: 'SELECT TOTAL_TRAFFIC_COUNT WHERE channelCode = SMS AND sentSince = now - 7d AND sentUntil = now AND channelCode = EMAIL',
  },
  'unsupported-operator': {
    doc: 'An operator the Metrics API cannot express (OR, NOT, !=, or one the filter does not take).',
    example: 'SELECT TOTAL_TRAFFIC_COUNT WHERE channelCode = SMS AND sentSince = now - 7d AND sentUntil = now OR channelCode = EMAIL',
  },
  'invalid-time-bucket': {
    doc: 'A timeTo* bound that is not a bucket boundary.',
    example: 'SELECT TOTAL_TRAFFIC_COUNT WHERE channelCode = SMS AND sentSince = now - 7d AND sentUntil = now AND timeToDeliver < 7s',
  },
  'metric-channel-unsupported': {
    doc: 'No selected channel returns the metric.',
    example: 'SELECT TOTAL_BOUNCE_COUNT WHERE channelCode = SMS AND sentSince = now - 7d AND sentUntil = now',
  },
  'metric-channel-partial': {
    doc: 'Some selected channels do not return the metric.',
    example: 'SELECT TOTAL_BOUNCE_COUNT WHERE channelCode IN (EMAIL, SMS) AND sentSince = now - 7d AND sentUntil = now',
  },
  'metric-channel-may-be-empty': {
    doc: 'The metric may come back empty for a selected channel.',
    example: 'SELECT SEEN_OPENED_TRAFFIC_COUNT WHERE channelCode = SMS AND sentSince = now - 7d AND sentUntil = now',
  },
  'url-dimension-metric': {
    doc: 'BY URL with a metric that is not a URL click metric (a warning for unconfirmed click metrics).',
    example: 'SELECT TOTAL_TRAFFIC_COUNT BY URL WHERE channelCode = SMS AND sentSince = now - 7d AND sentUntil = now',
  },
  'traffic-type-channel': {
    doc: 'A traffic type whose channel is not selected.',
    example: 'SELECT TOTAL_TRAFFIC_COUNT WHERE channelCode = SMS AND sentSince = now - 7d AND sentUntil = now AND trafficTypes = MARKETING_CONVERSATION',
  },
  'sender-type-channel': {
    doc: 'A sender type that the selected channels cannot have.',
    example: 'SELECT TOTAL_TRAFFIC_COUNT WHERE channelCode = SMS AND sentSince = now - 7d AND sentUntil = now AND senderTypes = DOMAIN',
  },
  'direction-metric': {
    doc: 'A metric of one traffic direction with the other direction chosen.',
    example: 'SELECT TOTAL_RECEIVED_TRAFFIC_COUNT WHERE channelCode = SMS AND sentSince = now - 7d AND sentUntil = now AND direction = OUTBOUND',
  },
  'constant-metric': {
    doc: 'A filter pins the metric to one value (a delivery rate of 100 % when only delivered messages are kept).',
    example: 'SELECT TRAFFIC_DELIVERY_RATE WHERE channelCode = SMS AND sentSince = now - 7d AND sentUntil = now AND timeToDeliver < 5s',
  },
  'multiple-time-grains': {
    doc: 'Several time dimensions: only the finest comes back.',
    example: 'SELECT TOTAL_TRAFFIC_COUNT BY DAY, HOUR WHERE channelCode = SMS AND sentSince = now - 7d AND sentUntil = now',
  },
  'unknown-order-column': {
    doc: 'ORDER BY names a column the result does not have (also a comparison column without COMPARE WITH).',
    example: 'SELECT TOTAL_TRAFFIC_COUNT WHERE channelCode = SMS AND sentSince = now - 7d AND sentUntil = now ORDER BY DELIVERED_TRAFFIC_COUNT',
  },
  'invalid-limit': {
    doc: 'LIMIT 0.',
    example: 'SELECT TOTAL_TRAFFIC_COUNT WHERE channelCode = SMS AND sentSince = now - 7d AND sentUntil = now LIMIT 0',
  },
  'invalid-compare-offset': {
    doc: 'COMPARE WITH d AGO with a duration of 0 (or too large to use).',
    example: 'SELECT TOTAL_TRAFFIC_COUNT WHERE channelCode = SMS AND sentSince = now - 7d AND sentUntil = now COMPARE WITH 0d AGO',
  },
  'compare-offset-misaligned': {
    doc: 'The COMPARE offset is not a whole number of buckets of the time dimension (or the dimension is MONTH, QUARTER or YEAR), so rows could not be matched.',
    example: 'SELECT TOTAL_TRAFFIC_COUNT BY DAY WHERE channelCode = SMS AND sentSince = now - 7d AND sentUntil = now COMPARE WITH 36h AGO',
  },
  'unknown-having-column': {
    doc: 'HAVING names a column the result does not have (also a comparison column without COMPARE WITH).',
    example: 'SELECT TOTAL_TRAFFIC_COUNT WHERE channelCode = SMS AND sentSince = now - 7d AND sentUntil = now HAVING TOTAL_TRAFFIC_COUNT_DELTA < 0',
  },
  'having-type-mismatch': {
    doc: 'A HAVING condition compares a column with the wrong kind of value (a number with a dimension, text with a metric) or uses <, >, BETWEEN on a dimension.',
    example: 'SELECT TOTAL_TRAFFIC_COUNT BY COUNTRY_NAME WHERE channelCode = SMS AND sentSince = now - 7d AND sentUntil = now HAVING COUNTRY_NAME > 5',
  },
  'contradictory-having': {
    doc: 'HAVING conditions on one column that no value satisfies together, so no row can come back.',
    example: 'SELECT TOTAL_TRAFFIC_COUNT WHERE channelCode = SMS AND sentSince = now - 7d AND sentUntil = now HAVING TOTAL_TRAFFIC_COUNT > 5 AND TOTAL_TRAFFIC_COUNT < 3',
  },
};

/** Every code, in registry order. */
export const DIAGNOSTIC_CODES: readonly DiagnosticCode[] = Object.keys(REGISTRY) as DiagnosticCode[];
