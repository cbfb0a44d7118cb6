// UI scenarios: what a user sees in a real VS Code with the packaged extension installed.
// Each scenario gets a fresh profile and a fresh copy of examples/ (plus the files it adds), runs in its
// own code-server, and ends with a screenshot in test-results/<name>.png.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, request } from 'node:http';
import { join } from 'node:path';
import { ROOT } from './harness.mjs';
import { SEL } from './workbench.mjs';

// The catalog as the server knows it (names and descriptions are never spelled twice).
let catalogCache = null;
export function catalog() {
  if (catalogCache) return catalogCache;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e',
    "import('./server/src/core/catalog/data.ts').then(m => process.stdout.write(JSON.stringify({ metrics: m.catalog.metrics.map(x => ({ name: x.name, description: x.description })), channels: m.catalog.channels.map(x => x.name) })))"],
  { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cannot read the catalog: ${r.stderr}`);
  catalogCache = JSON.parse(r.stdout);
  return catalogCache;
}

const BAD_QUERY = 'SELECT TOTAL_BOUNCE_COUNT WHERE channelCode = SMS AND sentSince = now - 1d AND sentUntil = now\n';
const API_KEY = 'e2e-secret-key-7f3a';

/** The example the run scenarios use: its first query is a daily time series (so the chart is a line). */
const RUN_EXAMPLE = 'sms-delivery.mq';
function exampleFile() {
  if (!existsSync(join(ROOT, 'examples', RUN_EXAMPLE))) throw new Error(`examples/${RUN_EXAMPLE} does not exist`);
  return RUN_EXAMPLE;
}

/** Starts `mq stand-in` (dist/cli.js) on a free port, as its own process group. */
async function startStandIn(ctx, extra = []) {
  const { H } = ctx;
  const cli = join(ROOT, 'dist', 'cli.js');
  if (!existsSync(cli)) throw new Error('dist/cli.js does not exist (the CLI is not built)');
  const port = await H.freePort();
  const proc = H.startGroup(process.execPath, [cli, 'stand-in', '--port', String(port), '--api-key', API_KEY, ...extra],
    { cwd: ROOT, label: `stand-in ${port}`, logFile: join(ctx.scratch, `stand-in-${port}.log`), env: process.env });
  ctx.cleanups.push(() => proc.stop());
  await H.waitFor(`stand-in on port ${port}`, async () => {
    if (proc.child.exitCode !== null) throw new Error(`stand-in exited ${proc.child.exitCode}: ${proc.output()}`);
    const r = await fetch(`http://127.0.0.1:${port}/`).catch(() => null);
    return r !== null;
  }, { timeout: 20_000 });
  return { ...proc, port, baseUrl: `http://127.0.0.1:${port}` };
}

/**
 * A recording relay in front of the extension's callback receiver: the connection's publicBaseUrl points
 * here, every request is forwarded to the receiver's listen port, and each one is recorded. It proves the
 * result really travelled stand-in → callback URL → the extension's receiver.
 */
async function callbackRecorder(ctx, targetPort) {
  const hits = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const fwd = request({ host: '127.0.0.1', port: targetPort, method: req.method, path: req.url, headers: req.headers }, (r) => {
        const out = [];
        r.on('data', (c) => out.push(c));
        r.on('end', () => {
          hits.push({ method: req.method, path: req.url, bytes: body.length, status: r.statusCode });
          res.writeHead(r.statusCode ?? 502, r.headers);
          res.end(Buffer.concat(out));
        });
      });
      fwd.on('error', (e) => { hits.push({ method: req.method, path: req.url, bytes: body.length, error: e.message }); res.writeHead(502); res.end(); });
      fwd.end(body);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  ctx.cleanups.push(() => new Promise((resolve) => { server.closeAllConnections?.(); server.close(() => resolve()); }));
  return { port: server.address().port, hits };
}

async function connectionSettings(ctx, standIn) {
  const listenPort = await ctx.H.freePort();
  const recorder = await callbackRecorder(ctx, listenPort);
  return {
    recorder,
    settings: {
      'mq.connections': [{
        name: 'Stand-in',
        baseUrl: standIn.baseUrl,
        callback: { listenHost: '127.0.0.1', listenPort, publicBaseUrl: `http://127.0.0.1:${recorder.port}` },
      }],
      'mq.activeConnection': 'Stand-in',
    },
  };
}

/** Enters the API key through the "Set API Key" command (answering the connection pick if one is asked). */
async function setApiKey(wb, key) {
  const page = wb.page;
  await wb.runCommand('Set API Key');
  const pickInput = page.locator('.quick-input-widget input[placeholder*="connection"]');
  const password = page.locator('.quick-input-widget input[type="password"]');
  await pickInput.or(password).first().waitFor({ state: 'visible', timeout: 20_000 });
  if (await pickInput.isVisible()) {
    await page.locator(SEL.quickInputRow, { hasText: 'Stand-in' }).first().click();
  }
  await password.waitFor({ state: 'visible', timeout: 20_000 });
  await password.fill(key);
  await page.keyboard.press('Enter');
  await password.waitFor({ state: 'hidden', timeout: 15_000 });
}

/** Waits for the results webview and returns what it shows: source label, table rows, and the chart. */
async function readResults(wb, { timeout = 60_000, chart = true, shot } = {}) {
  const frame = wb.webviewFrame();
  const source = frame.locator('#source-label');
  await source.waitFor({ state: 'visible', timeout });
  const row = frame.locator('[role=grid] [role=rowgroup] [role=row]');
  await row.first().waitFor({ state: 'visible', timeout: 20_000 });
  const rows = await row.count();
  const firstRow = (await row.first().innerText()).trim();
  const text = await frame.locator('body').innerText();
  if (shot) await wb.screenshot(`${shot}-table`);
  let chartLabel = null;
  if (chart) {
    await frame.locator('[role=tab]', { hasText: 'Chart' }).click();
    const canvas = frame.locator('canvas[role=img]').first();
    await canvas.waitFor({ state: 'visible', timeout: 20_000 });
    const box = await canvas.boundingBox();
    if (!box || box.width < 50 || box.height < 50) throw new Error(`the chart canvas is too small: ${JSON.stringify(box)}`);
    chartLabel = await canvas.getAttribute('aria-label');
  }
  return { frame, rows, firstRow, text, source: (await source.innerText()).trim(), chartLabel };
}

