import type { Context, MiddlewareHandler } from 'hono';
import { sql } from 'kysely';
import type { Deps } from '../deps.js';
import { normalizePhone } from '../modules/identity/index.js';
import { hmacSha256Hex } from '../shared/crypto.js';
import { errorResponse } from './errors.js';
import { clientAddress, retryAfterSeconds, windowOf, type RateLimit, type RateLimitBucket } from './rate-limits.js';

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

/** At most this many refused (bucket, key, window)s are remembered per instance (the refusal memory). */
const REFUSED_MEMORY_MAX = 100_000;

/** A counter's (bucket, key, window) id: the pending row it joins and the refusal memory's entry. */
function rowId(bucket: RateLimitBucket, key: string, windowStart: Date): string {
  return `${bucket}\0${key}\0${windowStart.getTime()}`;
}

interface PendingRow {
  bucket: RateLimitBucket;
  key: string;
  start: Date;
  end: Date;
  /** One resolver per request counted in this row, in arrival order; each gets its own position in the window. */
  waiters: ((position: number) => void)[];
}

/**
 * The refusal memory: (bucket, key, window) ids the store has put over their limit → when that window ends (ms). Once
 * the store has answered "over the limit" for a key's window, this instance refuses that key until the window ends
 * without writing again: a flood from one address costs one write per instance and window, not one per request.
 */
function createRefusalMemory() {
  const refusedUntil = new Map<string, number>();
  return {
    refused: (id: string, nowMs: number) => (refusedUntil.get(id) ?? 0) > nowMs,
    remember(id: string, untilMs: number): void {
      if (refusedUntil.size < REFUSED_MEMORY_MAX) {
        refusedUntil.set(id, untilMs);
      }
    },
    forgetEnded(nowMs: number): void {
      for (const [id, until] of refusedUntil) {
        if (until <= nowMs) {
          refusedUntil.delete(id);
        }
      }
    },
  };
}
type RefusalMemory = ReturnType<typeof createRefusalMemory>;

/** The sweep: at most once a minute per instance, forgets the refusals and deletes the counters of ended windows. */
function createSweep(deps: LimiterDeps, memory: RefusalMemory) {
  let nextSweepMs = 0;
  return async function sweep(): Promise<void> {
    const now = deps.clock.now();
    if (now.getTime() < nextSweepMs) {
      return;
    }
    nextSweepMs = now.getTime() + SWEEP_EVERY_MS;
    memory.forgetEnded(now.getTime());
    await sql`delete from rate_limit_counter where expires_at <= ${now}`.execute(deps.db);
  };
}

function warnStoreFailed(deps: LimiterDeps, message: string, err: unknown): void {
  deps.logger.warn(message, { error: err instanceof Error ? err.message : String(err) });
}

/**
 * The counter store: fixed-window counters in the table rate_limit_counter, so every server instance on the database
 * shares them. Counting is a group commit: the hits that arrive while a write is running wait for it, then all of them
 * go in ONE statement — one row per (bucket, key, window) with its number of hits k,
 * INSERT … ON CONFLICT … DO UPDATE SET n = n + k RETURNING n — and the k requests of a row get the positions
 * n−k+1 … n in arrival order. The upsert is atomic, so the positions are exact across instances and connections: the
 * request at position limit + 1 is the first refused, wherever it arrived. A quiet server writes each hit at once.
 * `afterWrite` runs after each successful upsert, in the same failure handling (the sweep). A failing store lets the
 * requests through (logged, position 0): the limiter never turns a database hiccup into a refusal of its own.
 */
