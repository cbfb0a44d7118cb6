// Hover for one query: what the name or value under the cursor means (catalog description in mq's own
// words, channel specifics, wire name) and, for time expressions, the instant they resolve to now.
import type { Condition, Name, Query, Value } from '../syntax/ast.js';
import type { CatalogIndex } from '../catalog/catalogIndex.js';
import type { FilterEntry } from '../catalog/types.js';
import { dimensionDoc, filterDoc, metricDoc } from '../catalog/docs.js';
import { formatWireTime, resolveTime } from '../compile/time.js';
import { CONSTANT_VALUES, constantText } from '../catalog/constant.js';
import { buildModel } from '../semantics/model.js';
import { constantMetricIn } from '../semantics/rules/constantMetric.js';
import { resultColumns, type ResultColumn } from '../semantics/columns.js';
import { periodText, resolveComparison } from '../semantics/compare.js';

export interface MqHover {
  /** Markdown. */
  contents: string;
  start: number;
  end: number;
}

const inside = (n: { start: number; end: number }, offset: number): boolean => offset >= n.start && offset <= n.end;

function dimensionHover(index: CatalogIndex, upper: string): string | undefined {
  const d = index.dimensions.get(upper);
  return d && dimensionDoc(d);
}

function metricHover(index: CatalogIndex, n: Name, q: Query, now: Date): string {
  const m = index.metrics.get(n.upper);
  if (!m) return `Unknown metric \`${n.text}\`.`;
  // The constant-metric hint's sentence, when this query's filters pin the metric to one value (the model is
  // built only for a metric that some filter can pin).
  const pinnable = CONSTANT_VALUES.delivered[m.name] !== undefined || CONSTANT_VALUES.undelivered[m.name] !== undefined;
  const constant = pinnable ? constantMetricIn(buildModel(index, q, now), m) : undefined;
  return constant ? `${metricDoc(m)}\n\n**Constant in this query:** ${constantText(constant)}` : metricDoc(m);
}

function valueDoc(index: CatalogIndex, f: FilterEntry | undefined, v: Value, now: Date): string | undefined {
  if (v.kind === 'time' || (f?.valueKind === 'time' && (v.kind === 'string' || v.kind === 'nameValue'))) {
    const r = resolveTime(v, now);
    if (!r.ok) return `Not a valid time: ${r.message}.`;
    const relative = v.kind === 'time' ? v.base.kind !== 'string' : v.kind === 'nameValue';
    return `**Time** — resolves to \`${formatWireTime(r.ms)}\` (UTC)${relative ? ' at the moment; relative times are resolved again when the query runs' : ''}.`;
  }
  if (v.kind === 'integer' && (f?.valueKind === 'int64' || f?.valueKind === 'int32')) {
    const digits = v.text.replace(/^0+(?=\d)/, '');
    const max = f.valueKind === 'int64' ? 9223372036854775807n : 2147483647n;
    if (BigInt(digits) > max) return `**${f.displayName}** \`${v.text}\` — beyond the ${f.valueKind} range (at most ${max}); the query cannot be sent like this.`;
    return `**${f.displayName}** \`${v.text}\` — sent as the JSON number ${digits} in \`filterBy.${f.wire}\` (${f.valueKind === 'int64' ? 'int64, kept exact: never rounded through a floating-point number' : 'int32'}).`;
  }
  const byId = v.kind === 'integer' && (f?.valueKind === 'trafficType' || f?.valueKind === 'senderType');
  if (v.kind !== 'nameValue' && v.kind !== 'string' && !byId) {
    if (v.kind === 'duration') return `**Duration** ${v.amount}${v.unit} = ${v.ms} ms.`;
    return undefined;
  }
  const key = v.kind === 'nameValue' ? v.upper : v.kind === 'string' ? v.value.toUpperCase() : v.kind === 'integer' ? v.text.replace(/^0+(?=\d)/, '') : '';
  const entry = (() => {
    switch (f?.valueKind) {
      case 'channel': {
        const c = index.channels.get(key);
        return c && { title: `channel \`${c.name}\`${c.family !== c.name ? ` (family ${c.family})` : ''}`, e: c };
      }
      case 'direction':
        return lookup('direction', index.directions.get(key));
      case 'statusGroup':
        return lookup('status group', index.statusGroups.get(key));
      case 'errorGroup':
        return lookup('error group', index.errorGroups.get(key));
      case 'status':
        return lookup('status', index.statuses.get(key));
      case 'errorCode':
        return lookup('error code', index.errorCodes.get(key));
      case 'capability':
        return lookup('capability', index.capabilities.get(key));
      case 'trafficType': {
        const t = index.trafficTypes.get(key);
        return t && { title: `traffic type \`${t.name}\` (ID ${t.id}, ${t.family} only)${byId ? `; sent by name as \`${t.name}\`` : ''}`, e: t };
      }
      case 'senderType': {
        const t = index.senderTypes.get(key);
        return t && { title: `sender type \`${t.name}\` (ID ${t.id})${byId ? `; sent by name as \`${t.name}\`` : ''}`, e: t };
      }
      case 'timeBucket': {
        const b = index.timeBuckets.get(key);
        return b && { title: `time bucket \`${b.name}\``, e: { displayName: b.name, description: `Boundary at ${b.ms} ms.` } };
      }
      default:
        return undefined;
    }
  })();
  if (!entry) return undefined;
  return `**${entry.e.displayName}** — ${entry.title}\n\n${entry.e.description}`;
}

function lookup(what: string, e: { name: string; displayName: string; description: string } | undefined): { title: string; e: { displayName: string; description: string } } | undefined {
  return e && { title: `${what} \`${e.name}\``, e };
}

