// unknown-order-column and invalid-limit. ORDER BY may name a selected metric, a BY dimension, or
// CHANNEL_CODE when the API adds it on its own (neither CHANNEL_CODE nor CHANNEL_NAME in BY). With
// several time dimensions only the finest comes back, so only that one can be ordered by.
import type { KnownEntries } from '../../catalog/known.js';
import { finestTimeDimension } from './dimensions.js';
import type { QueryModel } from '../model.js';
import { diag, type Rule } from './types.js';

const NON_ZERO = /[1-9]/;

/** The columns the result will have, by upper-case name → canonical name, in result order. */
export function resultColumns(known: KnownEntries, m: QueryModel): Map<string, string> {
  const cols = new Map<string, string>();
  const dims = m.dimensions.filter((d) => d.entry && !d.duplicateOf);
  const hasChannel = dims.some((d) => d.entry === known.channelCodeDimension || d.entry === known.channelNameDimension);
  if (!hasChannel) cols.set(known.channelCodeDimension.name, known.channelCodeDimension.name);
  const finest = finestTimeDimension(m.dimensions);
  for (const d of dims) {
    if (d.entry!.timeGrain !== undefined && d !== finest) continue;
    cols.set(d.entry!.name, d.entry!.name);
  }
  for (const r of m.metrics) if (r.entry && !r.duplicateOf) cols.set(r.entry.name, r.entry.name);
  return cols;
}

/** resultColumns(m).has(up), without building the map (most ORDER BY items name a column). */
function isResultColumn(known: KnownEntries, m: QueryModel, up: string): boolean {
  let hasChannel = false;
  for (const d of m.dimensions) {
    if (d.entry && !d.duplicateOf && (d.entry === known.channelCodeDimension || d.entry === known.channelNameDimension)) {
      hasChannel = true;
      break;
    }
  }
  if (!hasChannel && known.channelCodeDimension.name === up) return true;
  const finest = finestTimeDimension(m.dimensions);
  for (const d of m.dimensions) {
    if (!d.entry || d.duplicateOf || (d.entry.timeGrain !== undefined && d !== finest)) continue;
    if (d.entry.name === up) return true;
  }
  for (const r of m.metrics) if (r.entry && !r.duplicateOf && r.entry.name === up) return true;
  return false;
}

export const orderLimitRule: Rule = {
  id: 'orderLimit',
  codes: ['unknown-order-column', 'invalid-limit'],
  checks: {
    OrderItem(o, rc) {
      const m = rc.model;
      const up = o.column.upper;
      const known = rc.catalog.known;
      if (isResultColumn(known, m, up)) return;
      const cols = resultColumns(known, m);
      // An unknown name that is also written (and already reported) in SELECT or BY: stay quiet.
      if (m.metrics.some((r) => !r.entry && r.node.upper === up) || m.dimensions.some((d) => !d.entry && d.node.upper === up)) return;
      const index = rc.catalog;
      const names = [...cols.values()];
      let why: string;
      let suggestions: string[];
      const dim = index.dimensions.get(up);
      const metric = index.metrics.get(up);
      if (dim && dim.timeGrain !== undefined && m.dimensions.some((d) => d.entry === dim)) {
        const finest = finestTimeDimension(m.dimensions)!;
        why = `only the finest time dimension, ${finest.entry!.name}, comes back, so ${dim.name} is not a column. Order by ${finest.entry!.name}.`;
        suggestions = [finest.entry!.name];
      } else if (dim === known.channelCodeDimension) {
        why = `CHANNEL_CODE is not added when BY has CHANNEL_NAME. Add CHANNEL_CODE to BY or order by CHANNEL_NAME.`;
        suggestions = [known.channelNameDimension.name];
      } else if (metric) {
        why = `${metric.name} is not selected. Add it to SELECT or order by a selected column.`;
        suggestions = index.closest.closest(o.column.text, names, 3);
      } else if (dim) {
        why = `${dim.name} is not in BY. Add it to BY or order by a column the result has.`;
        suggestions = index.closest.closest(o.column.text, names, 3);
      } else {
        suggestions = index.closest.closest(o.column.text, names, 3);
        why = suggestions.length ? `Did you mean ${suggestions.join(', ')}?` : `The result has: ${names.join(', ')}.`;
      }
      rc.accept(
        diag('unknown-order-column', o.column, `ORDER BY ${o.column.text}: the result has no such column; ${why}`, {
          data: { name: o.column.text, suggestions, columns: names },
        }),
      );
    },
    Limit(l, rc) {
      const v = l.value;
      if (!v) return;
      if (NON_ZERO.test(v.text)) return;
      rc.accept(
        diag('invalid-limit', v, `LIMIT ${v.text} would return no rows; LIMIT takes a number of rows of at least 1. Remove LIMIT to keep every row.`, {
          data: { value: v.text },
        }),
      );
    },
  },
};
