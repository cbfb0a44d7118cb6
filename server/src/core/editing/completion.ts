// Completion for one query: what fits at the cursor, from the cursor-situation classifier, the catalog and
// the channels the query already chooses. Pure: text of the query, its parse, an offset and the clock in;
// items with offsets out. The language server only turns them into LSP CompletionItems.
// complete() classifies the cursor (syntax/cursor.ts), then one completer per situation adds the items.
import type { Query, Value } from '../syntax/ast.js';
import type { CatalogIndex } from '../catalog/catalogIndex.js';
import { returnsValues, returnsValuesForAny } from '../catalog/channels.js';
import { channelDoc, dimensionDoc, filterDoc, metricDoc } from '../catalog/docs.js';
import type { CursorInfo, Situation } from '../syntax/cursor.js';
import type { Syntax } from '../syntax/parser.js';
import { formatDuration, formatWireTime, startOfUtcDay } from '../compile/time.js';
import { resultColumns, type ResultColumn } from '../semantics/columns.js';

export type ItemKind = 'metric' | 'dimension' | 'filter' | 'value' | 'keyword' | 'operator' | 'snippet' | 'time' | 'column';

export interface MqCompletionItem {
  label: string;
  kind: ItemKind;
  detail?: string;
  /** Markdown. */
  documentation?: string;
  /** Text to insert (a snippet when `snippet` is true); defaults to the label. */
  insertText?: string;
  snippet?: boolean;
  sortText: string;
  filterText?: string;
  /** Shown but marked: the metric does not fit the chosen channels. */
  deprecated?: boolean;
  /** Offsets (in the query text) of the text the item replaces: the word being typed, up to the cursor. */
  replaceStart: number;
  replaceEnd: number;
  /** End of the whole word under the cursor, for clients that can replace it (LSP InsertReplaceEdit). */
  wordEnd: number;
}

export interface CompletionResult {
  items: MqCompletionItem[];
  info: CursorInfo;
}

/** Channel families chosen by `channelCode = X` / `channelCode IN (...)` anywhere in the query. */
function chosenFamilies(catalog: CatalogIndex, q: Query | undefined): Set<string> {
  const out = new Set<string>();
  if (!q?.where) return out;
  for (const c of q.where.conditions) {
    if (c.filter.upper !== 'CHANNELCODE' || (c.operator !== '=' && c.operator !== 'IN')) continue;
    for (const v of c.values) {
      const name = v.kind === 'nameValue' ? v.text : v.kind === 'string' ? v.value : undefined;
      const f = name ? catalog.familyOf(name) : undefined;
      if (f) out.add(f);
    }
  }
  return out;
}

const WHOLE_QUERY =
  'SELECT ${1:TOTAL_SENT_TRAFFIC_COUNT}\nBY ${2:DAY}\nWHERE channelCode = ${3:SMS}\n  AND sentSince = now - ${4:7d} AND sentUntil = now;\n$0';

function timeItems(now: Date): { label: string; insert: string; snippet: boolean; doc: string }[] {
  const nowMs = now.getTime();
  const today = startOfUtcDay(nowMs);
  const iso = new Date(today).toISOString().slice(0, 10);
  const at = (ms: number): string => `Resolves to \`${formatWireTime(ms)}\` (UTC) at the moment; resolved again when the query runs.`;
  return [
    { label: 'now', insert: 'now', snippet: false, doc: `The moment the query runs. ${at(nowMs)}` },
    { label: 'today', insert: 'today', snippet: false, doc: `00:00 UTC of the current day. ${at(today)}` },
    { label: 'now - 7d', insert: 'now - ${1:7d}', snippet: true, doc: `Seven days before the query runs. ${at(nowMs - 7 * 86_400_000)}` },
    { label: 'now - 1h', insert: 'now - ${1:1h}', snippet: true, doc: `One hour before the query runs. ${at(nowMs - 3_600_000)}` },
    { label: 'today - 1d', insert: 'today - ${1:1d}', snippet: true, doc: `00:00 UTC yesterday. ${at(today - 86_400_000)}` },
    { label: `'${iso}'`, insert: `'\${1:${iso}}'`, snippet: true, doc: 'An ISO-8601 date or date-time in quotes; without an offset it is UTC.' },
  ];
}

