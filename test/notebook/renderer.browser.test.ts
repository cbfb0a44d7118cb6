// The notebook renderer in headless Chromium: hostile values are shown as text and never run or load
// anything; the table sorts, filters and scrolls virtually; the chart draws; a damaged payload is explained.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useRendererHarness, render } from '../notebook-harness/renderer.js';
import { payloadOf, bigPayload } from '../webview-harness/fixtures.js';
import type { CellValue, Column } from '../../client/webview/model.js';

const harness = useRendererHarness();
const PWN = 'window.__mqPwned=true;alert(1)';
const HOSTILE = [
  `<script>${PWN}</script>`,
  `<img src=x onerror="${PWN}">`,
  `<svg onload="${PWN}"></svg>`,
  `" onmouseover="${PWN}" x="`,
  `javascript:${PWN}`,
  `</div><iframe src="javascript:${PWN}"></iframe>`,
  `</style><style>*{display:none!important}</style>`,
  `x;}</style><link rel=stylesheet href=https://evil.example/x.css>`,
  `\u202Egnp.exe\u202C harmless.png`,
  `https://evil.example/"><script>${PWN}</script>`,
  'A'.repeat(200_000),
];
const COLS: Column[] = [
  { columnName: 'SENDER', columnDataType: 'STRING' },
  { columnName: `<img src=x onerror="${PWN}">`, columnDataType: 'INTEGER' },
  { columnName: 'DELIVERY_RATE', columnDataType: 'NUMBER' },
];

test('hostile cells, column names and header values are shown as text and never execute or load anything', async () => {
  const r = await harness.open();
  const rows: CellValue[][] = HOSTILE.map((h, i) => [h, i, i % 2 ? 'N/A' : 0.5]);
  await render(r.page, 'o1', payloadOf({ columns: COLS, rows, title: `<script>${PWN}</script>`, connection: `<img src=x onerror="${PWN}">` }));
  await r.page.evaluate(() => new Promise((res) => setTimeout(res, 200)));
  const found = await r.page.evaluate(() => {
    const root = document.querySelector('#o1')!.shadowRoot!;
    return {
      pwned: (window as unknown as { __mqPwned?: boolean }).__mqPwned === true,
      foreign: root.querySelectorAll('script, img, iframe, link, svg, a, object, embed').length,
      styles: root.querySelectorAll('style').length,
      title: root.querySelector('.meta .title')?.textContent,
      heads: Array.from(root.querySelectorAll('.grid-head .head-label')).map((e) => e.textContent),
      cells: Array.from(root.querySelectorAll('.grid-body .grid-row:not([hidden]) .grid-cell')).map((e) => e.textContent ?? ''),
      visible: (root.querySelector('.grid') as HTMLElement).getBoundingClientRect().height,
    };
  });
  assert.equal(found.pwned, false);
  assert.deepEqual(r.dialogs, []);
  assert.deepEqual(r.foreignRequests, []);
  assert.deepEqual(r.pageErrors, []);
  assert.equal(found.foreign, 0, 'no element made from a value');
  assert.equal(found.styles, 1, 'only the renderer\'s own stylesheet');
  assert.equal(found.title, `<script>${PWN}</script>`);
  assert.equal(found.heads[1], `<img src=x onerror="${PWN}">`);
  assert.ok(found.cells.includes(`<script>${PWN}</script>`));
  assert.ok(found.cells.some((c) => c.startsWith('⟨U+202E⟩gnp.exe')), 'bidi override made visible');
  assert.ok(found.cells.some((c) => c.startsWith('AAAA') && c.length <= 500), 'long text elided');
  assert.ok(found.cells.includes('N/A') && found.cells.includes('50.00%'));
  assert.ok(found.visible > 50, 'the injected </style> did not hide the table');
});

