// The esbuild plugin that bundles one copy of tsc's module helpers for the vscode-languageserver packages: it
// finds every helper, with exactly the shared text, in the installed packages; a different helper text fails
// the build; and a bundle built with it exports the same API as one built without it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { HELPERS, PACKAGE_FILE, SHARED_SOURCE, shareHelpers, sharedTsHelpers } from '../../scripts/ts-helpers-once.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);

function jsFilesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? jsFilesUnder(full) : full.endsWith('.js') ? [full] : [];
  });
}

test('every shared helper is found, with exactly its text, in the installed vscode-languageserver packages', () => {
  const found = new Set<string>();
  let files = 0;
  for (const pkg of ['vscode-jsonrpc', 'vscode-languageserver-protocol', 'vscode-languageserver']) {
    for (const file of jsFilesUnder(path.join(root, 'node_modules', pkg, 'lib'))) {
      assert.match(file, PACKAGE_FILE);
      const { text, replaced } = shareHelpers(file, readFileSync(file, 'utf8'));
      for (const name of replaced) {
        found.add(name);
        assert.ok(!text.includes(`var ${name} = (this && this.${name})`), `${file}: ${name} replaced`);
      }
      if (replaced.length > 0) files++;
    }
  }
  assert.deepEqual([...found].sort(), Object.keys(HELPERS).sort());
  assert.ok(files > 10, `${files} files carry helpers`);
  assert.ok(!PACKAGE_FILE.test(path.join(root, 'node_modules', 'vscode-languageserver-types', 'lib', 'umd', 'main.js')));
});

test('a file whose helper text differs fails, naming the file, the helper and where to update it', () => {
  const changed = HELPERS.__importDefault.replace('{ "default": mod }', '{ default: mod }');
  assert.throws(() => shareHelpers('lib/x.js', `"use strict";\n${changed}exports.x = 1;\n`), (e: Error) => {
    assert.match(e.message, /lib\/x\.js defines __importDefault differently/);
    assert.match(e.message, /scripts\/ts-helpers-once\.mjs/);
    return true;
  });
});

test('a build where no file defines the helpers fails instead of silently keeping every copy', async () => {
  await assert.rejects(
    build({ stdin: { contents: 'console.log(1)' }, bundle: true, write: false, logLevel: 'silent', plugins: [sharedTsHelpers] }),
    /no file defined __createBinding/,
  );
});

/** Every export of a module, and one level into its namespace objects, as "name: type" lines. */
function surface(mod: Record<string, unknown>): string[] {
  return Object.keys(mod).sort().flatMap((k) => {
    const v = mod[k];
    const inner = v && typeof v === 'object' ? Object.keys(v).sort().map((j) => `${k}.${j}: ${typeof (v as Record<string, unknown>)[j]}`) : [];
    return [`${k}: ${typeof v}`, ...inner];
  });
}

test('a bundle of vscode-languageserver/node with shared helpers exports the same API as one without, in 8 KB less', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'mq-helpers-'));
  try {
    const bundle = async (name: string, plugins: Plugin[]) => {
      const outfile = path.join(dir, `${name}.js`);
      await build({
        stdin: { contents: "module.exports = require('vscode-languageserver/node');", resolveDir: root },
        bundle: true, platform: 'node', target: 'node20', format: 'cjs', minify: true, legalComments: 'none', logLevel: 'warning',
        absWorkingDir: root, outfile, plugins,
      });
      return { size: statSync(outfile).size, api: surface(require(outfile) as Record<string, unknown>) };
    };
    const full = await bundle('full', []);
    const shared = await bundle('shared', [sharedTsHelpers]);
    assert.ok(full.api.length > 300, `${full.api.length} exported names`);
    assert.deepEqual(shared.api, full.api);
    assert.ok(full.size - shared.size > 8_000, `saved ${full.size - shared.size} bytes`);
    assert.equal(SHARED_SOURCE.split('module.exports').length, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
