// Completion for one query: what fits at the cursor, from the cursor-situation classifier, the catalog and
// the channels the query already chooses. Pure: text of the query, its parse, an offset and the clock in;
// items with offsets out. The language server only turns them into LSP CompletionItems.
import type { Query, Value } from '../syntax/ast.js';
import { catalog } from '../catalog/data.js';
import { getCatalogIndex } from '../catalog/catalogIndex.js';
import type { FilterEntry, MetricEntry } from '../catalog/types.js';
import { classifyCursor, type CursorInfo, type Situation } from '../syntax/cursor.js';
import { formatDuration, formatWireTime, startOfUtcDay } from '../compile/time.js';

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
export function chosenFamilies(q: Query | undefined): Set<string> {
  const out = new Set<string>();
  if (!q?.where) return out;
  const index = getCatalogIndex();
  for (const c of q.where.conditions) {
    if (c.filter.upper !== 'CHANNELCODE' || (c.operator !== '=' && c.operator !== 'IN')) continue;
    for (const v of c.values) {
      const name = v.kind === 'nameValue' ? v.text : v.kind === 'string' ? v.value : undefined;
      const f = name ? index.familyOf(name) : undefined;
      if (f) out.add(f);
    }
  }
  return out;
}

/** True when some chosen family returns values for the metric (always true with no channels chosen). */
export function metricFits(m: MetricEntry, families: ReadonlySet<string>): boolean {
  if (families.size === 0) return true;
  for (const f of families) {
    if (m.onlyFor && !m.onlyFor.includes(f)) continue;
    if (m.notFor && m.notFor.includes(f)) continue;
    return true;
  }
  return false;
}

