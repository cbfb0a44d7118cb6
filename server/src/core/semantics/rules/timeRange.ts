// empty-time-range: after resolving relative times against the clock, sentSince must be before
// sentUntil (since is inclusive, until exclusive, so equal instants select nothing).
import { formatWireTime } from '../../compile/time.js';
import { diag, type Rule } from './types.js';

export const timeRangeRule: Rule = {
  id: 'timeRange',
  codes: ['empty-time-range'],
  checks: {
    Query(_q, rc) {
      const { since, until } = rc.model;
      // With conflicting bounds the contradiction is reported instead (see contradictions.ts).
      if (since.length === 0 || until.length === 0) return;
      for (const b of since) if (b.ms !== since[0]!.ms) return;
      for (const b of until) if (b.ms !== until[0]!.ms) return;
      const s = since[0]!;
      const u = until[0]!;
      if (s.ms < u.ms) return;
      const sameCondition = s.condition === u.condition;
      const message =
        `The time range is empty: sentSince resolves to ${formatWireTime(s.ms)}, which is ${s.ms === u.ms ? 'the same instant as' : 'after'} ` +
        `sentUntil ${formatWireTime(u.ms)} (sentSince is included, sentUntil is not). ` +
        (sameCondition ? 'Put the earlier time first.' : 'Make sentSince earlier than sentUntil, or swap them.');
      rc.accept(
        diag('empty-time-range', sameCondition ? u.condition.node : u.value.node, message, {
          data: { sentSince: formatWireTime(s.ms), sentUntil: formatWireTime(u.ms) },
          related: sameCondition ? [] : [{ at: s.value.node, message: `sentSince: ${formatWireTime(s.ms)}` }],
        }),
      );
    },
  },
};
