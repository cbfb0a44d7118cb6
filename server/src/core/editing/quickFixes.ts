// The quick fixes of each diagnostic code, as the registry (semantics/registry.ts) names them. Each takes
// one diagnostic, with the `data` of its code, and the query it is in, and returns edits as offsets into
// the same text. codeActions.ts dispatches to them through the registry.
import type { Condition, Query } from '../syntax/ast.js';
import type { CatalogIndex } from '../catalog/catalogIndex.js';
import { returnsValues } from '../catalog/channels.js';
import type { DiagnosticCode, MqDiagnostic, MqDiagnosticOf } from '../semantics/diagnostics.js';
import type { QuickFixName } from '../semantics/registry.js';

export interface TextEditOffsets {
  start: number;
  end: number;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEditOffsets[];
  isPreferred?: boolean;
}

/** What a quick fix may read besides its diagnostic. */
export interface FixContext {
  text: string;
  /** The query the diagnostic is in (undefined for text outside queries). */
  q: Query | undefined;
  /** Every diagnostic of the query, to tell whether another fix already solves the problem. */
  diagnostics: readonly MqDiagnostic[];
  catalog: CatalogIndex;
}

export type QuickFix<C extends DiagnosticCode> = (d: MqDiagnosticOf<C>, cx: FixContext) => Fix[];

const DEFAULTS: Record<string, string> = {
  channelCode: 'channelCode = SMS',
  sentSince: 'sentSince = now - 7d',
  sentUntil: 'sentUntil = now',
};

function replaceWith(d: { start: number; end: number }, names: readonly string[] | undefined): Fix[] {
  return (names ?? []).map((name, i) => ({ title: `Change to ${name}`, edits: [{ start: d.start, end: d.end, newText: name }], isPreferred: i === 0 }));
}

/** unknown-* names, unknown values, time buckets: change to one of the closest names. */
export const useSuggestion: QuickFix<'unknown-metric' | 'unknown-dimension' | 'unknown-filter' | 'unknown-value' | 'invalid-time-bucket'> = (d) =>
  replaceWith(d, d.data?.suggestions);

/** Where a new COMPARE WITH clause goes: on its own line after WHERE (or BY, or SELECT). */
function compareInsertion(q: Query): TextEditOffsets {
  const after = q.where ?? q.by ?? q.select;
  return { start: after.end, end: after.end, newText: '\nCOMPARE WITH PREVIOUS PERIOD' };
}

/**
 * unknown-order-column / unknown-having-column: a comparison column (M_DELTA) without COMPARE gets
 * `COMPARE WITH PREVIOUS PERIOD` added; any other name changes to one of the closest columns.
 */
export const fixResultColumn: QuickFix<'unknown-order-column' | 'unknown-having-column'> = (d, { q }) => {
  if (d.data?.addCompare && q && !q.compare) return [{ title: 'Add COMPARE WITH PREVIOUS PERIOD', edits: [compareInsertion(q)], isPreferred: true }];
  return replaceWith(d, d.data?.suggestions);
};

/** having-type-mismatch: a number compared with a dimension column is quoted (the column holds text). */
export const quoteHavingValue: QuickFix<'having-type-mismatch'> = (d, { text }) => {
  const value = text.slice(d.start, d.end);
  if (d.data?.expected !== 'text' || !/^-?[0-9]+(\.[0-9]+)?$/.test(value)) return [];
  return [{ title: `Quote it: '${value}'`, edits: [{ start: d.start, end: d.end, newText: `'${value}'` }], isPreferred: true }];
};

/** compare-offset-misaligned: replace the COMPARE target with one of the nearest aligned offsets (`1d AGO`). */
export const alignCompareOffset: QuickFix<'compare-offset-misaligned'> = (d) =>
  (d.data?.suggestions ?? []).map((s, i) => ({ title: `Compare with ${s} AGO`, edits: [{ start: d.start, end: d.end, newText: `${s} AGO` }], isPreferred: i === 0 }));

/** url-dimension-metric: change the metric to one of (at most three) URL click metrics. */
export const useUrlMetric: QuickFix<'url-dimension-metric'> = (d) => replaceWith(d, d.data?.suggestions.slice(0, 3));

/**
 * The channel a new channelCode condition should name: SMS, unless the selected metrics need another one
 * (call metrics → VOICE_VIDEO, bounces → EMAIL); the first catalog channel that returns all of them.
 */
function channelFor(q: Query, catalog: CatalogIndex): string {
  const metrics = q.select.metrics.flatMap((m) => catalog.metrics.get(m.upper) ?? []);
  const fits = (family: string): boolean => metrics.every((m) => returnsValues(m, family));
  if (fits('SMS')) return 'SMS';
  const channels = catalog.data.channels;
  return channels.find((c) => c.source !== 'openapi' && fits(c.family))?.name ?? channels.find((c) => fits(c.family))?.name ?? 'SMS';
}