/** The README's pictures of the results panel at the default split, one per kind of theme (docs/images). */
const THEMES = [['Light Modern', 'light', 'vscode-light'], ['Dark Modern', 'dark', 'vscode-dark'], ['Dark High Contrast', 'high-contrast', 'vscode-high-contrast']];

async function setTheme(wb, theme, bodyClass) {
  await wb.runCommand('Preferences: Color Theme');
  const input = wb.page.locator(SEL.quickInputBox);
  await input.waitFor({ state: 'visible' });
  await input.fill(theme);
  await wb.page.locator(SEL.quickInputRow, { hasText: theme }).first().waitFor({ state: 'visible', timeout: 10_000 });
  await wb.page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden', timeout: 10_000 });
  // The webview follows the theme: its body carries the theme kind's class.
  await wb.webviewFrame().locator(`body.${bodyClass}`).waitFor({ timeout: 20_000 });
}

async function shootThemes(wb) {
  const frame = wb.webviewFrame();
  for (const [theme, name, bodyClass] of THEMES) {
    await setTheme(wb, theme, bodyClass);
    await frame.locator('[role=tab]', { hasText: 'Chart' }).click();
    await frame.locator('canvas[role=img]').first().waitFor({ state: 'visible', timeout: 20_000 });
    if (name === 'dark') await wb.page.screenshot({ path: join(ROOT, 'docs', 'images', 'results-chart-dark.png') });
    await frame.locator('[role=tab]', { hasText: 'Table' }).click();
    await frame.locator('[role=grid] [role=rowgroup] [role=row]').first().waitFor({ state: 'visible', timeout: 20_000 });
    // Nothing hovered or focused in the picture: the pointer rests on the editor's empty corner.
    await wb.page.mouse.move(5, 890);
    await wb.page.screenshot({ path: join(ROOT, 'docs', 'images', `results-${name}.png`) });
  }
}

// ---------------------------------------------------------------------------------------------------------
// COMPARE WITH and HAVING

/** Last 24 hours of SMS by hour against the same hours a week earlier: a line chart with the previous period. */
const COMPARE_QUERY = `-- SMS delivered per hour in the last 24 hours, next to the same hours a week earlier
SELECT DELIVERED_TRAFFIC_COUNT
BY HOUR
WHERE channelCode = SMS
  AND sentSince = now - 24h AND sentUntil = now
COMPARE WITH 7d AGO
ORDER BY HOUR;
`;
/** Yesterday (a whole day, so both runs get the same sample rows) per country: HAVING keeps some of them. */
const RATES_QUERY = `SELECT TOTAL_SENT_TRAFFIC_COUNT, TRAFFIC_DELIVERY_RATE
BY COUNTRY_NAME
WHERE channelCode = SMS
  AND sentSince = today - 1d AND sentUntil = today
`;
/** The HAVING bound, as the table shows the rate (a percentage). */
const HAVING_BELOW_PCT = 85;

/** Runs the query under the cursor with Ctrl+Enter once the language server is up (its ▶ Run lens is drawn). */
async function runWithCtrlEnter(wb, relPath) {
  await wb.openFile(relPath);
  await wb.page.locator(SEL.codeLens, { hasText: 'Run' }).first().waitFor({ state: 'visible', timeout: 60_000 });
  await wb.clickOnText('SELECT');
  await wb.page.keyboard.press('Control+Enter');
}

/** Closes every editor (and so the results panel), so the next run's panel is the only webview. */
async function closeAll(wb) {
  await wb.runCommand('View: Close All Editors');
  await wb.page.locator(SEL.webview).waitFor({ state: 'detached', timeout: 20_000 });
}

/**
 * The shown table as the webview draws it: header labels, and per drawn row the text and delta tone of
 * each cell (numbers parsed with the page's own locale separators; N/A and text stay null).
 */
async function readGrid(frame) {
  return frame.locator('[role=grid]').first().evaluate((grid) => {
    const parts = new Intl.NumberFormat(navigator.language).formatToParts(12345.5);
    const group = parts.find((p) => p.type === 'group')?.value ?? ',';
    const decimal = parts.find((p) => p.type === 'decimal')?.value ?? '.';
    const parse = (text) => {
      const t = text.replace(/\u2212/g, '-').replace(/[%\s\u00a0\u202f]|pp/g, '').split(group).join('').replace(decimal, '.');
      return /^[+-]?\d+(\.\d+)?$/.test(t) ? Number(t) : null;
    };
    const header = [...grid.querySelectorAll('[role=columnheader] .head-label')].map((h) => h.textContent.trim());
    const rows = [...grid.querySelectorAll('[role=rowgroup] [role=row]')]
      .filter((r) => !r.hidden && r.dataset.view)
      .sort((a, b) => Number(a.dataset.view) - Number(b.dataset.view))
      .map((r) => [...r.querySelectorAll('[role=gridcell]')].map((c) => ({
        text: c.textContent.trim(),
        value: parse(c.textContent.trim()),
        tone: ['up', 'down', 'flat'].find((t) => c.classList.contains('delta') && c.classList.contains(t)) ?? null,
      })));
    return { header, rows };
  });
}

