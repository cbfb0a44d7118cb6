// Request validation for the stand-in, following the OpenAPI document's schema for
// POST /metrics/1/query-aggregate-data: required properties, enums, uniqueItems, metrics minItems 1.
// Violations use dotted property paths (request.filterBy.sentSince); the live API's exact path format
// and texts are not documented, so the wording here is the stand-in's own.
import { RawInteger } from '../../core/compile/wire.js';
import { isPlainObject } from '../json.js';

// Enumerations copied from the OpenAPI document (facts of the wire format).
export const CHANNEL_CODES = ['SMS', 'EMAIL', 'FACEBOOK', 'INSTAGRAM', 'KAKAO', 'LINE', 'MMS', 'RCS', 'TELEGRAM', 'VIBER', 'VOICE_VIDEO', 'WHATSAPP', 'ZALO', 'APPLE_MB'];
export const DIRECTIONS = ['OUTBOUND', 'INBOUND'];
export const ERROR_GROUPS = ['OK', 'HANDSET_ERRORS', 'USER_ERRORS', 'OPERATOR_ERRORS'];
export const STATUS_GROUPS = ['PENDING', 'UNDELIVERABLE', 'DELIVERED', 'EXPIRED', 'REJECTED'];
export const METRIC_TYPES = ['TOTAL_TRAFFIC_COUNT', 'TOTAL_ACCEPTED_TRAFFIC_COUNT', 'TOTAL_SMS_MESSAGES_COUNT', 'INTERACTION_COUNT', 'UNIQUE_CLICKS_COUNT', 'TOTAL_CLICKS_COUNT', 'UNIQUE_CLICK_THROUGH_RATE', 'DELIVERED_TRAFFIC_COUNT', 'FAILED_TRAFFIC_COUNT', 'TRAFFIC_DELIVERY_RATE', 'TRAFFIC_DELIVERED_IN_5_SEC_RATE', 'SEEN_OPENED_TRAFFIC_COUNT', 'SEEN_OPENED_TRAFFIC_RATE', 'TOTAL_SENT_TRAFFIC_COUNT', 'TOTAL_RECEIVED_TRAFFIC_COUNT', 'RECEIVED_TO_SENT_TRAFFIC_RATIO', 'UNIQUE_URL_CLICK_COUNT', 'TOTAL_BOUNCE_COUNT', 'TOTAL_BOUNCE_RATE', 'TOTAL_SUPPRESSED_COUNT', 'SOFT_BOUNCE_COUNT', 'SOFT_BOUNCE_RATE', 'HARD_BOUNCE_COUNT', 'HARD_BOUNCE_RATE', 'VIEWED_TOTAL_COUNT', 'VIEWED_TOTAL_RATE', 'TOTAL_CLICK_RATE', 'CLICK_TO_OPEN_RATE', 'UNSUBSCRIBED_USER_COUNT', 'UNSUBSCRIBED_USER_RATE', 'EMAIL_COMPLAINTS_COUNT', 'EMAIL_COMPLAINTS_RATE', 'TOTAL_CALL_COUNT', 'TOTAL_ATTEMPTED_CALL_COUNT', 'TOTAL_SEIZED_CALL_COUNT', 'TOTAL_ANSWERED_CALL_COUNT', 'TOTAL_RECEIVED_CALL_COUNT', 'AMD_PROCESSED_CALL_COUNT', 'ANSWERED_BY_PERSON_CALL_COUNT', 'ANSWERED_BY_VOICE_DETECTION_CALL_COUNT', 'NOT_ANSWERED_CALL_COUNT', 'BUSY_CALL_COUNT', 'CANCELED_CALL_COUNT', 'FAILED_CALL_COUNT', 'TOTAL_CALL_DURATION', 'ANSWER_SEIZURE_RATIO', 'ANSWER_RATE', 'BUSY_RATE', 'HUNG_UP_COUNT', 'NORMAL_HUNG_UP_COUNT', 'ERROR_HUNG_UP_COUNT'];
export const TIME_BUCKETS = ['SECONDS_0', 'SECONDS_1', 'SECONDS_2', 'SECONDS_3', 'SECONDS_4', 'SECONDS_5', 'SECONDS_10', 'SECONDS_15', 'SECONDS_20', 'SECONDS_25', 'SECONDS_30', 'SECONDS_40', 'SECONDS_50', 'MINUTES_1', 'MINUTES_2', 'MINUTES_3', 'MINUTES_4', 'MINUTES_5', 'MINUTES_10', 'MINUTES_15', 'MINUTES_20', 'MINUTES_25', 'MINUTES_30', 'MINUTES_45', 'HOURS_1', 'HOURS_6', 'HOURS_12', 'HOURS_18', 'DAYS_1', 'DAYS_2', 'DAYS_3'];
export const TRAFFIC_AGGREGATES = ['HOUR', 'DAY', 'WEEK_SATURDAY_START', 'WEEK_SUNDAY_START', 'WEEK_MONDAY_START', 'MONTH', 'QUARTER', 'YEAR', 'ACCOUNT_KEY', 'ACCOUNT_NAME', 'STATUS_GROUP', 'STATUS', 'ERROR_GROUP', 'ERROR_CODE', 'TIME_TO_DELIVER', 'TIME_TO_ANSWER', 'TIME_TO_CLICK_FROM_SEEN', 'TIME_TO_CLICK_FROM_DELIVERED', 'TIME_TO_SEEN_FROM_DELIVERED', 'TIME_TO_OPEN_FROM_DELIVERED', 'DIRECTION', 'SENDER', 'SENDER_TYPE', 'COMMUNICATION', 'CAMPAIGN_REFERENCE', 'NETWORK_ID', 'NETWORK_NAME', 'COUNTRY_ID', 'COUNTRY_NAME', 'COUNTRY_CODE', 'APPLICATION_ID', 'ENTITY_ID', 'CHANNEL_CODE', 'CHANNEL_NAME', 'CAPABILITY', 'TRAFFIC_TYPE', 'URL'];

