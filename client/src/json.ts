// Lossless JSON reading: integers beyond 2^53 come back as RawInteger so stringifyJson() writes them unchanged.
import { parse } from 'lossless-json';
import { RawInteger } from '../../server/src/api.js';

export function parseJsonLossless(text: string): unknown {
  return parse(text, null, (value: string) => {
    if (/^-?\d+$/.test(value)) {
      const n = Number(value);
      return Number.isSafeInteger(n) ? n : new RawInteger(value);
    }
    return Number(value);
  });
}
