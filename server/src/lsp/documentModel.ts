// One open .mq document as a list of query segments, kept up to date edit by edit.
//
// A segment is the text from one SELECT token up to the next (the first segment may also hold text before
// the first SELECT). Segments are parsed on their own (offsets relative to the segment), so an edit only
// re-lexes and re-parses the region around it: from the start of the query before the edit to the end of
// the query after it, extended until the lexer's token boundaries line up with the old ones again (an
// opened block comment or string can swallow more). Segments whose text did not change keep their parse,
// their diagnostics and their LSP diagnostic objects. Segment start offsets are prefix sums of the segment
// lengths, kept in a Fenwick tree, so shifting every later segment after an edit and finding the segment
// at an offset are O(log n): a one-character edit costs the same in a 1,000- and a 100,000-query document.
// Lines and characters of a segment start come from the text document's line index (binary search). A
// second Fenwick tree counts problems per segment, so the total is kept per changed segment and the server
// can pick the problems around an offset without walking the whole document.
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import type { MqDocument, Query } from '../core/ast.js';
import type { MqDiagnostic } from '../core/diagnostics.js';
import * as T from '../core/lexer.js';
import { parseDocument } from '../core/parser.js';
import { foldingRanges, type MqFold } from '../core/folding.js';
import { querySymbols, type MqSymbol } from '../core/symbols.js';

export interface Segment {
  length: number;
  /**
   * Parse of the segment's text alone (offsets relative to the segment start). Dropped once the segment is
   * analysed (syntax trees are the bulk of the memory); `DocumentModel.parseOf` re-parses on demand.
   */
  doc?: MqDocument;
  /** What the outline and folding need, kept after the parse is dropped (relative offsets). */
  outline?: Outline;
  /** Analyser output (relative offsets); undefined until analysed or after the options changed. */
  diags?: MqDiagnostic[];
  /** LSP diagnostics at absolute positions, valid while the segment starts at (line, character). */
  lsp?: { line: number; character: number; list: Diagnostic[] };
  /** Cached encoded semantic tokens (relative line, character, length, type, modifiers). */
  tokens?: number[];
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
/** How many dropped parses are kept for requests (hover, completion, code actions, semantic tokens). */
const PARSE_CACHE = 256;

/**
 * Offsets (relative to `text`) where segments start: 0 and every SELECT token after it. The text is lexed in
 * chunks that restart at a SELECT (a clean lexer state), so a large file never has all its tokens in memory.
 */
function boundaries(text: string): number[] {
  const out = [0];
  const n = text.length;
  let p = 0;
  let size = 1 << 16;
  while (p < n) {
    const chunkEnd = Math.min(n, p + size);
    const toks = T.lex(text.slice(p, chunkEnd)).tokens;
    if (chunkEnd >= n) {
      for (const t of toks) if (t.tokenType === T.Select && t.startOffset > 0) out.push(p + t.startOffset);
      break;
    }
    // Only SELECTs that end well inside the chunk are certain (a cut word could continue after it).
    let last = -1;
    for (let i = toks.length - 1; i >= 0; i--) {
      const t = toks[i]!;
      if (t.tokenType === T.Select && t.startOffset > 0 && t.startOffset + SELECT_LEN < chunkEnd - p) {
        last = i;
        break;
      }
    }
    if (last < 0) {
      size *= 2;
      continue;
    }
    for (let i = 0; i <= last; i++) if (toks[i]!.tokenType === T.Select && toks[i]!.startOffset > 0) out.push(p + toks[i]!.startOffset);
    p += toks[last]!.startOffset;
    size = 1 << 16;
  }
  return out;
}

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
  doc: TextDocument;
  segs: Segment[] = [];
  /** Number of segments re-parsed by the last update (for tests and benchmarks). */
  lastReparsed = 0;
  /**
   * Offset of the most recent change (0 before any edit): the server publishes the problems around it first
   * when there are more than it may show.
   */
  focusOffset = 0;
  private readonly parseCache = new Map<Segment, MqDocument>();
  private lengths = new Fenwick([]);
  private problems = new Fenwick([]);
  private positions: { starts: number[]; lines: number[]; chars: number[] } | undefined;
  /**
   * When set, every freshly parsed segment is analysed at once and its syntax tree dropped, so that opening a
   * large file never holds all the trees at the same time.
   */
  analyse: ((doc: MqDocument) => MqDiagnostic[]) | undefined;

