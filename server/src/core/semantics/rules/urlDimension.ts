// url-dimension-metric: BY URL only works with URL click metrics. UNIQUE_URL_CLICK_COUNT is the
// documented one (no diagnostic); other click metrics are unconfirmed (warning); the rest fail (error).
import type { DimensionRef } from '../model.js';
import { diag, type Rule } from './types.js';

export const urlDimensionRule: Rule = {
  id: 'urlDimension',
  codes: ['url-dimension-metric'],
  checks: {
    Metric(ref, rc) {
      const m = ref.entry;
      if (!m || ref.duplicateOf) return;
      if (m.urlDimension === 'valid') return;
      const urlEntry = rc.catalog.known.urlDimension;
      let url: DimensionRef | undefined;
      for (const d of rc.model.dimensions) {
        if (d.entry === urlEntry) {
          url = d;
          break;
        }
      }
      if (!url) return;
      const valid = rc.catalog.data.metrics.filter((e) => e.urlDimension === 'valid').map((e) => e.name);
      const related = [{ at: url.node, message: 'BY URL here' }];
      if (m.urlDimension === 'unconfirmed') {
        rc.accept(
          diag(
            'url-dimension-metric',
            ref.node,
            `${m.name} with BY URL is not confirmed by the documentation (only ${valid.join(', ')} is). ` +
              `The API may refuse the query; use ${valid.join(' or ')} if it does.`,
            { severity: 'warning', data: { metric: m.name, suggestions: valid }, related },
          ),
        );
        return;
      }
      rc.accept(
        diag(
          'url-dimension-metric',
          ref.node,
          `${m.name} cannot be grouped BY URL: only URL click metrics can (for example ${valid.join(', ')}). ` +
            `Remove ${m.name} from this query or drop URL from BY.`,
          { data: { metric: m.name, suggestions: valid }, related },
        ),
      );
    },
  },
};