export const TIME_SPAN_FILTERS = ['timeToDeliver', 'timeToAnswer', 'timeToClickFromSeen', 'timeToClickFromDelivered', 'timeToSeenFromDelivered', 'timeToOpenFromDelivered'] as const;

export interface Violation {
  property: string;
  violation: string;
}

/** Extra names accepted on top of the OpenAPI enums (the product documentation knows a few more). */
export interface SchemaExtras {
  metrics?: readonly string[];
  aggregates?: readonly string[];
  /** Channel codes of the product page that the OpenAPI enum spells differently or lacks (FB, KAKAOA, ...). */
  channels?: readonly string[];
}

/** Parses the documented `yyyy-MM-dd'T'HH:mm:ss.SSSZ` form, leniently also `Z`, `+00:00` and no millis. */
export function parseApiDateTime(s: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})$/.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, se, frac, off] = m;
  let ms = Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +se!, frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0);
  const check = new Date(Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +se!));
  if (check.getUTCMonth() !== +mo! - 1 || check.getUTCDate() !== +d! || +h! > 23 || +mi! > 59 || +se! > 59) return undefined;
  if (off !== 'Z') {
    const o = off!.replace(':', '');
    const sign = o[0] === '-' ? -1 : 1;
    ms -= sign * (Number(o.slice(1, 3)) * 60 + Number(o.slice(3, 5))) * 60_000;
  }
  return new Date(ms);
}

const FILTER_PROPS = new Set([
  'sentSince', 'sentUntil', 'channelCodes', 'accountKeys', 'includeSubaccounts', ...TIME_SPAN_FILTERS, 'capabilities',
  'directions', 'trafficTypes', 'senders', 'senderTypes', 'communicationIds', 'campaignReferenceIds', 'networkIds',
  'countryIds', 'platforms', 'applicationId', 'entityId', 'statusGroups', 'statuses', 'errorGroups', 'errorCodes',
]);

function isInteger(v: unknown): boolean {
  return (typeof v === 'number' && Number.isInteger(v)) || v instanceof RawInteger;
}

type AddViolation = (property: string, violation: string) => void;
type Json = Record<string, unknown>;

