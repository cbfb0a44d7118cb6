// Removes secrets from text before it reaches a log, a notification, a history file or the webview.

const MASK = '••••••';

/**
 * Replaces every occurrence of the given secrets, and anything shaped like a credential
 * (an Authorization header value, `App <key>`, `apiKey=...`), with a mask.
 */
export function redact(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  const known = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4);
  // Longest first, so that a secret containing another is masked whole.
  known.sort((a, b) => b.length - a.length);
  for (const s of known) {
    // The secret as written, and the forms it takes in headers and URLs.
    for (const form of [s, Buffer.from(s, 'utf8').toString('base64'), encodeURIComponent(s)]) out = out.split(form).join(MASK);
  }
  out = out.replace(/(authorization["']?\s*[:=]\s*["']?)(?:(App|Basic|Bearer)\s+)?[^\s"',;]+/gi, (_m, head: string, scheme?: string) =>
    `${head}${scheme ? `${scheme} ` : ''}${MASK}`,
  );
  out = out.replace(/\b(App|Basic|Bearer)\s+([A-Za-z0-9+/=._~-]{16,})/g, `$1 ${MASK}`);
  out = out.replace(/((?:api[-_]?key|token|secret|password)["']?\s*[:=]\s*["']?)[A-Za-z0-9+/=._~-]{8,}/gi, `$1${MASK}`);
  out = out.replace(/(https?:\/\/)[^\s/@:]+:[^\s/@]+@/gi, `$1${MASK}@`);
  return out;
}
