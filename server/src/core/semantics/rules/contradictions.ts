// contradictory-filter: conditions that AND together into nothing. A list filter given twice with
// values that have nothing in common (`channelCode = SMS AND channelCode = EMAIL`: suggest IN),
// a single-valued filter (sentSince, includeSubaccounts, applicationId, ...) given two different
// values, and a timeTo* span whose lower bound is not below its upper bound.
import type { ConditionRef, ValueRef } from '../model.js';
import { formatWireTime } from '../../compile/time.js';
import { diag, listText, type Rule, type RuleContext } from './types.js';

/** The value as mq source text (names canonical, strings quoted). */
export function valueSource(v: ValueRef): string {
  if (v.node.kind === 'string' && typeof v.wire === 'string' && !v.channel && !v.trafficType && !v.senderType) {
    return `'${v.wire.replace(/'/g, "''")}'`;
  }
  return v.key ?? '';
}

function offsets(conds: ConditionRef[]): { start: number; end: number }[] {
  return conds.map((c) => ({ start: c.node.start, end: c.node.end }));
}

/** A list filter restricted twice with no value in common: suggest the IN (...) of all of them. */
function emptiedLists(rc: RuleContext): void {
  const m = rc.model;
  for (const l of m.lists.values()) {
    if (!l.emptiedBy) continue;
    const usable = l.conditions.filter((c) => c.usable);
    const all: ValueRef[] = [];
    for (const c of usable) for (const v of c.values) if (!all.some((x) => x.key === v.key)) all.push(v);
    const shown = all.map(valueSource);
    const replacement = `${l.filter.name} IN (${shown.join(', ')})`;
    const first = usable[0]!;
    rc.accept(
      diag(
        'contradictory-filter',
        l.emptiedBy.node,
        `${l.filter.name} is restricted twice with no value in common; conditions are joined by AND, so nothing can match. ` +
          `To get any of ${listText(shown)}, write ${replacement}.`,
        {
          data: { filter: l.filter.name, values: all.map((v) => v.key), replacement, conditions: offsets(usable) },
          related: first === l.emptiedBy ? [] : [{ at: first.node, message: `${l.filter.name} first restricted here` }],
        },
      ),
    );
  }
}

/** A single-valued filter given two different values. */
function repeatedScalars(rc: RuleContext): void {
  const m = rc.model;
  for (const s of m.scalars.values()) {
    if (s.values.length < 2) continue;
    const usable = s.conditions.filter((c) => c.usable);
    const second = usable.find((c) => c.values.some((v) => v.key === s.values[1]!.key))!;
    const shown = s.values.map(valueSource);
    rc.accept(
      diag(
        'contradictory-filter',
        second.node,
        `${s.filter.name} is set to ${listText(shown)}; it takes one value and conditions are joined by AND, so nothing can match. Keep one of them.`,
        {
          data: { filter: s.filter.name, values: s.values.map((v) => v.key), conditions: offsets(usable) },
          related: [{ at: usable[0]!.node, message: `${s.filter.name} first set here` }],
        },
      ),
    );
  }
}

/** sentSince or sentUntil set twice (also through `sent`) to different instants. */
function repeatedBounds(rc: RuleContext): void {
  const m = rc.model;
  const known = rc.catalog.known;
  for (const [bounds, name] of [
    [m.since, known.sentSince.name],
    [m.until, known.sentUntil.name],
  ] as const) {
    if (bounds.length < 2 || bounds.every((b) => b.ms === bounds[0]!.ms)) continue;
    const distinct = [...new Set(bounds.map((b) => b.ms))];
    const second = bounds.find((b) => b.ms !== bounds[0]!.ms)!;
    rc.accept(
      diag(
        'contradictory-filter',
        second.condition.node,
        `${name} is set more than once, to ${listText(distinct.map(formatWireTime))}. ` +
          `The window has one start and one end: keep a single condition for ${name} (sent BETWEEN a AND b sets both).`,
        {
          data: { filter: name, values: distinct.map(formatWireTime), conditions: offsets([...new Set(bounds.map((b) => b.condition))]) },
          related: [{ at: bounds[0]!.condition.node, message: `${name} first set here` }],
        },
      ),
    );
  }
}

/** A timeTo* span that is empty: nothing below the smallest bucket, or a lower bound not below the upper one. */
function emptySpans(rc: RuleContext): void {
  const m = rc.model;
  for (const s of m.spans.values()) {
    if (s.complete && !s.from && s.to && s.to.bucket.ms <= rc.catalog.bucketsByMs[0]!.ms) {
      rc.accept(
        diag('invalid-value', s.to.value.node, `Nothing is below ${s.to.bucket.name}, so this ${s.filter.name} condition matches nothing. Use a larger upper bound.`, {
          data: { filter: s.filter.name, to: s.to.bucket.name },
        }),
      );
      continue;
    }
    if (!s.complete || !s.from || !s.to || s.from.bucket.ms < s.to.bucket.ms) continue;
    const one = s.from.condition === s.to.condition;
    const message = one
      ? `The span is empty: the lower bound ${s.from.bucket.name} is not below the upper bound ${s.to.bucket.name} ` +
        `(the lower bound is included, the upper one is not). Put the smaller duration first.`
      : `${s.filter.name} must be at least ${s.from.bucket.name} and below ${s.to.bucket.name}; no time can be both. Fix one of the bounds.`;
    const data = { filter: s.filter.name, from: s.from.bucket.name, to: s.to.bucket.name };
    if (one) rc.accept(diag('invalid-value', s.from.condition.node, message, { data, related: [] }));
    else rc.accept(diag('contradictory-filter', s.to.condition.node, message, { data, related: [{ at: s.from.condition.node, message: 'lower bound set here' }] }));
  }
}

export const contradictionsRule: Rule = {
  id: 'contradictions',
  codes: ['contradictory-filter', 'invalid-value'],
  checks: {
    Query(_q, rc) {
      emptiedLists(rc);
      repeatedScalars(rc);
      repeatedBounds(rc);
      emptySpans(rc);
    },
  },
};
