// Fast, case-insensitive lookups over the catalog, built once on first use,
// plus "did you mean" suggestions for unknown names.

import { catalog } from './data.js';
import type {
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

let cached: CatalogIndex | undefined;

export function getCatalogIndex(): CatalogIndex {
  if (cached) return cached;
  const channels = byName(catalog.channels);
  const names = <T extends { name: string }>(list: readonly T[]): string[] => list.map((e) => e.name);
  cached = {
    metrics: byName(catalog.metrics),
    dimensions: byName(catalog.dimensions),
    filters: byName(catalog.filters),
    channels,
    trafficTypes: byNameAndId(catalog.trafficTypes),
    senderTypes: byNameAndId(catalog.senderTypes),
    statusGroups: byName(catalog.statusGroups),
    errorGroups: byName(catalog.errorGroups),
    directions: byName(catalog.directions),
    capabilities: byName(catalog.capabilities),
    timeBuckets: byName(catalog.timeBuckets),
    statuses: byName(catalog.statuses),
    errorCodes: byName(catalog.errorCodes),
    names: {
      metrics: names(catalog.metrics),
      dimensions: names(catalog.dimensions),
      filters: names(catalog.filters),
      channels: names(catalog.channels),
      trafficTypes: names(catalog.trafficTypes),
      senderTypes: names(catalog.senderTypes),
      statusGroups: names(catalog.statusGroups),
      errorGroups: names(catalog.errorGroups),
      directions: names(catalog.directions),
      capabilities: names(catalog.capabilities),
      timeBuckets: names(catalog.timeBuckets),
      statuses: names(catalog.statuses),
      errorCodes: names(catalog.errorCodes),
    },
    familyOf: (code: string) => channels.get(key(code))?.family,
  };
  return cached;
}

/** OpenAPI family of a channel code (FB → FACEBOOK, KAKAOA → KAKAO, SMS → SMS); undefined if unknown. */
export function familyOf(channelCode: string): ChannelFamily | undefined {
  return getCatalogIndex().familyOf(channelCode);
}

// ---------------------------------------------------------------------------------------------
// closestNames: "did you mean" suggestions
// ---------------------------------------------------------------------------------------------

/** Pre-processed candidate list (upper-cased text and its byte codes), cached per array. */
interface Prepared {
  upper: string[];
  codes: Uint8Array[];
}

const preparedCache = new WeakMap<readonly string[], Prepared>();
const preparedByText = new Map<string, Prepared>();

function encode(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

function prepare(candidates: readonly string[]): Prepared {
  let p = preparedCache.get(candidates);
  if (p) return p;
  const textKey = candidates.join('\u0000');
  p = preparedByText.get(textKey);
  if (!p) {
    const upper = candidates.map((c) => c.toUpperCase());
    p = { upper, codes: upper.map(encode) };
    if (preparedByText.size > 64) preparedByText.clear();
    preparedByText.set(textKey, p);
  }
  preparedCache.set(candidates, p);
  return p;
}

// Reusable DP rows for the banded edit distance (names are short; grown on demand).
let rowPrev2 = new Int32Array(64);
let rowPrev = new Int32Array(64);
let rowCur = new Int32Array(64);

/**
 * Optimal-string-alignment distance (Levenshtein + adjacent transposition) between a and b,
 * or max + 1 if it exceeds `max`. Only the diagonal band |i - j| <= max is computed.
 */
function boundedDistance(a: Uint8Array, b: Uint8Array, max: number): number {
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > max) return max + 1;
  if (lb + 1 > rowCur.length) {
    const n = (lb + 1) * 2;
    rowPrev2 = new Int32Array(n);
    rowPrev = new Int32Array(n);
    rowCur = new Int32Array(n);
  }
  const BIG = max + 1;
  let p2 = rowPrev2;
  let p1 = rowPrev;
  let cur = rowCur;
  for (let j = 0; j <= lb; j++) p1[j] = j <= max ? j : BIG;
  for (let i = 1; i <= la; i++) {
    const lo = Math.max(1, i - max);
    const hi = Math.min(lb, i + max);
    cur[0] = i <= max ? i : BIG;
    if (lo > 1) cur[lo - 1] = BIG;
    let rowMin = cur[0]!;
    const ai = a[i - 1]!;
    for (let j = lo; j <= hi; j++) {
      const bj = b[j - 1]!;
      let v = p1[j - 1]! + (ai === bj ? 0 : 1);
      const del = p1[j]! + 1;
      if (del < v) v = del;
      const ins = cur[j - 1]! + 1;
      if (ins < v) v = ins;
      if (i > 1 && j > 1 && ai === b[j - 2] && a[i - 2] === bj) {
        const tr = p2[j - 2]! + 1;
        if (tr < v) v = tr;
      }
      if (v > BIG) v = BIG;
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (hi < lb) cur[hi + 1] = BIG;
    if (rowMin > max) return BIG;
    const t = p2;
    p2 = p1;
    p1 = cur;
    cur = t;
  }
  const d = p1[lb]!;
  return d > max ? BIG : d;
}

// Pattern bitmasks for the bit-parallel distance (pattern = the input, at most 32 chars).
const peq = new Int32Array(256);

/**
 * Optimal-string-alignment distance between the pattern (length m, 1..32, masks in `peq`) and text t:
 * Myers' bit-vector Levenshtein with Hyyrö's extension for adjacent transpositions. O(|t|) word operations.
 */
function bitParallelOsa(m: number, t: Uint8Array, max = Infinity): number {
  const last = 1 << (m - 1);
  const n = t.length;
  let vp = -1;
  let vn = 0;
  let d0 = 0;
  let pmOld = 0;
  let score = m;
  for (let j = 0; j < n; j++) {
    const pm = peq[t[j]!]!;
    const tr = ((~d0 & pm) << 1) & pmOld;
    d0 = ((((pm & vp) + vp) | 0) ^ vp) | pm | vn | tr;
    let hp = vn | ~(d0 | vp);
    let hn = d0 & vp;
    if (hp & last) score++;
    else if (hn & last) score--;
    hp = (hp << 1) | 1;
    hn = hn << 1;
    vp = hn | ~(d0 | hp);
    vn = hp & d0;
    pmOld = pm;
    // The last row can drop by at most one per remaining text character.
    if (score - (n - 1 - j) > max) return max + 1;
  }
  return score;
}

/** Largest edit distance still worth suggesting for an input of this length. */
function cutoff(len: number): number {
  if (len <= 3) return 1;
  if (len <= 6) return 2;
  return Math.min(8, Math.max(3, Math.floor(len * 0.3)));
}

/**
 * The closest catalog names to `input` for a "did you mean" message, best first (at most `max`).
 * Case-insensitive. Candidates that start with the input (or that the input starts with) rank first,
 * then candidates containing it, then candidates within a small edit distance (typos, swapped letters).
 * Returns the candidates' own spelling. Names too far away are not suggested at all.
 */
export function closestNames(input: string, candidates: readonly string[], max = 3): string[] {
  const needle = input.trim().toUpperCase();
  if (needle.length === 0 || max <= 0 || candidates.length === 0) return [];
  const prep = prepare(candidates);
  const needleCodes = encode(needle);
  const limit = cutoff(needle.length);
  const useBits = needleCodes.length <= 32;
  if (useBits) {
    peq.fill(0);
    for (let k = 0; k < needleCodes.length; k++) peq[needleCodes[k]!]! |= 1 << k;
  }

  // score: tier * 1000 + distance * 10 + small tie-breaker; lower is better.
  const scored: { i: number; score: number }[] = [];
  for (let i = 0; i < prep.upper.length; i++) {
    const cand = prep.upper[i]!;
    if (cand === needle) {
      scored.push({ i, score: -1 });
      continue;
    }
    if (needle.length >= 2 && (cand.startsWith(needle) || (cand.length >= 3 && needle.startsWith(cand)))) {
      scored.push({ i, score: Math.abs(cand.length - needle.length) });
      continue;
    }
    if (needle.length >= 3 && cand.includes(needle)) {
      scored.push({ i, score: 200 + Math.abs(cand.length - needle.length) });
      continue;
    }
    if (Math.abs(cand.length - needle.length) > limit) continue;
    const codes = prep.codes[i]!;
    if (useBits) {
      const dist = bitParallelOsa(needleCodes.length, codes, limit);
      if (dist <= limit) scored.push({ i, score: 1000 + dist * 100 + Math.abs(cand.length - needle.length) });
      continue;
    }
    const dist = boundedDistance(needleCodes, codes, limit);
    if (dist <= limit) scored.push({ i, score: 1000 + dist * 100 + Math.abs(cand.length - needle.length) });
  }
  scored.sort((x, y) => x.score - y.score || x.i - y.i);
  const out: string[] = [];
  for (const s of scored) {
    if (out.length >= max) break;
    out.push(candidates[s.i]!);
  }
  return out;
}

/**
 * Case-insensitive optimal-string-alignment distance (insert, delete, substitute, swap two
 * neighbouring characters; each costs 1). Exposed for tests and for ranking elsewhere.
 */
export function editDistance(a: string, b: string): number {
  const x = encode(a.toUpperCase());
  const y = encode(b.toUpperCase());
  if (x.length === 0) return y.length;
  if (y.length === 0) return x.length;
  if (x.length <= 32) {
    peq.fill(0);
    for (let k = 0; k < x.length; k++) peq[x[k]!]! |= 1 << k;
    return bitParallelOsa(x.length, y);
  }
  return boundedDistance(x, y, Math.max(x.length, y.length));
}
