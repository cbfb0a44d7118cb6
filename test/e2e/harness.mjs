// Drives a real VS Code (code-server from npm, on Node 24) in Debian's Chromium with playwright-core.
// Every process this file starts (code-server and its extension host, stand-in servers) is started in a
// fresh session (setsid, via `detached: true`) and killed as a whole process group; `killAll()` runs on
// normal exit, on failure and on SIGINT/SIGTERM, so no process outlives a run.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, writeFileSync, cpSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toolPaths, node24Env, ROOT } from '../../scripts/e2e/tools.mjs';

export { ROOT };
export const RESULTS_DIR = join(ROOT, 'test-results');

// ---------------------------------------------------------------------------------------------------------
// Process groups

const groups = new Map(); // pgid -> label, while running
const everStarted = new Set(); // every pgid this run created, for the leftover check

export function killGroup(pid, label = '') {
  if (!pid || !groups.has(pid)) return;
  groups.delete(pid);
  try { process.kill(-pid, 'SIGTERM'); } catch { return; }
  // Give it a moment to go, then make sure.
  const until = Date.now() + 1500;
  while (Date.now() < until) {
    try { process.kill(-pid, 0); } catch { return; }
    spawnSync('sleep', ['0.1']);
  }
  // code-server keeps its extension host for a while after SIGTERM: the rest of the group goes with SIGKILL.
  try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ }
}

const finalizers = [];
/** Registers a synchronous step that runs after killAll() when the run is interrupted (e.g. removing temp files). */
export function onInterrupt(fn) { finalizers.push(fn); }

export function killAll() {
  for (const [pid, label] of [...groups]) killGroup(pid, label);
}

let handlersInstalled = false;
function installHandlers() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', killAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      console.error(`[e2e] ${sig}: stopping everything`);
      killAll();
      for (const fn of finalizers) { try { fn(); } catch { /* best effort */ } }
      process.exit(130);
    });
  }
}

