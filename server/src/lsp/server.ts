// The mq language server: adapts the language core (parser, analyser, completion, hover, quick fixes,
// formatter, ...) to LSP. It negotiates every capability from what the client says in `initialize`, so it
// works in any LSP client (VS Code, Neovim, Emacs eglot, Helix, ...).
//
// Documents are kept as query segments (documentModel.ts): an edit re-parses only the queries around it,
// diagnostics are cached per query and only the changed queries are re-analysed, and requests look only at
// the query under the cursor.
import {
  CodeActionKind,
  CompletionItemKind,
  CompletionItemTag,
  CompletionTriggerKind,
  DiagnosticSeverity,
  DiagnosticTag,
  FoldingRangeKind,
  InlayHintKind,
  InsertTextFormat,
  MarkupKind,
  SymbolKind,
  TextDocumentSyncKind,
  CodeActionRequest,
  CompletionRequest,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentDiagnosticRequest,
  DocumentFormattingRequest,
  DocumentRangeFormattingRequest,
  DocumentSymbolRequest,
  FoldingRangeRequest,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  InlayHintRequest,
  MessageType,
  PublishDiagnosticsNotification,
  SemanticTokensRangeRequest,
  SemanticTokensRequest,
  ShutdownRequest,
  type CancellationToken,
  type ClientCapabilities,
  type CodeAction,
  type CompletionItem,
  type Diagnostic,
  type DocumentDiagnosticReport,
  type DocumentSymbol,
  type FoldingRange,
  type InitializeResult,
  type InlayHint,
  type PublishDiagnosticsParams,
  type Range,
  type SymbolInformation,
  type TextEdit,
} from 'vscode-languageserver-protocol';
import type { ServerConnection } from './connection.js';
import type { AnalysisContext } from '../core/semantics/analyser.js';
import type { ItemKind } from '../core/editing/completion.js';
import { catalog } from '../core/catalog/data.js';
import { createMq } from '../core/index.js';
import type { Situation } from '../core/syntax/cursor.js';
import type { MqDocument } from '../core/syntax/ast.js';
import type { MqDiagnostic } from '../core/semantics/diagnostics.js';
import { LSP_TOKEN_TYPES, TOKEN_KINDS, TOKEN_MODIFIERS } from '../core/editing/semanticTokens.js';
import { DocumentModel, type SegmentRef } from './documentModel.js';

export interface ServerSettings {
  diagnostics: {
    openApiOnlyChannels: 'off' | 'hint' | 'warning';
    /** At most this many problems are published per document (0 = all), those around the last edit first. */
    maxNumberOfProblems: number;
  };
}

export const DEFAULT_MAX_PROBLEMS = 1000;
const DEFAULT_SETTINGS: ServerSettings = { diagnostics: { openApiOnlyChannels: 'off', maxNumberOfProblems: DEFAULT_MAX_PROBLEMS } };
/** Code of the information diagnostic that says how many problems are shown. */
export const TOO_MANY_PROBLEMS = 'too-many-problems';

export const SEMANTIC_LEGEND = {
  tokenTypes: TOKEN_KINDS.map((k) => LSP_TOKEN_TYPES[k]),
  tokenModifiers: [...TOKEN_MODIFIERS],
};

/** Markdown as plain text, for clients that cannot render it: emphasis, code marks and link syntax removed. */
export function plainText(md: string): string {
  return md
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, '$1 ($2)');
}

/** Cursor situations where only the next keyword (or a number) could follow: no list on a typed space. */
const KEYWORD_ONLY: ReadonlySet<Situation['kind']> = new Set<Situation['kind']>([
  'afterMetric', 'afterDimension', 'afterCondition', 'afterTime', 'afterListValue', 'afterOrderColumn', 'afterLimit', 'betweenAnd', 'orderBy', 'limitValue',
]);