const DURATIONS: [string, string][] = [
  ['1h', 'one hour'],
  ['1d', 'one day'],
  ['7d', 'seven days'],
  ['30d', 'thirty days'],
  ['1w', 'one week'],
  ['15m', 'fifteen minutes'],
];

function upperStarts(candidate: string, prefixUpper: string): boolean {
  return prefixUpper.length === 0 || candidate.toUpperCase().startsWith(prefixUpper);
}

type NewItem = Omit<MqCompletionItem, 'replaceStart' | 'replaceEnd' | 'wordEnd'>;
type Push = (item: NewItem) => void;

/** Everything a completer reads: the catalog, the query, the cursor and how to add an item. */
interface Completion {
  catalog: CatalogIndex;
  query: Query | undefined;
  now: Date;
  info: CursorInfo;
  /** Replaced range: the word being typed, up to the cursor. */
  rs: number;
  re: number;
  /** The word being typed, upper case. */
  pu: string;
  /** Names already in the list being typed (from the text before the cursor, also when it does not parse). */
  written: Set<string>;
  families: Set<string>;
  push: Push;
}

function keyword(cx: Completion, word: string, order: number, doc: string, insert?: string): void {
  cx.push({ label: word, kind: 'keyword', sortText: `5${String(order).padStart(2, '0')}`, documentation: doc, ...(insert ? { insertText: insert, snippet: true } : {}) });
}

function wholeQuery(cx: Completion): void {
  cx.push({
    label: 'SELECT … BY … WHERE …',
    kind: 'snippet',
    filterText: 'SELECT',
    detail: 'a whole query',
    documentation: 'A complete query with the required filters (channelCode, sentSince, sentUntil) and a 7-day window.',
    insertText: WHOLE_QUERY,
    snippet: true,
    sortText: '600',
  });
}

const CLAUSES = ['SELECT', 'BY', 'WHERE', 'COMPARE WITH', 'HAVING', 'ORDER BY', 'LIMIT'] as const;
type ClauseName = (typeof CLAUSES)[number];

const CLAUSE_DOCS: Record<Exclude<ClauseName, 'SELECT'>, { doc: string; insert?: string }> = {
  BY: { doc: "Group the results by dimensions (the API's aggregateBy)." },
  WHERE: { doc: 'Filter the traffic; channelCode, sentSince and sentUntil are required.' },
  'COMPARE WITH': {
    doc: 'Run the query for a second, earlier period too and put both side by side: each metric M gets M_PREVIOUS, M_DELTA and M_DELTA_PCT columns.',
    insert: 'COMPARE WITH ${1|PREVIOUS PERIOD,7d AGO,1w AGO,24h AGO|}',
  },
  HAVING: { doc: 'Keep only the result rows that satisfy conditions on result columns (applied by mq after the result arrives).', insert: 'HAVING ' },
  'ORDER BY': { doc: 'Sort the result rows (done by mq after the result arrives).', insert: 'ORDER BY ' },
  LIMIT: { doc: 'Keep only the first rows of the result (applied by mq).', insert: 'LIMIT ${1:100}' },
};

/** The clause keywords that may follow `after` and that the query does not have yet. */
function laterClauses(cx: Completion, after: ClauseName): void {
  const q = cx.query;
  const present: Record<ClauseName, boolean> = {
    SELECT: true,
    BY: !!q?.by,
    WHERE: !!q?.where,
    'COMPARE WITH': !!q?.compare,
    HAVING: !!q?.having,
    'ORDER BY': !!q?.orderBy,
    LIMIT: !!q?.limit,
  };
  for (let i = CLAUSES.indexOf(after) + 1; i < CLAUSES.length; i++) {
    const c = CLAUSES[i]!;
    if (c === 'SELECT' || ((cx.info.clauses.has(c) || present[c]) && c !== after)) continue;
    const d = CLAUSE_DOCS[c];
    keyword(cx, c, i, d.doc, d.insert);
  }
}

