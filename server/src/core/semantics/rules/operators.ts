// unknown-filter and unsupported-operator: the filter names of WHERE, the operators used with them,
// and the OR / NOT / != / <> that the Metrics API cannot express.
import type { Condition, Located } from '../../syntax/ast.js';
import type { FilterEntry } from '../../catalog/types.js';
import { diag, unknownName, type Rule } from './types.js';

/** What a filter accepts, in words, for messages. */
export function operatorsText(f: FilterEntry): string {
  const ops = f.operators.map((o) => (o === 'IN' ? 'IN (a, b)' : o === 'BETWEEN' ? 'BETWEEN a AND b' : o));
  return ops.length === 1 ? ops[0]! : `${ops.slice(0, -1).join(', ')} or ${ops[ops.length - 1]}`;
}

/** Where the operator of a condition is (start and end are set when this is called). */
function operatorAt(node: Condition): Located {
  return { range: node.operatorRange!, start: node.operatorStart!, end: node.operatorEnd! };
}

const API_CAN =
  'the Metrics API joins all filters with AND; several values of one filter (IN) mean "any of", and there is no negation.';

export const operatorsRule: Rule = {
  id: 'operators',
  codes: ['unknown-filter', 'unsupported-operator'],
  checks: {
    Condition(c, rc) {
      const node = c.node;
      if (!c.filter) {
        const index = rc.catalog;
        const dim = index.dimensions.get(node.filter.upper);
        const why = dim ? ` ${dim.name} is a dimension, not a filter.` : '';
        rc.accept(unknownName(index, 'unknown-filter', node.filter, 'filter', index.names.filters, why, 'WHERE or AND'));
      }
      if (node.not) {
        rc.accept(
          diag('unsupported-operator', node.not, `NOT is not supported: ${API_CAN} List the values you want to keep instead.`, {
            data: { operator: 'NOT' },
          }),
        );
      }
      const op = node.operator;
      if (op === undefined || node.operatorStart === undefined || node.operatorEnd === undefined) return;
      // The operator's range is computed only when a diagnostic points at it (most operators are fine).
      if (op === '!=' || op === '<>') {
        rc.accept(
          diag('unsupported-operator', operatorAt(node), `${op} is not supported: ${API_CAN} Use = or IN with the values you want to keep.`, {
            data: { operator: op },
          }),
        );
        return;
      }
      const f = c.filter;
      if (!f || f.operators.includes(op)) return;
      let message: string;
      if (op === 'IN' && !f.list) {
        message = `${f.name} takes a single value: write ${f.name} = value instead of IN.`;
      } else if (op === 'BETWEEN' || op === '<' || op === '<=' || op === '>' || op === '>=') {
        message =
          f.valueKind === 'time' && !f.range
            ? `${f.name} takes =. For a range of send times use sent BETWEEN a AND b, sent >= a or sent < b.`
            : `${f.name} is not a range filter, so ${op} cannot be sent to the API. It accepts ${operatorsText(f)}.`;
      } else {
        if (f.range && f.valueKind === 'time') {
          message = `${f.name} is a range: use BETWEEN a AND b, >= a, > a, < b or <= b (or sentSince = / sentUntil =).`;
        } else if (f.range) {
          message = `${f.name} takes a span of time buckets, not ${op}: write for example ${f.name} < 5s, ${f.name} >= 1m or ${f.name} BETWEEN 5s AND 10s.`;
        } else {
          message = `${f.name} does not accept ${op}. It accepts ${operatorsText(f)}.`;
        }
      }
      rc.accept(diag('unsupported-operator', operatorAt(node), message, { data: { operator: op, filter: f.name, allowed: f.operators } }));
    },
    Query(q, rc) {
      for (const u of q.having?.unsupported ?? []) {
        const message =
          u.keyword === 'OR'
            ? 'OR is not supported in HAVING: its conditions join with AND. For alternatives of one column use IN (a, b).'
            : 'NOT is not supported in HAVING: use != or <> for "not equal", or the opposite comparison (< instead of >=).';
        rc.accept(diag('unsupported-operator', u, message, { data: { operator: u.keyword } }));
      }
      for (const u of q.where?.unsupported ?? []) {
        const message =
          u.keyword === 'OR'
            ? `OR is not supported: ${API_CAN} For alternatives of one filter use IN (a, b); for other combinations run separate queries.`
            : `NOT is not supported: ${API_CAN} List the values you want to keep instead.`;
        rc.accept(diag('unsupported-operator', u, message, { data: { operator: u.keyword } }));
      }
    },
  },
};