/** The chart's legend: per series its label, the marker's border style and colour, and the shown value. */
async function readLegend(frame) {
  return frame.locator('.u-legend').first().evaluate((legend) => [...legend.querySelectorAll('tr.u-series')].slice(1).map((tr) => {
    const marker = tr.querySelector('.u-marker');
    const style = marker ? legend.ownerDocument.defaultView.getComputedStyle(marker) : null;
    return {
      label: tr.querySelector('.u-label')?.textContent.trim() ?? '',
      border: style?.borderTopStyle ?? '',
      colour: style?.borderTopColor ?? '',
      value: tr.querySelector('.u-value')?.textContent.trim() ?? '',
    };
  }));
}

/** Checks the joined columns row by row: M_DELTA is M − M_PREVIOUS, M_DELTA_PCT its share, tones follow the sign. */
function assertComparisonRows(grid, metric) {
  const col = (name) => grid.header.indexOf(name);
  const [cur, prev, delta, pct] = ['', '_PREVIOUS', '_DELTA', '_DELTA_PCT'].map((s) => col(`${metric}${s}`));
  let complete = 0;
  let changed = 0;
  for (const row of grid.rows) {
    const [c, p, d, q] = [row[cur], row[prev], row[delta], row[pct]];
    if (c.value === null || p.value === null) {
      assert.equal(d.text, 'N/A', `a delta with one side N/A is N/A: ${JSON.stringify(row)}`);
      continue;
    }
    complete++;
    if (c.value !== p.value) changed++;
    assert.equal(d.value, c.value - p.value, `${metric}_DELTA is ${metric} − ${metric}_PREVIOUS on row ${JSON.stringify(row.map((x) => x.text))}`);
    assert.equal(d.tone, d.value > 0 ? 'up' : d.value < 0 ? 'down' : 'flat', `the delta's colour follows its sign: ${d.text}`);
    if (p.value !== 0) {
      assert.ok(Math.abs(q.value - (d.value / p.value) * 100) < 0.006, `${metric}_DELTA_PCT ${q.text} is the change in % of ${p.text}`);
      assert.match(q.text, /%$/, 'the percentage change is shown with %');
    }
  }
  assert.ok(complete >= 10, `at least 10 hours have both periods (saw ${complete} of ${grid.rows.length} rows)`);
  assert.ok(changed >= complete / 2, `the two periods differ (plausible changes, not a copy): ${changed} of ${complete} rows changed`);
}

/**
 * The table's width now, the width it needs to show every column with its whole name, and whether all
 * columns are in view with every comparison column's name whole (a metric's own name may stay cut: its
 * header room is capped, and it can be read off its _PREVIOUS column).
 */
function tableWidths(frame) {
  return frame.locator('[role=grid]').first().evaluate((grid) => {
    const heads = [...grid.querySelectorAll('[role=columnheader]')];
    // How much of a header's name is cut (a comparison column's name is cut in its part before the suffix).
    const cut = (h) => [h.querySelector('.head-label'), h.querySelector('.head-base')].reduce((sum, e) => sum + (e ? Math.max(0, e.scrollWidth - e.clientWidth) : 0), 0);
    const need = heads.reduce((sum, h) => sum + h.getBoundingClientRect().width + cut(h), 0);
    const last = heads[heads.length - 1]?.getBoundingClientRect().right ?? 0;
    const inView = last <= grid.getBoundingClientRect().left + grid.clientWidth + 1;
    const comparison = heads.filter((h) => h.querySelector('.head-suffix'));
    return { have: grid.clientWidth, need, fits: comparison.length > 0 && inView && comparison.every((h) => cut(h) === 0) };
  });
}

/**
 * Room for the docs' pictures: a wider window without the side bar, and the line between the editor and the
 * results dragged left (like a user would) until every column of the results table is in view, the
 * comparison columns with their whole names.
 */
async function widenResults(wb, frame) {
  const page = wb.page;
  await page.setViewportSize({ width: 1920, height: 1000 });
  await wb.runCommand('View: Close Primary Side Bar');
  const groups = page.locator('.part.editor .editor-group-container');
  let before = -1;
  await ctxWait(async () => {
    const { have } = await tableWidths(frame);
    const settled = have > 0 && have === before;
    before = have;
    return settled;
  }, 'the table to settle at the new window size', 10_000, 300);
  const { have, need } = await tableWidths(frame);
  const right = await groups.nth(1).boundingBox();
  const y = right.y + right.height / 2;
  const to = Math.min(right.x, Math.max(360, right.x - (need - have) - 40));
  await page.mouse.move(right.x, y);
  await page.mouse.down();
  await page.mouse.move(to, y, { steps: 12 });
  await page.mouse.up();
  // Nothing hovered in the picture (the line dragged is highlighted while the pointer is on it).
  await page.mouse.move(960, 990);
  await ctxWait(async () => (await tableWidths(frame)).fits, 'every column in view, the comparison columns with their whole names', 10_000)
    .catch(async (e) => { throw new Error(`${e.message}: ${JSON.stringify(await tableWidths(frame))}`); });
}

/** Saves a picture of the results (the editor group holding the results panel) to docs/images/<name>. */
async function shootResults(wb, name) {
  await wb.page.mouse.move(960, 990);
  await wb.page.locator('.part.editor .editor-group-container').nth(1).screenshot({ path: join(ROOT, 'docs', 'images', name) });
}

/**
 * What the results panel shows for a COMPARE WITH result of `metric` (comparison `label`): the header names
 * the comparison, the metric is followed by its three comparison columns, and the rows hold consistent
 * numbers. Returns the grid read.
 */
export async function assertComparisonTable(frame, metric, label) {
  const compareFact = (await frame.locator('.summary .fact[data-fact="compare"]').innerText()).trim();
  assert.equal(compareFact, `vs ${label}`, 'the header names the comparison');
  const grid = await readGrid(frame);
  const at = grid.header.indexOf(metric);
  assert.deepEqual(grid.header.slice(at, at + 4), [metric, `${metric}_PREVIOUS`, `${metric}_DELTA`, `${metric}_DELTA_PCT`],
    `each metric is followed by its comparison columns: ${grid.header.join(', ')}`);
  assertComparisonRows(grid, metric);
  return grid;
}

