// The esbuild plugin that leaves Chevrotain's self-checks out of the bundles: its rewrites fit the installed
// Chevrotain, a changed Chevrotain fails the build with a message instead of shipping a half-patched module,
// a bundle built with it parses exactly like one built without it, and such a bundle refuses to run the checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { PATCHES, chevrotainModule, chevrotainWithoutChecks, patchChevrotainModule } from '../../scripts/chevrotain-without-checks.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const chevrotainSrc = path.join(root, 'node_modules', 'chevrotain', 'lib', 'src');
const REFUSAL = /leaves Chevrotain's self-checks out/;

test('every rewrite finds its text in the installed Chevrotain and turns the checking branch into dead code', () => {
  for (const module of new Set(PATCHES.map((p) => p.module))) {
    const file = path.join(chevrotainSrc, module);
    assert.equal(chevrotainModule(file), module);
    const patched = patchChevrotainModule(module, readFileSync(file, 'utf8'));
    for (const p of PATCHES.filter((x) => x.module === module)) {
      assert.equal(patched.split(p.replace).length - 1, p.count, `${module}: the rewrite is in place`);
    }
    assert.match(patched, REFUSAL);
  }
  assert.equal(chevrotainModule(path.join(root, 'server', 'src', 'core', 'syntax', 'parser.ts')), undefined);
});

test('a Chevrotain module whose text changed fails the patch, naming the module and the file to update', () => {
  const lexer = path.join(chevrotainSrc, 'scan', 'lexer_public.js');
  const once = readFileSync(lexer, 'utf8').replace('if (this.config.skipValidations === false) {', 'if (!this.config.skipValidations) {');
  assert.throws(() => patchChevrotainModule('scan/lexer_public.js', once), (e: Error) => {
    assert.match(e.message, /expected 2 × .* in chevrotain\/lib\/src\/scan\/lexer_public\.js, found 1/);
    assert.match(e.message, /scripts\/chevrotain-without-checks\.mjs/);
    return true;
  });
});

test('a build where the patched modules never load fails instead of keeping the checks unnoticed', async () => {
  await assert.rejects(
    build({ stdin: { contents: 'console.log(1)' }, bundle: true, write: false, logLevel: 'silent', plugins: [chevrotainWithoutChecks] }),
    /parse\/parser\/parser\.js.*never loaded/s,
  );
});

/** Bundles a small program over the language core (as scripts/build.mjs bundles the server) and runs it. */
async function runBundled(dir: string, name: string, plugins: Plugin[]): Promise<{ size: number; out: { docs: unknown; selfCheck: string[]; validate: string } }> {
  const outfile = path.join(dir, `${name}.js`);
  const contents = `
    import { readFileSync, readdirSync } from 'node:fs';
    import { createSyntax, grammarSelfCheck } from './server/src/core/syntax/parser.ts';
    const syntax = createSyntax();
    const texts = readdirSync('examples').filter((f) => f.endsWith('.mq')).sort().map((f) => readFileSync('examples/' + f, 'utf8'));
    texts.push('SELECT TOTAL_TRAFFIC_COUNT BY DAY WHERE channelCode = SMS AND', 'SELEC x WHERE (', '/* open');
    let validate = 'no error';
    try { createSyntax({ validate: true }); } catch (e) { validate = String(e); }
    console.log(JSON.stringify({ docs: texts.map((t) => syntax.parseDocument(t)), selfCheck: grammarSelfCheck(), validate }));
  `;
  await build({
    stdin: { contents, resolveDir: root, loader: 'ts' },
    bundle: true, platform: 'node', target: 'node20', format: 'cjs', minify: true, legalComments: 'none', logLevel: 'warning',
    absWorkingDir: root, outfile, plugins,
  });
  const r = spawnSync(process.execPath, [outfile], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(r.status, 0, r.stderr);
  return { size: readFileSync(outfile).length, out: JSON.parse(r.stdout) };
}

test('a bundle without the checks parses every example and broken text exactly like one with them, and refuses to run the checks', async () => {
  assert.ok(readdirSync(path.join(root, 'examples')).some((f) => f.endsWith('.mq')));
  const dir = mkdtempSync(path.join(tmpdir(), 'mq-nochecks-'));
  try {
    const full = await runBundled(dir, 'full', []);
    const lean = await runBundled(dir, 'lean', [chevrotainWithoutChecks]);
    assert.deepEqual(lean.out.docs, full.out.docs);
    assert.deepEqual(full.out.selfCheck, [], 'the grammar passes the checks when they are bundled');
    assert.equal(full.out.validate, 'no error');
    assert.equal(lean.out.selfCheck.length, 1);
    assert.match(lean.out.selfCheck[0]!, REFUSAL);
    assert.match(lean.out.validate, REFUSAL);
    assert.ok(full.size - lean.size > 12_000, `the plugin saves ${full.size - lean.size} bytes`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
