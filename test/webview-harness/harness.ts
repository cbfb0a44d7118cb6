// Serves the results webview exactly as the extension builds it (renderWebviewHtml + dist/webview/*)
// over a loopback HTTP server, with a fake acquireVsCodeApi, and drives it with playwright-core.
// Run `npm run build` first: the page loads dist/webview/main.js.
import { createServer, type Server } from 'node:http';
import { readFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { before, after } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { renderWebviewHtml } from '../../client/src/webviewHtml.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const distDir = join(root, 'dist', 'webview');

export interface HarnessServer {
  url: string;
  /** State JSON the page embeds from now on, as the host does for a new or restored panel (undefined: none). */
  embed(stateJson: string | undefined): void;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

/** Starts the harness page server on 127.0.0.1 (random port). */
export async function startHarnessServer(): Promise<HarnessServer> {
  if (!existsSync(join(distDir, 'main.js'))) throw new Error('dist/webview/main.js is missing: run `npm run build` first');
  const files: Record<string, string> = {
    '/webview/main.js': join(distDir, 'main.js'),
    '/webview/style.css': join(distDir, 'style.css'),
    '/webview/uPlot.min.css': join(distDir, 'uPlot.min.css'),
    '/harness/fake-vscode-api.js': join(here, 'fake-vscode-api.js'),
  };
  let origin = '';
  let embedded: string | undefined;
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/' || path === '/index.html') {
      const nonce = randomBytes(16).toString('base64');
      let html = renderWebviewHtml({
        cspSource: origin,
        nonce,
        scriptUri: `${origin}/webview/main.js`,
        styleUris: [`${origin}/webview/uPlot.min.css`, `${origin}/webview/style.css`],
        // Inline, as the extension puts them (client/src/resultsPanel.ts).
        inline: { script: readFileSync(files['/webview/main.js']!, 'utf8'), styles: [readFileSync(files['/webview/uPlot.min.css']!, 'utf8'), readFileSync(files['/webview/style.css']!, 'utf8')] },
        ...(embedded === undefined ? {} : { initialStateJson: embedded }),
      });
      // The fake VS Code API must run before main.js; it carries the same nonce.
      html = html.replace('<script nonce=', `<script nonce="${nonce}" src="${origin}/harness/fake-vscode-api.js"></script>\n    <script nonce=`);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(html);
      return;
    }
    const file = files[path];
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}/`,
    embed: (json) => {
      embedded = json;
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export const CHROMIUM_PATH = process.env.MQ_CHROMIUM ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

export interface OpenedWebview {
  page: Page;
  /** Dialogs (alert/confirm/prompt) the page tried to open: must stay empty. */
  dialogs: string[];
  /** Uncaught page errors. */
  pageErrors: string[];
  /** Requests to anything but the harness origin. */
  foreignRequests: string[];
}

/**
 * For a test file: starts the harness server and Chromium before its tests and closes both after them.
 * `open()` gives a fresh webview page; `browser` is there for helpers that make their own pages.
 */
export function useHarness(): { open: (viewport?: { width: number; height: number }, options?: PageOptions) => Promise<OpenedWebview>; readonly browser: Browser; readonly server: HarnessServer } {
  let browser: Browser | undefined;
  let server: HarnessServer | undefined;
  before(async () => {
    server = await startHarnessServer();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    open: (viewport, options) => openWebview(browser!, server!, viewport, options),
    get browser() {
      return browser!;
    },
    get server() {
      return server!;
    },
  };
}

/** Page options beyond the viewport: the browser's time zone (for checks that the page shows UTC). */
export interface PageOptions {
  timezoneId?: string;
  /** The browser's locale (digit grouping follows it); en-US unless given. */
  locale?: string;
}

/** Opens the harness page in a fresh page and waits until the webview script has started. */
export async function openWebview(browser: Browser, server: HarnessServer, viewport = { width: 1200, height: 800 }, options: PageOptions = {}): Promise<OpenedWebview> {
  const page = await browser.newPage({ viewport, locale: options.locale ?? 'en-US', ...(options.timezoneId ? { timezoneId: options.timezoneId } : {}) });
  const opened: OpenedWebview = { page, dialogs: [], pageErrors: [], foreignRequests: [] };
  page.on('dialog', (d) => {
    opened.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss().catch(() => undefined);
  });
  // tsx (esbuild keepNames) wraps named functions in __name(); functions passed to page.evaluate need it defined.
  await page.addInitScript('globalThis.__name = function (f) { return f; };');
  page.on('pageerror', (e) => opened.pageErrors.push(String(e)));
  const origin = new URL(server.url).origin;
  page.on('request', (r) => {
    if (!r.url().startsWith(origin)) opened.foreignRequests.push(r.url());
  });
  await page.goto(server.url);
  await page.waitForFunction(() => (window as unknown as HarnessWindow).__mqHost?.posted.some((m) => (m as { type?: string }).type === 'ready'));
  return opened;
}

export interface HarnessWindow {
  __mqHost: { posted: unknown[]; state: unknown; cspViolations: { directive: string; blocked: string; sample: string }[]; errors: string[] };
  __mqPwned: boolean;
}

/** Posts a result message (payload = JSON text) and waits until the table shows it. */
export async function postResult(page: Page, payload: string): Promise<void> {
  await page.evaluate((p) => {
    performance.clearMarks();
    window.postMessage({ type: 'result', payload: p }, '*');
  }, payload);
  await page.waitForFunction(() => performance.getEntriesByName('mq:result-painted').length > 0 || !document.getElementById('error')?.hidden);
}

export async function postMessage(page: Page, msg: unknown): Promise<void> {
  await page.evaluate((m) => window.postMessage(m, '*'), msg);
}

/** Messages the webview posted to the (fake) host. */
export async function posted(page: Page): Promise<{ type: string; [k: string]: unknown }[]> {
  return page.evaluate(() => (window as unknown as HarnessWindow).__mqHost.posted as { type: string }[]);
}

export async function clearPosted(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as HarnessWindow).__mqHost.posted.length = 0;
  });
}

/** Text of the rendered body cells, row by row, in on-screen order. */
export async function visibleRows(page: Page): Promise<string[][]> {
  return page.evaluate(() => {
    const rows = Array.from(document.querySelectorAll<HTMLElement>('.grid-body .grid-row:not([hidden])'));
    rows.sort((a, b) => Number(a.dataset.view) - Number(b.dataset.view));
    return rows.map((r) => Array.from(r.children).map((c) => c.textContent ?? ''));
  });
}
