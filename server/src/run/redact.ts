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

/** Marks every run of at least MIN_FRAGMENT characters of `secret` found in `text`. */
function markFragments(text: string, secret: string, marks: Uint8Array): void {
  if (secret.length < MIN_FRAGMENT) return;
  for (let i = 0; i + MIN_FRAGMENT <= secret.length; i++) {
    const window = secret.slice(i, i + MIN_FRAGMENT);
    for (let at = text.indexOf(window); at !== -1; at = text.indexOf(window, at + 1)) marks.fill(1, at, at + MIN_FRAGMENT);
  }
}

/** Replaces each marked run of characters with one mask. */
function applyMarks(text: string, marks: Uint8Array): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (marks[i]) {
      while (i < text.length && marks[i]) i++;
      out += MASK;
    } else {
      let j = i;
      while (j < text.length && !marks[j]) j++;
      out += text.slice(i, j);
      i = j;
    }
  }
  return out;
}

/** Masks the given secrets (and their fragments) and anything shaped like a credential in `text`. */
export function redact(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  const known = needles(secrets);
  for (const n of known) if (out.includes(n)) out = out.split(n).join(MASK);
  if (known.length) {
    const marks = new Uint8Array(out.length);
    for (const n of known) markFragments(out, n, marks);
    if (marks.includes(1)) out = applyMarks(out, marks);
  }
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