function metricItems(cx: Completion): void {
  const taken = new Set([...cx.written, ...(cx.query?.select.metrics ?? []).filter((m) => m.end < cx.rs || m.start > cx.re).map((m) => m.upper)]);
  cx.catalog.data.metrics.forEach((m, i) => {
    if (taken.has(m.name)) return;
    const fits = returnsValuesForAny(m, cx.families);
    cx.push({
      label: m.name,
      kind: 'metric',
      detail: fits ? m.displayName : `${m.displayName} — not returned for the chosen channels`,
      documentation: metricDoc(m),
      sortText: `${fits ? '1' : '3'}${String(i).padStart(4, '0')}`,
      ...(fits ? {} : { deprecated: true }),
    });
  });
}

function dimensionItems(cx: Completion): void {
  const taken = new Set([...cx.written, ...(cx.query?.by?.dimensions ?? []).filter((d) => d.end < cx.rs || d.start > cx.re).map((d) => d.upper)]);
  cx.catalog.data.dimensions.forEach((d, i) => {
    if (taken.has(d.name)) return;
    cx.push({ label: d.name, kind: 'dimension', detail: `${d.displayName} (${d.category})`, documentation: dimensionDoc(d), sortText: `1${String(i).padStart(4, '0')}` });
  });
}

function filterItems(cx: Completion): void {
  const present = new Set((cx.query?.where?.conditions ?? []).filter((c) => c.filter.end < cx.rs || c.filter.start > cx.re).map((c) => c.filter.upper));
  cx.catalog.data.filters.forEach((f, i) => {
    const required = f.required && !present.has(f.name.toUpperCase());
    cx.push({
      label: f.name,
      kind: 'filter',
      detail: `${f.displayName}${f.required ? ' (required)' : ''} — ${f.operators.join(' ')}`,
      documentation: filterDoc(f),
      sortText: `${required ? '0' : '1'}${String(i).padStart(4, '0')}`,
    });
  });
}

function operatorItems(cx: Completion, filter: string): void {
  const f = cx.catalog.filters.get(filter.toUpperCase());
  const ops = f ? f.operators : ['=', 'IN'];
  ops.forEach((op, i) => {
    const insert = op === 'IN' ? 'IN (${1})' : op === 'BETWEEN' ? 'BETWEEN ${1} AND ${2}' : `${op} `;
    cx.push({ label: op, kind: 'operator', detail: f ? `${f.name} ${op} …` : undefined, insertText: insert, snippet: true, sortText: `0${i}` });
  });
}

const COLUMN_DETAIL: Record<ResultColumn['kind'], string> = {
  dimension: 'dimension column',
  metric: 'metric column',
  previous: 'the metric in the previous period',
  delta: 'current − previous',
  deltaPct: 'change in % of the previous period',
};

/** The result columns (semantics/columns.ts), for HAVING and ORDER BY; comparison columns only with COMPARE WITH. */
function columnItems(cx: Completion): void {
  if (!cx.query) return;
  resultColumns(cx.catalog, cx.query).forEach((c, i) => {
    if (cx.written.has(c.name)) return;
    const detail = c.implicit ? 'always in the result' : COLUMN_DETAIL[c.kind];
    cx.push({ label: c.name, kind: 'column', detail, sortText: `0${String(i).padStart(3, '0')}` });
  });
}

