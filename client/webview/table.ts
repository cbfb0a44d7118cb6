// The results table, shared by the results panel (main.ts) and the notebook renderer: a grid with virtual
// scrolling, column widths from sampled content, the first dimension pinned while scrolling sideways,
// constant columns folded away (the header shows them as chips), a totals row for counts, sorting,
// filtering, keyboard selection and copy. Every value is written with textContent.
import { type CellValue, type ResultView, type SortState, displayText, isSafeUrl, rawText, rowSearchText, rowToTsv, sortIndices } from './model.js';
import { type ColumnInfo, type DisplayFormat, constantColumns, exactSum, noTotalReason } from './columns.js';
import { el } from './dom.js';

export const ROW_HEIGHT = 24;
const BUFFER_ROWS = 4;
/** Rows whose text sets the column widths: enough to be representative, few enough to be instant. */
const WIDTH_SAMPLE = 200;
const MIN_WIDTH = 56;
const MAX_DIMENSION_WIDTH = 240;
const MAX_WIDTH = 320;
/** Header room for a metric's name; a COMPARE WITH column gets more, as its name carries a suffix. */
const MAX_HEAD_WIDTH = 220;
const MAX_COMPARE_HEAD_WIDTH = 340;
const CELL_PADDING = 18;

export interface TableCallbacks {
  /** Something the saved state holds changed (sort, filter, scroll, selection, shown columns). */
  changed(): void;
  /** The shown rows changed (sort or filter): the chart is out of date. */
  ordered(): void;
  copy(text: string, confirmation: string): void;
  openUrl(url: string): void;
  /** Short feedback ("Select a cell first."). */
  say(text: string): void;
}

export interface TableState {
  sort: SortState | null;
  filter: string;
  scrollTop: number;
  scrollLeft: number;
  /** The selected cell: data row and column, so it survives a sort or a filter. */
  selected?: { row: number; col: number };
  /** Names of constant columns the user has shown again. */
  shown: string[];
}

let measureCtx: CanvasRenderingContext2D | null | undefined;
/** Width of text in the grid's font (a canvas measures without layout); a character estimate without one. */
function textWidth(text: string, font: string): number {
  if (measureCtx === undefined) measureCtx = document.createElement('canvas').getContext('2d');
  if (!measureCtx) return text.length * 7.5;
  measureCtx.font = font;
  return measureCtx.measureText(text).width;
}

/** Up to `max` row indices spread over `n` rows (the first ones and an even spread of the rest). */
export function sampleIndices(n: number, max = WIDTH_SAMPLE): number[] {
  if (n <= max) return Array.from({ length: n }, (_v, i) => i);
  const head = Math.floor(max / 2);
  const out = Array.from({ length: head }, (_v, i) => i);
  const step = (n - head) / (max - head);
  for (let k = 0; k < max - head; k++) out.push(head + Math.floor(k * step));
  return out;
}

const COMPARE_SUFFIX = { previous: '_PREVIOUS', delta: '_DELTA', deltaPct: '_DELTA_PCT' } as const;

/**
 * A column's header label. A COMPARE WITH column's name is cut before its suffix (_PREVIOUS, _DELTA,
 * _DELTA_PCT), never in it: the suffix is what tells M's four columns apart.
 */
function headLabel(info: ColumnInfo): HTMLElement {
  const name = displayText(info.column.columnName, 120);
  const suffix = info.compare ? COMPARE_SUFFIX[info.compare.kind] : '';
  if (!suffix || !name.endsWith(suffix)) return el('span', { class: 'head-label' }, name);
  const label = el('span', { class: 'head-label split' });
  label.append(el('span', { class: 'head-base' }, name.slice(0, -suffix.length)), el('span', { class: 'head-suffix' }, suffix));
  return label;
}

