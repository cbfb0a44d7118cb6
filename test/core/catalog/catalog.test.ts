// Cross-checks the catalog against the two reference files, read at test time:
//   reference/metrics-and-filters.txt       (the seed: the product's "Metrics and filters" page)
//   reference/infobip-metrics-openapi-3.210.json (the OpenAPI document)
// plus the status/error code names of reference/metrics-api-wire-format.md (§6.5).
// Run: node --import tsx --test test/core/catalog/catalog.test.ts

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { catalog } from '../../../server/src/core/catalog/data.js';
import { closestNames, editDistance, NameSearch } from '../../../server/src/core/catalog/closest.js';
import { createMq } from '../../../server/src/core/index.js';
import { mq, query } from '../../helpers/mq.js';
import type { Source } from '../../../server/src/core/catalog/types.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const refDir = path.resolve(repoRoot, 'reference');
const seedText = readFileSync(path.join(refDir, 'metrics-and-filters.txt'), 'utf8');
const oasText = readFileSync(path.join(refDir, 'infobip-metrics-openapi-3.210.json'), 'utf8');
const digestText = readFileSync(path.join(refDir, 'metrics-api-wire-format.md'), 'utf8');
const oas = JSON.parse(oasText) as { components: { schemas: Record<string, any> } };

// ------------------------------------------------------------------------------------------
// Reading the OpenAPI document
// ------------------------------------------------------------------------------------------

function schema(suffix: string): any {
  const key = Object.keys(oas.components.schemas).find((k) => k === suffix || k.endsWith('.' + suffix));
  assert.ok(key, `OpenAPI schema ${suffix} not found`);
  return oas.components.schemas[key];
}
function oasEnum(suffix: string): string[] {
  const e = schema(suffix).enum as string[] | undefined;
  assert.ok(Array.isArray(e), `${suffix} has no enum`);
  return e;
}

const oasMetrics = oasEnum('MetricType');
const oasAggregates = oasEnum('TrafficAggregate');
const oasChannels = oasEnum('ChannelCode');
const oasBuckets = oasEnum('TimeBucket');
const oasStatusGroups = oasEnum('GeneralStatus');
const oasErrorGroups = oasEnum('ErrorCodeGroup');
const oasDirections = oasEnum('Direction');
const oasFilterProps = Object.keys(schema('AggregateDataFilter').properties as object);
const oasCapabilities = [
  ...(schema('AggregateDataFilter').properties.capabilities.description as string).matchAll(/`([A-Z_]+)`\s+[–-]/g),
].map((m) => m[1]!);

// ------------------------------------------------------------------------------------------
// Reading the seed text
// ------------------------------------------------------------------------------------------

function section(text: string, start: string, end: string): string {
  const a = text.indexOf(start);
  assert.ok(a >= 0, `seed section start "${start}" not found`);
  const b = text.indexOf(end, a + start.length);
  assert.ok(b > a, `seed section end "${end}" not found`);
  return text.slice(a + start.length, b);
}
const lines = (s: string): string[] => s.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);

const seedMetricSection = section(seedText, '\nMetrics\n', 'Aggregation/Dimensions');
// API syntax names end in COUNT, RATE or RATIO (they are glued to the description in the text).
const seedMetrics = [...new Set([...seedMetricSection.matchAll(/(?:[A-Z0-9]+_)+(?:COUNT|RATE|RATIO)/g)].map((m) => m[0]))];

const seedDimensionSection = section(seedText, 'Dimension nameDescription', 'Forced Aggregation');
const seedDimensions = lines(seedDimensionSection)
  .map((l) => /^([A-Z][A-Z0-9_]*?)Groups /.exec(l)?.[1])
  .filter((x): x is string => x !== undefined);

