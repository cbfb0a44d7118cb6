// The properties every document must satisfy, as plain functions that throw a descriptive Error.
// Used by the fixed-seed runs in npm test (test/core/fuzz*.test.ts) and the long runs (scripts/fuzz.ts).
import { type AnalysisContext } from '../../server/src/core/semantics/analyser.js';
import type { Position, Range } from '../../server/src/core/syntax/ast.js';
import type { MqDiagnostic } from '../../server/src/core/semantics/diagnostics.js';
import { REGISTRY } from '../../server/src/core/semantics/registry.js';
import { lex } from '../helpers/syntax.js';
import { parseDocument } from '../helpers/syntax.js';
import { stringifyJson } from '../../server/src/core/compile/wire.js';
import type { MqDocument, Query } from '../../server/src/core/syntax/ast.js';
import { DocumentModel } from '../../server/src/lsp/documentModel.js';
import { mq } from '../helpers/mq.js';
import { TEST_CORE } from '../helpers/languageCore.js';

export const FUZZ_NOW = new Date('2026-11-05T10:20:30.123Z');
export const FUZZ_CALLBACK = 'https://callback.example.invalid/mq/fuzz';
export const CTX: AnalysisContext = { now: FUZZ_NOW };

/**
 * Per-call time limit for inputs under 100 KB. The project's budget is 100 ms: `npm run fuzz` checks exactly that
 * (it sets MQ_CALL_BUDGET_MS=100) and reports the slowest call. Inside `npm test` the same properties run with
 * a 1 s limit: speed targets belong to the benchmark and the long fuzz run, not to timed unit tests, while a
 * hang or a quadratic blow-up (seconds on 100 KB) still fails the unit suite.
 */
export const BUDGET_MS = Number(process.env.MQ_CALL_BUDGET_MS) > 0 ? Number(process.env.MQ_CALL_BUDGET_MS) : 1000;
const BUDGET_LIMIT_BYTES = 100 * 1024;

/** Shows a text in a failure message without flooding the terminal. */
export function show(text: string, max = 1200): string {
  // Non-ASCII characters are escaped: a U+3000 or a bidi override must be visible in a report.
  const j = JSON.stringify(text).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return j.length > max ? `${j.slice(0, max)}… (${text.length} chars)` : j;
}

/**
 * Runs `fn` and checks it against the time budget. A single slow run can be a GC pause or a busy
 * machine, so a slow call is repeated and only fails when it is slow three times in a row.
 */
export function timed<T>(what: string, text: string, fn: () => T): T {
  // Time is the smaller of wall-clock and process CPU time, so a machine busy with other work does not
  // make a fast call look slow; a slow call is still repeated before it counts as a failure.
  const measure = (): [T, number] => {
    const w0 = performance.now();
    const c0 = process.cpuUsage();
    const r = fn();
    const c = process.cpuUsage(c0);
    return [r, Math.min(performance.now() - w0, (c.user + c.system) / 1000)];
  };
  let [result, elapsed] = measure();
  if (elapsed <= BUDGET_MS || text.length >= BUDGET_LIMIT_BYTES) return result;
  let best = elapsed;
  for (let i = 0; i < 2 && best > BUDGET_MS; i++) {
    [result, elapsed] = measure();
    best = Math.min(best, elapsed);
  }
  if (best > BUDGET_MS) throw new Error(`${what} took ${best.toFixed(1)} ms (budget ${BUDGET_MS} ms) on ${show(text)}`);
  return result;
}

/** Wraps a call so that an escaping exception names the stage and the input. */
export function guarded<T>(what: string, text: string, fn: () => T): T {
  try {
    return timed(what, text, fn);
  } catch (e) {
    if (e instanceof Error && e.message.includes('(budget ')) throw e;
    const err = e instanceof Error ? `${e.name}: ${e.message}\n${e.stack?.split('\n').slice(1, 6).join('\n')}` : String(e);
    throw new Error(`${what} threw on ${show(text)}: ${err}`, { cause: e });
  }
}