export class ResultTable {
  readonly grid = el('div', { id: 'grid', class: 'grid', role: 'grid', tabindex: '0', 'aria-label': 'Result rows' });
  private readonly headerRow = el('div', { class: 'grid-row grid-header', role: 'row', 'aria-rowindex': '1' });
  private readonly body = el('div', { class: 'grid-body', role: 'rowgroup' });
  private readonly totalsRow = el('div', { class: 'grid-row grid-totals', role: 'row' });
  private view: ResultView | undefined;
  private infos: ColumnInfo[] = [];
  /** Data column indices shown, in order (constant columns are left out unless shown again). */
  private visible: number[] = [];
  /** Per data column: the width its sampled content needs, and the width that also shows the whole name. */
  private need: number[] = [];
  private want: number[] = [];
  /** Per data column: the width given (see fit). */
  private widths: number[] = [];
  private fittedFor = -1;
  private lefts: number[] = [];
  private constants: number[] = [];
  private shown = new Set<string>();
  private headerCells: HTMLElement[] = [];
  private readonly pool: HTMLElement[] = [];
  private lastRange = { start: -1, end: -1, key: '' };
  private renderToken = 0;
  private filtered: number[] = [];
  order: number[] = [];
  sort: SortState | null = null;
  filterText = '';
  private searchCache: string[] | undefined;
  /** Selected cell: view row and position among the visible columns. */
  private active = { row: -1, pos: 0 };

  constructor(private readonly fmt: DisplayFormat, private readonly on: TableCallbacks) {
    this.grid.append(this.headerRow, this.body, this.totalsRow);
    this.grid.addEventListener('scroll', () => {
      this.renderRows();
      this.on.changed();
    }, { passive: true });
    this.wireHeader();
    this.wireBody();
    // Re-layout when the panel is resized or moved: only the rows in view change; scroll, selection, sort
    // and filter stay as they are.
    if (typeof ResizeObserver !== 'undefined') new ResizeObserver(() => this.relayout()).observe(this.grid);
  }

  /** After a resize: widths for the new space (scroll, selection, sort and filter stay), then the rows in view. */
  relayout(): void {
    if (!this.view) return;
    if (this.grid.clientWidth && this.grid.clientWidth !== this.fittedFor) this.fit();
    this.renderRows(true);
  }

  get columnInfos(): readonly ColumnInfo[] {
    return this.infos;
  }

  /** Constant columns (data indices) and whether each is shown again. */
  get constantColumns(): { col: number; shown: boolean }[] {
    return this.constants.map((col) => ({ col, shown: this.shown.has(this.infos[col]!.column.columnName) }));
  }

  setResult(view: ResultView, infos: ColumnInfo[], restore?: Partial<TableState>): void {
    this.view = view;
    this.infos = infos;
    this.searchCache = undefined;
    this.constants = constantColumns(view.response.rows, infos);
    // Saved state comes back as it was stored: anything of the wrong shape is ignored.
    this.shown = new Set(Array.isArray(restore?.shown) ? restore.shown.filter((x) => typeof x === 'string') : []);
    const sort = restore?.sort;
    this.sort = sort && Number.isInteger(sort.col) && sort.col >= 0 && sort.col < infos.length && (sort.dir === 'asc' || sort.dir === 'desc') ? sort : null;
    this.filterText = typeof restore?.filter === 'string' ? restore.filter : '';
    this.active = { row: -1, pos: 0 };
    this.measureWidths();
    this.rebuild();
    this.applyFilter();
    const sel = restore?.selected;
    if (sel && Number.isInteger(sel.row) && Number.isInteger(sel.col)) this.select(sel.row, sel.col);
    if (restore?.scrollTop || restore?.scrollLeft) {
      this.grid.scrollTop = restore.scrollTop ?? 0;
      this.grid.scrollLeft = restore.scrollLeft ?? 0;
      this.renderRows(true);
    }
  }

  state(): TableState {
    const sel = this.selectedData();
    return {
      sort: this.sort,
      filter: this.filterText,
      scrollTop: this.grid.scrollTop,
      scrollLeft: this.grid.scrollLeft,
      shown: [...this.shown],
      ...(sel ? { selected: sel } : {}),
    };
  }

  /** Shows a folded constant column again, or folds it back. */
  setColumnShown(col: number, shown: boolean): void {
    const name = this.infos[col]?.column.columnName;
    if (name === undefined || !this.constants.includes(col)) return;
    const sel = this.selectedData();
    if (shown) this.shown.add(name);
    else this.shown.delete(name);
    this.rebuild();
    this.renderTotals();
    if (sel) this.select(sel.row, sel.col);
    this.renderRows(true);
    this.on.changed();
  }