/** What may follow COMPARE WITH. */
function compareTargetItems(cx: Completion): void {
  const targets: [string, string][] = [
    ['PREVIOUS PERIOD', 'The period of the same length just before the query\'s own (sentSince − (sentUntil − sentSince) up to sentSince).'],
    ['7d AGO', 'The query\'s own period, one week earlier.'],
    ['1w AGO', 'The query\'s own period, one week earlier.'],
    ['24h AGO', 'The query\'s own period, one day earlier.'],
  ];
  targets.forEach(([label, doc], i) => {
    const snippet = label !== 'PREVIOUS PERIOD';
    const insertText = snippet ? `\${1:${label.split(' ')[0]}} AGO` : label;
    cx.push({ label, kind: snippet ? 'snippet' : 'keyword', detail: 'compare with', documentation: doc, insertText, snippet, sortText: `0${i}` });
  });
}

/** Operators a HAVING column takes: text comparisons for dimension columns, every operator for numbers. */
function havingOperatorItems(cx: Completion, column: string): void {
  const col = cx.query ? resultColumns(cx.catalog, cx.query).find((c) => c.name === column.toUpperCase()) : undefined;
  const ops = col?.kind === 'dimension' ? ['=', '!=', 'IN'] : ['<', '<=', '>', '>=', '=', '!=', 'BETWEEN', 'IN'];
  ops.forEach((op, i) => {
    const insert = op === 'IN' ? 'IN (${1})' : op === 'BETWEEN' ? 'BETWEEN ${1} AND ${2}' : `${op} `;
    cx.push({ label: op, kind: 'operator', detail: col ? `${col.name} ${op} …` : undefined, insertText: insert, snippet: true, sortText: `0${i}` });
  });
}

function afterTimeItems(cx: Completion, inList: boolean): void {
  cx.push({ label: '- 7d', kind: 'time', detail: 'earlier by a duration', insertText: '- ${1:7d}', snippet: true, filterText: '-', sortText: '00' });
  cx.push({ label: '+ 1d', kind: 'time', detail: 'later by a duration', insertText: '+ ${1:1d}', snippet: true, filterText: '+', sortText: '01' });
  if (!inList) {
    keyword(cx, 'AND', 0, 'Add another condition (all conditions must hold).');
    laterClauses(cx, 'WHERE');
  }
}

type Completer<K extends Situation['kind']> = (cx: Completion, s: Extract<Situation, { kind: K }>) => void;

/** One completer per cursor situation. */
const COMPLETERS: { [K in Situation['kind']]: Completer<K> } = {
  start: (cx) => {
    keyword(cx, 'SELECT', 0, 'Start a query: SELECT metrics BY dimensions WHERE filters.');
    wholeQuery(cx);
  },
  metric: metricItems,
  afterMetric: (cx) => laterClauses(cx, 'SELECT'),
  dimension: dimensionItems,
  afterDimension: (cx) => laterClauses(cx, 'BY'),
  filter: filterItems,
  operator: (cx, s) => operatorItems(cx, s.filter),
  openList: (cx) => cx.push({ label: '(', kind: 'operator', insertText: '(${1})', snippet: true, sortText: '0' }),
  // Inside IN (...), values already listed are not offered again.
  value: (cx, s) => valueItems(s.inList ? { ...cx, push: (item) => void (cx.written.has(item.label.toUpperCase()) || cx.push(item)) } : cx, s.filter),
  duration: (cx) => DURATIONS.forEach(([d, doc], i) => cx.push({ label: d, kind: 'time', detail: 'duration', documentation: `A duration of ${doc}.`, sortText: `0${i}` })),
  afterTime: (cx, s) => afterTimeItems(cx, s.inList),
  afterListValue: () => undefined,
  betweenAnd: (cx) => keyword(cx, 'AND', 0, 'The upper bound of BETWEEN follows.'),
  afterCondition: (cx) => {
    keyword(cx, 'AND', 0, 'Add another condition (all conditions must hold).');
    laterClauses(cx, 'WHERE');
  },
  compareWith: (cx) => keyword(cx, 'WITH', 0, 'COMPARE WITH PREVIOUS PERIOD or COMPARE WITH 7d AGO.'),
  compareTarget: compareTargetItems,
  comparePeriod: (cx) => keyword(cx, 'PERIOD', 0, 'PREVIOUS PERIOD: the period of the same length just before the query\'s own.'),
  compareAgo: (cx) => keyword(cx, 'AGO', 0, 'The query\'s own period, moved back by the duration.'),
  afterCompare: (cx) => laterClauses(cx, 'COMPARE WITH'),
  havingColumn: columnItems,
  havingOperator: (cx, s) => havingOperatorItems(cx, s.column),
  havingValue: () => undefined,
  afterHavingCondition: (cx) => {
    keyword(cx, 'AND', 0, 'Add another condition (all conditions must hold).');
    laterClauses(cx, 'HAVING');
  },
  orderBy: (cx) => keyword(cx, 'BY', 0, 'ORDER BY result columns.'),
  orderColumn: columnItems,
  afterOrderColumn: (cx, s) => {
    if (!s.hasDirection) {
      keyword(cx, 'ASC', 0, 'Smallest first (the default).');
      keyword(cx, 'DESC', 1, 'Largest first.');
    }
    laterClauses(cx, 'ORDER BY');
  },
  limitValue: (cx) => cx.push({ label: '100', kind: 'value', detail: 'number of rows', sortText: '0' }),
  afterLimit: () => undefined,
  none: () => undefined,
};

