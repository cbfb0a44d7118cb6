// The handful of catalog entries the rules single out by name (the required filters, the `sent`
// shorthand, the URL and channel dimensions, the Email family). Looked up once from the catalog so
// that a renamed entry fails loudly at load time instead of silently disabling a rule.
import { getCatalogIndex } from '../../catalog/catalogIndex.js';
import type { DimensionEntry, FilterEntry } from '../../catalog/types.js';

function filter(name: string): FilterEntry {
  const f = getCatalogIndex().filters.get(name.toUpperCase());
  if (!f) throw new Error(`mq analyser: the catalog has no filter ${name}`);
  return f;
}

function dimension(name: string): DimensionEntry {
  const d = getCatalogIndex().dimensions.get(name.toUpperCase());
  if (!d) throw new Error(`mq analyser: the catalog has no dimension ${name}`);
  return d;
}

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

let known: KnownEntries | undefined;

export function getKnown(): KnownEntries {
  if (known) return known;
  const channelCode = filter('channelCode');
  const sentSince = filter('sentSince');
  const sentUntil = filter('sentUntil');
  const emailFamily = getCatalogIndex().familyOf('EMAIL');
  if (!emailFamily) throw new Error('mq analyser: the catalog has no EMAIL channel');
  known = {
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
  return known;
}
