// Input generators for the language-side fuzzing (test/core/fuzz*.test.ts and scripts/fuzz.ts).
//
// Three families, mixed by `documentArb`:
//   - grammar-aware queries drawn from the whole catalog: mostly well-formed, with a controllable share of
//     wrong names, wrong operators, wrong value kinds and random case/whitespace/comments;
//   - token soup: any sequence of mq tokens (and some that are not), so the parser's recovery is exercised
//     far from the happy path;
//   - mutations of the examples/*.mq files: characters and tokens deleted, inserted, duplicated, swapped.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { catalog } from '../../server/src/core/catalog/data.js';
import type { FilterEntry } from '../../server/src/core/catalog/types.js';
import { parseDocument } from '../helpers/syntax.js';
import { mq } from '../helpers/mq.js';

const here = dirname(fileURLToPath(import.meta.url));
export const EXAMPLES_DIR = join(here, '..', '..', 'examples');

/** The examples/*.mq files, read once. */
export const EXAMPLES: readonly { name: string; text: string }[] = readdirSync(EXAMPLES_DIR)
  .filter((f) => f.endsWith('.mq'))
  .sort()
  .map((name) => ({ name, text: readFileSync(join(EXAMPLES_DIR, name), 'utf8') }));

// ---------------------------------------------------------------------------------------------------
// Small pieces

const KEYWORDS = [
  'SELECT', 'BY', 'WHERE', 'AND', 'IN', 'BETWEEN', 'ORDER', 'ASC', 'DESC', 'LIMIT', 'TRUE', 'FALSE', 'NOW', 'TODAY',
  'COMPARE', 'WITH', 'PREVIOUS', 'PERIOD', 'AGO', 'HAVING',
];
const UNSUPPORTED = ['OR', 'NOT', '!=', '<>'];
const PUNCT = [',', '(', ')', ';', '=', '<', '<=', '>', '>=', '+', '-'];
const UNITS = ['ms', 's', 'm', 'h', 'd', 'w', 'MS', 'S', 'D'];

/** Random casing of a word (names and keywords are case-insensitive). */
const caseOf = (word: string): fc.Arbitrary<string> =>
  fc.constantFrom<'keep' | 'lower' | 'upper' | 'mixed'>('keep', 'keep', 'lower', 'upper', 'mixed').chain((mode) => {
    if (mode === 'keep') return fc.constant(word);
    if (mode === 'lower') return fc.constant(word.toLowerCase());
    if (mode === 'upper') return fc.constant(word.toUpperCase());
    return fc.array(fc.boolean(), { minLength: word.length, maxLength: word.length }).map((flips) =>
      [...word].map((c, i) => (flips[i] ? c.toUpperCase() : c.toLowerCase())).join(''),
    );
  });

/** Whitespace between tokens: usually one space, sometimes newlines (LF, CRLF, CR), tabs or comments. */
export const gapArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 12, arbitrary: fc.constant(' ') },
  { weight: 3, arbitrary: fc.constantFrom('\n', '\n  ', '\r\n', '\r', '\t', '  ', '\n\n') },
  { weight: 1, arbitrary: fc.constantFrom(' -- note\n', ' /* c */ ', '\n-- x\n', ' /* multi\nline */ ') },
);

/** A name that is close to, but not, a catalog name (typos) or entirely made up. */
const wrongNameArb = (names: readonly string[]): fc.Arbitrary<string> =>
  fc.oneof(
    fc.tuple(fc.constantFrom(...names), fc.nat(), fc.constantFrom('drop', 'dup', 'x')).map(([n, i, op]) => {
      const k = i % Math.max(1, n.length);
      if (op === 'drop') return n.slice(0, k) + n.slice(k + 1) || 'X';
      if (op === 'dup') return n.slice(0, k) + n[k] + n.slice(k);
      return n.slice(0, k) + 'X' + n.slice(k);
    }),
    fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,12}$/),
  );

/** A name from `names` most of the time, a wrong one with probability ~1/(good+1). */
const nameArb = (names: readonly string[], good = 8): fc.Arbitrary<string> =>
  fc.oneof({ weight: good, arbitrary: fc.constantFrom(...names).chain(caseOf) }, { weight: 1, arbitrary: wrongNameArb(names) });

