// `npm run test:e2e`: real VS Code end-to-end tests.
//   1. tools (cached in .tools/): Debian chromium + build deps, Node 24, code-server, playwright-core;
//   2. build and package the extension (.vsix) and install it into a throw-away extensions dir;
//   3. UI scenarios (test/e2e/scenarios.mjs): each gets a fresh code-server profile and workspace copy of
//      examples/, is driven in Debian's Chromium, and leaves a screenshot in test-results/;
//   4. extension-host tests (test/e2e/exthost/*.ts) run inside VS Code through the smoke-test driver;
//   5. every process group started is killed, and `ps` must show nothing left over.
// Prints `N passed, N failed` last and exits non-zero on any failure.
// Options: --grep <regex> (only matching tests), --no-exthost, --no-ui, --keep (keep the temp dir).
// Environment: MQ_E2E_VSIX=<file> tests that .vsix instead of building and packaging one.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ensureTools, ROOT } from './tools.mjs';

const argv = process.argv.slice(2);
const opt = (name) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
const grep = opt('--grep') ? new RegExp(opt('--grep'), 'i') : null;
const keep = argv.includes('--keep');
const t0 = Date.now();
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
const results = []; // { name, ok, ms, error }

function record(name, ok, ms, error) {
  results.push({ name, ok, ms, error });
  console.log(`${ok ? 'ok' : 'not ok'} - ${name} (${secs(ms)})${ok ? '' : `\n    ${String(typeof error === 'string' ? error : error?.stack ?? error).split('\n').join('\n    ')}`}`);
}

