// Serves the built notebook renderer (dist/renderer/index.js) on loopback inside a page with a strict CSP
// like a notebook's output webview, and renders outputs through the renderer's own activate() API.
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { before, after } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../webview-harness/harness.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const RENDERER = join(root, 'dist', 'renderer', 'index.js');

const PAGE = `<!DOCTYPE html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; font-src 'self'">
<style>body { --vscode-foreground: #cccccc; --vscode-editor-background: #1e1e1e; background: #1e1e1e; color: #ccc; }</style>
</head><body><div id="out"></div><script type="module" src="/page.js"></script></body></html>`;

// What the notebook does with a renderer: activate it once, then renderOutputItem(item, element) per output.
const PAGE_JS = `import { activate } from '/renderer/index.js';
const api = activate({});
window.__mqRender = (id, text) => {
  const host = document.getElementById('out');
  let el = document.getElementById(id);
  if (!el) { el = document.createElement('div'); el.id = id; host.append(el); }
  const t0 = performance.now();
  api.renderOutputItem({ id, mime: 'application/vnd.mq.result+json', text: () => text }, el);
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0), 0)));
};
window.__mqDispose = (id) => api.disposeOutputItem(id);
window.__mqReady = true;
`;

export interface RendererPage {
  page: Page;
  dialogs: string[];
  pageErrors: string[];
  foreignRequests: string[];
  cspViolations: string[];
}

/** Serves the renderer page on 127.0.0.1 (random port). */
export async function startRendererServer(): Promise<{ origin: string; close(): Promise<void> }> {
  if (!existsSync(RENDERER)) throw new Error('dist/renderer/index.js is missing: run `npm run build` first');
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (type: string, body: string | Buffer) => {
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (path === '/') return send('text/html; charset=utf-8', PAGE);
    if (path === '/page.js') return send('text/javascript; charset=utf-8', PAGE_JS);
    if (path === '/renderer/index.js') return send('text/javascript; charset=utf-8', readFileSync(RENDERER));
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

/** A fresh page with the renderer activated, recording dialogs, errors and requests to other origins. */
export async function openRendererPage(browser: Browser, origin: string): Promise<RendererPage> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 800 }, locale: 'en-US' });
  const opened: RendererPage = { page, dialogs: [], pageErrors: [], foreignRequests: [], cspViolations: [] };
  page.on('dialog', (d) => {
    opened.dialogs.push(d.message());
    void d.dismiss().catch(() => undefined);
  });
  page.on('pageerror', (e) => opened.pageErrors.push(String(e)));
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) opened.cspViolations.push(m.text());
  });
  page.on('request', (r) => {
    if (!r.url().startsWith(origin)) opened.foreignRequests.push(r.url());
  });
  await page.addInitScript('globalThis.__name = function (f) { return f; };');
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => (window as unknown as { __mqReady?: boolean }).__mqReady === true);
  return opened;
}

/** For a test file: the page server and Chromium start before its tests and close after them. */
export function useRendererHarness(): { open: () => Promise<RendererPage> } {
  let server: { origin: string; close(): Promise<void> } | undefined;
  let browser: Browser | undefined;
  before(async () => {
    server = await startRendererServer();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
  return { open: () => openRendererPage(browser!, server!.origin) };
}

/** Renders one output; resolves with the time to the first frame after it, in ms. */
export function render(page: Page, id: string, text: string): Promise<number> {
  return page.evaluate(([i, t]) => (window as unknown as { __mqRender: (id: string, text: string) => Promise<number> }).__mqRender(i!, t!), [id, text]);
}
