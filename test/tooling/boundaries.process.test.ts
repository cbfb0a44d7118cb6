// The import boundaries of docs/architecture.md are enforced by `npm run lint` (eslint.config.mjs). Each case
// lints a small fixture as if it were a file in a given folder: a crossing import must fail, an allowed one
// must pass. The last two run the ESLint command line in a child process, as `npm run lint` does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const eslint = new ESLint({ cwd: root });

/** The boundary errors that `source` gets when it is the file `file` (relative to the repository root). */
async function boundaryErrors(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: path.join(root, file) });
  const other = result.messages.filter((m) => m.ruleId !== 'no-restricted-imports' && m.severity === 2);
  assert.deepEqual(other, [], `fixture for ${file} should only ever break import rules`);
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

async function assertRejected(file: string, specifier: string, why: RegExp): Promise<void> {
  const errors = await boundaryErrors(file, `import { x } from '${specifier}';\nexport const y = x;\n`);
  assert.equal(errors.length, 1, `${file} importing ${specifier} should fail lint, got ${JSON.stringify(errors)}`);
  assert.match(errors[0], why);
}

async function assertAllowed(file: string, specifiers: string[]): Promise<void> {
  const source = specifiers.map((s, i) => `import { x${i} } from '${s}';\n`).join('') + `export const all = [${specifiers.map((_, i) => `x${i}`).join(', ')}];\n`;
  assert.deepEqual(await boundaryErrors(file, source), [], `${file} may import ${specifiers.join(', ')}`);
}

test('the core cannot import the LSP adapter, the run engine or the CLI', async () => {
  await assertRejected('server/src/core/editing/fixture.ts', '../../lsp/server.js', /core cannot import server\/src\/\{lsp,run,cli\}/);
  await assertRejected('server/src/core/semantics/rules/fixture.ts', '../../../run/engine.js', /core cannot import/);
  await assertRejected('server/src/core/compile/fixture.ts', '../../cli/main.js', /core cannot import/);
});

test('the core imports no Node module and nothing of VS Code or LSP', async () => {
  await assertRejected('server/src/core/syntax/fixture.ts', 'node:fs', /pure: no Node modules/);
  await assertRejected('server/src/core/syntax/fixture.ts', 'fs', /pure: no Node modules/);
  await assertRejected('server/src/core/catalog/fixture.ts', 'child_process', /pure: no Node modules/);
  await assertRejected('server/src/core/editing/fixture.ts', 'vscode-languageserver/node', /knows nothing of VS Code or LSP/);
  await assertRejected('server/src/core/editing/fixture.ts', 'vscode', /knows nothing of VS Code or LSP/);
});

test('a core layer cannot import a layer above it', async () => {
  await assertRejected('server/src/core/catalog/fixture.ts', '../syntax/parser.js', /core\/catalog sits below/);
  await assertRejected('server/src/core/syntax/fixture.ts', '../semantics/model.js', /core\/syntax sits below/);
  await assertRejected('server/src/core/semantics/fixture.ts', '../compile/compiler.js', /core\/semantics sits below/);
  await assertRejected('server/src/core/semantics/rules/fixture.ts', '../../editing/completion.js', /core\/semantics sits below/);
  await assertRejected('server/src/core/compile/time.ts', '../semantics/model.js', /sit below core\/semantics/);
  await assertRejected('server/src/core/compile/wire.ts', './compiler.js', /sit below core\/semantics/);
  await assertRejected('server/src/core/compile/fixture.ts', '../editing/hover.js', /core\/compile sits below/);
});

test('a core layer may import the layers below it, and semantics may use compile/time and compile/wire', async () => {
  await assertAllowed('server/src/core/syntax/fixture.ts', ['chevrotain', '../catalog/data.js', './ast.js']);
  await assertAllowed('server/src/core/semantics/fixture.ts', ['../syntax/ast.js', '../catalog/catalogIndex.js', '../compile/time.js', '../compile/wire.js']);
  await assertAllowed('server/src/core/compile/fixture.ts', ['../semantics/analyser.js', '../syntax/ast.js', './time.js']);
  await assertAllowed('server/src/core/editing/fixture.ts', ['../compile/time.js', '../semantics/diagnostics.js', '../syntax/cursor.js', '../catalog/types.js']);
});