/** Deletes one item of a comma-separated list (with the comma that joins it to its neighbour). */
function removeListItem(items: readonly { start: number; end: number }[], i: number): TextEditOffsets | undefined {
  const item = items[i];
  if (!item || items.length < 2) return undefined;
  if (i + 1 < items.length) return { start: item.start, end: items[i + 1]!.start, newText: '' };
  return { start: items[i - 1]!.end, end: item.end, newText: '' };
}

function channelConditions(q: Query): Condition[] {
  return (q.where?.conditions ?? []).filter((c) => c.filter.upper === 'CHANNELCODE' && (c.operator === '=' || c.operator === 'IN'));
}

/** Edits that add a channel to the query's channelCode condition (or a new condition). */
function addChannelEdits(text: string, q: Query, channel: string): TextEditOffsets[] | undefined {
  const conds = channelConditions(q);
  const c = conds[conds.length - 1];
  if (!c) return undefined;
  if (c.values.some((v) => (v.kind === 'nameValue' ? v.upper : v.kind === 'string' ? v.value.toUpperCase() : '') === channel.toUpperCase())) return undefined;
  if (c.operator === '=') {
    const values = c.values.map((v) => text.slice(v.start, v.end));
    return [{ start: c.start, end: c.end, newText: `${text.slice(c.filter.start, c.filter.end)} IN (${[...values, channel].join(', ')})` }];
  }
  const last = c.values[c.values.length - 1];
  if (!last) return undefined;
  return [{ start: last.end, end: last.end, newText: `, ${channel}` }];
}

function addChannel(cx: FixContext, channel: string | undefined, preferred: boolean): Fix[] {
  const edits = cx.q && channel ? addChannelEdits(cx.text, cx.q, channel) : undefined;
  return edits ? [{ title: `Add ${channel} to the channels`, edits, isPreferred: preferred }] : [];
}

/** The one value of a condition as written, when it has exactly one (for = ) or its list (for IN). */
function valuesAsWritten(text: string, c: Condition): string[] | undefined {
  if ((c.operator !== '=' && c.operator !== 'IN') || c.values.length === 0) return undefined;
  return c.values.map((v) => text.slice(v.start, v.end));
}

/** unsupported-operator: `f = a OR f = b` (or IN lists of the same filter) → `f IN (a, b)`, the one OR the API can express. */
export const orToIn: QuickFix<'unsupported-operator'> = (d, { text, q }) => {
  if (d.data?.operator !== 'OR' || !q) return [];
  const conds = q.where?.conditions ?? [];
  const before = [...conds].reverse().find((c) => c.end <= d.start);
  const after = conds.find((c) => c.start >= d.end);
  if (!before || !after || before.filter.upper !== after.filter.upper || before.not || after.not) return [];
  const a = valuesAsWritten(text, before);
  const b = valuesAsWritten(text, after);
  if (!a || !b) return [];
  const values = [...new Set([...a, ...b])];
  const newText = `${text.slice(before.filter.start, before.filter.end)} IN (${values.join(', ')})`;
  return [{ title: `Combine into ${newText}`, edits: [{ start: before.start, end: after.end, newText }], isPreferred: true }];
};

/**
 * `...sentUntil = now;` followed by `ORDER BY ...` (or LIMIT, WHERE, BY, AND): the `;` ended the query too
 * early. Offered only when only blanks and comments stand between the `;` and the error, and the text
 * starts with a clause the query does not have yet (or AND, continuing its WHERE).
 */
