// The results view's first screen in headless Chromium at 450, 800 and 1,400 px: the answer (the metrics)
// is visible without scrolling, constant columns are folded into chips and can be shown again, totals are
// exact int64 sums (none for rates), the pinned first dimension, resizing that keeps scroll, selection, sort
// and filter, a chart legend that reads as data, and COMPARE WITH deltas and the dashed previous series.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { useHarness, postResult, visibleRows, type HarnessWindow } from '../webview-harness/harness.js';
import { payloadOf } from '../webview-harness/fixtures.js';
import type { Column, CellValue } from '../../client/webview/model.js';

const harness = useHarness();

const columns: Column[] = [
  { columnName: 'CHANNEL_CODE', columnDataType: 'STRING' },
  { columnName: 'DAY', columnDataType: 'DATE_TIME' },
  { columnName: 'COUNTRY_NAME', columnDataType: 'STRING' },
  { columnName: 'TOTAL_TRAFFIC_COUNT', columnDataType: 'INTEGER' },
  { columnName: 'TRAFFIC_DELIVERY_RATE', columnDataType: 'NUMBER' },
];
const day = (d: number): string => `2024-04-0${d}T00:00:00.000+0000`;
const rows: CellValue[][] = [
  ['SMS', day(1), 'India', 9007199254740993n, 0.9731],
  ['SMS', day(1), 'Croatia', 1200, 'N/A'],
  ['SMS', day(2), 'India', 9007199254740993n, 0.95],
  ['SMS', day(2), 'Croatia', 'N/A', 0.5],
  ['SMS', day(3), 'India', 7, 1],
];
const hints = { dimensions: ['CHANNEL_CODE', 'DAY', 'COUNTRY_NAME'], rateColumns: ['TRAFFIC_DELIVERY_RATE'] };
const payload = payloadOf({ columns, rows, ...hints, source: 'sample', connection: '' });

const WIDTHS = [450, 800, 1400];

async function open(width: number, p = payload): Promise<Page> {
  const { page } = await harness.open({ width, height: 700 });
  await postResult(page, p);
  return page;
}

/** Box of an element relative to the grid's visible area. */
async function inGrid(page: Page, selector: string): Promise<{ left: number; right: number; gridLeft: number; gridRight: number }> {
  return page.evaluate((sel) => {
    const g = document.getElementById('grid')!.getBoundingClientRect();
    const e = document.querySelector(sel)!.getBoundingClientRect();
    return { left: e.left, right: e.right, gridLeft: g.left, gridRight: g.right };
  }, selector);
}

const heads = (page: Page): Promise<string[]> => page.$$eval('.grid-head .head-label', (h) => h.map((e) => e.textContent ?? ''));

for (const width of WIDTHS) {
  test(`at ${width} px the first metric column is visible without scrolling, and the constant column is a chip`, async () => {
    const page = await open(width);
    assert.deepEqual(await heads(page), ['DAY', 'COUNTRY_NAME', 'TOTAL_TRAFFIC_COUNT', 'TRAFFIC_DELIVERY_RATE']);
    assert.equal(await page.evaluate(() => document.getElementById('grid')!.scrollLeft), 0);
    const box = await inGrid(page, '.grid-head[data-col="3"]');
    assert.ok(box.left >= box.gridLeft && box.right <= box.gridRight + 1, `TOTAL_TRAFFIC_COUNT spans ${box.left}–${box.right}, grid ${box.gridLeft}–${box.gridRight}`);
    // Its values are whole on screen too: right-aligned, grouped, every int64 digit.
    const cell = await page.$eval('#cell-0-3', (e) => ({ text: e.textContent, align: getComputedStyle(e).textAlign, clipped: e.scrollWidth > e.clientWidth }));
    assert.deepEqual(cell, { text: '9,007,199,254,740,993', align: 'right', clipped: false });
    assert.equal(await page.textContent('.chip[data-col="0"]'), 'CHANNEL_CODESMS');
    const header = await page.$eval('#meta', (e) => e.getBoundingClientRect().height);
    assert.ok(header <= 60, `the header takes ${header} px`);
    await page.close();
  });
}