  constructor(uri: string, version: number, text: string, analyse?: (doc: MqDocument) => MqDiagnostic[]) {
    this.analyse = analyse;
    this.doc = TextDocument.create(uri, 'mq', version, text);
    this.rebuild();
  }

  get text(): string {
    return this.doc.getText();
  }

  get version(): number {
    return this.doc.version;
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
    for (const s of this.segs) {
      const p = this.doc.positionAt(at);
      starts.push(at);
      lines.push(p.line);
      chars.push(p.character);
      at += s.length;
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
    return this.doc.positionAt(this.lengths.prefix(index));
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
  setDiagnostics(index: number, diags: MqDiagnostic[] | undefined): void {
    const seg = this.segs[index]!;
    const before = seg.diags?.length ?? 0;
    seg.diags = diags;
    seg.lsp = undefined;
    const after = diags?.length ?? 0;
    if (after !== before) this.problems.add(index, after - before);
  }

  private reindex(): void {
    const n = this.segs.length;
    const lens = new Float64Array(n);
    const probs = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const s = this.segs[k]!;
      lens[k] = s.length;
      probs[k] = s.diags?.length ?? 0;
    }
    this.lengths = new Fenwick(lens);
    this.problems = new Fenwick(probs);
    this.positions = undefined;
  }

  private rebuild(): void {
    const text = this.doc.getText();
    const bs = boundaries(text);
    this.segs = this.buildSegments(text, 0, text.length, bs, new Map());
    this.lastReparsed = this.segs.length;
    this.reindex();
  }

  /** Parses the region [from, to) of `text` cut at `bs` (offsets relative to `from`), reusing unchanged segments. */
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
        const doc = parseDocument(segText);
        out.push(this.analyse ? { length: e - s, diags: this.analyse(doc), outline: { symbols: querySymbols(doc), folds: foldingRanges(doc) } } : { length: e - s, doc });
        this.lastReparsed++;
      }
    }
    return out;
  }

  /** Index of the segment containing `offset` (the last one starting at or before it; O(log n)). */
  segmentIndexAt(offset: number): number {
    const n = this.segs.length;
    if (n === 0) return 0;
    if (offset <= 0) return 0;
    return Math.min(n - 1, this.lengths.countUpTo(offset));
  }

  segment(index: number): SegmentRef | undefined {
    const model = this;
    const seg = this.segs[index];
    if (!seg) return undefined;
    const start = this.startOf(index);
    const pos = this.doc.positionAt(start);
    return {
      index,
      seg,
      start,
      line: pos.line,
      character: pos.character,
      text: this.doc.getText().slice(start, start + seg.length),
      get query(): Query | undefined {
        return model.parseOf(index).queries[0];
      },
    };
  }

  /** The parse of segment `index`: kept, cached, or made again from its text. */
  parseOf(index: number): MqDocument {
    const seg = this.segs[index]!;
    if (seg.doc) return seg.doc;
    const cached = this.parseCache.get(seg);
    if (cached) {
      this.parseCache.delete(seg);
      this.parseCache.set(seg, cached);
      return cached;
    }
    const start = this.startOf(index);
    const doc = parseDocument(this.doc.getText().slice(start, start + seg.length));
    this.parseCache.set(seg, doc);
    if (this.parseCache.size > PARSE_CACHE) this.parseCache.delete(this.parseCache.keys().next().value!);
    return doc;
  }

  /** Outline data of a segment (computed from its parse once). */
  outlineOf(index: number): Outline {
    const seg = this.segs[index]!;
    if (!seg.outline) {
      const doc = this.parseOf(index);
      seg.outline = { symbols: querySymbols(doc), folds: foldingRanges(doc) };
    }
    return seg.outline;
  }

  /** Forgets the syntax tree of an analysed segment, keeping its outline. */
  release(index: number): void {
    const seg = this.segs[index]!;
    if (!seg.doc) return;
    seg.outline ??= { symbols: querySymbols(seg.doc), folds: foldingRanges(seg.doc) };
    seg.doc = undefined;
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
    this.positions = undefined;
    for (const change of changes) {
      if (!('range' in change) || !change.range) {
        this.doc = TextDocument.update(this.doc, [change], version);
        this.rebuild();
        this.focusOffset = 0;
        continue;
      }
      const oldText = this.doc.getText();
      const start = this.doc.offsetAt(change.range.start);
      const end = Math.max(start, this.doc.offsetAt(change.range.end));
      this.doc = TextDocument.update(this.doc, [change], version);
      this.applyEdit(oldText, start, end, change.text);
      this.focusOffset = start;
    }
  }

  private applyEdit(oldText: string, start: number, end: number, inserted: string): void {
    const text = this.doc.getText();
    const delta = inserted.length - (end - start);
    const n = this.segs.length;
    if (n === 0) {
      this.rebuild();
      return;
    }
    const i = this.segmentIndexAt(start);
    const j = this.segmentIndexAt(end);
    const lo = Math.max(0, i - 1);
    let hi = Math.min(n - 1, j + 1);
    const rs = this.startOf(lo);
    let bs: number[];
    let reNew: number;
    for (;;) {
      const reOld = this.startOf(hi) + this.segs[hi]!.length;
      reNew = reOld + delta;
      if (hi >= n - 1) {
        bs = boundaries(text.slice(rs, reNew));
        break;
      }
      // The old segment hi + 1 starts at reOld with a SELECT: the region is self-contained when the new
      // text still has a SELECT token exactly there.
      const probe = T.lex(text.slice(rs, reNew + SELECT_LEN)).tokens;
      const lastTok = probe[probe.length - 1];
      if (lastTok && lastTok.tokenType === T.Select && lastTok.startOffset === reNew - rs) {
        bs = [0];
        for (const t of probe) if (t.tokenType === T.Select && t.startOffset > 0 && t.startOffset < reNew - rs) bs.push(t.startOffset);
        break;
      }
      hi = Math.min(n - 1, hi + Math.max(1, hi - lo));
    }
    const reuse = new Map<string, Segment>();
    for (let k = lo, s = rs; k <= hi; k++) {
      const len = this.segs[k]!.length;
      reuse.set(oldText.slice(s, s + len), this.segs[k]!);
      s += len;
    }
    const fresh = this.buildSegments(text, rs, reNew, bs, reuse);
    const count = hi - lo + 1;
    if (fresh.length === count) {
      // Same number of segments: update the lengths and problem counts in place (O(log n) each); every
      // later segment's start moves with the prefix sums.
      for (let k = 0; k < count; k++) {
        const old = this.segs[lo + k]!;
        const now = fresh[k]!;
        if (now.length !== old.length) this.lengths.add(lo + k, now.length - old.length);
        const dp = (now.diags?.length ?? 0) - (old.diags?.length ?? 0);
        if (dp !== 0) this.problems.add(lo + k, dp);
        this.segs[lo + k] = now;
      }
      return;
    }
    this.segs = replace(this.segs, lo, count, fresh);
    this.reindex();
  }

  /** Indices of the segments overlapping [start, end] (offsets). */
  segmentRange(start: number, end: number): [number, number] {
    return [this.segmentIndexAt(start), this.segmentIndexAt(Math.max(start, end))];
  }
}
