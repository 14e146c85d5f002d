import { createRoute, z } from '@hono/zod-openapi';
import type { Context, Env } from 'hono';
import type { Deps } from '../../deps.js';
import { type AuthEnv, partnerIdOf, requirePartner } from '../../http/auth.js';
import { AppError } from '../../http/errors.js';
import { createOpenApiApp } from '../../http/openapi-app.js';
import { jsonBody, jsonResponse, ZError } from '../../http/schemas.js';
import { listWebhookDeliveries, retryWebhookDelivery, setWebhookEndpoint, WEBHOOK_EVENT_TYPES } from './endpoints.js';

/** Who the caller is, as the owner of an endpoint ('partner:<id>'); throws (401/403) when nobody is signed in. */
export type OwnerResolver<E extends Env> = (c: Context<E>) => string | Promise<string>;

const TAGS = ['Mitra (partners)'];
const ZEventType = z.enum(WEBHOOK_EVENT_TYPES);

const ZSetEndpoint = z
  .object({
    url: z.string().min(1).max(2000).openapi({ example: 'https://mitra.example/lindung/webhooks', description: 'https:// in production (http:// allowed in development)' }),
    events: z.array(ZEventType).max(WEBHOOK_EVENT_TYPES.length).optional().openapi({ description: 'Event types to receive; all when left out' }),
  })
  .openapi('WebhookEndpointInput');

const ZSecret = z
  .object({
    secret: z.string().openapi({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', description: 'The signing secret, shown this once (docs/webhooks.md: how to verify)' }),
    events: z.array(ZEventType),
  })
  .openapi('WebhookSecret');

const ZDelivery = z
  .object({
    id: z.string().openapi({ description: 'The event id, sent as webhook-id' }),
    type: z.string().openapi({ example: 'member.activated' }),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number().int(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    nextAttemptAt: z.string().nullable().openapi({ description: 'When it is tried next (pending only)' }),
    deliveredAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('WebhookDelivery');

/**
 * The subscriber's webhook routes (issue 17 item 2), for whatever guard authenticates the caller: `ownerOf` names
 * the owner (the partner API passes 'partner:<id>' from requirePartner). PUT /partner/webhook sets the URL and
 * returns a new secret; GET …/deliveries is the log (newest 100); POST …/deliveries/{id}/retry sends one again.
 */
export function partnerWebhookRoutes<E extends Env>(deps: Deps, ownerOf: OwnerResolver<E>) {
  const app = createOpenApiApp<E>();
  const security = [{ bearerAuth: [] }];
  app.openapi(
    createRoute({
      method: 'put',
      path: '/partner/webhook',
      tags: TAGS,
      security,
      summary: 'Set the webhook endpoint (URL, events); returns a NEW signing secret each time (rotation: the old one stops at once)',
      request: { body: jsonBody(ZSetEndpoint) },
      responses: { 200: jsonResponse(ZSecret, 'The new secret'), 400: jsonResponse(ZError, 'invalid_request'), 401: jsonResponse(ZError, 'unauthorized'), 403: jsonResponse(ZError, 'forbidden (no webhooks scope)'), 422: jsonResponse(ZError, 'invalid_webhook_url') },
    }),
    async (c) => {
      const owner = await ownerOf(c);
      const input = c.req.valid('json');
      const r = await setWebhookEndpoint(deps, owner, input);
      if (!r.ok) {
        throw new AppError('invalid_webhook_url', 'url', r.detail);
      }
      return c.json({ secret: r.secret, events: input.events ?? [...WEBHOOK_EVENT_TYPES] }, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/partner/webhook/deliveries',
      tags: TAGS,
      security,
      summary: 'The webhook delivery log: the latest 100 deliveries, newest first',
      responses: { 200: jsonResponse(z.object({ deliveries: z.array(ZDelivery) }), 'Deliveries'), 401: jsonResponse(ZError, 'unauthorized') },
    }),
    async (c) => c.json({ deliveries: await listWebhookDeliveries(deps.db, await ownerOf(c)) }, 200),
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/partner/webhook/deliveries/{id}/retry',
      tags: TAGS,
      security,
      summary: 'Send a delivery again at once (a failed one gets one more attempt)',
      request: { params: z.object({ id: z.string().min(1).max(200) }) },
      responses: { 202: jsonResponse(z.object({ id: z.string(), status: z.literal('pending') }), 'Queued'), 401: jsonResponse(ZError, 'unauthorized'), 404: jsonResponse(ZError, 'unknown_webhook_delivery') },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      if (!(await retryWebhookDelivery(deps, await ownerOf(c), id))) {
        throw new AppError('unknown_webhook_delivery');
      }
      return c.json({ id, status: 'pending' as const }, 202);
    },
  );
  return app;
}

/**
 * The partner API's webhook routes as mounted (src/app.ts): a partner token with the `webhooks` scope (requirePartner:
 * 401 without one, 403 without the scope); the endpoint belongs to 'partner:<partnerId>'.
 */
export function partnerWebhookApi(deps: Deps) {
  const app = createOpenApiApp<AuthEnv>();
  const guard = requirePartner(deps, 'webhooks');
  app.use('/partner/webhook', guard);
  app.use('/partner/webhook/*', guard);
  app.route('/', partnerWebhookRoutes<AuthEnv>(deps, (c) => `partner:${partnerIdOf(c)}`));
  return app;
}
