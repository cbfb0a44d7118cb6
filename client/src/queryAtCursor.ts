// Finds the query a cursor belongs to. Pure: works on the parsed document, no VS Code.
import type { MqDocument, Query } from '../../server/src/api.js';

/** End offset of a query including its `;` when written. */
export function queryEnd(q: Query): number {
  return q.semicolon ? Math.max(q.end, q.semicolon.end) : q.end;
}

function onlyBlank(text: string, from: number, to: number): boolean {
  return /^\s*$/.test(text.slice(Math.min(from, to), Math.max(from, to)));
}

/** True when only whitespace and comments lie between the two offsets. */
function onlyBlankOrComments(doc: MqDocument, text: string, from: number, to: number): boolean {
  const a = Math.min(from, to);
  const b = Math.max(from, to);
  let pos = a;
  for (const c of doc.comments) {
    if (c.end <= a || c.start >= b) continue;
    if (!onlyBlank(text, pos, Math.max(pos, c.start))) return false;
    pos = Math.max(pos, c.end);
  }
  return pos >= b || onlyBlank(text, pos, b);
}

/**
 * The query at `offset`:
 * 1. the query whose text (with its `;`) contains the offset;
 * 2. otherwise the query just before the cursor when only blanks separate them on the same line
 *    (cursor right after `;` or at the end of the last line);
 * 3. otherwise the query just after the cursor when only blanks and comments separate them (cursor on an
 *    empty line or in a comment above it);
 * 4. otherwise the query whose lines include the cursor's line;
 * 5. otherwise the query before the cursor when only blanks and comments follow it (end of the file).
 */
export function queryAtOffset(doc: MqDocument, text: string, offset: number): Query | undefined {
  const qs = doc.queries;
  if (qs.length === 0) return undefined;
  const pos = Math.max(0, Math.min(offset, text.length));
  for (const q of qs) {
    if (q.start <= pos && pos <= queryEnd(q)) return q;
  }
  let before: Query | undefined;
  let after: Query | undefined;
  for (const q of qs) {
    if (queryEnd(q) <= pos) before = q;
    else if (q.start >= pos && !after) after = q;
  }
  if (before) {
    const gap = text.slice(queryEnd(before), pos);
    if (!gap.includes('\n') && onlyBlank(text, queryEnd(before), pos)) return before;
  }
  if (after && onlyBlankOrComments(doc, text, pos, after.start)) return after;
  const line = lineOf(text, pos);
  for (const q of qs) {
    if (q.range.start.line <= line && line <= q.range.end.line) return q;
  }
  if (before && onlyBlankOrComments(doc, text, queryEnd(before), pos)) return before;
  return undefined;
}

function lineOf(text: string, offset: number): number {
  let line = 0;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** The query's own text, `;` included, trimmed. */
export function queryText(text: string, q: Query): string {
  return text.slice(q.start, queryEnd(q)).trim();
}

/** A short title for a query: its metrics, e.g. "DELIVERED_TRAFFIC_COUNT, TOTAL_TRAFFIC_COUNT by DAY". */
export function queryTitle(q: Query, max = 80): string {
  const metrics = q.select.metrics.map((m) => m.upper).join(', ') || `Query ${q.index + 1}`;
  const dims = q.by?.dimensions.map((d) => d.upper).join(', ');
  const title = dims ? `${metrics} by ${dims}` : metrics;
  return title.length > max ? `${title.slice(0, max - 1)}…` : title;
}