/** LSP line starts: \n, \r\n and a lone \r all end a line; characters are UTF-16 code units. */
export class Lines {
  readonly starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      }
    }
  }
  position(offset: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - this.starts[lo]! };
  }
  /** Inverse of position; characters past the end of a line clamp to it (as LSP clients do). */
  offset(p: Position): number {
    if (p.line >= this.starts.length) return this.text.length;
    const start = this.starts[p.line]!;
    const next = p.line + 1 < this.starts.length ? this.starts[p.line + 1]! : this.text.length;
    return Math.min(start + p.character, next);
  }
  /** Every valid position of the document, for picking cursor positions. */
  get lineCount(): number {
    return this.starts.length;
  }
}

const samePos = (a: Position, b: Position) => a.line === b.line && a.character === b.character;

/** A range must be ordered, inside the document, and agree with the node's offsets. */
export function checkRange(what: string, text: string, lines: Lines, r: Range, start?: number, end?: number): void {
  const bad = (why: string) => new Error(`${what}: ${why} (range ${JSON.stringify(r)}, offsets ${start}..${end}) in ${show(text)}`);
  for (const p of [r.start, r.end]) {
    if (!Number.isInteger(p.line) || !Number.isInteger(p.character) || p.line < 0 || p.character < 0) throw bad('non-integer or negative position');
    if (p.line >= lines.lineCount) throw bad('line past the end of the document');
  }
  const s = lines.offset(r.start);
  const e = lines.offset(r.end);
  if (s > e) throw bad('start after end');
  if (!samePos(lines.position(s), r.start) || !samePos(lines.position(e), r.end)) throw bad('position past the end of its line');
  if (start !== undefined && end !== undefined) {
    if (start < 0 || end > text.length || start > end) throw bad('offsets out of the document');
    if (s !== start || e !== end) throw bad(`range and offsets disagree (range is ${s}..${e})`);
  }
}

export function checkDiagnostics(what: string, text: string, lines: Lines, diags: readonly MqDiagnostic[]): void {
  for (const d of diags) {
    if (!(d.code in REGISTRY)) throw new Error(`${what}: unknown diagnostic code ${d.code} in ${show(text)}`);
    if (!['error', 'warning', 'information', 'hint'].includes(d.severity)) throw new Error(`${what}: bad severity ${d.severity}`);
    if (typeof d.message !== 'string' || d.message.trim() === '') throw new Error(`${what}: empty message for ${d.code} in ${show(text)}`);
    checkRange(`${what} ${d.code}`, text, lines, d.range, d.start, d.end);
    for (const r of d.related ?? []) checkRange(`${what} ${d.code} related`, text, lines, r.range);
  }
}

export interface CoreOutcome {
  doc: MqDocument;
  /** One entry per query: the compiled body as JSON, or undefined when the query has errors. */
  bodies: (string | undefined)[];
  diagnostics: MqDiagnostic[];
  errorFree: boolean;
}

