// Shared test helpers: the one language-core instance the tests use, parse + analyse/compile text with a
// fixed clock, the text a diagnostic covers, and a `<|>` cursor marker for editor-feature tests.
import type { AnalysisContext } from '../../server/src/core/semantics/analyser.js';
import type { Position } from '../../server/src/core/syntax/ast.js';
import type { CompileResult } from '../../server/src/core/compile/compiler.js';
import type { DiagnosticCode, MqDiagnostic, MqDiagnosticOf } from '../../server/src/core/semantics/diagnostics.js';
import { catalog } from '../../server/src/core/catalog/data.js';
import { createMq } from '../../server/src/core/index.js';

/** The language core over the shipped catalog, built once for all tests of a process. */
export const mq = createMq({ catalog });

/** The clock every test uses unless it says otherwise: 2026-11-05T10:20:30.123Z (a Thursday). */
export const FIXED_NOW = new Date('2026-11-05T10:20:30.123Z');

export const TEST_CALLBACK_URL = 'https://callback.example.invalid/mq';

/** A diagnostic plus the source text its range covers. */
export type DiagnosticWithText = MqDiagnostic & { text: string };

/** Parses and analyses `text` (all queries); each diagnostic carries the text it points at. */
export function diagnose(text: string, ctx: Partial<AnalysisContext> = {}): DiagnosticWithText[] {
  const doc = mq.parse(text);
  const full: AnalysisContext = { now: ctx.now ?? FIXED_NOW, ...(ctx.options ? { options: ctx.options } : {}) };
  return mq.analyse(doc, full).map((d) => ({ ...d, text: text.slice(d.start, d.end) }));
}

/** Only the diagnostics with this code (typed with that code's `data`). */
export function withCode<C extends DiagnosticCode>(text: string, code: C, ctx: Partial<AnalysisContext> = {}): (MqDiagnosticOf<C> & { text: string })[] {
  return diagnose(text, ctx).filter((d) => d.code === code) as (MqDiagnosticOf<C> & { text: string })[];
}

/** Compiles query number `index` (default 0) of `text` with the fixed clock. */
export function compileText(text: string, index = 0, now: Date = FIXED_NOW): CompileResult {
  const doc = mq.parse(text);
  const q = doc.queries[index];
  if (!q) throw new Error(`no query ${index} in: ${text}`);
  return mq.compile(q, { now, callbackUrl: TEST_CALLBACK_URL });
}

/** The WHERE conditions every valid query needs; append more with AND. */
export const REQUIRED = `channelCode = SMS AND sentSince = '2026-10-01' AND sentUntil = '2026-10-02'`;

/**
 * A complete query: SELECT `select` [BY `by`] WHERE `where` (defaults to the required filters) plus `tail`
 * (ORDER BY / LIMIT).
 */
export function query(parts: { select?: string; by?: string; where?: string; tail?: string }): string {
  const select = parts.select ?? 'TOTAL_TRAFFIC_COUNT';
  const by = parts.by ? ` BY ${parts.by}` : '';
  const where = ` WHERE ${parts.where ?? REQUIRED}`;
  const tail = parts.tail ? ` ${parts.tail}` : '';
  return `SELECT ${select}${by}${where}${tail}`;
}

/** Offset → 0-based line/character. */
export function positionAt(text: string, offset: number): Position {
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, character: offset - lineStart };
}

export const CURSOR = '<|>';

/** Removes the `<|>` marker from `marked`: the clean text, the marker's offset and its position. */
export function cursor(marked: string): { text: string; offset: number; position: Position } {
  const offset = marked.indexOf(CURSOR);
  if (offset < 0) throw new Error(`no ${CURSOR} marker in: ${marked}`);
  if (marked.indexOf(CURSOR, offset + 1) >= 0) throw new Error(`more than one ${CURSOR} marker in: ${marked}`);
  const text = marked.slice(0, offset) + marked.slice(offset + CURSOR.length);
  return { text, offset, position: positionAt(text, offset) };
}

/** The quick fixes of the first diagnostic with `code` in the first query, each applied to the text. */
export function quickFixes(text: string, code: string, now: Date = FIXED_NOW): { title: string; preferred: boolean; result: string }[] {
  const q = mq.parse(text).queries[0];
  if (!q) throw new Error(`no query in: ${text}`);
  const diags = mq.analyseQuery(q, { now }).diagnostics.filter((d) => d.code === code);
  const d = diags[0];
  if (!d) throw new Error(`expected a ${code} diagnostic in: ${text}`);
  return mq.codeActions(text, q, diags, d.start, d.end).map((a) => ({
    title: a.title,
    preferred: !!a.isPreferred,
    result: [...a.edits].sort((x, y) => y.start - x.start).reduce((t, e) => t.slice(0, e.start) + e.newText + t.slice(e.end), text),
  }));
}
