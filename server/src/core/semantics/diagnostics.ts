// What a diagnostic is: its code, severity, place, message and the machine-readable `data` of its code.
// The codes themselves (severity, tags, quick fixes, documentation, an example) are described once each
// in registry.ts; the `data` each code carries is typed here, keyed by code.
import type { Range } from '../syntax/ast.js';

/** Offsets of a span of source text. */
export interface Span {
  start: number;
  end: number;
}

interface NameData {
  /** The name as written. */
  name: string;
  /** The closest known names, best first. */
  suggestions: string[];
}

/** A name that is not a column of the result (ORDER BY, HAVING). */
interface ColumnData {
  name: string;
  suggestions: string[];
  columns: string[];
  /** The name is a comparison column of a selected metric: adding COMPARE WITH makes it a column. */
  addCompare?: boolean;
}

/** The `data` of each diagnostic code: what quick fixes and tools read, keyed by code. */
export interface DiagnosticData {
  'syntax-error': undefined;
  'internal-error': { rule: string };
  'unknown-metric': NameData;
  'unknown-dimension': NameData;
  'unknown-filter': NameData;
  'unknown-value': { filter: string; value: string; suggestions: string[]; openApiOnly?: boolean };
  'duplicate-metric': { name: string };
  'duplicate-dimension': { name: string };
  'missing-required-filter': { missing: string[] };
  'invalid-value': { filter?: string; from?: string; to?: string; max?: string };
  'empty-time-range': { sentSince: string; sentUntil: string };
  'contradictory-filter': {
    filter: string;
    values?: (string | undefined)[];
    /** One condition that means what the user probably wanted (`channelCode IN (SMS, EMAIL)`). */
    replacement?: string;
    /** The conditions involved, in source order. */
    conditions?: Span[];
    from?: string;
    to?: string;
  };
  'unsupported-operator': { operator: string; filter?: string; allowed?: string[] };
  'invalid-time-bucket': { filter: string; suggestions: string[]; below?: string; above?: string };
  'metric-channel-unsupported': { metric: string; channels: string[]; replacement?: string; addChannel?: string };
  'metric-channel-partial': { metric: string; channels: string[]; replacement?: string };
  'metric-channel-may-be-empty': { metric: string; channels: string[] };
  'url-dimension-metric': { metric: string; suggestions: string[] };
  'traffic-type-channel': { value: string; addChannel: string };
  'sender-type-channel': { value: string; addChannel?: string; suggestions?: string[] };
  'direction-metric': { metric: string; direction: string };
  'constant-metric': { metric: string; filter: string; value: string };
  'multiple-time-grains': { name: string; finest: string };
  'unknown-order-column': ColumnData;
  'invalid-limit': { value: string };
  'invalid-compare-offset': { duration: string };
  'compare-offset-misaligned': {
    /** The time dimension whose buckets the offset must match. */
    dimension: string;
    offsetMs: number;
    /** The nearest aligned offsets as durations (`1d`, `2d`); empty when the dimension has no fixed length. */
    suggestions: string[];
  };
  'unknown-having-column': ColumnData;
  'having-type-mismatch': { column: string; expected: 'number' | 'text' | 'operator' };
  'contradictory-having': { column: string };
}

export type DiagnosticCode = keyof DiagnosticData;
export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface RelatedInfo {
  range: Range;
  message: string;
}

/** A diagnostic of one code, with that code's `data`. */
export interface MqDiagnosticOf<C extends DiagnosticCode> {
  code: C;
  severity: Severity;
  message: string;
  range: Range;
  /** Offsets of the range in the document (for quick fixes). */
  start: number;
  end: number;
  related?: RelatedInfo[];
  data?: DiagnosticData[C];
}

/** Any diagnostic: a union keyed by code, so that `d.code === 'x'` narrows `d.data`. */
export type MqDiagnostic = { [C in DiagnosticCode]: MqDiagnosticOf<C> }[DiagnosticCode];

/** The one way a parser error becomes a diagnostic. */
export function syntaxErrorDiagnostic(e: { message: string; range: Range; start: number; end: number }): MqDiagnostic {
  return { code: 'syntax-error', severity: 'error', message: e.message, range: e.range, start: e.start, end: e.end };
}

