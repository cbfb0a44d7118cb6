// The resolved view of one query that every rule and the compiler share: each name looked up in the
// catalog once, each value checked and converted once, and the conditions folded per filter with AND
// semantics (lists intersect, bounds tighten). Rules only read this model and report.
import type { Condition, Located, Name, Query, Value } from '../syntax/ast.js';
import type {
  ChannelEntry,
  DimensionEntry,
  FilterEntry,
  FilterOperator,
  MetricEntry,
  SenderTypeEntry,
  TimeBucketEntry,
  TrafficTypeEntry,
} from '../catalog/types.js';
import type { CatalogIndex } from '../catalog/catalogIndex.js';
import type { KnownEntries } from '../catalog/known.js';
import type { DiagnosticData } from './diagnostics.js';
import type { ResultColumn } from './columns.js';
import { bucketForDuration, formatDuration, resolveTime } from '../compile/time.js';
import { RawInteger } from '../compile/wire.js';

/** Something wrong with a value, reported by the values rule at the value's range. */
export type Problem = { [C in 'unknown-value' | 'invalid-value' | 'invalid-time-bucket']: ProblemOf<C> }['unknown-value' | 'invalid-value' | 'invalid-time-bucket'];

interface ProblemOf<C extends keyof DiagnosticData> {
  code: C;
  message: string;
  data?: DiagnosticData[C];
  /** The parser already reported the cause (e.g. `now -` without a duration): the value is unusable but not reported again. */
  silent?: boolean;
}

export interface MetricRef {
  node: Name;
  entry: MetricEntry | undefined;
  /** The earlier occurrence of the same metric, when this one repeats it. */
  duplicateOf: Name | undefined;
}

export interface DimensionRef {
  node: Name;
  entry: DimensionEntry | undefined;
  duplicateOf: Name | undefined;
}

export interface ValueRef {
  node: Value;
  problem?: Problem;
  /** Comparable identity of the value (canonical name, string content, normalised digits, instant). */
  key?: string;
  /** What goes on the wire for list and scalar filters. */
  wire?: string | number | boolean | RawInteger;
  /** Resolved instant of a time value. */
  ms?: number;
  /** Resolved bound of a timeTo* value. */
  bucket?: TimeBucketEntry;
  channel?: ChannelEntry;
  trafficType?: TrafficTypeEntry;
  senderType?: SenderTypeEntry;
}

export interface ConditionRef {
  node: Condition;
  filter?: FilterEntry;
  values: ValueRef[];
  /** The operator is one the filter accepts. */
  operatorOk: boolean;
  /** operatorOk and every value resolved without a problem. */
  usable: boolean;
}

/** A list filter after AND-ing its conditions: the values every condition allows, in first-seen order. */
export interface ListFold {
  filter: FilterEntry;
  conditions: ConditionRef[];
  values: ValueRef[];
  /** Every condition was usable, so `values` is exactly what the query asks for. */
  complete: boolean;
  /** The condition that made the intersection empty, if any. */
  emptiedBy?: ConditionRef;
  /** A usable condition has set `values` (later ones intersect). */
  started: boolean;
}

/** One end of the sent-time window with the condition that set it. */
export interface TimeBound {
  ms: number;
  condition: ConditionRef;
  value: ValueRef;
}

/** A timeTo* filter folded into one span. */
export interface SpanFold {
  filter: FilterEntry;
  conditions: ConditionRef[];
  from?: { bucket: TimeBucketEntry; condition: ConditionRef; value: ValueRef };
  to?: { bucket: TimeBucketEntry; condition: ConditionRef; value: ValueRef };
  complete: boolean;
}

/** A scalar filter (`=` only, not a list): the distinct values given. */
export interface ScalarFold {
  filter: FilterEntry;
  conditions: ConditionRef[];
  values: ValueRef[];
}

export interface ChannelSelection {
  codes: string[];
  families: Set<string>;
  /** Condition(s) that chose the channels, for related information. */
  conditions: ConditionRef[];
}

export interface QueryModel {
  query: Query;
  metrics: MetricRef[];
  dimensions: DimensionRef[];
  conditions: ConditionRef[];
  lists: Map<FilterEntry, ListFold>;
  spans: Map<FilterEntry, SpanFold>;
  scalars: Map<FilterEntry, ScalarFold>;
  since: TimeBound[];
  until: TimeBound[];
  /** Filters present in the query (also when their conditions have problems). */
  present: Set<FilterEntry>;
  /** The chosen channels, when channelCode is given, fully valid and not contradictory. */
  channels?: ChannelSelection;
  /** The chosen directions under the same conditions. */
  directions?: Set<string>;
  /** The result columns, once asked for (columns.ts, modelColumns). */
  columns?: ResultColumn[];
}

