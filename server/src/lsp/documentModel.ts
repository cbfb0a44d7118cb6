// One open .mq document as a list of query segments, kept up to date edit by edit.
//
// A segment is the text from one SELECT token up to the next (the first segment may also hold text before
// the first SELECT). Segments are parsed on their own (offsets relative to the segment), so an edit only
// re-lexes and re-parses the region around it: from the start of the query before the edit to the end of
// the query after it, extended until the lexer's token boundaries line up with the old ones again (an
// opened block comment or string can swallow more). Segments whose text did not change are kept as they
// are, with their diagnostics and outline. Segment start offsets are prefix sums of the segment lengths,
// kept in a Fenwick tree, so shifting every later segment after an edit and finding the segment at an
// offset are O(log n): a one-character edit costs the same in a 1,000- and a 100,000-query document.
// A second Fenwick tree counts problems per segment, so the total is kept per changed segment and the server
// can pick the problems around an offset without walking the whole document. The text itself is held by
// the segments (no whole-document string is rebuilt per keystroke: that copy and its garbage were most of
// an edit's cost in a 100,000-query file); a third Fenwick tree counts line breaks per segment, so
// offset <-> position conversions are O(log n) as well. `doc` offers them with TextDocument's semantics.
//
// Two phases. `update()` applies the text changes and commits the new segment list at once (the changed
// region is re-cut at its SELECT tokens; every segment is then in place, with the new version). Analysis is
// a separate, later phase, `analyseChanged()`: it parses each new segment, analyses it, keeps its outline
// and drops the syntax tree, one segment at a time, so opening a large file never holds all the trees at
// once. An analyser that throws there leaves the document as consistent as before: that segment simply
// stays unanalysed (no problems counted for it) and the error goes to the caller.
import type { Position, Range, TextDocument, TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import type { MqDocument, Query } from '../core/syntax/ast.js';
import type { MqDiagnostic } from '../core/semantics/diagnostics.js';
import * as T from '../core/syntax/lexer.js';
import type { MqFold } from '../core/editing/folding.js';
import type { MqSymbol } from '../core/editing/symbols.js';
import type { SyntaxCore } from './languageCore.js';

export interface Segment {
  length: number;
  /** The segment's text (the document's text is the concatenation of its segments' texts). */
  text: string;
  /** Offsets (relative to the segment) just after each line break in it (CRLF, CR or LF). */
  breaks: number[];
  /**
   * What the outline and folding need (relative offsets), kept once the segment is analysed. Syntax trees
   * are the bulk of the memory and are not kept: `DocumentModel.parseOf` re-parses on demand.
   */
  outline?: Outline;
  /** Analyser output (relative offsets); undefined until analysed or after the options changed. */
  diags?: MqDiagnostic[];
}

export interface SegmentRef {
  index: number;
  seg: Segment;
  /** Absolute offset, line and character of the segment start. */
  start: number;
  line: number;
  character: number;
  text: string;
  query: Query | undefined;
}

export interface Outline {
  symbols: MqSymbol[];
  folds: MqFold[];
}

const SELECT_LEN = 'SELECT'.length;
/** How many parses are kept for requests (hover, completion, code actions, semantic tokens). */
const PARSE_CACHE = 256;

/** The part of vscode-languageserver-textdocument's TextDocument that the model offers (same semantics). */
export type TextView = Pick<TextDocument, 'uri' | 'languageId' | 'version' | 'lineCount' | 'getText' | 'positionAt' | 'offsetAt'>;

const NO_BREAKS: number[] = [];

function lineBreaks(text: string): number[] {
  let out = NO_BREAKS;
  for (let i = 0, n = text.length; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      if (out === NO_BREAKS) out = [];
      out.push(i + 1);
    }
  }
  return out;
}

const isEol = (c: number): boolean => c === 10 || c === 13;

/**
 * Fenwick (binary indexed) tree over non-negative numbers: point update, prefix sum and "how many leading
 * items sum to at most x" in O(log n).
 */
class Fenwick {
  private t: Float64Array;
  n: number;

  constructor(values: ArrayLike<number>) {
    this.n = values.length;
    const t = new Float64Array(this.n + 1);
    for (let i = 1; i <= this.n; i++) {
      t[i]! += values[i - 1]!;
      const j = i + (i & -i);
      if (j <= this.n) t[j]! += t[i]!;
    }
    this.t = t;
  }