// Filter rows are "<label><apiSyntax><Description>..." or a bare continuation "<apiSyntax>[Description]".
// The labels are the seed's own first column; longest first so "Sender type" wins over "Sender".
const FILTER_LABELS = [
  'Statuses and error codes', 'Campaign reference ID', 'Engagement timeframe', 'Communication ID', 'Sent time range',
  'Sub-accounts', 'Traffic type', 'Sender type', 'Application', 'Direction', 'Accounts', 'Channel', 'Network',
  'Country', 'Sender', 'Entity',
];
/** The seed writes the sentSince row as "sentSincesIncludes ..." (a stray "s"); read it as sentSince. */
const SEED_FILTER_TYPOS: Record<string, string> = { sentSinces: 'sentSince' };
const seedFilterSection = section(seedText, 'FilterAPI syntaxDescriptionRequired', '\nChannels\n');
const seedFilters: string[] = [];
for (const line of lines(seedFilterSection)) {
  let rest = line;
  const label = FILTER_LABELS.find((l) => line.startsWith(l));
  if (label) rest = line.slice(label.length);
  if (!/^[a-z]/.test(rest)) continue; // description-only line
  const m = /^[a-z][a-zA-Z]*?(?=[A-Z][a-z]+ |[A-Z][a-z]+\.|(?:No|Yes)$|$)/.exec(rest);
  assert.ok(m, `cannot read filter row: ${line}`);
  seedFilters.push(SEED_FILTER_TYPOS[m[0]] ?? m[0]);
}

const seedChannelSection = section(seedText, 'their codes:', '\ntrafficTypes\n');
const seedChannels = lines(seedChannelSection)
  .filter((l) => l !== 'Dimension nameDescription')
  .map((l) => {
    // "<CODE><Description>": the description starts with a capitalised word, or with an all-caps
    // word that the code itself starts with ("SMSSMS", "LINELNSLINE Official Notification").
    for (let k = 1; k < l.length; k++) {
      const code = l.slice(0, k);
      const rest = l.slice(k);
      if (/^[A-Z][a-z]/.test(rest)) return code;
      const caps = /^([A-Z]+)( |$)/.exec(rest);
      if (caps && code.startsWith(caps[1]!)) return code;
    }
    assert.fail(`cannot read channel row: ${l}`);
  });

const seedTrafficRows = lines(section(seedText, '\ntrafficTypes\n', '\nsenderTypes\n')).filter((l) => /^\d+[A-Z]/.test(l));
const seedSenderRows = lines(section(seedText, '\nsenderTypes\n', 'Sender types for some channels')).filter((l) =>
  /^\d+[A-Z0-9]/.test(l),
);

const hasWord = (text: string, word: string): boolean =>
  new RegExp(`(^|[^A-Za-z0-9_])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z0-9_])`).test(text);

function expectedSource(inSeed: boolean, inOas: boolean): Source | undefined {
  if (inSeed && inOas) return 'both';
  if (inSeed) return 'seed';
  if (inOas) return 'openapi';
  return undefined;
}

const names = <T extends { name: string }>(list: readonly T[]): string[] => list.map((e) => e.name);
function assertUnique(list: string[], what: string): void {
  const seen = new Set<string>();
  for (const n of list) {
    assert.ok(!seen.has(n.toUpperCase()), `duplicate ${what}: ${n}`);
    seen.add(n.toUpperCase());
  }
}

// ------------------------------------------------------------------------------------------

describe('reference parsing sanity (guards the extractors themselves)', () => {
  test('seed counts', () => {
    assert.equal(seedMetrics.length, 33);
    assert.equal(seedDimensions.length, 34);
    assert.equal(new Set(seedFilters).size, 23);
    assert.equal(seedFilters.length, 23);
    assert.equal(seedChannels.length, 19);
    assert.equal(seedTrafficRows.length, 8);
    assert.equal(seedSenderRows.length, 6);
  });
  test('OpenAPI counts', () => {
    assert.equal(oasMetrics.length, 51);
    assert.equal(oasAggregates.length, 37);
    assert.equal(oasChannels.length, 14);
    assert.equal(oasBuckets.length, 31);
    assert.equal(oasCapabilities.length, 16);
  });
});