function createCounterStore(deps: LimiterDeps, afterWrite: () => Promise<void>) {
  let pending = new Map<string, PendingRow>();
  let writing = false;

  async function write(rows: PendingRow[]): Promise<void> {
    const positions = new Map<PendingRow, number>(); // the count before this batch's hits, per row
    try {
      const values = sql.join(rows.map((r) => sql`(${r.bucket}, ${r.key}, ${r.start}, ${r.end}, ${r.waiters.length})`));
      const counted = await sql<{ bucket: RateLimitBucket; key: string; window_start: Date; n: number }>`
        insert into rate_limit_counter (bucket, key, window_start, expires_at, n) values ${values}
        on conflict (bucket, key, window_start) do update set n = rate_limit_counter.n + excluded.n
        returning bucket, key, window_start, n`.execute(deps.db);
      const byId = new Map(rows.map((r) => [rowId(r.bucket, r.key, r.start), r]));
      for (const row of counted.rows) {
        const r = byId.get(rowId(row.bucket, row.key, new Date(row.window_start)));
        if (r) {
          positions.set(r, Number(row.n) - r.waiters.length);
        }
      }
      await afterWrite();
    } catch (err) {
      warnStoreFailed(deps, 'rate limit store failed; requests let through', err);
    }
    for (const r of rows) {
      const before = positions.get(r);
      // not counted (store failure): position 0, never over a limit
      r.waiters.forEach((resolve, i) => resolve(before === undefined ? 0 : before + i + 1));
    }
  }

  /** Writes what is pending, then whatever arrived meanwhile, until nothing is left; one writer per instance. */
  async function drain(): Promise<void> {
    try {
      while (pending.size > 0) {
        const rows = [...pending.values()];
        pending = new Map();
        await write(rows);
      }
    } finally {
      writing = false;
    }
  }

  /** Counts one hit of the row `id`; resolves its position in the window (1 = the first request). */
  return function add(id: string, row: Omit<PendingRow, 'waiters'>): Promise<number> {
    return new Promise<number>((resolve) => {
      const queued = pending.get(id);
      if (queued) {
        queued.waiters.push(resolve);
      } else {
        pending.set(id, { ...row, waiters: [resolve] });
      }
      if (!writing) {
        // on the next turn of the event loop, so every request read in this one joins the write (PGlite runs its
        // statements in this thread: nothing new arrives while one runs, so the batch forms before it starts)
        writing = true;
        setImmediate(() => void drain());
      }
    });
  };
}

/**
 * The rate limiter: counts hits in the counter store (group-committed, shared by every instance), refuses a key this
 * instance has already seen over its limit without writing again (the refusal memory), and sweeps ended windows on the
 * fly. Limits come from configuration (RATE_LIMITS, rate-limits.ts); with RATE_LIMITS=off nothing is counted.
 */
