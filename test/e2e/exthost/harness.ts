// test() registry and small helpers for the extension-host tests. The suite is written once for two runners:
// under code-server (npm run test:e2e) index.ts runs the registry; under @vscode/test-cli (npm run test:vscode)
// mocha has defined its global `it` before loading the suite, and each test() registers with mocha instead.
export interface TestCase { name: string; fn: () => Promise<void>; timeout: number }
export const tests: TestCase[] = [];
type MochaIt = (name: string, fn: (this: { timeout(ms: number): void }) => Promise<void>) => void;
export function test(name: string, fn: () => Promise<void>, timeout = 60_000): void {
  const mochaIt = (globalThis as { it?: MochaIt }).it;
  if (typeof mochaIt === 'function') {
    mochaIt(name, async function () {
      this.timeout(timeout);
      await fn();
    });
    return;
  }
  tests.push({ name, fn, timeout });
}
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
export async function eventually<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, timeout = 30_000): Promise<T> {
  const until = Date.now() + timeout;
  let last: unknown;
  while (Date.now() < until) {
    try { const v = await fn(); if (v) return v; } catch (e) { last = e; }
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
}
