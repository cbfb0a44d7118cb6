// Loads dist/language-client.js (vscode-languageclient and its protocol libraries, about 430 KB) when the
// language server is started, right after activate() has returned, so that activation itself only loads the
// extension's own code. The client build marks ./language-client.js as external: this require stays a
// runtime require next to dist/client.js.
import type * as LanguageClientModule from './languageClient.js';

export type LanguageClientFactory = typeof LanguageClientModule;

export function languageClientModule(): LanguageClientFactory {
  return require('./language-client.js') as LanguageClientFactory;
}