/** lexer → parser → analyser → compiler on one document, with every property checked. */
export function checkCore(text: string): CoreOutcome {
  const lines = new Lines(text);
  guarded('lex', text, () => lex(text));
  const doc = guarded('parseDocument', text, () => parseDocument(text));
  if (doc.length !== text.length) throw new Error(`parseDocument length ${doc.length} != ${text.length}`);
  let prevEnd = 0;
  for (const q of doc.queries) {
    if (q.start < prevEnd || q.end < q.start || q.end > text.length) throw new Error(`query ${q.index} spans ${q.start}..${q.end} (previous ended ${prevEnd}) in ${show(text)}`);
    prevEnd = q.end;
    checkRange(`query ${q.index}`, text, lines, q.range, q.start, q.end);
  }
  for (const c of doc.comments) checkRange('comment', text, lines, c.range, c.start, c.end);
  const diagnostics = guarded('analyseDocument', text, () => mq.analyse(doc, CTX));
  checkDiagnostics('analyseDocument', text, lines, diagnostics);
  const bodies: (string | undefined)[] = [];
  for (const q of doc.queries) {
    const own = guarded('analyseQuery', text, () => mq.analyseQuery(q, CTX).diagnostics);
    const hasError = own.some((d) => d.severity === 'error');
    const r = guarded('compileQuery', text, () => mq.compile(q, { now: FUZZ_NOW, callbackUrl: FUZZ_CALLBACK }));
    if (r.ok === hasError) throw new Error(`compileQuery ok=${r.ok} but the analyser reports ${hasError ? 'errors' : 'no errors'} for query ${q.index} of ${show(text)}`);
    if (r.ok) {
      const json = stringifyJson(r.body);
      const again = mq.compile(q, { now: FUZZ_NOW, callbackUrl: FUZZ_CALLBACK });
      if (!again.ok || stringifyJson(again.body) !== json) throw new Error(`compileQuery is not deterministic on ${show(text)}`);
      JSON.parse(json);
      bodies.push(json);
    } else {
      checkDiagnostics('compileQuery', text, lines, r.diagnostics);
      bodies.push(undefined);
    }
  }
  return { doc, bodies, diagnostics, errorFree: !diagnostics.some((d) => d.severity === 'error') };
}

// ---------------------------------------------------------------------------------------------------
// Formatter


function commentTexts(text: string): string[] {
  return parseDocument(text)
    .comments.map((c) => c.text.trimEnd())
    .sort();
}

function codeCounts(diags: readonly MqDiagnostic[]): string {
  const m = new Map<string, number>();
  for (const d of diags) m.set(d.code, (m.get(d.code) ?? 0) + 1);
  return [...m.entries()]
    .sort()
    .map(([k, v]) => `${k}×${v}`)
    .join(' ');
}

/**
 * formatDocument: never throws, within budget, idempotent, keeps every comment, keeps the diagnostics
 * (by code), and for an error-free document every query compiles to the same body before and after.
 */
export function checkFormat(text: string, before: CoreOutcome): string {
  const formatted = guarded('formatDocument', text, () => mq.format(text));
  const twice = guarded('formatDocument (second pass)', formatted, () => mq.format(formatted));
  if (twice !== formatted) throw new Error(`formatDocument is not idempotent on ${show(text)}\nfirst:  ${show(formatted)}\nsecond: ${show(twice)}`);
  if (commentTexts(formatted).join('\u0000') !== commentTexts(text).join('\u0000')) throw new Error(`formatDocument changed the comments of ${show(text)}\ninto ${show(formatted)}`);
  const after = checkCore(formatted);
  if (codeCounts(after.diagnostics) !== codeCounts(before.diagnostics)) {
    throw new Error(`formatDocument changed the diagnostics of ${show(text)}\nfrom ${codeCounts(before.diagnostics)}\nto   ${codeCounts(after.diagnostics)}\nformatted: ${show(formatted)}`);
  }
  if (before.errorFree) {
    if (after.bodies.length !== before.bodies.length) throw new Error(`formatDocument changed the number of queries of ${show(text)} into ${show(formatted)}`);
    for (let i = 0; i < before.bodies.length; i++) {
      if (after.bodies[i] !== before.bodies[i]) {
        throw new Error(`formatDocument changed the request of query ${i} of ${show(text)}\nbefore: ${before.bodies[i]}\nafter:  ${after.bodies[i]}\nformatted: ${show(formatted)}`);
      }
    }
  }
  return formatted;
}

/** formatRange at [start, end): edits inside the document, sorted and disjoint. */
export function checkFormatRange(text: string, start: number, end: number): void {
  const edits = guarded('formatRange', text, () => mq.formatRange(text, start, end));
  let prev = 0;
  for (const e of edits) {
    if (e.start < prev || e.end < e.start || e.end > text.length) throw new Error(`mq.formatRange(${start}, ${end}) returned edit ${e.start}..${e.end} (previous ended ${prev}) on ${show(text)}`);
    prev = e.end;
  }
}