const ITEM_KINDS: Record<ItemKind, CompletionItemKind> = {
  metric: CompletionItemKind.Function,
  dimension: CompletionItemKind.Field,
  filter: CompletionItemKind.Property,
  value: CompletionItemKind.EnumMember,
  keyword: CompletionItemKind.Keyword,
  operator: CompletionItemKind.Operator,
  snippet: CompletionItemKind.Snippet,
  time: CompletionItemKind.Constant,
  column: CompletionItemKind.Field,
};

const SEVERITIES: Record<MqDiagnostic['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** `${1:text}` → text, `$0` / `${1}` → nothing: for clients without snippet support. */
function plainSnippet(s: string): string {
  return s.replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\{\d+\}|\$\d+/g, '');
}

function readSettings(raw: unknown): ServerSettings {
  const r = (raw ?? {}) as { diagnostics?: { openApiOnlyChannels?: unknown }; mq?: unknown };
  const src = (r.mq && typeof r.mq === 'object' ? r.mq : r) as { diagnostics?: { openApiOnlyChannels?: unknown; maxNumberOfProblems?: unknown } };
  const v = src.diagnostics?.openApiOnlyChannels;
  const max = src.diagnostics?.maxNumberOfProblems;
  return {
    diagnostics: {
      openApiOnlyChannels: v === 'hint' || v === 'warning' ? v : 'off',
      maxNumberOfProblems: typeof max === 'number' && Number.isFinite(max) && max >= 0 ? Math.floor(max) : DEFAULT_MAX_PROBLEMS,
    },
  };
}

export interface ServerOptions {
  /** Delay between an edit and publishing diagnostics (ms). */
  debounceMs?: number;
  /** The clock (tests pin it). */
  now?: () => Date;
}

