// The editor section of `npm run bench` (`--only editor`): latency as a person feels it, in a real VS Code.
//
// It packages the built extension (.vsix), installs it into a throw-away code-server profile and drives the
// workbench in Debian's Chromium with playwright-core, reusing the end-to-end harness (test/e2e/). Every
// latency is measured inside the browser, not through Playwright round trips: a capture-phase `keydown`
// listener on the workbench window keeps the event's own timestamp (`event.timeStamp`, when the browser
// received the key), and a MutationObserver armed before the key is pressed notes `performance.now()` when
// the awaited element shows up, then the time of the next animation frame (the frame that paints it).
// The figure is next-frame time − keydown time, on the workbench page's clock (the results webview, an
// iframe of the same origin, reads the workbench's `performance.now()` through `window.top`).
//
//   squiggle on / off  typing X after a metric name makes it unknown: keydown → `.squiggly-error` in the editor;
//                      Backspace: keydown → no `.squiggly-error` left
//   completion         Ctrl+Space after `SELECT ` → the suggest widget visible with a rendered row
//   run (open panel)   Ctrl+Enter on the first query of examples/sms-delivery.mq, its results panel already
//                      open → a new table row element in the webview's grid
//   run (new panel)    the same with the panel closed first (the webview is created for the run): keydown →
//                      the webview's own `mq:result-painted` mark (the frame after the table was built)
//   floor              the same gestures with no mq code involved, in a plain-text file: a key → the character
//                      painted (typing echo); Ctrl+Space → VS Code's word-based suggestions visible
//   activation         the window reloaded with an .mq file open: VS Code's own activation time for the
//                      extension (code loading + the activate() call, measured by the extension host), as
//                      `Developer: Show Running Extensions` displays it ("Activation: N ms")
//
// Every process started (code-server with its extension hosts and language servers) belongs to a process
// group the harness kills at the end, also on failure and Ctrl+C; the browser is closed through Playwright.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureTools } from '../e2e/tools.mjs';

const TYPING = `-- Keystroke latency: an X is typed after the metric name (making it unknown), then deleted.
SELECT TOTAL_TRAFFIC_COUNT
WHERE channelCode = SMS AND sentSince = now - 1d AND sentUntil = now;
`;
const COMPLETE = `-- Completion latency: Ctrl+Space after SELECT.
SELECT `;
/** VS Code's own floor, no mq code involved: a plain-text file (typing echo, word-based suggestions). */
const PLAIN = `alpha beta gamma delta
al`;

/** Settings on top of the harness's: a solid cursor, so its blinking does not wake the observers. */
const SETTINGS = { 'editor.cursorBlinking': 'solid' };

/** Installed once per page load in the workbench window: the keydown log and the arming of one observer. */
function installProbe() {
  if (window.__mqProbe) return;
  const P = { keys: [], result: null };
  addEventListener('keydown', (e) => {
    P.keys.push({ key: e.key, ctrl: e.ctrlKey, t: e.timeStamp });
    if (P.keys.length > 40) P.keys.shift();
  }, true);
  const activeEditor = () => document.querySelector('.editor-group-container.active .monaco-editor');
  const CONDITIONS = {
    squiggleOn: () => !!activeEditor()?.querySelector('.squiggly-error'),
    squiggleOff: () => !!activeEditor() && !activeEditor().querySelector('.squiggly-error'),
    suggest: () => {
      const row = document.querySelector('.editor-widget.suggest-widget.visible .monaco-list-row .label-name');
      return !!row && row.getClientRects().length > 0 && row.textContent.trim().length > 0;
    },
    // The typed text is on screen (Monaco renders spaces as no-break spaces).
    echo: (text) => (activeEditor()?.querySelector('.view-lines')?.textContent ?? '').replace(/\u00a0/g, ' ').includes(text),
  };
  P.arm = (name, timeoutMs, arg) => {
    const test = () => CONDITIONS[name](arg);
    if (test()) return false; // already true before the key: nothing to measure
    P.result = new Promise((resolve) => {
      const obs = new MutationObserver(() => {
        if (!test()) return;
        const t = performance.now();
        obs.disconnect();
        clearTimeout(timer);
        requestAnimationFrame(() => resolve({ t, frame: performance.now() }));
      });
      obs.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
      const timer = setTimeout(() => { obs.disconnect(); resolve({ timeout: true }); }, timeoutMs);
    });
    return true;
  };
  /** The latest keydown of `key` (with Ctrl when asked). */
  P.keydown = (key, ctrl) => [...P.keys].reverse().find((k) => k.key === key && (ctrl === undefined || k.ctrl === ctrl))?.t ?? null;
  window.__mqProbe = P;
}

