// ESLint flat config, run by `npm run lint` (after the two `tsc --noEmit` checks) and therefore by CI.
//
// Rules: @eslint/js and typescript-eslint "recommended" without type information (fast: no program is built;
// tsc already type-checks). On top of them, the architecture's import boundaries (docs/architecture.md,
// "What may import what"): each folder gets one `no-restricted-imports` list, built below by `boundary()`.
// Flat config replaces a rule's options instead of merging them, so every file must match exactly one
// boundary block: the blocks' `files` globs do not overlap (the `ignores` carve the special cases out).
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// ---------------------------------------------------------------------------------------------------------
// Import boundaries
// ---------------------------------------------------------------------------------------------------------

/** A regular expression matching an import specifier that goes through the folder `name` (any depth). */
const through = (names) => `(^|/)(${names.join('|')})/`;

const NODE_BUILTINS = builtinModules.filter((m) => !m.startsWith('_'));
const CORE_PURE = [
  { regex: '^node:', message: 'The language core is pure: no Node modules (pass what it needs in as a value).' },
  { regex: `^(${NODE_BUILTINS.join('|').replace(/\//g, '\\/')})(/.*)?$`, message: 'The language core is pure: no Node modules (pass what it needs in as a value).' },
  { regex: '^vscode(-languageserver.*|-languageclient.*|-jsonrpc.*)?(/.*)?$', message: 'The language core knows nothing of VS Code or LSP: the adapter in server/src/lsp converts.' },
  { regex: through(['lsp', 'run', 'cli']), message: 'The language core cannot import server/src/{lsp,run,cli}: they are built on it, not under it.' },
];

/** Core layers, lowest first. A layer may import the layers before it, never one after it. */
const CORE_LAYERS = ['catalog', 'syntax', 'semantics', 'compile', 'editing'];
function coreUpward(layer, allowed = []) {
  const above = CORE_LAYERS.slice(CORE_LAYERS.indexOf(layer) + 1);
  if (above.length === 0) return [];
  // `allowed` names single modules of a higher layer that this one may use, e.g. 'compile/time.js'.
  const folders = above.map((folder) => {
    const files = allowed.filter((a) => a.startsWith(folder + '/')).map((a) => a.slice(folder.length + 1).replace(/\./g, '\\.'));
    return files.length ? `${folder}/(?!(${files.join('|')})$)` : `${folder}/`;
  });
  return [{
    regex: `(^|/)(${folders.join('|')})`,
    message: `core/${layer} sits below core/{${above.join(',')}} and cannot import it (order: ${CORE_LAYERS.join(' < ')}).`,
  }];
}

const SERVER_RUN = [
  { regex: through(['lsp', 'cli']), message: 'server/src/run is used by the CLI and the extension; it cannot import server/src/{lsp,cli}.' },
  { regex: '^vscode(-languageserver.*)?(/.*)?$', message: 'server/src/run runs outside VS Code (CLI, relay): no vscode imports.' },
];
const SERVER_LSP = [
  { regex: through(['run', 'cli']), message: 'The language server does not run queries: server/src/lsp cannot import server/src/{run,cli}.' },
];
const CLIENT_SRC = [
  { regex: '(^|/)server/src/(?!api\\.js$)', message: 'The client reaches the server side only through server/src/api.ts (import from \'../../server/src/api.js\').' },
  { regex: '(^|/)webview/', message: 'The extension host shares only client/common/protocol.ts with the webview, not the webview\'s own files.' },
];
const WEBVIEW = [
  { regex: '^\\.\\./(?!common/protocol\\.js$)', message: 'The webview imports only its own files and client/common/protocol.ts (\'../common/protocol.js\').' },
  { regex: '^(node:|vscode)', message: 'The webview runs in a browser: no Node or VS Code modules.' },
];
const SHARED = [
  { regex: '^\\.', message: 'client/common/protocol.ts is the contract between the extension host and the webview: it imports nothing local.' },
  { regex: '^(node:|vscode)', message: 'client/common runs in the browser too: no Node or VS Code modules.' },
];

/** One config block: these files may not import anything matching `patterns`. */
function boundary(files, patterns, ignores = []) {
  return { files, ignores, rules: { 'no-restricted-imports': ['error', { patterns }] } };
}

