import type { Context, MiddlewareHandler } from 'hono';
import { sql } from 'kysely';
import type { Deps } from '../deps.js';
import { normalizePhone } from '../modules/identity/domain/contact.js';
import { hmacSha256Hex } from '../shared/crypto.js';
import { errorResponse } from './errors.js';
import { clientAddress, retryAfterSeconds, windowOf, type RateLimitBucket } from './rate-limits.js';

/** One count a request adds: `key` is the client IP or a phone number (stored only as an HMAC). */
export interface Hit {
  bucket: RateLimitBucket;
  key: string;
}

/** A refusal: seconds until the fullest refusing window ends (the Retry-After header). */
export interface Refusal {
  retryAfter: number;
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
type LimiterDeps = Pick<Deps, 'db' | 'clock' | 'config' | 'logger'>;

/** Sweep ended windows at most this often per server instance. */
const SWEEP_EVERY_MS = 60_000;

/**
 * The rate limiter's store: fixed-window counters in the table rate_limit_counter, so every server instance on the
 * database shares them. One request = one statement: every bucket it counts in is upserted at once
 * (INSERT … ON CONFLICT … DO UPDATE SET n = n + 1 RETURNING n), atomic under any concurrency on PostgreSQL and PGlite.
 * Windows that have ended are deleted on the fly, at most once a minute per instance. Limits come from configuration
 * (RATE_LIMITS, rate-limits.ts); with RATE_LIMITS=off nothing is counted. A failing store lets the request through
 * (logged): the limiter never turns a database hiccup into a refusal of its own.
 */
export function createRateLimiter(deps: LimiterDeps) {
  const limits = deps.config.rateLimits;
  let nextSweepMs = 0;
  // The key is an HMAC: the table holds no IP address or phone number, and one bucket's key tells nothing of another's.
  const keyOf = (hit: Hit) => hmacSha256Hex(deps.config.otpSecret, `rate-limit\0${hit.bucket}\0${hit.key}`).slice(0, 32);

  async function sweep(now: Date): Promise<void> {
    if (now.getTime() < nextSweepMs) {
      return;
    }
    nextSweepMs = now.getTime() + SWEEP_EVERY_MS;
    await sql`delete from rate_limit_counter where expires_at <= ${now}`.execute(deps.db);
  }

  return {
    enabled: limits !== null,

    /** Counts the request in every bucket of `hits`; a refusal when any of them is now over its limit. */
    async hit(hits: readonly Hit[]): Promise<Refusal | null> {
      if (limits === null || hits.length === 0) {
        return null;
      }
      const now = deps.clock.now();
      const rows = new Map<string, { bucket: RateLimitBucket; key: string; start: Date; end: Date }>();
      for (const h of hits) {
        const w = windowOf(now.getTime(), limits[h.bucket].windowSeconds);
        rows.set(`${h.bucket}\0${h.key}`, { bucket: h.bucket, key: keyOf(h), ...w });
      }
      try {
        const values = sql.join([...rows.values()].map((r) => sql`(${r.bucket}, ${r.key}, ${r.start}, ${r.end}, 1)`));
        const counted = await sql<{ bucket: RateLimitBucket; key: string; n: number }>`
          insert into rate_limit_counter (bucket, key, window_start, expires_at, n) values ${values}
          on conflict (bucket, key, window_start) do update set n = rate_limit_counter.n + 1
          returning bucket, key, n`.execute(deps.db);
        await sweep(now);
        let retryAfter = 0;
        for (const row of counted.rows) {
          if (Number(row.n) > limits[row.bucket].limit) {
            const end = [...rows.values()].find((r) => r.bucket === row.bucket && r.key === row.key)?.end ?? now;
            retryAfter = Math.max(retryAfter, retryAfterSeconds(now.getTime(), end));
          }
        }
        return retryAfter > 0 ? { retryAfter } : null;
      } catch (err) {
        deps.logger.warn('rate limit store failed; request let through', { error: err instanceof Error ? err.message : String(err) });
        return null;
      }
    },

    /** Without counting: a refusal when `hit` has already reached its bucket's limit in the current window. */
    async reached(hit: Hit): Promise<Refusal | null> {
      if (limits === null) {
        return null;
      }
      const now = deps.clock.now();
      const rule = limits[hit.bucket];
      const w = windowOf(now.getTime(), rule.windowSeconds);
      try {
        const found = await sql<{ n: number }>`
          select n from rate_limit_counter where bucket = ${hit.bucket} and key = ${keyOf(hit)} and window_start = ${w.start}`.execute(deps.db);
        return Number(found.rows[0]?.n ?? 0) >= rule.limit ? { retryAfter: retryAfterSeconds(now.getTime(), w.end) } : null;
      } catch (err) {
        deps.logger.warn('rate limit store failed; request let through', { error: err instanceof Error ? err.message : String(err) });
        return null;
      }
    },
  };
}

/** The client's IP: the socket's remote address, or X-Forwarded-For as far as TRUST_PROXY trusts it (rate-limits.ts). */
export function clientIp(c: Context, trustProxy: number): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return clientAddress(env?.incoming?.socket?.remoteAddress, c.req.header('x-forwarded-for'), trustProxy);
}