test('the run engine cannot import the LSP adapter or the CLI', async () => {
  await assertRejected('server/src/run/fixture.ts', '../lsp/server.js', /run.*cannot import server\/src\/\{lsp,cli\}/);
  await assertRejected('server/src/run/standin/fixture.ts', '../../cli/main.js', /cannot import server\/src\/\{lsp,cli\}/);
  await assertAllowed('server/src/run/fixture.ts', ['../core/compile/wire.js', 'node:http', './receiver.js']);
});

test('the client reaches the server side only through server/src/api.ts', async () => {
  await assertRejected('client/src/fixture.ts', '../../server/src/core/syntax/parser.js', /only through server\/src\/api\.ts/);
  await assertRejected('client/src/fixture.ts', '../../server/src/run/engine.js', /only through server\/src\/api\.ts/);
  await assertRejected('client/src/fixture.ts', '../webview/model.js', /shares only client\/common\/protocol\.ts/);
  // A type-only import crosses the boundary just the same.
  const typeOnly = await boundaryErrors('client/src/fixture.ts', `import type { Query } from '../../server/src/core/syntax/ast.js';\nexport type Q = Query;\n`);
  assert.equal(typeOnly.length, 1);
  // So does a re-export (client/src/engine.ts re-exports the engine).
  const reexport = await boundaryErrors('client/src/fixture.ts', `export { parseDocument } from '../../server/src/core/syntax/parser.js';\n`);
  assert.equal(reexport.length, 1);
  await assertAllowed('client/src/fixture.ts', ['../../server/src/api.js', '../common/protocol.js', './settings.js']);
});

test('the client takes the VS Code API with import = require: an ES import of it fails lint', async () => {
  const lint = async (source: string) => (await eslint.lintText(source, { filePath: path.join(root, 'client/src/fixture.ts') }))[0]!.messages.filter((m) => m.severity === 2);
  assert.deepEqual(await lint(`import vscode = require('vscode');\nexport const w = vscode.window;\n`), []);
  assert.deepEqual(await lint(`import type * as vscode from 'vscode';\nexport type U = vscode.Uri;\n`), [], 'a type-only import costs nothing at run time');
  for (const source of [`import * as vscode from 'vscode';\nexport const w = vscode.window;\n`, `import { window } from 'vscode';\nexport const w = window;\n`]) {
    const errors = await lint(source);
    assert.deepEqual(errors.map((m) => m.ruleId), ['no-restricted-syntax'], source);
    assert.match(errors[0]!.message, /import vscode = require\('vscode'\)/);
  }
});

test('the webview imports only its own files and the shared protocol', async () => {
  await assertRejected('client/webview/fixture.ts', '../src/resultView.js', /only its own files and client\/common\/protocol\.ts/);
  await assertRejected('client/webview/fixture.ts', '../../server/src/api.js', /only its own files/);
  await assertRejected('client/webview/fixture.ts', 'node:fs', /runs in a browser/);
  await assertRejected('client/common/protocol.ts', 'vscode', /runs in the browser too/);
  await assertAllowed('client/webview/fixture.ts', ['./model.js', '../common/protocol.js', 'uplot']);
});

const eslintBin = path.join(path.dirname(createRequire(import.meta.url).resolve('eslint/package.json')), 'bin', 'eslint.js');
function lintFromCommandLine(file: string, source: string) {
  return spawnSync(process.execPath, [eslintBin, '--stdin', '--stdin-filename', file], { cwd: root, input: source, encoding: 'utf8', timeout: 60_000 });
}

test('the ESLint command line that npm run lint runs exits 1 on a crossing import and names the rule', () => {
  const r = lintFromCommandLine('server/src/core/catalog/fixture.ts', `import { parseDocument } from '../syntax/parser.js';\nexport const p = parseDocument;\n`);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /core\/catalog sits below/);
  assert.match(r.stdout, /no-restricted-imports/);
});

test('the ESLint command line exits 0 on the same file importing only its own layer', () => {
  const r = lintFromCommandLine('server/src/core/catalog/fixture.ts', `import { catalog } from './data.js';\nexport const c = catalog;\n`);
  assert.equal(r.status, 0, r.stdout + r.stderr);
});
