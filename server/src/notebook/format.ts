// The .mqnb notebook file: stable, diff-friendly JSON. A format version, cells (markdown or mq) with their
// source as a list of lines, and for mq cells the outputs of the last run (results kept exactly, int64
// cells included) with execution order and time. Only known fields are written, so nothing else that a
// notebook object happens to carry (a key, a token, a callback URL) can reach the file.
import { RawInteger, type AggregateDataResponse, type Cell, type ResultColumn } from '../core/compile/wire.js';
import { isPlainObject, parseJsonLossless } from '../run/json.js';

export const NOTEBOOK_FORMAT = 1;
/** Name of the version field; the first key of every .mqnb file. */
export const FORMAT_KEY = 'mqNotebook';

export interface NotebookResult {
  title: string;
  queryText: string;
  source: 'live' | 'sample';
  /** Connection name, or "embedded" for sample data. */
  connection: string;
  requestId: string;
  requestedPeriod?: { sentSince: string; sentUntil: string };
  returnedPeriod?: { sentSince: string; sentUntil: string };
  elapsedMs?: number;
  orderBy?: { column: string; direction: 'ASC' | 'DESC' }[];
  limit?: number;
  /** Result columns that are dimensions (the rest are metrics). */
  dimensions?: string[];
  /** Metric columns that are rates (shown as percentages). */
  rateColumns?: string[];
  /** COMPARE WITH: the previous period (each metric M is followed by M_PREVIOUS, M_DELTA, M_DELTA_PCT). */
  comparison?: { label: string; previousRequestId: string; previousPeriod: { sentSince: string; sentUntil: string }; offsetMs: number };
  response: AggregateDataResponse;
}

export interface OutputDiagnostic {
  code: string;
  severity: string;
  /** 1-based, within the cell. */
  line: number;
  column: number;
  message: string;
}

export type NotebookOutput =
  | { kind: 'result'; query: number; line: number; result: NotebookResult }
  | {
      kind: 'error';
      /** 1-based query number within the cell, when the error belongs to one query. */
      query?: number;
      line?: number;
      /** diagnostics: not sent (errors in the text); failed: the API said FAILED; run: the run broke; cancelled. */
      reason: 'diagnostics' | 'failed' | 'run' | 'cancelled';
      message: string;
      diagnostics?: OutputDiagnostic[];
      requestId?: string;
    };

export interface CellExecution {
  /** Execution order (1, 2, 3 … as cells ran). */
  order?: number;
  /** ISO time the run of the cell started. */
  startedAt?: string;
  durationMs?: number;
  success?: boolean;
}

export interface NotebookCell {
  kind: 'markdown' | 'mq';
  source: string;
  execution?: CellExecution;
  outputs?: NotebookOutput[];
}

export interface Notebook {
  metadata?: { title?: string };
  cells: NotebookCell[];
}

/** A .mqnb file that cannot be read; the message says where and how to repair it. */
export class NotebookFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotebookFormatError';
  }
}

const REPAIR =
  ' The file was not changed. Open it as text (Reopen Editor With… › Text Editor) to repair it, or restore it from version control.';

function fail(where: string, what: string): never {
  throw new NotebookFormatError(`not a valid mq notebook: ${where}${where ? ': ' : ''}${what}.${REPAIR}`);
}

/** Line and column of a character offset, for JSON syntax errors. */
function lineCol(text: string, offset: number): string {
  const before = text.slice(0, Math.max(0, offset));
  const line = before.split('\n').length;
  return `line ${line}, column ${offset - before.lastIndexOf('\n')}`;
}

