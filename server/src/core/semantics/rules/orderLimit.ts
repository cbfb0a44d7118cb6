// unknown-order-column and invalid-limit. ORDER BY may name any column of the result (semantics/columns.ts):
// a selected metric, a BY dimension (of several time dimensions only the finest), CHANNEL_CODE when the API
// adds it on its own, and with COMPARE WITH the comparison columns M_PREVIOUS, M_DELTA, M_DELTA_PCT.
import { explainMissingColumn, modelColumns, reportedElsewhere } from '../columns.js';
import { diag, type Rule } from './types.js';

const NON_ZERO = /[1-9]/;

export const orderLimitRule: Rule = {
  id: 'orderLimit',
  codes: ['unknown-order-column', 'invalid-limit'],
  checks: {
    OrderItem(o, rc) {
      const m = rc.model;
      const up = o.column.upper;
      const cols = modelColumns(rc.catalog, m);
      if (cols.some((c) => c.name === up) || reportedElsewhere(m, up)) return;
      const missing = explainMissingColumn(rc.catalog, m.query, cols, o.column.text);
      const data = { name: o.column.text, suggestions: missing.suggestions, columns: cols.map((c) => c.name), ...(missing.addCompare ? { addCompare: true } : {}) };
      rc.accept(diag('unknown-order-column', o.column, `ORDER BY ${o.column.text}: the result has no such column; ${missing.why}`, { data }));
    },
    Limit(l, rc) {
      const v = l.value;
      if (!v) return;
      if (NON_ZERO.test(v.text)) return;
      rc.accept(
        diag('invalid-limit', v, `LIMIT ${v.text} would return no rows; LIMIT takes a number of rows of at least 1. Remove LIMIT to keep every row.`, {
          data: { value: v.text },
        }),
      );
    },
  },
};
