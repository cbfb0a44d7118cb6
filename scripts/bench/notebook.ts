// Notebook figures for the bench: Run All of a 20-cell notebook on sample data (the headless runner, the
// same engine as the extension's kernel), and the notebook renderer's first paint of a 10,000-row output.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseNotebook, type Notebook } from '../../server/src/notebook/format.js';
import { runNotebook } from '../../server/src/notebook/runner.js';
import { catalog } from '../../server/src/core/catalog/data.js';
import { createMq } from '../../server/src/core/index.js';

const mq = createMq({ catalog });
import { median } from './stats.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');

/** Twenty mq cells: the example report's queries, repeated. */
function twentyCells(): Notebook {
  const example = parseNotebook(readFileSync(join(ROOT, 'examples/weekly-report.mqnb'), 'utf8'));
  const queries = example.cells.filter((c) => c.kind === 'mq').map((c) => c.source);
  return { cells: Array.from({ length: 20 }, (_v, i) => ({ kind: 'mq' as const, source: queries[i % queries.length]! })) };
}

export async function measureNotebook(runs: number): Promise<{ runAllMs: number; firstPaintMs: number; runAllNote: string; paintNote: string }> {
  await runNotebook(twentyCells(), { mq, runOptions: {} }); // warm-up: the sample dataset is built on first use
  const times: number[] = [];
  let queries = 0;
  for (let i = 0; i < runs; i++) {
    const nb = twentyCells();
    const t0 = performance.now();
    const s = await runNotebook(nb, { mq, runOptions: {} });
    times.push(performance.now() - t0);
    if (s.succeeded !== 20) throw new Error(`only ${s.succeeded} of 20 cells succeeded`);
    queries = nb.cells.reduce((n, c) => n + (c.outputs?.length ?? 0), 0);
  }
  const { startRendererServer, openRendererPage, render } = await import('../../test/notebook-harness/renderer.js');
  const { launchChromium } = await import('../../test/webview-harness/harness.js');
  const { bigPayload } = await import('../../test/webview-harness/fixtures.js');
  const server = await startRendererServer();
  const browser = await launchChromium();
  const paints: number[] = [];
  try {
    const payload = bigPayload(10_000);
    for (let i = 0; i < runs + 1; i++) {
      const { page } = await openRendererPage(browser, server.origin);
      const ms = await render(page, 'o', payload);
      if (i > 0) paints.push(ms); // the first page warms up the browser
      await page.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return {
    runAllMs: median(times),
    firstPaintMs: median(paints),
    runAllNote: `20 cells, ${queries} queries, sample data (embedded stand-in, 100 ms processing per query); runs ${times.map((t) => t.toFixed(0)).join(', ')} ms`,
    paintNote: `renderOutputItem to the next frame; runs ${paints.map((t) => t.toFixed(0)).join(', ')} ms`,
  };
}
