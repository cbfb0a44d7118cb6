// Builds the HTML of the results panel. Pure (no `vscode` import) so tests can render the same page.

export interface WebviewHtmlOptions {
  /** webview.cspSource */
  cspSource: string;
  /** A fresh random nonce per page (base64/hex, no quotes). */
  nonce: string;
  /** Webview URI of dist/webview/main.js (unused when `inline` is given). */
  scriptUri: string;
  /** Webview URIs of the stylesheets (dist/webview/uPlot.min.css, dist/webview/style.css); unused with `inline`. */
  styleUris: string[];
  /**
   * The script and stylesheets' text, put in the page itself (with the nonce) instead of linked: a webview
   * fetches linked files through its service worker, and from a remote extension host (code-server,
   * Remote-SSH) that is a round trip over the network before anything shows.
   */
  inline?: { script: string; styles: string[] };
  /** Optional saved state (JSON text of `{ v: 1, payload, sort, filter, tab, metric }`) shown before any message. */
  initialStateJson?: string;
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#39;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Makes JSON text safe inside <script type="application/json">: nothing can close the tag or open a comment. */
function escapeJsonForScript(json: string): string {
  return json.replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/**
 * The text of an inline <script> or <style> element is raw: it ends at the first `</script` (`</style`),
 * whatever surrounds it. The bundles are ours and never contain one; a text that does is refused rather than
 * altered, since no escape exists inside raw text.
 */
function rawText(text: string, element: 'script' | 'style'): string {
  if (new RegExp(`</${element}|<!--`, 'i').test(text)) throw new Error(`renderWebviewHtml: the inline ${element} contains "</${element}" or "<!--"`);
  return text;
}

/**
 * cspSource must be URL/scheme sources or the keyword 'self' (VS Code gives "'self' https://*.vscode-cdn.net"):
 * no other quoted keywords, semicolons or commas that could add directives or loosen the policy.
 */
function checkCspSource(s: string): string {
  const tokens = s.trim().split(/\s+/);
  const ok = (t: string) => t === "'self'" || /^[A-Za-z][A-Za-z0-9+.-]*:[^\s;,'"]*$/.test(t);
  if (!tokens.every(ok)) throw new Error("renderWebviewHtml: cspSource must be 'self' or URL/scheme sources");
  return tokens.join(' ');
}

export function renderWebviewHtml(opts: WebviewHtmlOptions): string {
  if (!/^[A-Za-z0-9+/=_-]{8,}$/.test(opts.nonce)) throw new Error('renderWebviewHtml: nonce must be at least 8 base64/hex characters');
  const src = checkCspSource(opts.cspSource);
  const nonce = opts.nonce;
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${src} 'nonce-${nonce}'`,
    `img-src ${src} data:`,
    `font-src ${src}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const styles = opts.inline
    ? opts.inline.styles.map((css) => `    <style nonce="${nonce}">${rawText(css, 'style')}</style>`).join('\n')
    : opts.styleUris.map((u) => `    <link rel="stylesheet" nonce="${nonce}" href="${escapeAttr(u)}">`).join('\n');
  const script = opts.inline
    ? `<script nonce="${nonce}">${rawText(opts.inline.script, 'script')}</script>`
    : `<script nonce="${nonce}" src="${escapeAttr(opts.scriptUri)}"></script>`;
  const state = opts.initialStateJson !== undefined
    ? `\n    <script type="application/json" id="mq-initial-state">${escapeJsonForScript(opts.initialStateJson)}</script>`
    : '';
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta http-equiv="Content-Security-Policy" content="${escapeAttr(csp)}">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>mq results</title>
${styles}
  </head>
  <body>
    <div id="app"><p class="empty">Waiting for a result…</p></div>${state}
    ${script}
  </body>
</html>
`;
}