describe('metrics', () => {
  const catalogNames = names(catalog.metrics);
  test('no duplicates; every seed metric and every OpenAPI MetricType value is present', () => {
    assertUnique(catalogNames, 'metric');
    for (const n of seedMetrics) assert.ok(catalogNames.includes(n), `seed metric ${n} missing`);
    for (const n of oasMetrics) assert.ok(catalogNames.includes(n), `OpenAPI metric ${n} missing`);
    assert.equal(catalog.metrics.length, new Set([...seedMetrics, ...oasMetrics]).size);
    assert.equal(catalog.metrics.filter((m) => m.source !== 'openapi').length, 33);
  });
  test('source matches where the name appears (OpenAPI = the MetricType enum, not its prose)', () => {
    for (const m of catalog.metrics) {
      const exp = expectedSource(seedMetrics.includes(m.name), oasMetrics.includes(m.name));
      assert.ok(exp, `metric ${m.name} appears in no reference (invented?)`);
      assert.equal(m.source, exp, `source of ${m.name}`);
    }
    assert.equal(catalog.metrics.find((m) => m.name === 'TOTAL_DROPPED_COUNT')?.source, 'seed');
    assert.equal(catalog.metrics.find((m) => m.name === 'TOTAL_ACCEPTED_TRAFFIC_COUNT')?.source, 'openapi');
  });
  test('value types and rate flags', () => {
    for (const m of catalog.metrics) {
      const rate = /_(RATE|RATIO)$/.test(m.name);
      assert.equal(m.isRate, rate, m.name);
      assert.equal(m.valueType, rate ? 'NUMBER' : 'INTEGER', m.name);
      assert.ok(m.displayName.length > 0 && m.description.length > 0, m.name);
    }
  });
  test('channel rules follow the seed "Channel specifics"', () => {
    // Split the metric section into one chunk per metric (from its name to the next metric name).
    const positions = seedMetrics
      .map((n) => ({ n, at: seedMetricSection.search(new RegExp(`(?<=[a-z)])${n}`)) })) // the table cell, glued to its label
      .sort((a, b) => a.at - b.at);
    for (let i = 0; i < positions.length; i++) {
      const { n, at } = positions[i]!;
      assert.ok(at >= 0, `table row of ${n} not found`);
      const chunk = seedMetricSection.slice(at, positions[i + 1]?.at ?? seedMetricSection.length);
      const m = catalog.metrics.find((e) => e.name === n)!;
      if (chunk.includes('Retrievable only for Email')) assert.deepEqual(m.onlyFor, ['EMAIL'], n);
      else if (chunk.includes('Retrievable only for SMS')) assert.deepEqual(m.onlyFor, ['SMS'], n);
      else assert.equal(m.onlyFor, undefined, n);
      if (chunk.includes('Not retrievable for Email')) {
        assert.deepEqual(m.notFor, ['EMAIL'], n);
        assert.deepEqual(m.replacement, { family: 'EMAIL', metric: 'TOTAL_DROPPED_COUNT' });
      } else assert.equal(m.notFor, undefined, n);
      if (chunk.includes('seen callback')) assert.deepEqual(m.mayBeEmptyExceptFor, ['WHATSAPP', 'VIBER', 'RCS', 'EMAIL'], n);
      if (chunk.includes('Tracking may not be available')) assert.deepEqual(m.mayBeEmptyFor, ['APPLE_MB', 'FACEBOOK'], n);
      if (chunk.includes('(inbound)') && !chunk.includes('(outbound)')) assert.equal(m.direction, 'INBOUND', n);
    }
  });
  test('voice metrics are Voice and Video only; click metrics have a URL rule', () => {
    const voice = catalog.metrics.filter((m) => m.category === 'voice');
    assert.equal(voice.length, 19);
    for (const m of voice) {
      assert.deepEqual(m.onlyFor, ['VOICE_VIDEO'], m.name);
      assert.equal(m.source, 'openapi', m.name);
    }
    for (const m of catalog.metrics) {
      if (m.category === 'clicks') assert.ok(m.urlDimension, m.name);
      else assert.equal(m.urlDimension, undefined, m.name);
    }
    assert.equal(catalog.metrics.find((m) => m.name === 'UNIQUE_URL_CLICK_COUNT')?.urlDimension, 'valid');
    assert.equal(catalog.metrics.filter((m) => m.urlDimension === 'valid').length, 1);
  });
  test('every family named in a rule is a known channel family', () => {
    const families = new Set(catalog.channels.map((c) => c.family));
    for (const m of catalog.metrics) {
      for (const f of [...(m.onlyFor ?? []), ...(m.notFor ?? []), ...(m.mayBeEmptyExceptFor ?? []), ...(m.mayBeEmptyFor ?? [])]) {
        assert.ok(families.has(f), `${m.name}: unknown family ${f}`);
      }
      if (m.replacement) assert.ok(catalog.metrics.some((x) => x.name === m.replacement!.metric));
    }
  });
});