function finish() {
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  console.log(`\n[e2e] total ${secs(Date.now() - t0)}; screenshots in test-results/`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 || results.length === 0 ? 1 : 0;
}

// 1. Tools --------------------------------------------------------------------------------------------------
let tools;
try {
  tools = ensureTools();
  console.log(`[e2e] tools ${tools.cached ? 'cached' : 'installed'} (${secs(tools.ms)})`);
} catch (e) {
  record('tools install', false, Date.now() - t0, e);
  finish();
  process.exit();
}

// The harness imports playwright-core from .tools, so load it only now.
const H = await import('../../test/e2e/harness.mjs');
const { scenarios } = await import('../../test/e2e/scenarios.mjs');
const { runExtensionHostTests } = await import('../../test/e2e/exthost/run.mjs');

// A hung browser or server must not hold CI: past this budget everything is killed and the run fails.
const BUDGET_MS = Number(process.env.MQ_E2E_BUDGET_MS || 25 * 60_000);
setTimeout(() => {
  console.error(`[e2e] the run exceeded its ${Math.round(BUDGET_MS / 60_000)} min budget: stopping everything`);
  H.killAll();
  record('run finished within its budget', false, Date.now() - t0, new Error('timed out'));
  finish();
  process.exit(1);
}, BUDGET_MS).unref();

const scratch = H.makeScratch();
console.log(`[e2e] scratch dir ${scratch}`);
if (!keep) H.onInterrupt(() => rmSync(scratch, { recursive: true, force: true }));
mkdirSync(H.RESULTS_DIR, { recursive: true });

// 2. Build + package + install -------------------------------------------------------------------------------
function buildAndPackage() {
  // MQ_E2E_VSIX: test a .vsix built elsewhere instead (debugging the harness, checking a release).
  if (process.env.MQ_E2E_VSIX) return process.env.MQ_E2E_VSIX;
  const tb = Date.now();
  const b = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
  if (b.status !== 0) throw new Error(`npm run build failed:\n${b.stdout}\n${b.stderr}`);
  if (argv.includes('--no-ui')) return null; // the extension-host tests load the built folder, not a .vsix
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const vsix = join(scratch, 'mq.vsix');
  let p;
  if (pkg.scripts?.package) {
    p = spawnSync('npm', ['run', 'package'], { cwd: ROOT, encoding: 'utf8' });
    const made = join(ROOT, 'mq.vsix');
    if (p.status === 0 && existsSync(made) && statSync(made).mtimeMs >= tb) {
      writeFileSync(vsix, readFileSync(made));
      return vsix;
    }
  }
  return H.packageVsix(vsix);
}

let vsix;
let extensionsDir = null;
let setupError = null;
{
  const ts = Date.now();
  try {
    vsix = buildAndPackage();
    if (!vsix) throw Object.assign(new Error('skipped'), { skipped: true });
    const shared = H.makeProfile(scratch, 'install');
    H.installVsix(shared, vsix);
    extensionsDir = shared.extensions;
    const installed = readdirSync(extensionsDir).filter((d) => !d.startsWith('.') && d !== 'extensions.json');
    console.log(`[e2e] built, packaged and installed ${installed.join(', ')} (${secs(Date.now() - ts)})`);
  } catch (e) {
    if (e.skipped) {
      console.log(`[e2e] built (${secs(Date.now() - ts)}); no .vsix needed without UI scenarios`);
    } else {
      setupError = e;
      console.log(`[e2e] build/package/install failed (${secs(Date.now() - ts)}): every test that needs the extension fails`);
      console.log(String(e.message).split('\n').slice(0, 30).join('\n'));
    }
  }
}

// 3. UI scenarios --------------------------------------------------------------------------------------------
const selected = scenarios.filter((s) => !grep || grep.test(s.name));
let browser = null;
if (!argv.includes('--no-ui')) {
  for (const sc of selected) {
    const ts = Date.now();
    if (setupError) { record(sc.name, false, 0, new Error(`extension not built: ${setupError.message.split('\n')[0]}`)); continue; }
    let cs = null;
    let page = null;
    const ctx = { H, scratch, cleanups: [] };
    try {
      if (!browser) browser = await H.launchBrowser(scratch, 'ui');
      const prep = sc.prepare ? await sc.prepare(ctx) : {};
      const id = sc.name.split(':')[0].replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase();
      // Screenshots of an earlier run of this scenario go, so test-results/ shows only this run.
      for (const f of readdirSync(H.RESULTS_DIR)) if (f === `${id}.png` || f.startsWith(`${id}-`)) rmSync(join(H.RESULTS_DIR, f), { force: true });
      const profile = H.makeProfile(scratch, id, prep.settings ?? {});
      profile.extensions = extensionsDir;
      const ws = H.makeWorkspace(scratch, id, prep.files ?? {});
      cs = await H.startCodeServer(profile, { label: `code-server (${sc.name})` });
      page = await browser.newPage();
      const { Workbench } = await import('../../test/e2e/workbench.mjs');
      const wb = new Workbench(page, id);
      Object.assign(ctx, { wb, page, ws, profile, cs, ...prep });
      await wb.open(cs.url, ws);
      try {
        await sc.run(ctx);
        await wb.screenshot();
      } catch (e) {
        await wb.screenshot('FAILED').catch(() => {});
        throw e;
      }
      record(sc.name, true, Date.now() - ts);
    } catch (e) {
      if (cs) e.message += keep ? `\n    code-server log: ${join(ctx.profile?.logDir ?? scratch, 'code-server.log')}` : '\n    (re-run with --keep to keep the logs)';
      record(sc.name, false, Date.now() - ts, e);
    } finally {
      await page?.close().catch(() => {});
      cs?.stop();
      for (const c of ctx.cleanups.reverse()) await Promise.resolve().then(c).catch(() => {});
    }
  }
}
await browser?.close().catch(() => {});

// 4. Extension-host tests ------------------------------------------------------------------------------------
if (!argv.includes('--no-exthost')) {
  const ts = Date.now();
  try {
    // A stale dist/ from an earlier build must not pass for this one.
    if (setupError && !/packag|install/i.test(setupError.message.split('\n')[0])) throw new Error(`extension not built: ${setupError.message.split('\n')[0]}`);
    const r = await runExtensionHostTests({ H, scratch, grep });
    for (const t of r.tests) record(`extension host: ${t.name}`, t.ok, t.ms, t.error);
    if (r.tests.length === 0 && !grep) record('extension host: tests ran', false, Date.now() - ts, new Error('no test reported'));
  } catch (e) {
    if (!grep || grep.test('extension host')) record('extension host: suite', false, Date.now() - ts, e);
  }
}

// 5. Teardown: nothing may be left running -------------------------------------------------------------------
H.killAll();
{
  const left = await H.waitFor('no leftover processes', () => H.processesLeft(scratch).length === 0, { timeout: 5000 })
    .then(() => []).catch(() => H.processesLeft(scratch));
  if (left.length) record('teardown leaves no process behind', false, 0, new Error(`still running:\n${left.join('\n')}`));
  else console.log('[e2e] teardown: no process left behind');
}
if (!keep) rmSync(scratch, { recursive: true, force: true });
finish();
