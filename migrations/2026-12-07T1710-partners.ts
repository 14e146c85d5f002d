import { sql, type Kysely } from 'kysely';

/**
 * Issue 17 item 2 (first half): partners, sponsors and government payers enrolling workers in batches. Frozen once
 * shipped.
 *
 * - `partner`: who pays (funding 'partner' | 'sponsor' | 'apbn' | 'apbd').
 * - `partner_client`: OAuth2 client credentials of a partner. The secret is 32 random bytes; only its SHA-256 is kept.
 *   A partner may hold several active clients at once (rotation: issue a new one, revoke the old one later or let it
 *   expire). `scopes` ⊆ {enrolment, members, webhooks}.
 * - `partner_token`: the bearer tokens issued by POST /oauth/token, by the SHA-256 of the token (1 hour).
 * - `partner_batch`: an enrolment batch, unique per (partner, Idempotency-Key); `body_hash` tells a repeat from a
 *   different body under the same key. `bill_*`: the batch's one collective bill once processed.
 * - `partner_batch_row`: one row of a batch as uploaded (the NIK hashed and sealed, never plain; the other columns in
 *   `input`) and, once processed, its outcome: accepted (registration_id, bill_id) or rejected (code, field).
 * - `registration_payer`: the registrations a payer made (a partner's participants list; `payer_id` is from
 *   2026-12-07T1700-funding-partner).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table partner (
      id text primary key,
      name text not null check (length(name) between 1 and 200),
      funding text not null check (funding in ('partner', 'sponsor', 'apbn', 'apbd')),
      active boolean not null default true,
      created_at timestamptz not null
    );
    create table partner_client (
      client_id text primary key,
      partner_id text not null references partner (id),
      secret_hash text not null,
      scopes text[] not null,
      created_at timestamptz not null,
      revoked_at timestamptz,
      expires_at timestamptz
    );
    create index partner_client_partner on partner_client (partner_id);
    create table partner_token (
      token_hash text primary key,
      client_id text not null references partner_client (client_id),
      partner_id text not null,
      scopes text[] not null,
      created_at timestamptz not null,
      expires_at timestamptz not null
    );
    create index partner_token_expiry on partner_token (expires_at);
    create table partner_batch (
      id text primary key,
      partner_id text not null references partner (id),
      idempotency_key text not null,
      body_hash text not null,
      status text not null check (status in ('queued', 'running', 'done')),
      total integer not null,
      processed integer not null default 0,
      accepted integer not null default 0,
      rejected integer not null default 0,
      bill_expires_at timestamptz,
      payer_bill_id text,
      payment_code text,
      amount bigint,
      created_at timestamptz not null,
      finished_at timestamptz,
      unique (partner_id, idempotency_key)
    );
    create table partner_batch_row (
      batch_id text not null references partner_batch (id),
      row integer not null,
      nik_hash text not null,
      nik_sealed text not null,
      input jsonb not null,
      duplicate boolean not null default false,
      status text check (status in ('accepted', 'rejected')),
      code text,
      field text,
      registration_id text,
      bill_id text,
      primary key (batch_id, row)
    );
    create index partner_batch_row_registration on partner_batch_row (registration_id) where registration_id is not null;
    create index registration_payer on registration (payer_id, created_at) where payer_id is not null;
  `.execute(db);
}