function jsonSyntax(text: string): unknown {
  try {
    return parseJsonLossless(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const pos = /position (\d+)/.exec(message);
    fail(pos ? lineCol(text, Number(pos[1])) : '', `the JSON is damaged (${message.replace(/\s*\(?(?:at )?position \d+\)?/, '')})`);
  }
}

const str = (v: unknown): v is string => typeof v === 'string';
const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function sourceText(v: unknown, where: string): string {
  if (str(v)) return v;
  if (Array.isArray(v) && v.every(str)) return v.join('\n');
  return fail(where, '"source" must be a list of lines (strings)');
}

function period(v: unknown): { sentSince: string; sentUntil: string } | undefined {
  return isPlainObject(v) && str(v.sentSince) && str(v.sentUntil) ? { sentSince: v.sentSince, sentUntil: v.sentUntil } : undefined;
}

const COLUMN_TYPES = new Set(['STRING', 'INTEGER', 'NUMBER', 'BOOLEAN', 'DATE_TIME']);

function readCell(v: unknown): Cell {
  if (v === null || typeof v === 'string' || typeof v === 'boolean' || v instanceof RawInteger) return v;
  if (num(v)) return v;
  return null;
}

function readResponse(v: unknown, where: string): AggregateDataResponse {
  if (!isPlainObject(v) || !Array.isArray(v.columns) || !Array.isArray(v.rows)) fail(where, 'a result needs "columns" and "rows"');
  const columns: ResultColumn[] = v.columns.map((c, j) => {
    if (!isPlainObject(c) || !str(c.columnName) || !str(c.columnDataType) || !COLUMN_TYPES.has(c.columnDataType)) {
      fail(`${where}, column ${j + 1}`, 'a column needs "columnName" and a "columnDataType" of STRING, INTEGER, NUMBER, BOOLEAN or DATE_TIME');
    }
    return { columnName: c.columnName, columnDataType: c.columnDataType as ResultColumn['columnDataType'] };
  });
  const rows = v.rows.map((r, i) => {
    if (!Array.isArray(r)) fail(`${where}, row ${i + 1}`, 'a row must be a list of cells');
    return r.map(readCell);
  });
  return { requestedPeriod: period(v.requestedPeriod) ?? { sentSince: '', sentUntil: '' }, totalRows: num(v.totalRows) ? v.totalRows : rows.length, columns, rows };
}

const names = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.filter(str) : undefined);

/** Reads a stored result (also the payload of the notebook renderer's mime type). */
export function readResult(v: unknown, where = 'result'): NotebookResult {
  if (!isPlainObject(v)) fail(where, 'a result must be an object');
  const out: NotebookResult = {
    title: str(v.title) ? v.title : '',
    queryText: str(v.queryText) ? v.queryText : '',
    source: v.source === 'live' ? 'live' : 'sample',
    connection: str(v.connection) ? v.connection : '',
    requestId: str(v.requestId) ? v.requestId : '',
    response: readResponse(v.response, where),
  };
  const rp = period(v.requestedPeriod);
  if (rp) out.requestedPeriod = rp;
  const ret = period(v.returnedPeriod);
  if (ret) out.returnedPeriod = ret;
  if (num(v.elapsedMs)) out.elapsedMs = v.elapsedMs;
  if (Array.isArray(v.orderBy)) {
    out.orderBy = v.orderBy
      .filter((o): o is Record<string, unknown> => isPlainObject(o) && str(o.column))
      .map((o) => ({ column: o.column as string, direction: o.direction === 'DESC' ? 'DESC' : 'ASC' }));
  }
  if (num(v.limit)) out.limit = v.limit;
  const dims = names(v.dimensions);
  if (dims) out.dimensions = dims;
  const rates = names(v.rateColumns);
  if (rates) out.rateColumns = rates;
  const c = v.comparison;
  const prev = isPlainObject(c) ? period(c.previousPeriod) : undefined;
  if (isPlainObject(c) && prev) {
    out.comparison = { label: str(c.label) ? c.label : '', previousRequestId: str(c.previousRequestId) ? c.previousRequestId : '', previousPeriod: prev, offsetMs: num(c.offsetMs) ? c.offsetMs : 0 };
  }
  return out;
}

const REASONS = new Set(['diagnostics', 'failed', 'run', 'cancelled']);

function readDiagnostic(v: unknown): OutputDiagnostic | undefined {
  if (!isPlainObject(v) || !str(v.message)) return undefined;
  return {
    code: str(v.code) ? v.code : '',
    severity: str(v.severity) ? v.severity : 'error',
    line: num(v.line) ? v.line : 1,
    column: num(v.column) ? v.column : 1,
    message: v.message,
  };
}

