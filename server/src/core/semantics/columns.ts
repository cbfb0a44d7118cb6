// The columns a query's result will have (spec §6 and §8.3), in one place: HAVING and ORDER BY are checked
// against them, completion offers them and hover explains them.
//
// Without COMPARE: CHANNEL_CODE when the API adds it on its own (neither CHANNEL_CODE nor CHANNEL_NAME in
// BY), the BY dimensions (of several time dimensions only the finest comes back), then the selected metrics.
// With COMPARE WITH: the same dimension columns, then for each metric M, in SELECT order, M, M_PREVIOUS,
// M_DELTA and M_DELTA_PCT.
import type { Query } from '../syntax/ast.js';
import type { CatalogIndex } from '../catalog/catalogIndex.js';
import type { ColumnDataType, DimensionEntry, MetricEntry } from '../catalog/types.js';
import type { QueryModel } from './model.js';

export type ColumnKind = 'dimension' | 'metric' | 'previous' | 'delta' | 'deltaPct';

export interface ResultColumn {
  /** Canonical (upper-case) column name. */
  name: string;
  kind: ColumnKind;
  /** The data type of the cell: a dimension's column type, a metric's value type; NUMBER for _DELTA_PCT. */
  type: ColumnDataType;
  /** The dimension of a dimension column. */
  dimension?: DimensionEntry;
  /** The metric a metric or comparison column comes from. */
  metric?: MetricEntry;
  /** CHANNEL_CODE added by the API although BY does not name it. */
  implicit?: boolean;
}

/** The suffix of each comparison column kind (spec §8.3). */
export const COMPARISON_SUFFIXES: readonly { suffix: string; kind: Exclude<ColumnKind, 'dimension' | 'metric'> }[] = [
  // Longest first: M_DELTA_PCT also ends with no other suffix, but keep the order explicit.
  { suffix: '_DELTA_PCT', kind: 'deltaPct' },
  { suffix: '_PREVIOUS', kind: 'previous' },
  { suffix: '_DELTA', kind: 'delta' },
];

/** The metric a comparison column name is built on (`X_DELTA` → X), when X is a catalog metric. */
export function comparisonBase(catalog: CatalogIndex, upper: string): { metric: MetricEntry; kind: Exclude<ColumnKind, 'dimension' | 'metric'> } | undefined {
  for (const { suffix, kind } of COMPARISON_SUFFIXES) {
    if (!upper.endsWith(suffix)) continue;
    const metric = catalog.metrics.get(upper.slice(0, -suffix.length));
    if (metric) return { metric, kind };
  }
  return undefined;
}

/** The finest time dimension among `dims` (the only one the API returns), if any. */
export function finestTime(dims: readonly (DimensionEntry | undefined)[]): DimensionEntry | undefined {
  let finest: DimensionEntry | undefined;
  for (const d of dims) {
    if (d?.timeGrain === undefined) continue;
    if (!finest || d.timeGrain < finest.timeGrain!) finest = d;
  }
  return finest;
}

/** The result columns of a query, in result order (see the top of this file). */
export function resultColumns(catalog: CatalogIndex, q: Query): ResultColumn[] {
  const known = catalog.known;
  const dims: DimensionEntry[] = [];
  for (const n of q.by?.dimensions ?? []) {
    const d = catalog.dimensions.get(n.upper);
    if (d && !dims.includes(d)) dims.push(d);
  }
  const metrics: MetricEntry[] = [];
  for (const n of q.select.metrics) {
    const m = catalog.metrics.get(n.upper);
    if (m && !metrics.includes(m)) metrics.push(m);
  }
  const cols: ResultColumn[] = [];
  if (!dims.includes(known.channelCodeDimension) && !dims.includes(known.channelNameDimension)) {
    const d = known.channelCodeDimension;
    cols.push({ name: d.name, kind: 'dimension', type: d.columnType, dimension: d, implicit: true });
  }
  const finest = finestTime(dims);
  for (const d of dims) {
    if (d.timeGrain !== undefined && d !== finest) continue;
    cols.push({ name: d.name, kind: 'dimension', type: d.columnType, dimension: d });
  }
  const compare = !!q.compare;
  for (const m of metrics) {
    cols.push({ name: m.name, kind: 'metric', type: m.valueType, metric: m });
    if (!compare) continue;
    cols.push({ name: `${m.name}_PREVIOUS`, kind: 'previous', type: m.valueType, metric: m });
    cols.push({ name: `${m.name}_DELTA`, kind: 'delta', type: m.valueType, metric: m });
    cols.push({ name: `${m.name}_DELTA_PCT`, kind: 'deltaPct', type: 'NUMBER', metric: m });
  }
  return cols;
}