function conditionHover(index: CatalogIndex, c: Condition, offset: number, now: Date): MqHover | undefined {
  const f = index.filters.get(c.filter.upper);
  if (inside(c.filter, offset)) {
    return { contents: f ? filterDoc(f) : `Unknown filter \`${c.filter.text}\`.`, start: c.filter.start, end: c.filter.end };
  }
  for (const v of c.values) {
    if (!inside(v, offset)) continue;
    const doc = valueDoc(index, f, v, now);
    return doc ? { contents: doc, start: v.start, end: v.end } : undefined;
  }
  return undefined;
}

const KEYWORD_DOCS: Record<string, string> = {
  SELECT: '`SELECT` metrics: the values to compute (the API\'s `metrics`).',
  BY: '`BY` dimensions: how to group the rows (the API\'s `aggregateBy`; the API adds CHANNEL_CODE unless BY has CHANNEL_CODE or CHANNEL_NAME).',
  WHERE: '`WHERE` conditions joined by AND (the API\'s `filterBy`). channelCode, sentSince and sentUntil are required.',
  'COMPARE WITH':
    '`COMPARE WITH PREVIOUS PERIOD` or `COMPARE WITH d AGO`: runs the query for an earlier period too and joins the rows on their dimensions; ' +
    'each metric M gets `M_PREVIOUS`, `M_DELTA` and `M_DELTA_PCT` columns.',
  HAVING: '`HAVING` conditions on result columns joined by AND: keeps the rows that satisfy them, after they arrive (not sent to the API; N/A satisfies nothing).',
  'ORDER BY': '`ORDER BY` result columns: sorts the rows after they arrive (not sent to the API; N/A sorts last).',
  LIMIT: '`LIMIT n`: keeps the first n rows of the result (not sent to the API).',
};

const COMPARISON_MEANING: Record<Exclude<ResultColumn['kind'], 'dimension' | 'metric'>, (m: string) => string> = {
  previous: (m) => `the value of \`${m}\` in the previous period (the row with the same dimension values there)`,
  delta: (m) => `\`${m}\` − \`${m}_PREVIOUS\`: the change from the previous period (N/A when either side is N/A)`,
  deltaPct: (m) => `(\`${m}\` − \`${m}_PREVIOUS\`) / \`${m}_PREVIOUS\` × 100: the change in percent (N/A when either side is N/A or the previous value is 0)`,
};

/** The two periods of a COMPARE query, resolved now, as hover lines. */
function periodsDoc(index: CatalogIndex, q: Query, now: Date): string {
  const r = resolveComparison(index, q, now);
  if (!r) return '';
  return `\n\nCurrent period: \`${periodText(r.current)}\`\n\nPrevious period (${r.label}): \`${periodText(r.previous)}\`\n\nResolved at the moment; resolved again when the query runs.`;
}

/** What a result column named in ORDER BY or HAVING is. */
function columnDoc(index: CatalogIndex, q: Query, n: Name, now: Date): string {
  const col = resultColumns(index, q).find((c) => c.name === n.upper);
  if (col?.metric && col.kind !== 'metric') {
    const kind = col.kind as keyof typeof COMPARISON_MEANING;
    return `**${n.upper}** — comparison column: ${COMPARISON_MEANING[kind](col.metric.name)}.${periodsDoc(index, q, now)}`;
  }
  const u = n.upper;
  const doc = index.metrics.has(u) ? metricHover(index, n, q, now) : dimensionHover(index, u);
  return doc ?? `Result column \`${n.text}\`.`;
}

/** Hover at `offset` (an offset in the same coordinates as the query's nodes). */
export function hoverAt(index: CatalogIndex, q: Query | undefined, offset: number, now: Date): MqHover | undefined {
  if (!q || offset < q.start || offset > q.end) return undefined;
  for (const m of q.select.metrics) if (inside(m, offset)) return { contents: metricHover(index, m, q, now), start: m.start, end: m.end };
  for (const d of q.by?.dimensions ?? []) {
    if (inside(d, offset)) return { contents: dimensionHover(index, d.upper) ?? `Unknown dimension \`${d.text}\`.`, start: d.start, end: d.end };
  }
  for (const c of q.where?.conditions ?? []) {
    if (offset < c.start || offset > c.end) continue;
    const h = conditionHover(index, c, offset, now);
    if (h) return h;
  }
  for (const o of q.orderBy?.items ?? []) {
    if (!inside(o.column, offset)) continue;
    const doc = columnDoc(index, q, o.column, now);
    return { contents: `${doc}\n\nSorted ${o.direction === 'DESC' ? 'largest first' : 'smallest first'} by mq.`, start: o.column.start, end: o.column.end };
  }
  for (const c of q.having?.conditions ?? []) {
    if (!inside(c.column, offset)) continue;
    const doc = columnDoc(index, q, c.column, now);
    return { contents: `${doc}\n\nHAVING keeps the rows that satisfy the condition (applied by mq after the result arrives; N/A satisfies nothing).`, start: c.column.start, end: c.column.end };
  }
  const target = q.compare?.target;
  if (q.compare && (inside(q.compare.keyword, offset) || (target && inside(target, offset)))) {
    const at = target && inside(target, offset) ? target : q.compare.keyword;
    return { contents: `${KEYWORD_DOCS['COMPARE WITH']}${periodsDoc(index, q, now)}`, start: at.start, end: at.end };
  }
  const kws = [q.select.keyword, q.by?.keyword, q.where?.keyword, q.having?.keyword, q.orderBy?.keyword, q.limit?.keyword];
  for (const k of kws) {
    if (!k || !inside(k, offset)) continue;
    const upper = k.text.toUpperCase().replace(/\s+/g, ' ');
    const doc = KEYWORD_DOCS[upper];
    if (doc) return { contents: doc, start: k.start, end: k.end };
  }
  return undefined;
}
