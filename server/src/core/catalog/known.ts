// The handful of catalog entries the language singles out by name (the required filters, the `sent`
// shorthand, the URL and channel dimensions, the Email family). Looked up once when the catalog index is
// built, so that a renamed entry fails loudly at construction instead of silently disabling a rule.
import type { ChannelFamily, DimensionEntry, FilterEntry } from './types.js';

export interface KnownEntries {
  channelCode: FilterEntry;
  sentSince: FilterEntry;
  sentUntil: FilterEntry;
  sent: FilterEntry;
  direction: FilterEntry;
  applicationId: FilterEntry;
  entityId: FilterEntry;
  urlDimension: DimensionEntry;
  channelCodeDimension: DimensionEntry;
  channelNameDimension: DimensionEntry;
  /** The channel family of Email (sender type DOMAIN, email-only metrics). */
  emailFamily: string;
  /** Required filters in the order they are named in messages. */
  required: FilterEntry[];
}

export function findKnown(
  filters: ReadonlyMap<string, FilterEntry>,
  dimensions: ReadonlyMap<string, DimensionEntry>,
  familyOf: (code: string) => ChannelFamily | undefined,
): KnownEntries {
  const filter = (name: string): FilterEntry => {
    const f = filters.get(name.toUpperCase());
    if (!f) throw new Error(`mq: the catalog has no filter ${name}`);
    return f;
  };
  const dimension = (name: string): DimensionEntry => {
    const d = dimensions.get(name.toUpperCase());
    if (!d) throw new Error(`mq: the catalog has no dimension ${name}`);
    return d;
  };
  const channelCode = filter('channelCode');
  const sentSince = filter('sentSince');
  const sentUntil = filter('sentUntil');
  const emailFamily = familyOf('EMAIL');
  if (!emailFamily) throw new Error('mq: the catalog has no EMAIL channel');
  return {
    channelCode,
    sentSince,
    sentUntil,
    sent: filter('sent'),
    direction: filter('direction'),
    applicationId: filter('applicationId'),
    entityId: filter('entityId'),
    urlDimension: dimension('URL'),
    channelCodeDimension: dimension('CHANNEL_CODE'),
    channelNameDimension: dimension('CHANNEL_NAME'),
    emailFamily,
    required: [channelCode, sentSince, sentUntil],
  };
}
