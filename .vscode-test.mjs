// @vscode/test-cli configuration: `npm run test:vscode` runs the extension-host suite (test/e2e/exthost/suite.ts,
// bundled to out/vscode-test/suite.js by the npm script) inside desktop VS Code, which @vscode/test-electron
// downloads on first use. Where VS Code cannot be downloaded (this project's CI), `npm run test:e2e` runs the
// same suite in code-server instead. `npx vscode-test --list-configuration` shows what would run.
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@vscode/test-cli';

const root = dirname(fileURLToPath(import.meta.url));
// The suite writes .mq files into the first workspace folder: give it a fresh copy of the examples.
const workspaceFolder = join(root, 'out', 'vscode-test', 'workspace');
rmSync(workspaceFolder, { recursive: true, force: true });
mkdirSync(workspaceFolder, { recursive: true });
cpSync(join(root, 'examples'), workspaceFolder, { recursive: true });

export default defineConfig({
  label: 'extension host',
  files: 'out/vscode-test/suite.js',
  version: 'stable',
  extensionDevelopmentPath: root,
  workspaceFolder,
  launchArgs: ['--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
  mocha: { ui: 'bdd', timeout: 60_000 },
});
