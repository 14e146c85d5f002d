import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { newId } from '../../shared/ids.js';
import { checkEndpointUrl } from './domain/endpoint-url.js';
import { sealWebhookSecret } from './domain/secret-seal.js';
import { generateWebhookSecret } from './domain/signature.js';

/** The events a subscriber may ask for (docs/webhooks.md describes each one's data). */
export const WEBHOOK_EVENT_TYPES = ['member.activated', 'member.status_changed', 'member.left_roster'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The newest deliveries the log shows. */
export const DELIVERY_LOG_LIMIT = 100;

export type SetEndpointResult = { ok: true; secret: string; endpointId: string } | { ok: false; detail: string };

/**
 * Sets the owner's endpoint (one per owner): its URL, the events it wants (none given = all), and a NEW signing
 * secret, returned once here and stored only sealed. Setting it again rotates the secret (the old one stops signing
 * at once) and re-activates an endpoint a 410 had disabled. Pending deliveries go to the new URL with the new secret.
 */
export async function setWebhookEndpoint(deps: Deps, owner: string, input: { url: string; events?: readonly WebhookEventType[] | undefined }): Promise<SetEndpointResult> {
  const checked = checkEndpointUrl(input.url, deps.config.isDevelopment);
  if (!checked.ok) {
    return checked;
  }
  const secret = generateWebhookSecret();
  const now = deps.clock.now();
  const events = [...new Set(input.events ?? [])].sort();
  const row = await deps.db
    .insertInto('webhook_endpoint')
    .values({ id: newId('whe'), owner, url: checked.url, secret_sealed: sealWebhookSecret(secret, deps.config.nik), events, active: true, created_at: now, updated_at: now })
    .onConflict((oc) =>
      oc.column('owner').doUpdateSet((eb) => ({
        url: eb.ref('excluded.url'),
        secret_sealed: eb.ref('excluded.secret_sealed'),
        events: eb.ref('excluded.events'),
        active: true,
        disabled_reason: null,
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  return { ok: true, secret, endpointId: row.id };
}

export interface WebhookEventInput {
  /** Who subscribes ('partner:<id>'): the event goes to this owner's endpoint, if it has one that wants the type. */
  owner: string;
  /** The member the event is about (deliveries sit next to the member's rows). */
  participantId: string;
  type: WebhookEventType;
  /** Chosen by the caller before, deterministically (a retried transaction queues the same event once). */
  eventId: string;
  data: Record<string, unknown>;
  now: Date;
}

/**
 * Queues an event in the caller's transaction (no network here: the worker sends it after the commit). Nothing is
 * queued when the owner has no active endpoint subscribed to the type; an event id queued before is left as it is.
 * Returns whether a delivery was queued.
 */
export async function enqueueWebhookEvent(trx: Transaction<Database> | Kysely<Database>, event: WebhookEventInput): Promise<boolean> {
  const endpoint = await trx
    .selectFrom('webhook_endpoint')
    .select('id')
    .where('owner', '=', event.owner)
    .where('active', '=', true)
    .where(sql<boolean>`(cardinality(events) = 0 or ${event.type} = any(events))`)
    .executeTakeFirst();
  if (!endpoint) {
    return false;
  }
  const payload = { type: event.type, timestamp: event.now.toISOString(), data: event.data };
  const inserted = await trx
    .insertInto('webhook_delivery')
    .values({
      id: event.eventId,
      participant_id: event.participantId,
      endpoint_id: endpoint.id,
      event_type: event.type,
      payload: JSON.stringify(payload),
      next_attempt_at: event.now,
      created_at: event.now,
    })
    .onConflict((oc) => oc.columns(['participant_id', 'id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export interface DeliveryView {
  id: string;
  type: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

/** The owner's latest deliveries, newest first (the delivery log). */
export async function listWebhookDeliveries(db: Kysely<Database>, owner: string): Promise<DeliveryView[]> {
  const rows = await db
    .selectFrom('webhook_delivery as d')
    .innerJoin('webhook_endpoint as e', 'e.id', 'd.endpoint_id')
    .selectAll('d')
    .where('e.owner', '=', owner)
    .orderBy('d.created_at', 'desc')
    .orderBy('d.id', 'desc')
    .limit(DELIVERY_LOG_LIMIT)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    type: r.event_type,
    status: r.status as DeliveryView['status'],
    attempts: r.attempts,
    lastStatusCode: r.last_status_code,
    lastError: r.last_error,
    nextAttemptAt: r.status === 'pending' ? r.next_attempt_at.toISOString() : null,
    deliveredAt: r.delivered_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
  }));
}

/**
 * Sends a delivery of the owner's again as soon as the worker passes (a failed one gets one more attempt; a delivered
 * one is sent again with the same webhook-id, which receivers de-duplicate). False when the owner has no such delivery.
 */
export async function retryWebhookDelivery(deps: Deps, owner: string, deliveryId: string): Promise<boolean> {
  const now = deps.clock.now();
  const rows = await deps.db
    .updateTable('webhook_delivery')
    .set({ status: 'pending', next_attempt_at: now })
    .where('id', '=', deliveryId)
    .where('endpoint_id', 'in', (eb) => eb.selectFrom('webhook_endpoint').select('id').where('owner', '=', owner))
    .returning('id')
    .execute();
  return rows.length > 0;
}
