// Runs the extension-host tests inside code-server, as @vscode/test-electron would inside desktop VS Code:
// code-server starts with the smoke-test driver enabled; the browser opens the workbench with a payload
// naming the extension under development (this repository) and the bundled test runner; the exit code
// arrives through window.codeAutomationExit, and the per-test results through a JSON file.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

export async function runExtensionHostTests({ H, scratch, grep }) {
  const root = H.ROOT;
  const outFile = join(root, 'out', 'e2e', 'exthost', 'index.js');
  await build({
    entryPoints: [join(root, 'test', 'e2e', 'exthost', 'index.ts')], outfile: outFile, bundle: true, platform: 'node',
    format: 'cjs', target: 'node20', external: ['vscode'], logLevel: 'warning', sourcemap: 'inline',
  });
  // MQ_E2E_EXTENSION_DIR: load the extension under test from another folder (debugging the harness).
  const extDir = process.env.MQ_E2E_EXTENSION_DIR || root;
  if (!existsSync(join(extDir, 'dist', 'client.js'))) throw new Error('dist/client.js does not exist: the extension client is not built');

  const profile = H.makeProfile(scratch, 'exthost');
  const ws = H.makeWorkspace(scratch, 'exthost');
  const resultsFile = join(scratch, 'exthost-results.json');
  const cs = await H.startCodeServer(profile, {
    extraArgs: ['--vscode-option', 'enable-smoke-test-driver'],
    env: { MQ_E2E_EXTHOST_RESULTS: resultsFile, ...(grep ? { MQ_E2E_GREP: grep.source } : {}) },
    label: 'code-server (extension host tests)',
  });
  const context = await H.launchBrowser(scratch, 'exthost');
  try {
    const remote = (p) => `vscode-remote://127.0.0.1:${cs.port}${p}`;
    const payload = [['extensionDevelopmentPath', remote(extDir)], ['extensionTestsPath', remote(outFile)]];
    let exitCode = null;
    const logs = [];
    await context.exposeFunction('codeAutomationExit', (code) => { exitCode = code; });
    await context.exposeFunction('codeAutomationLog', (level, msg) => { logs.push(`${level}: ${msg}`); });
    const page = await context.newPage();
    await page.goto(`${cs.url}/?folder=${encodeURIComponent(ws)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    await H.waitFor('the extension-host tests to finish', () => exitCode !== null, { timeout: 180_000, interval: 250 });
    if (!existsSync(resultsFile)) {
      throw new Error(`extension-host tests exited ${exitCode} without writing results; log:\n${logs.slice(-40).join('\n')}\n${cs.output().slice(-3000)}`);
    }
    const tests = JSON.parse(readFileSync(resultsFile, 'utf8'));
    if (exitCode !== 0 && tests.every((t) => t.ok)) tests.push({ name: 'runner exit code', ok: false, ms: 0, error: new Error(`exit ${exitCode}`) });
    return { exitCode, tests };
  } finally {
    await context.close().catch(() => {});
    cs.stop();
  }
}
