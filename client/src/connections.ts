// Connection profiles (setting mq.connections) and how a run is configured from them. Pure: no VS Code.
// API keys and relay tokens live in VS Code's SecretStorage under the keys below, never in settings.
import type { AuthScheme } from './curl.js';
import type { RunOptions } from '../../server/src/api.js';

export interface CallbackSettings {
  /** Interface the local callback receiver listens on (default 127.0.0.1). */
  listenHost?: string;
  /** Port of the local callback receiver (0 or absent: any free port). */
  listenPort?: number;
  /**
   * Public base URL that forwards to the receiver (tunnel, reverse proxy, VS Code port forwarding).
   * The special value "auto" asks VS Code for the external URI of the listen port (remote windows).
   */
  publicBaseUrl?: string;
  /** URL of an `mq relay` server; its token is kept in SecretStorage. */
  relayUrl?: string;
}

export interface ConnectionProfile {
  name: string;
  baseUrl: string;
  authScheme: AuthScheme;
  callback?: CallbackSettings;
}

export interface ParsedConnections {
  profiles: ConnectionProfile[];
  /** Human-readable problems with entries that were skipped or corrected. */
  problems: string[];
}

export const SAMPLE_DATA_LABEL = 'Sample data';

export function apiKeySecretName(profile: string): string {
  return `mq.apiKey.${profile}`;
}

export function relayTokenSecretName(profile: string): string {
  return `mq.relayToken.${profile}`;
}

const SCHEMES: readonly AuthScheme[] = ['App', 'Basic', 'Bearer'];

/** Adds https:// when no scheme is written and drops trailing slashes; undefined when not a usable http(s) URL. */
export function normaliseBaseUrl(raw: string): string | undefined {
  let s = raw.trim();
  if (!s) return undefined;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) s = `https://${s}`;
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (url.username || url.password) return undefined; // credentials never go in settings
  return `${url.protocol}//${url.host}${url.pathname}`.replace(/\/+$/, '');
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** Reads the mq.connections setting leniently: bad entries are skipped and reported. */
export function parseConnections(raw: unknown): ParsedConnections {
  const profiles: ConnectionProfile[] = [];
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { profiles, problems };
  if (!Array.isArray(raw)) return { profiles, problems: ['mq.connections must be a list of connection profiles.'] };
  const seen = new Set<string>();
  raw.forEach((entry, i) => {
    if (!entry || typeof entry !== 'object') {
      problems.push(`mq.connections[${i}] is not an object.`);
      return;
    }
    const e = entry as Record<string, unknown>;
    const name = str(e.name);
    if (!name) {
      problems.push(`mq.connections[${i}] has no name.`);
      return;
    }
    if (seen.has(name)) {
      problems.push(`Connection "${name}" is defined more than once; the first one is used.`);
      return;
    }
    const baseUrl = str(e.baseUrl) && normaliseBaseUrl(str(e.baseUrl)!);
    if (!baseUrl) {
      problems.push(`Connection "${name}" has no valid baseUrl (for example https://xxxx.api.infobip.com).`);
      return;
    }
    let authScheme: AuthScheme = 'App';
    const scheme = str(e.authScheme);
    if (scheme) {
      const match = SCHEMES.find((s) => s.toLowerCase() === scheme.toLowerCase());
      if (match) authScheme = match;
      else problems.push(`Connection "${name}": unknown authScheme "${scheme}", using App.`);
    }
    const profile: ConnectionProfile = { name, baseUrl, authScheme };
    const cb = e.callback;
    if (cb && typeof cb === 'object') {
      const c = cb as Record<string, unknown>;
      const callback: CallbackSettings = {};
      if (str(c.listenHost)) callback.listenHost = str(c.listenHost);
      if (c.listenPort !== undefined) {
        const port = Number(c.listenPort);
        if (Number.isInteger(port) && port >= 0 && port <= 65535) callback.listenPort = port;
        else problems.push(`Connection "${name}": callback.listenPort must be an integer from 0 to 65535.`);
      }
      const pub = str(c.publicBaseUrl);
      if (pub) {
        if (pub.toLowerCase() === 'auto') callback.publicBaseUrl = 'auto';
        else {
          const n = normaliseBaseUrl(pub);
          if (n) callback.publicBaseUrl = n;
          else problems.push(`Connection "${name}": callback.publicBaseUrl is not a valid http(s) URL.`);
        }
      }
      const relay = str(c.relayUrl);
      if (relay) {
        const n = normaliseBaseUrl(relay);
        if (n) callback.relayUrl = n;
        else problems.push(`Connection "${name}": callback.relayUrl is not a valid http(s) URL.`);
      }
      if (Object.keys(callback).length > 0) profile.callback = callback;
    }
    seen.add(name);
    profiles.push(profile);
  });
  return { profiles, problems };
}