function runCompleter<K extends Situation['kind']>(cx: Completion, s: Extract<Situation, { kind: K }>): void {
  (COMPLETERS[s.kind] as Completer<K>)(cx, s);
}

/** Completion items at `offset` of `text` (the text of one query; `query` its parse, if any). */
export function complete(catalog: CatalogIndex, syntax: Pick<Syntax, 'classifyCursor'>, text: string, offset: number, query: Query | undefined, now: Date): CompletionResult {
  const info = syntax.classifyCursor(text, offset);
  const items: MqCompletionItem[] = [];
  const rs = info.prefixStart;
  const re = Math.max(rs, Math.min(offset, text.length));
  const pu = info.prefix.toUpperCase();
  const we = Math.max(re, Math.min(info.wordEnd, text.length));
  const push: Push = (item) => {
    if (!upperStarts(item.filterText ?? item.label, pu)) return;
    items.push({ ...item, replaceStart: rs, replaceEnd: re, wordEnd: we });
  };
  const cx: Completion = { catalog, query, now, info, rs, re, pu, written: info.siblings, families: chosenFamilies(catalog, query), push };
  const s = info.situation;
  runCompleter(cx, s);
  // At the start of a line after a complete clause, a new query may begin (the previous one has no `;`).
  if (info.atLineStart && (s.kind.startsWith('after') || s.kind === 'limitValue')) {
    keyword(cx, 'SELECT', 90, 'Start a new query (end the one above with ";" to keep them apart).');
    wholeQuery(cx);
  }
  return { items, info };
}

function simpleItems(cx: Completion, list: readonly { name: string; displayName: string; description: string }[]): void {
  list.forEach((e, i) =>
    cx.push({ label: e.name, kind: 'value', detail: e.displayName, documentation: `**${e.displayName}** — \`${e.name}\`\n\n${e.description}`, sortText: `1${String(i).padStart(4, '0')}` }),
  );
}

/** Channels that return every selected metric first (VOICE_VIDEO for call metrics, EMAIL for bounces). */
function channelItems(cx: Completion): void {
  const selected = (cx.query?.select.metrics ?? []).flatMap((m) => cx.catalog.metrics.get(m.upper) ?? []);
  cx.catalog.data.channels.forEach((c, i) => {
    const fits = selected.every((m) => returnsValues(m, c.family));
    cx.push({
      label: c.name,
      kind: 'value',
      detail: `${c.name === c.family ? c.displayName : `${c.displayName} (family ${c.family})`}${fits ? '' : ' — does not return all the selected metrics'}`,
      documentation: channelDoc(c),
      sortText: `${fits ? '' : '3'}${c.source === 'openapi' ? '2' : '1'}${String(i).padStart(4, '0')}`,
    });
  });
}