  // -------------------------------------------------------------------------------------------------------
  // Layout

  private measureWidths(): void {
    const rows = this.view!.response.rows;
    const font = `${getComputedStyle(this.grid).fontSize || '13px'} ${getComputedStyle(this.grid).fontFamily || 'sans-serif'}`;
    const sample = sampleIndices(rows.length);
    this.need = [];
    this.want = [];
    for (const info of this.infos) {
      let longest = '';
      for (const i of sample) {
        const t = this.fmt.cell(rows[i]![info.index]!, info).text;
        if (t.length > longest.length) longest = t;
      }
      // The longest text by characters, measured once (proportional fonts differ little within a column).
      const max = info.dimension ? MAX_DIMENSION_WIDTH : MAX_WIDTH;
      const need = Math.round(Math.min(max, Math.max(MIN_WIDTH, textWidth(longest, font) + CELL_PADDING)));
      const headMax = info.dimension ? 180 : info.compare ? MAX_COMPARE_HEAD_WIDTH : MAX_HEAD_WIDTH;
      const head = Math.round(Math.min(textWidth(info.column.columnName, `600 ${font}`) + 14 + CELL_PADDING, headMax));
      this.need.push(need);
      this.want.push(Math.max(need, head));
    }
    this.widths = this.want.slice();
  }

  /**
   * Widths for the space there is: every column gets room for its name where that fits; otherwise the
   * columns up to the first metric give up their names' room (names are then cut, the hover has them), and
   * the dimensions before it shrink further if needed, so the first metric is on the first screen.
   */
  private fit(): void {
    const avail = this.grid.clientWidth;
    if (!avail) return;
    this.fittedFor = avail;
    this.widths = this.want.slice();
    const firstMetric = this.visible.findIndex((c) => !this.infos[c]!.dimension);
    const lead = firstMetric < 0 ? [] : this.visible.slice(0, firstMetric + 1);
    const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
    const want = sum(lead.map((c) => this.want[c]!));
    if (want <= avail) return this.placeColumns();
    const need = sum(lead.map((c) => this.need[c]!));
    if (need <= avail) {
      const spare = (avail - need) / (want - need);
      for (const c of lead) this.widths[c] = Math.floor(this.need[c]! + (this.want[c]! - this.need[c]!) * spare);
      return this.placeColumns();
    }
    const dims = lead.slice(0, -1);
    const dimNeed = sum(dims.map((c) => this.need[c]!));
    const room = avail - this.need[lead[lead.length - 1]!]!;
    const scale = Math.max(0, room - MIN_WIDTH * dims.length) / Math.max(1, dimNeed - MIN_WIDTH * dims.length);
    for (const c of lead) this.widths[c] = this.need[c]!;
    for (const c of dims) this.widths[c] = Math.max(MIN_WIDTH, Math.floor(MIN_WIDTH + (this.need[c]! - MIN_WIDTH) * Math.min(1, scale)));
    this.placeColumns();
  }

  private placeColumns(): void {
    this.lefts = [];
    let x = 0;
    for (const c of this.visible) {
      this.lefts.push(x);
      x += this.widths[c]!;
    }
    this.grid.style.setProperty('--mq-columns', this.visible.map((c) => `${this.widths[c]}px`).join(' ') || '1fr');
    this.grid.style.setProperty('--mq-width', `${Math.max(x, 100)}px`);
  }

  private rebuild(): void {
    this.visible = this.infos.map((i) => i.index).filter((c) => !this.constants.includes(c) || this.shown.has(this.infos[c]!.column.columnName));
    for (const r of this.pool) r.remove();
    this.pool.length = 0;
    this.lastRange = { start: -1, end: -1, key: '' };
    this.buildHeader();
    this.fit();
    if (!this.grid.clientWidth) this.placeColumns();
    this.grid.setAttribute('aria-colcount', String(this.visible.length));
    this.active.pos = Math.min(this.active.pos, Math.max(0, this.visible.length - 1));
  }

  /** The first shown column stays in place while scrolling sideways when it is a dimension. */
  private pinned(pos: number): boolean {
    return pos === 0 && this.visible.length > 1 && !!this.infos[this.visible[0]!]?.dimension;
  }