test('a folded column can be shown again from its chip, and folded back; the choice survives a reload', async () => {
  const page = await open(800);
  assert.equal(await page.getAttribute('.chip[data-col="0"]', 'aria-pressed'), 'false');
  await page.click('.chip[data-col="0"]');
  assert.deepEqual(await heads(page), ['CHANNEL_CODE', 'DAY', 'COUNTRY_NAME', 'TOTAL_TRAFFIC_COUNT', 'TRAFFIC_DELIVERY_RATE']);
  assert.equal(await page.getAttribute('.chip[data-col="0"]', 'aria-pressed'), 'true');
  assert.deepEqual((await visibleRows(page))[0]!.slice(0, 2), ['SMS', '2024-04-01']);
  await page.waitForFunction(() => ((window as unknown as HarnessWindow).__mqHost.state as { shown?: string[] } | undefined)?.shown?.[0] === 'CHANNEL_CODE');
  await page.reload();
  await page.waitForSelector('.grid-body .grid-row');
  assert.equal((await heads(page))[0], 'CHANNEL_CODE');
  await page.click('.chip[data-col="0"]');
  assert.equal((await heads(page))[0], 'DAY');
  await page.close();
});

test('totals: exact int64 sums of the count column over the rows shown, none for the rate (the hover says why)', async () => {
  const page = await open(1400);
  const totals = (): Promise<{ text: string; title: string }[]> =>
    page.$$eval('.grid-totals .grid-cell', (c) => c.map((e) => ({ text: e.textContent ?? '', title: e.getAttribute('title') ?? '' })));
  let t = await totals();
  assert.equal(t[0]!.text, 'Total');
  // 2 × 9007199254740993 + 1200 + 7: beyond 2^53, every digit exact.
  assert.equal(t[2]!.text, '18,014,398,509,483,193');
  assert.match(t[2]!.title, /Sum of 4 values in the 5 rows shown \(N\/A not counted\): 18014398509483193/);
  assert.equal(t[3]!.text, '—');
  assert.equal(t[3]!.title, 'No total: a sum of rates or ratios is meaningless.');
  assert.equal(await page.getAttribute('.grid-totals', 'role'), 'row');
  await page.fill('#filter', 'croatia');
  await page.waitForFunction(() => document.getElementById('row-count')?.textContent === '2 of 5 rows');
  t = await totals();
  assert.equal(t[2]!.text, '1,200');
  await page.close();
});

test('rates read as percentages with two decimals, N/A looks absent, and the first dimension stays pinned sideways', async () => {
  const page = await open(450);
  const r = await visibleRows(page);
  assert.deepEqual(r.map((x) => x[3]), ['97.31%', 'N/A', '95.00%', '50.00%', '100.00%']);
  const na = await page.$eval('#cell-1-4', (e) => ({ cls: e.className, style: getComputedStyle(e).fontStyle, opacity: Number(getComputedStyle(e).opacity) }));
  assert.match(na.cls, /\bna\b/);
  assert.ok(na.style === 'italic' && na.opacity < 1);
  await page.$eval('#grid', (g) => { g.scrollLeft = g.scrollWidth; });
  await page.waitForTimeout(50);
  const pin = await inGrid(page, '#cell-0-1');
  assert.ok(Math.abs(pin.left - pin.gridLeft) <= 2, `DAY stays at the left edge: ${pin.left} vs ${pin.gridLeft}`);
  await page.close();
});

test('keyboard and screen-reader roles: grid, rows, cells and headers with indexes; arrows skip folded columns', async () => {
  const page = await open(800);
  const roles = await page.evaluate(() => ({
    grid: document.getElementById('grid')!.getAttribute('role'),
    colcount: document.getElementById('grid')!.getAttribute('aria-colcount'),
    rowcount: document.getElementById('grid')!.getAttribute('aria-rowcount'),
    headers: document.querySelectorAll('.grid-header [role="columnheader"]').length,
    cells: document.querySelectorAll('.grid-body [role="row"]:not([hidden]) [role="gridcell"]').length,
    details: document.getElementById('details-toggle')!.getAttribute('aria-controls'),
  }));
  assert.deepEqual(roles, { grid: 'grid', colcount: '4', rowcount: '7', headers: 4, cells: 20, details: 'details' });
  await page.focus('#grid');
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.getAttribute('#grid', 'aria-activedescendant'), 'cell-0-1');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.getAttribute('#grid', 'aria-activedescendant'), 'cell-0-3');
  assert.equal(await page.getAttribute('#cell-0-3', 'aria-selected'), 'true');
  await page.keyboard.press('Home');
  assert.equal(await page.getAttribute('#grid', 'aria-activedescendant'), 'cell-0-1', 'Home goes to the first shown column');
  await page.close();
});