/** The Chart tab of a COMPARE WITH result over `timeColumn`: a line chart with the previous period dashed. */
export async function assertDashedOverlay(frame, metric, timeColumn, label) {
  await frame.locator('[role=tab]', { hasText: 'Chart' }).click();
  const canvas = frame.locator('canvas[role=img]').first();
  await canvas.waitFor({ state: 'visible', timeout: 20_000 });
  const aria = (await canvas.getAttribute('aria-label')) ?? '';
  assert.match(aria, new RegExp(`^Line chart of ${metric} over ${timeColumn}\\b`), `a line chart over time: ${aria}`);
  assert.ok(aria.includes(`Dashed: ${label}, on the current time axis`), `the chart says the previous period is dashed: ${aria}`);
  const legend = await readLegend(frame);
  const current = legend.find((s) => s.label === metric);
  const previous = legend.find((s) => s.label === `${metric} (${label})`);
  assert.ok(current && previous, `the legend lists the metric and its previous period: ${JSON.stringify(legend)}`);
  assert.equal(current.border, 'solid', 'the current period is drawn solid');
  assert.equal(previous.border, 'dashed', 'the previous period is drawn dashed');
  assert.equal(previous.colour, current.colour, 'the previous period has its series\' colour');
  assert.match(previous.value, /\d/, `the previous period's series has values: "${previous.value}"`);
}

/** Runs the rates query of `file` and returns the rows as {country, rate (in %)}, and the summary text. */
async function readRates(wb, file) {
  await runWithCtrlEnter(wb, file);
  const r = await readResults(wb, { chart: false });
  const grid = await readGrid(r.frame);
  const country = grid.header.indexOf('COUNTRY_NAME');
  const rate = grid.header.indexOf('TRAFFIC_DELIVERY_RATE');
  assert.ok(country >= 0 && rate >= 0, `the table has COUNTRY_NAME and TRAFFIC_DELIVERY_RATE: ${grid.header.join(', ')}`);
  return { rows: grid.rows.map((row) => ({ country: row[country].text, rate: row[rate].value })), text: r.text };
}

async function runQueryAtCursor(wb) {
  await wb.runCommand('Run Query at Cursor');
}

const RELAY_TOKEN = 'e2e-relay-token-0123456789';

/** Starts `mq relay` (dist/cli.js) on a free loopback port, as its own process group. */
async function startRelay(ctx) {
  const { H } = ctx;
  const cli = join(ROOT, 'dist', 'cli.js');
  const port = await H.freePort();
  const proc = H.startGroup(process.execPath, [cli, 'relay', '--host', '127.0.0.1', '--port', String(port), '--token', RELAY_TOKEN],
    { cwd: ctx.scratch, label: `relay ${port}`, logFile: join(ctx.scratch, `relay-${port}.log`), env: { ...process.env, MQ_HOME: join(ctx.scratch, 'relay-state') } });
  ctx.cleanups.push(() => proc.stop());
  await H.waitFor(`relay on port ${port}`, async () => {
    if (proc.child.exitCode !== null) throw new Error(`relay exited ${proc.child.exitCode}: ${proc.output()}`);
    return (await fetch(`http://127.0.0.1:${port}/`).catch(() => null)) !== null;
  }, { timeout: 20_000 });
  return { ...proc, port, url: `http://127.0.0.1:${port}` };
}

/** Stores one secret of the Stand-in connection through "Set API Key" ("API key" or "Relay token"). */
async function setSecret(wb, which, value) {
  const page = wb.page;
  await wb.runCommand('Set API Key');
  const pickInput = page.locator('.quick-input-widget input[placeholder*="connection"]');
  const whichInput = page.locator('.quick-input-widget input[placeholder*="Which secret"]');
  const password = page.locator('.quick-input-widget input[type="password"]');
  await pickInput.or(whichInput).or(password).first().waitFor({ state: 'visible', timeout: 20_000 });
  if (await pickInput.isVisible()) await page.locator(SEL.quickInputRow, { hasText: 'Stand-in' }).first().click();
  await whichInput.or(password).first().waitFor({ state: 'visible', timeout: 20_000 });
  if (await whichInput.isVisible()) await page.locator(SEL.quickInputRow, { hasText: which }).first().click();
  await password.waitFor({ state: 'visible', timeout: 20_000 });
  await password.fill(value);
  await page.keyboard.press('Enter');
  await password.waitFor({ state: 'hidden', timeout: 15_000 });
}

/** The history entries (meta files) the extension wrote in the profile's global storage. */
function historyEntries(userData) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name.endsWith('.meta.json') && d.endsWith('history')) {
        try { out.push(JSON.parse(readFileSync(p, 'utf8'))); } catch { /* being written */ }
      }
    }
  };
  walk(userData);
  return out;
}

