import { sql, type Kysely } from 'kysely';

/**
 * Signed outbound webhooks (issue 17 item 2; src/modules/webhooks, docs/webhooks.md):
 * - `webhook_endpoint`: one subscriber URL per owner (e.g. 'partner:<id>'), its signing secret sealed at rest
 *   (AES-256-GCM under NIK_KEYS, `v1:<keyId>:…`), the event types it wants (empty = all);
 * - `webhook_delivery`: one event to one endpoint, its id the event id chosen by the caller (deterministic; sent as
 *   the `webhook-id` header), written in the caller's transaction; the worker sends it with backoff;
 * - `webhook_attempt`: the append-only log of the HTTP attempts of a delivery.
 * Deliveries and attempts carry the participant the event is about (Citus: co-located with the member's rows).
 * Frozen once shipped, like every migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table webhook_endpoint (
      id text primary key,
      owner text not null unique check (length(owner) between 1 and 120),
      url text not null check (url ~ '^https?://' and length(url) <= 2000),
      secret_sealed text not null,
      events text[] not null default '{}',
      active boolean not null default true,
      disabled_reason text,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )
  `.execute(db);
  await sql`
    create table webhook_delivery (
      id text not null check (length(id) between 1 and 200),
      participant_id text not null,
      endpoint_id text not null references webhook_endpoint (id),
      event_type text not null,
      payload jsonb not null,
      attempts integer not null default 0,
      next_attempt_at timestamptz not null,
      status text not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
      last_status_code integer,
      last_error text,
      created_at timestamptz not null,
      delivered_at timestamptz,
      primary key (participant_id, id)
    )
  `.execute(db);
  await sql`create index webhook_delivery_due on webhook_delivery (next_attempt_at) where status = 'pending'`.execute(db);
  await sql`create index webhook_delivery_endpoint on webhook_delivery (endpoint_id, created_at desc)`.execute(db);
  await sql`
    create table webhook_attempt (
      participant_id text not null,
      delivery_id text not null,
      attempt integer not null check (attempt >= 1),
      at timestamptz not null,
      status_code integer,
      duration_ms integer not null,
      error text,
      primary key (participant_id, delivery_id, attempt)
    )
  `.execute(db);
}