// ---- value kinds ----------------------------------------------------------------------------------

const KIND_LABEL: Record<string, string> = {
  channel: 'a channel code',
  direction: 'a direction (INBOUND or OUTBOUND)',
  statusGroup: 'a status group',
  errorGroup: 'an error group',
  capability: 'a capability',
  trafficType: 'a traffic type name or ID',
  senderType: 'a sender type name or ID',
  status: 'a status name',
  errorCode: 'an error code name',
  string: 'a string',
  boolean: 'TRUE or FALSE',
  int64: 'an integer ID',
  int32: 'an integer ID',
  time: 'a time',
  timeBucket: 'a duration at a time-bucket boundary or a bucket name',
};

const INT32_MAX = '2147483647';
const INT64_MAX = '9223372036854775807';

function digitsLe(digits: string, max: string): boolean {
  return digits.length < max.length || (digits.length === max.length && digits <= max);
}

function normaliseDigits(text: string): string {
  let i = 0;
  while (i < text.length - 1 && text.charCodeAt(i) === 48) i++;
  return text.slice(i);
}

function valueText(v: Value): string {
  switch (v.kind) {
    case 'nameValue':
      return v.text;
    case 'string':
      return `${v.quote}${v.value}${v.quote}`;
    case 'integer':
      return v.text;
    case 'duration':
      return `${v.amount}${v.unit}`;
    case 'boolean':
      return v.value ? 'TRUE' : 'FALSE';
    case 'time':
      return 'a time expression';
  }
}

/** The word of a name-like value (a name, or a string used as a name), else undefined. */
function wordOf(v: Value): string | undefined {
  if (v.kind === 'nameValue') return v.text;
  if (v.kind === 'string') return v.value;
  return undefined;
}

function enumMap(index: CatalogIndex, kind: string): { map: ReadonlyMap<string, { name: string }>; names: string[] } | undefined {
  switch (kind) {
    case 'channel':
      return { map: index.channels, names: index.names.channels };
    case 'direction':
      return { map: index.directions, names: index.names.directions };
    case 'statusGroup':
      return { map: index.statusGroups, names: index.names.statusGroups };
    case 'errorGroup':
      return { map: index.errorGroups, names: index.names.errorGroups };
    case 'capability':
      return { map: index.capabilities, names: index.names.capabilities };
    default:
      return undefined;
  }
}

function unknownValue(index: CatalogIndex, filter: FilterEntry, text: string, candidates: string[], extra = ''): Problem {
  const suggestions = index.closest.closest(text, candidates, 3);
  const hint = suggestions.length
    ? ` Did you mean ${suggestions.join(', ')}?`
    : ` Known values: ${candidates.length <= 8 ? candidates.join(', ') : `${candidates.slice(0, 8).join(', ')}, ...`}.`;
  return {
    code: 'unknown-value',
    message: `Unknown value '${text}' for ${filter.name}: it takes ${KIND_LABEL[filter.valueKind] ?? 'a known value'}.${extra}${hint}`,
    data: { filter: filter.name, value: text, suggestions },
  };
}

function invalid(message: string, data?: DiagnosticData['invalid-value']): Problem {
  return data ? { code: 'invalid-value', message, data } : { code: 'invalid-value', message };
}

/** Resolves one value of a filter (everything except the time-window and bucket kinds, see below). */
/** Resolves one value of a filter: checks it and converts it to what is sent, or records its problem. */
export function resolveValue(filter: FilterEntry, v: Value, now: Date, index: CatalogIndex): ValueRef {
  const kind = filter.valueKind;
  switch (kind) {
    case 'channel':
    case 'direction':
    case 'statusGroup':
    case 'errorGroup':
    case 'capability':
      return resolveEnum(index, filter, kind, v);
    case 'status':
    case 'errorCode':
      return resolveOpenName(index, filter, kind, v);
    case 'trafficType':
    case 'senderType':
      return resolveTypeValue(index, filter, kind, v);
    case 'string':
      return resolveString(filter, v);
    case 'boolean':
      return resolveBoolean(filter, v);
    case 'int64':
    case 'int32':
      return resolveId(filter, kind, v);
    case 'time':
      return resolveTimeValue(filter, v, now);
    case 'timeBucket':
      return resolveBucket(filter, v, index);
  }
}

