// Document generator for the benchmarks: seeded, so every run measures the same text.
//
// Queries are drawn from the whole catalog (every metric, dimension, filter and enum value can appear).
// About four in five are built to be valid: the channel is chosen first and the metrics, traffic types,
// sender types and direction are picked to suit it. The rest get exactly one mistake of a kind an editor
// sees all the time: a misspelt name, an unknown value, a missing required filter, a wrong operator, a
// broken list or clause. scripts/bench/core-entry.ts reports the share that really analyses clean.
import { catalog } from '../../server/src/core/catalog/data.js';
import { returnsValues } from '../../server/src/core/catalog/channels.js';
import type { ChannelEntry, FilterEntry, MetricEntry } from '../../server/src/core/catalog/types.js';
import { seededRandom as rng } from '../../server/src/util/random.js';

/** The shared seeded generator, under the name the bench's modules use. */
export { rng };

type Rand = () => number;
const pick = <T>(r: Rand, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
const int = (r: Rand, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));

function pickSome<T>(r: Rand, list: readonly T[], lo: number, hi: number): T[] {
  const n = Math.min(list.length, int(r, lo, hi));
  const pool = list.slice();
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(pool.splice(Math.floor(r() * pool.length), 1)[0]!);
  return out;
}

const TIME_DIMS = catalog.dimensions.filter((d) => d.timeGrain !== undefined);
const OTHER_DIMS = catalog.dimensions.filter((d) => d.timeGrain === undefined && d.name !== 'URL');
const OPTIONAL_FILTERS = catalog.filters.filter((f) => !f.required && !f.shorthand);
const BUCKET_DURATIONS = ['0s', '1s', '5s', '10s', '30s', '1m', '5m', '15m', '1h', '6h', '1d'];
const STRINGS = ['spring-sale', 'InfoDesk', 'news@mail.acme.example', 'acme_rcs_agent', 'order #1042', "it's here"];