function readOutput(v: unknown, where: string): NotebookOutput {
  if (!isPlainObject(v)) fail(where, 'an output must be an object');
  const query = num(v.query) ? v.query : undefined;
  const line = num(v.line) ? v.line : undefined;
  if (v.kind === 'result') return { kind: 'result', query: query ?? 1, line: line ?? 1, result: readResult(v.result, where) };
  if (v.kind !== 'error') fail(where, `unknown output kind ${JSON.stringify(v.kind)} (expected "result" or "error")`);
  const out: NotebookOutput = {
    kind: 'error',
    reason: str(v.reason) && REASONS.has(v.reason) ? (v.reason as 'diagnostics') : 'run',
    message: str(v.message) ? v.message : 'unknown error',
  };
  if (query !== undefined) out.query = query;
  if (line !== undefined) out.line = line;
  if (Array.isArray(v.diagnostics)) out.diagnostics = v.diagnostics.map(readDiagnostic).filter((d): d is OutputDiagnostic => !!d);
  if (str(v.requestId)) out.requestId = v.requestId;
  return out;
}

function readExecution(v: unknown): CellExecution | undefined {
  if (!isPlainObject(v)) return undefined;
  const out: CellExecution = {};
  if (num(v.order)) out.order = v.order;
  if (str(v.startedAt)) out.startedAt = v.startedAt;
  if (num(v.durationMs)) out.durationMs = v.durationMs;
  if (typeof v.success === 'boolean') out.success = v.success;
  return Object.keys(out).length ? out : undefined;
}

function readNotebookCell(v: unknown, i: number): NotebookCell {
  const where = `cell ${i + 1}`;
  if (!isPlainObject(v)) fail(where, 'a cell must be an object');
  if (v.kind !== 'markdown' && v.kind !== 'mq') fail(where, `"kind" must be "markdown" or "mq", got ${JSON.stringify(v.kind) ?? 'nothing'}`);
  const cell: NotebookCell = { kind: v.kind, source: sourceText(v.source ?? [], where) };
  if (v.kind === 'mq') {
    const execution = readExecution(v.execution);
    if (execution) cell.execution = execution;
    if (v.outputs !== undefined) {
      if (!Array.isArray(v.outputs)) fail(where, '"outputs" must be a list');
      cell.outputs = v.outputs.map((o, j) => readOutput(o, `${where}, output ${j + 1}`));
    }
  }
  return cell;
}

/**
 * Parses .mqnb text. An empty file is an empty notebook (what VS Code creates for a new file); anything
 * else that is not a notebook of a known version throws NotebookFormatError.
 */
export function parseNotebook(text: string): Notebook {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') return { cells: [] };
  const v = jsonSyntax(body);
  if (!isPlainObject(v)) fail('', 'the file must hold a JSON object');
  const version = v[FORMAT_KEY];
  if (version === undefined) fail('', `the "${FORMAT_KEY}" format version field is missing`);
  if (!num(version) || !Number.isInteger(version) || version < 1) fail('', `"${FORMAT_KEY}" must be a format version number, got ${JSON.stringify(version)}`);
  if (version > NOTEBOOK_FORMAT) {
    throw new NotebookFormatError(
      `this notebook has format version ${version}, written by a newer mq; this mq reads version ${NOTEBOOK_FORMAT}. Update the mq extension or CLI. The file was not changed.`,
    );
  }
  if (!Array.isArray(v.cells)) fail('', '"cells" must be a list');
  const nb: Notebook = { cells: v.cells.map(readNotebookCell) };
  if (isPlainObject(v.metadata) && str(v.metadata.title)) nb.metadata = { title: v.metadata.title };
  return nb;
}

// ------------------------------------------------------------------------------------------------
// Writing: a fixed key order, two-space indentation, each source line and each result row on a line.

