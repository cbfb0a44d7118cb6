// The results webview in headless Chromium: what a keyboard or small-panel user, a re-run, or a copy needs
// (found in a QA pass): the selected cell stays in view sideways, the selection follows its row through a
// sort, one tab stop for the header, the chart in UTC, empty results explained, copies of long values whole.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useHarness, postResult, posted, clearPosted, type HarnessWindow } from '../webview-harness/harness.js';
import { payloadOf } from '../webview-harness/fixtures.js';
import type { Column, CellValue } from '../../client/webview/model.js';

const harness = useHarness();

test('keyboard: End and arrows scroll the grid sideways so the selected cell stays visible', async () => {
  const columns: Column[] = Array.from({ length: 26 }, (_x, i) => ({ columnName: `COL_${i}`, columnDataType: i % 2 ? 'INTEGER' : 'STRING' }));
  const rows: CellValue[][] = Array.from({ length: 50 }, (_r, n) => columns.map((_c, i) => (i % 2 ? n * i : `r${n}c${i}`)));
  const { page } = await harness.open({ width: 900, height: 500 });
  await postResult(page, payloadOf({ columns, rows }));
  await page.click('#cell-0-0');
  const visible = (id: string): Promise<boolean> =>
    page.evaluate((cellId) => {
      const g = document.getElementById('grid')!.getBoundingClientRect();
      const c = document.getElementById(cellId)?.getBoundingClientRect();
      return !!c && c.left >= g.left - 1 && c.right <= g.right + 1;
    }, id);
  await page.keyboard.press('End');
  assert.ok(await visible('cell-0-25'), 'the last column is scrolled into view');
  for (let i = 0; i < 25; i++) await page.keyboard.press('ArrowLeft');
  assert.ok(await visible('cell-0-0'), 'and back to the first');
  assert.equal(await page.evaluate(() => document.getElementById('grid')!.scrollLeft), 0);
  await page.close();
});

test('the selection follows its data row through a sort, so Copy cell copies what was selected', async () => {
  const columns: Column[] = [{ columnName: 'NAME', columnDataType: 'STRING' }, { columnName: 'N', columnDataType: 'INTEGER' }];
  const rows: CellValue[][] = [['c', 3], ['a', 1], ['d', 4], ['b', 2]];
  const { page } = await harness.open();
  await postResult(page, payloadOf({ columns, rows }));
  await page.click('#cell-0-0'); // "c"
  await page.click('.grid-head[data-col="1"]'); // sort by N ascending: a b c d
  await clearPosted(page);
  await page.click('#copy-cell');
  const copies = (await posted(page)).filter((m) => m.type === 'copy');
  assert.deepEqual(copies.map((m) => m.text), ['c']);
  assert.equal(await page.getAttribute('#cell-2-0', 'aria-selected'), 'true', 'row "c" is now the third');
  // Filtered out: the selection is cleared rather than moved to another row.
  await page.fill('#filter', 'a');
  await page.waitForFunction(() => document.getElementById('row-count')?.textContent === '1 of 4 rows');
  await clearPosted(page);
  await page.click('#copy-cell');
  assert.deepEqual((await posted(page)).filter((m) => m.type === 'copy'), []);
  await page.close();
});

