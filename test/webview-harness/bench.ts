// Measurement hooks for the webview benchmark: first paint of a large result and scroll frame times.
//
//   import { measureWebview } from './test/webview-harness/bench.js';
//   const m = await measureWebview({ rows: 100_000 });
//
// It builds the page (npm run build first), posts one result, and reads the webview's own
// performance marks: mq:result-received → mq:result-parsed → mq:result-rendered → mq:result-painted
// (the first frame after rendering). Then it scrolls the grid one step per animation frame and
// records each frame's duration, plus the long tasks seen meanwhile.
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openWebview, startHarnessServer, postResult } from './harness.js';
import { bigPayload } from './fixtures.js';

export interface WebviewMeasurement {
  rows: number;
  payloadBytes: number;
  /** message received → parsed (ms) */
  parseMs: number;
  /** message received → DOM built (ms) */
  renderMs: number;
  /** message received → first frame painted after rendering (ms) */
  firstPaintMs: number;
  /** per-frame durations while scrolling (ms) */
  scroll: { frames: number; p50: number; p95: number; max: number; longTasks: number; pxPerFrame: number };
  /** row elements in the DOM after scrolling (virtual scrolling keeps this small) */
  domRows: number;
}

/** What installScrollFrames() puts on the page's window. */
export interface ScrollFramesWindow {
  /**
   * Scrolls #grid by `step` px once per animation frame for `frames` frames. Gives each frame's interval
   * (ms) and, with `timeWork`, how long each scroll and the layout it forces took (without, no layout is forced).
   */
  mqScrollFrames(frames: number, step: number, timeWork: boolean): Promise<{ durations: number[]; work: number[] }>;
}

/** Defines window.mqScrollFrames in the page, for the benchmark and scripts/bench/webview-probe.ts. */
export async function installScrollFrames(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as ScrollFramesWindow).mqScrollFrames = async (frames, step, timeWork) => {
      const grid = document.getElementById('grid')!;
      const durations: number[] = [];
      const work: number[] = [];
      await new Promise<void>((resolve) => {
        let last = performance.now();
        let n = 0;
        const tick = (now: number): void => {
          if (n > 0) durations.push(now - last);
          last = now;
          if (n++ >= frames) return resolve();
          const t0 = performance.now();
          grid.scrollTop += step;
          if (timeWork) {
            void grid.offsetHeight; // force the layout the scroll causes, to time it
            work.push(performance.now() - t0);
          }
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      });
      return { durations, work };
    };
  });
}

function pct(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export async function measureWebview(opts: { rows?: number; scrollFrames?: number; pxPerFrame?: number; browser?: Browser } = {}): Promise<WebviewMeasurement> {
  const rows = opts.rows ?? 100_000;
  const frames = opts.scrollFrames ?? 180;
  const step = opts.pxPerFrame ?? 2400;
  const server = await startHarnessServer();
  const browser = opts.browser ?? (await launchChromium());
  try {
    const { page } = await openWebview(browser, server);
    const payload = bigPayload(rows);
    await postResult(page, payload);
    const marks = await page.evaluate(() => {
      const t = (n: string): number => performance.getEntriesByName(n)[0]?.startTime ?? NaN;
      const r = t('mq:result-received');
      return { parse: t('mq:result-parsed') - r, render: t('mq:result-rendered') - r, paint: t('mq:result-painted') - r };
    });
    await installScrollFrames(page);
    const scroll = await page.evaluate(async ({ frames, step }) => {
      let longTasks = 0;
      const obs = new PerformanceObserver((l) => { longTasks += l.getEntries().length; });
      try { obs.observe({ type: 'longtask', buffered: false }); } catch { /* not supported */ }
      const { durations } = await (window as unknown as ScrollFramesWindow).mqScrollFrames(frames, step, false);
      obs.disconnect();
      return { durations, longTasks, domRows: document.querySelectorAll('.grid-body .grid-row').length };
    }, { frames, step });
    const sorted = scroll.durations.slice().sort((a, b) => a - b);
    return {
      rows,
      payloadBytes: Buffer.byteLength(payload),
      parseMs: Math.round(marks.parse * 10) / 10,
      renderMs: Math.round(marks.render * 10) / 10,
      firstPaintMs: Math.round(marks.paint * 10) / 10,
      scroll: {
        frames: sorted.length,
        p50: Math.round(pct(sorted, 50) * 100) / 100,
        p95: Math.round(pct(sorted, 95) * 100) / 100,
        max: Math.round((sorted[sorted.length - 1] ?? 0) * 100) / 100,
        longTasks: scroll.longTasks,
        pxPerFrame: step,
      },
      domRows: scroll.domRows,
    };
  } finally {
    if (!opts.browser) await browser.close();
    await server.close();
  }
}

// `node --import tsx test/webview-harness/bench.ts [rows]` prints one measurement as JSON.
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const n = Number(process.argv[2] ?? 100_000);
  measureWebview({ rows: n }).then((m) => console.log(JSON.stringify(m, null, 2)), (e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
