// Where scroll frames go in the results webview: scrolls the 100,000-row grid like the benchmark and
// reads Chromium's Long Animation Frame entries (script, style/layout and render time per slow frame).
//
//   node --import tsx scripts/bench/webview-probe.ts [frames] [pxPerFrame] [--css 'extra CSS rules']
// --css injects a style sheet after the page's own (to try a layout change before proposing it).
// --trace records a Chromium trace (devtools.timeline) while scrolling and prints the main thread's time per
// frame by phase (animation-frame script, style, layout, pre-paint, paint, layerize, commit): long frames
// are usually one of these growing, and this is what showed the per-row compositor layers.
// --parse instead times three ways to parse the 100,000-row payload in the page: plain JSON.parse, JSON.parse
// with a source-text reviver (what model.ts does when a 16-digit run is present), and quoting 16+-digit
// integers outside strings first, then plain JSON.parse.
import { launchChromium, openWebview, postResult, startHarnessServer } from '../../test/webview-harness/harness.js';
import { bigPayload } from '../../test/webview-harness/fixtures.js';
import { installScrollFrames, type ScrollFramesWindow } from '../../test/webview-harness/bench.js';

const frames = Number(process.argv[2] ?? 180);
const step = Number(process.argv[3] ?? 2400);
const cssArg = process.argv.indexOf('--css');
const extraCss = cssArg >= 0 ? process.argv[cssArg + 1] : undefined;
const server = await startHarnessServer();
const browser = await launchChromium();
try {
  const { page } = await openWebview(browser, server);
  if (process.argv.includes('--parse')) {
    const times = await page.evaluate((text) => {
      const t = (fn: () => unknown): number => {
        const t0 = performance.now();
        fn();
        return Math.round(performance.now() - t0);
      };
      type Reviver = (k: string, v: unknown, ctx?: { source?: string }) => unknown;
      const out: Record<string, number[]> = { plain: [], reviver: [], quoted: [] };
      for (let i = 0; i < 3; i++) {
        out.plain!.push(t(() => JSON.parse(text)));
        out.reviver!.push(t(() => (JSON.parse as (s: string, r: Reviver) => unknown)(text, (_k, v, ctx) =>
          typeof v === 'number' && !Number.isSafeInteger(v) && Number.isInteger(v) && ctx && typeof ctx.source === 'string' ? BigInt(ctx.source) : v)));
        out.quoted!.push(t(() => JSON.parse(text.replace(/"(?:[^"\\]|\\.)*"|-?\d{16,}(?![\d.eE])/g, (m) => (m.charCodeAt(0) === 34 ? m : `"\\u0000${m}"`)))));
      }
      return out;
    }, bigPayload(100_000));
    console.log(JSON.stringify(times));
  } else {
    if (extraCss) {
      // Through the CSSOM: the page's CSP refuses inline <style>.
      await page.evaluate((css) => {
        const sheet = new CSSStyleSheet();
        sheet.replaceSync(css);
        document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
      }, extraCss);
    }
    await postResult(page, bigPayload(100_000));
    const trace = process.argv.includes('--trace');
    if (trace) {
      await page.waitForTimeout(200);
      await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
    }
    await installScrollFrames(page);
    const out = await page.evaluate(async ({ frames, step }) => {
      const loaf: { duration: number; blocking: number; script: number; styleLayout: number; render: number; scripts: string[] }[] = [];
      const obs = new PerformanceObserver((l) => {
        for (const e of l.getEntries() as unknown as {
          duration: number; blockingDuration: number; renderStart: number; styleAndLayoutStart: number; startTime: number;
          scripts: { duration: number; invoker: string; sourceFunctionName: string; forcedStyleAndLayoutDuration: number }[];
        }[]) {
          const end = e.startTime + e.duration;
          loaf.push({
            duration: e.duration,
            blocking: e.blockingDuration,
            script: e.scripts.reduce((s, x) => s + x.duration, 0),
            styleLayout: e.styleAndLayoutStart ? end - e.styleAndLayoutStart : 0,
            render: e.renderStart ? end - e.renderStart : 0,
            scripts: e.scripts.map((x) => `${x.invoker}/${x.sourceFunctionName} ${x.duration.toFixed(1)}ms (forced layout ${x.forcedStyleAndLayoutDuration.toFixed(1)})`),
          });
        }
      });
      obs.observe({ type: 'long-animation-frame', buffered: false });
      const { durations, work } = await (window as unknown as ScrollFramesWindow).mqScrollFrames(frames, step, true);
      await new Promise((r) => setTimeout(r, 200));
      obs.disconnect();
      return { durations, work, loaf };
    }, { frames, step });
    if (trace) printTracePhases(await browser.stopTracing(), frames);
    const pct = (xs: number[], p: number) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;
    console.log(`frame interval p50 ${pct(out.durations, 50).toFixed(1)} p95 ${pct(out.durations, 95).toFixed(1)} max ${Math.max(...out.durations).toFixed(1)} ms`);
    console.log(`scrollTop+layout p50 ${pct(out.work, 50).toFixed(1)} p95 ${pct(out.work, 95).toFixed(1)} ms`);
    console.log(`long animation frames: ${out.loaf.length}`);
    for (const f of out.loaf.sort((a, b) => b.duration - a.duration).slice(0, 6)) {
      console.log(`  ${f.duration.toFixed(1)} ms: script ${f.script.toFixed(1)}, style+layout ${f.styleLayout.toFixed(1)}, render ${f.render.toFixed(1)}; ${f.scripts.join('; ')}`);
    }
  }
} finally {
  await browser.close();
  await server.close();
}

/** Main-thread time per frame by rendering phase, from a devtools.timeline trace of the renderer. */
function printTracePhases(buf: Buffer, frames: number): void {
  const parsed = JSON.parse(buf.toString('utf8')) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents ?? [];
  const threadNames = new Map<string, string>();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') threadNames.set(`${e.pid}:${e.tid}`, String(e.args?.name));
  const phases: Record<string, string> = {
    FireAnimationFrame: 'animation-frame script', EventDispatch: 'event handlers', UpdateLayoutTree: 'style',
    Layout: 'layout', PrePaint: 'pre-paint', Paint: 'paint', Layerize: 'layerize', Commit: 'commit',
  };
  const total: Record<string, number> = {};
  for (const e of events) {
    if (e.ph !== 'X' || !e.dur || !(e.name in phases)) continue;
    if (threadNames.get(`${e.pid}:${e.tid}`) !== 'CrRendererMain') continue;
    total[e.name] = (total[e.name] ?? 0) + e.dur / 1000;
  }
  const parts = Object.keys(phases).map((k) => `${phases[k]} ${((total[k] ?? 0) / frames).toFixed(2)}`);
  // Phases can nest (a layout forced by a script runs inside its animation-frame task), so they are not summed.
  console.log(`main thread per frame (ms, traced): ${parts.join(', ')}`);
}

interface TraceEvent {
  ph: string;
  name: string;
  pid: number;
  tid: number;
  dur?: number;
  args?: { name?: unknown };
}
