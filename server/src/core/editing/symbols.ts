// Document symbols: one per query, named by its metrics.
import type { MqDocument } from '../syntax/ast.js';

export interface MqSymbol {
  name: string;
  detail: string;
  start: number;
  end: number;
  selectionStart: number;
  selectionEnd: number;
}

const MAX_NAME = 80;

export function querySymbols(doc: MqDocument): MqSymbol[] {
  return doc.queries.map((q) => {
    let name = q.select.metrics.map((m) => m.text).join(', ') || 'SELECT (no metrics yet)';
    if (name.length > MAX_NAME) name = `${name.slice(0, MAX_NAME - 1)}…`;
    const by = q.by?.dimensions.map((d) => d.text).join(', ');
    return {
      name,
      detail: by ? `BY ${by}` : '',
      start: q.start,
      end: q.end,
      selectionStart: q.select.start,
      selectionEnd: q.select.end,
    };
  });
}
