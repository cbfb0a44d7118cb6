// The language core the language-server tests hand to startServer and DocumentModel, built from the core's
// functions (the same object server/src/lsp/main.ts builds), plus a way to make one method misbehave.
import { analyseDocument } from '../../server/src/core/semantics/analyser.js';
import { codeActionsFor } from '../../server/src/core/editing/codeActions.js';
import { complete } from '../../server/src/core/editing/completion.js';
import { foldingRanges } from '../../server/src/core/editing/folding.js';
import { formatDocument, formatRange } from '../../server/src/core/editing/formatter.js';
import { hoverAt } from '../../server/src/core/editing/hover.js';
import { inlayHints } from '../../server/src/core/editing/inlayHints.js';
import { semanticTokens } from '../../server/src/core/editing/semanticTokens.js';
import { querySymbols } from '../../server/src/core/editing/symbols.js';
import { parseDocument } from '../../server/src/core/syntax/parser.js';
import type { LanguageCore } from '../../server/src/lsp/languageCore.js';

export const TEST_CORE: LanguageCore = Object.freeze({
  parse: (text: string) => parseDocument(text),
  analyse: analyseDocument,
  complete,
  hover: hoverAt,
  codeActions: codeActionsFor,
  format: formatDocument,
  formatRange,
  semanticTokens,
  symbols: querySymbols,
  folding: foldingRanges,
  inlayHints,
});

/** TEST_CORE with some methods replaced. */
export function coreWith(overrides: Partial<LanguageCore>): LanguageCore {
  return { ...TEST_CORE, ...overrides };
}