const isoDateArb: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 2020, max: 2030 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), fc.option(fc.integer({ min: 0, max: 86_399 })))
  .map(([y, m, d, s]) => {
    const date = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    if (s === null) return date;
    const hh = String(Math.floor(s / 3600)).padStart(2, '0');
    const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
    const ss = String(s % 60).padStart(2, '0');
    return `${date}T${hh}:${mm}:${ss}Z`;
  });

const durationArb: fc.Arbitrary<string> = fc.tuple(fc.integer({ min: 0, max: 400 }), fc.constantFrom(...UNITS)).map(([n, u]) => `${n}${u}`);

const timeArb: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof(fc.constantFrom('now', 'NOW', 'today', 'Today'), isoDateArb.map((d) => `'${d}'`), fc.constant("'not a date'")),
    fc.array(fc.tuple(fc.constantFrom('+', '-'), durationArb), { maxLength: 2 }),
  )
  .map(([base, offs]) => [base, ...offs.map(([s, d]) => `${s} ${d}`)].join(' '));

const stringLitArb: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom("'", '"'), fc.string({ maxLength: 12 }).map((s) => s.replace(/[\r\n]/g, ' ')))
  .map(([q, s]) => q + s.split(q).join(q + q) + q);

const intArb: fc.Arbitrary<string> = fc.oneof(
  fc.nat({ max: 100_000 }).map(String),
  fc.constantFrom('0', '2147483647', '2147483648', '9223372036854775807', '9223372036854775808', '007'),
  fc.bigInt({ min: 0n, max: 10n ** 25n }).map(String),
);

const enumNames: Record<string, readonly string[]> = {
  channel: catalog.channels.map((c) => c.name),
  direction: catalog.directions.map((c) => c.name),
  statusGroup: catalog.statusGroups.map((c) => c.name),
  errorGroup: catalog.errorGroups.map((c) => c.name),
  status: catalog.statuses.map((c) => c.name),
  errorCode: catalog.errorCodes.map((c) => c.name),
  trafficType: [...catalog.trafficTypes.map((c) => c.name), ...catalog.trafficTypes.map((c) => String(c.id))],
  senderType: [...catalog.senderTypes.map((c) => c.name), ...catalog.senderTypes.map((c) => String(c.id))],
  capability: catalog.capabilities.map((c) => c.name),
  timeBucket: catalog.timeBuckets.map((c) => c.name),
};

/** A value suited to the filter (most of the time) or any other value. */
function valueFor(f: FilterEntry): fc.Arbitrary<string> {
  let good: fc.Arbitrary<string>;
  switch (f.valueKind) {
    case 'time':
      good = timeArb;
      break;
    case 'string':
      good = fc.oneof(stringLitArb, fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,8}$/));
      break;
    case 'boolean':
      good = fc.constantFrom('TRUE', 'FALSE', 'true', 'false');
      break;
    case 'int32':
    case 'int64':
      good = intArb;
      break;
    case 'timeBucket':
      good = fc.oneof(durationArb, fc.constantFrom(...enumNames.timeBucket!), fc.constantFrom('5s', '1m', '1h', '0s', '30s', '10m'));
      break;
    default:
      good = nameArb(enumNames[f.valueKind] ?? ['X'], 10);
  }
  return fc.oneof({ weight: 12, arbitrary: good }, { weight: 1, arbitrary: anyValueArb });
}

const anyValueArb: fc.Arbitrary<string> = fc.oneof(
  timeArb,
  stringLitArb,
  intArb,
  durationArb,
  fc.constantFrom('TRUE', 'FALSE', 'SMS', 'EMAIL', 'WHATSAPP', 'OUTBOUND', '10DLC'),
);

const conditionFor = (f: FilterEntry): fc.Arbitrary<string> => {
  const ops = f.operators;
  return fc
    .tuple(
      fc.oneof({ weight: 10, arbitrary: fc.constantFrom(...ops) }, { weight: 1, arbitrary: fc.constantFrom('=', 'IN', 'BETWEEN', '<', '>=', '!=', '<>') }),
      fc.array(valueFor(f), { minLength: 1, maxLength: 4 }),
      fc.oneof({ weight: 10, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constant('NOT ') }),
    )
    .map(([op, vals, not]) => {
      if (op === 'IN') return `${not}${f.name} IN (${vals.join(', ')})`;
      if (op === 'BETWEEN') return `${not}${f.name} BETWEEN ${vals[0]} AND ${vals[1] ?? vals[0]}`;
      return `${not}${f.name} ${op} ${vals[0]}`;
    });
};