function resolveEnum(index: CatalogIndex, filter: FilterEntry, kind: string, v: Value): ValueRef {
  const ref: ValueRef = { node: v };
  const word = wordOf(v);
  const e = enumMap(index, kind)!;
  if (word === undefined) {
    ref.problem = invalid(`${filter.name} takes ${KIND_LABEL[kind]}, not ${valueText(v)}.`);
    return ref;
  }
  const entry = e.map.get(word.toUpperCase());
  if (!entry) {
    ref.problem = unknownValue(index, filter, word, e.names);
    return ref;
  }
  ref.key = entry.name;
  ref.wire = entry.name;
  if (kind === 'channel') ref.channel = entry as ChannelEntry;
  return ref;
}

/** statuses / errorCodes: open lists, any name is passed on; names are case-insensitive, so unquoted ones go upper-case. */
function resolveOpenName(index: CatalogIndex, filter: FilterEntry, kind: 'status' | 'errorCode', v: Value): ValueRef {
  const ref: ValueRef = { node: v };
  const word = wordOf(v);
  if (word === undefined || word.length === 0) {
    ref.problem = invalid(`${filter.name} takes ${KIND_LABEL[kind]}, not ${valueText(v)}.`);
    return ref;
  }
  const map = kind === 'status' ? index.statuses : index.errorCodes;
  const entry = map.get(word.toUpperCase());
  const name = entry ? entry.name : v.kind === 'nameValue' ? word.toUpperCase() : word;
  ref.key = name;
  ref.wire = name;
  return ref;
}

/** trafficTypes / senderTypes: a name or a numeric ID, always sent as the name (spec §4). */
function resolveTypeValue(index: CatalogIndex, filter: FilterEntry, kind: 'trafficType' | 'senderType', v: Value): ValueRef {
  const ref: ValueRef = { node: v };
  const map = kind === 'trafficType' ? index.trafficTypes : index.senderTypes;
  const names = kind === 'trafficType' ? index.names.trafficTypes : index.names.senderTypes;
  const text = v.kind === 'integer' ? normaliseDigits(v.text) : wordOf(v);
  if (text === undefined) {
    ref.problem = invalid(`${filter.name} takes ${KIND_LABEL[kind]}, not ${valueText(v)}.`);
    return ref;
  }
  const entry = map.get(text.toUpperCase());
  if (!entry) {
    if (v.kind === 'integer') {
      const ids = names.map((n) => `${map.get(n.toUpperCase())?.id} ${n}`).join(', ');
      ref.problem = {
        code: 'unknown-value',
        message: `No ${kind === 'trafficType' ? 'traffic' : 'sender'} type has ID ${v.text}. Use one of: ${ids}.`,
        data: { filter: filter.name, value: v.text, suggestions: [] },
      };
    } else {
      ref.problem = unknownValue(index, filter, text, names);
    }
    return ref;
  }
  ref.key = entry.name;
  ref.wire = entry.name;
  if (kind === 'trafficType') ref.trafficType = entry as TrafficTypeEntry;
  else ref.senderType = entry as SenderTypeEntry;
  return ref;
}

function resolveString(filter: FilterEntry, v: Value): ValueRef {
  const ref: ValueRef = { node: v };
  let text: string | undefined;
  if (v.kind === 'string') text = v.value;
  else if (v.kind === 'nameValue') text = v.text;
  else if (v.kind === 'integer') text = v.text;
  if (text === undefined) {
    ref.problem = invalid(`${filter.name} takes ${KIND_LABEL.string}; write the value in quotes, e.g. ${filter.name} = 'value'.`);
    return ref;
  }
  if (text.length === 0) {
    ref.problem = invalid(`${filter.name} cannot be empty; write the value between the quotes or remove the condition.`);
    return ref;
  }
  ref.key = text;
  ref.wire = text;
  return ref;
}

function resolveBoolean(filter: FilterEntry, v: Value): ValueRef {
  const ref: ValueRef = { node: v };
  if (v.kind !== 'boolean') {
    ref.problem = invalid(`${filter.name} takes TRUE or FALSE, not ${valueText(v)}.`);
    return ref;
  }
  ref.key = String(v.value);
  ref.wire = v.value;
  return ref;
}

