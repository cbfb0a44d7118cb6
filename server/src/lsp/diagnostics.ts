// Diagnostics to the client: the analyser's results converted to LSP (cached per query), cut to
// mq.diagnostics.maxNumberOfProblems around the last edit, and published after a short debounce (push
// clients) or answered on textDocument/diagnostic (pull clients).
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic, type DocumentDiagnosticReport } from 'vscode-languageserver';
import type { MqDiagnostic } from '../core/semantics/diagnostics.js';
import type { DocumentModel, Segment } from './documentModel.js';
import { describeError, type Session } from './session.js';

/** Code of the information diagnostic that says how many problems are shown. */
export const TOO_MANY_PROBLEMS = 'too-many-problems';

const SEVERITIES: Record<MqDiagnostic['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

const TAGS = { unnecessary: DiagnosticTag.Unnecessary, deprecated: DiagnosticTag.Deprecated } as const;

/** LSP diagnostics of one segment at absolute positions, valid for these analyser results at this start. */
interface LspEntry {
  diags: MqDiagnostic[];
  line: number;
  character: number;
  list: Diagnostic[];
}

/** Problems with document-wide index in [from, to) of `m`. */
interface Window {
  from: number;
  to: number;
}

export class DiagnosticsPublisher {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly cache = new WeakMap<Segment, LspEntry>();

  constructor(
    private readonly s: Session,
    private readonly timing?: (line: string) => void,
  ) {}

  /** Publishes the diagnostics of `uri` after `delay` ms (the last call wins); nothing for pull clients. */
  schedule(uri: string, delay = this.s.diagnosticsDelayMs): void {
    if (this.s.client.pullDiagnostics) return;
    const t = this.timers.get(uri);
    if (t) clearTimeout(t);
    this.timers.set(uri, setTimeout(() => this.publish(uri), delay));
  }

  /** The document closed: no pending publication, and a push client's list is emptied. */
  closed(uri: string): void {
    this.cancel(uri);
    if (!this.s.client.pullDiagnostics) void this.s.connection.sendDiagnostics({ uri, diagnostics: [] }).catch(() => undefined);
  }

  /** Every open document again (settings changed): republished, or a pull client is asked to pull. */
  refreshAll(): void {
    if (this.s.client.pullDiagnostics) {
      void this.s.connection.languages.diagnostics.refresh().catch(() => undefined);
      return;
    }
    for (const [uri] of this.s.documents.all()) this.schedule(uri, 0);
  }

  stop(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  /** textDocument/diagnostic. */
  report(uri: string): DocumentDiagnosticReport {
    const m = this.s.documents.get(uri);
    return { kind: 'full', items: m ? this.collect(uri, m) : [] };
  }

  private cancel(uri: string): void {
    const t = this.timers.get(uri);
    if (t) clearTimeout(t);
    this.timers.delete(uri);
  }

  private publish(uri: string): void {
    this.timers.delete(uri);
    const m = this.s.documents.get(uri);
    if (!m || this.s.client.pullDiagnostics) return;
    const t0 = performance.now();
    let diagnostics: Diagnostic[];
    try {
      diagnostics = this.collect(uri, m);
    } catch (e) {
      this.s.connection.console.error(`mq: collecting the diagnostics of ${uri} failed: ${describeError(e)}`);
      return;
    }
    const t1 = performance.now();
    void this.s.connection.sendDiagnostics({ uri, version: m.version, diagnostics }).catch(() => undefined);
    this.timing?.(`mq: publish ${diagnostics.length} diagnostics: collect ${(t1 - t0).toFixed(2)} ms, send ${(performance.now() - t1).toFixed(2)} ms`);
  }

  /**
   * The diagnostics to report for a document: all of them up to mq.diagnostics.maxNumberOfProblems;
   * beyond it, those of the queries around the last edit (the start of the document before any edit),
   * growing outward on both sides until the cap is reached, plus one information diagnostic on the first
   * line that says how many are shown. O(cap log n): the problem counts per segment sit in a Fenwick tree,
   * so segments without problems are skipped, and LSP diagnostic objects are cached per segment.
   */
  collect(uri: string, m: DocumentModel): Diagnostic[] {
    this.s.documents.analyse(uri, m);
    const total = m.problemCount;
    const cap = this.s.settings.diagnostics.maxNumberOfProblems;
    if (cap <= 0 || total <= cap) return this.take(uri, m, { from: 0, to: total }, []);
    const start = m.doc.positionAt(0);
    const summary: Diagnostic = {
      range: { start, end: start },
      severity: DiagnosticSeverity.Information,
      code: TOO_MANY_PROBLEMS,
      source: 'mq',
      message:
        `Showing ${cap} of ${total} problems in this file (those around the last edit). ` +
        `Raise the setting mq.diagnostics.maxNumberOfProblems (0 = no limit) to see more.`,
    };
    return this.take(uri, m, windowAround(m, cap), [summary]);
  }

  /** Appends the problems of window `w` to `out` (whole segments, cut at the two ends). */
  private take(uri: string, m: DocumentModel, w: Window, out: Diagnostic[]): Diagnostic[] {
    let p = w.from;
    while (p < w.to) {
      const k = m.segmentOfProblem(p);
      if (k < 0) break;
      const first = m.problemsBefore(k);
      const list = this.ofSegment(uri, m, k);
      const b = Math.min(list.length, w.to - first);
      for (let i = p - first; i < b; i++) out.push(list[i]!);
      p = first + list.length;
    }
    return out;
  }

  /** The LSP diagnostics of segment `k` (cached while its results and its start position stay the same). */
  ofSegment(uri: string, m: DocumentModel, k: number): Diagnostic[] {
    const seg = m.segs[k]!;
    const diags = seg.diags ?? [];
    const { line, character } = m.positionOf(k);
    const c = this.cache.get(seg);
    if (c && c.diags === diags && c.line === line && c.character === character) return c.list;
    const list = diags.map((d) => this.toLsp(uri, d, line, character));
    this.cache.set(seg, { diags, line, character, list });
    return list;
  }

  private toLsp(uri: string, d: MqDiagnostic, line: number, character: number): Diagnostic {
    const pos = (p: { line: number; character: number }) => ({ line: line + p.line, character: p.line === 0 ? character + p.character : p.character });
    const out: Diagnostic = { range: { start: pos(d.range.start), end: pos(d.range.end) }, severity: SEVERITIES[d.severity], code: d.code, source: 'mq', message: d.message };
    if (this.s.client.relatedInformation && d.related?.length) {
      out.relatedInformation = d.related.map((r) => ({ location: { uri, range: { start: pos(r.range.start), end: pos(r.range.end) } }, message: r.message }));
    }
    const tags = this.s.core.registry[d.code].tags;
    if (tags.length) out.tags = tags.map((t) => TAGS[t]);
    return out;
  }
}

/** Which `cap` problems to show: the segment of the last edit, then outward on both sides. */
function windowAround(m: DocumentModel, cap: number): Window {
  const total = m.problemCount;
  const c = m.segmentIndexAt(m.focusOffset);
  const before = m.problemsBefore(c);
  const here = m.problemsBefore(c + 1) - before;
  if (here >= cap) return { from: before, to: before + cap };
  const after = total - before - here;
  const rest = cap - here;
  let left = Math.min(before, Math.ceil(rest / 2));
  const right = Math.min(after, rest - left);
  left = Math.min(before, rest - right);
  return { from: before - left, to: before + here + right };
}
