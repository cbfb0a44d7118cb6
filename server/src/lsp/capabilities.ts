// What the client said it can do in `initialize`, read once into one immutable object, and the server
// capabilities mq answers with. Every feature adapter asks this object instead of the raw capabilities.
import {
  CodeActionKind,
  CompletionItemTag,
  MarkupKind,
  TextDocumentSyncKind,
  type ClientCapabilities,
  type ServerCapabilities,
} from 'vscode-languageserver';
import { LSP_TOKEN_TYPES, TOKEN_KINDS, TOKEN_MODIFIERS } from '../core/editing/semanticTokens.js';

export interface ClientFeatures {
  /** Completion items may be snippets (`${1:…}`); otherwise their placeholders are written out. */
  readonly snippets: boolean;
  /** Hover and completion documentation as markdown; otherwise as plain text. */
  readonly markdown: boolean;
  /** `tags: [Deprecated]` on completion items; otherwise `deprecated: true`. */
  readonly deprecatedTag: boolean;
  /** Completion items with both an insert and a replace range. */
  readonly insertReplace: boolean;
  readonly relatedInformation: boolean;
  /** DocumentSymbol[] (outline with ranges); otherwise SymbolInformation[]. */
  readonly hierarchicalSymbols: boolean;
  /** The client pulls diagnostics (textDocument/diagnostic); otherwise the server pushes them. */
  readonly pullDiagnostics: boolean;
  /** The client answers workspace/configuration. */
  readonly configuration: boolean;
  /** The client understands CodeAction literals (with kinds). */
  readonly codeActionLiterals: boolean;
}

export const SEMANTIC_LEGEND = {
  tokenTypes: TOKEN_KINDS.map((k) => LSP_TOKEN_TYPES[k]),
  tokenModifiers: [...TOKEN_MODIFIERS],
};

/** Reads the client's capabilities once. */
export function negotiate(caps: ClientCapabilities): ClientFeatures {
  const td = caps.textDocument ?? {};
  const item = td.completion?.completionItem;
  return Object.freeze({
    snippets: item?.snippetSupport === true,
    markdown: td.hover?.contentFormat ? td.hover.contentFormat.includes(MarkupKind.Markdown) : true,
    deprecatedTag: item?.tagSupport?.valueSet?.includes(CompletionItemTag.Deprecated) === true,
    insertReplace: item?.insertReplaceSupport === true,
    relatedInformation: td.publishDiagnostics?.relatedInformation === true || td.diagnostic !== undefined,
    hierarchicalSymbols: td.documentSymbol?.hierarchicalDocumentSymbolSupport === true,
    pullDiagnostics: td.diagnostic !== undefined,
    configuration: caps.workspace?.configuration === true,
    codeActionLiterals: Boolean(td.codeAction?.codeActionLiteralSupport),
  });
}

/** What the server offers this client. */
export function serverCapabilities(client: ClientFeatures): ServerCapabilities {
  const caps: ServerCapabilities = {
    textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
    completionProvider: { triggerCharacters: [' ', ',', '(', '='], resolveProvider: false },
    hoverProvider: true,
    codeActionProvider: client.codeActionLiterals ? { codeActionKinds: [CodeActionKind.QuickFix] } : true,
    documentFormattingProvider: true,
    documentRangeFormattingProvider: true,
    documentSymbolProvider: true,
    foldingRangeProvider: true,
    semanticTokensProvider: { legend: SEMANTIC_LEGEND, full: true, range: true },
    inlayHintProvider: true,
  };
  if (client.pullDiagnostics) caps.diagnosticProvider = { interFileDependencies: false, workspaceDiagnostics: false };
  return caps;
}
