// unknown-metric, duplicate-metric: every SELECT item must be a catalog metric, each once.
import { closestNames, getCatalogIndex } from '../catalogIndex.js';
import { diag, type Rule } from './types.js';

export const metricsRule: Rule = {
  id: 'metrics',
  codes: ['unknown-metric', 'duplicate-metric'],
  checks: {
    Metric(m, rc) {
      if (!m.entry) {
        const index = getCatalogIndex();
        const text = m.node.text;
        const suggestions = closestNames(text, index.names.metrics, 3);
        let why = '';
        if (index.dimensions.has(m.node.upper)) why = ` ${index.dimensions.get(m.node.upper)!.name} is a dimension: move it to the BY clause.`;
        else if (index.filters.has(m.node.upper)) why = ` ${index.filters.get(m.node.upper)!.name} is a filter: use it in WHERE.`;
        const hint = suggestions.length ? ` Did you mean ${suggestions.join(', ')}?` : ' Use completion after SELECT to see the metrics.';
        rc.accept(diag('unknown-metric', m.node, `Unknown metric '${text}'.${why}${hint}`, { data: { name: text, suggestions } }));
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
