// Quick fixes keyed on diagnostic codes (spec §6/§7). Pure: the query's text and parse plus the analyser's
// diagnostics (with their `data`) in; edits as offsets into the same text out.
import type { Condition, Query } from '../syntax/ast.js';
import type { MqDiagnostic } from '../semantics/diagnostics.js';
import { catalog } from '../catalog/data.js';
import { getCatalogIndex } from '../catalog/catalogIndex.js';
import type { MetricEntry } from '../catalog/types.js';
import { metricFits } from './completion.js';

export interface TextEditOffsets {
  start: number;
  end: number;
  newText: string;
}

export interface MqCodeAction {
  title: string;
  diagnostic: MqDiagnostic;
  edits: TextEditOffsets[];
  isPreferred?: boolean;
}

const DEFAULTS: Record<string, string> = {
  channelCode: 'channelCode = SMS',
  sentSince: 'sentSince = now - 7d',
  sentUntil: 'sentUntil = now',
};

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/**
 * The channel a new channelCode condition should name: SMS, unless the selected metrics need another one
 * (call metrics → VOICE_VIDEO, bounces → EMAIL); the first catalog channel that returns all of them.
 */
function channelFor(q: Query): string {
  const index = getCatalogIndex();
  const metrics = q.select.metrics.map((m) => index.metrics.get(m.upper)).filter((m): m is MetricEntry => !!m);
  const fits = (family: string): boolean => metrics.every((m) => metricFits(m, new Set([family])));
  if (fits('SMS')) return 'SMS';
  return catalog.channels.find((c) => c.source !== 'openapi' && fits(c.family))?.name ?? catalog.channels.find((c) => fits(c.family))?.name ?? 'SMS';
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

/** The one value of a condition as written, when it has exactly one (for = ) or its list (for IN). */
function valuesAsWritten(text: string, c: Condition): string[] | undefined {
  if ((c.operator !== '=' && c.operator !== 'IN') || c.values.length === 0) return undefined;
  return c.values.map((v) => text.slice(v.start, v.end));
}

/** `f = a OR f = b` (or IN lists of the same filter) → `f IN (a, b)`: the one OR the API can express. */
function orToIn(text: string, q: Query, d: MqDiagnostic): TextEditOffsets | undefined {
  const conds = q.where?.conditions ?? [];
  const before = [...conds].reverse().find((c) => c.end <= d.start);
  const after = conds.find((c) => c.start >= d.end);
  if (!before || !after || before.filter.upper !== after.filter.upper || before.not || after.not) return undefined;
  const a = valuesAsWritten(text, before);
  const b = valuesAsWritten(text, after);
  if (!a || !b) return undefined;
  const values = [...new Set([...a, ...b])];
  return { start: before.start, end: after.end, newText: `${text.slice(before.filter.start, before.filter.end)} IN (${values.join(', ')})` };
}

/**
 * `...sentUntil = now;` followed by `ORDER BY ...` (or LIMIT, WHERE, BY, AND): the `;` ended the query too
 * early. Offered only when only blanks and comments stand between the `;` and the error, and the text
 * starts with a clause the query does not have yet (or AND, continuing its WHERE).
 */
function joinAfterSemicolon(text: string, q: Query, d: MqDiagnostic): TextEditOffsets | undefined {
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

/** Quick fixes for the diagnostics that overlap [start, end] (offsets in `text`). */
export function codeActionsFor(text: string, q: Query | undefined, diagnostics: readonly MqDiagnostic[], start: number, end: number): MqCodeAction[] {
  const out: MqCodeAction[] = [];
  for (const d of diagnostics) {
    if (d.end < start || d.start > end) continue;
    const data = d.data ?? {};
    const replaceWith = (name: string, preferred: boolean): void => {
      out.push({ title: `Change to ${name}`, diagnostic: d, edits: [{ start: d.start, end: d.end, newText: name }], isPreferred: preferred });
    };
    switch (d.code) {
      case 'unknown-metric':
      case 'unknown-dimension':
      case 'unknown-filter':
      case 'unknown-value':
      case 'unknown-order-column':
      case 'invalid-time-bucket':
        strings(data.suggestions).forEach((s, i) => replaceWith(s, i === 0));
        break;
      case 'unsupported-operator': {
        const fix = data.operator === 'OR' && q ? orToIn(text, q, d) : undefined;
        if (fix) out.push({ title: `Combine into ${fix.newText}`, diagnostic: d, edits: [fix], isPreferred: true });
        break;
      }
      case 'url-dimension-metric':
        strings(data.suggestions).slice(0, 3).forEach((s, i) => replaceWith(s, i === 0));
        break;
      case 'missing-required-filter': {
        if (!q) break;
        const missing = strings(data.missing);
        const conds = missing.map((m) => (m === 'channelCode' ? `channelCode = ${channelFor(q)}` : DEFAULTS[m] ?? `${m} = `));
        if (conds.length === 0) break;
        let edit: TextEditOffsets;
        if (q.where) {
          edit = { start: q.where.end, end: q.where.end, newText: q.where.conditions.length ? ` AND ${conds.join(' AND ')}` : ` ${conds.join(' AND ')}` };
        } else {
          const after = q.by ?? q.select;
          edit = { start: after.end, end: after.end, newText: `\nWHERE ${conds.join('\n  AND ')}` };
        }
        // Not the preferred fix when another one already supplies the filter: a misspelt filter name that
        // becomes it, or a stray ';' whose removal brings its condition back into the query.
        const otherFix = diagnostics.some(
          (o) =>
            (o.code === 'unknown-filter' && strings(o.data?.suggestions)[0] !== undefined && missing.includes(strings(o.data?.suggestions)[0]!)) ||
            (o.code === 'syntax-error' &&
              joinAfterSemicolon(text, q, o) !== undefined &&
              missing.some((m) => new RegExp(`\\b${m}\\b`, 'i').test(text.slice(o.start)))),
        );
        out.push({ title: `Add the required filter${missing.length > 1 ? 's' : ''} (${missing.join(', ')})`, diagnostic: d, edits: [edit], isPreferred: !otherFix });
        break;
      }
      case 'contradictory-filter': {
        const replacement = typeof data.replacement === 'string' ? data.replacement : undefined;
        const spans = Array.isArray(data.conditions) ? (data.conditions as { start: number; end: number }[]) : [];
        if (!q?.where || !replacement || spans.length < 2) break;
        const all = q.where.conditions;
        const edits: TextEditOffsets[] = [{ start: spans[0]!.start, end: spans[0]!.end, newText: replacement }];
        for (const sp of spans.slice(1)) {
          const i = all.findIndex((c) => c.start === sp.start);
          if (i <= 0) continue;
          edits.push({ start: all[i - 1]!.end, end: all[i]!.end, newText: '' });
        }
        out.push({ title: `Combine into ${replacement}`, diagnostic: d, edits, isPreferred: true });
        break;
      }
      case 'metric-channel-unsupported':
      case 'metric-channel-partial': {
        if (!q) break;
        const metric = typeof data.metric === 'string' ? data.metric : text.slice(d.start, d.end);
        if (typeof data.replacement === 'string') {
          out.push({ title: `Use ${data.replacement} instead of ${metric}`, diagnostic: d, edits: [{ start: d.start, end: d.end, newText: data.replacement }], isPreferred: true });
        }
        if (typeof data.addChannel === 'string') {
          const edits = addChannelEdits(text, q, data.addChannel);
          if (edits) out.push({ title: `Add ${data.addChannel} to the channels`, diagnostic: d, edits, isPreferred: !data.replacement });
        }
        const i = q.select.metrics.findIndex((m) => m.start === d.start);
        const rm = removeListItem(q.select.metrics, i);
        if (rm) out.push({ title: `Remove ${metric}`, diagnostic: d, edits: [rm] });
        break;
      }
      case 'sender-type-channel':
      case 'traffic-type-channel': {
        // A phone sender type with only Email: change it to DOMAIN. DOMAIN without Email, or a traffic type
        // without its channel: add the channel.
        strings(data.suggestions).forEach((s, i) => replaceWith(s, i === 0));
        if (q && typeof data.addChannel === 'string') {
          const edits = addChannelEdits(text, q, data.addChannel);
          if (edits) out.push({ title: `Add ${data.addChannel} to the channels`, diagnostic: d, edits, isPreferred: true });
        }
        break;
      }
      case 'syntax-error': {
        const fix = q ? joinAfterSemicolon(text, q, d) : undefined;
        if (fix) out.push({ title: 'Remove the ";" so that this text continues the query above', diagnostic: d, edits: [fix], isPreferred: true });
        break;
      }
      case 'duplicate-metric':
      case 'duplicate-dimension': {
        if (!q) break;
        const list = d.code === 'duplicate-metric' ? q.select.metrics : (q.by?.dimensions ?? []);
        const rm = removeListItem(list, list.findIndex((n) => n.start === d.start));
        if (rm) out.push({ title: `Remove the repeated ${text.slice(d.start, d.end)}`, diagnostic: d, edits: [rm], isPreferred: true });
        break;
      }
      default:
        break;
    }
  }
  return out;
}