function quote(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

function list(values: string[], r: Rand): string {
  if (values.length === 1 && r() < 0.6) return `= ${values[0]}`;
  return `IN (${values.join(', ')})`;
}

/** A condition for one optional filter that suits `family`, or undefined when the filter does not. */
function condition(f: FilterEntry, family: string, metrics: MetricEntry[], r: Rand): string | undefined {
  const n = f.name;
  switch (f.valueKind) {
    case 'direction': {
      const dirs = new Set(metrics.map((m) => m.direction).filter((d) => d !== undefined));
      if (dirs.size > 1) return undefined;
      const d = dirs.size === 1 ? [...dirs][0]! : pick(r, catalog.directions).name;
      return `${n} = ${d}`;
    }
    case 'string':
      if (f.list) return `${n} ${list(pickSome(r, STRINGS, 1, 3).map(quote), r)}`;
      return `${n} = ${quote(`${n === 'applicationId' ? 'app' : 'entity'}-${int(r, 1, 99)}`)}`;
    case 'boolean':
      return `${n} = ${r() < 0.5 ? 'TRUE' : 'FALSE'}`;
    case 'statusGroup':
      return `${n} ${list(pickSome(r, catalog.statusGroups, 1, 3).map((e) => e.name), r)}`;
    case 'status':
      return `${n} ${list(pickSome(r, catalog.statuses, 1, 3).map((e) => e.name), r)}`;
    case 'errorGroup':
      return `${n} ${list(pickSome(r, catalog.errorGroups, 1, 2).map((e) => e.name), r)}`;
    case 'errorCode':
      return `${n} ${list(pickSome(r, catalog.errorCodes, 1, 3).map((e) => e.name), r)}`;
    case 'trafficType': {
      const fits = catalog.trafficTypes.filter((t) => t.family === family);
      if (fits.length === 0) return undefined;
      return `${n} ${list(pickSome(r, fits, 1, 2).map((t) => (r() < 0.2 ? String(t.id) : t.name)), r)}`;
    }
    case 'senderType': {
      const kind = family === 'EMAIL' ? 'email' : 'phone';
      const fits = catalog.senderTypes.filter((s) => s.kind === kind);
      return `${n} ${list(pickSome(r, fits, 1, 2).map((s) => s.name), r)}`;
    }
    case 'int64':
      return `${n} ${list(pickSome(r, ['200000000012345', '9007199254740993', '4815162342'], 1, 2), r)}`;
    case 'int32':
      return `${n} ${list(pickSome(r, ['385', '386', '49', '1', '91', '219001', '26201'], 1, 3), r)}`;
    case 'timeBucket': {
      const a = int(r, 0, BUCKET_DURATIONS.length - 2);
      const b = int(r, a + 1, BUCKET_DURATIONS.length - 1);
      const op = int(r, 0, 3);
      if (op === 0) return `${n} BETWEEN ${BUCKET_DURATIONS[a]} AND ${BUCKET_DURATIONS[b]}`;
      if (op === 1) return `${n} < ${BUCKET_DURATIONS[b]}`;
      if (op === 2) return `${n} >= ${BUCKET_DURATIONS[a]}`;
      return `${n} >= SECONDS_5`;
    }
    case 'capability':
      return `${n} ${list(pickSome(r, catalog.capabilities, 1, 2).map((c) => c.name), r)}`;
    default:
      return undefined;
  }
}

function timeWindow(r: Rand): string[] {
  switch (int(r, 0, 3)) {
    case 0:
      return [`sentSince = now - ${int(r, 1, 60)}d`, 'sentUntil = now'];
    case 1:
      return ['sentSince = today - 1d', 'sentUntil = today'];
    case 2: {
      const d = int(r, 1, 20);
      return [`sent BETWEEN '2026-01-${String(d).padStart(2, '0')}' AND '2026-02-${String(d).padStart(2, '0')}'`];
    }
    default:
      return [`sent >= now - ${int(r, 2, 48)}h`, 'sent < now'];
  }
}

interface Parts {
  metrics: string[];
  dims: string[];
  conds: string[];
  orderBy?: string;
  limit?: string;
  comment?: string;
}

function validParts(r: Rand): Parts {
  let channel: ChannelEntry;
  let fitting: MetricEntry[];
  do {
    channel = pick(r, catalog.channels);
    fitting = catalog.metrics.filter((m) => returnsValues(m, channel.family));
  } while (fitting.length === 0);
  const metrics = pickSome(r, fitting, 1, 4);
  const dims = [...(r() < 0.7 ? [pick(r, TIME_DIMS)] : []), ...pickSome(r, OTHER_DIMS, 0, 2)];
  const conds = [`channelCode = ${channel.name}`, ...timeWindow(r)];
  for (const f of pickSome(r, OPTIONAL_FILTERS, 0, 3)) {
    const c = condition(f, channel.family, metrics, r);
    if (c) conds.push(c);
  }
  const parts: Parts = { metrics: metrics.map((m) => m.name), dims: dims.map((d) => d.name), conds };
  if (r() < 0.4) parts.orderBy = `${pick(r, parts.metrics)} ${r() < 0.5 ? 'DESC' : 'ASC'}`;
  if (r() < 0.3) parts.limit = String(int(r, 1, 500));
  if (r() < 0.3) parts.comment = `-- ${channel.displayName}: ${metrics[0]!.displayName.toLowerCase()}`;
  return parts;
}

/** Misspells a name the way typing does: a dropped, doubled or swapped character. */
function typo(name: string, r: Rand): string {
  const i = int(r, 1, name.length - 2);
  switch (int(r, 0, 2)) {
    case 0:
      return name.slice(0, i) + name.slice(i + 1);
    case 1:
      return name.slice(0, i) + name[i] + name.slice(i);
    default:
      return name.slice(0, i) + name[i + 1] + name[i] + name.slice(i + 2);
  }
}

/** Breaks a valid query in exactly one place. Returns the text of the broken query. */
function breakParts(p: Parts, r: Rand): Parts {
  const q: Parts = { ...p, metrics: p.metrics.slice(), dims: p.dims.slice(), conds: p.conds.slice() };
  switch (int(r, 0, 7)) {
    case 0: // misspelt metric
      q.metrics[0] = typo(q.metrics[0]!, r);
      break;
    case 1: // misspelt or invented dimension
      if (q.dims.length) q.dims[0] = typo(q.dims[0]!, r);
      else q.dims.push('COUNTRY_NAMES');
      break;
    case 2: // unknown channel
      q.conds[0] = `channelCode = ${typo(q.conds[0]!.slice('channelCode = '.length), r)}X`;
      break;
    case 3: // missing required filter: keep only the channel
      q.conds = [q.conds[0]!, ...q.conds.slice(1).filter((c) => !/^sent/.test(c))];
      break;
    case 4: // missing comma between metrics
      q.metrics = q.metrics.length > 1 ? [`${q.metrics[0]} ${q.metrics[1]}`, ...q.metrics.slice(2)] : [`${q.metrics[0]} TOTAL_TRAFFIC_COUNT`];
      break;
    case 5: // wrong operator
      q.conds.push(`includeSubaccounts IN (TRUE, FALSE)`);
      break;
    case 6: // unknown enum value
      q.conds.push(`statusGroups IN (${typo(pick(r, catalog.statusGroups).name, r)})`);
      break;
    default: // a condition left unfinished
      q.conds.push(`${pick(r, OPTIONAL_FILTERS).name} IN (`);
      break;
  }
  return q;
}

function render(p: Parts, r: Rand): string {
  const lines: string[] = [];
  if (p.comment) lines.push(p.comment);
  lines.push(`SELECT ${p.metrics.join(', ')}`);
  if (p.dims.length) lines.push(`BY ${p.dims.join(', ')}`);
  const oneLine = r() < 0.3;
  lines.push(`WHERE ${p.conds.join(oneLine ? ' AND ' : '\n  AND ')}`);
  if (p.orderBy) lines.push(`ORDER BY ${p.orderBy}`);
  if (p.limit) lines.push(`LIMIT ${p.limit}`);
  return `${lines.join('\n')};`;
}

export interface GeneratedQuery {
  text: string;
  /** True when the generator meant it to be valid (the analyser has the last word). */
  valid: boolean;
}

/** `count` queries; `invalidShare` of them (default 0.2) carry one mistake. */
export function generateQueries(count: number, seed = 1, invalidShare = 0.2): GeneratedQuery[] {
  const r = rng(seed);
  const out: GeneratedQuery[] = [];
  for (let i = 0; i < count; i++) {
    const parts = validParts(r);
    const broken = r() < invalidShare;
    out.push({ text: render(broken ? breakParts(parts, r) : parts, r), valid: !broken });
  }
  return out;
}

/** A whole .mq document of `count` queries separated by blank lines. */
export function generateDocument(count: number, seed = 1, invalidShare = 0.2): string {
  return `${generateQueries(count, seed, invalidShare).map((q) => q.text).join('\n\n')}\n`;
}

/** Line and character of `offset` in `text` (LSP positions, UTF-16 units). */
export function positionAt(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, character: offset - lineStart };
}
