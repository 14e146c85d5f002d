/**
 * Traffic limits (pure policy): which buckets exist, their default limits, how RATE_LIMITS overrides them, and the
 * fixed-window arithmetic. The store and the middleware are in rate-limiter.ts.
 *
 * A bucket counts requests per key (a client IP or a phone number) in fixed windows of `windowSeconds`; the request
 * that makes the count exceed `limit` and every further one in that window are refused (429 `rate_limited`,
 * Retry-After = seconds to the window's end). The defaults are far above what a person does — sign-in is a few
 * requests, registration a dozen — and still leave room for many people behind one carrier-grade NAT address, while a
 * script is stopped within a minute. The per-phone DAILY caps on OTP SMS live in the auth use cases; these are the
 * per-minute/hour traffic limits in front of them.
 */
export const RATE_LIMIT_BUCKETS = {
  /** OTP requests and code checks per client IP: POST /api/v1/auth/otp, /auth/verify, portal /masuk forms. */
  'signin-ip': { limit: 60, windowSeconds: 60 },
  /** The same per phone named in the body (/auth/otp, /auth/verify, portal /masuk). */
  'signin-phone': { limit: 10, windowSeconds: 600 },
  /** Registration writes per client IP: POST /api/v1/registrations[/…] and the portal's /daftar form posts. */
  'registration-ip': { limit: 60, windowSeconds: 60 },
  /** New registrations per phone named in the body (POST /api/v1/registrations, portal POST /daftar). */
  'registration-phone': { limit: 10, windowSeconds: 3600 },
  /** Quotes per client IP: POST /api/v1/quotes and the portal simulator's calculations (GET /simulasi?income=…). */
  'quote-ip': { limit: 300, windowSeconds: 60 },
  /** FAILED staff-key attempts (401 on a staff endpoint with a key presented) per client IP; then every attempt is refused. */
  'staff-auth-failure-ip': { limit: 10, windowSeconds: 900 },
  /** BI-SNAP access-token requests per client IP (a bank asks once per 15-minute token). */
  'snap-token-ip': { limit: 60, windowSeconds: 60 },
  /** Partner OAuth2 token requests per client IP: POST /api/v1/oauth/token (a partner asks once an hour). */
  'partner-token-ip': { limit: 60, windowSeconds: 60 },
} as const satisfies Record<string, RateLimit>;

export interface RateLimit {
  limit: number;
  windowSeconds: number;
}

export type RateLimitBucket = keyof typeof RATE_LIMIT_BUCKETS;
/** The limits in force; null = rate limiting off (RATE_LIMITS=off). */
export type RateLimits = Record<RateLimitBucket, RateLimit> | null;

function isBucket(name: string): name is RateLimitBucket {
  return Object.hasOwn(RATE_LIMIT_BUCKETS, name);
}

/**
 * RATE_LIMITS: unset = the defaults; `off` = no limits; otherwise overrides over the defaults,
 * `bucket=LIMIT/SECONDS` separated by commas (e.g. `signin-ip=20/60,quote-ip=1000/60`). Returns an error text for a
 * value it cannot read (an unknown bucket, a limit or window that is not a positive integer).
 */
export function parseRateLimits(text: string | undefined): { ok: true; value: RateLimits } | { ok: false; error: string } {
  const value = (text ?? '').trim();
  if (value === 'off') {
    return { ok: true, value: null };
  }
  const limits: Record<RateLimitBucket, RateLimit> = { ...RATE_LIMIT_BUCKETS };
  if (value === '' || value === 'on') {
    return { ok: true, value: limits };
  }
  for (const part of value.split(',')) {
    const m = /^\s*([a-z-]+)\s*=\s*(\d{1,9})\s*\/\s*(\d{1,7})\s*$/.exec(part);
    if (!m) {
      return { ok: false, error: `RATE_LIMITS: "${part.trim()}" is not bucket=LIMIT/SECONDS` };
    }
    const [, name, limit, seconds] = m as unknown as [string, string, string, string];
    if (!isBucket(name)) {
      return { ok: false, error: `RATE_LIMITS: unknown bucket "${name}" (known: ${Object.keys(RATE_LIMIT_BUCKETS).join(', ')})` };
    }
    if (Number(limit) < 1 || Number(seconds) < 1) {
      return { ok: false, error: `RATE_LIMITS: ${name} needs a limit and a window of at least 1` };
    }
    limits[name] = { limit: Number(limit), windowSeconds: Number(seconds) };
  }
  return { ok: true, value: limits };
}

/** The fixed window that contains `nowMs`: windows are aligned to multiples of their length since the epoch. */
export function windowOf(nowMs: number, windowSeconds: number): { start: Date; end: Date } {
  const length = windowSeconds * 1000;
  const start = Math.floor(nowMs / length) * length;
  return { start: new Date(start), end: new Date(start + length) };
}

/** Whole seconds until `end` (at least 1): the Retry-After of a refused request. */
export function retryAfterSeconds(nowMs: number, end: Date): number {
  return Math.max(1, Math.ceil((end.getTime() - nowMs) / 1000));
}

/**
 * Client IP from the socket address and X-Forwarded-For. `trustProxy` = how many reverse proxies in front of the
 * server append to X-Forwarded-For (TRUST_PROXY): 0 ignores the header (a client could write anything there); with N,
 * the address N hops from the right of "X-Forwarded-For, socket address" is the client (the rightmost entries are
 * the ones our own proxies wrote; anything left of them is the client's word).
 */
export function clientAddress(socketAddress: string | undefined, forwardedFor: string | undefined, trustProxy: number): string {
  const socket = socketAddress ?? 'unknown';
  if (trustProxy <= 0 || !forwardedFor) {
    return addressKey(socket);
  }
  const hops = [
    ...forwardedFor
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0),
    socket,
  ];
  return addressKey((hops[Math.max(0, hops.length - 1 - trustProxy)] ?? socket).slice(0, 64));
}

/**
 * The key an address is counted under: an IPv4 address as written (also when it comes IPv4-mapped, `::ffff:a.b.c.d`);
 * an IPv6 address by its /64 prefix — one subscriber's line gets a whole /64, so counting single addresses would let
 * one client rotate through 2^64 of them. Anything else (a malformed header entry) is counted as written.
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped?.[1]) {
    return mapped[1];
  }
  if (!/^[0-9a-f:]+$/i.test(address) || !address.includes(':')) {
    return address;
  }
  const [head = '', tail, ...more] = address.toLowerCase().split('::');
  if (more.length > 0) {
    return address;
  }
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = tail === undefined ? 0 : 8 - left.length - right.length;
  const groups = [...left, ...Array<string>(Math.max(0, zeros)).fill('0'), ...right];
  if (groups.length !== 8) {
    return address;
  }
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
