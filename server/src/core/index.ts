// The language core as a value. createMq({ catalog }) builds the catalog indexes, the analyser's check
// lists and every cache once, and returns an Mq: every feature of the language (parse, analyse, compile,
// complete, hover, quick fixes, format, tokens, symbols, folding, inlay hints) as a method of it, each a
// pure function of its arguments, the instance's catalog and the clock it is given. Nothing here is a
// module-level singleton: two instances (two catalogs) never share state.
// createMqEditing builds the same value without the compiler (MqEditing): the language server never compiles,
// and through it dist/server.js leaves the compiler out.
import type { Catalog } from './catalog/types.js';
import { buildCatalogIndex, type CatalogIndex } from './catalog/catalogIndex.js';
import type { MqDocument, Query } from './syntax/ast.js';
import { createSyntax, type Syntax } from './syntax/parser.js';
import { createAnalyser, type AnalysisContext, type Analyser, type QueryAnalysis } from './semantics/analyser.js';
import type { MqDiagnostic } from './semantics/diagnostics.js';
import { REGISTRY, type Registry } from './semantics/registry.js';
import { rules as builtInRules } from './semantics/rules/index.js';
import type { Rule } from './semantics/rules/types.js';
import { errorsAfterQuery, errorsElsewhere } from './semantics/stray.js';
import { compileQuery, compileRequest, type CompileOptions, type CompileRequestResult, type CompileResult } from './compile/compiler.js';
import { codeActionsFor, type MqCodeAction } from './editing/codeActions.js';
import { complete, type CompletionResult } from './editing/completion.js';
import { foldingRanges, type MqFold } from './editing/folding.js';
import { formatDocument, formatRange, type FormatEdit, type FormatOptions } from './editing/formatter.js';
import { hoverAt, type MqHover } from './editing/hover.js';
import { inlayHints, type MqInlayHint } from './editing/inlayHints.js';
import { semanticTokens, type SemanticToken } from './editing/semanticTokens.js';
import { querySymbols, type MqSymbol } from './editing/symbols.js';

export interface MqOptions {
  catalog: Catalog;
  /** The validation rules (default: the built-in ones). Tests add or isolate rules with this. */
  rules?: readonly Rule[];
}

export interface CompileQueryOptions extends CompileOptions {
  callbackUrl: string;
}

/** The features an editor uses: everything of Mq but compiling and choosing queries to run. */
export interface MqEditing {
  /** The catalog's indexes (names, families, the entries the language singles out, closest-name search). */
  readonly catalog: CatalogIndex;
  /** One entry per diagnostic code: severity, editor tags, quick fix (what each code means: CODE_DOCS in semantics/registry.ts). */
  readonly registry: Registry;
  /** The lexer and the parsers, built once: lexing, the offsets where queries start, cursor classification. */
  readonly syntax: Syntax;
  parse(text: string): MqDocument;
  analyse(doc: MqDocument, ctx: AnalysisContext): MqDiagnostic[];
  analyseQuery(q: Query, ctx: AnalysisContext): QueryAnalysis;
  check(text: string, ctx: AnalysisContext): MqDiagnostic[];
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

export interface Mq extends MqEditing {
  compile(q: Query, opts: CompileQueryOptions): CompileResult;
  compileRequest(q: Query, opts: CompileOptions): CompileRequestResult;
  errorsAfterQuery(doc: MqDocument, index: number): MqDiagnostic[];
  errorsElsewhere(doc: MqDocument, chosen: readonly number[]): MqDiagnostic[];
}

/** What one instance builds once: the catalog indexes, the lexer and parsers, the analyser with its rules. */
interface Parts {
  catalog: CatalogIndex;
  syntax: Syntax;
  analyser: Analyser;
}

function buildParts(options: MqOptions): Parts {
  const catalog = buildCatalogIndex(options.catalog);
  const syntax = createSyntax();
  return { catalog, syntax, analyser: createAnalyser(catalog, options.rules ?? builtInRules, syntax) };
}

function editingFeatures({ catalog, syntax, analyser }: Parts): MqEditing {
  const formatting = { catalog, syntax };
  return {
    catalog,
    registry: REGISTRY,
    syntax,
    parse: (text) => syntax.parseDocument(text),
    analyse: (doc, ctx) => analyser.analyseDocument(doc, ctx),
    analyseQuery: (q, ctx) => analyser.analyseQuery(q, ctx),
    check: (text, ctx) => analyser.checkDocument(text, ctx),
    complete: (text, offset, query, now) => complete(catalog, syntax, text, offset, query, now),
    hover: (q, offset, now) => hoverAt(catalog, q, offset, now),
    codeActions: (text, q, diagnostics, start, end) => codeActionsFor(catalog, text, q, diagnostics, start, end),
    format: (text, opts) => formatDocument(formatting, text, opts),
    formatRange: (text, start, end, opts) => formatRange(formatting, text, start, end, opts),
    semanticTokens: (text, doc) => semanticTokens(catalog, syntax, text, doc),
    symbols: (doc) => querySymbols(doc),
    folding: (doc) => foldingRanges(doc),
    inlayHints: (q, now) => inlayHints(catalog, q, now),
  };
}

/** The language core for an editor: the same features as createMq, without compiling (the language server). */
export function createMqEditing(options: MqOptions): MqEditing {
  return editingFeatures(buildParts(options));
}

export function createMq(options: MqOptions): Mq {
  const parts = buildParts(options);
  const deps = { catalog: parts.catalog, analyser: parts.analyser };
  return {
    ...editingFeatures(parts),
    compile: (q, opts) => compileQuery(deps, q, opts),
    compileRequest: (q, opts) => compileRequest(deps, q, opts),
    errorsAfterQuery: (doc, i) => errorsAfterQuery(doc, i),
    errorsElsewhere: (doc, chosen) => errorsElsewhere(doc, chosen),
  };
}

export type { AnalysisContext, QueryAnalysis } from './semantics/analyser.js';
export type { DiagnosticCode, DiagnosticData, MqDiagnostic, Severity } from './semantics/diagnostics.js';
export type { CompileOptions, CompileRequestResult, CompileResult } from './compile/compiler.js';
export type { ComparisonPlan, HavingCondition, HavingLiteral, HavingOperator, OrderItemSpec, Period, QueryPlan } from './compile/plan.js';
export type { ResultColumn, ColumnKind } from './semantics/columns.js';
export type { CatalogIndex } from './catalog/catalogIndex.js';
export type { Registry, CodeEntry, DiagnosticTagName } from './semantics/registry.js';