test('resizing from 1,400 to 450 px and back keeps scroll position, selection, sort and filter', async () => {
  const many: CellValue[][] = Array.from({ length: 300 }, (_v, i) => ['SMS', day(1 + (i % 7)), `country-${i}`, i, (i % 100) / 100]);
  const page = await open(1400, payloadOf({ columns, rows: many, ...hints }));
  await page.click('.grid-head[data-col="3"]');
  await page.click('.grid-head[data-col="3"]');
  await page.fill('#filter', 'country-1');
  await page.waitForFunction(() => /of 300 rows/.test(document.getElementById('row-count')?.textContent ?? ''));
  await page.click('#cell-3-2');
  await page.$eval('#grid', (g) => { g.scrollTop = 48; });
  const before = await page.evaluate(() => ({ top: document.getElementById('grid')!.scrollTop, count: document.getElementById('row-count')!.textContent }));
  for (const w of [450, 800, 1400]) {
    await page.setViewportSize({ width: w, height: 700 });
    await page.waitForTimeout(80);
    const now = await page.evaluate(() => ({ top: document.getElementById('grid')!.scrollTop, count: document.getElementById('row-count')!.textContent }));
    assert.deepEqual(now, before, `at ${w} px`);
    assert.equal(await page.getAttribute('#cell-3-2', 'aria-selected'), 'true');
    assert.equal(await page.getAttribute('.grid-head[data-col="3"]', 'aria-sort'), 'descending');
    assert.equal(await page.inputValue('#filter'), 'country-1');
  }
  await page.close();
});

test('the chart legend shows each series\' latest value while the pointer is away, and N/A only where the API said so', async () => {
  const page = await open(1000);
  await page.click('#tab-chart');
  const legend = (): Promise<string[]> => page.$$eval('#chart .u-legend .u-series', (s) => s.map((e) => `${e.querySelector('.u-label')?.textContent}: ${e.querySelector('.u-value')?.textContent}`));
  // India's last count is 7 (day 3); Croatia's last is 1,200 (day 2: N/A, day 1: 1,200).
  const away = await legend();
  assert.deepEqual(away.slice(1).sort(), ['Croatia: 1,200', 'India: 7']);
  await page.selectOption('#metric', { label: 'TRAFFIC_DELIVERY_RATE' });
  assert.deepEqual((await legend()).slice(1).sort(), ['Croatia: 50.00%', 'India: 100.00%']);
  // Pointer over day 1: Croatia's rate is N/A there (the API said so); over day 3 Croatia has no row: blank.
  const over = (await page.$('#chart .u-over'))!;
  const b = (await over.boundingBox())!;
  await page.mouse.move(b.x + 1, b.y + b.height / 2);
  let at = await legend();
  assert.ok(at.includes('Croatia: N/A') && at.includes('India: 97.31%'), at.join(' | '));
  await page.mouse.move(b.x + b.width - 1, b.y + b.height / 2);
  at = await legend();
  assert.ok(at.includes('Croatia: ') && at.includes('India: 100.00%'), at.join(' | '));
  await page.mouse.move(0, 0);
  assert.deepEqual((await legend()).slice(1).sort(), ['Croatia: 50.00%', 'India: 100.00%']);
  await page.close();
});

test('without a dimension hint, rates at one time are not added up: an id column is inferred as a dimension', async () => {
  const cols: Column[] = [
    { columnName: 'DAY', columnDataType: 'DATE_TIME' },
    { columnName: 'COUNTRY_ID', columnDataType: 'INTEGER' },
    { columnName: 'TRAFFIC_DELIVERY_RATE', columnDataType: 'NUMBER' },
  ];
  const data: CellValue[][] = [[day(1), 385, 0.9], [day(1), 191, 0.8], [day(2), 385, 0.7], [day(2), 191, 0.6]];
  const page = await open(1000, payloadOf({ columns: cols, rows: data }));
  await page.click('#tab-chart');
  const labels = await page.$$eval('#chart .u-legend .u-series .u-label', (l) => l.map((e) => e.textContent));
  assert.deepEqual(labels.slice(1).sort(), ['191', '385']);
  const values = await page.$$eval('#chart .u-legend .u-series .u-value', (l) => l.map((e) => e.textContent));
  assert.deepEqual(values.slice(1).sort(), ['60.00%', '70.00%'], 'no value above 100 %');
  await page.close();
});

// ---------------------------------------------------------------------------------------------------------
// COMPARE WITH

