// The one list of diagnostic codes (spec §6). Tests, quick fixes, docs and the CLI key on these codes.
import type { Range } from '../syntax/ast.js';

export const DIAGNOSTIC_CODES = {
  'syntax-error': 'error',
  'unknown-metric': 'error',
  'unknown-dimension': 'error',
  'unknown-filter': 'error',
  'unknown-value': 'error',
  'duplicate-metric': 'warning',
  'duplicate-dimension': 'warning',
  'missing-required-filter': 'error',
  'invalid-value': 'error',
  'empty-time-range': 'error',
  'contradictory-filter': 'error',
  'unsupported-operator': 'error',
  'invalid-time-bucket': 'error',
  'metric-channel-unsupported': 'error',
  'metric-channel-partial': 'warning',
  'metric-channel-may-be-empty': 'warning',
  'url-dimension-metric': 'error', // 'warning' for an unconfirmed click metric
  'traffic-type-channel': 'error',
  'sender-type-channel': 'error',
  'direction-metric': 'warning',
  'multiple-time-grains': 'warning',
  'unknown-order-column': 'error',
  'invalid-limit': 'error',
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;
export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface RelatedInfo {
  range: Range;
  message: string;
}

export interface MqDiagnostic {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  range: Range;
  /** Offsets of the range in the document (for quick fixes). */
  start: number;
  end: number;
  related?: RelatedInfo[];
  /**
   * Machine-readable details quick fixes key on, for example
   * { suggestions: ['DELIVERED_TRAFFIC_COUNT'] } or { missing: ['sentSince', 'sentUntil'] }.
   */
  data?: Record<string, unknown>;
}
