// A tiny test runner that VS Code loads as `extensionTestsPath` (what mocha's tdd UI would be, reduced to
// what these tests use). VS Code calls run(); its promise settles the exit code (0 when it resolves).
// Results are also written as JSON to $MQ_E2E_EXTHOST_RESULTS, because log lines reach the driver with
// their placeholders unformatted.
import { writeFileSync } from 'node:fs';
import { tests } from './harness.js';
import './suite.js';

export async function run(): Promise<void> {
  const grep = process.env.MQ_E2E_GREP ? new RegExp(process.env.MQ_E2E_GREP, 'i') : null;
  const out: { name: string; ok: boolean; ms: number; error?: string }[] = [];
  for (const t of tests) {
    if (grep && !grep.test(`extension host: ${t.name}`)) continue;
    const t0 = Date.now();
    try {
      await withTimeout(t.fn(), t.timeout, t.name);
      out.push({ name: t.name, ok: true, ms: Date.now() - t0 });
      console.log(`ok - ${t.name}`);
    } catch (e) {
      const error = e instanceof Error ? (e.stack ?? e.message) : String(e);
      out.push({ name: t.name, ok: false, ms: Date.now() - t0, error });
      console.log(`not ok - ${t.name}: ${error}`);
    }
  }
  const file = process.env.MQ_E2E_EXTHOST_RESULTS;
  if (file) writeFileSync(file, JSON.stringify(out, null, 2));
  const failed = out.filter((r) => !r.ok).length;
  if (failed) throw new Error(`${failed} extension-host test(s) failed`);
}

function withTimeout<T>(p: Promise<T>, ms: number, name: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`"${name}" timed out after ${ms} ms`)), ms);
    p.then((v) => { clearTimeout(timer); resolve(v); }, (e) => { clearTimeout(timer); reject(e); });
  });
}