test('one tab stop for the header row; arrows move between headers; Home/End pick the first/last tab', async () => {
  const columns: Column[] = Array.from({ length: 6 }, (_x, i) => ({ columnName: `C${i}`, columnDataType: 'STRING' }));
  const { page } = await harness.open();
  await postResult(page, payloadOf({ columns, rows: [columns.map((c) => c.columnName)] }));
  assert.equal(await page.$$eval('.grid-head[tabindex="0"]', (h) => h.length), 1);
  await page.focus('.grid-head[data-col="0"]');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.evaluate(() => (document.activeElement as HTMLElement).dataset.col), '2');
  await page.keyboard.press('End');
  assert.equal(await page.evaluate(() => (document.activeElement as HTMLElement).dataset.col), '5');
  await page.keyboard.press('Enter');
  assert.equal(await page.getAttribute('.grid-head[data-col="5"]', 'aria-sort'), 'ascending');
  assert.equal(await page.$$eval('.grid-head[tabindex="0"]', (h) => h.map((e) => (e as HTMLElement).dataset.col)).then((x) => x.join()), '5');
  // A header focused by the mouse becomes the tab stop: still exactly one.
  await page.click('.grid-head[data-col="3"]');
  assert.deepEqual(await page.$$eval('.grid-head[tabindex="0"]', (h) => h.map((e) => (e as HTMLElement).dataset.col)), ['3']);
  await page.keyboard.press('ArrowLeft');
  assert.deepEqual(await page.$$eval('.grid-head[tabindex="0"]', (h) => h.map((e) => (e as HTMLElement).dataset.col)), ['2']);
  await page.focus('#tab-table');
  await page.keyboard.press('Home');
  assert.equal(await page.getAttribute('#tab-table', 'aria-selected'), 'true', 'Home stays on the first tab');
  await page.keyboard.press('End');
  assert.equal(await page.getAttribute('#tab-chart', 'aria-selected'), 'true');
  await page.keyboard.press('End');
  assert.equal(await page.getAttribute('#tab-chart', 'aria-selected'), 'true', 'End stays on the last tab');
  await page.close();
});

test('the chart shows times in UTC whatever the browser zone, and one point gets a narrow axis', async () => {
  const columns: Column[] = [{ columnName: 'HOUR', columnDataType: 'DATE_TIME' }, { columnName: 'TOTAL_COUNT', columnDataType: 'INTEGER' }];
  const rows: CellValue[][] = [['2024-04-01T00:00:00.000+0000', 5], ['2024-04-01T01:00:00.000+0000', 7]];
  const { page } = await harness.open({ width: 1000, height: 700 }, { timezoneId: 'America/New_York' });
  await postResult(page, payloadOf({ columns, rows }));
  await page.click('#tab-chart');
  const labels = await page.$$eval('#chart .u-legend .u-series .u-label', (l) => l.map((e) => e.textContent));
  assert.equal(labels[0], 'HOUR (UTC)');
  // Put the cursor on the first point: the legend's time is the table's UTC text.
  const box = (await page.$('#chart .u-over'))!;
  const b = (await box.boundingBox())!;
  await page.mouse.move(b.x + 2, b.y + b.height / 2);
  const first = await page.textContent('#chart .u-legend .u-series:first-child .u-value');
  assert.equal(first, '2024-04-01 00:00 UTC');
  // A single row: the x range is two hours around it, not years.
  await postResult(page, payloadOf({ columns, rows: rows.slice(0, 1) }));
  const span = await page.$eval('#chart', (h) => Number((h as HTMLElement).dataset.xMax) - Number((h as HTMLElement).dataset.xMin));
  assert.equal(span, 7200, 'an hour either side of the one point');
  assert.equal(await page.getAttribute('#tab-chart', 'aria-selected'), 'true', 'a new result keeps the Chart tab');
  assert.match((await page.textContent('#chart-note')) ?? '', /^1 series, 1 point\.$/);
  await page.close();
});

test('a new result keeps the charted metric when it has that column', async () => {
  const columns: Column[] = [
    { columnName: 'DAY', columnDataType: 'DATE_TIME' },
    { columnName: 'TOTAL_COUNT', columnDataType: 'INTEGER' },
    { columnName: 'DELIVERY_RATE', columnDataType: 'NUMBER' },
  ];
  const rows: CellValue[][] = [['2024-04-01T00:00:00.000+0000', 5, 0.5], ['2024-04-02T00:00:00.000+0000', 7, 0.7]];
  const { page } = await harness.open();
  await postResult(page, payloadOf({ columns, rows }));
  await page.click('#tab-chart');
  await page.selectOption('#metric', { label: 'DELIVERY_RATE' });
  // Same columns in another order: the metric is found by name, not by position.
  const swapped = [columns[0]!, columns[2]!, columns[1]!];
  await postResult(page, payloadOf({ columns: swapped, rows: rows.map((r) => [r[0]!, r[2]!, r[1]!]) }));
  assert.equal(await page.getAttribute('#tab-chart', 'aria-selected'), 'true');
  assert.equal(await page.$eval('#metric', (s) => (s as HTMLSelectElement).selectedOptions[0]?.textContent), 'DELIVERY_RATE');
  // Without that column, the first metric.
  await postResult(page, payloadOf({ columns: [columns[0]!, columns[1]!], rows: rows.map((r) => [r[0]!, r[1]!]) }));
  assert.equal(await page.$eval('#metric', (s) => (s as HTMLSelectElement).selectedOptions[0]?.textContent), 'TOTAL_COUNT');
  await page.close();
});

