// Shared fixtures for the run-*.test.ts files.
import type { AggregateDataRequest } from '../../server/src/core/compile/wire.js';

export const NOW = new Date('2026-03-01T12:34:56Z');
export const iso = (d: Date) => d.toISOString().replace('Z', '+0000');
export const daysBefore = (n: number, from = NOW) => new Date(from.getTime() - n * 86_400_000);

export function req(over: Partial<AggregateDataRequest> & { filter?: Partial<AggregateDataRequest['filterBy']> } = {}): AggregateDataRequest {
  return {
    filterBy: { sentSince: iso(daysBefore(7)), sentUntil: iso(NOW), channelCodes: ['SMS', 'EMAIL'], ...over.filter },
    aggregateBy: over.aggregateBy ?? ['DAY'],
    metrics: over.metrics ?? ['TOTAL_TRAFFIC_COUNT'],
  };
}

export const KEY = 'test-key-0123456789abcdef';