const filtersByName = new Map(catalog.filters.map((f) => [f.name, f]));
const requiredConds: fc.Arbitrary<string[]> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(conditionFor(filtersByName.get('channelCode')!), isoDateArb, fc.integer({ min: 1, max: 40 }))
      .map(([c, d, days]) => [c, `sentSince = '${d}'`, `sentUntil = '${d}' + ${days}d`]),
  },
  { weight: 3, arbitrary: fc.tuple(conditionFor(filtersByName.get('channelCode')!), timeArb).map(([c, t]) => [c, `sent BETWEEN ${t} AND now`]) },
  { weight: 1, arbitrary: fc.constant<string[]>([]) },
);

/** A HAVING condition on a catalog column (a comparison column now and then), right or wrong. */
const havingCondArb: fc.Arbitrary<string> = fc
  .tuple(
    nameArb([...catalog.metrics.map((m) => m.name), ...catalog.dimensions.map((d) => d.name)]),
    fc.constantFrom('', '', '_PREVIOUS', '_DELTA', '_DELTA_PCT'),
    fc.constantFrom('=', '!=', '<>', '<', '<=', '>', '>='),
    fc.constantFrom('0', '-0.5', '0.95', '12.5', "'Germany'", 'France', '100'),
    fc.constantFrom<'op' | 'in' | 'between'>('op', 'op', 'in', 'between'),
  )
  .map(([column, suffix, op, v, form]) => {
    const col = column + suffix;
    if (form === 'in') return `${col} IN (${v}, 1)`;
    if (form === 'between') return `${col} BETWEEN ${v} AND 200`;
    return `${col} ${op} ${v}`;
  });

/** One query from the grammar, with names from the whole catalog (some wrong on purpose). */
export const queryArb: fc.Arbitrary<string> = fc
  .record({
    metrics: fc.array(nameArb(catalog.metrics.map((m) => m.name)), { minLength: 1, maxLength: 5 }),
    dims: fc.option(fc.array(nameArb(catalog.dimensions.map((d) => d.name)), { minLength: 1, maxLength: 3 }), { freq: 2 }),
    required: requiredConds,
    extra: fc.array(
      fc.oneof(
        { weight: 12, arbitrary: fc.constantFrom(...catalog.filters).chain(conditionFor) },
        { weight: 1, arbitrary: wrongNameArb(catalog.filters.map((f) => f.name)).map((n) => `${n} = X`) },
      ),
      { maxLength: 4 },
    ),
    joiner: fc.oneof({ weight: 15, arbitrary: fc.constant('AND') }, { weight: 1, arbitrary: fc.constant('OR') }),
    order: fc.option(
      fc.array(fc.tuple(nameArb([...catalog.metrics.map((m) => m.name), ...catalog.dimensions.map((d) => d.name)]), fc.constantFrom('', ' ASC', ' DESC')), {
        minLength: 1,
        maxLength: 2,
      }),
      { freq: 3 },
    ),
    limit: fc.option(fc.oneof(fc.integer({ min: 1, max: 500 }).map(String), fc.constantFrom('0', '99999999999999999999')), { freq: 3 }),
    compare: fc.option(fc.constantFrom('PREVIOUS PERIOD', '7d AGO', '1w AGO', '36h AGO', '0d AGO', 'PREVIOUS', '7d'), { freq: 4 }),
    having: fc.option(fc.array(havingCondArb, { minLength: 1, maxLength: 3 }), { freq: 4 }),
    semi: fc.boolean(),
  })
  .chain((p) => {
    const conds = [...p.required, ...p.extra];
    const parts = [`SELECT ${p.metrics.join(', ')}`];
    if (p.dims) parts.push(`BY ${p.dims.join(', ')}`);
    if (conds.length) parts.push(`WHERE ${conds.join(` ${p.joiner} `)}`);
    if (p.compare !== null) parts.push(`COMPARE WITH ${p.compare}`);
    if (p.having) parts.push(`HAVING ${p.having.join(` ${p.joiner} `)}`);
    if (p.order) parts.push(`ORDER BY ${p.order.map(([n, d]) => n + d).join(', ')}`);
    if (p.limit !== null) parts.push(`LIMIT ${p.limit}`);
    const words = parts.join(' ').split(' ');
    return fc.array(gapArb, { minLength: words.length, maxLength: words.length }).map((gaps) => {
      let out = '';
      for (let i = 0; i < words.length; i++) out += (i ? gaps[i] : '') + words[i];
      return out + (p.semi ? ';' : '');
    });
  });

