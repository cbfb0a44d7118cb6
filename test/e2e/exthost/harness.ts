// test() registry and small helpers for the extension-host tests.
export interface TestCase { name: string; fn: () => Promise<void>; timeout: number }
export const tests: TestCase[] = [];
export function test(name: string, fn: () => Promise<void>, timeout = 60_000): void {
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
