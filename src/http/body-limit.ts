import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { errorResponse } from './errors.js';

/** The largest JSON body the API reads (quotes, registrations, notifications, channel callbacks, staff actions). */
export const API_BODY_MAX_BYTES = 64 * 1024;

/**
 * The first middleware of the app: a request body over API_BODY_MAX_BYTES is refused with 413 `payload_too_large`
 * before anything else reads it — a declared Content-Length is refused at once, a streamed body as soon as it has
 * grown past the limit (hono/body-limit) — so no signature is checked, no JSON parsed, no database touched.
 * `elsewhere(path)` names the paths that limit their bodies themselves, after their own cheap checks: the portal
 * (its forms, with an error page), BI-SNAP (a SNAP-shaped answer) and the settlement-file upload (a larger limit,
 * after the staff key is checked).
 */
export function apiBodyLimit(elsewhere: (path: string) => boolean): MiddlewareHandler {
  const limit = bodyLimit({ maxSize: API_BODY_MAX_BYTES, onError: (c) => errorResponse(c, 'payload_too_large') });
  return (c, next) => {
    if (elsewhere(c.req.path) || c.req.method === 'GET' || c.req.method === 'HEAD') {
      return next();
    }
    // hono/body-limit's own decision for a declared Content-Length (and no Transfer-Encoding), made from the headers
    // alone: it reads `c.req.raw.body` first, which makes @hono/node-server build a whole fetch Request with a body
    // stream for every request (a tenth of the server's CPU per payment notification) instead of handing the body to
    // `c.req.text()` directly. A GET or HEAD has no body, as hono/body-limit finds. Streamed bodies go through it.
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      return parseInt(length || '0', 10) > API_BODY_MAX_BYTES ? Promise.resolve(errorResponse(c, 'payload_too_large')) : next();
    }
    return limit(c, next);
  };
}

/**
 * `Cache-Control: no-store` on every API answer that does not set its own: most carry personal data (/me, sessions,
 * registrations, staff views, cards) and an error may too. The public, cacheable answers set theirs (reference
 * data: `public, max-age=3600`); the OpenAPI document is left to the client's default caching.
 */
export function noStoreByDefault(except: (path: string) => boolean): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (!c.res.headers.has('cache-control') && !except(c.req.path)) {
      c.header('Cache-Control', 'no-store');
    }
  };
}