/** Starts a command as the leader of a new process group and remembers it for killAll(). */
export function startGroup(cmd, args, { env, cwd, label, logFile } = {}) {
  installHandlers();
  const child = spawn(cmd, args, { env, cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  groups.set(child.pid, label ?? cmd);
  everStarted.add(child.pid);
  let out = '';
  const onData = (d) => { out += d.toString(); if (out.length > 2_000_000) out = out.slice(-1_000_000); };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  child.on('exit', () => { if (logFile) try { writeFileSync(logFile, out); } catch { /* ignore */ } });
  return { child, pid: child.pid, output: () => out, stop: () => { if (logFile) try { writeFileSync(logFile, out); } catch { /* */ } killGroup(child.pid, label); } };
}

/**
 * Live processes this run left behind: members of any process group it started, and anything whose
 * command line mentions `needle` (the run's scratch folder: the browser, code-server and its children).
 */
export function processesLeft(needle) {
  const r = spawnSync('ps', ['-eo', 'pid,pgid,stat,args', '--no-headers'], { encoding: 'utf8' });
  return (r.stdout || '').split('\n').filter((l) => {
    const [pid, pgid, stat] = l.trim().split(/\s+/);
    if (!stat || stat.startsWith('Z') || Number(pid) === process.pid) return false; // zombies are dead already
    return (everStarted.has(Number(pgid)) || l.includes(needle)) && !l.includes('ps -eo');
  });
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function waitFor(what, fn, { timeout = 30_000, interval = 200 } = {}) {
  const until = Date.now() + timeout;
  let last;
  while (Date.now() < until) {
    try { const v = await fn(); if (v) return v; } catch (e) { last = e; }
    await sleep(interval);
  }
  throw new Error(`timed out after ${timeout} ms waiting for ${what}${last ? ` (${last.message})` : ''}`);
}

// ---------------------------------------------------------------------------------------------------------
// A run's scratch space: one temp dir holding profiles, workspaces and logs.

export function makeScratch() {
  const dir = mkdtempSync(join(tmpdir(), 'mq-e2e-'));
  return dir;
}

/** Copies examples/ into a fresh workspace folder (plus extra files) and returns its path. */
export function makeWorkspace(scratch, name, extraFiles = {}) {
  const ws = join(scratch, 'ws', name);
  mkdirSync(ws, { recursive: true });
  const examples = join(ROOT, 'examples');
  if (existsSync(examples)) cpSync(examples, ws, { recursive: true });
  for (const [rel, text] of Object.entries(extraFiles)) {
    mkdirSync(join(ws, rel, '..'), { recursive: true });
    writeFileSync(join(ws, rel), text);
  }
  return ws;
}

export const BASE_SETTINGS = {
  'chat.disableAIFeatures': true,
  'workbench.startupEditor': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'editor.minimap.enabled': false,
  'window.commandCenter': false,
  'editor.accessibilitySupport': 'off',
  'files.autoSave': 'off',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.layoutControl.enabled': false,
  'remote.autoForwardPorts': false,
};

/** Creates a throw-away code-server profile: user-data-dir with settings, an extensions dir, a config. */
export function makeProfile(scratch, name, settings = {}) {
  const base = join(scratch, 'profiles', name);
  const userData = join(base, 'user-data');
  const extensions = join(base, 'extensions');
  const xdg = join(base, 'xdg');
  mkdirSync(join(userData, 'User'), { recursive: true });
  mkdirSync(extensions, { recursive: true });
  for (const d of ['config', 'data', 'cache', 'state']) mkdirSync(join(xdg, d), { recursive: true });
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify({ ...BASE_SETTINGS, ...settings }, null, 2));
  const config = join(base, 'config.yaml');
  writeFileSync(config, 'auth: none\ncert: false\n');
  return { base, userData, extensions, xdg, config, logDir: base };
}

function profileEnv(profile, extra = {}) {
  return node24Env({
    HOME: profile.base,
    XDG_CONFIG_HOME: join(profile.xdg, 'config'),
    XDG_DATA_HOME: join(profile.xdg, 'data'),
    XDG_CACHE_HOME: join(profile.xdg, 'cache'),
    XDG_STATE_HOME: join(profile.xdg, 'state'),
    VSCODE_CLI_DISABLE_UPDATE: '1',
    ...extra,
  });
}

export function installVsix(profile, vsix) {
  const p = toolPaths();
  const r = spawnSync(p.nodeBin, [p.codeServer, '--user-data-dir', profile.userData, '--extensions-dir', profile.extensions,
    '--config', profile.config, '--install-extension', vsix, '--force'], { env: profileEnv(profile), encoding: 'utf8', timeout: 180_000 });
  if (r.status !== 0) throw new Error(`installing ${vsix} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/**
 * Packages the already built extension (dist/) as a .vsix at `dest` with vsce, without running the build
 * again; returns `dest`. Used by `npm run test:e2e` when there is no `package` script, and by the editor bench.
 */
export function packageVsix(dest) {
  const r = spawnSync('npx', ['--no-install', 'vsce', 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license',
    '--no-rewrite-relative-links', '-o', dest], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 });
  if (r.status !== 0 || !existsSync(dest)) throw new Error(`packaging the .vsix failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return dest;
}

/** Starts code-server for `profile` on a free 127.0.0.1 port and waits for /healthz. */
export async function startCodeServer(profile, { extraArgs = [], env = {}, label = 'code-server' } = {}) {
  const p = toolPaths();
  const port = await freePort();
  const args = [p.codeServer, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry',
    '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    '--user-data-dir', profile.userData, '--extensions-dir', profile.extensions, '--config', profile.config, ...extraArgs];
  const proc = startGroup(p.nodeBin, args, { env: profileEnv(profile, env), label, logFile: join(profile.logDir, 'code-server.log') });
  const url = `http://127.0.0.1:${port}`;
  await waitFor('code-server /healthz', async () => {
    if (proc.child.exitCode !== null) throw new Error(`code-server exited ${proc.child.exitCode}:\n${proc.output().slice(-3000)}`);
    const r = await fetch(`${url}/healthz`).catch(() => null);
    return r && r.ok;
  }, { timeout: 60_000, interval: 250 });
  return { ...proc, port, url };
}

// ---------------------------------------------------------------------------------------------------------
// The browser

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

export function playwright() {
  const req = createRequire(join(toolPaths().csDir, 'package.json'));
  return req('playwright-core');
}

export async function launchBrowser(scratch, name) {
  const { chromium } = playwright();
  const dir = join(scratch, 'chromium', name);
  const home = join(scratch, 'chromium', `${name}-home`);
  mkdirSync(dir, { recursive: true });
  mkdirSync(home, { recursive: true });
  const context = await chromium.launchPersistentContext(dir, {
    // Whatever the browser writes under HOME/XDG folders stays in the scratch folder.
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_CACHE_HOME: join(home, 'cache') },
    executablePath: toolPaths().chromium,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 900 },
    // Let the tests use the clipboard (Copy Request as cURL) like a user would.
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  return context;
}

export { readFileSync, rmSync };
