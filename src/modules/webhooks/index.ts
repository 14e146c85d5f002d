/**
 * The webhooks module's facade (issue 17 item 2; docs/webhooks.md): signed outbound webhooks (Standard Webhooks),
 * queued in the caller's transaction, sent by a worker with backoff, logged per attempt.
 * Other modules, src/web, the composition root and the jobs import this module only through this file; everything
 * else under this folder is internal (the boundary rule in .dependency-cruiser.cjs; tests may import deeper).
 */
export { deliverDueWebhooks, startWebhookWorker, WEBHOOK_DELIVERY_POLICY, type DeliverOptions } from './deliver.js';
export { nextWebhookAttemptAt, WEBHOOK_ATTEMPTS_MAX, WEBHOOK_RETRY_SCHEDULE_MS } from './domain/backoff.js';
export { signWebhook, verifyWebhook } from './domain/signature.js';
export {
  enqueueWebhookEvent,
  listWebhookDeliveries,
  retryWebhookDelivery,
  setWebhookEndpoint,
  WEBHOOK_EVENT_TYPES,
  type WebhookEventInput,
  type WebhookEventType,
} from './endpoints.js';
export { enqueueMemberActivated, enqueueMemberStatusChanged, type Activation } from './member-events.js';
export { partnerWebhookApi, partnerWebhookRoutes, type OwnerResolver } from './webhook.routes.js';