/** A document of one to four generated queries. */
export const grammarDocArb: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('', '-- header\n', '/* header */\n'), fc.array(queryArb, { minLength: 1, maxLength: 4 }), fc.constantFrom('\n', '\n\n', '\r\n', ' '))
  .map(([head, qs, sep]) => head + qs.join(sep));

// ---------------------------------------------------------------------------------------------------
// Token soup

const oddCharArb: fc.Arbitrary<string> = fc.constantFrom(
  '\u0000', '\u0001', '\u007f', '\ufffd', '\ud800', '\udfff', '\u202e', '\u200b', '\ufeff', '\u00a0', 'é', '漢', '😀', '#', '$', '%', '^', '&', '|', '`', '~', '[', ']', '{', '}', '\\', '/', '*', '.', '?', '!', ':', '@',
);

export const tokenArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...KEYWORDS).chain(caseOf) },
  { weight: 1, arbitrary: fc.constantFrom(...UNSUPPORTED) },
  { weight: 6, arbitrary: fc.constantFrom(...PUNCT) },
  { weight: 4, arbitrary: fc.constantFrom(...catalog.metrics.map((m) => m.name)) },
  { weight: 3, arbitrary: fc.constantFrom(...catalog.dimensions.map((m) => m.name)) },
  { weight: 4, arbitrary: fc.constantFrom(...catalog.filters.map((m) => m.name)) },
  { weight: 3, arbitrary: fc.constantFrom(...Object.values(enumNames).flat()) },
  { weight: 3, arbitrary: anyValueArb },
  { weight: 1, arbitrary: fc.constantFrom('0.95', '-0.5', '12.5', '1.', '.5', '-1') },
  { weight: 1, arbitrary: fc.constantFrom("'", '"', "'abc", '/*', '*/', '--', '/* open', "''", '""') },
  { weight: 1, arbitrary: oddCharArb },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
);

export const tokenSoupArb: fc.Arbitrary<string> = fc
  .array(fc.tuple(tokenArb, gapArb), { maxLength: 60 })
  .map((parts) => parts.map(([t, g]) => t + g).join(''));

// ---------------------------------------------------------------------------------------------------
// Mutations of the examples

type Mutation =
  | { op: 'delete'; at: number; len: number }
  | { op: 'insert'; at: number; text: string }
  | { op: 'duplicate'; at: number; len: number }
  | { op: 'swap'; a: number; b: number; len: number }
  | { op: 'deleteToken'; at: number }
  | { op: 'swapTokens'; a: number; b: number };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(tokenArb, oddCharArb, fc.string({ maxLength: 4 })) }),
  fc.record({ op: fc.constant('duplicate' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ op: fc.constant('swap' as const), a: fc.nat(), b: fc.nat(), len: fc.integer({ min: 1, max: 10 }) }),
  fc.record({ op: fc.constant('deleteToken' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('swapTokens' as const), a: fc.nat(), b: fc.nat() }),
);

/** Word/punctuation spans of a text, by a rough tokenisation that is independent of the real lexer. */
function roughTokens(text: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  const re = /[A-Za-z0-9_]+|'[^'\n]*'|"[^"\n]*"|<=|>=|<>|!=|\S/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push({ start: m.index, end: m.index + m[0].length });
  return out;
}

