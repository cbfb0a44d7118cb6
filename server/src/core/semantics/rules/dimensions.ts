// unknown-dimension, duplicate-dimension, multiple-time-grains: the BY list.
import type { DimensionRef } from '../model.js';
import { diag, unknownName, type Rule } from './types.js';

/** The finest time dimension of the BY list (the only one the API returns), if any. */
export function finestTimeDimension(dims: readonly DimensionRef[]): DimensionRef | undefined {
  let finest: DimensionRef | undefined;
  for (const d of dims) {
    const g = d.entry?.timeGrain;
    if (g === undefined || d.duplicateOf) continue;
    if (!finest || g < finest.entry!.timeGrain!) finest = d;
  }
  return finest;
}

export const dimensionsRule: Rule = {
  id: 'dimensions',
  codes: ['unknown-dimension', 'duplicate-dimension', 'multiple-time-grains'],
  checks: {
    Dimension(d, rc) {
      if (!d.entry) {
        const index = rc.catalog;
        const u = d.node.upper;
        let why = '';
        if (index.metrics.has(u)) why = ` ${index.metrics.get(u)!.name} is a metric: move it to the SELECT list.`;
        else if (index.filters.has(u)) why = ` ${index.filters.get(u)!.name} is a filter: use it in WHERE.`;
        rc.accept(unknownName(index, 'unknown-dimension', d.node, 'dimension', index.names.dimensions, why, 'BY'));
        return;
      }
      if (d.duplicateOf) {
        rc.accept(
          diag('duplicate-dimension', d.node, `${d.entry.name} is already in BY; remove this repetition.`, {
            data: { name: d.entry.name },
            related: [{ at: d.duplicateOf, message: 'first listed here' }],
          }),
        );
      }
    },
    Query(_q, rc) {
      const dims = rc.model.dimensions;
      const finest = finestTimeDimension(dims);
      if (!finest) return;
      for (const d of dims) {
        if (d === finest || d.duplicateOf || d.entry?.timeGrain === undefined) continue;
        if (d.entry.name === finest.entry!.name) continue;
        rc.accept(
          diag(
            'multiple-time-grains',
            d.node,
            `Only the finest time dimension comes back: the API returns ${finest.entry!.name} and drops ${d.entry.name}. ` +
              `Remove ${d.entry.name}, or run a separate query for it.`,
            { data: { name: d.entry.name, finest: finest.entry!.name }, related: [{ at: finest.node, message: 'finest time dimension' }] },
          ),
        );
      }
    },
  },
};
