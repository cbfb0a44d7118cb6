// Builds a copy-pasteable cURL command for a compiled request. The API key is never written into it:
// the command reads it from the INFOBIP_API_KEY environment variable of the shell that runs it.
import { METRICS_API_PATHS } from '../../server/src/api.js';

export type AuthScheme = 'App' | 'Basic' | 'Bearer';

export const API_KEY_PLACEHOLDER = '$INFOBIP_API_KEY';

/** Quotes a string for POSIX shells: single quotes, with embedded single quotes closed and escaped. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export interface CurlInput {
  /** e.g. https://xxxx.api.infobip.com (trailing slashes are dropped). */
  baseUrl: string;
  authScheme?: AuthScheme;
  /** The JSON body exactly as it would be sent (serialised with stringifyJson). */
  bodyJson: string;
}

export function buildCurl({ baseUrl, authScheme = 'App', bodyJson }: CurlInput): string {
  const url = baseUrl.replace(/\/+$/, '') + METRICS_API_PATHS.query;
  return [
    `curl -sS -X POST ${shellQuote(url)}`,
    // Double quotes so that the shell expands the variable; nothing else in this header is special.
    `  -H "Authorization: ${authScheme} ${API_KEY_PLACEHOLDER}"`,
    `  -H 'Content-Type: application/json'`,
    `  -H 'Accept: application/json'`,
    `  --data-raw ${shellQuote(bodyJson)}`,
  ].join(' \\\n');
}