/** Installed in the results webview's document: waits for a table row element to be added. */
function installRowProbe(timeoutMs) {
  const clock = () => {
    try { return window.top.performance.now(); } catch { return NaN; }
  };
  window.__mqRow = new Promise((resolve) => {
    const isRow = (n) => n.nodeType === 1 && (n.matches('[role=rowgroup] [role=row]') || !!n.querySelector?.('[role=rowgroup] [role=row]'));
    const obs = new MutationObserver((records) => {
      if (!records.some((r) => [...r.addedNodes].some(isRow))) return;
      const t = clock();
      obs.disconnect();
      clearTimeout(timer);
      requestAnimationFrame(() => resolve({ t, frame: clock() }));
    });
    obs.observe(document.body, { subtree: true, childList: true });
    const timer = setTimeout(() => { obs.disconnect(); resolve({ timeout: true }); }, timeoutMs);
  });
  return Number.isFinite(clock());
}

/** One measured action: arm the observer, press the key, return next frame − keydown (ms). */
async function timed(page, cond, key, { ctrl, timeout = 10_000, arg } = {}) {
  await page.evaluate(installProbe);
  const armed = await page.evaluate(({ cond, timeout, arg }) => window.__mqProbe.arm(cond, timeout, arg), { cond, timeout, arg });
  if (!armed) throw new Error(`${cond} already holds before ${key} is pressed`);
  await page.keyboard.press(key);
  const r = await page.evaluate(() => window.__mqProbe.result);
  if (r.timeout) throw new Error(`${cond} did not happen within ${timeout} ms of ${key}`);
  const name = key.split('+').pop();
  const down = await page.evaluate(({ k, c }) => window.__mqProbe.keydown(k, c), { k: name === 'Space' ? ' ' : name, c: ctrl });
  if (down === null) throw new Error(`no keydown of ${key} was seen`);
  return r.frame - down;
}

/** The inner document of the (last) results webview, as a Playwright frame. */
async function webviewDocument(page, SEL) {
  const outer = await page.locator(SEL.webview).last().elementHandle({ timeout: 60_000 });
  const outerFrame = await outer.contentFrame();
  const inner = await outerFrame.locator('#active-frame').elementHandle({ timeout: 60_000 });
  return inner.contentFrame();
}

async function measureTyping(ctx, reps) {
  const { wb, page } = ctx;
  await openFile(wb, 'bench/typing.mq');
  await wb.clickOnText('TOTAL_TRAFFIC_COUNT');
  await page.keyboard.press('End');
  const on = [];
  const off = [];
  // The first round waits for the language server to start.
  for (let i = 0; i < reps + 1; i++) {
    const a = await timed(page, 'squiggleOn', 'X', { timeout: i === 0 ? 60_000 : 10_000 });
    await page.keyboard.press('Escape'); // the suggest widget typing may have opened
    const b = await timed(page, 'squiggleOff', 'Backspace');
    await page.keyboard.press('Escape');
    if (i > 0) { on.push(a); off.push(b); }
  }
  // Back to the saved text: a dirty file would hold up the window reloads of the activation figure.
  await wb.runCommand('File: Save');
  return { on, off };
}

/**
 * The same gestures where mq plays no part, as the floor of this setup (code-server, Chromium, this machine):
 * a key typed in a plain-text file → the character painted; Ctrl+Space → VS Code's word-based suggestions.
 */
async function measureFloor(ctx, reps) {
  const { wb, page, SEL } = ctx;
  await openFile(wb, 'bench/plain.txt');
  await wb.focusEditor();
  await page.keyboard.press('Control+End');
  const echo = [];
  const words = [];
  for (let i = 0; i < reps + 1; i++) {
    const a = await timed(page, 'echo', 'q', { arg: 'alq' });
    await page.keyboard.press('Escape'); // the suggestions typing may have opened
    await page.locator(SEL.suggest).waitFor({ state: 'hidden', timeout: 10_000 });
    await page.keyboard.press('Backspace');
    const b = await timed(page, 'suggest', 'Control+Space', { ctrl: true });
    await page.keyboard.press('Escape');
    await page.locator(SEL.suggest).waitFor({ state: 'hidden', timeout: 10_000 });
    if (i > 0) { echo.push(a); words.push(b); }
  }
  await wb.runCommand('File: Save');
  return { echo, words };
}

