// The results webview in headless Chromium: header, formats, N/A, sorting, filter, copy/export, links,
// status messages, state restore and charts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { useHarness, postResult, postMessage, posted, clearPosted, visibleRows, type OpenedWebview, type HarnessWindow } from '../webview-harness/harness.js';
import { payloadOf } from '../webview-harness/fixtures.js';
import type { Column, CellValue } from '../../client/webview/model.js';

const harness = useHarness();

const cols: Column[] = [
  { columnName: 'DAY', columnDataType: 'DATE_TIME' },
  { columnName: 'CHANNEL', columnDataType: 'STRING' },
  { columnName: 'TOTAL_COUNT', columnDataType: 'INTEGER' },
  { columnName: 'DELIVERY_RATE', columnDataType: 'NUMBER' },
];
const rows: CellValue[][] = [
  ['2024-04-03T00:00:00.000+0000', 'SMS', 120, 0.973],
  ['2024-04-01T00:00:00.000+0000', 'EMAIL', 'N/A', 0.5],
  ['2024-04-02T00:00:00.000+0000', 'SMS', 9007199254740993n, 'N/A'],
  ['2024-04-01T00:00:00.000+0000', 'SMS', -5, 0.12345],
  ['2024-04-02T00:00:00.000+0000', 'EMAIL', 7, 1],
];
const payload = payloadOf({ columns: cols, rows, source: 'sample', connection: '', orderBy: [{ column: 'TOTAL_COUNT', direction: 'DESC' }], limit: 50 });

async function fresh(p = payload): Promise<OpenedWebview> {
  const w = await harness.open();
  await postResult(w.page, p);
  return w;
}

const column = (rowsText: string[][], c: number): string[] => rowsText.map((r) => r[c]);

test('the header is one line (badge, rows, period, elapsed); the other facts sit behind a remembered Details toggle', async () => {
  const { page } = await fresh();
  assert.equal(await page.textContent('#source-label'), 'sample data');
  assert.equal(await page.getAttribute('#source-label', 'title'), 'Sample data — not from a live account');
  const fact = (k: string): Promise<string | null> => page.textContent(`[data-fact="${k}"]`);
  assert.equal(await fact('rows'), '5 rows');
  assert.equal(await fact('period'), '2024-04-01 00:00 → 2024-04-07 23:59 UTC');
  assert.equal(await fact('elapsed'), '1.23 s');
  const lineHeight = await page.$eval('.summary', (e) => e.getBoundingClientRect().height);
  assert.ok(lineHeight <= 26, `one line, ${lineHeight} px`);
  // Details: closed at first, every other fact inside, and the choice is kept across a reload.
  assert.equal(await page.isVisible('#details'), false);
  assert.equal(await page.getAttribute('#details-toggle', 'aria-expanded'), 'false');
  await page.click('#details-toggle');
  assert.equal(await page.isVisible('#details'), true);
  assert.match((await fact('connection')) ?? '', /sample data/);
  assert.equal(await fact('requestId'), 'req-123');
  assert.equal(await fact('requestedPeriod'), '2024-04-01T00:00:00.000+0000 → 2024-04-08T00:00:00.000+0000');
  assert.equal(await fact('returnedPeriod'), '2024-04-01T00:00:00.000+0000 → 2024-04-07T23:59:59.999+0000');
  assert.equal(await fact('orderBy'), 'TOTAL_COUNT DESC');
  assert.equal(await fact('limit'), '50');
  await page.waitForFunction(() => ((window as unknown as HarnessWindow).__mqHost.state as { details?: boolean } | undefined)?.details === true);
  await page.reload();
  await page.waitForSelector('.grid-body .grid-row');
  assert.equal(await page.isVisible('#details'), true, 'Details stays open after a reload');
  const live = await fresh(payloadOf({ columns: cols, rows, source: 'live', connection: 'prod' }));
  assert.equal(await live.page.textContent('#source-label'), 'live · prod', 'a live result names its connection on the line');
  await page.close();
  await live.page.close();
});