/** An optional (or required) array of unique strings, each one of `allowed` when that is given. */
function checkStringArray(add: AddViolation, path: string, v: unknown, allowed: readonly string[] | undefined, opts: { required?: boolean; minItems?: number }): void {
  if (v === undefined || v === null) {
    if (opts.required) add(path, 'must not be null');
    return;
  }
  if (!Array.isArray(v)) return add(path, 'must be an array');
  if (opts.minItems !== undefined && v.length < opts.minItems) add(path, `must contain at least ${opts.minItems} item${opts.minItems === 1 ? '' : 's'}`);
  const seen = new Set<string>();
  v.forEach((item, i) => {
    if (typeof item !== 'string') return add(`${path}[${i}]`, 'must be a string');
    if (allowed && !allowed.includes(item)) add(`${path}[${i}]`, `unknown value "${item}"; expected one of ${allowed.join(', ')}`);
    if (seen.has(item)) add(path, `must contain unique items ("${item}" is repeated)`);
    seen.add(item);
  });
}

function checkCallbackUrl(add: AddViolation, url: unknown): void {
  if (url === undefined || url === null) add('callbackUrl', 'must not be null');
  else if (typeof url !== 'string') add('callbackUrl', 'must be a string');
  else if (!/^https?:\/\/[^\s/]+/i.test(url)) add('callbackUrl', 'must be an absolute http(s) URL');
}

/** metrics and aggregateBy, and no properties besides them and filterBy. */
function checkRequestLists(add: AddViolation, req: Json, extras: SchemaExtras): void {
  checkStringArray(add, 'request.metrics', req.metrics, [...METRIC_TYPES, ...(extras.metrics ?? [])], { required: true, minItems: 1 });
  checkStringArray(add, 'request.aggregateBy', req.aggregateBy, [...TRAFFIC_AGGREGATES, ...(extras.aggregates ?? [])], { required: true });
  for (const k of Object.keys(req)) {
    if (!['filterBy', 'aggregateBy', 'metrics'].includes(k)) add(`request.${k}`, 'unknown property');
  }
}

const filterPath = (name: string) => `request.filterBy.${name}`;

/** sentSince and sentUntil: required date-times, sentSince before sentUntil. */
function checkPeriod(add: AddViolation, f: Json): void {
  let since: Date | undefined;
  let until: Date | undefined;
  for (const key of ['sentSince', 'sentUntil'] as const) {
    const v = f[key];
    if (v === undefined || v === null) add(filterPath(key), 'must not be null');
    else if (typeof v !== 'string') add(filterPath(key), 'must be a date-time string');
    else {
      const d = parseApiDateTime(v);
      if (!d) add(filterPath(key), `"${v}" is not a date-time in the form yyyy-MM-dd'T'HH:mm:ss.SSSZ`);
      else if (key === 'sentSince') since = d;
      else until = d;
    }
  }
  if (since && until && since.getTime() >= until.getTime()) add(filterPath('sentUntil'), 'must be after sentSince');
}

/** The enum and free-string list filters, includeSubaccounts and the single application/entity IDs. */
function checkStringFilters(add: AddViolation, f: Json, extras: SchemaExtras): void {
  const p = filterPath;
  checkStringArray(add, p('channelCodes'), f.channelCodes, [...CHANNEL_CODES, ...(extras.channels ?? [])], { required: true, minItems: 1 });
  checkStringArray(add, p('directions'), f.directions, DIRECTIONS, {});
  checkStringArray(add, p('statusGroups'), f.statusGroups, STATUS_GROUPS, {});
  checkStringArray(add, p('errorGroups'), f.errorGroups, ERROR_GROUPS, {});
  for (const k of ['accountKeys', 'capabilities', 'trafficTypes', 'senders', 'senderTypes', 'campaignReferenceIds', 'statuses', 'errorCodes']) {
    checkStringArray(add, p(k), f[k], undefined, {});
  }
  if (f.includeSubaccounts !== undefined && typeof f.includeSubaccounts !== 'boolean') add(p('includeSubaccounts'), 'must be a boolean');
  for (const k of ['applicationId', 'entityId']) {
    if (f[k] !== undefined && f[k] !== null && typeof f[k] !== 'string') add(p(k), 'must be a string');
  }
}