export const scenarios = [
  {
    name: 'install: the packaged extension is installed and .mq files open as mq',
    prepare: () => ({ files: { 'e2e/hello.mq': BAD_QUERY } }),
    async run({ wb, page }) {
      await wb.openFile('e2e/hello.mq');
      const mode = page.locator('[id="status.editor.mode"]');
      await ctxWait(async () => /\bmq\b/i.test((await mode.innerText()) ?? ''), 'the status bar to show the mq language');
      // The grammar colours the keyword: SELECT is not in the default foreground colour.
      const tokens = await wb.editor().locator('.view-line span span').allTextContents();
      assert.ok(tokens.length > 1, `the line is tokenized by the mq grammar: ${tokens.join('|')}`);
    },
  },
  {
    name: 'diagnostics: email-only metric on SMS shows squiggle, Problems row and status-bar count',
    prepare: () => ({ files: { 'e2e/sms-bounce.mq': BAD_QUERY } }),
    async run({ wb, page }) {
      await wb.openFile('e2e/sms-bounce.mq');
      await page.locator(SEL.squiggleError).first().waitFor({ state: 'visible', timeout: 60_000 });
      await page.keyboard.press('Control+Shift+M');
      const row = page.locator(SEL.problemsRow).first();
      await row.waitFor({ state: 'visible', timeout: 20_000 });
      const label = (await row.getAttribute('aria-label')) ?? (await row.innerText());
      // The row carries the very message the language server computed (the CLI's `mq check` shares the code).
      const expected = checkMessages(BAD_QUERY).find((d) => d.code === 'metric-channel-unsupported');
      assert.ok(expected, 'mq check reports metric-channel-unsupported for the query');
      assert.ok(label.includes(expected.message), `Problems row "${label}" shows "${expected.message}"`);
      const errors = await ctxWait(() => statusErrorCount(page), 'the status bar error count');
      assert.equal(errors, 1, 'the status bar counts one error');
    },
  },
  {
    name: 'completion: SELECT lists metrics, channelCode = lists channels',
    prepare: () => ({ files: { 'e2e/complete.mq': '-- completion\n' } }),
    async run({ wb, page }) {
      const { metrics, channels } = catalog();
      const metricNames = new Set(metrics.map((m) => m.name));
      await wb.openFile('e2e/complete.mq');
      await wb.focusEditor();
      await page.keyboard.press('Control+End');
      await page.keyboard.press('Enter');
      await page.keyboard.type('SELECT ', { delay: 30 });
      const labels = await suggestLabels(wb);
      const shownMetrics = labels.filter((l) => metricNames.has(l));
      assert.ok(shownMetrics.length >= 3, `suggest widget after "SELECT " lists metrics; saw: ${labels.join(', ')}`);
      await wb.screenshot('metrics');
      await page.keyboard.press('Escape');
      await page.keyboard.type(`${metrics[0].name} WHERE channelCode = `, { delay: 20 });
      const chLabels = await suggestLabels(wb);
      const shownChannels = chLabels.filter((l) => channels.includes(l));
      assert.ok(shownChannels.length >= 2, `suggest widget after "channelCode = " lists channels; saw: ${chLabels.join(', ')}`);
    },
  },
  {
    name: 'hover: a metric shows its description',
    prepare: () => ({ files: { 'e2e/hover.mq': BAD_QUERY.replace('= SMS', '= EMAIL') } }),
    async run({ wb, page }) {
      const m = catalog().metrics.find((x) => x.name === 'TOTAL_BOUNCE_COUNT');
      await wb.openFile('e2e/hover.mq');
      const span = wb.editor().locator('.view-line span span', { hasText: 'TOTAL_BOUNCE_COUNT' }).first();
      await span.waitFor();
      const hover = page.locator(SEL.hover, { hasText: m.description.slice(0, 40) });
      // Until the language server answers, the hover may come up without the description: move the mouse
      // away and back to ask again.
      await ctxWait(async () => {
        await page.mouse.move(700, 600);
        await page.keyboard.press('Escape');
        await span.hover({ position: { x: 20, y: 5 } });
        await hover.first().waitFor({ state: 'visible', timeout: 3000 });
        return true;
      }, 'hover with the metric description', 45_000, 200);
    },
  },
  {
    name: 'quick fix: the light bulb fix changes the text and clears the error',
    prepare: () => ({ files: { 'e2e/fix.mq': BAD_QUERY } }),
    async run({ wb, page }) {
      await wb.openFile('e2e/fix.mq');
      await page.locator(SEL.squiggleError).first().waitFor({ state: 'visible', timeout: 60_000 });
      const before = await wb.editorText();
      await wb.focusEditor();
      await page.keyboard.press('Control+Home');
      const menu = page.locator(SEL.actionWidget);
      // Go to the problem and ask for its fixes; asked again if the menu did not open (the code actions can
      // still be on their way right after the diagnostics arrive on a busy machine).
      await ctxWait(async () => {
        await page.keyboard.press('Escape');
        await page.keyboard.press('Control+Home');
        await page.keyboard.press('F8');
        await page.keyboard.press('Escape');
        await page.keyboard.press('Control+.');
        await menu.waitFor({ state: 'visible', timeout: 5_000 });
        return true;
      }, 'the quick fix menu', 45_000, 500);
      const items = await menu.locator('.monaco-list-row.action').allTextContents();
      assert.ok(items.length > 0, 'the light bulb offers a quick fix');
      await wb.screenshot('menu');
      await page.keyboard.press('Enter');
      await ctxWait(async () => (await wb.editorText()) !== before, 'the quick fix changed the text');
      await ctxWait(async () => (await page.locator(SEL.squiggleError).count()) === 0, 'the error squiggle is gone', 30_000);
      await ctxWait(async () => (await statusErrorCount(page)) === false, 'the status bar to count no error', 10_000);
    },
  },
  {
    name: 'run on sample data: command palette and CodeLens show table, chart, "sample data"',
    async run({ wb, page }) {
      await wb.openFile(exampleFile());
      await wb.focusEditor();
      await page.keyboard.press('Control+Home');
      await runQueryAtCursor(wb);
      let r = await readResults(wb, { shot: 'palette' });
      assert.ok(r.rows > 0 && r.firstRow.length > 0, 'the table has rows');
      assert.match(r.chartLabel ?? '', /chart/i, 'a chart is rendered');
      assert.match(r.source, /sample data/i, 'the header says "sample data"');
      await wb.screenshot('palette-chart');
      await shootThemes(wb);
      // Close the results and run again from the CodeLens above the query.
      await wb.runCommand('View: Close All Editors');
      await page.locator(SEL.webview).waitFor({ state: 'detached', timeout: 20_000 });
      await wb.openFile(exampleFile());
      const lens = page.locator(SEL.codeLens, { hasText: 'Run' }).first();
      await lens.waitFor({ state: 'visible', timeout: 30_000 });
      await lens.click();
      r = await readResults(wb);
      assert.ok(r.rows > 0 && r.chartLabel, 'CodeLens run shows table and chart');
      assert.match(r.source, /sample data/i);
    },
  },
  {
    name: 'compare and having: Ctrl+Enter on a COMPARE WITH query shows the joined columns and a dashed previous period; HAVING drops rows',
    prepare: () => ({
      files: {
        'e2e/compare-hours.mq': COMPARE_QUERY,
        'e2e/rates.mq': `${RATES_QUERY}ORDER BY TRAFFIC_DELIVERY_RATE ASC;\n`,
        'e2e/rates-having.mq': `${RATES_QUERY}HAVING TRAFFIC_DELIVERY_RATE < ${HAVING_BELOW_PCT / 100}\nORDER BY TRAFFIC_DELIVERY_RATE ASC;\n`,
      },
    }),
    async run({ wb, page }) {
      const metric = 'DELIVERED_TRAFFIC_COUNT';
      await runWithCtrlEnter(wb, 'e2e/compare-hours.mq');
      const r = await readResults(wb, { chart: false });
      assert.match(r.source, /sample data/i, 'the header says "sample data"');
      const grid = await assertComparisonTable(r.frame, metric, '7d AGO');
      assert.ok(grid.rows.length >= 20, `one row per hour of the last 24 hours (saw ${grid.rows.length})`);
      await widenResults(wb, r.frame);
      await shootResults(wb, 'compare-table.png');

      await assertDashedOverlay(r.frame, metric, 'HOUR', '7d AGO');
      await shootResults(wb, 'compare-chart.png');

      // HAVING: the same query without and with the condition.
      await closeAll(wb);
      const all = await readRates(wb, 'e2e/rates.mq');
      await closeAll(wb);
      const kept = await readRates(wb, 'e2e/rates-having.mq');
      assert.ok(kept.rows.length >= 1, `some country is below ${HAVING_BELOW_PCT} % on the sample data: ${JSON.stringify(all.rows)}`);
      for (const row of kept.rows) assert.ok(row.rate !== null && row.rate < HAVING_BELOW_PCT, `every row shown satisfies HAVING: ${JSON.stringify(row)}`);
      const expected = all.rows.filter((row) => row.rate !== null && row.rate < HAVING_BELOW_PCT).map((row) => row.country);
      assert.ok(expected.length < all.rows.length, `without HAVING some country is at ${HAVING_BELOW_PCT} % or more: ${JSON.stringify(all.rows)}`);
      assert.deepEqual(kept.rows.map((row) => row.country), expected, 'HAVING keeps exactly the rows below the bound, in the same order');
    },
  },
  {
    name: 'run through a connection: stand-in answers via the callback receiver',
    async prepare(ctx) {
      const standIn = await startStandIn(ctx);
      return { standIn, ...(await connectionSettings(ctx, standIn)) };
    },
    async run({ wb, page, recorder, profile }) {
      await setApiKey(wb, API_KEY);
      await wb.openFile(exampleFile());
      await wb.focusEditor();
      await page.keyboard.press('Control+Home');
      await runQueryAtCursor(wb);
      const r = await readResults(wb);
      assert.ok(r.rows > 0, 'the table has rows from the stand-in');
      assert.doesNotMatch(r.source, /sample data/i, 'results are not labelled as sample data');
      assert.match(r.text, /Stand-in/, 'the header names the connection');
      assert.ok(!r.text.includes(API_KEY), 'the API key is not shown in the results');
      const delivered = recorder.hits.filter((h) => h.method === 'POST' && h.status >= 200 && h.status < 300 && h.bytes > 0);
      assert.ok(delivered.length >= 1, `the result was POSTed to the callback receiver: ${JSON.stringify(recorder.hits)}`);
      // The key lives in SecretStorage only: not in settings, logs, or the history in global storage.
      const leaks = filesContaining(profile.userData, API_KEY);
      assert.deepEqual(leaks, [], `the API key was written to ${leaks.join(', ')}`);
    },
  },
  {
    name: 'failing run: stand-in --fail 1 shows an error notification, and the results panel says why instead of rows',
    async prepare(ctx) {
      const standIn = await startStandIn(ctx, ['--fail', '1']);
      return { standIn, ...(await connectionSettings(ctx, standIn)) };
    },
    async run({ wb, page }) {
      await setApiKey(wb, API_KEY);
      await wb.openFile(exampleFile());
      await wb.focusEditor();
      await page.keyboard.press('Control+Home');
      await runQueryAtCursor(wb);
      const toast = page.locator(`${SEL.notification}:has(.codicon-error)`).first();
      await toast.waitFor({ state: 'visible', timeout: 60_000 });
      const text = await toast.innerText();
      assert.match(text, /fail/i, `the notification says the query failed: ${text}`);
      assert.ok(!text.includes(API_KEY), 'the API key is not in the error');
      // The panel opened as the run started; it now shows the failure, not "Running", and no rows.
      const frame = wb.webviewFrame();
      const error = frame.locator('#error');
      await error.waitFor({ state: 'visible', timeout: 30_000 });
      const said = await error.innerText();
      assert.match(said, /fail/i, `the panel says the query failed: ${said}`);
      assert.ok(!said.includes(API_KEY), 'the API key is not in the panel');
      assert.equal((await frame.locator('#status').innerText()).trim(), '', 'the panel no longer says it is running');
      assert.equal(await frame.locator('[role=grid] [role=rowgroup] [role=row]').count(), 0, 'no result rows');
      await wb.screenshot('failed-panel');
    },
  },
  {
    name: 'recovery: the extension recovers a pending run after a window reload',
    async prepare(ctx) {
      // The stand-in takes 15 s to answer: the window is reloaded while the run waits for it.
      const standIn = await startStandIn(ctx, ['--latency-ms', '15000']);
      const relay = await startRelay(ctx);
      return {
        standIn,
        relay,
        settings: {
          'mq.connections': [{ name: 'Stand-in', baseUrl: standIn.baseUrl, callback: { relayUrl: relay.url } }],
          'mq.activeConnection': 'Stand-in',
        },
      };
    },
    async run({ wb, page, profile }) {
      await setSecret(wb, 'API key', API_KEY);
      await setSecret(wb, 'Relay token', RELAY_TOKEN);
      await wb.openFile(exampleFile());
      await wb.focusEditor();
      await page.keyboard.press('Control+Home');
      await runQueryAtCursor(wb);
      // The run is recorded as pending, with its request id, before the result exists anywhere.
      const pending = await ctxWait(() => historyEntries(profile.userData).find((e) => e.status === 'PENDING' && e.requestId && e.mode === 'relay'),
        'a pending relay run with a request id in the history', 60_000);
      await wb.runCommand('Developer: Reload Window');
      await page.waitForSelector(SEL.workbench, { timeout: 90_000 });
      // After the reload the extension finds the run, waits for the relay to hold the result, stores it.
      const toast = page.locator(SEL.notification, { hasText: 'recovered the result' }).first();
      await toast.waitFor({ state: 'visible', timeout: 120_000 });
      const text = await toast.innerText();
      // Open it at once: an information toast hides itself after a few seconds. If it already has, the
      // stored result is reopened from the history (Enter on the newest run).
      const opened = await toast.locator('.monaco-button', { hasText: 'Show Result' }).first().click({ timeout: 5000 }).then(() => true, () => false);
      assert.ok(text.includes(pending.requestId), `the notification names request ${pending.requestId}: ${text}`);
      const done = historyEntries(profile.userData).find((e) => e.id === pending.id);
      assert.equal(done?.status, 'SUCCESS', `the run is marked done: ${JSON.stringify(done)}`);
      assert.equal(done?.hasResult, true);
      if (!opened) {
        await wb.runCommand('Show History');
        await page.locator(SEL.quickInputRow, { hasText: pending.title.slice(0, 20) }).first().waitFor({ state: 'visible', timeout: 20_000 });
        await page.keyboard.press('Enter');
      }
      const r = await readResults(wb, { chart: false, shot: 'recovered' });
      assert.ok(r.rows > 0, 'the recovered result shows its rows');
      assert.ok(!r.text.includes(API_KEY) && !r.text.includes(RELAY_TOKEN), 'no secret in the results');
    },
  },
  {
    name: 'notebook: the example notebook runs all cells, shows rows and a chart, keeps its outputs after save and reload',
    async run({ wb, page, ws }) {
      await openNotebook(wb, 'weekly-report.mqnb');
      await wb.screenshot('opened');
      await runAllCells(wb);
      const out = await readNotebookOutput(wb, { timeout: 120_000 });
      assert.ok(out.rows > 0, 'a result output shows table rows');
      await wb.screenshot('outputs');
      await out.frame.locator('.mq-result button[data-tab="chart"]').first().click();
      await out.frame.locator('.mq-result .chart-host canvas').first().waitFor({ state: 'visible', timeout: 20_000 });
      await wb.screenshot('chart');
      // Every mq cell ran: the saved file holds a result output for each.
      await page.locator('.cell-list-container .view-line', { hasText: 'SELECT' }).first().click();
      await page.keyboard.press('Escape');
      const file = join(ws, 'weekly-report.mqnb');
      // Saved until the file holds every cell's result (Run All may still be running the last cells).
      const saved = await ctxWait(async () => {
        await page.keyboard.press('Control+S');
        const nb = JSON.parse(readFileSync(file, 'utf8'));
        const mq = nb.cells.filter((c) => c.kind === 'mq');
        return mq.length > 0 && mq.every((c) => c.outputs?.some((o) => o.kind === 'result') && c.execution?.order > 0) ? nb : null;
      }, 'the saved notebook to hold a result for every mq cell', 120_000, 2000);
      assert.equal(saved.mqNotebook, 1);
      // After a reload, the outputs are read back from the file and shown without running anything.
      await wb.runCommand('Developer: Reload Window');
      await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
      await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 90_000 });
      if ((await page.locator('.cell-list-container').count()) === 0) await openNotebook(wb, 'weekly-report.mqnb');
      // The restored notebook takes as long to draw as the first time (longer on a busy machine).
      await page.locator('.cell-list-container .view-line', { hasText: 'SELECT' }).first().waitFor({ state: 'visible', timeout: 180_000 });
      const again = await readNotebookOutput(wb, { timeout: 120_000 });
      await wb.screenshot('reloaded');
      assert.ok(again.rows > 0, 'the outputs are still there after the reload');
    },
  },
  {
    name: 'notebook cells: an mq cell gets a diagnostic and a completion from the language server, and no ▶ Run CodeLens',
    prepare: () => ({ files: { 'e2e/cells.mqnb': mqNotebookWith(BAD_QUERY.trim()) } }),
    async run({ wb, page }) {
      await openNotebook(wb, 'cells.mqnb');
      const cells = page.locator('.cell-list-container');
      await cells.locator(SEL.squiggleError).first().waitFor({ state: 'visible', timeout: 60_000 });
      await wb.screenshot('diagnostic');
      // Completion: a new line at the end of the cell, then SELECT.
      await cells.locator('.view-line', { hasText: 'SELECT' }).first().click();
      await page.keyboard.press('Control+End');
      await page.keyboard.press('Enter');
      await page.keyboard.type('SELECT ', { delay: 30 });
      const metricNames = new Set(catalog().metrics.map((m) => m.name));
      const labels = await suggestLabels(wb);
      assert.ok(labels.filter((l) => metricNames.has(l)).length >= 3, `the suggest widget in the cell lists metrics; saw: ${labels.join(', ')}`);
      await wb.screenshot('completion');
      await page.keyboard.press('Escape');
      // By now the lenses of a .mq editor would have been drawn long ago: a cell has its own run button instead.
      assert.equal(await cells.locator('.codelens-decoration').count(), 0, 'no CodeLens inside a notebook cell');
    },
  },
  {
    name: 'notebook in Jupyter format: an mq cell of an .ipynb runs through mq\'s controller and shows rows',
    prepare: () => ({ files: { 'e2e/mq-cell.ipynb': ipynbWith('SELECT TOTAL_TRAFFIC_COUNT, DELIVERED_TRAFFIC_COUNT BY DAY\nWHERE channelCode = SMS AND sentSince = now - 7d AND sentUntil = now') } }),
    async run({ wb }) {
      // VS Code's own .ipynb support opens the file and gives the cell the language mq (from the cell's metadata);
      // the rows come through mq's renderer, so mq's controller ran the cell.
      await openNotebook(wb, 'mq-cell.ipynb');
      await runAllCells(wb);
      const out = await readNotebookOutput(wb, { timeout: 120_000 });
      assert.ok(out.rows > 0, 'the mq result output shows table rows');
      await wb.screenshot('ipynb-output');
    },
  },
];

