// Shared pieces of the relay tests: temp stores, callbacks, and the standalone bundle for process tests.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

export const T1 = 'relay-token-one-0123456789';
export const T2 = 'relay-token-two-0123456789';

export function tempDir(prefix = 'mq-relay-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export const resultBody = (id: string, extra = '') => JSON.stringify({ requestId: id, status: 'FAILED', failureMessage: `x${extra}` });

export function post(url: string, body: string | Uint8Array, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: body as BodyInit });
}

/** A fresh callback URL for a token, the way RelayLink gets one. */
export async function callbackUrl(relayUrl: string, token: string): Promise<string> {
  const r = await fetch(`${relayUrl}/callback-url`, { headers: { Authorization: `Bearer ${token}` } });
  if (r.status !== 200) throw new Error(`callback-url answered ${r.status}`);
  return relayUrl + ((await r.json()) as { path: string }).path;
}

let bundle: Promise<string> | undefined;
/** dist/relay.js built from the current sources into a temp dir of its own (no node_modules next to it). */
export function relayBundle(): Promise<string> {
  bundle ??= (async () => {
    const out = join(tempDir('mq-relay-bundle-'), 'relay.js');
    await build({
      entryPoints: [join(import.meta.dirname, '..', '..', 'server/src/cli/relayMain.ts')],
      outfile: out,
      bundle: true,
      platform: 'node',
      target: 'node22',
      format: 'cjs',
      minify: true,
      logLevel: 'error',
    });
    return out;
  })();
  return bundle;
}