function writeResult(r: NotebookResult): Record<string, unknown> {
  const out: Record<string, unknown> = { title: r.title, queryText: r.queryText, source: r.source, connection: r.connection, requestId: r.requestId };
  if (r.requestedPeriod) out.requestedPeriod = { sentSince: r.requestedPeriod.sentSince, sentUntil: r.requestedPeriod.sentUntil };
  if (r.returnedPeriod) out.returnedPeriod = { sentSince: r.returnedPeriod.sentSince, sentUntil: r.returnedPeriod.sentUntil };
  if (r.elapsedMs !== undefined) out.elapsedMs = r.elapsedMs;
  if (r.orderBy) out.orderBy = r.orderBy.map((o) => ({ column: o.column, direction: o.direction }));
  if (r.limit !== undefined) out.limit = r.limit;
  if (r.dimensions) out.dimensions = [...r.dimensions];
  if (r.rateColumns) out.rateColumns = [...r.rateColumns];
  if (r.comparison) {
    const c = r.comparison;
    out.comparison = { label: c.label, previousRequestId: c.previousRequestId, previousPeriod: { sentSince: c.previousPeriod.sentSince, sentUntil: c.previousPeriod.sentUntil }, offsetMs: c.offsetMs };
  }
  const p = r.response.requestedPeriod;
  out.response = {
    requestedPeriod: { sentSince: p.sentSince, sentUntil: p.sentUntil },
    totalRows: r.response.totalRows,
    columns: r.response.columns.map((c) => ({ columnName: c.columnName, columnDataType: c.columnDataType })),
    rows: r.response.rows.map((row) => row.map(readCell)),
  };
  return out;
}

function writeOutput(o: NotebookOutput): Record<string, unknown> {
  if (o.kind === 'result') return { kind: 'result', query: o.query, line: o.line, result: writeResult(o.result) };
  const out: Record<string, unknown> = { kind: 'error' };
  if (o.query !== undefined) out.query = o.query;
  if (o.line !== undefined) out.line = o.line;
  out.reason = o.reason;
  out.message = o.message;
  if (o.diagnostics) out.diagnostics = o.diagnostics.map((d) => ({ code: d.code, severity: d.severity, line: d.line, column: d.column, message: d.message }));
  if (o.requestId) out.requestId = o.requestId;
  return out;
}

function writeCell(c: NotebookCell): Record<string, unknown> {
  const out: Record<string, unknown> = { kind: c.kind, source: c.source.split(/\r\n|\r|\n/) };
  if (c.kind !== 'mq') return out;
  const e = c.execution;
  if (e && Object.keys(e).length) {
    const ex: Record<string, unknown> = {};
    if (e.order !== undefined) ex.order = e.order;
    if (e.startedAt !== undefined) ex.startedAt = e.startedAt;
    if (e.durationMs !== undefined) ex.durationMs = Math.round(e.durationMs);
    if (e.success !== undefined) ex.success = e.success;
    out.execution = ex;
  }
  out.outputs = (c.outputs ?? []).map(writeOutput);
  return out;
}

const isScalar = (v: unknown): boolean => v === null || typeof v !== 'object' || v instanceof RawInteger;

function scalarJson(v: unknown): string {
  if (v instanceof RawInteger) return v.digits;
  if (typeof v === 'number' && !Number.isFinite(v)) return 'null';
  return JSON.stringify(v) ?? 'null';
}

/** Pretty JSON where lists of scalars (rows) and small flat objects stay on one line; "source" lists do not. */
function pretty(v: unknown, indent: string, key?: string): string {
  if (isScalar(v)) return scalarJson(v);
  const inner = indent + '  ';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    if (key !== 'source' && v.every(isScalar)) return `[${v.map(scalarJson).join(', ')}]`;
    return `[\n${v.map((x) => inner + pretty(x, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(v as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  if (entries.every(([, x]) => isScalar(x))) {
    const flat = `{ ${entries.map(([k, x]) => `${JSON.stringify(k)}: ${scalarJson(x)}`).join(', ')} }`;
    if (flat.length <= 100) return flat;
  }
  return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${pretty(x, inner, k)}`).join(',\n')}\n${indent}}`;
}

/** The .mqnb text of a notebook (ends with a newline). */
export function serializeNotebook(nb: Notebook): string {
  const out: Record<string, unknown> = { [FORMAT_KEY]: NOTEBOOK_FORMAT };
  if (nb.metadata?.title) out.metadata = { title: nb.metadata.title };
  out.cells = nb.cells.map(writeCell);
  return pretty(out, '') + '\n';
}
