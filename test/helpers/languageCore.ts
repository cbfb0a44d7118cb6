// The language core the language-server tests hand to startServer and DocumentModel: the tests' one
// createMq() instance (the same kind of object server/src/lsp/main.ts builds), plus a way to make one method
// misbehave.
import type { LanguageCore } from '../../server/src/lsp/languageCore.js';
import { mq } from './mq.js';

export const TEST_CORE: LanguageCore = mq;

/** TEST_CORE with some methods replaced. */
export function coreWith(overrides: Partial<LanguageCore>): LanguageCore {
  return { ...TEST_CORE, ...overrides };
}