export function applyMutation(text: string, m: Mutation): string {
  const n = text.length;
  if (n === 0) return m.op === 'insert' ? m.text : text;
  switch (m.op) {
    case 'delete': {
      const at = m.at % n;
      return text.slice(0, at) + text.slice(at + m.len);
    }
    case 'insert': {
      const at = m.at % (n + 1);
      return text.slice(0, at) + m.text + text.slice(at);
    }
    case 'duplicate': {
      const at = m.at % n;
      return text.slice(0, at + m.len) + text.slice(at, at + m.len) + text.slice(at + m.len);
    }
    case 'swap': {
      let a = m.a % n;
      let b = m.b % n;
      if (a > b) [a, b] = [b, a];
      const len = Math.min(m.len, b - a);
      if (len <= 0) return text;
      return text.slice(0, a) + text.slice(b, b + len) + text.slice(a + len, b) + text.slice(a, a + len) + text.slice(b + len);
    }
    case 'deleteToken': {
      const toks = roughTokens(text);
      if (!toks.length) return text;
      const t = toks[m.at % toks.length]!;
      return text.slice(0, t.start) + text.slice(t.end);
    }
    case 'swapTokens': {
      const toks = roughTokens(text);
      if (toks.length < 2) return text;
      let a = toks[m.a % toks.length]!;
      let b = toks[m.b % toks.length]!;
      if (a.start === b.start) return text;
      if (a.start > b.start) [a, b] = [b, a];
      return text.slice(0, a.start) + text.slice(b.start, b.end) + text.slice(a.end, b.start) + text.slice(a.start, a.end) + text.slice(b.end);
    }
  }
}

/** An example file with one to six mutations applied. */
export const mutatedExampleArb: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...EXAMPLES.map((e) => e.text)), fc.array(mutationArb, { minLength: 1, maxLength: 6 }))
  .map(([text, muts]) => muts.reduce(applyMutation, text));

/** An unmodified example file (they must stay clean under every property). */
export const exampleArb: fc.Arbitrary<string> = fc.constantFrom(...EXAMPLES.map((e) => e.text));

/** Any document: grammar-aware, token soup, mutated example, pristine example, or plain random text. */
export const documentArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: grammarDocArb },
  { weight: 3, arbitrary: tokenSoupArb },
  { weight: 4, arbitrary: mutatedExampleArb },
  { weight: 1, arbitrary: exampleArb },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
);

/** An edit to a document: replace [start, start+deleteCount) with `text` (offsets taken modulo length). */
export interface Edit {
  at: number;
  deleteCount: number;
  text: string;
}

export const editArb: fc.Arbitrary<Edit> = fc.record({
  at: fc.nat(),
  deleteCount: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: fc.integer({ min: 1, max: 12 }) }),
  text: fc.oneof(tokenArb, fc.constantFrom(' ', '\n', 'SELECT ', ', ', 'WHERE ', ' AND ', ''), fc.string({ maxLength: 5 })),
});

export function applyEdit(text: string, e: Edit): { text: string; start: number; end: number } {
  const start = e.at % (text.length + 1);
  const end = Math.min(text.length, start + e.deleteCount);
  return { text: text.slice(0, start) + e.text + text.slice(end), start, end };
}

// ---------------------------------------------------------------------------------------------------
// Error-free queries, for the formatter's meaning-preservation property.
//
// Channel rules are intricate, so instead of re-encoding them here the building blocks are vetted once
// with the analyser itself: a metric, dimension or condition is offered for a channel only if a minimal
// query using it has no error. Blocks that pass alone also pass together (the generator never repeats a
// filter and never uses BY URL), so most generated documents are error-free; the test checks the share.




const VET_NOW = new Date('2026-11-05T10:20:30.123Z');
const REQ = (c: string) => `channelCode = ${c} AND sentSince = '2026-10-01' AND sentUntil = '2026-10-02'`;
const errorFree = (text: string) => !mq.analyse(parseDocument(text), { now: VET_NOW }).some((d) => d.severity === 'error');

