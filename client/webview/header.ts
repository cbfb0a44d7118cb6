// The results header, shared by the results panel and the notebook renderer: one line with the source
// badge, rows, period and elapsed time, the other facts behind a Details toggle, and the constant columns
// as chips (a chip shows its column in the table again). Every value is written with textContent.
import { type ResultView, displayText, parseDateTime } from './model.js';
import { orderByText } from '../common/protocol.js';
import type { ColumnInfo, DisplayFormat } from './columns.js';
import { el } from './dom.js';

export interface HeaderOptions {
  detailsOpen: boolean;
  onDetails(open: boolean): void;
  constants: { col: number; shown: boolean; value: string }[];
  onChip(col: number, shown: boolean): void;
}

export function fmtElapsed(ms: number | undefined): string {
  if (ms === undefined) return '—';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10000 ? 2 : 1)} s`;
}

export function fmtPeriod(p: { sentSince: string; sentUntil: string } | undefined): string {
  if (!p || (!p.sentSince && !p.sentUntil)) return '—';
  return `${p.sentSince} → ${p.sentUntil}`;
}

/** A period as a short UTC text: dates alone when both ends are midnight ("2024-04-01 → 2024-04-08"). */
export function shortPeriod(p: { sentSince: string; sentUntil: string } | undefined): string {
  if (!p || (!p.sentSince && !p.sentUntil)) return '';
  const a = parseDateTime(p.sentSince);
  const b = parseDateTime(p.sentUntil);
  if (Number.isNaN(a) || Number.isNaN(b)) return fmtPeriod(p);
  const iso = (t: number): string => new Date(t).toISOString();
  const midnight = (t: number): boolean => t % 86_400_000 === 0;
  const show = (t: number): string => (midnight(a) && midnight(b) ? iso(t).slice(0, 10) : iso(t).slice(0, 16).replace('T', ' '));
  return `${show(a)} → ${show(b)} UTC`;
}

function facts(v: ResultView): [string, string, string][] {
  const r = v.response;
  const list: [string, string, string][] = [
    ['title', 'Query', v.title],
    ['connection', 'Connection', v.source === 'sample' ? `${v.connection || 'none'} (sample data)` : v.connection || '—'],
    ['requestId', 'Request id', v.requestId || '—'],
    ['requestedPeriod', 'Requested period', fmtPeriod(v.requestedPeriod ?? r.requestedPeriod)],
    ['returnedPeriod', 'Returned period', fmtPeriod(v.returnedPeriod)],
  ];
  if (v.comparison) {
    list.push(['comparison', 'Compared with', v.comparison.label]);
    list.push(['previousPeriod', 'Previous period', fmtPeriod(v.comparison.previousPeriod)]);
    list.push(['previousRequestId', 'Previous request id', v.comparison.previousRequestId || '—']);
  }
  list.push(['orderBy', 'ORDER BY', orderByText(v.orderBy) || 'none']);
  list.push(['limit', 'LIMIT', v.limit === undefined ? 'none' : String(v.limit)]);
  return list;
}

function summaryLine(v: ResultView, fmt: DisplayFormat): HTMLElement {
  const line = el('div', { class: 'summary' });
  const sample = v.source === 'sample';
  const badge = el('span', { class: `badge ${sample ? 'sample' : 'live'}`, id: 'source-label', title: sample ? 'Sample data — not from a live account' : `Live data from ${v.connection || 'a connection'}` }, sample ? 'sample data' : v.connection ? `live · ${displayText(v.connection, 60)}` : 'live');
  if (sample) badge.setAttribute('role', 'note');
  line.append(badge);
  const r = v.response;
  const shown = r.rows.length;
  const rows = shown === r.totalRows ? `${fmt.plain(shown)} row${shown === 1 ? '' : 's'}` : `${fmt.plain(shown)} of ${fmt.plain(r.totalRows)} rows`;
  const fact = (key: string, text: string, title?: string): void => {
    const s = el('span', { class: 'fact', 'data-fact': key }, displayText(text, 200));
    if (title) s.title = displayText(title, 2000);
    line.append(s);
  };
  fact('rows', rows);
  const period = shortPeriod(v.returnedPeriod ?? v.requestedPeriod ?? r.requestedPeriod);
  if (period) fact('period', period, `Requested: ${fmtPeriod(v.requestedPeriod ?? r.requestedPeriod)}\nReturned: ${fmtPeriod(v.returnedPeriod)}`);
  if (v.comparison) fact('compare', `vs ${v.comparison.label}`, `Compared with ${fmtPeriod(v.comparison.previousPeriod)}`);
  fact('elapsed', fmtElapsed(v.elapsedMs));
  return line;
}

/** Fills `host` with the header of a result. */
export function renderHeader(host: HTMLElement, v: ResultView, infos: readonly ColumnInfo[], fmt: DisplayFormat, opts: HeaderOptions): void {
  host.textContent = '';
  const line = summaryLine(v, fmt);
  const toggle = el('button', { type: 'button', class: 'details-toggle', id: 'details-toggle', 'aria-expanded': String(opts.detailsOpen), 'aria-controls': 'details' }, 'Details');
  line.append(toggle);
  const details = el('dl', { class: 'facts', id: 'details' });
  details.hidden = !opts.detailsOpen;
  for (const [key, label, value] of facts(v)) {
    const pair = el('div');
    const dd = el('dd', { 'data-fact': key }, displayText(value, 300));
    dd.title = displayText(value, 2000);
    if (key === 'title') dd.classList.add('title');
    pair.append(el('dt', {}, label), dd);
    details.append(pair);
  }
  toggle.addEventListener('click', () => {
    const open = details.hidden;
    details.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
    opts.onDetails(open);
  });
  host.append(line);
  if (opts.constants.length) {
    const chips = el('div', { class: 'chips', role: 'group', 'aria-label': 'Columns with the same value on every row' });
    for (const c of opts.constants) {
      const name = infos[c.col]!.column.columnName;
      const chip = el('button', { type: 'button', class: 'chip', 'data-col': String(c.col), 'aria-pressed': String(c.shown) });
      chip.append(el('span', { class: 'chip-name' }, displayText(name, 60)), el('span', { class: 'chip-value' }, displayText(c.value, 80)));
      chip.title = `${displayText(name, 200)} is ${displayText(c.value, 200)} on every row. ${c.shown ? 'Click to fold the column away again.' : 'Click to show the column in the table.'}`;
      chip.addEventListener('click', () => opts.onChip(c.col, !c.shown));
      chips.append(chip);
    }
    host.append(chips);
  }
  host.append(details);
}