describe('dimensions', () => {
  const catalogNames = names(catalog.dimensions);
  test('every seed dimension and every OpenAPI TrafficAggregate value is present, nothing else', () => {
    assertUnique(catalogNames, 'dimension');
    for (const n of seedDimensions) assert.ok(catalogNames.includes(n), `seed dimension ${n} missing`);
    for (const n of oasAggregates) assert.ok(catalogNames.includes(n), `OpenAPI aggregate ${n} missing`);
    assert.equal(catalog.dimensions.length, new Set([...seedDimensions, ...oasAggregates]).size);
    assert.equal(catalog.dimensions.filter((d) => d.source !== 'openapi').length, 34);
  });
  test('source', () => {
    for (const d of catalog.dimensions) {
      const exp = expectedSource(seedDimensions.includes(d.name), oasAggregates.includes(d.name));
      assert.ok(exp, `dimension ${d.name} appears in no reference`);
      assert.equal(d.source, exp, `source of ${d.name}`);
    }
  });
  test('time grains and column types', () => {
    const grains: Record<string, number> = {
      HOUR: 1, DAY: 2, WEEK_SATURDAY_START: 3, WEEK_SUNDAY_START: 3, WEEK_MONDAY_START: 3, MONTH: 4, QUARTER: 5, YEAR: 6,
    };
    for (const d of catalog.dimensions) {
      assert.equal(d.timeGrain, grains[d.name], d.name);
      assert.equal(d.category === 'time', d.name in grains, d.name);
      const expType = d.name in grains ? 'DATE_TIME' : ['NETWORK_ID', 'COUNTRY_ID', 'COMMUNICATION'].includes(d.name) ? 'INTEGER' : 'STRING';
      assert.equal(d.columnType, expType, d.name);
    }
  });
});

describe('filters', () => {
  const catalogNames = names(catalog.filters);
  test('every seed filter is present under its API syntax spelling', () => {
    assertUnique(catalogNames, 'filter');
    for (const n of seedFilters) assert.ok(catalogNames.includes(n), `seed filter ${n} missing`);
  });
  test('every OpenAPI filterBy property is reachable (by name or wire property)', () => {
    for (const p of oasFilterProps) {
      assert.ok(catalog.filters.some((f) => f.name === p || f.wire === p), `OpenAPI filter ${p} not covered`);
    }
  });
  test('source; `sent` is the one mq shorthand', () => {
    for (const f of catalog.filters) {
      if (f.shorthand) {
        assert.equal(f.name, 'sent');
        assert.equal(f.source, 'seed');
        assert.ok(seedFilters.includes('sentSince') && seedFilters.includes('sentUntil'));
        continue;
      }
      const inOas = oasFilterProps.includes(f.name) || oasFilterProps.includes(f.wire);
      const exp = expectedSource(seedFilters.includes(f.name), inOas);
      assert.ok(exp, `filter ${f.name} appears in no reference`);
      assert.equal(f.source, exp, `source of ${f.name}`);
      assert.ok(oasFilterProps.includes(f.wire), `wire property ${f.wire} of ${f.name} is not in the OpenAPI schema`);
    }
    assert.equal(catalog.filters.filter((f) => f.shorthand).length, 1);
    assert.equal(catalog.filters.filter((f) => !f.shorthand && f.source !== 'openapi').length, 23);
    assert.deepEqual(
      catalog.filters.filter((f) => f.source === 'openapi').map((f) => f.name).sort(),
      ['capabilities', 'timeToAnswer', 'timeToOpenFromDelivered'],
    );
  });
  test('shape: required, wire names, operators, ranges', () => {
    const get = (n: string) => catalog.filters.find((f) => f.name === n)!;
    assert.deepEqual(catalog.filters.filter((f) => f.required).map((f) => f.name).sort(), ['channelCode', 'sentSince', 'sentUntil']);
    assert.equal(get('channelCode').wire, 'channelCodes');
    assert.equal(get('direction').wire, 'directions');
    assert.equal(get('applicationId').wire, 'platforms');
    assert.equal(get('entityId').wire, 'platforms');
    assert.equal(get('communicationIds').valueKind, 'int64');
    assert.equal(get('networkIds').valueKind, 'int32');
    assert.equal(get('countryIds').valueKind, 'int32');
    assert.deepEqual(get('includeSubaccounts').operators, ['=']);
    for (const f of catalog.filters) {
      if (f.name.startsWith('timeTo')) {
        assert.equal(f.valueKind, 'timeBucket', f.name);
        assert.ok(f.range && f.list, f.name);
        assert.deepEqual([...f.operators].sort(), ['<', '<=', '>', '>=', 'BETWEEN'].sort(), f.name);
      }
      if (f.range) assert.ok(f.operators.includes('BETWEEN'), f.name);
      else assert.ok(!f.operators.some((o) => o !== '=' && o !== 'IN'), f.name);
    }
  });
});