test('empty results and all-N/A metrics are explained, in the table and the chart', async () => {
  const columns: Column[] = [{ columnName: 'DAY', columnDataType: 'DATE_TIME' }, { columnName: 'SEEN', columnDataType: 'INTEGER' }];
  const { page } = await harness.open();
  await postResult(page, payloadOf({ columns, rows: [] }));
  assert.equal(await page.textContent('#no-rows'), 'The query returned no rows.');
  assert.equal(await page.isVisible('#no-rows'), true);
  assert.equal(await page.textContent('#row-count'), '0 rows');
  await page.click('#tab-chart');
  assert.equal(await page.textContent('#chart-note'), 'No rows to chart.');
  await postResult(page, payloadOf({ columns, rows: [['2024-04-01T00:00:00.000+0000', 'N/A']] }));
  assert.equal(await page.textContent('#chart-note'), 'No values to chart: SEEN is N/A in every row shown.');
  assert.equal(await page.$$eval('#chart canvas', (c) => c.length), 0);
  await page.click('#tab-table');
  assert.equal(await page.textContent('#row-count'), '1 row');
  assert.equal(await page.isVisible('#no-rows'), false);
  await page.fill('#filter', 'zzz');
  await page.waitForFunction(() => document.getElementById('row-count')?.textContent === '0 of 1 row');
  assert.equal(await page.textContent('#no-rows'), 'No rows match the filter.');
  await page.close();
});

test('Copy as Markdown keeps a long value whole (the table shows it cut)', async () => {
  const long = `${'x'.repeat(600)}|end`;
  const { page } = await harness.open();
  await postResult(page, payloadOf({ columns: [{ columnName: 'TEXT', columnDataType: 'STRING' }], rows: [[long]] }));
  assert.ok(((await page.textContent('#cell-0-0')) ?? '').length < 510, 'the cell shows a cut value');
  await clearPosted(page);
  await page.click('#copy-md');
  const md = (await posted(page)).find((m) => m.type === 'copy')?.text as string;
  assert.ok(md.includes(`${'x'.repeat(600)}\\|end`), md.slice(0, 100));
  await page.close();
});

test('a small panel scrolls instead of cutting the table off; copy confirmations do not move the page', async () => {
  const columns: Column[] = [{ columnName: 'N', columnDataType: 'INTEGER' }];
  const { page } = await harness.open({ width: 420, height: 300 });
  await postResult(page, payloadOf({ columns, rows: Array.from({ length: 40 }, (_r, i) => [i]) }));
  const fits = await page.evaluate(() => {
    const app = document.getElementById('app')!;
    app.scrollTop = app.scrollHeight;
    const g = document.getElementById('grid')!.getBoundingClientRect();
    return { bottom: g.bottom, height: g.height, inner: innerHeight };
  });
  assert.ok(fits.bottom <= fits.inner + 1, `grid bottom ${fits.bottom} > viewport ${fits.inner}`);
  assert.ok(fits.height >= 150, `grid height ${fits.height}`);
  const before = await page.evaluate(() => document.getElementById('grid')!.getBoundingClientRect().top);
  await page.click('#cell-0-0');
  await page.click('#copy-cell');
  assert.equal(await page.textContent('#toast'), 'Cell copied.');
  const after = await page.evaluate(() => document.getElementById('grid')!.getBoundingClientRect().top);
  assert.equal(after, before);
  await page.close();
});