function resolveId(filter: FilterEntry, kind: 'int64' | 'int32', v: Value): ValueRef {
  const ref: ValueRef = { node: v };
  const max = kind === 'int32' ? INT32_MAX : INT64_MAX;
  const bits = kind === 'int32' ? '32' : '64';
  if (v.kind !== 'integer') {
    const unquote = v.kind === 'string' && /^\d+$/.test(v.value) ? ` Remove the quotes: ${v.value}.` : '';
    ref.problem = invalid(`${filter.name} takes integer IDs, not ${v.kind === 'string' ? 'a string' : valueText(v)}.${unquote}`);
    return ref;
  }
  const digits = normaliseDigits(v.text);
  if (!digitsLe(digits, max)) {
    ref.problem = invalid(`${v.text} is too large for ${filter.name}: IDs are ${bits}-bit integers (at most ${max}).`, { max });
    return ref;
  }
  ref.key = digits;
  ref.wire = kind === 'int32' ? Number(digits) : new RawInteger(digits);
  return ref;
}

function resolveTimeValue(filter: FilterEntry, v: Value, now: Date): ValueRef {
  const ref: ValueRef = { node: v };
  if (v.kind === 'time' && v.offsets.some((o) => !o.duration)) {
    ref.problem = { code: 'invalid-value', message: 'incomplete time expression', silent: true };
    return ref;
  }
  const r = resolveTime(v, now);
  if (!r.ok) {
    ref.problem = invalid(`Invalid time for ${filter.name}: ${r.message}.`);
    return ref;
  }
  ref.ms = r.ms;
  ref.key = String(r.ms);
  return ref;
}

function resolveBucket(filter: FilterEntry, v: Value, index: CatalogIndex): ValueRef {
  const ref: ValueRef = { node: v };
  if (v.kind === 'duration') {
    const m = bucketForDuration(index.bucketsByMs, v);
    if (m.exact) {
      ref.bucket = m.bucket;
      ref.key = m.bucket.name;
      return ref;
    }
    const near: string[] = [];
    if (m.below) near.push(`${formatDuration(m.below.ms)} (${m.below.name})`);
    if (m.above) near.push(`${formatDuration(m.above.ms)} (${m.above.name})`);
    const suggestions = [m.below, m.above].filter((b): b is TimeBucketEntry => !!b).map((b) => formatDuration(b.ms));
    ref.problem = {
      code: 'invalid-time-bucket',
      message:
        `${v.amount}${v.unit} is not a time-bucket boundary, so ${filter.name} cannot use it. ` +
        (m.above
          ? `The nearest boundaries are ${near.join(' and ')}.`
          : `The largest boundary is ${near.join('')}; there is none beyond it.`),
      data: {
        filter: filter.name,
        suggestions,
        below: m.below?.name,
        above: m.above?.name,
      },
    };
    return ref;
  }
  if (v.kind === 'nameValue' || v.kind === 'string') {
    const word = v.kind === 'nameValue' ? v.text : v.value;
    const b = index.timeBuckets.get(word.toUpperCase());
    if (!b) {
      ref.problem = unknownValue(index, filter, word, index.names.timeBuckets, ' Write a duration such as 5s or a bucket name such as SECONDS_5.');
      return ref;
    }
    ref.bucket = b;
    ref.key = b.name;
    return ref;
  }
  if (v.kind === 'integer') {
    ref.problem = invalid(`${v.text} has no unit; ${filter.name} takes a duration such as ${v.text}s or ${v.text}m, or a bucket name.`);
    return ref;
  }
  ref.problem = invalid(`${filter.name} takes ${KIND_LABEL.timeBucket}, not ${valueText(v)}.`);
  return ref;
}

// ---- building the model -----------------------------------------------------------------------------

const NO_NAMES: readonly Name[] = [];
const NO_CONDITIONS: readonly Condition[] = [];

function operatorAllowed(filter: FilterEntry, op: Condition['operator']): boolean {
  if (op === undefined || op === '!=' || op === '<>') return false;
  return filter.operators.includes(op as FilterOperator);
}

/**
 * Points each repeated name at its first occurrence (same catalog entry, or same spelling when unknown).
 * Short lists, the usual case, compare pairwise without allocating; long ones (a 10,000-name SELECT) use a
 * map so the work stays linear.
 */