test('the table sorts by a header click, filters, and keeps only the rows in view in the DOM', async () => {
  const r = await harness.open();
  await render(r.page, 'big', bigPayload(10_000));
  const state = (): Promise<{ count: string; rows: number; first: string }> =>
    r.page.evaluate(() => {
      const root = document.querySelector('#big')!.shadowRoot!;
      const rows = Array.from(root.querySelectorAll<HTMLElement>('.grid-body .grid-row:not([hidden])')).sort((a, b) => Number(a.dataset.view) - Number(b.dataset.view));
      return { count: root.querySelector('.count')!.textContent!, rows: rows.length, first: rows[0]?.children[3]?.textContent ?? '' };
    });
  const before = await state();
  assert.equal(before.count, '10,000 rows');
  assert.ok(before.rows > 5 && before.rows < 60, `${before.rows} row elements for 10,000 rows`);
  await r.page.evaluate(() => (document.querySelector('#big')!.shadowRoot!.querySelectorAll('.grid-head')[3] as HTMLElement).click());
  await r.page.evaluate(() => (document.querySelector('#big')!.shadowRoot!.querySelectorAll('.grid-head')[3] as HTMLElement).click());
  const sorted = await state();
  const max = await r.page.evaluate(() => document.querySelector('#big')!.shadowRoot!.querySelectorAll('.grid-head')[3]!.getAttribute('aria-sort'));
  assert.equal(max, 'descending');
  assert.notEqual(sorted.first, before.first);
  await r.page.evaluate(() => {
    const input = document.querySelector('#big')!.shadowRoot!.querySelector('input')!;
    input.value = 'viber';
    input.dispatchEvent(new Event('input'));
  });
  const filtered = await state();
  assert.match(filtered.count, /^[\d,]+ of 10,000 rows$/);
  assert.equal(filtered.count, '2,500 of 10,000 rows', 'one channel in four');
});

test('the chart tab draws the results view\'s chart for a time series', async () => {
  const r = await harness.open();
  await render(r.page, 'c', bigPayload(200));
  const drawn = await r.page.evaluate(async () => {
    const root = document.querySelector('#c')!.shadowRoot!;
    (root.querySelector('button[data-tab="chart"]') as HTMLElement).click();
    await new Promise((res) => setTimeout(res, 100));
    return { canvas: root.querySelectorAll('.chart-host canvas').length, table: (root.querySelector('.table-panel') as HTMLElement).hidden, note: root.querySelector('.chart-note')!.textContent };
  });
  assert.equal(drawn.canvas, 1);
  assert.equal(drawn.table, true);
  assert.match(drawn.note ?? '', /series/);
  assert.deepEqual(r.pageErrors, []);
});

test('a damaged payload shows what went wrong instead of breaking the output', async () => {
  const r = await harness.open();
  await render(r.page, 'bad', '{"title": "x", "response": 42');
  const text = await r.page.evaluate(() => Array.from(document.querySelector('#bad')!.shadowRoot!.querySelectorAll('.render-error')).map((e) => e.textContent ?? ''));
  assert.match(text[0] ?? '', /could not be shown/);
  assert.deepEqual(r.pageErrors, []);
});

test('a 10,000-row output paints its first frame quickly', async () => {
  const r = await harness.open();
  await render(r.page, 'warm', bigPayload(100));
  const ms = await render(r.page, 'p', bigPayload(10_000));
  assert.ok(ms < 1500, `first paint took ${ms.toFixed(0)} ms`);
});

test('a notebook output follows the results panel\'s rules: one header line, constant columns as chips, exact totals', async () => {
  const r = await harness.open();
  const columns: Column[] = [
    { columnName: 'CHANNEL_CODE', columnDataType: 'STRING' },
    { columnName: 'COUNTRY_NAME', columnDataType: 'STRING' },
    { columnName: 'TOTAL_TRAFFIC_COUNT', columnDataType: 'INTEGER' },
    { columnName: 'TRAFFIC_DELIVERY_RATE', columnDataType: 'NUMBER' },
  ];
  const rows: CellValue[][] = [['SMS', 'India', 9007199254740993n, 0.5], ['SMS', 'Croatia', 9007199254740993n, 0.25]];
  await render(r.page, 'rules', payloadOf({ columns, rows, source: 'sample', connection: '' }));
  const seen = await r.page.evaluate(() => {
    const root = document.querySelector('#rules')!.shadowRoot!;
    return {
      badge: root.querySelector('#source-label')?.textContent,
      rows: root.querySelector('[data-fact="rows"]')?.textContent,
      chips: Array.from(root.querySelectorAll('.chip')).map((c) => c.textContent),
      heads: Array.from(root.querySelectorAll('.grid-head .head-label')).map((e) => e.textContent),
      totals: Array.from(root.querySelectorAll('.grid-totals .grid-cell')).map((e) => e.textContent),
      detailsHidden: (root.querySelector('#details') as HTMLElement).hidden,
    };
  });
  assert.deepEqual(seen, {
    badge: 'sample data',
    rows: '2 rows',
    chips: ['CHANNEL_CODESMS'],
    heads: ['COUNTRY_NAME', 'TOTAL_TRAFFIC_COUNT', 'TRAFFIC_DELIVERY_RATE'],
    totals: ['Total', '18,014,398,509,481,986', '—'],
    detailsHidden: true,
  });
  assert.deepEqual(r.pageErrors, []);
});