function trafficTypeItems(cx: Completion): void {
  cx.catalog.data.trafficTypes.forEach((t, i) => {
    if (cx.families.size > 0 && !cx.families.has(t.family)) return;
    cx.push({
      label: t.name,
      kind: 'value',
      detail: `${t.displayName} (${t.family}, ID ${t.id})`,
      documentation: `**${t.displayName}** — traffic type \`${t.name}\` (ID ${t.id}), ${t.family} only.\n\n${t.description}`,
      sortText: `1${String(i).padStart(4, '0')}`,
    });
  });
}

function senderTypeItems(cx: Completion): void {
  const families = cx.families;
  cx.catalog.data.senderTypes.forEach((t, i) => {
    if (families.size > 0) {
      const email = families.has('EMAIL');
      const other = [...families].some((x) => x !== 'EMAIL');
      if ((t.kind === 'email' && !email) || (t.kind === 'phone' && !other)) return;
    }
    cx.push({
      label: t.name,
      kind: 'value',
      detail: `${t.displayName} (ID ${t.id})`,
      documentation: `**${t.displayName}** — sender type \`${t.name}\` (ID ${t.id})\n\n${t.description}`,
      sortText: `1${String(i).padStart(4, '0')}`,
    });
  });
}

function timeBucketItems(cx: Completion): void {
  cx.catalog.data.timeBuckets.forEach((b, i) => {
    const d = formatDuration(b.ms);
    const documentation = `The time-bucket boundary \`${b.name}\` (${d}).`;
    cx.push({ label: d, kind: 'time', detail: `bucket ${b.name}`, documentation, sortText: `0${String(i).padStart(3, '0')}` });
    // Typing a letter: the API's bucket names (SECONDS_5) are accepted too.
    if (/^[A-Z]/.test(cx.pu)) cx.push({ label: b.name, kind: 'time', detail: d, documentation, sortText: `1${String(i).padStart(3, '0')}` });
  });
}

function valueItems(cx: Completion, filterName: string): void {
  const f = cx.catalog.filters.get(filterName.toUpperCase());
  if (!f) return;
  const data = cx.catalog.data;
  switch (f.valueKind) {
    case 'channel':
      return channelItems(cx);
    case 'time':
      timeItems(cx.now).forEach((t, i) => cx.push({ label: t.label, kind: 'time', detail: 'time', documentation: t.doc, insertText: t.insert, snippet: t.snippet, sortText: `0${i}`, filterText: t.label.replace(/^'/, '') }));
      return;
    case 'boolean':
      cx.push({ label: 'TRUE', kind: 'keyword', sortText: '0' });
      cx.push({ label: 'FALSE', kind: 'keyword', sortText: '1' });
      return;
    case 'direction':
      return simpleItems(cx, data.directions);
    case 'statusGroup':
      return simpleItems(cx, data.statusGroups);
    case 'errorGroup':
      return simpleItems(cx, data.errorGroups);
    case 'status':
      return simpleItems(cx, data.statuses);
    case 'errorCode':
      return simpleItems(cx, data.errorCodes);
    case 'capability':
      return simpleItems(cx, data.capabilities);
    case 'trafficType':
      return trafficTypeItems(cx);
    case 'senderType':
      return senderTypeItems(cx);
    case 'timeBucket':
      return timeBucketItems(cx);
    case 'string':
      cx.push({ label: "'…'", kind: 'snippet', detail: 'a quoted string', insertText: "'${1}'", snippet: true, filterText: "'", sortText: '9' });
      return;
    case 'int64':
    case 'int32':
      return;
  }
}

/** The chosen channel values of a query, for callers that need the names as written. */
export function isTimeValue(v: Value): boolean {
  return v.kind === 'time' || (v.kind === 'nameValue' && (v.upper === 'NOW' || v.upper === 'TODAY'));
}
