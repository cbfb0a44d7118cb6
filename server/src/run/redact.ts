// The one redaction of mq: every line the CLI prints, every message the extension shows or logs, and every
// history entry goes through redact(). It masks the secrets it is given in the forms they take on the wire
// (as written, base64 as in a Basic header, URL-encoded), each part of a secret that holds control characters
// (a key pasted with a line break), any echo of 8 or more consecutive characters of a secret (a hostile server
// returning part of the key as a request id), credentials in URLs (`https://user:key@host`), and text shaped
// like a credential (an Authorization value, `App <key>`, `apiKey=...`).

export const MASK = '••••••';

/** Shortest secret that is masked at all; shorter values would mask ordinary words. */
const MIN_SECRET = 4;
/** Shortest fragment of a secret that counts as an echo of it. */
export const MIN_FRAGMENT = 8;

// Control characters split a key into parts that are masked one by one (a key with CR/LF prints as lines).
// eslint-disable-next-line no-control-regex -- matching control characters is the point here
const CONTROL = /[\u0000-\u001f\u007f]+/;

/** The strings to look for: each secret, its control-character-free parts, and their encoded forms. */
function needles(secrets: readonly (string | undefined)[]): string[] {
  const out = new Set<string>();
  for (const s of secrets) {
    if (typeof s !== 'string' || s.length < MIN_SECRET) continue;
    const parts = [s, ...s.split(CONTROL)].filter((p) => p.length >= MIN_SECRET);
    for (const p of parts) {
      out.add(p);
      out.add(Buffer.from(p, 'utf8').toString('base64'));
      out.add(encodeURIComponent(p));
    }
  }
  // Longest first, so that a secret containing another is masked whole.
  return [...out].sort((a, b) => b.length - a.length);
}

// Fragments are found in one pass over the text, whatever its size or the number of secrets: every
// MIN_FRAGMENT-character window of the text is hashed with a rolling polynomial hash, and only a window whose
// hash is one of the secrets' windows is compared as text. (Searching each window of each secret separately
// took seconds for a 50 MB output.)
const HASH_BASE = 0x01000193;
/** HASH_BASE ** (MIN_FRAGMENT - 1), modulo 2^32: the weight of the character that leaves the window. */
const HASH_OUT = (() => {
  let p = 1;
  for (let i = 1; i < MIN_FRAGMENT; i++) p = Math.imul(p, HASH_BASE);
  return p;
})();

function windowHash(text: string, at: number): number {
  let h = 0;
  for (let i = at; i < at + MIN_FRAGMENT; i++) h = (Math.imul(h, HASH_BASE) + text.charCodeAt(i)) | 0;
  return h;
}

const filterSlot = (h: number) => (h ^ (h >>> 16)) & 0xffff;

interface WindowTable {
  windows: Set<string>;
  hashes: Set<number>;
  filter: Uint8Array;
}
/** The last table built: the CLI and the extension redact many texts with the same secrets. */
let lastTable: { key: string; table: WindowTable } | undefined;

/** Every MIN_FRAGMENT-character window of the secrets, their hashes, and a 64 Ki-slot filter of the hashes. */
function windowTable(secrets: readonly string[]): WindowTable {
  const key = secrets.join('\u0000');
  if (lastTable?.key === key) return lastTable.table;
  const windows = new Set<string>();
  for (const s of secrets) for (let i = 0; i + MIN_FRAGMENT <= s.length; i++) windows.add(s.slice(i, i + MIN_FRAGMENT));
  const hashes = new Set<number>();
  const filter = new Uint8Array(0x10000);
  for (const w of windows) {
    const h = windowHash(w, 0);
    hashes.add(h);
    filter[filterSlot(h)] = 1;
  }
  lastTable = { key, table: { windows, hashes, filter } };
  return lastTable.table;
}

/**
 * Marks every run of at least MIN_FRAGMENT consecutive characters of any secret found in `text` (a run of a
 * secret is covered by its overlapping windows). Returns the marks, or undefined when nothing matched.
 */
function markFragments(text: string, secrets: readonly string[]): Uint8Array | undefined {
  const { windows, hashes, filter } = windowTable(secrets);
  if (windows.size === 0 || text.length < MIN_FRAGMENT) return undefined;
  let marks: Uint8Array | undefined;
  const last = text.length - MIN_FRAGMENT;
  let h = windowHash(text, 0);
  for (let i = 0; ; i++) {
    if (filter[filterSlot(h)] === 1 && hashes.has(h) && windows.has(text.slice(i, i + MIN_FRAGMENT))) {
      marks ??= new Uint8Array(text.length);
      marks.fill(1, i, i + MIN_FRAGMENT);
    }
    if (i >= last) return marks;
    h = (Math.imul(h - Math.imul(text.charCodeAt(i), HASH_OUT), HASH_BASE) + text.charCodeAt(i + MIN_FRAGMENT)) | 0;
  }
}

/** Replaces each marked run of characters with one mask. */
function applyMarks(text: string, marks: Uint8Array): string {
  const parts: string[] = [];
  let i = 0;
  while (i < text.length) {
    const start = marks.indexOf(1, i);
    if (start === -1) break;
    const end = marks.indexOf(0, start);
    parts.push(text.slice(i, start), MASK);
    i = end === -1 ? text.length : end;
  }
  parts.push(text.slice(i));
  return parts.join('');
}

/** Masks the given secrets (and their fragments) and anything shaped like a credential in `text`. */
export function redact(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  const known = needles(secrets);
  for (const n of known) if (out.includes(n)) out = out.split(n).join(MASK);
  const marks = known.length ? markFragments(out, known) : undefined;
  if (marks) out = applyMarks(out, marks);
  return redactShapes(out);
}

/** Credentials recognisable without knowing them: URL userinfo, Authorization values, key=value pairs. */
export function redactShapes(text: string): string {
  let out = text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi, `$1${MASK}@`);
  out = out.replace(/(authorization["']?\s*[:=]\s*["']?)(?:(App|Basic|Bearer|IBSSO)\s+)?[^\s"',;]+/gi, (_m, head: string, scheme?: string) =>
    `${head}${scheme ? `${scheme} ` : ''}${MASK}`,
  );
  out = out.replace(/\b(App|Basic|Bearer|IBSSO)\s+([A-Za-z0-9+/=._~-]{16,})/g, `$1 ${MASK}`);
  out = out.replace(/((?:api[-_]?key|token|secret|password)["']?\s*[:=]\s*["']?)[A-Za-z0-9+/=._~-]{8,}/gi, `$1${MASK}`);
  return out;
}

/** The secrets a URL carries in its userinfo (`https://user:key@host`), decoded and as written. */
export function urlSecrets(url: string | undefined): string[] {
  if (!url || !URL.canParse(url)) return [];
  const u = new URL(url);
  const out: string[] = [];
  for (const v of [u.username, u.password]) {
    if (!v) continue;
    out.push(v);
    try {
      out.push(decodeURIComponent(v));
    } catch {
      /* a malformed escape: the raw form is enough */
    }
  }
  return out;
}

/** A writer that redacts what it is given with the secrets known at the time of the call. */
export function redactingWriter(write: (s: string) => void, secrets: () => readonly (string | undefined)[]): (s: string) => void {
  return (s: string) => write(redact(s, secrets()));
}
