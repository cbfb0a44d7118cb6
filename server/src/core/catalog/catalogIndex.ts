// Fast, case-insensitive lookups over a catalog, built once by buildCatalogIndex (createMq calls it), plus
// the entries the language singles out by name, the time buckets in order and "did you mean" search.

import { NameSearch } from './closest.js';
import { findKnown, type KnownEntries } from './known.js';
import type {
  Catalog,
  CatalogEntry,
  ChannelEntry,
  ChannelFamily,
  DimensionEntry,
  EnumValueEntry,
  ErrorCodeEntry,
  FilterEntry,
  MetricEntry,
  SenderTypeEntry,
  StatusEntry,
  TimeBucketEntry,
  TrafficTypeEntry,
} from './types.js';

/** Every map is keyed by the UPPER-CASE name; look up with `key(name)` or `name.toUpperCase()`. */
export interface CatalogIndex {
  metrics: ReadonlyMap<string, MetricEntry>;
  dimensions: ReadonlyMap<string, DimensionEntry>;
  /** Filters by upper-cased mq name (CHANNELCODE → channelCode entry; canonical spelling is entry.name). */
  filters: ReadonlyMap<string, FilterEntry>;
  channels: ReadonlyMap<string, ChannelEntry>;
  /** Traffic types by name and by numeric ID as a string ("1" → UTILITY_CONVERSATION). */
  trafficTypes: ReadonlyMap<string, TrafficTypeEntry>;
  /** Sender types by name and by numeric ID as a string ("6" → DOMAIN). */
  senderTypes: ReadonlyMap<string, SenderTypeEntry>;
  statusGroups: ReadonlyMap<string, EnumValueEntry>;
  errorGroups: ReadonlyMap<string, EnumValueEntry>;
  directions: ReadonlyMap<string, EnumValueEntry>;
  capabilities: ReadonlyMap<string, EnumValueEntry>;
  timeBuckets: ReadonlyMap<string, TimeBucketEntry>;
  statuses: ReadonlyMap<string, StatusEntry>;
  errorCodes: ReadonlyMap<string, ErrorCodeEntry>;
  /** Canonical names per kind, in catalog order (handy as closestNames candidates). */
  names: {
    metrics: string[];
    dimensions: string[];
    filters: string[];
    channels: string[];
    trafficTypes: string[];
    senderTypes: string[];
    statusGroups: string[];
    errorGroups: string[];
    directions: string[];
    capabilities: string[];
    timeBuckets: string[];
    statuses: string[];
    errorCodes: string[];
  };
  /** OpenAPI family of a channel code (any spelling case); undefined for unknown codes. */
  familyOf(channelCode: string): ChannelFamily | undefined;
  /** The catalog data the index was built from. */
  data: Catalog;
  /** The entries the language singles out by name (required filters, `sent`, URL, Email, ...). */
  known: KnownEntries;
  /** Time buckets sorted by boundary. */
  bucketsByMs: readonly TimeBucketEntry[];
  /** The order of filterBy properties: required filters first, then the catalog's order. */
  filterOrder: readonly FilterEntry[];
  /** "Did you mean" search, with its own scratch buffers and cache. */
  closest: NameSearch;
}

/** Normalised lookup key. */
export function key(name: string): string {
  return name.toUpperCase();
}

function byName<T extends { name: string }>(entries: readonly T[]): Map<string, T> {
  const map = new Map<string, T>();
  for (const e of entries) map.set(key(e.name), e);
  return map;
}

function byNameAndId<T extends CatalogEntry & { id: number }>(entries: readonly T[]): Map<string, T> {
  const map = byName(entries);
  for (const e of entries) if (!map.has(String(e.id))) map.set(String(e.id), e);
  return map;
}

/** Builds every index over `data` once; the result is immutable and shared by one Mq instance. */
export function buildCatalogIndex(data: Catalog): CatalogIndex {
  const channels = byName(data.channels);
  const names = <T extends { name: string }>(list: readonly T[]): string[] => list.map((e) => e.name);
  const filters = byName(data.filters);
  const dimensions = byName(data.dimensions);
  const familyOf = (code: string): ChannelFamily | undefined => channels.get(key(code))?.family;
  const known = findKnown(filters, dimensions, familyOf);
  return {
    metrics: byName(data.metrics),
    dimensions,
    filters,
    channels,
    trafficTypes: byNameAndId(data.trafficTypes),
    senderTypes: byNameAndId(data.senderTypes),
    statusGroups: byName(data.statusGroups),
    errorGroups: byName(data.errorGroups),
    directions: byName(data.directions),
    capabilities: byName(data.capabilities),
    timeBuckets: byName(data.timeBuckets),
    statuses: byName(data.statuses),
    errorCodes: byName(data.errorCodes),
    names: {
      metrics: names(data.metrics),
      dimensions: names(data.dimensions),
      filters: names(data.filters),
      channels: names(data.channels),
      trafficTypes: names(data.trafficTypes),
      senderTypes: names(data.senderTypes),
      statusGroups: names(data.statusGroups),
      errorGroups: names(data.errorGroups),
      directions: names(data.directions),
      capabilities: names(data.capabilities),
      timeBuckets: names(data.timeBuckets),
      statuses: names(data.statuses),
      errorCodes: names(data.errorCodes),
    },
    familyOf,
    data,
    known,
    bucketsByMs: [...data.timeBuckets].sort((x, y) => x.ms - y.ms),
    filterOrder: [...known.required, ...data.filters.filter((f) => !known.required.includes(f))],
    closest: new NameSearch(),
  };
}
