// missing-required-filter: channelCode, sentSince and sentUntil must be given (the `sent` shorthand
// counts for the bound it sets). One diagnostic names everything that is missing.
import type { KnownEntries } from '../../catalog/known.js';
import type { FilterEntry } from '../../catalog/types.js';
import type { QueryModel } from '../model.js';
import { diag, listText, type Rule } from './types.js';

/** Which bounds the `sent` shorthand sets: 1 = sentSince, 2 = sentUntil. */
function sentBounds(known: KnownEntries, m: QueryModel): number {
  let bits = 0;
  for (const c of m.conditions) {
    if (c.filter !== known.sent) continue;
    const op = c.node.operator;
    if (op === 'BETWEEN') bits |= 3;
    else if (op === '>=' || op === '>') bits |= 1;
    else if (op === '<' || op === '<=') bits |= 2;
  }
  return bits;
}

function isSet(known: KnownEntries, f: FilterEntry, m: QueryModel, sent: number): boolean {
  if (m.present.has(f)) return true;
  if (f === known.sentSince) return (sent & 1) !== 0;
  if (f === known.sentUntil) return (sent & 2) !== 0;
  return false;
}

export const requiredRule: Rule = {
  id: 'required',
  codes: ['missing-required-filter'],
  checks: {
    Query(q, rc) {
      const known = rc.catalog.known;
      const m = rc.model;
      const sent = m.present.has(known.sent) ? sentBounds(known, m) : 0;
      const missing: string[] = [];
      for (const f of known.required) if (!isSet(known, f, m, sent)) missing.push(f.name);
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
