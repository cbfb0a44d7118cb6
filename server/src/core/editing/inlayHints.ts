// Inlay hints: the CHANNEL_CODE column the API always adds to the grouping, and the instant a relative
// time (now, today, now - 7d, '2026-01-01' + 1d) resolves to at the moment.
import type { Query, Value } from '../syntax/ast.js';
import { resolveTime } from '../compile/time.js';

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

export function inlayHints(q: Query, now: Date): MqInlayHint[] {
  const out: MqInlayHint[] = [];
  const dims = q.by?.dimensions ?? [];
  if (!dims.some((d) => d.upper === 'CHANNEL_CODE')) {
    const tooltip = 'The Metrics API always groups by CHANNEL_CODE as well; the result has a CHANNEL_CODE column.';
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
  return out.sort((a, b) => a.offset - b.offset);
}