/** Candidate conditions per filter name (beyond the required ones). */
function candidateConditions(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (filter: string, ...conds: string[]) => out.set(filter, [...(out.get(filter) ?? []), ...conds]);
  add('direction', 'direction = OUTBOUND', 'direction = inbound', 'direction IN (INBOUND, OUTBOUND)');
  add('accountKeys', "accountKeys = 'k-1'", `accountKeys IN ('a', "b""c", 'it''s')`);
  add('includeSubaccounts', 'includeSubaccounts = TRUE', 'includeSubaccounts = false');
  add('statusGroups', ...catalog.statusGroups.map((s) => `statusGroups = ${s.name}`), `statusGroups IN (${catalog.statusGroups.map((s) => s.name).join(', ')})`);
  add('errorGroups', ...catalog.errorGroups.map((s) => `errorGroups = ${s.name}`));
  add('statuses', ...catalog.statuses.map((s) => `statuses = ${s.name}`), 'statuses IN (SOME_NEW_STATUS, "quoted")');
  add('errorCodes', ...catalog.errorCodes.map((s) => `errorCodes = ${s.name}`));
  add('trafficTypes', ...catalog.trafficTypes.map((s) => `trafficTypes = ${s.name}`), ...catalog.trafficTypes.map((s) => `trafficTypes = ${s.id}`));
  add('senderTypes', ...catalog.senderTypes.map((s) => `senderTypes = ${s.name}`), ...catalog.senderTypes.map((s) => `senderTypes IN (${s.id})`));
  add('senders', "senders = 'InfoSMS'", 'senders IN ("385911234567", \'Shop\')');
  add('campaignReferenceIds', "campaignReferenceIds = 'spring-2026'");
  add('communicationIds', 'communicationIds = 9223372036854775807', 'communicationIds IN (1, 0042, 12345678901234567)');
  add('networkIds', 'networkIds = 2147483647', 'networkIds IN (1, 2)');
  add('countryIds', 'countryIds IN (385, 386)');
  add('applicationId', "applicationId = 'app-1'");
  add('entityId', 'entityId = "entity-9"');
  add('capabilities', ...catalog.capabilities.map((c) => `capabilities = ${c.name}`));
  for (const f of catalog.filters.filter((f) => f.valueKind === 'timeBucket')) {
    add(f.name, `${f.name} < 5s`, `${f.name} <= 1m`, `${f.name} >= 10s`, `${f.name} > SECONDS_2`, `${f.name} BETWEEN 1s AND 1h`, `${f.name} BETWEEN SECONDS_0 AND MINUTES_5`);
  }
  return out;
}

interface Vetted {
  channel: string;
  metrics: string[];
  dimensions: string[];
  /** Valid conditions grouped by filter, so a query uses each filter at most once. */
  conditions: string[][];
}

let vetted: Vetted[] | undefined;
const CHANNEL_DEPENDENT = new Set(['trafficTypes', 'senderTypes']);

/** The vetted building blocks per channel (computed once, a few hundred analyser calls). */
export function vettedBlocks(): Vetted[] {
  if (vetted) return vetted;
  const cands = candidateConditions();
  const base = catalog.metrics.find((m) => m.name === 'TOTAL_TRAFFIC_COUNT')?.name ?? catalog.metrics[0]!.name;
  vetted = [];
  // Dimensions do not depend on the channel (BY URL, which depends on the metrics, is left out).
  const dimensions = catalog.dimensions.map((d) => d.name).filter((d) => d !== 'URL' && errorFree(`SELECT ${base} BY ${d} WHERE ${REQ('SMS')}`));
  // Only traffic and sender types depend on the channel; the other conditions are vetted once.
  const common = new Map([...cands.entries()].map(([f, list]) => [f, CHANNEL_DEPENDENT.has(f) ? [] : list.filter((c) => errorFree(`SELECT ${base} WHERE ${REQ('SMS')} AND ${c}`))]));
  for (const ch of catalog.channels) {
    const req = REQ(ch.name);
    const metrics = catalog.metrics.map((m) => m.name).filter((m) => errorFree(`SELECT ${m} WHERE ${req}`));
    if (!metrics.length) continue;
    const m0 = metrics.includes(base) ? base : metrics[0]!;
    const conditions = [...cands.entries()]
      .map(([filter, list]) =>
        CHANNEL_DEPENDENT.has(filter) ? list.filter((c) => errorFree(`SELECT ${m0} WHERE ${req} AND ${c}`)) : (common.get(filter) ?? []),
      )
      .filter((l) => l.length > 0);
    vetted.push({ channel: ch.name, metrics, dimensions, conditions });
  }
  return vetted;
}

const subsetArb = <T>(items: readonly T[], min: number, max: number): fc.Arbitrary<T[]> =>
  fc.shuffledSubarray([...items], { minLength: Math.min(min, items.length), maxLength: Math.min(max, items.length) });

