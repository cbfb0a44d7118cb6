// One open .mq document as a list of query segments, kept up to date edit by edit.
//
// A segment is the text from one SELECT token up to the next (the first segment may also hold text before
// the first SELECT). Segments are parsed on their own (offsets relative to the segment), so an edit only
// re-lexes and re-parses the region around it: from the start of the query before the edit to the end of
// the query after it, extended until the lexer's token boundaries line up with the old ones again (an
// opened block comment or string can swallow more). Segments whose text did not change keep their parse,
// their diagnostics and their LSP diagnostic objects; the ones after the edit only have their start offset,
// line and character shifted. Requests look at one segment, found by binary search over the start offsets.
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

function countLines(text: string, from: number, to: number): { lines: number; lastLineStart: number } {
  let lines = 0;
  let lastLineStart = -1;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      lines++;
      lastLineStart = i + 1;
    }
  }
  return { lines, lastLineStart };
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
  starts: number[] = [];
  lines: number[] = [];
  chars: number[] = [];
  /** Number of segments re-parsed by the last update (for tests and benchmarks). */
  lastReparsed = 0;
  private readonly parseCache = new Map<Segment, MqDocument>();
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

  private rebuild(): void {
    const text = this.doc.getText();
    const bs = boundaries(text);
    const built = this.buildSegments(text, 0, text.length, bs, new Map());
    this.segs = built;
    this.starts = [];
    this.lines = [];
    this.chars = [];
    let at = 0;
    let line = 0;
    let character = 0;
    for (const s of built) {
      this.starts.push(at);
      this.lines.push(line);
      this.chars.push(character);
      const c = countLines(text, at, at + s.length);
      if (c.lines > 0) {
        line += c.lines;
        character = at + s.length - c.lastLineStart;
      } else character += s.length;
      at += s.length;
    }
    this.lastReparsed = built.length;
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

  /** Index of the segment containing `offset` (the last one starting at or before it). */
  segmentIndexAt(offset: number): number {
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  segment(index: number): SegmentRef | undefined {
    const model = this;
    const seg = this.segs[index];
    if (!seg) return undefined;
    const start = this.starts[index]!;
    return {
      index,
      seg,
      start,
      line: this.lines[index]!,
      character: this.chars[index]!,
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
    const start = this.starts[index]!;
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
    if (preferPrevious && i > 0 && this.starts[i] === offset) i--;
    return this.segment(i);
  }

  /** Applies LSP content changes (incremental or full) in order. */
  update(changes: readonly TextDocumentContentChangeEvent[], version: number): void {
    this.lastReparsed = 0;
    for (const change of changes) {
      if (!('range' in change) || !change.range) {
        this.doc = TextDocument.update(this.doc, [change], version);
        this.rebuild();
        continue;
      }
      const oldText = this.doc.getText();
      const start = this.doc.offsetAt(change.range.start);
      const end = Math.max(start, this.doc.offsetAt(change.range.end));
      this.doc = TextDocument.update(this.doc, [change], version);
      this.applyEdit(oldText, start, end, change.text);
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
    const rs = this.starts[lo]!;
    let bs: number[];
    let reNew: number;
    for (;;) {
      const reOld = this.starts[hi]! + this.segs[hi]!.length;
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
    for (let k = lo; k <= hi; k++) {
      const s = this.starts[k]!;
      reuse.set(oldText.slice(s, s + this.segs[k]!.length), this.segs[k]!);
    }
    const fresh = this.buildSegments(text, rs, reNew, bs, reuse);
    // Positions: the region starts where it did; the new segments' lines/characters follow from the text.
    const newStarts: number[] = [];
    const newLines: number[] = [];
    const newChars: number[] = [];
    let at = rs;
    let line = this.lines[lo]!;
    let character = this.chars[lo]!;
    for (const s of fresh) {
      newStarts.push(at);
      newLines.push(line);
      newChars.push(character);
      const c = countLines(text, at, at + s.length);
      if (c.lines > 0) {
        line += c.lines;
        character = at + s.length - c.lastLineStart;
      } else character += s.length;
      at += s.length;
    }
    // Segments after the region: shift offsets and lines; characters change only on the region's last line.
    const oldEndLine = hi + 1 < n ? this.lines[hi + 1]! : 0;
    const lineDelta = line - oldEndLine;
    const oldEndChar = hi + 1 < n ? this.chars[hi + 1]! : 0;
    const charDelta = character - oldEndChar;
    for (let k = hi + 1; k < n; k++) {
      this.starts[k]! += delta;
      if (this.lines[k] === oldEndLine) this.chars[k]! += charDelta;
      this.lines[k]! += lineDelta;
    }
    this.segs = replace(this.segs, lo, hi - lo + 1, fresh);
    this.starts = replace(this.starts, lo, hi - lo + 1, newStarts);
    this.lines = replace(this.lines, lo, hi - lo + 1, newLines);
    this.chars = replace(this.chars, lo, hi - lo + 1, newChars);
  }

  /** Indices of the segments overlapping [start, end] (offsets). */
  segmentRange(start: number, end: number): [number, number] {
    return [this.segmentIndexAt(start), this.segmentIndexAt(Math.max(start, end))];
  }
}
