// What the language server needs from the language core, as one interface. The server receives an object
// with these methods (and a clock) and never imports the core's feature functions itself, so a test can hand
// it a core that misbehaves, and the core can be built once with its catalog and caches.
import type { MqDocument, Query } from '../core/syntax/ast.js';
import type { Syntax } from '../core/syntax/parser.js';
import type { Registry } from '../core/semantics/registry.js';
import type { AnalysisContext } from '../core/semantics/analyser.js';
import type { MqDiagnostic } from '../core/semantics/diagnostics.js';
import type { CompletionResult } from '../core/editing/completion.js';
import type { MqHover } from '../core/editing/hover.js';
import type { MqCodeAction } from '../core/editing/codeActions.js';
import type { FormatEdit, FormatOptions } from '../core/editing/formatter.js';
import type { SemanticToken } from '../core/editing/semanticTokens.js';
import type { MqSymbol } from '../core/editing/symbols.js';
import type { MqFold } from '../core/editing/folding.js';
import type { MqInlayHint } from '../core/editing/inlayHints.js';

export interface LanguageCore {
  /** One entry per diagnostic code: the server reads each code's editor tags from it. */
  readonly registry: Registry;
  /** Lexing and the offsets where queries start (the document model cuts its segments there). */
  readonly syntax: Pick<Syntax, 'lex' | 'selectOffsets'>;
  parse(text: string): MqDocument;
  analyse(doc: MqDocument, ctx: AnalysisContext): MqDiagnostic[];
  complete(text: string, offset: number, query: Query | undefined, now: Date): CompletionResult;
  hover(q: Query | undefined, offset: number, now: Date): MqHover | undefined;
  codeActions(text: string, q: Query | undefined, diagnostics: readonly MqDiagnostic[], start: number, end: number): MqCodeAction[];
  format(text: string, opts?: FormatOptions): string;
  formatRange(text: string, start: number, end: number, opts?: FormatOptions): FormatEdit[];
  semanticTokens(text: string, doc: MqDocument): SemanticToken[];
  symbols(doc: MqDocument): MqSymbol[];
  folding(doc: MqDocument): MqFold[];
  inlayHints(q: Query, now: Date): MqInlayHint[];
}

/** The part of the core the document model uses: parsing and the outline kept per query. */
export type SyntaxCore = Pick<LanguageCore, 'syntax' | 'parse' | 'symbols' | 'folding'>;

/** The server's clock: relative times (`now - 7d`) resolve against it. Tests pin it. */
export type Clock = () => Date;
