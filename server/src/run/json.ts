// Lossless JSON for the run engine: integers beyond 2^53 (int64 IDs in result cells) are kept exact as
// RawInteger, everything else becomes ordinary JSON values. Writing goes through wire.stringifyJson.
import { parse } from 'lossless-json';
import { RawInteger } from '../core/compile/wire.js';

const INTEGER = /^-?\d+$/;

function parseNumber(text: string): number | RawInteger {
  if (INTEGER.test(text)) {
    const n = Number(text);
    if (Number.isSafeInteger(n)) return n;
    // Keep every digit; a leading minus is kept as well (stringifyJson writes it back bare).
    return new RawInteger(text.replace(/^(-?)0+(?=\d)/, '$1'));
  }
  return Number(text);
}

/** Parses JSON text; throws SyntaxError on malformed input. */
export function parseJsonLossless(text: string): unknown {
  return parse(text, undefined, parseNumber);
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof RawInteger);
}
