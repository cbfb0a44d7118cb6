// constant-metric: a hint on a metric that the query's own filters pin to one value (a delivery rate of
// 100 % under a time-to-deliver band, nothing delivered under statusGroups = REJECTED). The cases are the
// catalog's table (catalog/constant.ts); the same sentence shows on the metric's hover.
import { returnsValuesForAny } from '../../catalog/channels.js';
import { CONSTANT_VALUES, constantText, constantUnder, type ConstantMetric, type FilterSelection } from '../../catalog/constant.js';
import type { MetricEntry } from '../../catalog/types.js';
import type { QueryModel } from '../model.js';
import { diag, type Rule } from './types.js';

/** The filters of the query with the values they keep; `undefined` for one whose conditions are not all valid. */
export function filterSelection(model: QueryModel): FilterSelection {
  const selection = new Map<string, readonly string[] | undefined>();
  for (const f of model.present) {
    const list = model.lists.get(f);
    const span = model.spans.get(f);
    if (list) selection.set(f.name, list.complete && !list.emptiedBy ? list.values.map((v) => v.key ?? '') : undefined);
    else if (span) selection.set(f.name, span.complete ? [] : undefined);
  }
  return selection;
}

/** Why metric `m` is constant in the query of `model`, if it is (the hint and the metric's hover both ask). */
export function constantMetricIn(model: QueryModel, m: MetricEntry): ConstantMetric | undefined {
  // Most metrics are in neither table: answer those without looking at the filters.
  if (CONSTANT_VALUES.delivered[m.name] === undefined && CONSTANT_VALUES.undelivered[m.name] === undefined) return undefined;
  // A metric no selected channel returns is already an error; saying it is also constant adds nothing.
  if (model.channels && !returnsValuesForAny(m, model.channels.families)) return undefined;
  return constantUnder(m.name, filterSelection(model));
}

export const constantMetricRule: Rule = {
  id: 'constantMetric',
  codes: ['constant-metric'],
  checks: {
    Metric(ref, rc) {
      const m = ref.entry;
      if (!m || ref.duplicateOf) return;
      const constant = constantMetricIn(rc.model, m);
      if (!constant) return;
      const filter = rc.catalog.filters.get(constant.filter.toUpperCase());
      const fold = filter && (rc.model.lists.get(filter) ?? rc.model.spans.get(filter));
      rc.accept(
        diag('constant-metric', ref.node, `${constantText(constant)} Drop the ${constant.filter} condition to see ${m.name} vary, or drop ${m.name}.`, {
          data: { metric: m.name, filter: constant.filter, value: constant.value },
          related: (fold?.conditions ?? []).map((c) => ({ at: c.node, message: `${constant.filter} set here` })),
        }),
      );
    },
  },
};
