// Hostile values in every place the webview shows text: nothing executes, nothing loads, no CSP
// violation is provoked, and the layout stays usable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useHarness, postResult, postMessage, posted, clearPosted, visibleRows, type HarnessWindow } from '../webview-harness/harness.js';
import { payloadOf } from '../webview-harness/fixtures.js';
import type { CellValue, Column } from '../../client/webview/model.js';

const harness = useHarness();

const PWN = 'window.__mqPwned=true;alert(1)';
const HOSTILE: string[] = [
  `<script>${PWN}</script>`,
  `<img src=x onerror="${PWN}">`,
  `<svg onload="${PWN}"></svg>`,
  `" onmouseover="${PWN}" x="`,
  `' autofocus onfocus='${PWN}'`,
  `javascript:${PWN}`,
  `JaVaScRiPt:${PWN}`,
  `data:text/html,<script>${PWN}</script>`,
  `data:image/svg+xml,<svg onload="${PWN}">`,
  `</div><iframe src="javascript:${PWN}"></iframe>`,
  `<a href="javascript:${PWN}">click</a>`,
  `</style><style>*{display:none!important}</style>`,
  `x;}</style><link rel=stylesheet href=https://evil.example/x.css>`,
  `*{background:url(https://evil.example/track.png)} body{visibility:hidden}`,
  `expression(${PWN})`,
  `{{constructor.constructor('${PWN}')()}}`,
  `\${${PWN}}`,
  `\u202Egnp.exe\u202C harmless.png`,
  `\u2067\u2066abc\u2069 RTL isolate \u200F`,
  `line1\nline2\r\nline3\u0000nul`,
  'A'.repeat(1_000_000),
  '=HYPERLINK("https://evil.example","x")',
  "@SUM(1+1)*cmd|' /C calc'!A0",
  `https://evil.example/"><script>${PWN}</script>`,
];

const cols: Column[] = [
  { columnName: 'SENDER', columnDataType: 'STRING' },
  { columnName: 'URL', columnDataType: 'STRING' },
  { columnName: `<img src=x onerror="${PWN}">`, columnDataType: 'INTEGER' },
  { columnName: 'DELIVERY_RATE', columnDataType: 'NUMBER' },
];
const rows: CellValue[][] = HOSTILE.map((h, i) => [h, HOSTILE[(i + 5) % HOSTILE.length], i, 'N/A']);