// ---------------------------------------------------------------------------------------------------
// Editor features (the language server's pure core functions)


function inDoc(what: string, text: string, start: number, end: number): void {
  if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= text.length)) {
    throw new Error(`${what}: offsets ${start}..${end} outside a document of ${text.length} chars: ${show(text)}`);
  }
}

function queryAt(doc: MqDocument, offset: number): Query | undefined {
  return doc.queries.find((q) => offset >= q.start && offset <= q.end);
}

/** Whole-document features: semantic tokens, symbols, folding, inlay hints. */
export function checkDocumentFeatures(text: string, doc: MqDocument): void {
  const tokens = guarded('semanticTokens', text, () => mq.semanticTokens(text, doc));
  let prev = 0;
  for (const t of tokens) {
    inDoc('semanticTokens', text, t.start, t.start + t.length);
    if (t.start < prev) throw new Error(`semanticTokens: token at ${t.start} overlaps or is out of order (previous ended ${prev}) in ${show(text)}`);
    if (t.length <= 0) throw new Error(`semanticTokens: empty token at ${t.start} in ${show(text)}`);
    if (/[\r\n]/.test(text.slice(t.start, t.start + t.length))) throw new Error(`semanticTokens: token at ${t.start} spans a line break in ${show(text)}`);
    prev = t.start + t.length;
  }
  for (const s of guarded('querySymbols', text, () => mq.symbols(doc))) {
    inDoc('querySymbols', text, s.start, s.end);
    inDoc('querySymbols selection', text, s.selectionStart, s.selectionEnd);
    if (s.selectionStart < s.start || s.selectionEnd > s.end) throw new Error(`querySymbols: selection outside the symbol in ${show(text)}`);
    if (!s.name) throw new Error(`querySymbols: empty name in ${show(text)}`);
  }
  for (const f of guarded('foldingRanges', text, () => mq.folding(doc))) inDoc('foldingRanges', text, f.start, f.end);
  for (const q of doc.queries) {
    for (const h of guarded('inlayHints', text, () => mq.inlayHints(q, FUZZ_NOW))) inDoc('inlayHints', text, h.offset, h.offset);
  }
}

/** Cursor features at one offset: completion, hover, quick fixes (for a range around the cursor). */
export function checkCursorFeatures(text: string, doc: MqDocument, diagnostics: readonly MqDiagnostic[], offset: number, rangeEnd: number): void {
  const q = queryAt(doc, offset);
  const res = guarded(`complete@${offset}`, text, () => mq.complete(text, offset, q, FUZZ_NOW));
  for (const it of res.items) {
    inDoc(`complete@${offset} item ${it.label}`, text, it.replaceStart, it.replaceEnd);
    if (!it.label) throw new Error(`complete@${offset}: item without a label in ${show(text)}`);
  }
  const h = guarded(`hoverAt@${offset}`, text, () => mq.hover(q, offset, FUZZ_NOW));
  if (h) {
    inDoc(`hoverAt@${offset}`, text, h.start, h.end);
    if (!h.contents.trim()) throw new Error(`hoverAt@${offset}: empty hover in ${show(text)}`);
  }
  const actions = guarded(`codeActionsFor@${offset}`, text, () => mq.codeActions(text, q, diagnostics, offset, rangeEnd));
  for (const a of actions) {
    if (!a.title) throw new Error(`codeActionsFor@${offset}: action without a title in ${show(text)}`);
    const sorted = [...a.edits].sort((x, y) => x.start - y.start);
    let prevEnd = 0;
    for (const e of sorted) {
      inDoc(`codeActionsFor@${offset} "${a.title}"`, text, e.start, e.end);
      if (e.start < prevEnd) throw new Error(`codeActionsFor@${offset} "${a.title}": overlapping edits in ${show(text)}`);
      prevEnd = e.end;
    }
  }
  // Applying a fix must give a document the whole pipeline still handles (the first fix, to bound the cost).
  const a = actions[0];
  if (a) {
    const sorted = [...a.edits].sort((x, y) => x.start - y.start);
    let fixed = text;
    for (const e of sorted.reverse()) fixed = fixed.slice(0, e.start) + e.newText + fixed.slice(e.end);
    checkCore(fixed);
  }
}

