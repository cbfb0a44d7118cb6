// The one channel-family rule: which channel families a metric returns values for (the catalog's onlyFor /
// notFor) and where it may come back empty (mayBeEmpty*). The analyser's metric-channel rules, completion's
// ranking and the stand-in's sample data all ask these functions.
import type { ChannelFamily, MetricEntry } from './types.js';

/** Does metric `m` return values (rather than N/A) for rows of channel family `family`? */
export function returnsValues(m: Pick<MetricEntry, 'onlyFor' | 'notFor'>, family: ChannelFamily): boolean {
  if (m.onlyFor && !m.onlyFor.includes(family)) return false;
  if (m.notFor && m.notFor.includes(family)) return false;
  return true;
}

/** True when some family returns values for the metric (always true when no family is chosen). */
export function returnsValuesForAny(m: Pick<MetricEntry, 'onlyFor' | 'notFor'>, families: ReadonlySet<ChannelFamily>): boolean {
  if (families.size === 0) return true;
  for (const f of families) if (returnsValues(m, f)) return true;
  return false;
}

/** May the metric come back empty for this family (seen/open reports, click tracking)? */
export function mayBeEmpty(m: MetricEntry, family: ChannelFamily): boolean {
  if (m.mayBeEmptyExceptFor && !m.mayBeEmptyExceptFor.includes(family)) return true;
  if (m.mayBeEmptyFor && m.mayBeEmptyFor.includes(family)) return true;
  return false;
}