/** The phone named in a JSON body (`phone`), normalised to E.164; null when there is none or it is not a phone. */
export async function jsonBodyPhone(c: Context): Promise<string | null> {
  try {
    const body: unknown = await c.req.json();
    const phone = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['phone'] : undefined;
    return typeof phone === 'string' ? phoneKey(phone) : null;
  } catch {
    return null; // malformed JSON: the route's own validation answers 400
  }
}

/** The phone named in a portal form (`phone`), normalised; null when absent or not a phone. */
export async function formPhone(c: Context): Promise<string | null> {
  const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
  const phone = form['phone'];
  return typeof phone === 'string' ? phoneKey(phone) : null;
}

function phoneKey(raw: string): string | null {
  const phone = normalizePhone(raw.slice(0, 32));
  return phone.ok ? phone.value : null;
}

/** A 429 `rate_limited` in the API's error shape, with Retry-After. */
export function rateLimitedResponse(c: Context, refusal: Refusal): Response {
  c.header('Retry-After', String(refusal.retryAfter));
  return errorResponse(c, 'rate_limited');
}

/**
 * Middleware: counts the request in the buckets `hitsOf` names and refuses it (`onLimited`) when one is over its
 * limit; otherwise the request goes on. `hitsOf` returning [] leaves the request uncounted.
 */
export function rateLimit(
  limiter: RateLimiter,
  hitsOf: (c: Context) => Hit[] | Promise<Hit[]>,
  onLimited: (c: Context, refusal: Refusal) => Response | Promise<Response> = rateLimitedResponse,
): MiddlewareHandler {
  return async (c, next) => {
    if (!limiter.enabled) {
      return next();
    }
    const refusal = await limiter.hit(await hitsOf(c));
    if (refusal) {
      return onLimited(c, refusal);
    }
    return next();
  };
}

/**
 * Staff sign-in (the STAFF_API_KEY bearer): counts FAILED attempts — a key presented and answered 401 — per client IP;
 * once the bucket's limit is reached, every attempt from that address is refused until the window ends, the right key
 * included, so the key cannot be guessed by trying. A request without any key is not an attempt.
 */
export function staffAuthFailureLimit(limiter: RateLimiter, trustProxy: number): MiddlewareHandler {
  return async (c, next) => {
    if (!limiter.enabled || !(c.req.header('authorization') || c.req.header('x-api-key'))) {
      return next();
    }
    const hit: Hit = { bucket: 'staff-auth-failure-ip', key: clientIp(c, trustProxy) };
    const refusal = await limiter.reached(hit);
    if (refusal) {
      return rateLimitedResponse(c, refusal);
    }
    await next();
    if (c.res.status === 401) {
      await limiter.hit([hit]);
    }
  };
}

/**
 * The API's limits (RATE_LIMITS buckets), mounted on the app before the routes: sign-in, registration, quotes, staff
 * sign-in and the BI-SNAP access token (answered in the SNAP error shape by `snapLimited`). The portal's forms count in
 * the same buckets (web/portal.ts).
 */
export function apiRateLimits(deps: LimiterDeps, limiter: RateLimiter, snapLimited: (c: Context, refusal: Refusal) => Response) {
  const ip = (bucket: RateLimitBucket) => (c: Context): Hit => ({ bucket, key: clientIp(c, deps.config.trustProxy) });
  const withPhone = (ipBucket: RateLimitBucket, phoneBucket: RateLimitBucket) => async (c: Context) => {
    const phone = await jsonBodyPhone(c);
    return [ip(ipBucket)(c), ...(phone ? [{ bucket: phoneBucket, key: phone }] : [])];
  };
  const signin = rateLimit(limiter, withPhone('signin-ip', 'signin-phone'));
  const staff = staffAuthFailureLimit(limiter, deps.config.trustProxy);
  return [
    ['POST', '/api/v1/auth/otp', signin],
    ['POST', '/api/v1/auth/verify', signin],
    ['POST', '/api/v1/registrations', rateLimit(limiter, withPhone('registration-ip', 'registration-phone'))],
    // '/registrations/*' also matches '/registrations' itself, which the line above counts already.
    ['POST', '/api/v1/registrations/*', rateLimit(limiter, (c) => (c.req.path === '/api/v1/registrations' ? [] : [ip('registration-ip')(c)]))],
    ['POST', '/api/v1/quotes', rateLimit(limiter, (c) => [ip('quote-ip')(c)])],
    ['ALL', '/api/v1/staff/*', staff],
    ['ALL', '/api/v1/participants/*', staff],
    ['POST', '/snap/v1.0/access-token/b2b', rateLimit(limiter, (c) => [ip('snap-token-ip')(c)], snapLimited)],
  ] as const satisfies readonly (readonly ['POST' | 'ALL', string, MiddlewareHandler])[];
}