export function startServer(server: ServerConnection, opts: ServerOptions = {}): void {
  const connection = server.rpc;
  const sendDiagnostics = (p: PublishDiagnosticsParams): void => {
    void connection.sendNotification(PublishDiagnosticsNotification.type, p).catch(() => undefined);
  };
  const logError = (message: string): void => server.log(MessageType.Error, message);
  const now = opts.now ?? (() => new Date());
  const mq = createMq({ catalog });
  const trace = process.env.MQ_LSP_TIMING === '1';
  let debounceMs = opts.debounceMs ?? 15;
  const docs = new Map<string, DocumentModel>();
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  let settings = DEFAULT_SETTINGS;
  let caps: ClientCapabilities = {};
  let snippets = false;
  let markdown = true;
  let tagSupport = false;
  let insertReplace = false;
  let relatedInfo = false;
  let hierarchicalSymbols = false;
  let pull = false;
  let configPull = false;

  const ctx = (): AnalysisContext => ({ now: now(), options: { openApiOnlyChannels: settings.diagnostics.openApiOnlyChannels } });

  connection.onRequest(InitializeRequest.type, (params): InitializeResult => {
    server.watchClient(params.processId);
    caps = params.capabilities;
    const td = caps.textDocument ?? {};
    snippets = td.completion?.completionItem?.snippetSupport === true;
    tagSupport = td.completion?.completionItem?.tagSupport?.valueSet?.includes(CompletionItemTag.Deprecated) === true;
    insertReplace = td.completion?.completionItem?.insertReplaceSupport === true;
    markdown = td.hover?.contentFormat ? td.hover.contentFormat.includes(MarkupKind.Markdown) : true;
    relatedInfo = td.publishDiagnostics?.relatedInformation === true || td.diagnostic !== undefined;
    hierarchicalSymbols = td.documentSymbol?.hierarchicalDocumentSymbolSupport === true;
    pull = td.diagnostic !== undefined;
    configPull = caps.workspace?.configuration === true;
    const init = (params.initializationOptions ?? {}) as { diagnosticsDelayMs?: unknown };
    if (params.initializationOptions) settings = readSettings(params.initializationOptions);
    if (typeof init.diagnosticsDelayMs === 'number' && init.diagnosticsDelayMs >= 0) debounceMs = init.diagnosticsDelayMs;
    const result: InitializeResult = {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        completionProvider: { triggerCharacters: [' ', ',', '(', '='], resolveProvider: false },
        hoverProvider: true,
        codeActionProvider: td.codeAction?.codeActionLiteralSupport ? { codeActionKinds: [CodeActionKind.QuickFix] } : true,
        documentFormattingProvider: true,
        documentRangeFormattingProvider: true,
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        semanticTokensProvider: { legend: SEMANTIC_LEGEND, full: true, range: true },
        inlayHintProvider: true,
      },
      serverInfo: { name: 'mq-language-server', version: '0.1.0' },
    };
    if (pull) result.capabilities.diagnosticProvider = { interFileDependencies: false, workspaceDiagnostics: false };
    return result;
  });

  connection.onNotification(InitializedNotification.type, () => {
    if (configPull) void refreshSettings();
  });

  async function refreshSettings(pushed?: unknown): Promise<void> {
    let next = settings;
    if (configPull) {
      try {
        next = readSettings(await server.getConfiguration('mq'));
      } catch {
        // Some clients answer with an error; keep what we have.
      }
    } else if (pushed !== undefined) next = readSettings(pushed);
    const reanalyse = next.diagnostics.openApiOnlyChannels !== settings.diagnostics.openApiOnlyChannels;
    if (!reanalyse && next.diagnostics.maxNumberOfProblems === settings.diagnostics.maxNumberOfProblems) return;
    settings = next;
    for (const [uri, m] of docs) {
      // The problem count must stay right, so every segment is analysed again at once (one parse each).
      if (reanalyse) {
        for (let k = 0; k < m.segs.length; k++) {
          m.setDiagnostics(k, analyseSegment(m.parseOf(k)));
          m.release(k);
        }
      }
      schedule(uri, 0);
    }
    if (pull) server.refreshDiagnostics();
  }

  connection.onNotification(DidChangeConfigurationNotification.type, (p) => void refreshSettings(p.settings));

  // ---- documents and diagnostics -----------------------------------------------------------------

  const NO_DIAGNOSTICS: MqDiagnostic[] = [];

  function analyseSegment(doc: MqDocument): MqDiagnostic[] {
    const found = mq.analyse(doc, ctx());
    return found.length ? found : NO_DIAGNOSTICS;
  }

  function segDiagnostics(m: DocumentModel, k: number): MqDiagnostic[] {
    const seg = m.segs[k]!;
    if (!seg.diags) {
      m.setDiagnostics(k, analyseSegment(m.parseOf(k)));
      m.release(k);
    }
    return seg.diags!;
  }

  function toLsp(uri: string, d: MqDiagnostic, line: number, character: number): Diagnostic {
    const pos = (p: { line: number; character: number }) => ({ line: line + p.line, character: p.line === 0 ? character + p.character : p.character });
    const range = { start: pos(d.range.start), end: pos(d.range.end) };
    const out: Diagnostic = { range, severity: SEVERITIES[d.severity], code: d.code, source: 'mq', message: d.message };
    if (relatedInfo && d.related?.length) {
      out.relatedInformation = d.related.map((r) => ({ location: { uri, range: { start: pos(r.range.start), end: pos(r.range.end) } }, message: r.message }));
    }
    if (d.code === 'duplicate-metric' || d.code === 'duplicate-dimension') out.tags = [DiagnosticTag.Unnecessary];
    return out;
  }

  function lspDiagnostics(uri: string, m: DocumentModel, k: number): Diagnostic[] {
    const seg = m.segs[k]!;
    const { line, character } = m.positionOf(k);
    const c = seg.lsp;
    if (c && c.line === line && c.character === character) return c.list;
    const list = segDiagnostics(m, k).map((d) => toLsp(uri, d, line, character));
    seg.lsp = { line, character, list };
    return list;
  }

  /**
   * The diagnostics to report for a document: all of them up to mq.diagnostics.maxNumberOfProblems;
   * beyond it, those of the queries around the last edit (the start of the document before any edit),
   * growing outward on both sides until the cap is reached, plus one information diagnostic on the first
   * line that says how many are shown. O(cap log n): the problem counts per segment sit in a Fenwick tree,
   * so segments without problems are skipped, and LSP diagnostic objects are cached per segment.
   */
  function collectDiagnostics(uri: string, m: DocumentModel): Diagnostic[] {
    const total = m.problemCount;
    const cap = settings.diagnostics.maxNumberOfProblems;
    const out: Diagnostic[] = [];
    // Problems with document-wide index in [from, to): whole segments, cut at the two ends.
    const take = (from: number, to: number): void => {
      let p = from;
      while (p < to) {
        const k = m.segmentOfProblem(p);
        if (k < 0) break;
        const first = m.problemsBefore(k);
        const list = lspDiagnostics(uri, m, k);
        const a = p - first;
        const b = Math.min(list.length, to - first);
        for (let i = a; i < b; i++) out.push(list[i]!);
        p = first + list.length;
      }
    };
    if (cap <= 0 || total <= cap) {
      take(0, total);
      return out;
    }
    const c = m.segmentIndexAt(m.focusOffset);
    const before = m.problemsBefore(c);
    const here = m.problemsBefore(c + 1) - before;
    const after = total - before - here;
    let from: number;
    let to: number;
    if (here >= cap) {
      from = before;
      to = before + cap;
    } else {
      const rest = cap - here;
      let left = Math.min(before, Math.ceil(rest / 2));
      const right = Math.min(after, rest - left);
      left = Math.min(before, rest - right);
      from = before - left;
      to = before + here + right;
    }
    const start = m.doc.positionAt(0);
    out.push({
      range: { start, end: start },
      severity: DiagnosticSeverity.Information,
      code: TOO_MANY_PROBLEMS,
      source: 'mq',
      message:
        `Showing ${cap} of ${total} problems in this file (those around the last edit). ` +
        `Raise the setting mq.diagnostics.maxNumberOfProblems (0 = no limit) to see more.`,
    });
    take(from, to);
    return out;
  }

  function publish(uri: string): void {
    timers.delete(uri);
    const m = docs.get(uri);
    if (!m || pull) return;
    const t0 = performance.now();
    const diagnostics = collectDiagnostics(uri, m);
    const t1 = performance.now();
    sendDiagnostics({ uri, version: m.version, diagnostics });
    if (trace) process.stderr.write(`mq: publish ${diagnostics.length} diagnostics: collect ${(t1 - t0).toFixed(2)} ms, send ${(performance.now() - t1).toFixed(2)} ms\n`);
  }

  function schedule(uri: string, delay = debounceMs): void {
    if (pull) return;
    const t = timers.get(uri);
    if (t) clearTimeout(t);
    timers.set(uri, setTimeout(() => publish(uri), delay));
  }

  connection.onNotification(DidOpenTextDocumentNotification.type, (p) => {
    docs.set(p.textDocument.uri, new DocumentModel(p.textDocument.uri, p.textDocument.version, p.textDocument.text, analyseSegment));
    schedule(p.textDocument.uri, 0);
  });

  connection.onNotification(DidChangeTextDocumentNotification.type, (p) => {
    const m = docs.get(p.textDocument.uri);
    if (!m) return;
    const t0 = performance.now();
    m.update(p.contentChanges, p.textDocument.version);
    if (trace) process.stderr.write(`mq: update ${(performance.now() - t0).toFixed(2)} ms, re-parsed ${m.lastReparsed}\n`);
    schedule(p.textDocument.uri);
  });

  connection.onNotification(DidCloseTextDocumentNotification.type, (p) => {
    docs.delete(p.textDocument.uri);
    const t = timers.get(p.textDocument.uri);
    if (t) clearTimeout(t);
    timers.delete(p.textDocument.uri);
    if (!pull) sendDiagnostics({ uri: p.textDocument.uri, diagnostics: [] });
  });

  connection.onRequest(DocumentDiagnosticRequest.type, (p, token): DocumentDiagnosticReport => {
    const m = docs.get(p.textDocument.uri);
    if (!m || token.isCancellationRequested) return { kind: 'full', items: [] };
    return { kind: 'full', items: collectDiagnostics(p.textDocument.uri, m) };
  });

  // ---- helpers --------------------------------------------------------------------------------------

  const rangeOf = (m: DocumentModel, start: number, end: number): Range => ({ start: m.doc.positionAt(start), end: m.doc.positionAt(end) });

  function guard<P, R>(empty: R, fn: (p: P, token: CancellationToken) => R): (p: P, token: CancellationToken) => R {
    return (p, token) => {
      if (token.isCancellationRequested) return empty;
      try {
        return fn(p, token);
      } catch (e) {
        logError(`mq: request failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        return empty;
      }
    };
  }

  // ---- completion ------------------------------------------------------------------------------------

  connection.onRequest(
    CompletionRequest.type,
    guard({ isIncomplete: false, items: [] as CompletionItem[] }, (p) => {
      const empty = { isIncomplete: false, items: [] as CompletionItem[] };
      const m = docs.get(p.textDocument.uri);
      if (!m) return empty;
      const offset = m.doc.offsetAt(p.position);
      const ref = m.segmentAt(offset, true);
      const text = ref?.text ?? '';
      const start = ref?.start ?? 0;
      const res = mq.complete(text, offset - start, ref?.query, now());
      // A space also triggers completion (after SELECT, WHERE, `=`...). Where only the next keyword could
      // follow (after a whole condition, a metric, LIMIT), a list opened by the space would turn the Enter
      // that starts a new line into an inserted AND / BY / 100, so those lists wait for a typed letter.
      if (p.context?.triggerKind === CompletionTriggerKind.TriggerCharacter && p.context.triggerCharacter === ' ' && KEYWORD_ONLY.has(res.info.situation.kind)) return empty;
      const items = res.items.map((it): CompletionItem => {
        const range = rangeOf(m, start + it.replaceStart, start + it.replaceEnd);
        const insert = it.insertText ?? it.label;
        const newText = it.snippet && !snippets ? plainSnippet(insert) : insert;
        const item: CompletionItem = {
          label: it.label,
          kind: ITEM_KINDS[it.kind],
          sortText: it.sortText,
          // Clients that support it get both ranges: the editor's insert/replace setting decides whether the
          // rest of the word after the cursor is kept or replaced.
          textEdit: insertReplace && it.wordEnd > it.replaceEnd ? { newText, insert: range, replace: rangeOf(m, start + it.replaceStart, start + it.wordEnd) } : { range, newText },
        };
        if (it.snippet && snippets) item.insertTextFormat = InsertTextFormat.Snippet;
        if (it.detail) item.detail = it.detail;
        if (it.documentation) item.documentation = markdown ? { kind: MarkupKind.Markdown, value: it.documentation } : plainText(it.documentation);
        if (it.filterText) item.filterText = it.filterText;
        if (it.deprecated) {
          if (tagSupport) item.tags = [CompletionItemTag.Deprecated];
          else item.deprecated = true;
        }
        return item;
      });
      return { isIncomplete: false, items };
    }),
  );

  // ---- hover ------------------------------------------------------------------------------------------

  connection.onRequest(
    HoverRequest.type,
    guard(null, (p) => {
      const m = docs.get(p.textDocument.uri);
      if (!m) return null;
      const offset = m.doc.offsetAt(p.position);
      const ref = m.segmentAt(offset);
      if (!ref) return null;
      const h = mq.hover(ref.query, offset - ref.start, now());
      if (!h) return null;
      return { contents: markdown ? { kind: MarkupKind.Markdown, value: h.contents } : { kind: MarkupKind.PlainText, value: plainText(h.contents) }, range: rangeOf(m, ref.start + h.start, ref.start + h.end) };
    }),
  );

  // ---- code actions -----------------------------------------------------------------------------------

  connection.onRequest(
    CodeActionRequest.type,
    guard([] as CodeAction[], (p) => {
      const m = docs.get(p.textDocument.uri);
      if (!m) return [];
      if (p.context.only && !p.context.only.some((k) => k === CodeActionKind.QuickFix || k === CodeActionKind.Empty || CodeActionKind.QuickFix.startsWith(`${k}.`))) return [];
      const s = m.doc.offsetAt(p.range.start);
      const e = m.doc.offsetAt(p.range.end);
      const [a, b] = m.segmentRange(s, e);
      const out: CodeAction[] = [];
      for (let k = a; k <= b; k++) {
        const ref = m.segment(k)!;
        const diags = segDiagnostics(m, k);
        const lsp = lspDiagnostics(p.textDocument.uri, m, k);
        for (const act of mq.codeActions(ref.text, ref.query, diags, s - ref.start, e - ref.start)) {
          const edits: TextEdit[] = act.edits.map((x) => ({ range: rangeOf(m, ref.start + x.start, ref.start + x.end), newText: x.newText }));
          const i = diags.indexOf(act.diagnostic);
          const action: CodeAction = { title: act.title, kind: CodeActionKind.QuickFix, edit: { changes: { [p.textDocument.uri]: edits } } };
          if (i >= 0 && lsp[i]) action.diagnostics = [lsp[i]!];
          if (act.isPreferred) action.isPreferred = true;
          out.push(action);
        }
      }
      return out;
    }),
  );

  // ---- formatting ------------------------------------------------------------------------------------

  connection.onRequest(
    DocumentFormattingRequest.type,
    guard([] as TextEdit[], (p) => {
      const m = docs.get(p.textDocument.uri);
      if (!m) return [];
      const text = m.text;
      // The formatter writes LF; a CRLF document keeps CRLF (and an already formatted one gets no edit).
      const crlf = text.includes('\r\n');
      const formatted = crlf ? mq.format(text.replace(/\r\n/g, '\n')).replace(/\n/g, '\r\n') : mq.format(text);
      if (formatted === text) return [];
      return [{ range: rangeOf(m, 0, text.length), newText: formatted }];
    }),
  );

  connection.onRequest(
    DocumentRangeFormattingRequest.type,
    guard([] as TextEdit[], (p) => {
      const m = docs.get(p.textDocument.uri);
      if (!m) return [];
      const s = m.doc.offsetAt(p.range.start);
      const e = m.doc.offsetAt(p.range.end);
      // Only the queries in the range are formatted: hand the formatter just their segments.
      const [a, b] = m.segmentRange(s, e);
      const from = m.startOf(a);
      const last = m.segment(b)!;
      const to = last.start + last.seg.length;
      const slice = m.slice(from, to);
      const crlf = m.text.includes('\r\n');
      return mq.formatRange(slice, s - from, e - from).map((x) => ({ range: rangeOf(m, from + x.start, from + x.end), newText: crlf ? x.newText.replace(/\r?\n/g, '\r\n') : x.newText }));
    }),
  );

  // ---- semantic tokens -------------------------------------------------------------------------------

  function segTokens(m: DocumentModel, ref: SegmentRef): number[] {
    if (ref.seg.tokens) return ref.seg.tokens;
    const out: number[] = [];
    let line = 0;
    let lineStart = 0;
    let scanned = 0;
    const text = ref.text;
    for (const t of mq.semanticTokens(text, m.parseOf(ref.index))) {
      for (; scanned < t.start; scanned++) {
        const c = text.charCodeAt(scanned);
        if (c === 10 || (c === 13 && text.charCodeAt(scanned + 1) !== 10)) {
          line++;
          lineStart = scanned + 1;
        }
      }
      out.push(line, t.start - lineStart, t.length, TOKEN_KINDS.indexOf(t.kind), t.modifiers);
    }
    ref.seg.tokens = out;
    return out;
  }

  function encodeTokens(m: DocumentModel, a: number, b: number, token: CancellationToken): number[] | undefined {
    const data: number[] = [];
    let prevLine = 0;
    let prevChar = 0;
    for (let k = a; k <= b; k++) {
      if ((k & 511) === 511 && token.isCancellationRequested) return undefined;
      const ref = m.segment(k);
      if (!ref) continue;
      const toks = segTokens(m, ref);
      for (let i = 0; i < toks.length; i += 5) {
        const line = ref.line + toks[i]!;
        const ch = toks[i]! === 0 ? ref.character + toks[i + 1]! : toks[i + 1]!;
        data.push(line - prevLine, line === prevLine ? ch - prevChar : ch, toks[i + 2]!, toks[i + 3]!, toks[i + 4]!);
        prevLine = line;
        prevChar = ch;
      }
    }
    return data;
  }

  connection.onRequest(
    SemanticTokensRequest.type,
    guard({ data: [] as number[] }, (p, token) => {
      const m = docs.get(p.textDocument.uri);
      if (!m || m.segs.length === 0) return { data: [] };
      return { data: encodeTokens(m, 0, m.segs.length - 1, token) ?? [] };
    }),
  );

  connection.onRequest(
    SemanticTokensRangeRequest.type,
    guard({ data: [] as number[] }, (p, token) => {
      const m = docs.get(p.textDocument.uri);
      if (!m || m.segs.length === 0) return { data: [] };
      const [a, b] = m.segmentRange(m.doc.offsetAt(p.range.start), m.doc.offsetAt(p.range.end));
      return { data: encodeTokens(m, a, b, token) ?? [] };
    }),
  );

  // ---- symbols, folding, inlay hints -----------------------------------------------------------------

  connection.onRequest(
    DocumentSymbolRequest.type,
    guard([] as DocumentSymbol[] | SymbolInformation[], (p, token) => {
      const m = docs.get(p.textDocument.uri);
      if (!m) return [];
      const out: DocumentSymbol[] = [];
      const flat: SymbolInformation[] = [];
      for (let k = 0; k < m.segs.length; k++) {
        if ((k & 511) === 511 && token.isCancellationRequested) return [];
        const ref = m.segment(k)!;
        for (const s of m.outlineOf(k).symbols) {
          const range = rangeOf(m, ref.start + s.start, ref.start + s.end);
          if (hierarchicalSymbols) {
            out.push({ name: s.name, detail: s.detail, kind: SymbolKind.Function, range, selectionRange: rangeOf(m, ref.start + s.selectionStart, ref.start + s.selectionEnd) });
          } else {
            flat.push({ name: s.name, kind: SymbolKind.Function, location: { uri: p.textDocument.uri, range } });
          }
        }
      }
      return hierarchicalSymbols ? out : flat;
    }),
  );

  connection.onRequest(
    FoldingRangeRequest.type,
    guard([] as FoldingRange[], (p, token) => {
      const m = docs.get(p.textDocument.uri);
      if (!m) return [];
      const out: FoldingRange[] = [];
      for (let k = 0; k < m.segs.length; k++) {
        if ((k & 511) === 511 && token.isCancellationRequested) return [];
        const ref = m.segment(k)!;
        for (const f of m.outlineOf(k).folds) {
          const s = m.doc.positionAt(ref.start + f.start).line;
          const e = m.doc.positionAt(ref.start + f.end).line;
          if (e > s) out.push({ startLine: s, endLine: e, kind: f.kind === 'comment' ? FoldingRangeKind.Comment : FoldingRangeKind.Region });
        }
      }
      return out;
    }),
  );

  connection.onRequest(
    InlayHintRequest.type,
    guard([] as InlayHint[], (p) => {
      const m = docs.get(p.textDocument.uri);
      if (!m || m.segs.length === 0) return [];
      const [a, b] = m.segmentRange(m.doc.offsetAt(p.range.start), m.doc.offsetAt(p.range.end));
      const out: InlayHint[] = [];
      const t = now();
      for (let k = a; k <= b; k++) {
        const ref = m.segment(k)!;
        if (!ref.query) continue;
        for (const h of mq.inlayHints(ref.query, t)) {
          out.push({
            position: m.doc.positionAt(ref.start + h.offset),
            label: h.label,
            kind: h.kind === 'type' ? InlayHintKind.Type : InlayHintKind.Parameter,
            tooltip: h.tooltip,
            paddingLeft: h.paddingLeft,
          });
        }
      }
      return out;
    }),
  );

  connection.onRequest(ShutdownRequest.type, () => {
    server.shutdownReceived();
    for (const t of timers.values()) clearTimeout(t);
    timers.clear();
  });

  server.listen();
}