/** A one-cell .mqnb notebook holding `source`. */
function mqNotebookWith(source) {
  return JSON.stringify({ mqNotebook: 1, metadata: { title: 'cells' }, cells: [{ kind: 'markdown', source: ['An mq cell:'] }, { kind: 'mq', source: source.split('\n') }] }, null, 2) + '\n';
}

/** A Jupyter notebook (nbformat 4) with one markdown cell and one code cell in the mq language. */
function ipynbWith(source) {
  const lines = source.split('\n').map((l, i, all) => (i < all.length - 1 ? `${l}\n` : l));
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { language_info: { name: 'mq' } },
    cells: [
      { cell_type: 'markdown', id: 'intro', metadata: {}, source: ['SMS traffic, last week'] },
      { cell_type: 'code', id: 'query', execution_count: null, metadata: { vscode: { languageId: 'mq' } }, outputs: [], source: lines },
    ],
  }, null, 1) + '\n';
}

/** Opens a workspace notebook through Quick Open (asked again while the file list is still loading). */
async function openNotebook(wb, name) {
  const page = wb.page;
  const input = page.locator(SEL.quickInputBox);
  const row = page.locator(SEL.quickInputRow, { hasText: name }).first();
  await ctxWait(async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+P');
    await input.waitFor({ state: 'visible' });
    await input.fill(name);
    await row.waitFor({ state: 'visible', timeout: 5000 });
    await page.keyboard.press('Enter');
    return true;
  }, `Quick Open to list ${name}`, 60_000, 500);
  // The code cells are editors in the page (prose cells are drawn in the output webview).
  await page.locator('.cell-list-container .view-line', { hasText: 'SELECT' }).first().waitFor({ state: 'visible', timeout: 90_000 });
}