/** communicationIds (any integer, big ones as RawInteger), networkIds and countryIds (32-bit): unique integers. */
function checkIntegerFilters(add: AddViolation, f: Json): void {
  const p = filterPath;
  for (const [k, int32] of [['communicationIds', false], ['networkIds', true], ['countryIds', true]] as const) {
    const v = f[k];
    if (v === undefined || v === null) continue;
    if (!Array.isArray(v)) {
      add(p(k), 'must be an array');
      continue;
    }
    const seen = new Set<string>();
    v.forEach((item, i) => {
      if (!isInteger(item)) return add(`${p(k)}[${i}]`, 'must be an integer');
      const text = item instanceof RawInteger ? item.digits : String(item);
      if (int32 && (item instanceof RawInteger || Math.abs(item as number) > 2147483647)) add(`${p(k)}[${i}]`, 'must fit in a 32-bit integer');
      if (seen.has(text)) add(p(k), `must contain unique items (${text} is repeated)`);
      seen.add(text);
    });
  }
}

/** One {from, to} time span: known buckets, from smaller than to. */
function checkTimeSpan(add: AddViolation, path: string, span: unknown): void {
  if (!isPlainObject(span)) return add(path, 'must be an object with from/to');
  for (const end of ['from', 'to'] as const) {
    const b = span[end];
    if (b === undefined || b === null) continue;
    if (typeof b !== 'string' || !TIME_BUCKETS.includes(b)) add(`${path}.${end}`, `unknown time bucket ${JSON.stringify(b)}; expected one of ${TIME_BUCKETS.join(', ')}`);
  }
  if (typeof span.from === 'string' && typeof span.to === 'string') {
    const a = TIME_BUCKETS.indexOf(span.from);
    const b = TIME_BUCKETS.indexOf(span.to);
    if (a >= 0 && b >= 0 && a >= b) add(path, 'from must be a smaller bucket than to');
  }
}

function checkTimeSpanFilters(add: AddViolation, f: Json): void {
  for (const k of TIME_SPAN_FILTERS) {
    const v = f[k];
    if (v === undefined || v === null) continue;
    if (!Array.isArray(v)) {
      add(filterPath(k), 'must be an array');
      continue;
    }
    v.forEach((span, i) => checkTimeSpan(add, `${filterPath(k)}[${i}]`, span));
  }
}

/** platforms: objects whose applicationId and entityId are strings. */
function checkPlatforms(add: AddViolation, platforms: unknown): void {
  const p = filterPath('platforms');
  if (platforms === undefined || platforms === null) return;
  if (!Array.isArray(platforms)) return add(p, 'must be an array');
  platforms.forEach((pl, i) => {
    if (!isPlainObject(pl)) return add(`${p}[${i}]`, 'must be an object');
    for (const k of ['applicationId', 'entityId']) {
      if (pl[k] !== undefined && typeof pl[k] !== 'string') add(`${p}[${i}].${k}`, 'must be a string');
    }
  });
}

function checkFilter(add: AddViolation, f: Json, extras: SchemaExtras): void {
  for (const k of Object.keys(f)) if (!FILTER_PROPS.has(k)) add(filterPath(k), 'unknown property');
  checkPeriod(add, f);
  checkStringFilters(add, f, extras);
  checkIntegerFilters(add, f);
  checkTimeSpanFilters(add, f);
  checkPlatforms(add, f.platforms);
}

/** Validates a parsed submit body; returns every violation found (empty = valid). */
export function validateSubmitBody(body: unknown, extras: SchemaExtras = {}): Violation[] {
  const out: Violation[] = [];
  const add: AddViolation = (property, violation) => void out.push({ property, violation });
  if (!isPlainObject(body)) {
    add('body', 'must be a JSON object');
    return out;
  }
  checkCallbackUrl(add, body.callbackUrl);
  const req = body.request;
  if (req === undefined || req === null) {
    add('request', 'must not be null');
    return out;
  }
  if (!isPlainObject(req)) {
    add('request', 'must be an object');
    return out;
  }
  checkRequestLists(add, req, extras);
  const f = req.filterBy;
  if (f === undefined || f === null) add('request.filterBy', 'must not be null');
  else if (!isPlainObject(f)) add('request.filterBy', 'must be an object');
  else checkFilter(add, f, extras);
  return out;
}
