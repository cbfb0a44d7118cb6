// direction-metric: inbound-only metrics with `direction = OUTBOUND` (and the reverse) can only be empty.
import { diag, type Rule } from './types.js';

export const directionMetricRule: Rule = {
  id: 'directionMetric',
  codes: ['direction-metric'],
  checks: {
    Metric(ref, rc) {
      const m = ref.entry;
      const dirs = rc.model.directions;
      if (!m?.direction || !dirs || dirs.has(m.direction) || ref.duplicateOf) return;
      const chosen = [...dirs].join(', ');
      const fold = rc.model.lists.get(rc.catalog.known.direction);
      rc.accept(
        diag(
          'direction-metric',
          ref.node,
          `${m.name} counts ${m.direction} traffic only, but direction is ${chosen}, so it will be empty. ` +
            `Remove the direction condition, add ${m.direction} to it, or drop ${m.name}.`,
          {
            data: { metric: m.name, direction: m.direction },
            related: (fold?.conditions ?? []).map((c) => ({ at: c.node, message: 'direction chosen here' })),
          },
        ),
      );
    },
  },
};