/**
 * The active profile: the one named by mq.activeConnection. An empty name means sample data.
 * A name that matches no profile is reported so the user is not silently switched to sample data.
 */
export function resolveActiveConnection(
  profiles: readonly ConnectionProfile[],
  activeName: string | undefined,
): { profile?: ConnectionProfile; problem?: string } {
  const name = activeName?.trim();
  if (!name) return {};
  const profile = profiles.find((p) => p.name === name);
  if (profile) return { profile };
  return { problem: `The active connection "${name}" is not defined in mq.connections. Run "mq: Switch Connection".` };
}

export interface RunOptionsInput {
  profile?: ConnectionProfile;
  apiKey?: string;
  relayToken?: string;
  /** Result of resolving publicBaseUrl "auto" (vscode.env.asExternalUri). */
  externalBaseUrl?: string;
  timeoutMs?: number;
}

/** The run engine options a profile decides (the engine's own type, without the extension-only parts). */
export type ClientRunOptions = Pick<RunOptions, 'baseUrl' | 'apiKey' | 'authScheme' | 'timeoutMs'> & {
  callback?: Omit<NonNullable<RunOptions['callback']>, 'receiver'>;
};

/**
 * Builds run options. Without a profile the engine answers from its embedded sample data.
 * Throws an Error with an actionable message when something the profile needs is missing.
 */
export function buildRunOptions(input: RunOptionsInput): ClientRunOptions {
  const { profile } = input;
  const opts: ClientRunOptions = {};
  if (input.timeoutMs !== undefined) opts.timeoutMs = input.timeoutMs;
  if (!profile) return opts;
  if (!input.apiKey) {
    throw new Error(`No API key is stored for connection "${profile.name}". Run "mq: Set API Key" to add it.`);
  }
  opts.baseUrl = profile.baseUrl;
  opts.apiKey = input.apiKey;
  opts.authScheme = profile.authScheme;
  const cb = profile.callback;
  if (cb) {
    const callback: NonNullable<ClientRunOptions['callback']> = {};
    if (cb.listenHost) callback.listenHost = cb.listenHost;
    if (cb.listenPort !== undefined) callback.listenPort = cb.listenPort;
    if (cb.publicBaseUrl === 'auto') {
      if (!input.externalBaseUrl) {
        throw new Error(
          `Connection "${profile.name}" uses callback.publicBaseUrl "auto", which needs a fixed callback.listenPort.`,
        );
      }
      callback.publicBaseUrl = input.externalBaseUrl;
    } else if (cb.publicBaseUrl) callback.publicBaseUrl = cb.publicBaseUrl;
    if (cb.relayUrl) {
      if (!input.relayToken) {
        throw new Error(
          `Connection "${profile.name}" uses a relay but no relay token is stored. Run "mq: Set API Key" and choose the relay token.`,
        );
      }
      callback.relay = { url: cb.relayUrl, token: input.relayToken };
    }
    if (Object.keys(callback).length > 0) opts.callback = callback;
  }
  return opts;
}

/** Label for the status bar and result headers. */
export function connectionLabel(profile: ConnectionProfile | undefined): string {
  return profile ? profile.name : SAMPLE_DATA_LABEL;
}
