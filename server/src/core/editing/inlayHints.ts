// Inlay hints: the CHANNEL_CODE column the API adds to the grouping when BY names no channel (neither
// CHANNEL_CODE nor CHANNEL_NAME), the instant a relative time (now, today, now - 7d, '2026-01-01' + 1d)
// resolves to at the moment, and the previous period of a COMPARE WITH clause.
import type { Query, Value } from '../syntax/ast.js';
import type { CatalogIndex } from '../catalog/catalogIndex.js';
import { resolveTime } from '../compile/time.js';
import { resolveComparison } from '../semantics/compare.js';
import { resultColumns } from '../semantics/columns.js';

export interface MqInlayHint {
  /** Offset the hint is shown at. */
  offset: number;
  label: string;
  tooltip: string;
  kind: 'type' | 'parameter';
  paddingLeft: boolean;
}

function isRelative(v: Value): boolean {
  return v.kind === 'time' || (v.kind === 'nameValue' && (v.upper === 'NOW' || v.upper === 'TODAY'));
}

export function inlayHints(catalog: CatalogIndex, q: Query, now: Date): MqInlayHint[] {
  const out: MqInlayHint[] = [];
  const dims = q.by?.dimensions ?? [];
  // The same rule as the result's columns: CHANNEL_CODE is added unless BY has CHANNEL_CODE or CHANNEL_NAME.
  if (resultColumns(catalog, q).some((c) => c.implicit)) {
    const tooltip = 'BY names no channel, so the Metrics API groups by CHANNEL_CODE as well; the result has a CHANNEL_CODE column (BY CHANNEL_NAME would give channel names instead).';
    const last = dims[dims.length - 1];
    if (last) out.push({ offset: last.end, label: ', CHANNEL_CODE', tooltip, kind: 'type', paddingLeft: false });
    else if (!q.by) {
      const m = q.select.metrics[q.select.metrics.length - 1];
      if (m) out.push({ offset: m.end, label: 'BY CHANNEL_CODE', tooltip, kind: 'type', paddingLeft: true });
    }
  }
  for (const c of q.where?.conditions ?? []) {
    for (const v of c.values) {
      if (!isRelative(v)) continue;
      const r = resolveTime(v, now);
      if (!r.ok) continue;
      out.push({ offset: v.end, label: `= ${new Date(r.ms).toISOString()}`, tooltip: 'Resolved against the current clock (UTC); resolved again when the query runs.', kind: 'parameter', paddingLeft: true });
    }
  }
  const compared = q.compare?.target && resolveComparison(catalog, q, now);
  if (compared) {
    const iso = (ms: number): string => new Date(ms).toISOString();
    out.push({
      offset: q.compare!.end,
      label: `= ${iso(compared.previous.sinceMs)} – ${iso(compared.previous.untilMs)}`,
      tooltip: `The previous period (${compared.label}), from its start up to (not including) its end, compared with ${iso(compared.current.sinceMs)} – ${iso(compared.current.untilMs)}. Resolved against the current clock (UTC); resolved again when the query runs.`,
      kind: 'parameter',
      paddingLeft: true,
    });
  }
  return out.sort((a, b) => a.offset - b.offset);
}