export function metricDoc(m: MetricEntry): string {
  const lines = [`**${m.displayName}** — metric \`${m.name}\``, '', m.description];
  if (m.channelNotes.length) lines.push('', ...m.channelNotes.map((n) => `- ${n}`));
  if (m.onlyFor) lines.push('', `Returned only for: ${m.onlyFor.join(', ')}.`);
  if (m.notFor) lines.push('', `Not returned for: ${m.notFor.join(', ')}.`);
  if (m.direction) lines.push('', `Meaningful for ${m.direction} traffic only.`);
  lines.push('', `Wire name: \`${m.name}\` (${m.valueType}${m.isRate ? ', a rate' : ''}).`);
  return lines.join('\n');
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

/** Completion items at `offset` of `text` (the text of one query; `query` its parse, if any). */
export function complete(text: string, offset: number, query: Query | undefined, now: Date): CompletionResult {
  const info = classifyCursor(text, offset);
  const items: MqCompletionItem[] = [];
  const rs = info.prefixStart;
  const re = Math.max(rs, Math.min(offset, text.length));
  const pu = info.prefix.toUpperCase();
  const index = getCatalogIndex();
  const we = Math.max(re, Math.min(info.wordEnd, text.length));
  const push = (item: Omit<MqCompletionItem, 'replaceStart' | 'replaceEnd' | 'wordEnd'>): void => {
    if (!upperStarts(item.filterText ?? item.label, pu)) return;
    items.push({ ...item, replaceStart: rs, replaceEnd: re, wordEnd: we });
  };
  /** Names already in the list being typed (from the text before the cursor, also when it does not parse). */
  const written = info.siblings;
  const keyword = (word: string, order: number, doc: string, insert?: string): void => {
    push({ label: word, kind: 'keyword', sortText: `5${String(order).padStart(2, '0')}`, documentation: doc, ...(insert ? { insertText: insert, snippet: true } : {}) });
  };
  const wholeQuery = (): void => {
    push({
      label: 'SELECT … BY … WHERE …',
      kind: 'snippet',
      filterText: 'SELECT',
      detail: 'a whole query',
      documentation: 'A complete query with the required filters (channelCode, sentSince, sentUntil) and a 7-day window.',
      insertText: WHOLE_QUERY,
      snippet: true,
      sortText: '600',
    });
  };
  const families = chosenFamilies(query);
  const s: Situation = info.situation;
  const laterClauses = (after: 'SELECT' | 'BY' | 'WHERE' | 'ORDER BY'): void => {
    const order = ['SELECT', 'BY', 'WHERE', 'ORDER BY', 'LIMIT'];
    const has = (c: string): boolean =>
      info.clauses.has(c) || (c === 'BY' && !!query?.by) || (c === 'WHERE' && !!query?.where) || (c === 'ORDER BY' && !!query?.orderBy) || (c === 'LIMIT' && !!query?.limit);
    const from = order.indexOf(after) + 1;
    for (let i = from; i < order.length; i++) {
      const c = order[i]!;
      if (has(c) && c !== after) continue;
      if (c === 'BY') keyword('BY', i, 'Group the results by dimensions (the API\'s aggregateBy).');
      else if (c === 'WHERE') keyword('WHERE', i, 'Filter the traffic; channelCode, sentSince and sentUntil are required.');
      else if (c === 'ORDER BY') keyword('ORDER BY', i, 'Sort the result rows (done by mq after the result arrives).', 'ORDER BY ');
      else if (c === 'LIMIT') keyword('LIMIT', i, 'Keep only the first rows of the result (applied by mq).', 'LIMIT ${1:100}');
    }
  };

  switch (s.kind) {
    case 'start':
      keyword('SELECT', 0, 'Start a query: SELECT metrics BY dimensions WHERE filters.');
      wholeQuery();
      break;
    case 'metric': {
      const taken = new Set([...written, ...(query?.select.metrics ?? []).filter((m) => m.end < rs || m.start > re).map((m) => m.upper)]);
      catalog.metrics.forEach((m, i) => {
        if (taken.has(m.name)) return;
        const fits = metricFits(m, families);
        push({
          label: m.name,
          kind: 'metric',
          detail: fits ? m.displayName : `${m.displayName} — not returned for the chosen channels`,
          documentation: metricDoc(m),
          sortText: `${fits ? '1' : '3'}${String(i).padStart(4, '0')}`,
          ...(fits ? {} : { deprecated: true }),
        });
      });
      break;
    }
    case 'afterMetric':
      laterClauses('SELECT');
      break;
    case 'dimension': {
      const taken = new Set([...written, ...(query?.by?.dimensions ?? []).filter((d) => d.end < rs || d.start > re).map((d) => d.upper)]);
      catalog.dimensions.forEach((d, i) => {
        if (taken.has(d.name)) return;
        push({
          label: d.name,
          kind: 'dimension',
          detail: `${d.displayName} (${d.category})`,
          documentation: `**${d.displayName}** — dimension \`${d.name}\`\n\n${d.description}\n\nColumn type: ${d.columnType}.`,
          sortText: `1${String(i).padStart(4, '0')}`,
        });
      });
      break;
    }
    case 'afterDimension':
      laterClauses('BY');
      break;
    case 'filter': {
      const present = new Set((query?.where?.conditions ?? []).filter((c) => c.filter.end < rs || c.filter.start > re).map((c) => c.filter.upper));
      catalog.filters.forEach((f, i) => {
        const required = f.required && !present.has(f.name.toUpperCase());
        push({
          label: f.name,
          kind: 'filter',
          detail: `${f.displayName}${f.required ? ' (required)' : ''} — ${f.operators.join(' ')}`,
          documentation: filterDoc(f),
          sortText: `${required ? '0' : '1'}${String(i).padStart(4, '0')}`,
        });
      });
      break;
    }
    case 'operator': {
      const f = index.filters.get(s.filter.toUpperCase());
      const ops = f ? f.operators : ['=', 'IN'];
      ops.forEach((op, i) => {
        const insert = op === 'IN' ? 'IN (${1})' : op === 'BETWEEN' ? 'BETWEEN ${1} AND ${2}' : `${op} `;
        push({ label: op, kind: 'operator', detail: f ? `${f.name} ${op} …` : undefined, insertText: insert, snippet: true, sortText: `0${i}` });
      });
      break;
    }
    case 'openList':
      push({ label: '(', kind: 'operator', insertText: '(${1})', snippet: true, sortText: '0' });
      break;
    case 'value':
      // Inside IN (...), values already listed are not offered again.
      valueItems(s.filter, query, now, s.inList ? (item) => void (written.has(item.label.toUpperCase()) || push(item)) : push, pu);
      break;
    case 'duration':
      DURATIONS.forEach(([d, doc], i) => push({ label: d, kind: 'time', detail: 'duration', documentation: `A duration of ${doc}.`, sortText: `0${i}` }));
      break;
    case 'afterTime':
      push({ label: '- 7d', kind: 'time', detail: 'earlier by a duration', insertText: '- ${1:7d}', snippet: true, filterText: '-', sortText: '00' });
      push({ label: '+ 1d', kind: 'time', detail: 'later by a duration', insertText: '+ ${1:1d}', snippet: true, filterText: '+', sortText: '01' });
      if (!s.inList) {
        keyword('AND', 0, 'Add another condition (all conditions must hold).');
        laterClauses('WHERE');
      }
      break;
    case 'betweenAnd':
      keyword('AND', 0, 'The upper bound of BETWEEN follows.');
      break;
    case 'afterCondition':
      keyword('AND', 0, 'Add another condition (all conditions must hold).');
      laterClauses('WHERE');
      break;
    case 'orderBy':
      keyword('BY', 0, 'ORDER BY result columns.');
      break;
    case 'orderColumn': {
      const cols: { name: string; kind: ItemKind; detail: string }[] = [];
      for (const m of query?.select.metrics ?? []) if (index.metrics.has(m.upper)) cols.push({ name: index.metrics.get(m.upper)!.name, kind: 'column', detail: 'metric column' });
      for (const d of query?.by?.dimensions ?? []) if (index.dimensions.has(d.upper)) cols.push({ name: index.dimensions.get(d.upper)!.name, kind: 'column', detail: 'dimension column' });
      if (!cols.some((c) => c.name === 'CHANNEL_CODE')) cols.push({ name: 'CHANNEL_CODE', kind: 'column', detail: 'always in the result' });
      cols.forEach((c, i) => {
        if (!written.has(c.name)) push({ label: c.name, kind: c.kind, detail: c.detail, sortText: `0${String(i).padStart(3, '0')}` });
      });
      break;
    }
    case 'afterOrderColumn':
      if (!s.hasDirection) {
        keyword('ASC', 0, 'Smallest first (the default).');
        keyword('DESC', 1, 'Largest first.');
      }
      laterClauses('ORDER BY');
      break;
    case 'limitValue':
      push({ label: '100', kind: 'value', detail: 'number of rows', sortText: '0' });
      break;
    case 'afterLimit':
    case 'none':
      break;
  }
  // At the start of a line after a complete clause, a new query may begin (the previous one has no `;`).
  if (info.atLineStart && (s.kind.startsWith('after') || s.kind === 'limitValue')) {
    keyword('SELECT', 90, 'Start a new query (end the one above with ";" to keep them apart).');
    wholeQuery();
  }
  return { items, info };
}

export function filterDoc(f: FilterEntry): string {
  const lines = [`**${f.displayName}** — filter \`${f.name}\``, '', f.description, '', `Operators: ${f.operators.map((o) => `\`${o}\``).join(', ')}.`];
  lines.push(f.shorthand ? 'mq shorthand: sent as `sentSince` / `sentUntil`.' : `Wire property: \`filterBy.${f.wire}\`${f.list ? ' (a list)' : ''}.`);
  if (f.required) lines.push('', 'Required by the Metrics API.');
  return lines.join('\n');
}

