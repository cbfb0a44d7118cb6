// The HTML report and the text fallbacks: self-contained, no script, every value escaped, charts as SVG.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exportHtml, exportMarkdown, resultFallbacks, svgChart, viewOf } from '../../server/src/notebook/export.js';
import { markdownToHtml } from '../../server/src/notebook/markdown.js';
import type { Notebook, NotebookResult } from '../../server/src/notebook/format.js';
import { sampleNotebook } from './fixtures.js';

const HOSTILE = ['<script>alert(1)</script>', '"><img src=x onerror=alert(2)>', "javascript:alert(3)", '=cmd|"/c calc"!A1', '| pipe | row |', '\u202Eevil'];

function hostileResult(): NotebookResult {
  return {
    title: '<b>title</b><script>x</script>',
    queryText: 'SELECT 1',
    source: 'sample',
    connection: 'embedded',
    requestId: '<i>id</i>',
    dimensions: ['CHANNEL_CODE', 'SENDER'],
    response: {
      requestedPeriod: { sentSince: '2026-01-01', sentUntil: '2026-01-02' },
      totalRows: HOSTILE.length,
      columns: [
        { columnName: 'CHANNEL_CODE', columnDataType: 'STRING' },
        { columnName: 'SENDER', columnDataType: 'STRING' },
        { columnName: '<svg onload=alert(4)>', columnDataType: 'INTEGER' },
      ],
      rows: HOSTILE.map((h, i) => ['SMS', h, i + 1]),
    },
  };
}

function hostileNotebook(): Notebook {
  return {
    cells: [
      { kind: 'markdown', source: '# Report <script>alert(5)</script>\n\n[click](javascript:alert(6)) and [ok](https://example.com/"onmouseover="x)\n\n<iframe src=x>' },
      { kind: 'mq', source: 'SELECT </pre><script>alert(7)</script>', outputs: [{ kind: 'result', query: 1, line: 1, result: hostileResult() }, { kind: 'error', reason: 'diagnostics', message: '<img src=x onerror=alert(8)>', diagnostics: [{ code: '<b>c</b>', severity: 'error', line: 1, column: 1, message: '<script>' }] }] },
    ],
  };
}

test('the HTML report holds no script, no event handler and no element taken from a value', () => {
  const html = exportHtml(hostileNotebook(), { title: '<title>' });
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /<img|<iframe|<svg onload|<b>|<i>/i);
  const tags = html.match(/<[a-z][^>]*>/gi) ?? [];
  assert.ok(tags.length > 20);
  for (const tag of tags) assert.doesNotMatch(tag.replace(/"[^"]*"/g, '""'), /\son\w+=/i, `no event handler attribute in ${tag}`);
  assert.doesNotMatch(html, /href="javascript:/i);
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(html, /⟨U\+202E⟩evil/, 'bidi controls made visible');
  assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
  assert.match(html, /<a href="https:\/\/example.com\/(%22|&quot;)onmouseover=(%22|&quot;)x"/, 'the quote in a URL stays inside the attribute');
});

test('the HTML report is self-contained: tables, a line chart over time as SVG, no external resource', () => {
  const html = exportHtml(sampleNotebook());
  assert.doesNotMatch(html, /(src|href)="(?!https:\/\/example)/i);
  assert.doesNotMatch(html, /<link|@import|url\(/i);
  assert.match(html, /<svg class="chart"[^>]*><title>TOTAL_TRAFFIC_COUNT<\/title>.*<path d="M/);
  assert.match(html, /<td class="num"[^>]*>9007199254740993<\/td>/, 'int64 cells keep every digit');
  assert.match(html, /<td class="na"[^>]*>N\/A<\/td>/);
  assert.match(html, /<h1>Title<\/h1>/);
  assert.match(html, /unknown-metric/);
});

test('a result without a time column is a bar chart; one without metrics has no chart', () => {
  const bars = svgChart(viewOf(hostileResult()));
  assert.match(bars, /<rect /);
  assert.doesNotMatch(bars, /<script|<img/);
  const noMetric = hostileResult();
  noMetric.response.columns[2]!.columnDataType = 'STRING';
  assert.equal(svgChart(viewOf(noMetric)), '');
});

test('the fallbacks give a text table, a Markdown table with escaped pipes and a CSV with formulas neutralised', () => {
  const f = resultFallbacks(hostileResult());
  assert.match(f.plain, /SENDER/);
  assert.match(f.markdown, /\\\| pipe \\\| row \\\|/);
  assert.equal(f.markdown.split('\n').filter((l) => l.startsWith('| SMS')).length, HOSTILE.length);
  assert.match(f.csv, /^CHANNEL_CODE,SENDER,<svg onload=alert\(4\)>\r\n/);
  assert.match(f.csv, /\r\nSMS,"'=cmd\|""\/c calc""!A1",4\r\n/);
});

test('the Markdown export keeps prose, fences queries (even ones holding a fence) and shows errors', () => {
  const md = exportMarkdown({ cells: [{ kind: 'markdown', source: 'Intro' }, { kind: 'mq', source: 'SELECT X -- ```', outputs: [{ kind: 'error', reason: 'run', message: 'network: down' }] }] });
  assert.match(md, /^Intro\n/);
  assert.match(md, /\n````sql\nSELECT X -- ```\n````\n/);
  assert.match(md, /> \*\*Error:\*\* network: down/);
});

test('Markdown prose is converted with its structure and nothing it holds becomes markup', () => {
  const html = markdownToHtml('## Head\n\n- one **bold**\n- two `<code>`\n\n1. first\n\n> quote\n\n```\n<x>\n```\n\ntext *it* <b>raw</b>\n\n| a | b |\n|---|---|\n| 1 | <i> |');
  assert.equal(
    html,
    '<h2>Head</h2>\n<ul>\n<li>one <strong>bold</strong></li>\n<li>two <code>&lt;code&gt;</code></li>\n</ul>\n<ol>\n<li>first</li>\n</ol>\n' +
      '<blockquote>\n<p>quote</p>\n</blockquote>\n<pre><code>&lt;x&gt;\n</code></pre>\n<p>text <em>it</em> &lt;b&gt;raw&lt;/b&gt;</p>\n' +
      '<table>\n<thead>\n<tr>\n<th>a</th>\n<th>b</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>1</td>\n<td>&lt;i&gt;</td>\n</tr>\n</tbody>\n</table>',
  );
});

test('Markdown links keep only web, mail and in-page targets, and images are never fetched', () => {
  const html = markdownToHtml('[a](javascript:alert(1)) [b](data:text/html,x) [c](file:///etc/passwd) [d](https://example.com/x) [e](mailto:x@example.com) [f](#top) ![g](https://example.com/g.png)');
  assert.doesNotMatch(html, /href="(javascript|data|file):/i);
  assert.match(html, /\[a\]\(javascript:alert\(1\)\)/);
  assert.match(html, /<a href="https:\/\/example\.com\/x" rel="noopener noreferrer">d<\/a>/);
  assert.match(html, /<a href="mailto:x@example\.com" rel="noopener noreferrer">e<\/a>/);
  assert.match(html, /<a href="#top" rel="noopener noreferrer">f<\/a>/);
  assert.doesNotMatch(html, /<img/);
});
