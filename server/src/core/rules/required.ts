// missing-required-filter: channelCode, sentSince and sentUntil must be given (the `sent` shorthand
// counts for the bound it sets). One diagnostic names everything that is missing.
import type { FilterEntry } from '../catalogTypes.js';
import { getKnown } from './known.js';
import type { QueryModel } from './model.js';
import { diag, listText, type Rule } from './types.js';

function isSet(f: FilterEntry, m: QueryModel, sentOps: Set<string>): boolean {
  const known = getKnown();
  if (m.present.has(f)) return true;
  if (f === known.sentSince) return sentOps.has('BETWEEN') || sentOps.has('>=') || sentOps.has('>');
  if (f === known.sentUntil) return sentOps.has('BETWEEN') || sentOps.has('<') || sentOps.has('<=');
  return false;
}

export const requiredRule: Rule = {
  id: 'required',
  codes: ['missing-required-filter'],
  checks: {
    Query(q, rc) {
      const known = getKnown();
      const m = rc.model;
      const sentOps = new Set<string>();
      for (const c of m.conditions) if (c.filter === known.sent && c.node.operator) sentOps.add(c.node.operator);
      const missing: string[] = [];
      for (const f of known.required) if (!isSet(f, m, sentOps)) missing.push(f.name);
      if (missing.length === 0) return;
      const at = q.where ? q.where.keyword : q.select.keyword;
      const examples: string[] = [];
      if (missing.includes(known.channelCode.name)) examples.push(`${known.channelCode.name} = SMS`);
      if (missing.includes(known.sentSince.name)) examples.push(`${known.sentSince.name} = now - 7d`);
      if (missing.includes(known.sentUntil.name)) examples.push(`${known.sentUntil.name} = now`);
      rc.accept(
        diag(
          'missing-required-filter',
          at,
          `The Metrics API requires ${listText(missing)}, but this query does not set ${missing.length === 1 ? 'it' : 'them'}. ` +
            `Add ${q.where ? 'to WHERE' : 'a WHERE clause with'}: ${examples.join(' AND ')}.`,
          { data: { missing } },
        ),
      );
    },
  },
};