/** Why `upper` is not a column of the result, with the closest columns and whether COMPARE would add it. */
export interface MissingColumn {
  why: string;
  suggestions: string[];
  /** The name is a comparison column of a selected metric: COMPARE WITH would make it a column. */
  addCompare: boolean;
}

/** Explains a name that is not among `cols` (the result columns of `q`). */
export function explainMissingColumn(catalog: CatalogIndex, q: Query, cols: readonly ResultColumn[], text: string): MissingColumn {
  const up = text.toUpperCase();
  const names = cols.map((c) => c.name);
  const closest = (): string[] => catalog.closest.closest(text, names, 3);
  const dim = catalog.dimensions.get(up);
  const metric = catalog.metrics.get(up);
  const inBy = (q.by?.dimensions ?? []).some((n) => catalog.dimensions.get(n.upper) === dim);
  const known = catalog.known;
  if (dim && dim.timeGrain !== undefined && inBy) {
    const finest = cols.find((c) => c.dimension?.timeGrain !== undefined)!.name;
    return { why: `only the finest time dimension, ${finest}, comes back, so ${dim.name} is not a column. Use ${finest}.`, suggestions: [finest], addCompare: false };
  }
  if (dim === known.channelCodeDimension) {
    return { why: 'CHANNEL_CODE is not added when BY has CHANNEL_NAME. Add CHANNEL_CODE to BY or use CHANNEL_NAME.', suggestions: [known.channelNameDimension.name], addCompare: false };
  }
  if (metric) return { why: `${metric.name} is not selected. Add it to SELECT or use a selected column.`, suggestions: closest(), addCompare: false };
  if (dim) return { why: `${dim.name} is not in BY. Add it to BY or use a column the result has.`, suggestions: closest(), addCompare: false };
  const base = comparisonBase(catalog, up);
  if (base) {
    const selected = cols.some((c) => c.metric === base.metric);
    if (!selected) {
      return { why: `it compares ${base.metric.name}, which is not selected. Add ${base.metric.name} to SELECT.`, suggestions: closest(), addCompare: false };
    }
    if (!q.compare) {
      return {
        why: `${up} is a comparison column: it exists only when the query has COMPARE WITH. Add COMPARE WITH PREVIOUS PERIOD (or COMPARE WITH 7d AGO).`,
        suggestions: [],
        addCompare: true,
      };
    }
  }
  const suggestions = closest();
  return { why: suggestions.length ? `Did you mean ${suggestions.join(', ')}?` : `The result has: ${names.join(', ')}.`, suggestions, addCompare: false };
}

/** The result columns of the model's query, computed once per model (ORDER BY, HAVING and the compiler ask). */
export function modelColumns(catalog: CatalogIndex, m: QueryModel): ResultColumn[] {
  return (m.columns ??= resultColumns(catalog, m.query));
}

/** An unknown name that is also written (and already reported) in SELECT or BY: the rules stay quiet about it. */
export function reportedElsewhere(m: QueryModel, up: string): boolean {
  return m.metrics.some((r) => !r.entry && r.node.upper === up) || m.dimensions.some((d) => !d.entry && d.node.upper === up);
}