const cmpColumns: Column[] = [
  { columnName: 'DAY', columnDataType: 'DATE_TIME' },
  { columnName: 'TOTAL_TRAFFIC_COUNT', columnDataType: 'INTEGER' },
  { columnName: 'TOTAL_TRAFFIC_COUNT_PREVIOUS', columnDataType: 'INTEGER' },
  { columnName: 'TOTAL_TRAFFIC_COUNT_DELTA', columnDataType: 'INTEGER' },
  { columnName: 'TOTAL_TRAFFIC_COUNT_DELTA_PCT', columnDataType: 'NUMBER' },
  { columnName: 'TRAFFIC_DELIVERY_RATE', columnDataType: 'NUMBER' },
  { columnName: 'TRAFFIC_DELIVERY_RATE_PREVIOUS', columnDataType: 'NUMBER' },
  { columnName: 'TRAFFIC_DELIVERY_RATE_DELTA', columnDataType: 'NUMBER' },
  { columnName: 'TRAFFIC_DELIVERY_RATE_DELTA_PCT', columnDataType: 'NUMBER' },
];
const cmpRows: CellValue[][] = [
  [day(1), 1200, 1000, 200, 20, 0.95, 0.9, 0.05, 5.555555],
  [day(2), 900, 1000, -100, -10, 0.9, 0.95, -0.05, -5.263158],
  [day(3), 1000, 0, 1000, 'N/A', 'N/A', 0.9, 'N/A', 'N/A'],
  [day(4), 1000, 1000, 0, 0, 0.9, 0.9, 0, 0],
];
const cmpPayload = payloadOf({
  columns: cmpColumns,
  rows: cmpRows,
  dimensions: ['DAY'],
  rateColumns: ['TRAFFIC_DELIVERY_RATE', 'TRAFFIC_DELIVERY_RATE_PREVIOUS', 'TRAFFIC_DELIVERY_RATE_DELTA'],
  comparison: { label: 'PREVIOUS PERIOD', previousRequestId: 'req-prev', previousPeriod: { sentSince: '2024-03-25T00:00:00.000+0000', sentUntil: '2024-04-01T00:00:00.000+0000' }, offsetMs: 7 * 86_400_000 },
});

test('COMPARE WITH: deltas carry a sign (+/−), % for _DELTA_PCT, percentage points for rates, and a theme colour per direction', async () => {
  const page = await open(1400, cmpPayload);
  const r = await visibleRows(page);
  assert.deepEqual(r[0]!.slice(1), ['1,200', '1,000', '+200', '+20.00%', '95.00%', '90.00%', '+5.00 pp', '+5.56%']);
  assert.deepEqual(r[1]!.slice(1), ['900', '1,000', '\u2212100', '\u221210.00%', '90.00%', '95.00%', '\u22125.00 pp', '\u22125.26%']);
  assert.deepEqual(r[2]!.slice(3), ['+1,000', 'N/A', 'N/A', '90.00%', 'N/A', 'N/A']);
  assert.deepEqual(r[3]!.slice(3, 5), ['0', '0.00%']);
  const tone = (id: string): Promise<{ cls: string; colour: string }> => page.$eval(id, (e) => ({ cls: e.className, colour: getComputedStyle(e).color }));
  const up = await tone('#cell-0-3');
  const down = await tone('#cell-1-3');
  const flat = await tone('#cell-3-3');
  assert.match(up.cls, /\bdelta up\b/);
  assert.match(down.cls, /\bdelta down\b/);
  assert.notEqual(up.colour, down.colour);
  assert.notEqual(flat.colour, up.colour);
  await page.hover('#cell-1-3');
  assert.equal(await page.getAttribute('#cell-1-3', 'title'), '-100 (a decrease)');
  // Details name both periods and both requests.
  await page.click('#details-toggle');
  assert.equal(await page.textContent('[data-fact="previousRequestId"]'), 'req-prev');
  assert.equal(await page.textContent('[data-fact="compare"]'), 'vs PREVIOUS PERIOD');
  // Totals: counts and their previous and delta add up; a percentage change does not.
  const totals = await page.$$eval('.grid-totals .grid-cell', (c) => c.map((e) => e.textContent));
  assert.deepEqual(totals.slice(1, 5), ['4,100', '3,000', '+1,100', '—']);
  await page.close();
});

test('a chart drawn in one theme is drawn again when VS Code switches the theme', async () => {
  const page = await open(1000);
  await page.click('#tab-chart');
  await page.evaluate(() => {
    (window as unknown as { __canvas?: Element }).__canvas = document.querySelector('#chart canvas')!;
    document.body.classList.add('vscode-high-contrast');
  });
  await page.waitForFunction(() => {
    const c = document.querySelector('#chart canvas');
    return c !== null && c !== (window as unknown as { __canvas?: Element }).__canvas;
  });
  await page.close();
});