async function measureCompletion(ctx, reps) {
  const { wb, page, SEL } = ctx;
  await openFile(wb, 'bench/complete.mq');
  await wb.focusEditor();
  await page.keyboard.press('Control+End');
  const times = [];
  for (let i = 0; i < reps + 1; i++) {
    const t = await timed(page, 'suggest', 'Control+Space', { ctrl: true, timeout: i === 0 ? 60_000 : 10_000 });
    await page.keyboard.press('Escape');
    await page.locator(SEL.suggest).waitFor({ state: 'hidden', timeout: 10_000 });
    if (i > 0) times.push(t);
  }
  return times;
}

async function pressRun(page) {
  await page.evaluate(installProbe);
  await page.keyboard.press('Control+Enter');
  return page.evaluate(() => window.__mqProbe.keydown('Enter', true));
}

/** Ctrl+Enter with the query's results panel open: the run posts a new result into the same webview. */
async function measureRunOpenPanel(ctx, reps) {
  const { wb, page, SEL } = ctx;
  await openFile(wb, 'sms-delivery.mq');
  await wb.focusEditor();
  await page.keyboard.press('Control+Home');
  // The first run of the window loads dist/engine.js and builds the sample data: timed once, not repeated.
  const first = await paintedAfter(page, SEL, wb, await pressRun(page), 90_000);
  const times = [];
  for (let i = 0; i < reps + 1; i++) {
    const doc = await webviewDocument(page, SEL);
    if (!(await doc.evaluate(installRowProbe, 30_000))) throw new Error('the webview cannot read the workbench clock (window.top)');
    const down = await pressRun(page);
    const r = await doc.evaluate(() => window.__mqRow);
    if (r.timeout) throw new Error('no table row appeared within 30 s of Ctrl+Enter');
    if (i > 0) times.push(r.frame - down);
  }
  return { times, first };
}

/** Waits for the results table and returns the webview's `mq:result-painted` mark − `down`, on the workbench clock. */
async function paintedAfter(page, SEL, wb, down, timeout) {
  await wb.webviewFrame().locator('[role=grid] [role=rowgroup] [role=row]').first().waitFor({ state: 'visible', timeout });
  const doc = await webviewDocument(page, SEL);
  const painted = await doc.waitForFunction(() => {
    const m = performance.getEntriesByName('mq:result-painted').at(-1);
    // The mark on the workbench page's clock: both documents share the browser's monotonic clock.
    return m ? window.top.performance.now() - (performance.now() - m.startTime) : null;
  }, null, { timeout: 30_000 });
  return (await painted.jsonValue()) - down;
}

/** Ctrl+Enter with no results panel: the webview is created, loads, receives the result and paints. */
async function measureRunNewPanel(ctx, reps) {
  const { wb, page, SEL } = ctx;
  const times = [];
  const steps = [];
  for (let i = 0; i < reps; i++) {
    await wb.runCommand('View: Close Editors in Other Groups');
    await page.locator(SEL.webview).waitFor({ state: 'detached', timeout: 20_000 });
    await wb.focusEditor();
    await page.keyboard.press('Control+Home');
    const down = await pressRun(page);
    times.push(await paintedAfter(page, SEL, wb, down, 30_000));
    steps.push(await panelSteps(page, SEL, down));
  }
  return { times, steps };
}

/**
 * Where a new panel's time went, on the workbench clock from the keydown: VS Code's host frame for the
 * webview starting (the panel exists), the page's own document starting (VS Code has set up its frames), its script running (the page parsed), the result message
 * arriving from the extension, the table built, the frame painted.
 */
async function panelSteps(page, SEL, down) {
  const outer = await (await page.locator(SEL.webview).last().elementHandle()).contentFrame();
  const host = await outer.evaluate((down) => performance.timeOrigin - window.top.performance.timeOrigin - down, down);
  const doc = await webviewDocument(page, SEL);
  const steps = await doc.evaluate((down) => {
    const origin = performance.timeOrigin - window.top.performance.timeOrigin;
    const at = (name) => (performance.getEntriesByName(name).at(-1)?.startTime ?? NaN) + origin - down;
    const nav = performance.getEntriesByType('navigation')[0];
    return {
      navigation: origin - down,
      interactive: nav ? nav.domInteractive + origin - down : NaN,
      received: at('mq:result-received'),
      rendered: at('mq:result-rendered'),
      painted: at('mq:result-painted'),
    };
  }, down);
  return { host, ...steps };
}