  add(index: number, delta: number): void {
    for (let i = index + 1; i <= this.n; i += i & -i) this.t[i]! += delta;
  }

  /** Sum of items [0, count). */
  prefix(count: number): number {
    let s = 0;
    for (let i = Math.min(count, this.n); i > 0; i -= i & -i) s += this.t[i]!;
    return s;
  }

  /** The largest m such that the first m items sum to at most x (items are non-negative). */
  countUpTo(x: number): number {
    let pos = 0;
    let rem = x;
    let step = 1;
    while (step * 2 <= this.n) step *= 2;
    for (; step > 0; step >>= 1) {
      const next = pos + step;
      if (next <= this.n && this.t[next]! <= rem) {
        pos = next;
        rem -= this.t[next]!;
      }
    }
    return pos;
  }
}

/** arr with `count` items at `at` replaced by `items` (in place when small; spread has an argument limit). */
function replace<V>(arr: V[], at: number, count: number, items: V[]): V[] {
  if (items.length < 1000) {
    arr.splice(at, count, ...items);
    return arr;
  }
  return arr.slice(0, at).concat(items, arr.slice(at + count));
}

export class DocumentModel {
  /** The text with TextDocument's API (offsetAt, positionAt, getText, lineCount), O(log n) per call. */
  readonly doc: TextView;
  segs: Segment[] = [];
  /** Number of segments the last update made anew (re-parsed when analysed; for tests and benchmarks). */
  lastReparsed = 0;
  /**
   * Offset of the most recent change (0 before any edit): the server publishes the problems around it first
   * when there are more than it may show.
   */
  focusOffset = 0;
  private _version: number;
  private readonly parseCache = new Map<Segment, MqDocument>();
  private lengths = new Fenwick([]);
  private problems = new Fenwick([]);
  private newlines = new Fenwick([]);
  private positions: { starts: number[]; lines: number[]; chars: number[] } | undefined;
  private joined: string | undefined;
  /** Segment indices [from, to) that may hold segments not analysed yet (a superset is harmless). */
  private pending: { from: number; to: number } | undefined;
  private readonly core: SyntaxCore;

  constructor(uri: string, version: number, text: string, core: SyntaxCore) {
    this.core = core;
    this._version = version;
    const model = this;
    this.doc = {
      uri,
      languageId: 'mq',
      get version() {
        return model._version;
      },
      get lineCount() {
        return model.newlines.prefix(model.segs.length) + 1;
      },
      getText(range?: Range) {
        if (!range) return model.text;
        return model.slice(model.offsetAt(range.start), model.offsetAt(range.end));
      },
      positionAt: (offset: number) => model.positionAt(offset),
      offsetAt: (position: Position) => model.offsetAt(position),
    };
    this.rebuild(text);
  }

  /** The whole text (joined from the segments; cached until the next edit). */
  get text(): string {
    if (this.joined === undefined) {
      let t = '';
      for (const s of this.segs) t += s.text;
      this.joined = t;
    }
    return this.joined;
  }

  get version(): number {
    return this._version;
  }

  get length(): number {
    return this.lengths.prefix(this.segs.length);
  }

  /** Text between two offsets. */
  slice(from: number, to: number): string {
    const n = this.segs.length;
    if (to <= from || n === 0) return '';
    let k = this.segmentIndexAt(from);
    let at = this.startOf(k);
    let out = '';
    for (; k < n && at < to; k++) {
      const t = this.segs[k]!.text;
      out += t.slice(Math.max(0, from - at), Math.min(t.length, to - at));
      at += t.length;
    }
    return out;
  }

  private charCodeAt(offset: number): number {
    if (offset < 0 || offset >= this.length) return NaN;
    const k = this.segmentIndexAt(offset);
    return this.segs[k]!.text.charCodeAt(offset - this.startOf(k));
  }

  /** Offset where line `line` starts (0 ≤ line < lineCount). */
  private lineStart(line: number): number {
    if (line <= 0) return 0;
    // The segment holding the line-th line break (1-based).
    const k = this.newlines.countUpTo(line - 1);
    return this.startOf(k) + this.segs[k]!.breaks[line - 1 - this.newlines.prefix(k)]!;
  }

