// Where the bytes of a bundle come from: builds an entry the way scripts/build.mjs does (minified) with
// esbuild's metafile and prints the output bytes per package / source folder.
//
//   node --import tsx scripts/bench/bundle-report.ts server/src/lsp/main.ts [--external vscode] [--top 25]
//     [--main-fields module,main] [--files]   (try another package entry choice; list files instead of packages)
//     [--keep-checks]   (with Chevrotain's self-checks, which scripts/build.mjs leaves out of the bundles below)
//     [--copied-helpers]   (the server entry with tsc's helpers copied per file, as before ts-helpers-once)
import { build, type Plugin } from 'esbuild';
import { chevrotainWithoutChecks } from '../chevrotain-without-checks.mjs';
import { sharedTsHelpers } from '../ts-helpers-once.mjs';

const args = process.argv.slice(2);
const entry = args[0];
if (!entry) throw new Error('usage: bundle-report ENTRY.ts [--external name] [--top N]');
const external = args.flatMap((a, i) => (a === '--external' && args[i + 1] ? [args[i + 1]!] : []));
const topArg = args.indexOf('--top');
const top = topArg >= 0 ? Number(args[topArg + 1]) : 25;
const mfArg = args.indexOf('--main-fields');
const mainFields = mfArg >= 0 ? args[mfArg + 1]!.split(',') : undefined;
const byFile = args.includes('--files');
// The plugins scripts/build.mjs bundles these entries with.
const WITHOUT_CHECKS = ['server/src/lsp/main.ts', 'server/src/cli/main.ts', 'client/src/engine.ts'];
const plugins: Plugin[] = WITHOUT_CHECKS.includes(entry) && !args.includes('--keep-checks') ? [chevrotainWithoutChecks] : [];
if (entry === 'server/src/lsp/main.ts' && !args.includes('--copied-helpers')) plugins.push(sharedTsHelpers);
const res = await build({
  entryPoints: [entry],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  legalComments: 'none',
  write: false,
  metafile: true,
  outfile: 'out.js',
  external,
  ...(mainFields ? { mainFields } : {}),
  plugins,
  logLevel: 'warning',
});
const out = Object.values(res.metafile.outputs)[0]!;
const groups = new Map<string, number>();
for (const [file, info] of Object.entries(out.inputs)) {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  const key = byFile ? file : m ? m[1]! : file.replace(/\/[^/]+$/, '/');
  groups.set(key, (groups.get(key) ?? 0) + info.bytesInOutput);
}
console.log(`${entry}: ${out.bytes} bytes`);
for (const [k, v] of [...groups].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${String(v).padStart(8)}  ${(v / 1024).toFixed(1).padStart(6)} KB  ${k}`);
