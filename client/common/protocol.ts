// The contract between the extension host (client/src) and the results webview (client/webview): what a
// result view holds and the messages each side posts. Both builds import this one file, so the two sides
// cannot drift apart. Browser-safe: no Node, no VS Code, no imports at all (eslint.config.mjs enforces it).

export type ColumnType = 'STRING' | 'INTEGER' | 'NUMBER' | 'BOOLEAN' | 'DATE_TIME';

export interface Column {
  columnName: string;
  columnDataType: ColumnType;
}

export interface Period {
  sentSince: string;
  sentUntil: string;
}

/** One ORDER BY item as the query states it (the host has already applied it to the rows). */
export interface OrderSpec {
  column: string;
  direction: 'ASC' | 'DESC';
}

/** The Metrics API response as shown. `C` is the cell type: see ResultView. */
export interface ResultResponse<C> {
  requestedPeriod: Period;
  totalRows: number;
  columns: Column[];
  rows: C[][];
}

/**
 * What the results view shows: the payload of a `result` message, sent as JSON text whose integers beyond
 * 2^53 are written exactly. `C` is the cell type on each side: the host's wire cells (an exact integer is a
 * RawInteger) and the page's cells after lossless parsing (an exact integer is a bigint).
 */
export interface ResultView<C> {
  title: string;
  queryText: string;
  source: 'live' | 'sample';
  /** Connection name; for sample data the page adds "(sample data)" itself. */
  connection: string;
  requestId: string;
  requestedPeriod?: Period;
  returnedPeriod?: Period;
  elapsedMs?: number;
  orderBy?: OrderSpec[];
  limit?: number;
  /** History entry this result is stored under, so it can be found again. */
  historyId?: string;
  /** Result columns that are dimensions (the rest are metrics), for the chart. */
  dimensions?: string[];
  /** Metric columns that are rates (shown as percentages). */
  rateColumns?: string[];
  /**
   * COMPARE WITH (spec §8): the previous period. Each metric column M is then followed by M_PREVIOUS,
   * M_DELTA and M_DELTA_PCT; time cells show the current period (previous rows were shifted by offsetMs).
   */
  comparison?: Comparison;
  response: ResultResponse<C>;
}

export interface Comparison {
  /** "PREVIOUS PERIOD" or "7d AGO". */
  label: string;
  previousRequestId: string;
  previousPeriod: Period;
  offsetMs: number;
}

/** ORDER BY as a person reads it: "TOTAL_COUNT DESC, DAY ASC"; empty for none. */
export function orderByText(orderBy: readonly OrderSpec[] | undefined): string {
  return (orderBy ?? []).map((o) => `${o.column} ${o.direction}`).join(', ');
}

// ---------------------------------------------------------------------------------------------------------
// Messages

/** Extension host → webview. */
export type HostMessage =
  | {
      type: 'result';
      /** JSON text of a ResultView (parse it losslessly). */
      payload: string;
      /** Set when the host also keeps the payload on disk (it is too large for the page's saved state). */
      stored?: string;
    }
  | { type: 'error'; message: string }
  | { type: 'running'; phase: string };

/** Webview → extension host. */
export type WebviewMessage =
  | { type: 'export'; format: 'csv' | 'json'; content: string }
  | { type: 'copy'; text: string }
  | { type: 'openUrl'; url: string }
  /** Sent once the page's script has started. */
  | { type: 'ready' };

const text = (v: unknown): v is string => typeof v === 'string';

/**
 * Results above this size are not kept in the page's saved state (VS Code copies the whole state on every
 * save: sorting, filtering, each scroll pause); the host keeps them on disk under a key instead.
 */
export const MAX_SAVED_PAYLOAD_CHARS = 4 * 1024 * 1024;

/** The key of a result the host keeps on disk: 32 hex digits, so it can never name another file. */
export function isStoreKey(v: unknown): v is string {
  return typeof v === 'string' && /^[0-9a-f]{32}$/.test(v);
}

/**
 * Reads a message the host posted, as the page receives it (any value can arrive). A message of a known
 * type with a missing field still reads as something to show; anything else is undefined.
 */
export function readHostMessage(m: unknown): HostMessage | undefined {
  if (!m || typeof m !== 'object') return undefined;
  const o = m as Record<string, unknown>;
  switch (o.type) {
    case 'result':
      if (!text(o.payload)) return { type: 'error', message: 'The result message carried no payload.' };
      return isStoreKey(o.stored) ? { type: 'result', payload: o.payload, stored: o.stored } : { type: 'result', payload: o.payload };
    case 'error':
      return { type: 'error', message: text(o.message) ? o.message : 'The query failed.' };
    case 'running':
      return { type: 'running', phase: text(o.phase) ? o.phase : 'working' };
    default:
      return undefined;
  }
}

/** Reads a message the page posted, as the host receives it; undefined unless every field is valid. */
export function readWebviewMessage(m: unknown): WebviewMessage | undefined {
  if (!m || typeof m !== 'object') return undefined;
  const o = m as Record<string, unknown>;
  switch (o.type) {
    case 'export':
      return (o.format === 'csv' || o.format === 'json') && text(o.content) ? { type: 'export', format: o.format, content: o.content } : undefined;
    case 'copy':
      return text(o.text) ? { type: 'copy', text: o.text } : undefined;
    case 'openUrl':
      return text(o.url) ? { type: 'openUrl', url: o.url } : undefined;
    case 'ready':
      return { type: 'ready' };
    default:
      return undefined;
  }
}