describe('channels', () => {
  test('seed codes and OpenAPI codes, each once', () => {
    const codes = names(catalog.channels);
    assertUnique(codes, 'channel');
    for (const c of seedChannels) assert.ok(codes.includes(c), `seed channel ${c} missing`);
    for (const c of oasChannels) assert.ok(codes.includes(c), `OpenAPI channel ${c} missing`);
    assert.equal(codes.length, new Set([...seedChannels, ...oasChannels]).size);
    assert.equal(catalog.channels.filter((c) => c.source !== 'openapi').length, 19);
    assert.equal(catalog.channels.filter((c) => c.source !== 'seed').length, 14);
  });
  test('source and family', () => {
    for (const c of catalog.channels) {
      assert.equal(c.source, expectedSource(seedChannels.includes(c.name), oasChannels.includes(c.name)), c.name);
      if (oasChannels.includes(c.name)) assert.equal(c.family, c.name, c.name);
      else assert.ok(oasChannels.includes(c.family) || c.family === c.name, `${c.name} → ${c.family}`);
    }
    const fam = Object.fromEntries(catalog.channels.map((c) => [c.name, c.family]));
    assert.deepEqual(
      { FB: fam.FB, IM: fam.IM, KAKAOA: fam.KAKAOA, KAKAOC: fam.KAKAOC, KAKAOS: fam.KAKAOS, LINELNS: fam.LINELNS, LINEOA: fam.LINEOA, VIBERBOTS: fam.VIBERBOTS, ZALONS: fam.ZALONS, APPLECB: fam.APPLECB, EMAILVALID: fam.EMAILVALID, NL: fam.NL },
      { FB: 'FACEBOOK', IM: 'INSTAGRAM', KAKAOA: 'KAKAO', KAKAOC: 'KAKAO', KAKAOS: 'KAKAO', LINELNS: 'LINE', LINEOA: 'LINE', VIBERBOTS: 'VIBER', ZALONS: 'ZALO', APPLECB: 'APPLE_MB', EMAILVALID: 'EMAILVALID', NL: 'NL' },
    );
  });
});

describe('traffic types and sender types', () => {
  test('traffic types: the seed table, by ID and name', () => {
    assert.equal(catalog.trafficTypes.length, 8);
    for (const t of catalog.trafficTypes) {
      assert.equal(seedTrafficRows.filter((r) => r.startsWith(`${t.id}${t.name}`)).length, 1, `${t.id} ${t.name}`);
      assert.equal(t.source, 'seed');
      assert.equal(t.family, t.id <= 4 ? 'WHATSAPP' : 'RCS', t.name);
    }
    assertUnique(names(catalog.trafficTypes), 'traffic type');
  });
  test('sender types: the seed table, by ID and name', () => {
    assert.equal(catalog.senderTypes.length, 6);
    for (const s of catalog.senderTypes) {
      assert.equal(seedSenderRows.filter((r) => r.startsWith(`${s.id}${s.name}`)).length, 1, `${s.id} ${s.name}`);
      assert.equal(s.source, 'seed');
      assert.equal(s.kind, s.name === 'DOMAIN' ? 'email' : 'phone', s.name);
    }
    assertUnique(names(catalog.senderTypes), 'sender type');
  });
});