/** Notebook: Run All; picks the mq kernel if VS Code asks for one. */
async function runAllCells(wb) {
  await wb.page.locator('.notebook-toolbar-container .action-item', { hasText: 'Run All' }).first().click();
  const kernel = wb.page.locator(SEL.quickInputRow, { hasText: /\bmq\b/ }).first();
  if (await kernel.isVisible({ timeout: 5000 }).catch(() => false)) await kernel.click();
}

/** The first mq result output in the notebook's output webview, once its table has rows. */
async function readNotebookOutput(wb, { timeout }) {
  const frame = wb.page.frameLocator(SEL.webview).last().frameLocator('#active-frame');
  const row = frame.locator('.mq-result .grid-body .grid-row:not([hidden])');
  await row.first().waitFor({ state: 'visible', timeout });
  return { frame, rows: await row.count() };
}

/** Files under `dir` whose bytes contain `needle` (plain text). */
function filesContaining(dir, needle) {
  const hits = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) { try { if (readFileSync(p).includes(needle)) hits.push(p); } catch { /* vanished */ } }
    }
  };
  walk(dir);
  return hits;
}

/** Diagnostics of a text as `mq check --format json` reports them. */
function checkMessages(text) {
  const file = join(tmpdir(), `mq-e2e-check-${process.pid}.mq`);
  writeFileSync(file, text);
  const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'check', '--format', 'json', file], { encoding: 'utf8' });
  rmSync(file, { force: true });
  if (!r.stdout) throw new Error(`mq check printed nothing: ${r.stderr}`);
  return JSON.parse(r.stdout)[0].diagnostics;
}