test('results too large to keep are not copied into the saved state on every save; a reload says so', async () => {
  const columns: Column[] = [{ columnName: 'TEXT', columnDataType: 'STRING' }];
  const big = Array.from({ length: 600 }, (_r, i) => [`${i}-${'y'.repeat(8000)}`]);
  const { page } = await harness.open();
  await postResult(page, payloadOf({ columns, rows: big, title: 'Big one' }));
  const state = await page.evaluate(() => (window as unknown as HarnessWindow).__mqHost.state as { payload?: string; dropped?: { chars: number; title: string } });
  assert.equal(state.payload, undefined);
  assert.ok(state.dropped && state.dropped.chars > 4 * 1024 * 1024 && state.dropped.title === 'Big one');
  await page.reload();
  await page.waitForFunction(() => (window as unknown as HarnessWindow).__mqHost.posted.some((m) => (m as { type?: string }).type === 'ready'));
  assert.match((await page.textContent('#empty')) ?? '', /The result “Big one” \(4\.\d MB\) was too large to keep across a reload\. Run the query again/);
  await page.close();
});

test('a result over 4 MiB that the host keeps on disk comes back after a reload with its sort and filter', async () => {
  const columns: Column[] = [{ columnName: 'TEXT', columnDataType: 'STRING' }, { columnName: 'N', columnDataType: 'INTEGER' }];
  const big = Array.from({ length: 600 }, (_r, i) => [`${i}-${'y'.repeat(8000)}`, i]);
  const payload = payloadOf({ columns, rows: big, title: 'Big one' });
  const key = 'ab'.repeat(16);
  const { page } = await harness.open();
  await page.evaluate(({ p, k }) => {
    performance.clearMarks();
    window.postMessage({ type: 'result', payload: p, stored: k }, '*');
  }, { p: payload, k: key });
  await page.waitForFunction(() => performance.getEntriesByName('mq:result-painted').length > 0);
  await page.click('.grid-head[data-col="1"]');
  await page.click('.grid-head[data-col="1"]');
  await page.fill('#filter', '-y');
  type Saved = { payload?: string; stored?: { key: string; chars: number; title: string }; filter?: string; sort?: { col: number; dir: string } };
  await page.waitForFunction(() => ((window as unknown as HarnessWindow).__mqHost.state as { filter?: string } | undefined)?.filter === '-y');
  const state = await page.evaluate(() => (window as unknown as HarnessWindow).__mqHost.state as Saved);
  assert.equal(state.payload, undefined, 'the payload itself is not in the saved state');
  assert.deepEqual(state.stored, { key, chars: payload.length, title: 'Big one' });
  assert.deepEqual(state.sort, { col: 1, dir: 'desc' });
  // The host embeds the saved state with the payload read back from disk (restoredStateJson).
  harness.server.embed(JSON.stringify({ ...state, payload }));
  try {
    await page.reload();
    await page.waitForSelector('.grid-body .grid-row');
    assert.equal(await page.inputValue('#filter'), '-y');
    assert.equal(await page.textContent('#cell-0-1'), '599', 'sorted descending as before');
    assert.equal(await page.textContent('#row-count'), '600 rows');
    // The file is gone (pruned): the page says so instead of showing nothing.
    harness.server.embed(undefined);
    await page.reload();
    await page.waitForFunction(() => (window as unknown as HarnessWindow).__mqHost.posted.some((m) => (m as { type?: string }).type === 'ready'));
    assert.match((await page.textContent('#empty')) ?? '', /The result “Big one” \(4\.\d MB\) is no longer in the extension's storage\. Run the query again/);
  } finally {
    harness.server.embed(undefined);
    await page.close();
  }
});

test('a saved state of the wrong shape is ignored piece by piece: the result still shows', async () => {
  const columns: Column[] = [{ columnName: 'NAME', columnDataType: 'STRING' }, { columnName: 'N', columnDataType: 'INTEGER' }];
  const payload = payloadOf({ columns, rows: [['a', 1], ['b', 2]] });
  const opened = await harness.open();
  const { page } = opened;
  await page.evaluate((p) => {
    sessionStorage.setItem('mq-harness-state', JSON.stringify({ v: 1, payload: p, shown: 5, sort: { col: 'x', dir: 'up' }, selected: { row: 'a' }, filter: 7, details: 'yes' }));
  }, payload);
  await page.reload();
  await page.waitForSelector('.grid-body .grid-row');
  assert.equal(await page.textContent('#row-count'), '2 rows');
  assert.equal(await page.inputValue('#filter'), '');
  assert.deepEqual(await page.$$eval('.grid-head', (h) => h.map((e) => e.getAttribute('aria-sort'))), ['none', 'none']);
  assert.deepEqual(opened.pageErrors, []);
  await page.close();
});