/**
 * Loads the window `reps` times with an .mq file open and reads VS Code's activation time for mq. Each load
 * starts a new extension host (the old one exits 5 s after its window went: --reconnection-grace-time).
 */
async function measureActivation(ctx, reps, log) {
  const { wb, page, cs, ws } = ctx;
  // Only the .mq file open, so that each load restores it (and activates mq) and nothing else: a results
  // panel would reload its result, a second editor group would take the focus.
  // "View: Close All Editors" would also match "…in Group" first in the palette: this one closes every group.
  await wb.runCommand('View: Close All Editor Groups');
  const typingTab = page.locator('.tab.active:has-text("typing.mq")').first();
  await openFromExplorer(page, typingTab);
  const times = [];
  const otherFastest = [];
  for (let i = 0; i < reps; i++) {
    await page.goto('about:blank');
    await wb.open(cs.url, ws);
    // The window restores the file; if it did not (its state not saved in time), it is opened again.
    if (!(await typingTab.waitFor({ timeout: 15_000 }).then(() => true, () => false))) await openFromExplorer(page, typingTab);
    await wb.runCommand('Developer: Show Running Extensions');
    const row = page.locator('.runtime-extensions-editor .monaco-list-row', { hasText: /mq-tools\.mq|Infobip Metrics/ }).first();
    const text = await ctxPoll(async () => {
      const t = await row.locator('.activation-time').innerText({ timeout: 2000 }).catch(() => '');
      return /Activation: \d+ms/.test(t) ? t : null;
    }, 'the running-extensions row of mq with its activation time', 60_000);
    times.push(Number(text.match(/(\d+)ms/)[1]));
    // The other extensions the view lists for this window (VS Code's built-in ones): the same figure, for scale.
    const others = await page.$$eval('.runtime-extensions-editor .monaco-list-row', (rows) => rows.map((r) => ({
      name: r.querySelector('.name')?.textContent ?? r.textContent.slice(0, 40),
      ms: Number(/Activation: (\d+)ms/.exec(r.querySelector('.activation-time')?.textContent ?? '')?.[1] ?? NaN),
    })));
    const fastest = others.filter((o) => Number.isFinite(o.ms) && !/mq|Infobip Metrics/.test(o.name)).sort((a, b) => a.ms - b.ms)[0];
    if (fastest) otherFastest.push(fastest.ms);
    await wb.runCommand('View: Close Editor'); // the Running Extensions view: typing.mq is the editor restored next
    if ((i + 1) % 5 === 0) log(`editor: activation ${i + 1}/${reps}: ${times.join(', ')} ms`);
  }
  return { times, otherFastest };
}

/** Opens bench/typing.mq with a double click in the Explorer (expanding bench/ first when needed). */
async function openFromExplorer(page, tab) {
  const row = (name) => page.locator('.explorer-folders-view .monaco-list-row', { hasText: new RegExp(`^\\s*${name.replace('.', '\\.')}\\s*$`) }).first();
  if (!(await row('typing.mq').isVisible())) await row('bench').click();
  await row('typing.mq').dblclick({ timeout: 20_000 });
  await tab.waitFor({ timeout: 20_000 });
}

/** Nearest-rank percentile, rounded to 0.1 ms (for the progress log; the table uses scripts/bench/stats.ts). */
function pct(xs, p) {
  const s = xs.slice().sort((a, b) => a - b);
  return s.length ? Math.round(s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] * 10) / 10 : NaN;
}

/** Quick Open can miss its 20 s on a loaded machine (the file search is slow): tried three times. */
async function openFile(wb, path) {
  for (let i = 1; ; i++) {
    try {
      return await wb.openFile(path);
    } catch (e) {
      if (i === 3) throw e;
      await wb.page.keyboard.press('Escape');
    }
  }
}