export function createRateLimiter(deps: LimiterDeps) {
  const limits = deps.config.rateLimits;
  const memory = createRefusalMemory();
  const add = createCounterStore(deps, createSweep(deps, memory));
  // The key is an HMAC: the table holds no IP address or phone number, and one bucket's key tells nothing of another's.
  const keyOf = (hit: Hit) => hmacSha256Hex(deps.config.otpSecret, `rate-limit\0${hit.bucket}\0${hit.key}`).slice(0, 32);

  /** This request's position in the current window of `hit`'s bucket and key (1 = the first request). */
  async function count(hit: Hit, now: Date, rule: RateLimit): Promise<number> {
    const w = windowOf(now.getTime(), rule.windowSeconds);
    const key = keyOf(hit);
    const id = rowId(hit.bucket, key, w.start);
    if (memory.refused(id, now.getTime())) {
      return Number.POSITIVE_INFINITY;
    }
    const position = await add(id, { bucket: hit.bucket, key, ...w });
    if (position > rule.limit) {
      memory.remember(id, w.end.getTime());
    }
    return position;
  }

  return {
    enabled: limits !== null,

    /** Counts the request in every bucket of `hits`; a refusal when it is over any of their limits. */
    async hit(hits: readonly Hit[]): Promise<Refusal | null> {
      if (limits === null || hits.length === 0) {
        return null;
      }
      const now = deps.clock.now();
      const positions = await Promise.all(hits.map((h) => count(h, now, limits[h.bucket])));
      let retryAfter = 0;
      hits.forEach((h, i) => {
        const rule = limits[h.bucket];
        if ((positions[i] ?? 0) > rule.limit) {
          retryAfter = Math.max(retryAfter, retryAfterSeconds(now.getTime(), windowOf(now.getTime(), rule.windowSeconds).end));
        }
      });
      return retryAfter > 0 ? { retryAfter } : null;
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
        warnStoreFailed(deps, 'rate limit store failed; request let through', err);
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

/** The request counted under its client IP in `bucket`. */
export function ipHit(c: Context, bucket: RateLimitBucket, trustProxy: number): Hit {
  return { bucket, key: clientIp(c, trustProxy) };
}

/** The client IP in `ipBucket`, and the phone the body names (`phoneOf`: JSON or form) in `phoneBucket` when there is one. */
export async function ipAndPhoneHits(
  c: Context,
  trustProxy: number,
  [ipBucket, phoneBucket]: readonly [RateLimitBucket, RateLimitBucket],
  phoneOf: (c: Context) => Promise<string | null>,
): Promise<Hit[]> {
  const phone = await phoneOf(c);
  return [ipHit(c, ipBucket, trustProxy), ...(phone ? [{ bucket: phoneBucket, key: phone }] : [])];
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
 * Staff sign-in (a staff token or the STAFF_API_KEY bearer, and the username/password sign-in POST /staff/sessions):
 * counts FAILED attempts — a key presented, or a sign-in, answered 401 — per client IP;
 * once the bucket's limit is reached, every attempt from that address is refused until the window ends, the right key
 * included, so the key cannot be guessed by trying. A request without any key is not an attempt.
 */
export function staffAuthFailureLimit(limiter: RateLimiter, trustProxy: number): MiddlewareHandler {
  return async (c, next) => {
    const attempt = c.req.header('authorization') || c.req.header('x-api-key') || c.req.path === '/api/v1/staff/sessions';
    if (!limiter.enabled || !attempt) {
      return next();
    }
    const hit = ipHit(c, 'staff-auth-failure-ip', trustProxy);
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
 * the same buckets (web/limits.ts).
 */
export function apiRateLimits(deps: LimiterDeps, limiter: RateLimiter, snapLimited: (c: Context, refusal: Refusal) => Response) {
  const { trustProxy } = deps.config;
  const ip = (bucket: RateLimitBucket) => (c: Context) => [ipHit(c, bucket, trustProxy)];
  const withPhone = (ipBucket: RateLimitBucket, phoneBucket: RateLimitBucket) => (c: Context) =>
    ipAndPhoneHits(c, trustProxy, [ipBucket, phoneBucket], jsonBodyPhone);
  const signin = rateLimit(limiter, withPhone('signin-ip', 'signin-phone'));
  const staff = staffAuthFailureLimit(limiter, trustProxy);
  return [
    ['POST', '/api/v1/auth/otp', signin],
    ['POST', '/api/v1/auth/verify', signin],
    ['POST', '/api/v1/registrations', rateLimit(limiter, withPhone('registration-ip', 'registration-phone'))],
    // '/registrations/*' also matches '/registrations' itself, which the line above counts already.
    ['POST', '/api/v1/registrations/*', rateLimit(limiter, (c) => (c.req.path === '/api/v1/registrations' ? [] : ip('registration-ip')(c)))],
    ['POST', '/api/v1/quotes', rateLimit(limiter, ip('quote-ip'))],
    ['ALL', '/api/v1/staff/*', staff],
    ['ALL', '/api/v1/participants/*', staff],
    ['POST', '/snap/v1.0/access-token/b2b', rateLimit(limiter, ip('snap-token-ip'), snapLimited)],
    ['GET', '/api/v1/receipts/*', rateLimit(limiter, ip('receipt-check-ip'))],
    ['POST', '/api/v1/oauth/token', rateLimit(limiter, ip('partner-token-ip'))],
    // Sertakan: a sponsor registering a worker, and the worker's consent code (public), count as registration writes.
    ['POST', '/api/v1/me/sponsorships', rateLimit(limiter, ip('registration-ip'))],
    ['POST', '/api/v1/sponsorships/*', rateLimit(limiter, ip('registration-ip'))],
  ] as const satisfies readonly (readonly ['POST' | 'GET' | 'ALL', string, MiddlewareHandler])[];
}
