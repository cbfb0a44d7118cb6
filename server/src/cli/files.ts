// Reading and writing the .mq files named on the command line, with messages a user can act on
// (missing file, directory, binary or non-UTF-8 content) instead of stack traces.
import { readFile, stat, writeFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';

/** Larger inputs are refused rather than risking a very slow run. */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

export type SourceFile =
  | { ok: true; path: string; text: string; bom: boolean; eol: LineEnding }
  | { ok: false; message: string };

/** The line ending a file uses (from its first 64 KiB): CRLF, LF, or a lone CR (classic Mac OS). */
export type LineEnding = '\n' | '\r\n' | '\r';

function detectEol(text: string): LineEnding {
  const head = text.slice(0, 65536);
  if (head.includes('\r\n')) return '\r\n';
  if (head.includes('\r') && !head.includes('\n')) return '\r';
  return '\n';
}

export function resolvePath(file: string, cwd: string): string {
  return isAbsolute(file) ? file : resolve(cwd, file);
}

function describeError(e: unknown): string {
  const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory (give the .mq files inside it, for example dir/*.mq)';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    default:
      return e instanceof Error ? e.message : String(e);
  }
}

/** Reads an .mq file as UTF-8 text; the byte-order mark is removed (and remembered for writing back). */
export async function readSource(file: string, cwd: string): Promise<SourceFile> {
  if (file === '-') return { ok: false, message: '-: reading from standard input is not supported; give the path of an .mq file' };
  const path = resolvePath(file, cwd);
  try {
    const info = await stat(path);
    if (info.isDirectory()) return { ok: false, message: `${file}: ${describeError({ code: 'EISDIR' })}` };
    if (!info.isFile()) return { ok: false, message: `${file}: not a regular file` };
    if (info.size > MAX_FILE_BYTES) return { ok: false, message: `${file}: too large (${info.size} bytes; the limit is ${MAX_FILE_BYTES})` };
    const bytes = await readFile(path);
    if (bytes.subarray(0, 8192).includes(0)) return { ok: false, message: `${file}: looks like a binary file, not mq text` };
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    } catch {
      return { ok: false, message: `${file}: is not valid UTF-8 text` };
    }
    const bom = text.charCodeAt(0) === 0xfeff;
    if (bom) text = text.slice(1);
    return { ok: true, path, text, bom, eol: detectEol(text) };
  } catch (e) {
    return { ok: false, message: `${file}: ${describeError(e)}` };
  }
}

/** Writes text back with the file's original line endings and byte-order mark. */
export async function writeSource(file: { path: string; bom: boolean; eol: LineEnding }, text: string): Promise<void> {
  await writeFile(file.path, restoreEncoding(file, text), 'utf8');
}

/** The text as it would be stored: the file's line endings (text uses LF) and its BOM restored. */
export function restoreEncoding(file: { bom: boolean; eol: LineEnding }, text: string): string {
  const body = file.eol === '\n' ? text : text.replace(/\r?\n/g, file.eol);
  return file.bom ? '\ufeff' + body : body;
}