async function ctxPoll(fn, what, timeout) {
  const until = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Runs the whole section. `reps` repetitions of each action after one unmeasured warm-up (activation: `reps`
 * window loads). Returns the raw figures in milliseconds; `log` receives progress lines.
 */
export async function measureEditor({ reps = 30, activationReps = reps, log = () => {} } = {}) {
  const tools = ensureTools();
  log(`editor: tools ${tools.cached ? 'cached' : 'installed'}`);
  const H = await import('../../test/e2e/harness.mjs');
  const { Workbench, SEL } = await import('../../test/e2e/workbench.mjs');
  if (!existsSync(join(H.ROOT, 'dist', 'client.js'))) throw new Error('dist/client.js does not exist: run npm run build first');
  const scratch = H.makeScratch();
  const cleanup = () => { H.killAll(); H.rmSync(scratch, { recursive: true, force: true }); };
  H.onInterrupt(cleanup);
  let browser;
  let wb;
  try {
    const vsix = H.packageVsix(join(scratch, 'mq.vsix'));
    const profile = H.makeProfile(scratch, 'editor', SETTINGS);
    H.installVsix(profile, vsix);
    const ws = H.makeWorkspace(scratch, 'editor', { 'bench/typing.mq': TYPING, 'bench/complete.mq': COMPLETE, 'bench/plain.txt': PLAIN });
    // A reloaded window gets a new extension host; the old one goes 5 s after its window did.
    const cs = await H.startCodeServer(profile, { extraArgs: ['--reconnection-grace-time', '5'], label: 'code-server (editor bench)' });
    browser = await H.launchBrowser(scratch, 'editor');
    const page = await browser.newPage();
    wb = new Workbench(page, 'bench-editor');
    const ctx = { wb, page, cs, ws, SEL };
    await wb.open(cs.url, ws);
    // Each section's figures are logged as soon as they are measured, so a run cut short still reports them.
    const done = (what, xs) => { log(`editor: ${what}: p50 ${pct(xs, 50)} ms, p95 ${pct(xs, 95)} ms (${xs.length}×)`); return xs; };
    log('editor: the floor (plain text: typing echo, word suggestions)');
    const floor = await measureFloor(ctx, reps);
    done('typing echo', floor.echo);
    done('word suggestions', floor.words);
    log('editor: keystroke → squiggle');
    const typing = await measureTyping(ctx, reps);
    done('squiggle shown', typing.on);
    done('squiggle cleared', typing.off);
    log('editor: Ctrl+Space → completion list');
    const completion = done('completion', await measureCompletion(ctx, reps));
    log('editor: Ctrl+Enter → first table row (panel open)');
    const runOpen = await measureRunOpenPanel(ctx, reps);
    done(`run, panel open (first run of the window: ${runOpen.first.toFixed(0)} ms)`, runOpen.times);
    log('editor: Ctrl+Enter → first table row (new panel)');
    const newPanel = await measureRunNewPanel(ctx, reps);
    const runNew = done('run, new panel', newPanel.times);
    const median = (k) => pct(newPanel.steps.map((x) => x[k]).filter(Number.isFinite), 50);
    log(`editor: run, new panel, medians from the keydown: VS Code's webview host frame starts ${median('host')} ms, ` +
      `the page's document starts ${median('navigation')} ms, ` +
      `its script runs ${median('interactive')} ms, the result arrives ${median('received')} ms, table built ` +
      `${median('rendered')} ms, painted ${median('painted')} ms`);
    log(`editor: activation (${activationReps} window loads)`);
    const act = await measureActivation(ctx, activationReps, log);
    const activation = done('activation', act.times);
    if (act.otherFastest.length) done('activation of the fastest other extension in the same window', act.otherFastest);
    return {
      squiggleOn: typing.on, squiggleOff: typing.off, completion, runOpenPanel: runOpen.times, firstRun: runOpen.first, runNewPanel: runNew,
      activation, activationFastestOther: act.otherFastest, echo: floor.echo, wordCompletion: floor.words,
    };
  } catch (e) {
    // What the window showed when a step failed: test-results/bench-editor-failure.png.
    const shot = await wb?.screenshot('failure').catch(() => null);
    if (shot) log(`editor: screenshot of the failure: ${shot}`);
    throw e;
  } finally {
    await browser?.close().catch(() => {});
    H.killAll();
    const left = await H.waitFor('no leftover processes', () => H.processesLeft(scratch).length === 0, { timeout: 5000 })
      .then(() => []).catch(() => H.processesLeft(scratch));
    H.rmSync(scratch, { recursive: true, force: true });
    // A process left behind fails the run even when the measurement itself failed: say both.
    // eslint-disable-next-line no-unsafe-finally
    if (left.length) throw new Error(`processes left behind:\n${left.join('\n')}`);
  }
}