function markRepeats(refs: { node: Name; entry: unknown; duplicateOf: Name | undefined }[]): void {
  if (refs.length <= 16) {
    for (let i = 1; i < refs.length; i++) {
      const ref = refs[i]!;
      for (let k = 0; k < i; k++) {
        const prev = refs[k]!;
        if (prev.duplicateOf === undefined && (ref.entry ? prev.entry === ref.entry : !prev.entry && prev.node.upper === ref.node.upper)) {
          ref.duplicateOf = prev.node;
          break;
        }
      }
    }
    return;
  }
  const first = new Map<unknown, Name>();
  for (const ref of refs) {
    const k = ref.entry ?? `unknown:${ref.node.upper}`;
    const prev = first.get(k);
    if (prev) ref.duplicateOf = prev;
    else first.set(k, ref.node);
  }
}

/** Resolves a query against the catalog: names looked up, values checked and converted, conditions folded. */
export function buildModel(index: CatalogIndex, q: Query, now: Date): QueryModel {
  const known = index.known;
  // Arrays are allocated at their final size where it is known: a literal [] grown by push gets room for
  // 16 elements on its first push, and these lists usually hold one to four.
  const metricNodes = q.select.metrics;
  const metrics: MetricRef[] = new Array<MetricRef>(metricNodes.length);
  for (let i = 0; i < metricNodes.length; i++) {
    const node = metricNodes[i]!;
    metrics[i] = { node, entry: index.metrics.get(node.upper), duplicateOf: undefined };
  }
  markRepeats(metrics);

  const dimensionNodes = q.by ? q.by.dimensions : NO_NAMES;
  const dimensions: DimensionRef[] = new Array<DimensionRef>(dimensionNodes.length);
  for (let i = 0; i < dimensionNodes.length; i++) {
    const node = dimensionNodes[i]!;
    dimensions[i] = { node, entry: index.dimensions.get(node.upper), duplicateOf: undefined };
  }
  markRepeats(dimensions);

  const conditionNodes = q.where ? q.where.conditions : NO_CONDITIONS;
  const model: QueryModel = {
    query: q,
    metrics,
    dimensions,
    conditions: new Array<ConditionRef>(conditionNodes.length),
    lists: new Map(),
    spans: new Map(),
    scalars: new Map(),
    since: [],
    until: [],
    present: new Set(),
  };
  for (let c = 0; c < conditionNodes.length; c++) model.conditions[c] = foldCondition(index, model, conditionNodes[c]!, now);

  const ch = model.lists.get(known.channelCode);
  if (ch && ch.complete && !ch.emptiedBy && ch.values.length > 0) {
    const families = new Set<string>();
    for (const v of ch.values) if (v.channel) families.add(v.channel.family);
    model.channels = { codes: ch.values.map((v) => String(v.wire)), families, conditions: ch.conditions };
  }
  const dir = model.lists.get(known.direction);
  if (dir && dir.complete && !dir.emptiedBy && dir.values.length > 0) {
    model.directions = new Set(dir.values.map((v) => String(v.wire)));
  }
  return model;
}

/** Resolves one condition and folds it into the model's per-filter state (AND semantics). */
function foldCondition(index: CatalogIndex, model: QueryModel, node: Condition, now: Date): ConditionRef {
  const filter = index.filters.get(node.filter.upper);
  if (!filter) return { node, values: [], operatorOk: false, usable: false };
  const valueNodes = node.values;
  const values: ValueRef[] = new Array<ValueRef>(valueNodes.length);
  const ref: ConditionRef = { node, values, operatorOk: false, usable: false };
  ref.filter = filter;
  model.present.add(filter);
  ref.operatorOk = operatorAllowed(filter, node.operator) && !node.not;
  let allOk = true;
  for (let i = 0; i < valueNodes.length; i++) {
    const vr = resolveValue(filter, valueNodes[i]!, now, index);
    if (vr.problem) allOk = false;
    values[i] = vr;
  }
  ref.usable = ref.operatorOk && allOk && values.length > 0;

  if (filter.valueKind === 'time') {
    if (ref.usable) foldTime(index.known, ref, filter === index.known.sent, model.since, model.until);
  } else if (filter.range) {
    let s = model.spans.get(filter);
    if (!s) model.spans.set(filter, (s = { filter, conditions: [ref], complete: true }));
    else s.conditions.push(ref);
    if (!ref.usable) s.complete = false;
    else foldSpan(ref, s);
  } else if (filter.list) {
    foldList(model, filter, ref);
  } else {
    let s = model.scalars.get(filter);
    if (!s) model.scalars.set(filter, (s = { filter, conditions: [ref], values: [] }));
    else s.conditions.push(ref);
    if (ref.usable) for (const v of values) if (!hasKey(s.values, v.key)) s.values.push(v);
  }
  return ref;
}