  private isNumeric(c: number): boolean {
    const t = this.infos[c]!.column.columnDataType;
    return t === 'INTEGER' || t === 'NUMBER';
  }

  private buildHeader(): void {
    this.headerRow.textContent = '';
    this.headerCells = this.visible.map((c, pos) => {
      const info = this.infos[c]!;
      // One tab stop for the header row (roving tabindex): arrows move between the headers.
      const h = el('div', { class: 'grid-cell grid-head', role: 'columnheader', tabindex: pos === 0 ? '0' : '-1', 'aria-sort': 'none', 'data-col': String(c), 'aria-colindex': String(pos + 1) });
      const what = info.compare ? ` (${info.compare.kind === 'previous' ? 'previous period' : info.compare.kind === 'delta' ? 'change' : 'change in %'})` : info.rate ? ', rate shown as %' : '';
      h.title = `${displayText(info.column.columnName, 500)} (${info.column.columnDataType}${what}) — click or press Enter to sort`;
      if (this.isNumeric(c)) h.classList.add('num');
      if (this.pinned(pos)) h.classList.add('pin');
      h.append(headLabel(info), el('span', { class: 'sort-arrow', 'aria-hidden': 'true' }));
      this.headerRow.append(h);
      return h;
    });
    this.updateHeaderSort();
  }

  private updateHeaderSort(): void {
    for (const h of this.headerCells) {
      const dir = this.sort && this.sort.col === Number(h.dataset.col) ? this.sort.dir : null;
      h.setAttribute('aria-sort', dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : 'none');
      const arrow = h.querySelector('.sort-arrow');
      if (arrow) arrow.textContent = dir === 'asc' ? '▲' : dir === 'desc' ? '▼' : '';
    }
  }

  private renderTotals(): void {
    const row = this.totalsRow;
    row.textContent = '';
    const view = this.view;
    const any = view && this.order.length > 0 && this.visible.some((c) => this.infos[c]!.additive);
    row.hidden = !any;
    if (!any) return;
    row.setAttribute('aria-rowindex', String(this.order.length + 2));
    const rows = view.response.rows;
    this.visible.forEach((c, pos) => {
      const info = this.infos[c]!;
      const cell = el('div', { class: `grid-cell total${this.isNumeric(c) ? ' num' : ''}${this.pinned(pos) ? ' pin' : ''}`, role: 'gridcell', 'data-col': String(c) });
      if (info.additive) {
        const { sum, counted } = exactSum(rows, this.order, c);
        cell.textContent = this.fmt.value(sum, info);
        cell.title = `Sum of ${counted} value${counted === 1 ? '' : 's'} in the ${this.order.length} rows shown (N/A not counted): ${sum.toString()}`;
      } else if (pos === 0) {
        cell.textContent = 'Total';
        cell.title = `Sums of the count columns over the ${this.order.length} rows shown`;
      } else {
        const why = noTotalReason(info);
        if (why) {
          cell.textContent = '—';
          cell.classList.add('none');
          cell.title = why;
        }
      }
      row.append(cell);
    });
  }

  // -------------------------------------------------------------------------------------------------------
  // Rows

  private makeRowEl(): HTMLElement {
    const r = el('div', { class: 'grid-row', role: 'row' });
    this.visible.forEach((c, pos) => r.append(el('div', { class: 'grid-cell', role: 'gridcell', 'data-col': String(c), 'aria-colindex': String(pos + 1) })));
    this.body.append(r);
    return r;
  }

