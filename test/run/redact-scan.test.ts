// The redaction's one-pass fragment search gives exactly what searching every window of every secret gives:
// checked against that straightforward search on random texts full of whole and partial echoes, and on a
// large output where it must stay linear.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MASK, MIN_FRAGMENT, redact, redactShapes } from '../../server/src/run/redact.js';

/** The plain way: mask each secret whole, then every window of MIN_FRAGMENT characters found anywhere. */
function reference(text: string, secrets: string[]): string {
  let out = text;
  const known = [...new Set(secrets.flatMap((s) => [s, Buffer.from(s).toString('base64'), encodeURIComponent(s)]))].sort((a, b) => b.length - a.length);
  for (const n of known) out = out.split(n).join(MASK);
  const marks = new Uint8Array(out.length);
  for (const n of known) {
    for (let i = 0; i + MIN_FRAGMENT <= n.length; i++) {
      const w = n.slice(i, i + MIN_FRAGMENT);
      for (let at = out.indexOf(w); at !== -1; at = out.indexOf(w, at + 1)) marks.fill(1, at, at + MIN_FRAGMENT);
    }
  }
  let res = '';
  for (let i = 0; i < out.length; ) {
    if (marks[i]) {
      while (marks[i]) i++;
      res += MASK;
    } else res += out[i++];
  }
  return redactShapes(res);
}

function random(seed: number): () => number {
  let s = seed;
  return () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
}

test('random texts with whole and partial echoes of several secrets: the same masks as the plain search', () => {
  const rnd = random(7);
  const alphabet = 'abcdefXYZ0123-_ é\n';
  const pick = (n: number) => Array.from({ length: n }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join('');
  for (let round = 0; round < 300; round++) {
    const secrets = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => pick(8 + Math.floor(rnd() * 20)).replace(/\n/g, 'n'));
    let text = '';
    for (let k = 0; k < 12; k++) {
      const s = secrets[Math.floor(rnd() * secrets.length)]!;
      const from = Math.floor(rnd() * s.length);
      const len = 5 + Math.floor(rnd() * s.length);
      text += pick(Math.floor(rnd() * 6)) + (rnd() < 0.3 ? s : s.slice(from, from + len));
    }
    assert.equal(redact(text, secrets), reference(text, secrets), `round ${round}: ${JSON.stringify({ text, secrets })}`);
  }
});

test('windows at the very start and end of the text and a fragment of exactly 8 characters are masked', () => {
  const key = 'ABCDEFGHIJKLMNOP';
  assert.equal(redact('ABCDEFGH', [key]), MASK);
  assert.equal(redact('xx IJKLMNOP', [key]), `xx ${MASK}`);
  assert.equal(redact('IJKLMNO yy', [key]), 'IJKLMNO yy', '7 characters are left alone');
  assert.equal(redact('short', [key]), 'short');
});

test('a 20 MB output with an echo in the middle: exactly the echo is masked, in bounded time', () => {
  const key = 'k9Zq-81f0c3d2e4b5a697-XyWv';
  const row = '2026-01-01,SMS,12345,67890,0.98\n';
  const half = row.repeat(Math.ceil(10e6 / row.length));
  const text = `${half}id ${key.slice(3, 20)}\n${half}`;
  const started = performance.now();
  const out = redact(text, [key, 'relay-token-abcdefghijklmnop', 'second-secret-value-123']);
  const ms = performance.now() - started;
  assert.equal(out, `${half}id ${MASK}\n${half}`);
  assert.ok(ms < 15_000, `took ${ms.toFixed(0)} ms`);
});
