import { sql, type Kysely } from 'kysely';

/**
 * Assisted registration at a branch counter or a bank's SPO desk, the counter's cash/EDC payments and the e-survey
 * (issue 16 items 2–3). Frozen once shipped.
 *
 * - `staff_account.service_point_code`: the service point an officer works at (null: the branch office itself). An
 *   officer of a service point of kind 'spo' registers with channel 'spo'; every other counter officer 'counter'.
 * - `registration.service_point_code` and `registration.registered_by`: where and by whom an assisted registration was
 *   typed (null for the web), and `requested_months`, the months the worker chose on the form (the programs and the
 *   income go to the existing columns): the first bill is issued from them once the phone is verified.
 *   `registration.channel` already exists ('web' by default).
 * - `counter_payment`: the till slip of a cash or EDC payment taken at a counter, written BEFORE the settlement with
 *   the key the page chose (`idempotency_key`); the payment is recorded under externalId `counter:<key>` and its
 *   paidAt is this row's `paid_at`, so a double submit is the same notification (duplicate), never a second payment.
 * - `survey_invitation`: one e-survey per completed counter registration; the SMS link carries a token whose hash is
 *   the key; answered once (1–5 stars, an optional comment).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table staff_account add column service_point_code text;
    alter table registration add column service_point_code text;
    alter table registration add column registered_by text;
    alter table registration add column requested_months smallint check (requested_months > 0);
    create table counter_payment (
      idempotency_key text primary key check (idempotency_key ~ '^[0-9a-f-]{36}$'),
      payment_code text not null,
      amount bigint not null check (amount > 0),
      method text not null check (method in ('cash', 'edc')),
      approval_code text,
      actor text not null,
      branch_code text not null,
      service_point_code text,
      paid_at timestamptz not null,
      check ((method = 'edc') = (approval_code is not null))
    );
    create index counter_payment_branch_day on counter_payment (branch_code, paid_at);
    create table survey_invitation (
      token_hash text primary key,
      registration_id text not null unique,
      branch_code text not null,
      service_point_code text,
      sent_at timestamptz not null,
      rating integer check (rating between 1 and 5),
      comment text check (length(comment) <= 500),
      answered_at timestamptz,
      check ((rating is null) = (answered_at is null))
    );
    create index survey_invitation_answered on survey_invitation (answered_at) where answered_at is not null;
  `.execute(db);
}
