// What a query asks for, once compiled: the request body or bodies to send, and what to do with the rows
// when they arrive (spec §5 and §8). The run engine, the CLI, the extension and the notebook runner all
// execute a QueryPlan, so COMPARE WITH, HAVING, ORDER BY and LIMIT mean the same thing everywhere.
//
// The plan is plain data (no functions, no AST), so it can be stored in history and sent to other
// processes as JSON.
import type { AggregateDataRequest } from './wire.js';

/** A resolved period, [sinceMs, untilMs) in milliseconds since the epoch (UTC). */
export interface Period {
  sinceMs: number;
  untilMs: number;
}

export type HavingOperator = '=' | '!=' | '<>' | '<' | '<=' | '>' | '>=' | 'IN' | 'BETWEEN';

/** A HAVING literal: a number (decimal or negative allowed; `text` keeps it as written) or a name/string. */
export type HavingLiteral = { kind: 'number'; text: string; value: number } | { kind: 'text'; value: string };

/** One HAVING condition on a result column (canonical upper-case column name). */
export interface HavingCondition {
  column: string;
  operator: HavingOperator;
  /** `=`…`>=`: one literal; IN: the list; BETWEEN: two (low, high, both inclusive). */
  values: HavingLiteral[];
}

export interface OrderItemSpec {
  column: string;
  direction: 'ASC' | 'DESC';
}

/** COMPARE WITH: the previous period's request (identical to the current one except the period). */
export interface ComparisonPlan {
  request: AggregateDataRequest;
  period: Period;
  /** current since − previous since, in ms (> 0). Previous rows' time columns are shifted by it. */
  offsetMs: number;
  /** The clause as a person reads it: "PREVIOUS PERIOD" or "7d AGO". */
  label: string;
}

export interface QueryPlan {
  /** The current period's request. */
  request: AggregateDataRequest;
  period: Period;
  /** Canonical metric names, in SELECT order, no duplicates. */
  metrics: string[];
  /** Canonical dimension names as sent in aggregateBy. */
  dimensions: string[];
  comparison?: ComparisonPlan;
  having: HavingCondition[];
  orderBy: OrderItemSpec[];
  limit?: number;
}
