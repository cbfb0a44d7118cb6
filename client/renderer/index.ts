// Notebook renderer for mq results (application/vnd.mq.result+json), built to dist/renderer/index.js.
// Each output gets a shadow root with the results view's stylesheet (theme colours come from VS Code's
// CSS variables, which reach into the shadow tree), so nothing leaks into or out of other outputs.
import styleText from '../webview/style.css';
import uplotStyle from 'uplot/dist/uPlot.min.css';
import { ResultOutput } from './resultOutput.js';

interface OutputItem {
  id: string;
  mime: string;
  text(): string;
}

const EXTRA = `
:host { display: block; color: var(--mq-fg); font-family: var(--vscode-font-family, system-ui, sans-serif); font-size: var(--vscode-font-size, 13px); }
.root { display: flex; flex-direction: column; gap: 6px; padding: 4px 0; }
.grid { flex: none; min-height: 0; }
.chart-host { min-height: 260px; }
.period { color: var(--mq-muted); }
.render-error { color: var(--mq-error); }
`;

const CSS = uplotStyle + '\n' + styleText.replace(/:root\b/g, ':host') + EXTRA;
const outputs = new Map<string, ResultOutput>();

function mount(element: HTMLElement): HTMLElement {
  const shadow = element.shadowRoot ?? element.attachShadow({ mode: 'open' });
  shadow.textContent = '';
  const style = document.createElement('style');
  style.textContent = CSS;
  const root = document.createElement('div');
  root.className = 'root mq-result';
  shadow.append(style, root);
  return root;
}

export function renderResult(id: string, text: string, element: HTMLElement): void {
  outputs.get(id)?.dispose();
  outputs.delete(id);
  const root = mount(element);
  try {
    outputs.set(id, new ResultOutput(root, text));
  } catch (e) {
    const p = document.createElement('p');
    p.className = 'render-error';
    p.textContent = `mq: this output could not be shown (${e instanceof Error ? e.message : String(e)}). Run the cell again.`;
    root.append(p);
  }
}

export function activate(): { renderOutputItem(item: OutputItem, element: HTMLElement): void; disposeOutputItem(id?: string): void } {
  return {
    renderOutputItem: (item, element) => renderResult(item.id, item.text(), element),
    disposeOutputItem: (id) => {
      for (const [key, out] of outputs) {
        if (id === undefined || key === id) {
          out.dispose();
          outputs.delete(key);
        }
      }
    },
  };
}
