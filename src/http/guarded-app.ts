import type { OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { AuthEnv } from './auth.js';
import { createOpenApiApp } from './openapi-app.js';
import { jsonResponse, ZError } from './schemas.js';

/** The OpenAPI security requirement of a route behind a bearer token (a participant session or the staff key). */
export const BEARER_AUTH = [{ bearerAuth: [] }];

/** The 401 answer a route behind a bearer token documents. */
export const UNAUTHORIZED = { 401: jsonResponse(ZError, 'unauthorized') } as const;

/**
 * An OpenAPI sub-app whose `paths` are behind `guard` (requireParticipant or requireStaff), mounted before any route
 * so that a request without the right credentials is refused before its body is validated.
 */
export function guardedApp(guard: MiddlewareHandler<AuthEnv>, paths: readonly string[]): OpenAPIHono<AuthEnv> {
  const app = createOpenApiApp<AuthEnv>();
  for (const path of paths) {
    app.use(path, guard);
  }
  return app;
}