/** A query that should be error-free, with random layout, case and comments. */
export const validQueryArb: fc.Arbitrary<string> = fc.constant(null).chain(() =>
  fc.constantFrom(...vettedBlocks()).chain((v) =>
    fc
      .record({
        metrics: subsetArb(v.metrics, 1, 4),
        dims: fc.option(subsetArb(v.dimensions, 1, 3), { freq: 2 }),
        conds: subsetArb(v.conditions, 0, 4).chain((groups) => (groups.length ? fc.tuple(...groups.map((g) => fc.constantFrom(...g))) : fc.constant([] as string[]))),
        time: fc.oneof(
          fc.constant(`sentSince = '2026-10-01' AND sentUntil = '2026-10-02T12:00:00Z'`),
          fc.constant('sentSince = now - 7d AND sentUntil = now'),
          fc.constant("sent BETWEEN today - 30d AND today"),
          fc.constant("sent >= '2026-01-05' AND sent < '2026-02-02'"),
        ),
        chanForm: fc.constantFrom('=', 'IN'),
        orderPick: fc.option(fc.array(fc.tuple(fc.nat(), fc.constantFrom('', ' ASC', ' desc')), { minLength: 1, maxLength: 2 }), { freq: 3 }),
        limit: fc.option(fc.integer({ min: 1, max: 1000 }), { freq: 3 }),
        compare: fc.option(fc.constantFrom('PREVIOUS PERIOD', '7d AGO', '2w AGO'), { freq: 3 }),
        having: fc.option(fc.tuple(fc.nat(), fc.constantFrom('> -0.5', '>= 0', '<= 12.5', 'BETWEEN -1 AND 1000000', '!= 3', 'IN (1, 2.5)')), { freq: 3 }),
        semi: fc.boolean(),
      })
      .chain((p) => {
        const chan = p.chanForm === '=' ? `channelCode = ${v.channel}` : `channelCode IN (${v.channel})`;
        const where = [chan, p.time, ...p.conds];
        // COMPARE only without time dimensions (with one, the offset must match its buckets).
        const timeless = !(p.dims ?? []).some((d) => catalog.dimensions.find((x) => x.name === d.toUpperCase())?.timeGrain !== undefined);
        const compare = timeless ? p.compare : null;
        const columns = [...p.metrics, ...(p.dims ?? [])];
        const parts = [`SELECT ${p.metrics.join(', ')}`];
        if (p.dims) parts.push(`BY ${p.dims.join(', ')}`);
        parts.push(`WHERE ${where.join(' AND ')}`);
        if (compare !== null) parts.push(`COMPARE WITH ${compare}`);
        if (p.having) {
          const metric = p.metrics[p.having[0] % p.metrics.length]!;
          const column = compare !== null && p.having[0] % 2 === 1 ? `${metric}_DELTA_PCT` : metric;
          parts.push(`HAVING ${column} ${p.having[1]}`);
        }
        if (p.orderPick) parts.push(`ORDER BY ${p.orderPick.map(([i, d]) => columns[i % columns.length] + d).join(', ')}`);
        if (p.limit !== null) parts.push(`LIMIT ${p.limit}`);
        const words = parts.join(' ').split(' ');
        return fc.tuple(fc.array(gapArb, { minLength: words.length, maxLength: words.length }), fc.array(fc.boolean(), { minLength: words.length, maxLength: words.length })).map(([gaps, lower]) => {
          let out = '';
          for (let i = 0; i < words.length; i++) {
            const w = words[i]!;
            // Keywords and catalog names are case-insensitive; quoted text is not touched.
            const word = lower[i] && !/['"]/.test(w) ? w.toLowerCase() : w;
            out += (i ? gaps[i] : '') + word;
          }
          return out + (p.semi ? ';' : '');
        });
      }),
  ),
);

/** One to three error-free queries, separated by blank lines or nothing but a semicolon. */
export const validDocArb: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('', '-- report\n', '/* a\n   b */\n'), fc.array(validQueryArb, { minLength: 1, maxLength: 3 }))
  .map(([head, qs]) => head + qs.map((q) => (q.endsWith(';') ? q : q + ';')).join('\n\n'));
