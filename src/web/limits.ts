import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { DOCUMENT_MAX_BYTES } from '../modules/documents/index.js';
import { formPhone, ipAndPhoneHits, ipHit, rateLimit, type Hit, type RateLimiter } from '../http/rate-limiter.js';
import type { RateLimitBucket } from '../http/rate-limits.js';
import type { PortalContext, PortalDeps } from './context.js';
import { rateLimitedPage, tooLargePage } from './pages/errors.js';

/** The largest form the portal reads: its largest form (registration step 1) is well under 4 KiB. */
export const PORTAL_BODY_MAX_BYTES = 32 * 1024;

/** The claim page's document upload (POST /akun/klaim/{id}/dokumen): the document's own limit, 6 MB + the multipart envelope. */
const CLAIM_DOCUMENT_FORM = /^\/akun\/klaim\/[^/]+\/dokumen$/;
export const CLAIM_DOCUMENT_FORM_MAX_BYTES = DOCUMENT_MAX_BYTES + 64 * 1024;

/**
 * Portal form bodies over PORTAL_BODY_MAX_BYTES (the claim document upload: CLAIM_DOCUMENT_FORM_MAX_BYTES): 413 page
 * before the form (or its CSRF token) is read.
 */
export function portalBodyLimit(p: PortalDeps, setLang: (c: PortalContext) => void): MiddlewareHandler {
  const onError = (c: Context) => {
    setLang(c as PortalContext);
    return tooLargePage(c as PortalContext, p);
  };
  const forms = bodyLimit({ maxSize: PORTAL_BODY_MAX_BYTES, onError });
  const documents = bodyLimit({ maxSize: CLAIM_DOCUMENT_FORM_MAX_BYTES, onError });
  return (c, next) => (CLAIM_DOCUMENT_FORM.test(c.req.path) ? documents(c, next) : forms(c, next));
}

/**
 * The portal's forms count in the same buckets as the API (http/rate-limits.ts): sign-in (/masuk…), registration
 * (/daftar…, per phone on step 1), the simulator's calculations (GET /simulasi with an income) and receipt checks
 * (GET /kuitansi with a number). Over a limit: the
 * Indonesian (or English) 429 page with Retry-After.
 */
export function portalRateLimits(p: PortalDeps, limiter: RateLimiter): MiddlewareHandler {
  const trustProxy = p.deps.config.trustProxy;
  const byIp = (bucket: RateLimitBucket, c: Context): Hit => ipHit(c, bucket, trustProxy);
  const withPhone = (c: Context, ipBucket: RateLimitBucket, phoneBucket: RateLimitBucket) => ipAndPhoneHits(c, trustProxy, [ipBucket, phoneBucket], formPhone);
  async function hitsOf(c: Context): Promise<Hit[]> {
    const path = c.req.path;
    if (c.req.method === 'GET') {
      if (path === '/kuitansi' && c.req.query('no') !== undefined) return [byIp('receipt-check-ip', c)];
      return path === '/simulasi' && c.req.query('income') !== undefined ? [byIp('quote-ip', c)] : [];
    }
    if (c.req.method !== 'POST') {
      return [];
    }
    if (path === '/masuk') {
      return withPhone(c, 'signin-ip', 'signin-phone');
    }
    if (path.startsWith('/masuk/')) {
      return [byIp('signin-ip', c)];
    }
    if (path === '/daftar') {
      return withPhone(c, 'registration-ip', 'registration-phone');
    }
    return path.startsWith('/daftar/') ? [byIp('registration-ip', c)] : [];
  }
  return rateLimit(limiter, hitsOf, (c, refusal) => rateLimitedPage(c as PortalContext, p, refusal.retryAfter));
}

/**
 * The staff console's sign-in form (POST /staff/masuk) counts like POST /api/v1/staff/sessions: every failed sign-in
 * (answered 401) in the `staff-auth-failure-ip` bucket; once the bucket is full, every sign-in from that address gets
 * the 429 page until the window ends, the right password included.
 */
export function staffSignInLimit(p: PortalDeps, limiter: RateLimiter): MiddlewareHandler {
  const trustProxy = p.deps.config.trustProxy;
  return async (c, next) => {
    if (!limiter.enabled || c.req.method !== 'POST') {
      return next();
    }
    const hit = ipHit(c, 'staff-auth-failure-ip', trustProxy);
    const refusal = await limiter.reached(hit);
    if (refusal) {
      return rateLimitedPage(c as PortalContext, p, refusal.retryAfter);
    }
    await next();
    if (c.res.status === 401) {
      await limiter.hit([hit]);
    }
  };
}