test('hostile cells, column names, header facts and messages never execute or load anything', async () => {
  const { page, dialogs, pageErrors, foreignRequests } = await harness.open();
  const payload = payloadOf({ columns: cols, rows, title: `<script>${PWN}</script>`, connection: `<img src=x onerror="${PWN}">`, requestId: `\u202Edi-tseuqer`, orderBy: [{ column: `</style>${PWN}`, direction: 'DESC' }] });
  await postResult(page, payload);
  await postMessage(page, { type: 'running', phase: `<img src=x onerror="${PWN}">` });
  await postMessage(page, { type: 'error', message: `<script>${PWN}</script>` });
  await postResult(page, payload);

  // rendered as text: no element the data could have created
  const counts = await page.evaluate(() => ({
    scripts: document.querySelectorAll('script').length,
    injected: document.querySelectorAll('#app img, #app svg, #app iframe, #app a, #app style, #app link').length,
    onAttrs: Array.from(document.querySelectorAll('#app *')).filter((e) => Array.from(e.attributes).some((a) => a.name.startsWith('on'))).length,
    styleSheets: document.styleSheets.length,
  }));
  assert.deepEqual(counts, { scripts: 2, injected: 0, onAttrs: 0, styleSheets: 2 });
  const first = await visibleRows(page);
  assert.equal(first[0][0], HOSTILE[0]);
  assert.equal(await page.textContent('.grid-head[data-col="2"] .head-label'), `<img src=x onerror="${PWN}">`);

  // interact with everything: hover, click and press Enter on each cell; sort; filter; chart
  const cells = await page.$$('.grid-body .grid-cell');
  for (const c of cells.slice(0, 40)) {
    await c.hover();
  }
  await clearPosted(page);
  for (let r = 0; r < HOSTILE.length && r < 12; r++) {
    await page.click(`#cell-${r}-1`);
    await page.keyboard.press('Enter');
  }
  await page.click('.grid-head[data-col="0"]');
  await page.fill('#filter', 'script');
  await page.waitForFunction(() => /of \d+ rows/.test(document.getElementById('row-count')?.textContent ?? ''));
  await page.fill('#filter', '');
  await page.click('#tab-chart');
  await page.click('#tab-table');
  await page.waitForTimeout(100);

  // only http(s) URLs were offered to the host, and only through openUrl
  const opened = (await posted(page)).filter((m) => m.type === 'openUrl').map((m) => String(m.url));
  assert.ok(opened.every((u) => /^https:\/\/evil\.example\//.test(u)), opened.join('\n'));

  const w = await page.evaluate(() => {
    const win = window as unknown as HarnessWindow;
    return { pwned: win.__mqPwned, csp: win.__mqHost.cspViolations, errors: win.__mqHost.errors };
  });
  assert.equal(w.pwned, false);
  assert.deepEqual(dialogs, []);
  assert.deepEqual(w.csp, [], 'no CSP violation: nothing even tried to load or run');
  assert.deepEqual(foreignRequests, []);
  assert.deepEqual(pageErrors, []);
  assert.deepEqual(w.errors, []);
  await page.close();
});

test('bidi overrides are shown, not obeyed; 1 MB cells are truncated; layout stays usable', async () => {
  const { page } = await harness.open();
  await postResult(page, payloadOf({ columns: cols, rows, title: 'T'.repeat(100_000) }));
  const r = await visibleRows(page);
  const bidiRow = HOSTILE.findIndex((h) => h.startsWith('\u202E'));
  assert.equal(r[bidiRow][0], '⟨U+202E⟩gnp.exe⟨U+202C⟩ harmless.png');
  assert.equal(r[HOSTILE.findIndex((h) => h.startsWith('line1'))][0], 'line1⏎line2⏎line3\uFFFDnul');
  const bigRow = HOSTILE.findIndex((h) => h.length === 1_000_000);
  assert.equal(r[bigRow][0].length, 500);
  assert.ok(r[bigRow][0].endsWith('…'));
  await page.hover(`#cell-${bigRow}-0`);
  const geo = await page.evaluate((bigRow) => {
    const cell = document.getElementById(`cell-${bigRow}-0`)!;
    const grid = document.getElementById('grid')!.getBoundingClientRect();
    const meta = document.getElementById('meta')!.getBoundingClientRect();
    const filter = document.getElementById('filter')!.getBoundingClientRect();
    const rows = Array.from(document.querySelectorAll<HTMLElement>('.grid-body .grid-row:not([hidden])')).map((e) => e.getBoundingClientRect().height);
    return {
      cellW: cell.getBoundingClientRect().width,
      cellH: cell.getBoundingClientRect().height,
      titleLen: (cell.getAttribute('title') ?? '').length,
      rowHeights: [...new Set(rows)],
      gridH: grid.height,
      metaH: meta.height,
      filterVisible: filter.width > 50 && filter.bottom < window.innerHeight,
      bodyScrollW: document.body.scrollWidth,
      bodyW: window.innerWidth,
      hidden: getComputedStyle(document.body).visibility,
    };
  }, bigRow);
  assert.equal(geo.cellW, 240, 'the column of a 1 MB value is capped at the widest a dimension column gets');
  assert.equal(geo.cellH, 24);
  assert.deepEqual(geo.rowHeights, [24]);
  assert.ok(geo.titleLen > 0 && geo.titleLen < 2100, `title length ${geo.titleLen}`);
  assert.ok(geo.gridH > 300, `grid height ${geo.gridH}`);
  assert.ok(geo.metaH < 200, `meta height ${geo.metaH}`);
  assert.ok(geo.filterVisible);
  assert.ok(geo.bodyScrollW <= geo.bodyW, 'the page itself does not scroll sideways');
  assert.equal(geo.hidden, 'visible');
  // exports keep full values, neutralise formulas
  await clearPosted(page);
  await page.click('#export-csv');
  const csv = String((await posted(page))[0].content);
  assert.ok(csv.includes('A'.repeat(1_000_000)));
  assert.ok(csv.includes(`\r\n"'=HYPERLINK(""https://evil.example"",""x"")",`));
  assert.ok(csv.includes(`\r\n'@SUM(1+1)*cmd|' /C calc'!A0,`));
  assert.doesNotMatch(csv, /\r\n[=+@-]/);
  await page.close();
});

test('legit content causes no CSP violation and no console errors', async () => {
  const { page, pageErrors, foreignRequests } = await harness.open();
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await postResult(page, payloadOf({
    columns: [{ columnName: 'DAY', columnDataType: 'DATE_TIME' }, { columnName: 'CHANNEL', columnDataType: 'STRING' }, { columnName: 'TOTAL_COUNT', columnDataType: 'INTEGER' }, { columnName: 'DELIVERY_RATE', columnDataType: 'NUMBER' }],
    rows: [['2024-04-01T00:00:00.000+0000', 'SMS', 1, 0.5], ['2024-04-02T00:00:00.000+0000', 'SMS', 2, 0.75]],
  }));
  await page.click('#tab-chart');
  await page.waitForSelector('#chart canvas');
  await page.click('#tab-table');
  const csp = await page.evaluate(() => (window as unknown as HarnessWindow).__mqHost.cspViolations);
  assert.deepEqual(csp, []);
  assert.deepEqual(pageErrors, []);
  assert.deepEqual(foreignRequests, []);
  assert.deepEqual(errors, []);
  // positive control: the page really reports CSP violations (an injected inline script is blocked and seen)
  await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__mqPwned = true';
    document.body.append(s);
  });
  await page.waitForFunction(() => (window as unknown as HarnessWindow).__mqHost.cspViolations.length > 0);
  assert.equal(await page.evaluate(() => (window as unknown as HarnessWindow).__mqPwned), false);
  await page.close();
});
