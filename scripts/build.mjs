// Bundles the shipped artefacts with esbuild.
//   dist/server.js  language server (node dist/server.js --stdio)
//   dist/cli.js     the `mq` command line
//   dist/relay.js   `mq relay` alone: copy this one file to a host with Node 22.13+ and run it
//   dist/client.js  the VS Code extension entry point (dist/engine.js and dist/language-client.js load later)
//   dist/webview/*  the results view (browser code and styles)
//   dist/renderer/* the notebook renderer for mq results (an ES module; styles bundled as text)
// The server and CLI target Node 20 so they run on the Node that VS Code and most machines ship.
import { build } from 'esbuild';
import { existsSync, mkdirSync, chmodSync, copyFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chevrotainWithoutChecks } from './chevrotain-without-checks.mjs';
import { sharedTsHelpers } from './ts-helpers-once.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: false,
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  absWorkingDir: root,
};

const jobs = [];
const entry = (src, out, extra = {}) => {
  if (!existsSync(join(root, src))) return;
  jobs.push(build({ ...common, entryPoints: [src], outfile: out, ...extra }));
};
// The bundles with the language core build its lexer and parser without Chevrotain's self-checks (the test suite
// runs them from the sources): scripts/chevrotain-without-checks.mjs leaves that code out, about 16 KB each.
const noChecks = [chevrotainWithoutChecks];
// The server bundle also keeps one copy of tsc's module helpers for the vscode-languageserver packages instead of
// one per file (scripts/ts-helpers-once.mjs, about 10 KB).
entry('server/src/lsp/main.ts', 'dist/server.js', { plugins: [...noChecks, sharedTsHelpers] });
entry('server/src/cli/main.ts', 'dist/cli.js', { banner: { js: '#!/usr/bin/env node' }, plugins: noChecks });
entry('server/src/cli/relayMain.ts', 'dist/relay.js', { target: 'node22', banner: { js: '#!/usr/bin/env node' } });
// The extension entry keeps the language core and run engine out: they are dist/engine.js, required on first use.
const engineExternal = {
  name: 'mq-engine-external',
  setup(b) {
    b.onResolve({ filter: /^\.\/engine\.js$/ }, (args) =>
      args.importer.endsWith('lazyEngine.ts') ? { path: './engine.js', external: true } : undefined,
    );
    // The same for the language client library: dist/language-client.js, required right after activation.
    b.onResolve({ filter: /^\.\/language-client\.js$/ }, (args) =>
      args.importer.endsWith('lazyLanguageClient.ts') ? { path: './language-client.js', external: true } : undefined,
    );
  },
};
// client/src reaches the server side through one module, server/src/api.ts, which re-exports the parser, the
// run engine and more. Marking server modules free of side effects lets the extension entry keep only the
// few it uses (the wire helpers, result ordering) instead of every module api.ts names.
const serverModulesPure = {
  name: 'mq-server-modules-pure',
  setup(b) {
    const serverSrc = join(root, 'server', 'src') + '/';
    b.onResolve({ filter: /^\./ }, async (args) => {
      if (args.pluginData === 'mq-pure' || !(args.importer.startsWith(serverSrc) || args.path.includes('server/src/'))) return undefined;
      const r = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: 'mq-pure' });
      if (r.errors.length > 0 || !r.path.startsWith(serverSrc)) return undefined;
      return { path: r.path, namespace: r.namespace, sideEffects: false };
    });
  },
};
entry('client/src/extension.ts', 'dist/client.js', { external: ['vscode'], plugins: [engineExternal, serverModulesPure] });
entry('client/src/engine.ts', 'dist/engine.js', { plugins: noChecks });
entry('client/src/languageClient.ts', 'dist/language-client.js', { external: ['vscode'], plugins: [sharedTsHelpers] });
if (existsSync(join(root, 'client/webview/main.ts'))) {
  jobs.push(build({
    ...common,
    platform: 'browser',
    target: 'chrome114',
    format: 'iife',
    entryPoints: ['client/webview/main.ts'],
    outfile: 'dist/webview/main.js',
  }));
}
if (existsSync(join(root, 'client/renderer/index.ts'))) {
  jobs.push(build({
    ...common,
    platform: 'browser',
    target: 'chrome114',
    format: 'esm',
    loader: { '.css': 'text' },
    entryPoints: ['client/renderer/index.ts'],
    outfile: 'dist/renderer/index.js',
  }));
}
await Promise.all(jobs);
for (const f of ['dist/cli.js', 'dist/relay.js']) if (existsSync(join(root, f))) chmodSync(join(root, f), 0o755);
mkdirSync(join(root, 'dist/webview'), { recursive: true });
for (const [from, to] of [['client/webview/style.css', 'dist/webview/style.css'], ['node_modules/uplot/dist/uPlot.min.css', 'dist/webview/uPlot.min.css']]) {
  if (existsSync(join(root, from))) copyFileSync(join(root, from), join(root, to));
}
if (watch) console.log('watch mode is not supported; re-run npm run build');
