// Every validation rule, in the order their diagnostics are produced.
import { constantMetricRule } from './constantMetric.js';
import { compareRule } from './compare.js';
import { contradictionsRule } from './contradictions.js';
import { dimensionsRule } from './dimensions.js';
import { directionMetricRule } from './directionMetric.js';
import { havingRule } from './having.js';
import { metricChannelRule } from './metricChannel.js';
import { metricsRule } from './metrics.js';
import { operatorsRule } from './operators.js';
import { orderLimitRule } from './orderLimit.js';
import { requiredRule } from './required.js';
import { timeRangeRule } from './timeRange.js';
import { trafficSenderRule } from './trafficSender.js';
import type { Rule } from './types.js';
import { urlDimensionRule } from './urlDimension.js';
import { valuesRule } from './values.js';

/** The built-in rules, in the order their diagnostics are produced (createMq uses them unless given others). */
export const rules: readonly Rule[] = [
  metricsRule,
  dimensionsRule,
  operatorsRule,
  valuesRule,
  requiredRule,
  contradictionsRule,
  timeRangeRule,
  metricChannelRule,
  urlDimensionRule,
  trafficSenderRule,
  directionMetricRule,
  constantMetricRule,
  compareRule,
  havingRule,
  orderLimitRule,
];