  private fillRow(r: HTMLElement, viewIndex: number): void {
    const row = this.view!.response.rows[this.order[viewIndex]!]!;
    r.dataset.view = String(viewIndex);
    r.setAttribute('aria-rowindex', String(viewIndex + 2));
    r.style.transform = `translateY(${viewIndex * ROW_HEIGHT}px)`;
    r.classList.toggle('odd', viewIndex % 2 === 1);
    const cells = r.children;
    for (let pos = 0; pos < this.visible.length; pos++) {
      const c = this.visible[pos]!;
      const cell = cells[pos] as HTMLElement;
      const f = this.fmt.cell(row[c]!, this.infos[c]!, false);
      const isActive = this.active.row === viewIndex && this.active.pos === pos;
      // Only what changed is written: every attribute write invalidates style, and while scrolling most
      // cells keep their kind and state.
      cell.textContent = f.text;
      // The hover text is written when the pointer reaches the cell (see wireBody), not for every row
      // scrolled past; a reused cell drops the previous row's.
      if (cell.hasAttribute('title')) cell.removeAttribute('title');
      const cls = `grid-cell ${f.kind}${f.tone ? ` delta ${f.tone}` : ''}${pos === 0 && this.pinned(0) ? ' pin' : ''}${isActive ? ' active' : ''}`;
      if (cell.className !== cls) cell.className = cls;
      cell.id = `cell-${viewIndex}-${c}`;
      const link = f.kind === 'link';
      if (link !== cell.hasAttribute('data-link')) {
        if (link) cell.setAttribute('data-link', '1');
        else cell.removeAttribute('data-link');
      }
      const selected = isActive ? 'true' : 'false';
      if (cell.getAttribute('aria-selected') !== selected) cell.setAttribute('aria-selected', selected);
    }
  }

  /**
   * Renders the rows in view plus a buffer. Row elements form a ring: view row v always lives in
   * pool[v % pool.length], so scrolling only refills the elements whose row changed, not every row.
   */
  renderRows(force = false): void {
    if (!this.view) return;
    const grid = this.grid;
    const viewportH = grid.clientHeight || 400;
    const top = Math.max(0, grid.scrollTop - ROW_HEIGHT);
    const start = Math.max(0, Math.floor(top / ROW_HEIGHT) - BUFFER_ROWS);
    const end = Math.min(this.order.length, Math.ceil((top + viewportH) / ROW_HEIGHT) + BUFFER_ROWS);
    const key = `${this.order.length}:${this.renderToken}`;
    if (!force && start === this.lastRange.start && end === this.lastRange.end && key === this.lastRange.key) return;
    if (key !== this.lastRange.key) force = true;
    this.lastRange = { start, end, key };
    const need = end - start;
    if (this.pool.length < need) {
      while (this.pool.length < need) this.pool.push(this.makeRowEl());
      force = true; // the ring's size changed, so every row moves to another element
    }
    const size = this.pool.length;
    for (let i = 0; i < size; i++) {
      const r = this.pool[i]!;
      const v = start + ((i - (start % size) + size) % size);
      if (v < end) {
        if (r.hidden) r.hidden = false;
        if (force || r.dataset.view !== String(v)) this.fillRow(r, v);
      } else if (!r.hidden) {
        r.hidden = true;
        r.dataset.view = '';
      }
    }
    this.updateActiveDescendant();
  }

  // -------------------------------------------------------------------------------------------------------
  // Sort and filter

  applyOrder(keepScroll = false): void {
    const view = this.view;
    if (!view) return;
    // The selection stays on its data row (not on the screen position) when sorting or filtering moves it.
    const selectedRow = this.active.row >= 0 && this.active.row < this.order.length ? this.order[this.active.row]! : -1;
    this.order = this.sort ? sortIndices(view.response.rows, this.filtered, view.response.columns, this.sort) : this.filtered.slice();
    this.body.style.height = `${this.order.length * ROW_HEIGHT}px`;
    this.grid.setAttribute('aria-rowcount', String(this.order.length + 1 + (this.totalsRow.hidden ? 0 : 1)));
    if (selectedRow >= 0) this.active.row = this.order.indexOf(selectedRow);
    const grid = this.grid;
    if (!keepScroll) grid.scrollTop = this.active.row >= 0 ? Math.max(0, this.active.row * ROW_HEIGHT - Math.floor(grid.clientHeight / 2)) : 0;
    this.renderToken++;
    this.updateHeaderSort();
    this.renderTotals();
    this.grid.setAttribute('aria-rowcount', String(this.order.length + 1 + (this.totalsRow.hidden ? 0 : 1)));
    this.renderRows(true);
    this.on.ordered();
  }

  applyFilter(keepScroll = false): void {
    const view = this.view;
    if (!view) return;
    const rows = view.response.rows;
    const needle = this.filterText.trim().toLowerCase();
    if (!needle) {
      this.filtered = rows.map((_r, i) => i);
    } else {
      this.searchCache ??= this.searchTexts(rows);
      const out: number[] = [];
      const cache = this.searchCache;
      for (let i = 0; i < cache.length; i++) if (cache[i]!.includes(needle)) out.push(i);
      this.filtered = out;
    }
    this.applyOrder(keepScroll);
  }

