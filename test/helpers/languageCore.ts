// The language core the language-server tests hand to startServer and DocumentModel: a createMqEditing()
// instance (the same kind of object server/src/lsp/main.ts builds), plus a way to make one method misbehave.
import { catalog } from '../../server/src/core/catalog/data.js';
import { createMqEditing } from '../../server/src/core/index.js';
import type { LanguageCore } from '../../server/src/lsp/languageCore.js';

export const TEST_CORE: LanguageCore = createMqEditing({ catalog });

/** TEST_CORE with some methods replaced. */
export function coreWith(overrides: Partial<LanguageCore>): LanguageCore {
  return { ...TEST_CORE, ...overrides };
}
