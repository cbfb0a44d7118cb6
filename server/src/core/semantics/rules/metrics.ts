// unknown-metric, duplicate-metric: every SELECT item must be a catalog metric, each once.
import { diag, unknownName, type Rule } from './types.js';

export const metricsRule: Rule = {
  id: 'metrics',
  codes: ['unknown-metric', 'duplicate-metric'],
  checks: {
    Metric(m, rc) {
      if (!m.entry) {
        const index = rc.catalog;
        const u = m.node.upper;
        let why = '';
        if (index.dimensions.has(u)) why = ` ${index.dimensions.get(u)!.name} is a dimension: move it to the BY clause.`;
        else if (index.filters.has(u)) why = ` ${index.filters.get(u)!.name} is a filter: use it in WHERE.`;
        rc.accept(unknownName(index, 'unknown-metric', m.node, 'metric', index.names.metrics, why, 'SELECT'));
        return;
      }
      if (m.duplicateOf) {
        rc.accept(
          diag('duplicate-metric', m.node, `${m.entry.name} is already selected; remove this repetition (the API returns each metric once).`, {
            data: { name: m.entry.name },
            related: [{ at: m.duplicateOf, message: `first selected here` }],
          }),
        );
      }
    },
  },
};
