import { randomUUID } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { Config } from '../config.js';
import { safeEqual } from '../shared/crypto.js';
import { currentLogFields, withLogFields, type Logger } from '../shared/logger.js';
import type { Metrics } from '../shared/metrics.js';
import { errorResponse } from './errors.js';

/** An incoming X-Request-Id is kept when it is 1–128 of these characters (a UUID, a proxy's hex or base64 id). */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:+=/-]{1,128}$/;
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * The first middleware of the app. Each request gets an id — a sane incoming `X-Request-Id` (from a proxy or a
 * channel), else a new UUID — echoed in the response's `X-Request-Id`; every line logged while the request is served
 * carries it as `requestId` (src/shared/logger.ts), error logs included. After the response: one JSON access-log line
 * (`msg: "request"`, method, route, status, ms, requestId) and one observation of the HTTP latency histogram.
 *
 * `route` is the matched route pattern (`/api/v1/bills/:paymentCode`), never the raw path: bounded label values and no
 * personal data (a KPJ, a payment code) in the logs; a request no route matched is `unmatched`.
 */
export function observeRequests(logger: Logger, metrics: Metrics): MiddlewareHandler {
  return async (c, next) => {
    // A request the portal dispatches to the API inside another request (the payment simulator) keeps that one's id.
    const inherited = currentLogFields()?.['requestId'];
    const incoming = c.req.header('x-request-id');
    const requestId = typeof inherited === 'string' ? inherited : incoming && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    const started = performance.now();
    await withLogFields({ requestId }, () => next());
    const ms = performance.now() - started;
    c.header('X-Request-Id', requestId);
    const method = METHODS.has(c.req.method) ? c.req.method : 'OTHER';
    const route = routeOf(c);
    const status = c.res.status;
    metrics.httpDuration.observe({ method, route, status: String(status) }, ms / 1000);
    logger.info('request', { requestId, method, route, status, ms: Math.round(ms * 10) / 10 });
  };
}

/** The pattern of the route that answered; a wildcard middleware that ended in a 404 means no route matched. */
function routeOf(c: Context): string {
  const pattern = routePath(c);
  return !pattern || (c.res.status === 404 && pattern.endsWith('*')) ? 'unmatched' : pattern;
}

/**
 * `GET /metrics`, Prometheus text format. With METRICS_TOKEN set it needs `Authorization: Bearer <METRICS_TOKEN>`
 * (401 otherwise); without it, it is open in development and absent (404) in production.
 */
export function metricsHandler(config: Config, metrics: Metrics) {
  return async (c: Context): Promise<Response> => {
    const token = config.metricsToken;
    if (!token) {
      if (!config.isDevelopment) {
        return errorResponse(c, 'not_found');
      }
    } else if (!safeEqual(c.req.header('authorization') ?? '', `Bearer ${token}`)) {
      c.header('WWW-Authenticate', 'Bearer realm="metrics"');
      return errorResponse(c, 'unauthorized');
    }
    return c.body(await metrics.scrape(), 200, { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' });
  };
}