describe('enumerations from the OpenAPI document', () => {
  test('status groups, error groups, directions, capabilities', () => {
    assert.deepEqual(names(catalog.statusGroups), oasStatusGroups);
    assert.deepEqual(catalog.statusGroups.map((g) => g.id), [1, 2, 3, 4, 5]);
    assert.deepEqual(names(catalog.errorGroups), oasErrorGroups);
    assert.deepEqual(catalog.errorGroups.map((g) => g.id), [0, 1, 2, 3]);
    assert.deepEqual(names(catalog.directions).sort(), [...oasDirections].sort());
    assert.deepEqual(names(catalog.capabilities), oasCapabilities);
    for (const list of [catalog.statusGroups, catalog.errorGroups, catalog.directions, catalog.capabilities]) {
      for (const e of list) {
        // The seed names INBOUND/OUTBOUND in the DIRECTION dimension; it never names the others.
        assert.equal(e.source, expectedSource(hasWord(seedText, e.name), true), e.name);
      }
    }
  });
  test('time buckets: the 31 TimeBucket values in order, with their boundaries', () => {
    assert.deepEqual(names(catalog.timeBuckets), oasBuckets);
    const unit: Record<string, number> = { SECONDS: 1000, MINUTES: 60_000, HOURS: 3_600_000, DAYS: 86_400_000 };
    for (const b of catalog.timeBuckets) {
      const [u, n] = b.name.split('_');
      assert.equal(b.ms, Number(n) * unit[u!]!, b.name);
    }
    const ms = catalog.timeBuckets.map((b) => b.ms);
    assert.deepEqual(ms, [...ms].sort((a, b) => a - b));
    const byName = Object.fromEntries(catalog.timeBuckets.map((b) => [b.name, b.ms]));
    assert.equal(byName.SECONDS_0, 0);
    assert.equal(byName.SECONDS_5, 5000);
    assert.equal(byName.MINUTES_1, 60000);
    assert.equal(byName.HOURS_1, 3_600_000);
    assert.equal(byName.DAYS_3, 259_200_000);
  });
  test('statuses and error codes: only names from the references, in the right group', () => {
    // Digest §6.5: "  * PENDING (group id 1): `A`, `B`" and "  * Error groups: 0 OK (`NO_ERROR`), 1 handset errors (...)".
    const statusGroupOf = new Map<string, string>();
    for (const m of digestText.matchAll(/^\s*\* (PENDING|UNDELIVERABLE|DELIVERED|EXPIRED|REJECTED) \(.*$/gm)) {
      for (const n of m[0].matchAll(/`([A-Z0-9_]+)`/g)) statusGroupOf.set(n[1]!, m[1]!);
    }
    const errorLine = /^\s*\* Error groups:.*$/m.exec(digestText)?.[0];
    assert.ok(errorLine);
    const errorGroupOf = new Map<string, string>();
    for (const m of errorLine.matchAll(/(\d) [A-Za-z ]+\(([^)]*)\)/g)) {
      const group = catalog.errorGroups.find((g) => g.id === Number(m[1]))!.name;
      for (const n of m[2]!.matchAll(/`([A-Z0-9_]+)`/g)) errorGroupOf.set(n[1]!, group);
    }
    assert.ok(statusGroupOf.size >= 30 && errorGroupOf.size >= 6);
    for (const s of catalog.statuses) {
      assert.equal(s.group, statusGroupOf.get(s.name), `status ${s.name}`);
      assert.equal(s.source, 'openapi');
    }
    for (const e of catalog.errorCodes) {
      assert.equal(e.group, errorGroupOf.get(e.name), `error code ${e.name}`);
      assert.equal(e.source, 'openapi');
    }
    for (const n of statusGroupOf.keys()) assert.ok(catalog.statuses.some((s) => s.name === n), `status ${n} missing`);
    for (const n of errorGroupOf.keys()) assert.ok(catalog.errorCodes.some((s) => s.name === n), `error code ${n} missing`);
    // The names used in the OpenAPI request example are all known.
    for (const n of ['UNDELIVERABLE_REJECTED_OPERATOR', 'REJECTED_NETWORK', 'REJECTED_SENDER']) {
      assert.ok(hasWord(oasText, n) && catalog.statuses.some((s) => s.name === n), n);
    }
    for (const n of ['NO_ERROR', 'EC_UNKNOWN_SUBSCRIBER', 'EC_UNKNOWN_BASE_STATION']) {
      assert.ok(hasWord(oasText, n) && catalog.errorCodes.some((s) => s.name === n), n);
    }
    assertUnique(names(catalog.statuses), 'status');
    assertUnique(names(catalog.errorCodes), 'error code');
  });
});

