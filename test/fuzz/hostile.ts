// Pathological documents: each is built on demand so that a test only pays for what it uses.
import { catalog } from '../../server/src/core/catalog/data.js';
import { EXAMPLES } from './generators.js';

const MB = 1 << 20;
const REQ = "channelCode = SMS AND sentSince = '2026-10-01' AND sentUntil = '2026-10-02'";

/** A deterministic byte soup (xorshift), as latin1 characters 0..255. */
function bytes(n: number, seed = 0x2545f491): string {
  let x = seed;
  let out = '';
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out += String.fromCharCode(x & 0xff);
  }
  return out;
}

export interface Hostile {
  name: string;
  make: () => string;
}

export const HOSTILE: readonly Hostile[] = [
  { name: '1 MB identifier', make: () => `SELECT ${'A'.repeat(MB)} WHERE ${REQ}` },
  { name: '1 MB line of conditions', make: () => `SELECT TOTAL_TRAFFIC_COUNT WHERE ${REQ}${" AND senders = 'x'".repeat(Math.ceil(MB / 18))}` },
  { name: '1 MB line comment', make: () => `-- ${'x'.repeat(MB)}\nSELECT TOTAL_TRAFFIC_COUNT WHERE ${REQ}` },
  { name: '1 MB unterminated string', make: () => `SELECT TOTAL_TRAFFIC_COUNT WHERE ${REQ} AND senders = '${'s'.repeat(MB)}` },
  { name: 'unterminated string on every line', make: () => `SELECT TOTAL_TRAFFIC_COUNT WHERE ${REQ}\n${"AND senders = 'open\n".repeat(5000)}` },
  { name: '1 MB unterminated block comment', make: () => `SELECT TOTAL_TRAFFIC_COUNT /* ${'c '.repeat(MB / 2)}` },
  { name: '200,000 open parentheses', make: () => '('.repeat(200_000) },
  { name: '200,000 open parentheses after IN', make: () => `SELECT TOTAL_TRAFFIC_COUNT WHERE ${REQ} AND countryIds IN ${'('.repeat(200_000)}` },
  { name: '100,000 nested parentheses, balanced', make: () => `SELECT TOTAL_TRAFFIC_COUNT WHERE channelCode IN ${'('.repeat(100_000)}SMS${')'.repeat(100_000)}` },
  { name: '256 KB of binary bytes', make: () => bytes(256 * 1024) },
  { name: 'NUL bytes everywhere', make: () => `SELECT\u0000TOTAL_TRAFFIC_COUNT\u0000WHERE ${REQ}\u0000;\u0000`.repeat(1000) },
  { name: 'lone surrogates in names, strings and comments', make: () => `-- \ud800\nSELECT TOTAL_\udc00COUNT WHERE ${REQ} AND senders = '\ud83d' /* \udfff */;\n\ud800`.repeat(500) },
  { name: 'CR-only line ends', make: () => EXAMPLES.map((e) => e.text.replace(/\r?\n/g, '\r')).join('\r').repeat(20) },
  { name: 'mixed line ends', make: () => EXAMPLES.map((e) => e.text.replace(/\n/g, () => ['\n', '\r\n', '\r'][Math.floor(Math.random() * 3)]!)).join('\n') },
  {
    name: '10,000 metrics in one SELECT',
    make: () => `SELECT ${Array.from({ length: 10_000 }, (_, i) => catalog.metrics[i % catalog.metrics.length]!.name).join(', ')} WHERE ${REQ};`,
  },
  { name: '10,000 unknown metrics in one SELECT', make: () => `SELECT ${Array.from({ length: 10_000 }, (_, i) => `METRIC_${i}`).join(', ')} WHERE ${REQ};` },
  { name: '10,000 values in one IN list', make: () => `SELECT TOTAL_TRAFFIC_COUNT WHERE ${REQ} AND communicationIds IN (${Array.from({ length: 10_000 }, (_, i) => i).join(', ')});` },
  { name: '10,000 queries', make: () => `SELECT TOTAL_TRAFFIC_COUNT BY DAY WHERE ${REQ};\n`.repeat(10_000) },
  {
    name: 'integers with 1,000 digits',
    make: () => {
      const n = '9'.repeat(1000);
      return [
        `SELECT TOTAL_TRAFFIC_COUNT WHERE ${REQ} AND communicationIds = ${n};`,
        `SELECT TOTAL_TRAFFIC_COUNT WHERE ${REQ} AND networkIds IN (${n}, 1${'0'.repeat(999)});`,
        `SELECT TOTAL_TRAFFIC_COUNT WHERE ${REQ} AND timeToDeliver < ${n}s;`,
        `SELECT TOTAL_TRAFFIC_COUNT WHERE channelCode = SMS AND sentSince = now - ${n}d AND sentUntil = now + ${n}ms;`,
        `SELECT TOTAL_TRAFFIC_COUNT WHERE ${REQ} AND trafficTypes = ${n} LIMIT ${n};`,
        `SELECT TOTAL_TRAFFIC_COUNT WHERE ${REQ} LIMIT 0${'0'.repeat(999)};`,
      ].join('\n');
    },
  },
  { name: 'deep AND chain', make: () => `SELECT TOTAL_TRAFFIC_COUNT WHERE ${REQ}${' AND direction = OUTBOUND'.repeat(20_000)};` },
  { name: 'OR and NOT everywhere', make: () => `SELECT TOTAL_TRAFFIC_COUNT WHERE ${REQ}${' OR NOT direction != OUTBOUND'.repeat(10_000)};` },
  { name: 'only keywords', make: () => 'SELECT BY WHERE AND IN BETWEEN ORDER BY ASC DESC LIMIT '.repeat(20_000) },
  { name: 'only separators', make: () => ',;=<>+-'.repeat(100_000) },
  { name: 'bidi overrides and zero-width characters', make: () => `SELECT TOTAL_TRAFFIC_COUNT\u202e WHERE ${REQ} AND senders = '\u202e\u2066evil\u2069\u200b';\n`.repeat(2000) },
  { name: 'byte order marks and NBSP', make: () => `\ufeffSELECT\u00a0TOTAL_TRAFFIC_COUNT\ufeffWHERE\u00a0${REQ};`.repeat(2000) },
];