const core = (layer) => `server/src/core/${layer}/**/*.ts`;
const boundaries = [
  boundary([core('catalog')], [...CORE_PURE, ...coreUpward('catalog')]),
  boundary([core('syntax')], [...CORE_PURE, ...coreUpward('syntax')]),
  // semantics resolves times and keeps exact integers with compile's two leaf modules, time.ts and wire.ts.
  boundary([core('semantics')], [...CORE_PURE, ...coreUpward('semantics', ['compile/time.js', 'compile/wire.js'])]),
  boundary(['server/src/core/compile/time.ts', 'server/src/core/compile/wire.ts'], [...CORE_PURE, {
    regex: '(^|/)(semantics|compile|editing)/',
    message: 'compile/time.ts and compile/wire.ts sit below core/semantics (which uses them): they import only syntax and catalog.',
  }, {
    regex: '^\\./(?!(time|wire)\\.js$)',
    message: 'compile/time.ts and compile/wire.ts sit below core/semantics (which uses them): of compile they import only each other.',
  }]),
  boundary([core('compile')], [...CORE_PURE, ...coreUpward('compile')], ['server/src/core/compile/time.ts', 'server/src/core/compile/wire.ts']),
  boundary([core('editing')], [...CORE_PURE]),
  boundary(['server/src/core/*.ts'], [...CORE_PURE]),
  boundary(['server/src/util/**/*.ts'], [...CORE_PURE, { regex: through(['core']), message: 'server/src/util holds leaf helpers: it imports no other server folder.' }]),
  boundary(['server/src/run/**/*.ts'], SERVER_RUN),
  boundary(['server/src/lsp/**/*.ts'], SERVER_LSP),
  boundary(['client/src/**/*.ts'], CLIENT_SRC),
  boundary(['client/webview/**/*.ts'], WEBVIEW),
  boundary(['client/common/**/*.ts'], SHARED),
];

// ---------------------------------------------------------------------------------------------------------
// The config
// ---------------------------------------------------------------------------------------------------------

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.tools/**', 'test-results/**', 'bench-results/**', '.vscode-test/**', 'reference/**'] },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // A `let` that a closure reads before its one assignment (a server handler that needs the instance it
      // is passed to) cannot be a `const`.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // Parameters document a callback's signature (tsc's noUnusedParameters is off for the same reason);
      // a catch binding may be named and ignored.
      '@typescript-eslint/no-unused-vars': ['error', { args: 'none', caughtErrors: 'none' }],
      // `const model = this` feeds the getters of an object literal that reads the owning instance.
      '@typescript-eslint/no-this-alias': ['error', { allowedNames: ['model'] }],
    },
  },
  {
    files: ['server/src/**/*.ts', 'client/src/**/*.ts', 'client/webview/**/*.ts', 'client/common/**/*.ts'],
    rules: {
      // Project rule: no function over ~80 lines in server/ and client/.
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    // The core reads no environment and no process state (the parser's MQ_CHEVROTAIN_CHECKS switch is being
    // removed with the core-as-a-value work); a warning until then, to become an error.
    files: ['server/src/core/**/*.ts'],
    rules: { 'no-restricted-globals': ['error', { name: 'process', message: 'The language core is pure: pass settings in through createMq() instead of reading process.' }] },
  },
  {
    // The VS Code API is a CommonJS module the extension host hands out: `import vscode = require('vscode')`
    // takes it as it is. A namespace import (`import * as`) makes the bundle copy its hundreds of properties
    // into a new object in every module that imports it (about 10 ms of the activation time, 14 copies).
    files: ['client/src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-require-imports': ['error', { allowAsImport: true }],
      'no-restricted-syntax': ['error', {
        selector: "ImportDeclaration[source.value='vscode'][importKind!='type']",
        message: "Take the VS Code API with `import vscode = require('vscode')`: an ES import of it is copied into a new object on activation.",
      }],
    },
  },
  {
    // The extension loads the core and run engine (dist/engine.js) on first use, and the language client
    // library (dist/language-client.js) right after activation, with a runtime require of a file the build
    // marks external; an `import` would bundle it into the activation path.
    files: ['client/src/lazyEngine.ts', 'client/src/lazyLanguageClient.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Tests walk untyped JSON documents (the OpenAPI file, LSP payloads): `any` is the honest type there.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.mjs', 'scripts/**/*.js', 'test/**/*.mjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // CommonJS test shims (a fake `vscode` module for extension-host code run under Node).
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The editor benchmark passes functions to page.evaluate(): they run in the workbench page.
    files: ['scripts/bench/editor.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    // Runs inside the page that the webview harness loads in Chromium.
    files: ['test/webview-harness/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
  ...boundaries,
);