function joinAfterSemicolon(text: string, q: Query, d: { start: number }): TextEditOffsets | undefined {
  const semi = q.semicolon;
  if (!semi || d.start < semi.end) return undefined;
  const between = text.slice(semi.end, d.start).replace(/--[^\r\n]*|\/\*[^]*?\*\//g, '');
  if (between.trim() !== '') return undefined;
  const word = /^[A-Za-z]+/.exec(text.slice(d.start))?.[0]?.toUpperCase();
  const continues =
    (word === 'ORDER' && !q.orderBy && !q.limit) ||
    (word === 'LIMIT' && !q.limit) ||
    (word === 'WHERE' && !q.where && !q.orderBy && !q.limit) ||
    (word === 'BY' && !q.by && !q.where && !q.orderBy && !q.limit) ||
    (word === 'AND' && !!q.where && !q.orderBy && !q.limit);
  return continues ? { start: semi.start, end: semi.end, newText: '' } : undefined;
}

/** syntax-error: remove a `;` that cut the query short. */
export const joinQuery: QuickFix<'syntax-error'> = (d, { text, q }) => {
  const fix = q ? joinAfterSemicolon(text, q, d) : undefined;
  return fix ? [{ title: 'Remove the ";" so that this text continues the query above', edits: [fix], isPreferred: true }] : [];
};

/** Does another diagnostic's fix already supply one of the missing filters (a misspelt name, a stray ';')? */
function suppliedElsewhere(cx: FixContext, q: Query, missing: readonly string[]): boolean {
  return cx.diagnostics.some((o) => {
    if (o.code === 'unknown-filter') {
      const first = o.data?.suggestions[0];
      return first !== undefined && missing.includes(first);
    }
    return (
      o.code === 'syntax-error' &&
      joinAfterSemicolon(cx.text, q, o) !== undefined &&
      missing.some((m) => new RegExp(`\\b${m}\\b`, 'i').test(cx.text.slice(o.start)))
    );
  });
}

/** missing-required-filter: add the missing conditions (to WHERE, or a new WHERE clause). */
export const addRequiredFilters: QuickFix<'missing-required-filter'> = (d, cx) => {
  const q = cx.q;
  const missing = d.data?.missing ?? [];
  if (!q || missing.length === 0) return [];
  const conds = missing.map((m) => (m === 'channelCode' ? `channelCode = ${channelFor(q, cx.catalog)}` : DEFAULTS[m] ?? `${m} = `));
  let edit: TextEditOffsets;
  if (q.where) {
    edit = { start: q.where.end, end: q.where.end, newText: q.where.conditions.length ? ` AND ${conds.join(' AND ')}` : ` ${conds.join(' AND ')}` };
  } else {
    const after = q.by ?? q.select;
    edit = { start: after.end, end: after.end, newText: `\nWHERE ${conds.join('\n  AND ')}` };
  }
  const title = `Add the required filter${missing.length > 1 ? 's' : ''} (${missing.join(', ')})`;
  return [{ title, edits: [edit], isPreferred: !suppliedElsewhere(cx, q, missing) }];
};

/** contradictory-filter: replace the conditions by the one `IN (...)` the user probably meant. */
export const combineConditions: QuickFix<'contradictory-filter'> = (d, { q }) => {
  const replacement = d.data?.replacement;
  const spans = d.data?.conditions ?? [];
  if (!q?.where || !replacement || spans.length < 2) return [];
  const all = q.where.conditions;
  const edits: TextEditOffsets[] = [{ start: spans[0]!.start, end: spans[0]!.end, newText: replacement }];
  for (const sp of spans.slice(1)) {
    const i = all.findIndex((c) => c.start === sp.start);
    if (i <= 0) continue;
    edits.push({ start: all[i - 1]!.end, end: all[i]!.end, newText: '' });
  }
  return [{ title: `Combine into ${replacement}`, edits, isPreferred: true }];
};

/** metric-channel-unsupported / -partial: use the replacement metric, add the channel, or remove the metric. */
export const fixMetricChannel: QuickFix<'metric-channel-unsupported' | 'metric-channel-partial'> = (d, cx) => {
  const q = cx.q;
  if (!q) return [];
  const data = d.data;
  const metric = data?.metric ?? cx.text.slice(d.start, d.end);
  const out: Fix[] = [];
  if (data?.replacement) {
    out.push({ title: `Use ${data.replacement} instead of ${metric}`, edits: [{ start: d.start, end: d.end, newText: data.replacement }], isPreferred: true });
  }
  if (data && 'addChannel' in data) out.push(...addChannel(cx, data.addChannel, !data.replacement));
  const rm = removeListItem(q.select.metrics, q.select.metrics.findIndex((m) => m.start === d.start));
  if (rm) out.push({ title: `Remove ${metric}`, edits: [rm] });
  return out;
};

/**
 * traffic-type-channel / sender-type-channel: a phone sender type with only Email changes to DOMAIN; DOMAIN
 * without Email, or a traffic type without its channel, adds the channel.
 */
export const fixTypeChannel: QuickFix<'traffic-type-channel' | 'sender-type-channel'> = (d, cx) => {
  const data = d.data;
  const suggestions = data && 'suggestions' in data ? data.suggestions : undefined;
  return [...replaceWith(d, suggestions), ...addChannel(cx, data?.addChannel, true)];
};

/** duplicate-metric / duplicate-dimension: remove the repetition. */
export const removeRepetition: QuickFix<'duplicate-metric' | 'duplicate-dimension'> = (d, { text, q }) => {
  if (!q) return [];
  const list = d.code === 'duplicate-metric' ? q.select.metrics : (q.by?.dimensions ?? []);
  const rm = removeListItem(list, list.findIndex((n) => n.start === d.start));
  return rm ? [{ title: `Remove the repeated ${text.slice(d.start, d.end)}`, edits: [rm], isPreferred: true }] : [];
};

/** Every quick fix by the name the registry gives it (semantics/registry.ts, QuickFixName). */
export const QUICK_FIXES: { readonly [N in QuickFixName]: QuickFix<never> } = {
  addRequiredFilters,
  alignCompareOffset,
  combineConditions,
  fixMetricChannel,
  fixResultColumn,
  fixTypeChannel,
  joinQuery,
  orToIn,
  quoteHavingValue,
  removeRepetition,
  useSuggestion,
  useUrlMetric,
};