/** A list filter: the values every condition allows (the first condition that leaves none empties it). */
function foldList(model: QueryModel, filter: FilterEntry, ref: ConditionRef): void {
  let l = model.lists.get(filter);
  if (!l) model.lists.set(filter, (l = { filter, conditions: [ref], values: [], complete: true, started: false }));
  else l.conditions.push(ref);
  if (!ref.usable) {
    l.complete = false;
    return;
  }
  const distinct = dedupe(ref.values);
  if (!l.started) {
    l.started = true;
    l.values = distinct;
  } else if (!l.emptiedBy) {
    const keys = new Set(distinct.map((x) => x.key));
    l.values = l.values.filter((x) => keys.has(x.key));
    if (l.values.length === 0) l.emptiedBy = ref;
  }
}

function hasKey(values: readonly ValueRef[], key: string | undefined): boolean {
  for (let i = 0; i < values.length; i++) if (values[i]!.key === key) return true;
  return false;
}

/** The values with the first of each key, in order (a copy: value lists are short, so no Set). */
function dedupe(values: ValueRef[]): ValueRef[] {
  let repeats = false;
  for (let i = 1; i < values.length && !repeats; i++) {
    for (let k = 0; k < i; k++) {
      if (values[k]!.key === values[i]!.key) {
        repeats = true;
        break;
      }
    }
  }
  if (!repeats) return values.slice();
  const out: ValueRef[] = [];
  for (const v of values) if (!hasKey(out, v.key)) out.push(v);
  return out;
}

/**
 * sentSince/sentUntil take `=`; the `sent` shorthand takes BETWEEN a AND b (since a, until b: half-open like
 * the API), `>=` (since), `>` (since + 1 ms), `<` (until), `<=` (until + 1 ms, since until is exclusive).
 */
function foldTime(known: KnownEntries, ref: ConditionRef, isSent: boolean, since: TimeBound[], until: TimeBound[]): void {
  const op = ref.node.operator;
  const [a, b] = ref.values;
  if (!a) return;
  if (!isSent) {
    (ref.filter === known.sentSince ? since : until).push({ ms: a.ms!, condition: ref, value: a });
    return;
  }
  switch (op) {
    case 'BETWEEN':
      since.push({ ms: a.ms!, condition: ref, value: a });
      if (b) until.push({ ms: b.ms!, condition: ref, value: b });
      break;
    case '>=':
      since.push({ ms: a.ms!, condition: ref, value: a });
      break;
    case '>':
      since.push({ ms: a.ms! + 1, condition: ref, value: a });
      break;
    case '<':
      until.push({ ms: a.ms!, condition: ref, value: a });
      break;
    case '<=':
      until.push({ ms: a.ms! + 1, condition: ref, value: a });
      break;
    default:
      break;
  }
}

/**
 * timeTo* bounds: `<` and `<=` set the exclusive upper bucket, `>=` and `>` the inclusive lower one
 * (buckets cannot tell a value equal to the boundary from one just beside it, see docs/language.md);
 * BETWEEN a AND b sets both. Several conditions tighten the span (largest lower, smallest upper bound).
 */
function foldSpan(ref: ConditionRef, s: SpanFold): void {
  const op = ref.node.operator;
  const [a, b] = ref.values;
  if (!a?.bucket) return;
  switch (op) {
    case '<':
    case '<=':
      setUpper(s, ref, a);
      break;
    case '>':
    case '>=':
      setLower(s, ref, a);
      break;
    case 'BETWEEN':
      setLower(s, ref, a);
      if (b?.bucket) setUpper(s, ref, b);
      break;
    default:
      break;
  }
}

function setLower(s: SpanFold, ref: ConditionRef, v: ValueRef): void {
  if (!s.from || v.bucket!.ms > s.from.bucket.ms) s.from = { bucket: v.bucket!, condition: ref, value: v };
}

function setUpper(s: SpanFold, ref: ConditionRef, v: ValueRef): void {
  if (!s.to || v.bucket!.ms < s.to.bucket.ms) s.to = { bucket: v.bucket!, condition: ref, value: v };
}

/** A Located built from a start and an end node (for ranges spanning several tokens). */
export function spanOf(a: Located, b: Located): Located {
  return { range: { start: a.range.start, end: b.range.end }, start: a.start, end: b.end };
}