// ---------------------------------------------------------------------------------------------------
// The language server's incremental document model


function segmentSummary(m: DocumentModel): string {
  return JSON.stringify(
    m.segs.map((s, i) => {
      const doc = m.parseOf(i);
      return {
        start: m.starts[i],
        line: m.lines[i],
        character: m.chars[i],
        length: s.length,
        queries: doc.queries.map((q) => [q.start, q.end]),
        errors: [...doc.syntaxErrors, ...doc.queries.flatMap((q) => q.syntaxErrors)].map((e) => [e.start, e.end, e.message]),
        diags: (s.diags ?? mq.analyse(doc, CTX)).map((d) => [d.code, d.start, d.end, d.message]),
      };
    }),
  );
}

const analyseForModel = (doc: MqDocument): MqDiagnostic[] => mq.analyse(doc, CTX);

/**
 * Applies the edits one by one as LSP incremental changes (ranges in line/character) to the server's
 * DocumentModel. After every edit its text must equal the edited string, each segment must start where
 * the text says (offset, line, character), and its parse and diagnostics must equal those of a model
 * built from scratch on the same text.
 */
export function checkDocumentModel(initial: string, edits: readonly { start: number; end: number; text: string }[]): void {
  const model = guarded('new DocumentModel', initial, () => new DocumentModel('file:///fuzz.mq', 1, initial, TEST_CORE));
  guarded('DocumentModel.analyseChanged', initial, () => model.analyseChanged(analyseForModel));
  let text = initial;
  let version = 1;
  for (const e of edits) {
    const lines = new Lines(text);
    // LSP positions cannot point between \r and \n: move such an edge to the \n's far side.
    const fix = (o: number) => (text[o - 1] === '\r' && text[o] === '\n' ? o + 1 : o);
    const start = fix(e.start);
    const end = Math.max(start, fix(e.end));
    const range = { start: lines.position(start), end: lines.position(end) };
    const before = text;
    text = text.slice(0, start) + e.text + text.slice(end);
    guarded('DocumentModel.update', before, () => model.update([{ range, text: e.text }], ++version));
    guarded('DocumentModel.analyseChanged', before, () => model.analyseChanged(analyseForModel));
    if (model.text !== text) throw new Error(`DocumentModel text diverged after replacing ${start}..${end} of ${show(before)} with ${show(e.text)}`);
    const after = new Lines(text);
    for (let i = 0; i < model.segs.length; i++) {
      const p = after.position(model.starts[i]!);
      if (p.line !== model.lines[i] || p.character !== model.chars[i]) {
        throw new Error(`DocumentModel segment ${i} starts at offset ${model.starts[i]} = ${JSON.stringify(p)} but the model says line ${model.lines[i]} character ${model.chars[i]}, after replacing ${start}..${end} of ${show(before)} with ${show(e.text)}`);
      }
    }
    const fresh = new DocumentModel('file:///fresh.mq', version, text, TEST_CORE);
    const a = segmentSummary(model);
    const b = segmentSummary(fresh);
    if (a !== b) throw new Error(`DocumentModel after an incremental edit differs from a fresh parse: replacing ${start}..${end} of ${show(before)} with ${show(e.text)}\nincremental: ${a.slice(0, 800)}\nfresh:       ${b.slice(0, 800)}`);
  }
}
