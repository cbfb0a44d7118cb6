// `npm start`: the main job, end to end.
//   1. builds the bundles and runs a sample query from examples/ with the CLI (sample data unless
//      INFOBIP_BASE_URL and INFOBIP_API_KEY are set), so you see a real result table in the terminal;
//   2. packages the extension (.vsix) and opens VS Code on examples/ with it installed:
//      the desktop `code` command when there is one, otherwise a local code-server in the browser
//      (installed once into .tools/, the same tools the end-to-end tests use).
// Flags: --no-editor (stop after step 1), --port N (code-server port, default 8080).
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: flags } = parseArgs({
  options: { 'no-editor': { type: 'boolean', default: false }, port: { type: 'string', default: '8080' }, help: { type: 'boolean', default: false } },
});
if (flags.help) {
  console.log('Usage: npm start [-- --no-editor] [-- --port 8080]');
  process.exit(0);
}

function step(title, cmd, args, opts = {}) {
  console.log(`\n== ${title}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    console.error(`\n${title} failed (exit ${r.status}). Fix the error above and run npm start again.`);
    process.exit(r.status || 1);
  }
}

step('Building', process.execPath, ['scripts/build.mjs']);
step('Checking the examples', process.execPath, ['dist/cli.js', 'check', ...['sms-delivery.mq', 'email-engagement.mq', 'whatsapp-conversations.mq'].map((f) => join('examples', f))]);
step('Running examples/sms-delivery.mq', process.execPath, ['dist/cli.js', 'run', 'examples/sms-delivery.mq', '--format', 'table']);

if (flags['no-editor'] || process.env.CI) {
  console.log('\nDone (editor not started: --no-editor or CI).');
  process.exit(0);
}

step('Packaging the extension', 'npm', ['run', '--silent', 'package']);
const vsix = join(root, 'mq.vsix');

const hasCode = spawnSync('code', ['--version'], { stdio: 'ignore' }).status === 0;
if (hasCode) {
  step('Installing the extension into VS Code', 'code', ['--install-extension', vsix, '--force']);
  step('Opening examples/ in VS Code', 'code', [join(root, 'examples')]);
  console.log('\nVS Code is open on examples/. Open a .mq file and press Ctrl+Enter (Cmd+Enter on macOS) to run a query.');
  process.exit(0);
}

console.log('\n== No desktop `code` command: starting code-server (first run installs it into .tools/, a few minutes)');
const { ensureTools, node24Env } = await import('./e2e/tools.mjs');
const tools = ensureTools();
const profile = join(root, '.tools', 'start-profile');
const userData = join(profile, 'user-data');
const extensions = join(profile, 'extensions');
mkdirSync(join(userData, 'User'), { recursive: true });
mkdirSync(extensions, { recursive: true });
const settingsFile = join(userData, 'User', 'settings.json');
if (!existsSync(settingsFile)) {
  writeFileSync(settingsFile, JSON.stringify({ 'chat.disableAIFeatures': true, 'telemetry.telemetryLevel': 'off', 'extensions.autoUpdate': false }, null, 2));
}
const config = join(profile, 'config.yaml');
writeFileSync(config, 'auth: none\ncert: false\n');
const env = node24Env({ XDG_CONFIG_HOME: join(profile, 'xdg-config'), XDG_DATA_HOME: join(profile, 'xdg-data') });
const common = ['--user-data-dir', userData, '--extensions-dir', extensions, '--config', config];
step('Installing the extension into code-server', tools.nodeBin, [tools.codeServer, ...common, '--install-extension', vsix, '--force'], { env });
const port = flags.port;
const child = spawn(
  tools.nodeBin,
  [tools.codeServer, ...common, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', join(root, 'examples')],
  { env, stdio: 'inherit', detached: true },
);
const stop = () => {
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    /* already gone */
  }
};
process.on('SIGINT', () => {
  stop();
  process.exit(0);
});
process.on('SIGTERM', () => {
  stop();
  process.exit(0);
});
console.log(`\nVS Code (code-server) with the mq extension: http://127.0.0.1:${port}/?folder=${encodeURIComponent(join(root, 'examples'))}`);
console.log('Open a .mq file and press Ctrl+Enter to run a query on the sample data. Stop with Ctrl+C.');
child.on('exit', (code) => process.exit(code ?? 0));