test('formats: UTC dates with local hover, percentages with two decimals, grouped exact big integers, N/A styled', async () => {
  const { page } = await fresh();
  const r = await visibleRows(page);
  assert.deepEqual(r[0], ['2024-04-03', 'SMS', '120', '97.30%'], 'a column of whole days shows dates alone');
  assert.deepEqual(r[2], ['2024-04-02', 'SMS', '9,007,199,254,740,993', 'N/A']);
  assert.equal(r[3][3], '12.35%');
  assert.equal(r[4][3], '100.00%');
  const naCells = await page.$$eval('.grid-body .grid-cell.na', (els) => els.map((e) => e.textContent));
  assert.deepEqual(naCells, ['N/A', 'N/A']);
  const naStyle = await page.$eval('.grid-body .grid-cell.na', (e) => getComputedStyle(e).fontStyle);
  assert.equal(naStyle, 'italic');
  await page.hover('#cell-0-0');
  const dateTitle = await page.$eval('#cell-0-0', (e) => e.getAttribute('title'));
  assert.match(dateTitle ?? '', /local \(UTC[+-]\d\d:\d\d\)/);
  assert.equal(await page.textContent('#row-count'), '5 rows');
  await page.close();
});

test('click-to-sort and keyboard sort: numbers with N/A last, dates, three-state cycle', async () => {
  const { page } = await fresh();
  const head = (i: number): string => `.grid-head[data-col="${i}"]`;
  await page.click(head(2));
  assert.deepEqual(column(await visibleRows(page), 2), ['-5', '7', '120', '9,007,199,254,740,993', 'N/A']);
  assert.equal(await page.getAttribute(head(2), 'aria-sort'), 'ascending');
  await page.click(head(2));
  assert.deepEqual(column(await visibleRows(page), 2), ['9,007,199,254,740,993', '120', '7', '-5', 'N/A']);
  assert.equal(await page.getAttribute(head(2), 'aria-sort'), 'descending');
  await page.click(head(2));
  assert.deepEqual(column(await visibleRows(page), 2), ['120', 'N/A', '9,007,199,254,740,993', '-5', '7']);
  // keyboard: focus the DAY header and press Enter, then Space
  await page.focus(head(0));
  await page.keyboard.press('Enter');
  assert.deepEqual(column(await visibleRows(page), 0), ['2024-04-01', '2024-04-01', '2024-04-02', '2024-04-02', '2024-04-03']);
  await page.keyboard.press(' ');
  assert.equal(column(await visibleRows(page), 0)[0], '2024-04-03');
  // rate column descending keeps N/A last
  await page.click(head(3));
  await page.click(head(3));
  assert.deepEqual(column(await visibleRows(page), 3), ['100.00%', '97.30%', '50.00%', '12.35%', 'N/A']);
  await page.close();
});

test('filter box narrows rows and updates the count', async () => {
  const { page } = await fresh();
  await page.fill('#filter', 'email');
  await page.waitForFunction(() => document.getElementById('row-count')?.textContent === '2 of 5 rows');
  assert.deepEqual(column(await visibleRows(page), 1), ['EMAIL', 'EMAIL']);
  await page.fill('#filter', '97.3%');
  await page.waitForFunction(() => document.getElementById('row-count')?.textContent === '1 of 5 rows');
  await page.fill('#filter', '9007199254740993');
  await page.waitForFunction(() => document.getElementById('row-count')?.textContent === '1 of 5 rows');
  await page.fill('#filter', '');
  await page.waitForFunction(() => document.getElementById('row-count')?.textContent === '5 rows');
  await page.close();
});

