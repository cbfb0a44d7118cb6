// Syntax errors outside any query, as compile and run (CLI and extension) see them. Text between a query's
// end and the next query (typically after a stray `;`: `ORDER BY ...` on the line after `WHERE ...;`) most
// likely belongs to that query, so it counts as an error of the query; other text outside queries is only
// reported.
import { syntaxErrorDiagnostic, type MqDiagnostic } from './diagnostics.js';
import type { MqDocument } from '../syntax/ast.js';

/** Syntax errors in the text after query `index` and before the next query (or the end of the file). */
export function errorsAfterQuery(doc: MqDocument, index: number): MqDiagnostic[] {
  const q = doc.queries[index];
  if (!q) return [];
  const until = doc.queries[index + 1]?.start ?? Infinity;
  return doc.syntaxErrors.filter((e) => e.start >= q.end && e.start < until).map(syntaxErrorDiagnostic);
}

/** Syntax errors outside queries that follow none of the given queries (before the first one, or after others). */
export function errorsElsewhere(doc: MqDocument, chosen: readonly number[]): MqDiagnostic[] {
  const taken = new Set(chosen.flatMap((i) => errorsAfterQuery(doc, i).map((d) => d.start)));
  return doc.syntaxErrors.filter((e) => !taken.has(e.start)).map(syntaxErrorDiagnostic);
}