describe('nothing is invented', () => {
  test('every catalog name appears in a reference file (sent is the documented mq shorthand)', () => {
    const all = seedText + '\n' + oasText + '\n' + digestText;
    const lists: { name: string; shorthand?: true }[][] = [
      catalog.metrics, catalog.dimensions, catalog.filters, catalog.channels, catalog.trafficTypes, catalog.senderTypes,
      catalog.statusGroups, catalog.errorGroups, catalog.directions, catalog.capabilities, catalog.timeBuckets,
      catalog.statuses, catalog.errorCodes,
    ];
    for (const list of lists) {
      for (const e of list) {
        if (e.shorthand) continue;
        assert.ok(all.includes(e.name), `${e.name} is in no reference file`);
      }
    }
  });
  test('descriptions are our own words (no long verbatim runs from the references)', () => {
    const refs = (seedText + '\n' + oasText).replace(/\s+/g, ' ');
    const texts = [
      ...catalog.metrics.flatMap((m) => [m.description, ...m.channelNotes]),
      ...catalog.dimensions.map((d) => d.description),
      ...catalog.filters.map((f) => f.description),
    ];
    for (const t of texts) {
      const words = t.split(/\s+/);
      for (let i = 0; i + 6 <= words.length; i++) {
        const run = words.slice(i, i + 6).join(' ');
        assert.ok(!refs.includes(run), `copied run "${run}"`);
      }
    }
  });
});