test('export CSV/JSON and copy Markdown/cell/row post the right messages', async () => {
  const hostile = payloadOf({ columns: [{ columnName: 'SENDER', columnDataType: 'STRING' }, { columnName: 'N', columnDataType: 'INTEGER' }], rows: [['=1+2', -3], ['@cmd', 9007199254740993n], ['-x', 4], ['+1', 5]] });
  const { page } = await fresh(hostile);
  await clearPosted(page);
  await page.click('#export-csv');
  await page.click('#export-json');
  await page.click('#copy-md');
  let msgs = await posted(page);
  assert.deepEqual(msgs[0], { type: 'export', format: 'csv', content: "SENDER,N\r\n'=1+2,-3\r\n'@cmd,9007199254740993\r\n'-x,4\r\n'+1,5\r\n" });
  assert.equal(msgs[1].type, 'export');
  assert.equal(msgs[1].format, 'json');
  assert.match(String(msgs[1].content), /\[\s*"@cmd",\s*9007199254740993\s*\]/);
  assert.equal(msgs[2].type, 'copy');
  assert.equal(String(msgs[2].text).split('\n')[3], '| @cmd | 9007199254740993 |');
  // select a cell with the mouse, copy it and its row with the keyboard
  await clearPosted(page);
  await page.click('#cell-1-1');
  await page.keyboard.press('Control+c');
  await page.keyboard.press('Control+Shift+C');
  await page.keyboard.press('ArrowUp');
  await page.click('#copy-cell');
  msgs = await posted(page);
  assert.deepEqual(msgs, [
    { type: 'copy', text: '9007199254740993' },
    { type: 'copy', text: '@cmd\t9007199254740993' },
    { type: 'copy', text: '-3' },
  ]);
  assert.equal(await page.getAttribute('#grid', 'aria-activedescendant'), 'cell-0-1');
  await page.close();
});

test('URL cells are text; clicking or Enter posts openUrl, javascript: URLs never do', async () => {
  const p = payloadOf({ columns: [{ columnName: 'URL', columnDataType: 'STRING' }], rows: [['https://example.com/a?b=1'], ['javascript:window.__mqPwned=true'], ['data:text/html,<script>window.__mqPwned=true</script>']] });
  const { page } = await fresh(p);
  assert.equal(await page.$$eval('.grid-body a', (a) => a.length), 0);
  await clearPosted(page);
  await page.click('#cell-0-0');
  await page.click('#cell-1-0');
  await page.keyboard.press('Enter');
  await page.click('#cell-2-0');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  assert.deepEqual(await posted(page), [{ type: 'openUrl', url: 'https://example.com/a?b=1' }, { type: 'openUrl', url: 'https://example.com/a?b=1' }]);
  assert.equal(await page.evaluate(() => (window as unknown as HarnessWindow).__mqPwned), false);
  await page.close();
});

test('running and error messages are shown as text; state survives a reload', async () => {
  const { page } = await fresh();
  await postMessage(page, { type: 'running', phase: 'waiting for result' });
  assert.equal(await page.textContent('#status'), 'Running: waiting for result…');
  await postMessage(page, { type: 'error', message: '<b>bad</b> request' });
  assert.equal(await page.textContent('#error'), '<b>bad</b> request');
  assert.equal(await page.$$eval('#error b', (b) => b.length), 0);
  // sort + filter, then reload: the fake API keeps setState like VS Code does
  await page.click('.grid-head[data-col="2"]');
  await page.fill('#filter', 'sms');
  await page.waitForFunction(() => document.getElementById('row-count')?.textContent === '3 of 5 rows');
  await page.waitForFunction(() => ((window as unknown as HarnessWindow).__mqHost.state as { filter?: string } | undefined)?.filter === 'sms');
  await page.reload();
  await page.waitForSelector('.grid-body .grid-row');
  assert.equal(await page.inputValue('#filter'), 'sms');
  assert.deepEqual(column(await visibleRows(page), 2), ['-5', '120', '9,007,199,254,740,993']);
  await page.close();
});

