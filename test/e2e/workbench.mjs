// What a user does in the VS Code workbench, as Playwright steps (selectors for VS Code 1.139).
// Every wait is on something visible on screen, not on time.
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { RESULTS_DIR } from './harness.mjs';

export const SEL = {
  workbench: '.monaco-workbench',
  quickInput: '.quick-input-widget',
  quickInputBox: '.quick-input-widget .quick-input-box input',
  quickInputRow: '.quick-input-widget .monaco-list-row',
  editor: '.editor-group-container.active .monaco-editor',
  squiggleError: '.monaco-editor .squiggly-error',
  problemsRow: '.markers-panel .monaco-list-row[aria-level="2"]',
  statusProblems: '[id="status.problems"]',
  suggest: '.editor-widget.suggest-widget',
  suggestRow: '.editor-widget.suggest-widget .monaco-list-row',
  hover: '.monaco-hover:not(.hidden)',
  actionWidget: '.action-widget:not(.action-list-submenu-panel)',
  codeLens: '.contentWidgets .codelens-decoration a, .view-zones .codelens-decoration a, .codelens-decoration a',
  notification: '.notifications-toasts .notification-toast',
  webview: 'iframe.webview.ready',
};

export class Workbench {
  constructor(page, name) {
    this.page = page;
    this.name = name;
    this.shots = 0;
  }

  async open(url, folder) {
    await this.page.goto(`${url}/?folder=${encodeURIComponent(folder)}`);
    await this.page.waitForSelector(SEL.workbench, { timeout: 90_000 });
    // The explorer shows the workspace once the window is fully up.
    await this.page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 90_000 });
  }

  async screenshot(label) {
    mkdirSync(RESULTS_DIR, { recursive: true });
    const file = join(RESULTS_DIR, `${this.name}${label ? `-${label}` : ''}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Opens a workspace file through Quick Open (Ctrl+P), like a user would. */
  async openFile(relPath) {
    const base = relPath.split('/').pop();
    await this.page.locator(SEL.workbench).click({ position: { x: 5, y: 300 } }).catch(() => {});
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator(SEL.quickInputBox);
    await input.waitFor({ state: 'visible' });
    await input.fill(relPath);
    const row = this.page.locator(SEL.quickInputRow, { hasText: base }).first();
    await row.waitFor({ state: 'visible', timeout: 20_000 });
    await this.page.keyboard.press('Enter');
    await this.page.locator(`.tab.active[aria-label*="${base}"], .tab.active:has-text("${base}")`).first().waitFor({ timeout: 20_000 });
    await this.editor().locator('.view-lines').waitFor();
    return this.editor();
  }

  editor() {
    return this.page.locator(SEL.editor).first();
  }

  /** Focuses the active editor's text area. */
  async focusEditor() {
    await this.editor().locator('.view-lines').click();
  }

  async editorText() {
    // Reading the view-lines is only the visible part; the files are short so that is all of them.
    const lines = await this.editor().locator('.view-lines .view-line').allTextContents();
    return lines.join('\n').replace(/\u00a0/g, ' ');
  }

  /**
   * Runs a command from the command palette (F1) by its title. Right after the window opens, extension
   * contributions may not be registered yet, so the palette is reopened until the command shows up.
   */
  async runCommand(title, { pick = true, timeout = 60_000 } = {}) {
    const until = Date.now() + timeout;
    const input = this.page.locator(SEL.quickInputBox);
    const row = this.page.locator(SEL.quickInputRow, { hasText: title }).first();
    for (;;) {
      await this.page.keyboard.press('Escape');
      await this.page.keyboard.press('F1');
      await input.waitFor({ state: 'visible' });
      await input.fill(`>${title}`);
      try {
        await row.waitFor({ state: 'visible', timeout: 3000 });
        if (!pick) return row;
        // The list may still re-render while the palette settles: a click that fails is retried.
        await row.click({ timeout: 5000 });
        await input.waitFor({ state: 'hidden', timeout: 2000 }).catch(() => {});
        return row;
      } catch (e) {
        if (Date.now() > until) throw new Error(`the command palette never listed "${title}" (${e.message.split('\n')[0]})`, { cause: e });
      }
    }
  }

  /** The command palette rows for a filter text (used to check commands are contributed). */
  async paletteRows(filter) {
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('F1');
    const input = this.page.locator(SEL.quickInputBox);
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${filter}`);
    await this.page.locator(SEL.quickInputRow).first().waitFor({ timeout: 20_000 });
    const rows = await this.page.locator(SEL.quickInputRow).allTextContents();
    await this.page.keyboard.press('Escape');
    return rows;
  }

  /** Moves the cursor onto the first occurrence of `text` in the active editor (by clicking on it). */
  async clickOnText(text, { offset = 2 } = {}) {
    const span = this.editor().locator('.view-line span span', { hasText: text }).first();
    // The line can be rendered again between finding the span and measuring it (semantic tokens arriving,
    // a CodeLens pushing it down): then the box is null and the span is looked up again.
    let box = null;
    for (let i = 0; i < 10 && !box; i++) {
      await span.waitFor({ timeout: 20_000 });
      box = await span.boundingBox();
      if (!box) await this.page.waitForTimeout(100);
    }
    if (!box) throw new Error(`"${text}" is in the editor but never stayed on screen long enough to click on it`);
    const full = (await span.textContent()) ?? text;
    const start = full.indexOf(text);
    const charW = box.width / Math.max(1, full.length);
    await this.page.mouse.click(box.x + (start + offset) * charW, box.y + box.height / 2);
    return span;
  }

  /** The webview's inner document (the results panel). */
  webviewFrame() {
    return this.page.frameLocator(SEL.webview).last().frameLocator('#active-frame');
  }

  async notifications() {
    return this.page.locator(SEL.notification).allTextContents();
  }
}
