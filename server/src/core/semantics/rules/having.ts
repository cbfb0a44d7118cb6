// unknown-having-column, having-type-mismatch and contradictory-having: the HAVING clause (spec §8.4, §8.5).
// HAVING filters the result rows after they arrive, so it may name any result column (semantics/columns.ts).
// A metric or comparison column compares with numbers (any operator); a dimension column with text (names or
// strings, =, !=, <>, IN only). Conditions on one column are folded with AND; when no value can satisfy them
// all, no row can come back, which is almost certainly not what was meant.
import type { HavingCondition, HavingLiteral } from '../../syntax/ast.js';
import { explainMissingColumn, modelColumns, reportedElsewhere, type ResultColumn } from '../columns.js';
import { diag, type RuleContext, type Rule } from './types.js';

const TEXT_OPERATORS = new Set(['=', '!=', '<>', 'IN']);

function literalText(v: HavingLiteral): string {
  return v.kind === 'number' ? v.text : v.kind === 'string' ? `${v.quote}${v.value}${v.quote}` : v.text;
}

/** Reports type problems of one condition; true when the condition is well-typed. */
function checkTypes(c: HavingCondition, col: ResultColumn, rc: RuleContext): boolean {
  const name = col.name;
  let ok = true;
  if (col.kind === 'dimension') {
    if (!TEXT_OPERATORS.has(c.operator!)) {
      rc.accept(
        diag('having-type-mismatch', c.operatorAt ?? c, `${name} is a dimension column, compared as text: HAVING can test it with =, !=, <> or IN only, not ${c.operator}.`, {
          data: { column: name, expected: 'operator' },
        }),
      );
      ok = false;
    }
    for (const v of c.values) {
      if (v.kind !== 'number') continue;
      rc.accept(
        diag('having-type-mismatch', v, `${name} is a dimension column, compared as text, so ${v.text} is not a value of it. Write the value in quotes: '${v.text}'.`, {
          data: { column: name, expected: 'text' },
        }),
      );
      ok = false;
    }
    return ok;
  }
  for (const v of c.values) {
    if (v.kind === 'number') continue;
    const other = v.kind === 'nameValue' ? ' HAVING compares a column with a literal, not with another column.' : '';
    rc.accept(
      diag('having-type-mismatch', v, `${name} is a number column: compare it with a number (for example ${name} > 100), not ${literalText(v)}.${other}`, {
        data: { column: name, expected: 'number' },
      }),
    );
    ok = false;
  }
  return ok;
}

/** What the AND of conditions on one column still allows. */
interface Fold {
  lo?: { v: number; incl: boolean };
  hi?: { v: number; incl: boolean };
  /** Values an `=` or IN allows (undefined: no such condition yet). */
  points?: (number | string)[];
  excluded: (number | string)[];
}

function valueOf(v: HavingLiteral): number | string {
  return v.kind === 'number' ? v.value : v.kind === 'string' ? v.value : v.text;
}

function tightenLow(f: Fold, v: number, incl: boolean): void {
  if (!f.lo || v > f.lo.v || (v === f.lo.v && !incl)) f.lo = { v, incl };
}

function tightenHigh(f: Fold, v: number, incl: boolean): void {
  if (!f.hi || v < f.hi.v || (v === f.hi.v && !incl)) f.hi = { v, incl };
}

function addCondition(f: Fold, c: HavingCondition): void {
  const values = c.values.map(valueOf);
  const [a, b] = values;
  switch (c.operator) {
    case '=':
    case 'IN':
      f.points = f.points ? f.points.filter((p) => values.includes(p)) : values;
      break;
    case '!=':
    case '<>':
      f.excluded.push(...values);
      break;
    case '<':
    case '<=':
      if (typeof a === 'number') tightenHigh(f, a, c.operator === '<=');
      break;
    case '>':
    case '>=':
      if (typeof a === 'number') tightenLow(f, a, c.operator === '>=');
      break;
    case 'BETWEEN':
      if (typeof a === 'number') tightenLow(f, a, true);
      if (typeof b === 'number') tightenHigh(f, b, true);
      break;
    default:
      break;
  }
}

function inRange(f: Fold, p: number | string): boolean {
  if (typeof p !== 'number') return true;
  if (f.lo && (p < f.lo.v || (p === f.lo.v && !f.lo.incl))) return false;
  if (f.hi && (p > f.hi.v || (p === f.hi.v && !f.hi.incl))) return false;
  return true;
}

/** Can any value satisfy the folded conditions? */
function satisfiable(f: Fold): boolean {
  if (f.points) return f.points.some((p) => inRange(f, p) && !f.excluded.includes(p));
  if (!f.lo || !f.hi) return true;
  if (f.lo.v < f.hi.v) return true;
  return f.lo.v === f.hi.v && f.lo.incl && f.hi.incl && !f.excluded.includes(f.lo.v);
}

/** contradictory-having: per column, the first condition after which nothing is left. */
function contradictions(conds: readonly { c: HavingCondition; col: ResultColumn }[], rc: RuleContext): void {
  const folds = new Map<string, { fold: Fold; seen: HavingCondition[]; reported: boolean }>();
  for (const { c, col } of conds) {
    let s = folds.get(col.name);
    if (!s) folds.set(col.name, (s = { fold: { excluded: [] }, seen: [], reported: false }));
    addCondition(s.fold, c);
    s.seen.push(c);
    if (s.reported || satisfiable(s.fold)) continue;
    s.reported = true;
    const alone = s.seen.length === 1;
    rc.accept(
      diag(
        'contradictory-having',
        c,
        alone
          ? `No value of ${col.name} satisfies this condition, so no row would come back. Check the bounds (BETWEEN takes the lower one first).`
          : `No value of ${col.name} satisfies all its HAVING conditions together (they join with AND), so no row would come back. Check the bounds, or use IN for alternatives.`,
        { data: { column: col.name }, related: s.seen.slice(0, -1).map((p) => ({ at: p, message: `another condition on ${col.name}` })) },
      ),
    );
  }
}

export const havingRule: Rule = {
  id: 'having',
  codes: ['unknown-having-column', 'having-type-mismatch', 'contradictory-having'],
  checks: {
    Query(q, rc) {
      const h = q.having;
      if (!h) return;
      const m = rc.model;
      const cols = modelColumns(rc.catalog, m);
      const typed: { c: HavingCondition; col: ResultColumn }[] = [];
      for (const c of h.conditions) {
        const up = c.column.upper;
        const col = cols.find((x) => x.name === up);
        if (!col) {
          if (reportedElsewhere(m, up)) continue;
          const missing = explainMissingColumn(rc.catalog, q, cols, c.column.text);
          const data = { name: c.column.text, suggestions: missing.suggestions, columns: cols.map((x) => x.name), ...(missing.addCompare ? { addCompare: true } : {}) };
          rc.accept(diag('unknown-having-column', c.column, `HAVING ${c.column.text}: the result has no such column; ${missing.why}`, { data }));
          continue;
        }
        if (c.operator === undefined || c.values.length === 0) continue;
        if (checkTypes(c, col, rc)) typed.push({ c, col });
      }
      contradictions(typed, rc);
    },
  },
};
