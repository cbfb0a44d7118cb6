// The npm tarball as a user gets it: `npm pack`, install the .tgz into an empty folder without the network,
// then `npx mq check` and `npx mq compile` an example from there. The bundles carry everything they need, so
// the installed package has no dependencies. Needs `npm run build` first (npm test runs it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const NOW = '2026-11-27T10:00:00Z';

/** PATH with this Node first and no node_modules/.bin, so `mq` can only come from the installed tarball. */
function isolatedEnv(cache: string): NodeJS.ProcessEnv {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter((d) => d && !d.endsWith(path.join('node_modules', '.bin')));
  return {
    ...process.env,
    PATH: [path.dirname(process.execPath), ...dirs].join(path.delimiter),
    npm_config_cache: cache,
    npm_config_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_loglevel: 'error',
  };
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.error, undefined, `${cmd} ${args.join(' ')} could not start: ${r.error}`);
  return r;
}

function ok(r: SpawnSyncReturns<string>, what: string): string {
  assert.equal(r.status, 0, `${what} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

type PackInfo = { filename: string; size: number; files: { path: string }[] };

test('the packed tarball installs offline into an empty folder and `npx mq` checks and compiles an example there', () => {
  assert.ok(existsSync(path.join(root, 'dist', 'cli.js')), 'dist/cli.js is missing: run `npm run build` first');
  const tmp = mkdtempSync(path.join(tmpdir(), 'mq-pack-'));
  try {
    const env = isolatedEnv(path.join(tmp, 'npm-cache'));
    const packOut = ok(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', tmp], root, env), 'npm pack');
    const [info] = JSON.parse(packOut.slice(packOut.indexOf('['))) as PackInfo[];
    const files = info!.files.map((f) => f.path).sort();
    for (const needed of ['dist/cli.js', 'dist/relay.js', 'dist/server.js', 'examples/sms-delivery.mq', 'package.json', 'README.md', 'LICENSE', 'CHANGELOG.md']) {
      assert.ok(files.includes(needed), `the tarball holds ${needed}`);
    }
    const stray = files.filter((f) => /^(test|server|client|scripts|node_modules|reference|docs)\/|\.ts$|^dist\/(client|engine)\.js$|^dist\/(webview|renderer)\//.test(f));
    assert.deepEqual(stray, [], 'sources, tests and the extension-only bundles stay out of the npm tarball');
    assert.ok(info!.size < 1_000_000, `the tarball is ${info!.size} bytes; expected well under 1 MB`);

    const user = path.join(tmp, 'user');
    const example = path.join(user, 'sms-delivery.mq');
    mkdirSync(user);
    ok(run('npm', ['init', '-y'], user, env), 'npm init');
    ok(run('npm', ['install', '--offline', '--ignore-scripts', path.join(tmp, info!.filename)], user, env), 'npm install --offline');
    assert.deepEqual(readdirSync(path.join(user, 'node_modules')).filter((d) => !d.startsWith('.')), ['mq'], 'the package pulls in no dependency');
    copyFileSync(path.join(root, 'examples', 'sms-delivery.mq'), example);

    const version = ok(run('npx', ['--no', '--', 'mq', '--version'], user, env), 'npx mq --version');
    assert.match(version, new RegExp(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version.replace(/\./g, '\\.')));
    const checked = run('npx', ['--no', '--', 'mq', 'check', 'sms-delivery.mq'], user, env);
    ok(checked, 'npx mq check');
    assert.match(checked.stderr, /1 file checked, 0 errors/);
    const compiled = ok(run('npx', ['--no', '--', 'mq', 'compile', 'sms-delivery.mq', '--now', NOW], user, env), 'npx mq compile');
    const fromRepo = ok(run(process.execPath, [path.join(root, 'dist', 'cli.js'), 'compile', example, '--now', NOW], user, env), 'mq compile from the repository');
    assert.equal(compiled, fromRepo, 'the installed CLI compiles exactly as the repository build does');
    assert.ok((JSON.parse(compiled) as { request?: { metrics?: unknown[] } }).request?.metrics?.length, 'a request body with metrics');

    writeFileSync(path.join(user, 'broken.mq'), 'SELECT DELIVERD_TRAFFIC_COUNT WHERE channelCode = SMS AND sentSince = now - 1d AND sentUntil = now\n');
    const broken = run('npx', ['--no', '--', 'mq', 'check', 'broken.mq'], user, env);
    assert.equal(broken.status, 1, 'a query with an error exits 1');
    assert.match(broken.stdout + broken.stderr, /unknown-metric/);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
