import { OpenAPIHono } from '@hono/zod-openapi';
import type { Env } from 'hono';
import { errorResponse } from './errors.js';

/**
 * Every sub-app validates with the same hook: a schema failure is a 400 `invalid_request` naming the first field,
 * never a framework-shaped error.
 */
export function createOpenApiApp<E extends Env = Env>(): OpenAPIHono<E> {
  return new OpenAPIHono<E>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const issue = result.error.issues[0];
        const field = issue ? issue.path.map(String).join('.') : undefined;
        return errorResponse(c, 'invalid_request', field || undefined, issue ? `${field ? `${field}: ` : ''}${issue.message}` : undefined);
      }
      return undefined;
    },
  });
}
