// An esbuild plugin that leaves Chevrotain's grammar and lexer self-checks out of a bundle.
//
// mq builds its lexer and parser with `skipValidations: true` everywhere except in the test suite, which runs
// the checks from the sources (grammarSelfCheck in server/src/core/syntax/grammar.ts, with tsx, no bundle).
// The checking code (lexer.js's performRuntimeChecks and validatePatterns, checks.js's grammar validations) is
// still reachable in Chevrotain's modules behind a run-time `skipValidations === false` test, so esbuild keeps
// about 16 KB of it. This plugin rewrites those few tests in the loaded text:
//   - where Chevrotain would run the checks, the bundle throws instead ("this build leaves the checks out"),
//     so asking a bundle for them fails loudly rather than silently passing;
//   - the branch behind it becomes `if (false)`, so esbuild drops it and, with it, the checking functions.
// Each rewrite names the exact text it expects and how often; if a Chevrotain release changes that text, or a
// patched module is never loaded, the build fails with a message saying which patch no longer fits.
import { readFile } from 'node:fs/promises';

const REMOVED = "throw new Error(\"This mq bundle leaves Chevrotain's self-checks out: use skipValidations (npm test runs them).\");";

/** The rewrites, by the module's path under node_modules/chevrotain/lib/src. */
export const PATCHES = [
  {
    module: 'parse/parser/parser.js',
    find: 'if (resolverErrors.length === 0 && this.skipValidations === false) {',
    replace: `if (resolverErrors.length === 0 && this.skipValidations === false) ${REMOVED} if (false) {`,
    count: 1,
  },
  {
    module: 'scan/lexer_public.js',
    find: 'if (this.config.skipValidations === false) {',
    replace: `if (this.config.skipValidations === false) ${REMOVED} if (false) {`,
    count: 2,
  },
  {
    // The LL(k) strategy's own checks, called only from the parser's validation branch above.
    module: 'parse/grammar/llk_lookahead.js',
    find: 'import { validateAmbiguousAlternationAlternatives, validateEmptyOrAlternative, validateNoLeftRecursion, validateSomeNonEmptyLookaheadPath, } from "./checks.js";',
    replace: `const validateAmbiguousAlternationAlternatives = () => { ${REMOVED} }, validateEmptyOrAlternative = validateAmbiguousAlternationAlternatives, validateNoLeftRecursion = validateAmbiguousAlternationAlternatives, validateSomeNonEmptyLookaheadPath = validateAmbiguousAlternationAlternatives;`,
    count: 1,
  },
];

const MODULE_PATH = /[\\/]node_modules[\\/]chevrotain[\\/]lib[\\/]src[\\/](.+\.js)$/;

/** The module path under chevrotain/lib/src for a file path, or undefined for files outside Chevrotain. */
export function chevrotainModule(file) {
  const m = MODULE_PATH.exec(file);
  return m ? m[1].replace(/\\/g, '/') : undefined;
}

/** Applies the patches for `module` to its text; throws when an expected text is missing or found too often. */
export function patchChevrotainModule(module, text) {
  let out = text;
  for (const p of PATCHES.filter((x) => x.module === module)) {
    const found = out.split(p.find).length - 1;
    if (found !== p.count) {
      throw new Error(
        `chevrotain-without-checks: expected ${p.count} × \`${p.find}\` in chevrotain/lib/src/${module}, found ${found}. ` +
          'Chevrotain changed; update the patch in scripts/chevrotain-without-checks.mjs (or drop the plugin from scripts/build.mjs).',
      );
    }
    out = out.split(p.find).join(p.replace);
  }
  return out;
}

/** The esbuild plugin: patches the modules as they load and fails the build if one of them never loaded. */
export const chevrotainWithoutChecks = {
  name: 'chevrotain-without-checks',
  setup(b) {
    const patched = new Set();
    const modules = new Set(PATCHES.map((p) => p.module));
    b.onStart(() => patched.clear());
    b.onLoad({ filter: /[\\/]chevrotain[\\/]lib[\\/]src[\\/].*\.js$/ }, async (args) => {
      const module = chevrotainModule(args.path);
      if (!module || !modules.has(module)) return undefined;
      const contents = patchChevrotainModule(module, await readFile(args.path, 'utf8'));
      patched.add(module);
      return { contents, loader: 'js' };
    });
    b.onEnd((result) => {
      if (result.errors.length > 0) return;
      const missing = [...modules].filter((m) => !patched.has(m));
      if (missing.length > 0) {
        throw new Error(
          `chevrotain-without-checks: chevrotain/lib/src/{${missing.join(', ')}} never loaded, so the self-checks would stay in the bundle. ` +
            'Chevrotain changed; update scripts/chevrotain-without-checks.mjs.',
        );
      }
    });
  },
};
