// Relay tokens: who may fetch results, and the public ids that appear in callback URLs.
// The relay never keeps a token itself, only its SHA-256 (tokens are long random strings, so a fast hash
// is enough; see docs/relay.md). The public token id and the callback path's check part are HMACs under
// the relay's own key (kept in the store), so nobody can derive them from a token or forge a callback path.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';

export const MIN_RELAY_TOKEN_LENGTH = 16;

/** The SHA-256 of a token, as stored in a tokens file (64 hex digits). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export interface TokenEntry {
  /** A name for logs (never the token): the user's name from the tokens file, or "token-N". */
  name: string;
  /** SHA-256 hex of the token. */
  hash: string;
  /** Keyed public id, used in callback paths and as the store's owner key. */
  id: string;
}

/**
 * One line per user: `NAME SHA256HEX` (or just `SHA256HEX`); blank lines and lines starting with # are
 * ignored. Throws with the line number on anything else, so a typo never silently locks a user out.
 */
export function parseTokensFile(text: string): { name: string; hash: string }[] {
  const out: { name: string; hash: string }[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line || line.startsWith('#')) continue;
    const parts = line.split(/\s+/);
    const hash = (parts.length === 1 ? parts[0] : parts[1])!.replace(/^sha256:/i, '').toLowerCase();
    const name = parts.length === 1 ? `line-${i + 1}` : parts[0]!;
    if (parts.length > 2 || !/^[0-9a-f]{64}$/.test(hash)) {
      throw new Error(`tokens file line ${i + 1}: expected "NAME SHA256HEX" (64 hex digits, e.g. from \`mq relay --hash-token\`), got ${parts.length > 2 ? 'more than two fields' : 'no valid SHA-256'}.`);
    }
    if (!/^[\w.@+-]{1,64}$/.test(name)) throw new Error(`tokens file line ${i + 1}: the name may only use letters, digits and . _ @ + - (at most 64).`);
    out.push({ name, hash });
  }
  return out;
}

export function readTokensFile(path: string): { name: string; hash: string }[] {
  return parseTokensFile(readFileSync(path, 'utf8'));
}

/** The accepted tokens, keyed for lookups; replaced as a whole when the tokens file is reloaded. */
export class TokenSet {
  private byHash = new Map<string, TokenEntry>();
  private byId = new Map<string, TokenEntry>();
  constructor(private readonly key: Buffer) {}

  get size(): number {
    return this.byHash.size;
  }

  /** Replaces the set; returns how many tokens it now holds. */
  replace(entries: readonly { name: string; hash: string }[]): number {
    const byHash = new Map<string, TokenEntry>();
    const byId = new Map<string, TokenEntry>();
    for (const e of entries) {
      const entry: TokenEntry = { name: e.name, hash: e.hash, id: this.idOf(e.hash) };
      byHash.set(e.hash, entry);
      byId.set(entry.id, entry);
    }
    this.byHash = byHash;
    this.byId = byId;
    return byHash.size;
  }

  /** The public id of a token hash: HMAC-SHA256 under the relay key, 32 hex digits. */
  idOf(hash: string): string {
    return createHmac('sha256', this.key).update(`token-id\0${hash}`).digest('hex').slice(0, 32);
  }

  /** The entry for a presented token, or undefined. */
  authenticate(token: string): TokenEntry | undefined {
    const hash = hashToken(token);
    const hit = this.byHash.get(hash);
    if (!hit) return undefined;
    return timingSafeEqual(Buffer.from(hit.hash, 'hex'), Buffer.from(hash, 'hex')) ? hit : undefined;
  }

  byPublicId(id: string): TokenEntry | undefined {
    return this.byId.get(id);
  }

  /** A fresh random callback path segment for a token id: 22 random characters + 22 of HMAC. */
  newCallbackSecret(tokenId: string): string {
    const nonce = randomBytes(16).toString('base64url');
    return nonce + this.mac(tokenId, nonce);
  }

  /** Whether a callback path segment was made by newCallbackSecret for this token id. */
  checkCallbackSecret(tokenId: string, secret: string): boolean {
    if (secret.length !== 44) return false;
    const want = Buffer.from(this.mac(tokenId, secret.slice(0, 22)));
    const got = Buffer.from(secret.slice(22));
    return want.length === got.length && timingSafeEqual(want, got);
  }

  private mac(tokenId: string, nonce: string): string {
    return createHmac('sha256', this.key).update(`callback\0${tokenId}\0${nonce}`).digest().subarray(0, 16).toString('base64url');
  }
}