  /** TextDocument.offsetAt: positions past the end of a line or of the text are clamped. */
  offsetAt(position: Position): number {
    const lineCount = this.newlines.prefix(this.segs.length) + 1;
    if (position.line >= lineCount) return this.length;
    if (position.line < 0) return 0;
    const ls = this.lineStart(position.line);
    if (position.character <= 0) return ls;
    const next = position.line + 1 < lineCount ? this.lineStart(position.line + 1) : this.length;
    let offset = Math.min(ls + position.character, next);
    while (offset > ls && isEol(this.charCodeAt(offset - 1))) offset--;
    return offset;
  }

  /** TextDocument.positionAt. */
  positionAt(offset: number): Position {
    const len = this.length;
    const o = Math.max(0, Math.min(offset, len));
    if (this.segs.length === 0) return { line: 0, character: o };
    const k = this.segmentIndexAt(o);
    const st = this.startOf(k);
    const seg = this.segs[k]!;
    const local = o - st;
    const br = seg.breaks;
    // Number of line breaks of this segment at or before `local`.
    let lo = 0;
    let hi = br.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (br[mid]! <= local) lo = mid + 1;
      else hi = mid;
    }
    const line = this.newlines.prefix(k) + lo;
    const ls = lo > 0 ? st + br[lo - 1]! : this.lineStart(line);
    let at = o;
    // Between the CR and the LF of a CRLF: the position is before the line break.
    while (at > ls && isEol(this.charCodeAt(at - 1))) at--;
    return { line, character: at - ls };
  }

  /** Start offsets of all segments (materialised; O(n), for tests and tools; the server uses startOf). */
  get starts(): number[] {
    return this.allPositions().starts;
  }

  /** Start lines of all segments (materialised, see `starts`). */
  get lines(): number[] {
    return this.allPositions().lines;
  }

  /** Start characters of all segments (materialised, see `starts`). */
  get chars(): number[] {
    return this.allPositions().chars;
  }

  private allPositions(): { starts: number[]; lines: number[]; chars: number[] } {
    if (this.positions) return this.positions;
    const starts: number[] = [];
    const lines: number[] = [];
    const chars: number[] = [];
    let at = 0;
    for (let k = 0; k < this.segs.length; k++) {
      const p = this.positionAt(at);
      starts.push(at);
      lines.push(p.line);
      chars.push(p.character);
      at += this.segs[k]!.length;
    }
    this.positions = { starts, lines, chars };
    return this.positions;
  }

  /** Absolute start offset of segment `index` (O(log n)). */
  startOf(index: number): number {
    return this.lengths.prefix(index);
  }

  /** Line and character of the start of segment `index`. */
  positionOf(index: number): { line: number; character: number } {
    return this.positionAt(this.lengths.prefix(index));
  }

  /** Number of analyser problems in the whole document (kept per changed segment). */
  get problemCount(): number {
    return this.problems.prefix(this.segs.length);
  }

  /** Number of problems in segments [0, index). */
  problemsBefore(index: number): number {
    return this.problems.prefix(index);
  }

  /** The segment holding the (k+1)-th problem of the document (k from 0), or -1. */
  segmentOfProblem(k: number): number {
    if (k < 0 || k >= this.problemCount) return -1;
    return this.problems.countUpTo(k);
  }

  /** Sets the analyser output of a segment, keeping the problem count up to date. */
  private setDiagnostics(index: number, diags: MqDiagnostic[] | undefined): void {
    const seg = this.segs[index]!;
    const before = seg.diags?.length ?? 0;
    seg.diags = diags;
    const after = diags?.length ?? 0;
    if (after !== before) this.problems.add(index, after - before);
  }

  private reindex(): void {
    const n = this.segs.length;
    const lens = new Float64Array(n);
    const probs = new Float64Array(n);
    const nls = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const s = this.segs[k]!;
      lens[k] = s.length;
      probs[k] = s.diags?.length ?? 0;
      nls[k] = s.breaks.length;
    }
    this.lengths = new Fenwick(lens);
    this.problems = new Fenwick(probs);
    this.newlines = new Fenwick(nls);
    this.positions = undefined;
    this.joined = undefined;
  }

  private rebuild(text: string): void {
    const bs = this.core.syntax.selectOffsets(text);
    this.segs = this.buildSegments(text, 0, text.length, bs, new Map());
    this.lastReparsed = this.segs.length;
    this.pending = { from: 0, to: this.segs.length };
    this.reindex();
  }

  /** Cuts the region [from, to) of `text` at `bs` (offsets relative to `from`), reusing unchanged segments. */
  private buildSegments(text: string, from: number, to: number, bs: number[], reuse: Map<string, Segment>): Segment[] {
    const out: Segment[] = [];
    for (let k = 0; k < bs.length; k++) {
      const s = from + bs[k]!;
      const e = k + 1 < bs.length ? from + bs[k + 1]! : to;
      if (e <= s) continue;
      const segText = text.slice(s, e);
      const old = reuse.get(segText);
      if (old) {
        reuse.delete(segText);
        out.push(old);
      } else {
        out.push({ length: e - s, text: segText, breaks: lineBreaks(segText) });
        this.lastReparsed++;
      }
    }
    return out;
  }

  /** Index of the segment containing `offset` (the last one starting at or before it; O(log n)). */
  segmentIndexAt(offset: number): number {
    const n = this.segs.length;
    if (n === 0 || offset <= 0) return 0;
    return Math.min(n - 1, this.lengths.countUpTo(offset));
  }

  segment(index: number): SegmentRef | undefined {
    const model = this;
    const seg = this.segs[index];
    if (!seg) return undefined;
    const start = this.startOf(index);
    const pos = this.positionAt(start);
    return {
      index,
      seg,
      start,
      line: pos.line,
      character: pos.character,
      text: seg.text,
      get query(): Query | undefined {
        return model.parseOf(index).queries[0];
      },
    };
  }

  /** The parse of segment `index`: cached, or made again from its text. */
  parseOf(index: number): MqDocument {
    const seg = this.segs[index]!;
    const cached = this.parseCache.get(seg);
    if (cached) {
      this.parseCache.delete(seg);
      this.parseCache.set(seg, cached);
      return cached;
    }
    const doc = this.core.parse(seg.text);
    this.parseCache.set(seg, doc);
    if (this.parseCache.size > PARSE_CACHE) this.parseCache.delete(this.parseCache.keys().next().value!);
    return doc;
  }

  /** Outline data of a segment (computed from its parse once). */
  outlineOf(index: number): Outline {
    const seg = this.segs[index]!;
    seg.outline ??= this.outline(this.parseOf(index));
    return seg.outline;
  }

  private outline(doc: MqDocument): Outline {
    return { symbols: this.core.symbols(doc), folds: this.core.folding(doc) };
  }

  /** True when some segment made by an update has not been analysed yet. */
  get hasPending(): boolean {
    return this.pending !== undefined;
  }

  /**
   * The analysis phase: parses and analyses every segment made since the last call (each tree dropped right
   * after, its outline kept). When `analyse` throws, the segments analysed so far keep their results, the
   * rest stay pending, and the error is rethrown: the segment list and the counts stay consistent.
   */
  analyseChanged(analyse: (doc: MqDocument) => MqDiagnostic[]): void {
    const p = this.pending;
    if (!p) return;
    const to = Math.min(p.to, this.segs.length);
    for (let k = p.from; k < to; k++) {
      const seg = this.segs[k]!;
      if (seg.diags) continue;
      this.pending = { from: k, to };
      const doc = this.parseCache.get(seg) ?? this.core.parse(seg.text);
      seg.outline ??= this.outline(doc);
      this.setDiagnostics(k, analyse(doc));
    }
    this.pending = undefined;
  }

  /** Forgets every segment's analysis (the analyser's options changed); `analyseChanged` redoes them all. */
  invalidateAnalysis(): void {
    for (let k = 0; k < this.segs.length; k++) this.setDiagnostics(k, undefined);
    this.pending = { from: 0, to: this.segs.length };
  }

  /**
   * The segment holding `offset`. With `preferPrevious`, an offset exactly at a segment start belongs to
   * the segment before it (completion: the word before the cursor is part of the previous query).
   */
  segmentAt(offset: number, preferPrevious = false): SegmentRef | undefined {
    if (this.segs.length === 0) return undefined;
    let i = this.segmentIndexAt(offset);
    if (preferPrevious && i > 0 && this.startOf(i) === offset) i--;
    return this.segment(i);
  }

  /** Applies LSP content changes (incremental or full) in order. */
  update(changes: readonly TextDocumentContentChangeEvent[], version: number): void {
    this.lastReparsed = 0;
    this._version = version;
    for (const change of changes) {
      this.positions = undefined;
      this.joined = undefined;
      if (!('range' in change) || !change.range) {
        this.rebuild(change.text);
        this.focusOffset = 0;
        continue;
      }
      let start = this.offsetAt(change.range.start);
      let end = this.offsetAt(change.range.end);
      if (end < start) [start, end] = [end, start];
      this.applyEdit(start, end, change.text);
      this.focusOffset = start;
    }
  }

  private applyEdit(start: number, end: number, inserted: string): void {
    const n = this.segs.length;
    if (n === 0) {
      this.rebuild(inserted);
      return;
    }
    const i = this.segmentIndexAt(start);
    const j = this.segmentIndexAt(end);
    const lo = Math.max(0, i - 1);
    let hi = Math.min(n - 1, j + 1);
    const rs = this.startOf(lo);
    // The old text of segments lo..hi, and the same region after the edit.
    let oldRegion = '';
    for (let k = lo; k <= hi; k++) oldRegion += this.segs[k]!.text;
    let bs: number[];
    let region: string;
    for (;;) {
      region = oldRegion.slice(0, start - rs) + inserted + oldRegion.slice(end - rs);
      if (hi >= n - 1) {
        bs = this.core.syntax.selectOffsets(region);
        break;
      }
      // The old segment hi + 1 starts with a SELECT: the region is self-contained when the new text still
      // has a SELECT token exactly there.
      const probe = this.core.syntax.lex(region + this.segs[hi + 1]!.text.slice(0, SELECT_LEN)).tokens;
      const lastTok = probe[probe.length - 1];
      if (lastTok && lastTok.tokenType === T.Select && lastTok.startOffset === region.length) {
        bs = [0];
        for (const t of probe) if (t.tokenType === T.Select && t.startOffset > 0 && t.startOffset < region.length) bs.push(t.startOffset);
        break;
      }
      const next = Math.min(n - 1, hi + Math.max(1, hi - lo));
      for (let k = hi + 1; k <= next; k++) oldRegion += this.segs[k]!.text;
      hi = next;
    }
    const reuse = new Map<string, Segment>();
    for (let k = lo; k <= hi; k++) reuse.set(this.segs[k]!.text, this.segs[k]!);
    const fresh = this.buildSegments(region, 0, region.length, bs, reuse);
    const count = hi - lo + 1;
    this.markPending(lo, hi, fresh.length);
    if (fresh.length === count) {
      // Same number of segments: update lengths, line breaks and problem counts in place (O(log n) each);
      // every later segment's start moves with the prefix sums.
      for (let k = 0; k < count; k++) {
        const old = this.segs[lo + k]!;
        const now = fresh[k]!;
        if (now.length !== old.length) this.lengths.add(lo + k, now.length - old.length);
        if (now.breaks.length !== old.breaks.length) this.newlines.add(lo + k, now.breaks.length - old.breaks.length);
        const dp = (now.diags?.length ?? 0) - (old.diags?.length ?? 0);
        if (dp !== 0) this.problems.add(lo + k, dp);
        this.segs[lo + k] = now;
      }
      return;
    }
    this.segs = replace(this.segs, lo, count, fresh);
    this.reindex();
  }

  /** Segments lo..hi are being replaced by `made` new ones: those are pending, and later indices shift. */
  private markPending(lo: number, hi: number, made: number): void {
    const p = this.pending;
    const shift = (x: number): number => (x <= lo ? x : x > hi ? x + made - (hi - lo + 1) : lo + made);
    this.pending = p ? { from: Math.min(shift(p.from), lo), to: Math.max(shift(p.to), lo + made) } : { from: lo, to: lo + made };
  }

  /** Indices of the segments overlapping [start, end] (offsets). */
  segmentRange(start: number, end: number): [number, number] {
    return [this.segmentIndexAt(start), this.segmentIndexAt(Math.max(start, end))];
  }
}