type Push = (item: Omit<MqCompletionItem, 'replaceStart' | 'replaceEnd' | 'wordEnd'>) => void;

function valueItems(filterName: string, query: Query | undefined, now: Date, push: Push, prefixUpper: string): void {
  const f = getCatalogIndex().filters.get(filterName.toUpperCase());
  if (!f) return;
  const families = chosenFamilies(query);
  const simple = (list: readonly { name: string; displayName: string; description: string }[], detail?: (e: { name: string; displayName: string }) => string): void => {
    list.forEach((e, i) =>
      push({
        label: e.name,
        kind: 'value',
        detail: detail ? detail(e) : e.displayName,
        documentation: `**${e.displayName}** — \`${e.name}\`\n\n${e.description}`,
        sortText: `1${String(i).padStart(4, '0')}`,
      }),
    );
  };
  switch (f.valueKind) {
    case 'channel': {
      // Channels that return every selected metric first (VOICE_VIDEO for call metrics, EMAIL for bounces).
      const index = getCatalogIndex();
      const selected = (query?.select.metrics ?? []).map((m) => index.metrics.get(m.upper)).filter((m): m is MetricEntry => !!m);
      catalog.channels.forEach((c, i) => {
        const fits = selected.every((m) => metricFits(m, new Set([c.family])));
        push({
          label: c.name,
          kind: 'value',
          detail: `${c.name === c.family ? c.displayName : `${c.displayName} (family ${c.family})`}${fits ? '' : ' — does not return all the selected metrics'}`,
          documentation: `**${c.displayName}** — channel \`${c.name}\`\n\n${c.description}${c.source === 'openapi' ? '\n\nKnown only from the OpenAPI document.' : ''}`,
          sortText: `${fits ? '' : '3'}${c.source === 'openapi' ? '2' : '1'}${String(i).padStart(4, '0')}`,
        });
      });
      break;
    }
    case 'time':
      timeItems(now).forEach((t, i) => push({ label: t.label, kind: 'time', detail: 'time', documentation: t.doc, insertText: t.insert, snippet: t.snippet, sortText: `0${i}`, filterText: t.label.replace(/^'/, '') }));
      break;
    case 'direction':
      simple(catalog.directions);
      break;
    case 'boolean':
      push({ label: 'TRUE', kind: 'keyword', sortText: '0' });
      push({ label: 'FALSE', kind: 'keyword', sortText: '1' });
      break;
    case 'statusGroup':
      simple(catalog.statusGroups);
      break;
    case 'errorGroup':
      simple(catalog.errorGroups);
      break;
    case 'status':
      simple(catalog.statuses);
      break;
    case 'errorCode':
      simple(catalog.errorCodes);
      break;
    case 'capability':
      simple(catalog.capabilities);
      break;
    case 'trafficType':
      catalog.trafficTypes.forEach((t, i) => {
        if (families.size > 0 && !families.has(t.family)) return;
        push({
          label: t.name,
          kind: 'value',
          detail: `${t.displayName} (${t.family}, ID ${t.id})`,
          documentation: `**${t.displayName}** — traffic type \`${t.name}\` (ID ${t.id}), ${t.family} only.\n\n${t.description}`,
          sortText: `1${String(i).padStart(4, '0')}`,
        });
      });
      break;
    case 'senderType':
      catalog.senderTypes.forEach((t, i) => {
        if (families.size > 0) {
          const email = families.has('EMAIL');
          const other = [...families].some((x) => x !== 'EMAIL');
          if ((t.kind === 'email' && !email) || (t.kind === 'phone' && !other)) return;
        }
        push({
          label: t.name,
          kind: 'value',
          detail: `${t.displayName} (ID ${t.id})`,
          documentation: `**${t.displayName}** — sender type \`${t.name}\` (ID ${t.id})\n\n${t.description}`,
          sortText: `1${String(i).padStart(4, '0')}`,
        });
      });
      break;
    case 'timeBucket':
      catalog.timeBuckets.forEach((b, i) => {
        const d = formatDuration(b.ms);
        push({ label: d, kind: 'time', detail: `bucket ${b.name}`, documentation: `The time-bucket boundary \`${b.name}\` (${d}).`, sortText: `0${String(i).padStart(3, '0')}` });
        // Typing a letter: the API's bucket names (SECONDS_5) are accepted too.
        if (/^[A-Z]/.test(prefixUpper)) push({ label: b.name, kind: 'time', detail: d, documentation: `The time-bucket boundary \`${b.name}\` (${d}).`, sortText: `1${String(i).padStart(3, '0')}` });
      });
      break;
    case 'string':
      push({ label: "'…'", kind: 'snippet', detail: 'a quoted string', insertText: "'${1}'", snippet: true, filterText: "'", sortText: '9' });
      break;
    case 'int64':
    case 'int32':
      break;
  }
}

/** The chosen channel values of a query, for callers that need the names as written. */
export function isTimeValue(v: Value): boolean {
  return v.kind === 'time' || (v.kind === 'nameValue' && (v.upper === 'NOW' || v.upper === 'TODAY'));
}