test('COMPARE WITH: the chart overlays the previous period as a dashed series on the current time axis', async () => {
  const page = await open(1000, cmpPayload);
  await page.click('#tab-chart');
  const options = await page.$$eval('#metric option', (o) => o.map((e) => e.textContent));
  assert.ok(!options.some((o) => o?.endsWith('_PREVIOUS')), `previous columns are overlays, not metrics: ${options.join()}`);
  const series = await page.$$eval('#chart .u-legend .u-series', (s) => s.map((e) => ({
    label: e.querySelector('.u-label')?.textContent,
    dash: getComputedStyle(e.querySelector('.u-marker') as HTMLElement).borderTopStyle,
    colour: getComputedStyle(e.querySelector('.u-marker') as HTMLElement).borderTopColor,
  })));
  assert.equal(series.length, 3);
  assert.equal(series[1]!.label, 'TOTAL_TRAFFIC_COUNT');
  assert.equal(series[2]!.label, 'TOTAL_TRAFFIC_COUNT (PREVIOUS PERIOD)');
  assert.equal(series[1]!.dash, 'solid');
  assert.equal(series[2]!.dash, 'dashed');
  assert.equal(series[2]!.colour, series[1]!.colour, 'the pair shares a colour');
  assert.match((await page.textContent('#chart-note')) ?? '', /Dashed: PREVIOUS PERIOD, on the current time axis/);
  // At the first current day, the dashed series holds that row's _PREVIOUS value.
  const over = (await page.$('#chart .u-over'))!;
  const b = (await over.boundingBox())!;
  await page.mouse.move(b.x + 1, b.y + b.height / 2);
  const values = await page.$$eval('#chart .u-legend .u-series .u-value', (l) => l.map((e) => e.textContent));
  assert.deepEqual(values, ['2024-04-01 00:00 UTC', '1,200', '1,000']);
  await page.close();
});

/** Per comparison column header: its label's text, whether it is cut, and whether the suffix is in view. */
function compareHeads(page: Page): Promise<{ text: string; cut: boolean; suffixShown: boolean }[]> {
  return page.$$eval('.grid-head .head-label', (labels) => labels
    .filter((l) => /_(PREVIOUS|DELTA|DELTA_PCT)$/.test(l.textContent ?? ''))
    .map((l) => {
      const box = l.getBoundingClientRect();
      const suffix = l.querySelector('.head-suffix')?.getBoundingClientRect();
      return {
        text: l.textContent ?? '',
        cut: (l.querySelector('.head-base') ?? l).scrollWidth > (l.querySelector('.head-base') ?? l).clientWidth,
        suffixShown: !!suffix && suffix.width > 0 && suffix.left >= box.left - 0.5 && suffix.right <= box.right + 0.5,
      };
    }));
}

test('COMPARE WITH: the comparison column headers show their whole names where there is room for them', async () => {
  const page = await open(1400, cmpPayload);
  const got = await compareHeads(page);
  assert.equal(got.length, 6);
  for (const h of got) assert.ok(!h.cut && h.suffixShown, `${h.text} is shown whole: ${JSON.stringify(h)}`);
  await page.close();
});

test('COMPARE WITH: a long metric name is cut before its _PREVIOUS/_DELTA/_DELTA_PCT, which tells the columns apart', async () => {
  const long = 'AVERAGE_TIME_BETWEEN_FIRST_AND_SECOND_DELIVERY_ATTEMPT';
  const p = payloadOf({
    columns: ['', '_PREVIOUS', '_DELTA', '_DELTA_PCT'].map((s) => ({ columnName: `${long}${s}`, columnDataType: s === '_DELTA_PCT' ? 'NUMBER' : 'INTEGER' } as Column)),
    rows: [[10, 8, 2, 25]],
    dimensions: [],
    comparison: { label: 'PREVIOUS PERIOD', previousRequestId: 'req-prev', previousPeriod: { sentSince: '2024-03-25T00:00:00.000+0000', sentUntil: '2024-04-01T00:00:00.000+0000' }, offsetMs: 7 * 86_400_000 },
  });
  const page = await open(1400, p);
  const got = await compareHeads(page);
  assert.deepEqual(got.map((h) => h.text), [`${long}_PREVIOUS`, `${long}_DELTA`, `${long}_DELTA_PCT`], 'the label keeps the whole name (for copying and screen readers)');
  for (const h of got) assert.ok(h.cut && h.suffixShown, `${h.text}: the name is cut and the suffix is in view: ${JSON.stringify(h)}`);
  await page.close();
});
