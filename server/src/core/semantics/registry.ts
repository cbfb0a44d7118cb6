// The one description of each diagnostic code: its severity, its editor tags, the name of its quick fix, what it
// means and a query that produces it. The type of each code's `data` is DiagnosticData (diagnostics.ts).
// Adding a code = its DiagnosticData entry and its entry here (the compiler insists on both), the rule
// that reports it (rules/), a row in docs/language.md and tests (test/core/semantics/registry.test.ts
// checks the docs and the examples against this table).
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
  /** What the code means, in one sentence (the docs table says the same). */
  doc: string;
  /** A query that produces this code when analysed. */
  example: string;
  /** The quick fix offered for a diagnostic of this code (none when absent). */
  fix?: QuickFixName;
}

export type Registry = { readonly [C in DiagnosticCode]: CodeEntry };

const W = `WHERE channelCode = SMS AND sentSince = now - 7d AND sentUntil = now`;

export const REGISTRY: Registry = {
  'syntax-error': {
    severity: 'error',
    tags: [],
    doc: 'The text does not follow the grammar.',
    example: 'SELECT TOTAL_TRAFFIC_COUNT,',
    fix: 'joinQuery',
  },
  'internal-error': {
    severity: 'error',
    tags: [],
    doc: 'A check of mq itself failed on this query (a bug in mq); the other checks still ran.',
    example: `SELECT TOTAL_TRAFFIC_COUNT ${W}`,
  },
  'unknown-metric': { severity: 'error', tags: [], doc: 'SELECT names no known metric.', example: `SELECT DELIVERD_TRAFFIC_COUNT ${W}`, fix: 'useSuggestion' },
  'unknown-dimension': { severity: 'error', tags: [], doc: 'BY names no known dimension.', example: `SELECT TOTAL_TRAFFIC_COUNT BY COUNTRY_NAMES ${W}`, fix: 'useSuggestion' },
  'unknown-filter': { severity: 'error', tags: [], doc: 'WHERE names no known filter.', example: `SELECT TOTAL_TRAFFIC_COUNT ${W} AND channelCodes = SMS`, fix: 'useSuggestion' },
  'unknown-value': { severity: 'error', tags: [], doc: 'A filter value that the filter does not know.', example: `SELECT TOTAL_TRAFFIC_COUNT WHERE channelCode = WHATSAP AND sentSince = now - 7d AND sentUntil = now`, fix: 'useSuggestion' },
  'duplicate-metric': { severity: 'warning', tags: ['unnecessary'], doc: 'A metric selected twice.', example: `SELECT TOTAL_TRAFFIC_COUNT, TOTAL_TRAFFIC_COUNT ${W}`, fix: 'removeRepetition' },
  'duplicate-dimension': { severity: 'warning', tags: ['unnecessary'], doc: 'A dimension listed twice in BY.', example: `SELECT TOTAL_TRAFFIC_COUNT BY DAY, DAY ${W}`, fix: 'removeRepetition' },
  'missing-required-filter': { severity: 'error', tags: [], doc: 'channelCode, sentSince or sentUntil is not set.', example: 'SELECT TOTAL_TRAFFIC_COUNT WHERE channelCode = SMS AND sentSince = now - 7d', fix: 'addRequiredFilters' },
  'invalid-value': { severity: 'error', tags: [], doc: 'A value of the wrong kind or out of range for its filter.', example: `SELECT TOTAL_TRAFFIC_COUNT ${W} AND networkIds = '12'` },
  'empty-time-range': { severity: 'error', tags: [], doc: 'sentSince is not before sentUntil once resolved.', example: 'SELECT TOTAL_TRAFFIC_COUNT WHERE channelCode = SMS AND sentSince = now AND sentUntil = now - 1d' },
  'contradictory-filter': { severity: 'error', tags: [], doc: 'Conditions that AND together into nothing.', example: `SELECT TOTAL_TRAFFIC_COUNT ${W} AND channelCode = EMAIL`, fix: 'combineConditions' },
  'unsupported-operator': { severity: 'error', tags: [], doc: 'An operator the Metrics API cannot express (OR, NOT, !=, or one the filter does not take).', example: `SELECT TOTAL_TRAFFIC_COUNT ${W} OR channelCode = EMAIL`, fix: 'orToIn' },
  'invalid-time-bucket': { severity: 'error', tags: [], doc: 'A timeTo* bound that is not a bucket boundary.', example: `SELECT TOTAL_TRAFFIC_COUNT ${W} AND timeToDeliver < 7s`, fix: 'useSuggestion' },
  'metric-channel-unsupported': { severity: 'error', tags: [], doc: 'No selected channel returns the metric.', example: `SELECT TOTAL_BOUNCE_COUNT ${W}`, fix: 'fixMetricChannel' },
  'metric-channel-partial': { severity: 'warning', tags: [], doc: 'Some selected channels do not return the metric.', example: 'SELECT TOTAL_BOUNCE_COUNT WHERE channelCode IN (EMAIL, SMS) AND sentSince = now - 7d AND sentUntil = now', fix: 'fixMetricChannel' },
  'metric-channel-may-be-empty': { severity: 'warning', tags: [], doc: 'The metric may come back empty for a selected channel.', example: `SELECT SEEN_OPENED_TRAFFIC_COUNT ${W}` },
  'url-dimension-metric': { severity: 'error', tags: [], doc: 'BY URL with a metric that is not a URL click metric (a warning for unconfirmed click metrics).', example: `SELECT TOTAL_TRAFFIC_COUNT BY URL ${W}`, fix: 'useUrlMetric' },
  'traffic-type-channel': { severity: 'error', tags: [], doc: 'A traffic type whose channel is not selected.', example: `SELECT TOTAL_TRAFFIC_COUNT ${W} AND trafficTypes = MARKETING_CONVERSATION`, fix: 'fixTypeChannel' },
  'sender-type-channel': { severity: 'error', tags: [], doc: 'A sender type that the selected channels cannot have.', example: `SELECT TOTAL_TRAFFIC_COUNT ${W} AND senderTypes = DOMAIN`, fix: 'fixTypeChannel' },
  'direction-metric': { severity: 'warning', tags: [], doc: 'A metric of one traffic direction with the other direction chosen.', example: `SELECT TOTAL_RECEIVED_TRAFFIC_COUNT ${W} AND direction = OUTBOUND` },
  'constant-metric': { severity: 'hint', tags: [], doc: 'A filter pins the metric to one value (a delivery rate of 100 % when only delivered messages are kept).', example: `SELECT TRAFFIC_DELIVERY_RATE ${W} AND timeToDeliver < 5s` },
  'multiple-time-grains': { severity: 'warning', tags: [], doc: 'Several time dimensions: only the finest comes back.', example: `SELECT TOTAL_TRAFFIC_COUNT BY DAY, HOUR ${W}` },
  'unknown-order-column': {
    severity: 'error',
    tags: [],
    doc: 'ORDER BY names a column the result does not have (also a comparison column without COMPARE WITH).',
    example: `SELECT TOTAL_TRAFFIC_COUNT ${W} ORDER BY DELIVERED_TRAFFIC_COUNT`,
    fix: 'fixResultColumn',
  },
  'invalid-limit': { severity: 'error', tags: [], doc: 'LIMIT 0.', example: `SELECT TOTAL_TRAFFIC_COUNT ${W} LIMIT 0` },
  'invalid-compare-offset': {
    severity: 'error',
    tags: [],
    doc: 'COMPARE WITH d AGO with a duration of 0 (or too large to use).',
    example: `SELECT TOTAL_TRAFFIC_COUNT ${W} COMPARE WITH 0d AGO`,
  },
  'compare-offset-misaligned': {
    severity: 'error',
    tags: [],
    doc: 'The COMPARE offset is not a whole number of buckets of the time dimension (or the dimension is MONTH, QUARTER or YEAR), so rows could not be matched.',
    example: `SELECT TOTAL_TRAFFIC_COUNT BY DAY ${W} COMPARE WITH 36h AGO`,
    fix: 'alignCompareOffset',
  },
  'unknown-having-column': {
    severity: 'error',
    tags: [],
    doc: 'HAVING names a column the result does not have (also a comparison column without COMPARE WITH).',
    example: `SELECT TOTAL_TRAFFIC_COUNT ${W} HAVING TOTAL_TRAFFIC_COUNT_DELTA < 0`,
    fix: 'fixResultColumn',
  },
  'having-type-mismatch': {
    severity: 'error',
    tags: [],
    doc: 'A HAVING condition compares a column with the wrong kind of value (a number with a dimension, text with a metric) or uses <, >, BETWEEN on a dimension.',
    example: `SELECT TOTAL_TRAFFIC_COUNT BY COUNTRY_NAME ${W} HAVING COUNTRY_NAME > 5`,
    fix: 'quoteHavingValue',
  },
  'contradictory-having': {
    severity: 'warning',
    tags: [],
    doc: 'HAVING conditions on one column that no value satisfies together, so no row can come back.',
    example: `SELECT TOTAL_TRAFFIC_COUNT ${W} HAVING TOTAL_TRAFFIC_COUNT > 5 AND TOTAL_TRAFFIC_COUNT < 3`,
  },
};

/** Every code, in registry order. */
export const DIAGNOSTIC_CODES: readonly DiagnosticCode[] = Object.keys(REGISTRY) as DiagnosticCode[];
