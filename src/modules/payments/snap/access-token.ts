import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../../../shared/clock.js';
import { evictStaleAndOldest } from '../../../shared/bounded-cache.js';

/** SNAP: `expiresIn` "Session expiry in seconds: 900 (15 menit)" (ASPI Keamanan, access token B2B response). */
export const ACCESS_TOKEN_TTL_SECONDS = 900;
/** Live tokens kept at most; a bank asks for about one per 15 minutes, so this bound only stops a runaway client. */
export const ACCESS_TOKEN_STORE_MAX = 10_000;
const TOKEN_BYTES = 32;

export interface IssuedToken {
  accessToken: string;
  expiresInSeconds: number;
}

function tokenKey(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Opaque B2B access tokens (random, 256 bits, base64url), remembered only as their SHA-256 with the client id and the
 * expiry — a memory dump shows no usable token.
 *
 * IN MEMORY, deliberately for now: tokens die with the process (the bank simply asks for a new one: SNAP clients do on
 * 4012401), and with several server instances behind a load balancer a token issued by one is unknown to the others.
 * Such a deployment needs this store in a table (`snap_access_token(token_hash primary key, client_id, expires_at)`),
 * which is one migration away; until then run the SNAP endpoints on one instance (sticky routing of /snap).
 *
 * Bounded: at most `max` entries; issuing first drops expired ones (oldest first — insertion order is expiry order,
 * the lifetime being constant), then, if still full, the oldest live one.
 */
export class AccessTokenStore {
  readonly #tokens = new Map<string, { clientId: string; expiresAt: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly max: number = ACCESS_TOKEN_STORE_MAX,
    private readonly ttlSeconds: number = ACCESS_TOKEN_TTL_SECONDS,
  ) {}

  issue(clientId: string): IssuedToken {
    const now = this.clock.now().getTime();
    this.#evict(now);
    const accessToken = randomBytes(TOKEN_BYTES).toString('base64url');
    this.#tokens.set(tokenKey(accessToken), { clientId, expiresAt: now + this.ttlSeconds * 1000 });
    return { accessToken, expiresInSeconds: this.ttlSeconds };
  }

  /** The client a live token was issued to; null for an unknown, expired or malformed token. */
  verify(accessToken: string): { clientId: string } | null {
    if (accessToken.length === 0 || accessToken.length > 2048) {
      return null;
    }
    const key = tokenKey(accessToken);
    const entry = this.#tokens.get(key);
    if (!entry) {
      return null;
    }
    if (entry.expiresAt <= this.clock.now().getTime()) {
      this.#tokens.delete(key);
      return null;
    }
    return { clientId: entry.clientId };
  }

  get size(): number {
    return this.#tokens.size;
  }

  #evict(now: number): void {
    evictStaleAndOldest(this.#tokens, (entry) => entry.expiresAt <= now, this.max);
  }
}