  /** Lower-cased text a filter matches per row: the raw values and the numbers as shown (grouped, %). */
  private searchTexts(rows: CellValue[][]): string[] {
    const cols = this.view!.response.columns;
    const rates = this.infos.map((i) => i.rate);
    const numeric = this.infos.filter((i) => this.isNumeric(i.index));
    return rows.map((r) => {
      let s = rowSearchText(r, cols, rates);
      for (const info of numeric) {
        const v = r[info.index];
        if (typeof v === 'number' || typeof v === 'bigint') s += `${this.fmt.value(v, info).toLowerCase()}\u0001`;
      }
      return s;
    });
  }

  setFilter(text: string): void {
    this.filterText = text;
    this.applyFilter();
    this.on.changed();
  }

  toggleSort(col: number): void {
    const s = this.sort;
    if (!s || s.col !== col) this.sort = { col, dir: 'asc' };
    else if (s.dir === 'asc') this.sort = { col, dir: 'desc' };
    else this.sort = null;
    this.applyOrder();
    this.on.changed();
  }

  private wireHeader(): void {
    const headerRow = this.headerRow;
    headerRow.addEventListener('click', (e) => {
      const h = (e.target as HTMLElement).closest<HTMLElement>('.grid-head');
      if (h?.dataset.col !== undefined) this.toggleSort(Number(h.dataset.col));
    });
    // A header focused by the mouse becomes the header row's tab stop too.
    headerRow.addEventListener('focusin', (e) => {
      const h = (e.target as HTMLElement).closest<HTMLElement>('.grid-head');
      if (!h) return;
      for (const x of this.headerCells) x.tabIndex = x === h ? 0 : -1;
    });
    headerRow.addEventListener('keydown', (e) => {
      const h = (e.target as HTMLElement).closest<HTMLElement>('.grid-head');
      if (!h || h.dataset.col === undefined) return;
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        e.stopPropagation();
        this.toggleSort(Number(h.dataset.col));
        return;
      }
      const i = this.headerCells.indexOf(h);
      const last = this.headerCells.length - 1;
      const to = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? last : -1;
      if (to < 0 || to > last || to === i) return;
      e.preventDefault();
      h.tabIndex = -1;
      this.headerCells[to]!.tabIndex = 0;
      this.headerCells[to]!.focus();
    });
  }

  // -------------------------------------------------------------------------------------------------------
  // Selection, keyboard, copy, links

  private updateActiveDescendant(): void {
    const id = `cell-${this.active.row}-${this.visible[this.active.pos]}`;
    const found = this.active.row >= 0 && this.pool.some((r) => !r.hidden && r.dataset.view === String(this.active.row));
    if (found) this.grid.setAttribute('aria-activedescendant', id);
    else this.grid.removeAttribute('aria-activedescendant');
  }

  private selectedData(): { row: number; col: number } | undefined {
    if (this.active.row < 0 || this.active.row >= this.order.length) return undefined;
    return { row: this.order[this.active.row]!, col: this.visible[this.active.pos] ?? 0 };
  }

  /** Selects a data row and column (when shown), as a restore does. */
  private select(row: number, col: number): void {
    const v = this.order.indexOf(row);
    const pos = this.visible.indexOf(col);
    if (v >= 0) this.active = { row: v, pos: Math.max(0, pos) };
    this.renderToken++;
    this.renderRows(true);
  }

  setActive(row: number, pos: number, scroll: boolean): void {
    if (!this.order.length) return;
    this.active = { row: Math.max(0, Math.min(this.order.length - 1, row)), pos: Math.max(0, Math.min(this.visible.length - 1, pos)) };
    if (scroll) this.scrollToActive();
    this.renderToken++;
    this.renderRows(true);
    this.on.changed();
  }

  private scrollToActive(): void {
    const grid = this.grid;
    const y = this.active.row * ROW_HEIGHT;
    const headerH = this.headerRow.offsetHeight || ROW_HEIGHT;
    const footH = this.totalsRow.hidden ? 0 : this.totalsRow.offsetHeight;
    if (y < grid.scrollTop) grid.scrollTop = y;
    else if (y + ROW_HEIGHT > grid.scrollTop + grid.clientHeight - headerH - footH) grid.scrollTop = y + ROW_HEIGHT - grid.clientHeight + headerH + footH;
    // And sideways: the selected column in view, clear of the pinned first column.
    const pos = this.active.pos;
    const pin = this.pinned(0) && pos > 0 ? this.widths[this.visible[0]!]! : 0;
    const left = this.lefts[pos] ?? 0;
    const right = left + (this.widths[this.visible[pos]!] ?? 0);
    if (left - pin < grid.scrollLeft) grid.scrollLeft = pos === 0 ? 0 : left - pin;
    else if (right > grid.scrollLeft + grid.clientWidth) grid.scrollLeft = right - grid.clientWidth;
  }

  activeValue(): CellValue | undefined {
    const sel = this.selectedData();
    return sel ? this.view!.response.rows[sel.row]![sel.col] : undefined;
  }

  copyCell(): void {
    const v = this.activeValue();
    if (v === undefined) return this.on.say('Select a cell first.');
    this.on.copy(rawText(v), 'Cell copied.');
  }

  copyRow(): void {
    const sel = this.selectedData();
    if (!sel) return this.on.say('Select a row first.');
    this.on.copy(rowToTsv(this.view!.response.rows[sel.row]!), 'Row copied.');
  }

  private openLinkAt(viewIndex: number, col: number): void {
    const v = this.view?.response.rows[this.order[viewIndex]!]?.[col];
    if (typeof v === 'string' && isSafeUrl(v)) this.on.openUrl(v);
  }

  private wireBody(): void {
    this.body.addEventListener('click', (e) => {
      const cell = (e.target as HTMLElement).closest<HTMLElement>('.grid-cell');
      const row = cell?.parentElement;
      if (!cell || !row || row.dataset.view === undefined) return;
      const vi = Number(row.dataset.view);
      const c = Number(cell.dataset.col);
      this.setActive(vi, this.visible.indexOf(c), false);
      this.grid.focus({ preventScroll: true });
      if (cell.dataset.link === '1') this.openLinkAt(vi, c);
    });
    this.body.addEventListener('pointerover', (e) => {
      const cell = (e.target as HTMLElement).closest<HTMLElement>('.grid-cell');
      const row = cell?.parentElement;
      if (!cell || !row?.dataset.view || cell.hasAttribute('title')) return;
      const c = Number(cell.dataset.col);
      const v = this.view?.response.rows[this.order[Number(row.dataset.view)]!]?.[c];
      if (v !== undefined) cell.title = this.fmt.cell(v, this.infos[c]!).title;
    });
    this.grid.addEventListener('keydown', (e) => this.onKey(e));
  }

  private onKey(e: KeyboardEvent): void {
    if (!this.view || e.target !== this.grid) return;
    const page = Math.max(1, Math.floor(this.grid.clientHeight / ROW_HEIGHT) - 2);
    const a = this.active;
    const r = a.row < 0 ? 0 : a.row;
    const mod = e.ctrlKey || e.metaKey;
    let handled = true;
    switch (e.key) {
      case 'ArrowDown': this.setActive(a.row < 0 ? 0 : r + 1, a.pos, true); break;
      case 'ArrowUp': this.setActive(r - 1, a.pos, true); break;
      case 'ArrowRight': this.setActive(r, a.pos + 1, true); break;
      case 'ArrowLeft': this.setActive(r, a.pos - 1, true); break;
      case 'PageDown': this.setActive(r + page, a.pos, true); break;
      case 'PageUp': this.setActive(r - page, a.pos, true); break;
      case 'Home': this.setActive(mod ? 0 : r, mod ? a.pos : 0, true); break;
      case 'End': this.setActive(mod ? this.order.length - 1 : r, mod ? a.pos : this.visible.length - 1, true); break;
      case 'Enter': if (a.row >= 0) this.openLinkAt(a.row, this.visible[a.pos]!); break;
      default:
        if (mod && (e.key === 'c' || e.key === 'C')) {
          if (e.shiftKey) this.copyRow();
          else this.copyCell();
        } else handled = false;
    }
    if (handled) e.preventDefault();
  }
}
