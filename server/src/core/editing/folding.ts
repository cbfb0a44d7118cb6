// Folding ranges (as offsets): every query and every block comment. The server keeps those that span
// more than one line.
import type { MqDocument } from '../syntax/ast.js';

export interface MqFold {
  start: number;
  end: number;
  kind: 'region' | 'comment';
}

export function foldingRanges(doc: MqDocument): MqFold[] {
  const out: MqFold[] = [];
  for (const q of doc.queries) out.push({ start: q.start, end: q.end, kind: 'region' });
  for (const c of doc.comments) if (c.style === 'block') out.push({ start: c.start, end: c.end, kind: 'comment' });
  return out.sort((a, b) => a.start - b.start);
}
