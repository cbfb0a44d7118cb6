// What a validation rule looks like: checks keyed by the kind of node they look at (as Langium's
// ValidationChecks are), each reading the shared QueryModel and reporting through the accept callback.
import type { LimitClause, Located, Name, OrderItem, Query } from '../../syntax/ast.js';
import type { CatalogIndex } from '../../catalog/catalogIndex.js';
import type { DiagnosticCode, DiagnosticData, MqDiagnostic, MqDiagnosticOf, RelatedInfo, Severity } from '../diagnostics.js';
import { REGISTRY } from '../registry.js';
import type { ConditionRef, DimensionRef, MetricRef, QueryModel } from '../model.js';

export interface RuleOptions {
  openApiOnlyChannels: 'off' | 'hint' | 'warning';
}

export interface RuleContext {
  model: QueryModel;
  options: RuleOptions;
  catalog: CatalogIndex;
  accept(d: MqDiagnostic): void;
}

export interface RuleChecks {
  Query?: (q: Query, rc: RuleContext) => void;
  Metric?: (m: MetricRef, rc: RuleContext) => void;
  Dimension?: (d: DimensionRef, rc: RuleContext) => void;
  Condition?: (c: ConditionRef, rc: RuleContext) => void;
  OrderItem?: (o: OrderItem, rc: RuleContext) => void;
  Limit?: (l: LimitClause, rc: RuleContext) => void;
}

export interface Rule {
  /** Short id, also the module name; named by the internal-error diagnostic when a check throws. */
  id: string;
  /** Every code this rule reports (a test holds each rule to it). */
  codes: DiagnosticCode[];
  checks: RuleChecks;
}

export interface DiagExtras<C extends DiagnosticCode> {
  data?: DiagnosticData[C];
  related?: { at: Located; message: string }[];
  severity?: Severity;
}

/** Builds a diagnostic with the code's severity (unless overridden) at the node's range. */
export function diag<C extends DiagnosticCode>(code: C, at: Located, message: string, extras: DiagExtras<C> = {}): MqDiagnosticOf<C> {
  const d: MqDiagnosticOf<C> = {
    code,
    severity: extras.severity ?? REGISTRY[code].severity,
    message,
    range: at.range,
    start: at.start,
    end: at.end,
  };
  if (extras.related?.length) {
    d.related = extras.related.map((r): RelatedInfo => ({ range: r.at.range, message: r.message }));
  }
  if (extras.data) d.data = extras.data;
  return d;
}

/** "A, B and C" */
export function listText(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * unknown-metric / unknown-dimension / unknown-filter: the closest catalog names, why the name does not
 * belong here (`why`, empty when it is nothing else either), or else where completion lists the right ones.
 */
export function unknownName(
  catalog: CatalogIndex,
  code: 'unknown-metric' | 'unknown-dimension' | 'unknown-filter',
  node: Name,
  what: string,
  candidates: readonly string[],
  why: string,
  completeAfter: string,
): MqDiagnostic {
  const suggestions = catalog.closest.closest(node.text, candidates, 3);
  const hint = suggestions.length ? ` Did you mean ${suggestions.join(', ')}?` : ` Use completion after ${completeAfter} to see the ${what}s.`;
  return diag(code, node, `Unknown ${what} '${node.text}'.${why}${hint}`, { data: { name: node.text, suggestions } });
}