test('a panel opened as its query starts says it runs; a reload mid-run says the run was cut off; an error ends that', async () => {
  const state = (page: Page) => page.evaluate(() => (window as unknown as HarnessWindow).__mqHost.state as { running?: string; payload?: string } | undefined);
  const ready = (page: Page) => page.waitForFunction(() => (window as unknown as HarnessWindow).__mqHost.posted.some((m) => (m as { type?: string }).type === 'ready'));
  harness.server.embed(JSON.stringify({ v: 1, running: 'Running on sample data' }));
  try {
    const { page } = await harness.open();
    assert.equal(await page.textContent('#status'), 'Running: Running on sample data…');
    assert.equal(await page.isVisible('#empty'), false, 'no "Run a query" hint while the query runs');
    assert.equal((await state(page))?.running, 'Running on sample data');
    // The window reloads before the result came: the page says what happened and where the result may turn up.
    harness.server.embed(undefined);
    await page.reload();
    await ready(page);
    assert.match((await page.textContent('#empty')) ?? '', /reloaded while this query was running.*mq: Show History.*run the query again/);
    // The result arrives: the table shows and the saved state is the result's.
    await postResult(page, payload);
    assert.equal((await state(page))?.running, undefined);
    assert.equal(typeof (await state(page))?.payload, 'string');
    await page.close();
    // A run that fails in a panel that has no result: the error shows, and a reload no longer speaks of a run.
    harness.server.embed(JSON.stringify({ v: 1, running: 'Submitting the request' }));
    const second = (await harness.open()).page;
    await postMessage(second, { type: 'error', message: 'The API refused the request: 401.' });
    assert.equal(await second.textContent('#error'), 'The API refused the request: 401.');
    assert.equal((await state(second))?.running, undefined);
    harness.server.embed(undefined);
    await second.reload();
    await ready(second);
    assert.equal(await second.textContent('#empty'), 'Run a query to see its result here.');
    await second.close();
  } finally {
    harness.server.embed(undefined);
  }
});

async function chartState(page: Page): Promise<{ canvases: number; kind: string | undefined; options: string[]; label: string | null; w: number; painted: boolean }> {
  return page.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>('#chart canvas');
    let painted = false;
    if (canvas) {
      const ctx = canvas.getContext('2d')!;
      const d = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 3; i < d.length; i += 4 * 7) if (d[i] !== 0) { painted = true; break; }
    }
    return {
      canvases: document.querySelectorAll('#chart canvas').length,
      kind: (document.getElementById('chart-panel') as HTMLElement).dataset.kind,
      options: Array.from(document.querySelectorAll('#metric option')).map((o) => o.textContent ?? ''),
      label: canvas?.getAttribute('aria-label') ?? null,
      w: canvas?.width ?? 0,
      painted,
    };
  });
}

test('chart: time series lines per dimension combination, metric selectable, keyboard reachable', async () => {
  const { page } = await fresh();
  await page.focus('#tab-table');
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.getAttribute('#tab-chart', 'aria-selected'), 'true');
  let s = await chartState(page);
  assert.equal(s.kind, 'line');
  assert.equal(s.canvases, 1);
  assert.ok(s.w > 0 && s.painted);
  assert.deepEqual(s.options, ['TOTAL_COUNT', 'DELIVERY_RATE']);
  assert.match(s.label ?? '', /Line chart of TOTAL_COUNT over DAY/);
  assert.match(await page.textContent('#chart-note') ?? '', /2 series, 3 points/);
  const legend = await page.$$eval('#chart .u-legend .u-series .u-label', (l) => l.map((e) => e.textContent));
  assert.deepEqual(legend.slice(1).sort(), ['EMAIL', 'SMS']);
  await page.selectOption('#metric', { label: 'DELIVERY_RATE' });
  s = await chartState(page);
  assert.match(s.label ?? '', /DELIVERY_RATE/);
  await page.close();
});

test('chart: bars when there is no time dimension', async () => {
  const p = payloadOf({ columns: [{ columnName: 'COUNTRY', columnDataType: 'STRING' }, { columnName: 'TOTAL_COUNT', columnDataType: 'INTEGER' }], rows: [['DE', 10], ['HR', 'N/A'], ['US', 30]] });
  const { page } = await fresh(p);
  await page.click('#tab-chart');
  const s = await chartState(page);
  assert.equal(s.kind, 'bar');
  assert.equal(s.canvases, 1);
  assert.ok(s.painted);
  assert.match(s.label ?? '', /Bar chart of TOTAL_COUNT/);
  await page.close();
});