describe('catalogIndex', () => {
  const ix = mq.catalog;
  test('each instance indexes its own catalog: a name added to one is unknown to the other', () => {
    const extra = { ...catalog, metrics: [...catalog.metrics, { ...catalog.metrics[0]!, name: 'TEST_ONLY_COUNT' }] };
    const other = createMq({ catalog: extra });
    assert.ok(other.catalog.metrics.has('TEST_ONLY_COUNT'));
    assert.ok(!ix.metrics.has('TEST_ONLY_COUNT'));
    const text = query({ select: 'TEST_ONLY_COUNT' });
    const now = new Date('2026-11-05T00:00:00Z');
    assert.deepEqual(other.analyse(other.parse(text), { now }).map((d) => d.code), []);
    assert.deepEqual(mq.analyse(mq.parse(text), { now }).map((d) => d.code), ['unknown-metric']);
  });
  test('case-insensitive lookups keep canonical spelling', () => {
    assert.equal(ix.metrics.get('DELIVERED_TRAFFIC_COUNT')?.name, 'DELIVERED_TRAFFIC_COUNT');
    assert.equal(ix.metrics.get('delivered_traffic_count'.toUpperCase())?.name, 'DELIVERED_TRAFFIC_COUNT');
    assert.equal(ix.dimensions.get('WEEK_MONDAY_START')?.timeGrain, 3);
    assert.equal(ix.filters.get('CHANNELCODE')?.name, 'channelCode');
    assert.equal(ix.filters.get('channelcode'.toUpperCase())?.wire, 'channelCodes');
    assert.equal(ix.channels.get('WHATSAPP')?.family, 'WHATSAPP');
    assert.equal(ix.statuses.get('DELIVERED_TO_HANDSET')?.group, 'DELIVERED');
    assert.equal(ix.errorCodes.get('EC_ABSENT_SUBSCRIBER')?.group, 'HANDSET_ERRORS');
    assert.equal(ix.timeBuckets.get('SECONDS_5')?.ms, 5000);
    assert.equal(ix.capabilities.get('VIBER_BM')?.name, 'VIBER_BM');
    assert.equal(ix.statusGroups.get('REJECTED')?.id, 5);
    assert.equal(ix.errorGroups.get('OK')?.id, 0);
    assert.equal(ix.directions.get('INBOUND')?.name, 'INBOUND');
    // every entry reachable by its upper-cased name
    for (const f of catalog.filters) assert.equal(ix.filters.get(f.name.toUpperCase()), f);
    for (const m of catalog.metrics) assert.equal(ix.metrics.get(m.name.toUpperCase()), m);
  });
  test('traffic and sender types by numeric ID', () => {
    assert.equal(ix.trafficTypes.get('1')?.name, 'UTILITY_CONVERSATION');
    assert.equal(ix.trafficTypes.get('8')?.name, 'P2A_CONVERSATION');
    assert.equal(ix.senderTypes.get('5')?.name, '10DLC');
    assert.equal(ix.senderTypes.get('10DLC')?.id, 5);
    assert.equal(ix.senderTypes.get('6')?.kind, 'email');
    assert.equal(ix.trafficTypes.get('9'), undefined);
  });
  test('familyOf', () => {
    assert.equal(ix.familyOf('fb'), 'FACEBOOK');
    assert.equal(ix.familyOf('KAKAOS'), 'KAKAO');
    assert.equal(ix.familyOf('APPLECB'), 'APPLE_MB');
    assert.equal(ix.familyOf('SMS'), 'SMS');
    assert.equal(ix.familyOf('NL'), 'NL');
    assert.equal(ix.familyOf('NOPE'), undefined);
    assert.equal(ix.familyOf('viberbots'), 'VIBER');
  });
  test('closestNames suggests the intended name', () => {
    const metrics = ix.names.metrics;
    assert.equal(closestNames('DELIVERD_TRAFFIC_COUNT', metrics)[0], 'DELIVERED_TRAFFIC_COUNT');
    assert.equal(closestNames('deliverd_traffic_count', metrics)[0], 'DELIVERED_TRAFFIC_COUNT');
    assert.equal(closestNames('TRAFIC_DELIVERY_RATE', metrics)[0], 'TRAFFIC_DELIVERY_RATE');
    assert.equal(closestNames('TOTAL_CLIKS_COUNT', metrics)[0], 'TOTAL_CLICKS_COUNT');
    assert.equal(closestNames('DYA', ix.names.dimensions)[0], 'DAY');
    assert.equal(closestNames('chanelCode', ix.names.filters)[0], 'channelCode');
    assert.equal(closestNames('channelcodes', ix.names.filters)[0], 'channelCode');
    assert.deepEqual(closestNames('delivered', metrics, 1), ['DELIVERED_TRAFFIC_COUNT']); // prefix first
    assert.ok(closestNames('BOUNCE', metrics).every((n) => n.includes('BOUNCE')));
    assert.deepEqual(closestNames('XYZZY_QUUX', metrics), []);
    assert.deepEqual(closestNames('', metrics), []);
    assert.ok(closestNames('TOTAL', metrics, 5).length <= 5);
    assert.deepEqual(closestNames('SECONDS_6', ix.names.timeBuckets, 2).length, 2);
  });
  test('editDistance (bit-parallel) agrees with a plain dynamic-programming OSA distance', () => {
    const naive = (a: string, b: string): number => {
      a = a.toUpperCase();
      b = b.toUpperCase();
      const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
      for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
          const cost = a[i - 1] === b[j - 1] ? 0 : 1;
          let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
          if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
          d[i]![j] = v;
        }
      }
      return d[a.length]![b.length]!;
    };
    let seed = 12345;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const word = (len: number): string => Array.from({ length: len }, () => 'ABCD_E'[rnd(6)]).join('');
    for (let k = 0; k < 3000; k++) {
      const a = word(1 + rnd(40));
      const b = rnd(2) ? word(rnd(40)) : a.slice(0, rnd(a.length + 1)) + word(rnd(3)) + a.slice(rnd(a.length + 1));
      assert.equal(editDistance(a, b), naive(a, b), `${a} / ${b}`);
    }
    assert.equal(editDistance('DYA', 'DAY'), 1);
    assert.equal(editDistance('', 'ABC'), 3);
  });
  test('a NameSearch is fast: 10,000 unknown names against the metric list', () => {
    const metrics = ix.names.metrics;
    const inputs: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      const s = metrics[i % metrics.length]!;
      const p = i % s.length;
      inputs.push(s.slice(0, p) + String.fromCharCode(65 + ((i * 7) % 26)) + s.slice(p + 1));
    }
    const search = new NameSearch();
    for (const s of inputs.slice(0, 500)) search.closest(s, metrics); // warm up the JIT
    const t0 = performance.now();
    let hits = 0;
    for (const s of inputs) hits += search.closest(s, metrics).length;
    const ms = performance.now() - t0;
    assert.ok(hits > 10_000);
    // Typically well under 100 ms; the bound is loose so a busy CI machine does not flake.
    assert.ok(ms < 1000, `took ${ms.toFixed(1)} ms`);
  });
});