/** The error count the status bar's problems item shows (its first number sits next to the error icon). */
async function statusErrorCount(page) {
  const item = page.locator(SEL.statusProblems);
  const aria = (await item.getAttribute('aria-label')) ?? '';
  let m = aria.match(/(\d+)\s*errors?/i) ?? aria.match(/errors?\W*(\d+)/i);
  if (!m) m = (await item.innerText()).match(/(\d+)/);
  const n = m ? Number(m[1]) : 0;
  return n > 0 ? n : false;
}

async function ctxWait(fn, what, timeout = 30_000, interval = 250) {
  const until = Date.now() + timeout;
  let last;
  while (Date.now() < until) {
    try { const v = await fn(); if (v) return v; } catch (e) { last = e; }
    await new Promise((r) => setTimeout(r, interval));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
}

/** Labels in the suggest widget; opens it with Ctrl+Space if typing did not. */
async function suggestLabels(wb) {
  const widget = wb.page.locator(SEL.suggest);
  const rows = wb.page.locator(`${SEL.suggestRow} .label-name`);
  try {
    await rows.first().waitFor({ state: 'visible', timeout: 5000 });
  } catch {
    await wb.page.keyboard.press('Control+Space');
    await rows.first().waitFor({ state: 'visible', timeout: 20_000 });
  }
  await widget.waitFor({ state: 'visible' });
  return (await rows.allTextContents()).map((s) => s.trim());
}

export { readFileSync };
