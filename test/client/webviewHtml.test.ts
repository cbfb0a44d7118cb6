// The panel HTML: strict CSP with a nonce; the script and styles either linked or inline with that nonce.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderWebviewHtml } from '../../client/src/webviewHtml.js';

const base = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  nonce: 'abcDEF0123456789',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/main.js',
  styleUris: ['https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/uPlot.min.css', 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/style.css'],
};

test('CSP is strict and nonce-based', () => {
  const html = renderWebviewHtml(base);
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
  const directives = csp.replace(/&#39;/g, "'").split(';').map((d) => d.trim());
  assert.ok(directives.includes("default-src 'none'"));
  assert.ok(directives.includes("script-src 'nonce-abcDEF0123456789'"));
  assert.ok(directives.includes(`style-src ${base.cspSource} 'nonce-abcDEF0123456789'`));
  assert.ok(directives.includes(`img-src ${base.cspSource} data:`));
  assert.ok(directives.includes(`font-src ${base.cspSource}`));
  assert.ok(!csp.includes('unsafe-inline') && !csp.includes('unsafe-eval') && !csp.includes('*'));
  // exactly one script, external, with the nonce; stylesheets from the given URIs only
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  assert.deepEqual(scripts, [`<script nonce="abcDEF0123456789" src="${base.scriptUri}">`]);
  for (const u of base.styleUris) assert.ok(html.includes(`href="${u}"`));
  assert.doesNotMatch(html, /\son[a-z]+\s*=/i, 'no inline event handlers');
  assert.doesNotMatch(html, /<style\b/i);
});

test('hostile option values cannot break out of attributes or add CSP directives', () => {
  const html = renderWebviewHtml({
    ...base,
    scriptUri: '"><script>alert(1)</script>',
    styleUris: ['x" onload="alert(1)'],
  });
  assert.doesNotMatch(html, /unsafe-inline/);
  assert.doesNotMatch(html, /<script>alert/);
  assert.doesNotMatch(html, /" onload="/);
  assert.throws(() => renderWebviewHtml({ ...base, cspSource: "https://x; script-src 'unsafe-inline'" }), /cspSource/);
  assert.throws(() => renderWebviewHtml({ ...base, cspSource: "'unsafe-inline' https://x" }), /cspSource/);
  // VS Code's own value: the 'self' keyword plus its CDN source.
  const vscodeLike = renderWebviewHtml({ ...base, cspSource: "'self' https://*.vscode-cdn.net" });
  assert.match(vscodeLike, /img-src &#39;self&#39; https:\/\/\*\.vscode-cdn\.net data:/);
  assert.throws(() => renderWebviewHtml({ ...base, nonce: "x' 'unsafe-inline" }), /nonce/);
});

test('embedded initial state cannot close its script element', () => {
  const state = JSON.stringify({ v: 1, payload: '{"title":"</script><script>alert(1)</script><!--"}' });
  const html = renderWebviewHtml({ ...base, initialStateJson: state });
  const m = /<script type="application\/json" id="mq-initial-state">([\s\S]*?)<\/script>/.exec(html);
  assert.ok(m);
  assert.doesNotMatch(m[1], /[<>]/);
  assert.deepEqual(JSON.parse(m[1]), JSON.parse(state));
});

test('inline assets: one script and the stylesheets in the page, each with the nonce, under the same CSP', () => {
  const inline = { script: 'document.body.dataset.ok = "1";', styles: ['.u-legend{display:none}', 'body{margin:0}'] };
  const linked = renderWebviewHtml(base);
  const html = renderWebviewHtml({ ...base, inline });
  const cspOf = (h: string) => /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(h)?.[1];
  assert.equal(cspOf(html), cspOf(linked));
  assert.deepEqual(html.match(/<script\b[^>]*>/g), ['<script nonce="abcDEF0123456789">']);
  assert.ok(html.includes(`<script nonce="abcDEF0123456789">${inline.script}</script>`));
  assert.deepEqual(html.match(/<style\b[^>]*>[^<]*<\/style>/g), inline.styles.map((c) => `<style nonce="abcDEF0123456789">${c}</style>`));
  assert.doesNotMatch(html, /<link\b|\ssrc=/, 'nothing is fetched');
});

test('inline assets that could end their element early are refused, not altered', () => {
  assert.throws(() => renderWebviewHtml({ ...base, inline: { script: 'x = "</SCRIPT><script>alert(1)";', styles: [] } }), /inline script contains/);
  assert.throws(() => renderWebviewHtml({ ...base, inline: { script: '', styles: ['a{}</style><script>alert(1)</script>'] } }), /inline style contains/);
  assert.throws(() => renderWebviewHtml({ ...base, inline: { script: '<!-- x', styles: [] } }), /inline script contains/);
});
