import { sql, type Kysely } from 'kysely';

/**
 * Initial schema. Frozen: never edit a migration that has shipped; add a new one.
 * Money is bigint rupiah. Months are 'YYYY-MM' text (contribution months, not instants).
 * Kept within PostgreSQL 15 (the server in CI) although PGlite is PostgreSQL 17/18 inside.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table population_resident (
      nik text primary key,
      full_name text not null,
      birth_date date not null,
      gender text not null check (gender in ('M', 'F')),
      created_at timestamptz not null
    );

    create table registration (
      id text primary key,
      nik text not null,
      full_name text not null,
      birth_date date not null,
      gender text not null check (gender in ('M', 'F')),
      phone text not null,
      email text not null,
      address text not null,
      occupation_code text not null,
      sector text not null check (sector in ('transport', 'other')),
      branch_code text not null,
      channel text not null default 'web',
      status text not null check (status in ('pending_verification', 'verified', 'submitted', 'completed')),
      email_token_hash text not null,
      email_verified_at timestamptz,
      phone_verified_at timestamptz,
      programs text[],
      declared_income bigint,
      funding text not null default 'self' check (funding in ('self', 'sponsor', 'apbn', 'apbd')),
      participant_id text,
      created_at timestamptz not null,
      updated_at timestamptz not null
    );
    create index registration_nik_idx on registration (nik);

    create table otp_challenge (
      id text primary key,
      purpose text not null check (purpose in ('registration', 'login')),
      subject text not null,
      code_hash text not null,
      expires_at timestamptz not null,
      failed_attempts integer not null default 0,
      created_at timestamptz not null,
      consumed_at timestamptz
    );
    create index otp_challenge_subject_idx on otp_challenge (purpose, subject, created_at desc);

    -- KPJ numbers: 10 digits from this sequence plus a Luhn check digit. A sequence never hands out a value twice,
    -- so a KPJ is never reused, even when the transaction that drew it rolls back.
    create sequence kpj_seq start 1000000001 maxvalue 9999999999 no cycle;

    create table participant (
      id text primary key,
      kpj text not null unique,
      nik text not null unique,
      full_name text not null,
      birth_date date not null,
      gender text not null check (gender in ('M', 'F')),
      phone text not null,
      email text not null,
      address text not null,
      occupation_code text not null,
      sector text not null check (sector in ('transport', 'other')),
      branch_code text not null,
      programs text[] not null,
      declared_income bigint not null,
      funding text not null check (funding in ('self', 'sponsor', 'apbn', 'apbd')),
      registration_id text not null,
      created_at timestamptz not null,
      updated_at timestamptz not null
    );
    create index participant_phone_idx on participant (phone);

    create table bill (
      id text primary key,
      payment_code text not null unique,
      kind text not null check (kind in ('first', 'renewal')),
      registration_id text references registration (id),
      participant_id text references participant (id),
      amount bigint not null check (amount > 0),
      status text not null check (status in ('open', 'paid', 'cancelled')),
      first_month text not null,
      month_count integer not null check (month_count > 0),
      expires_at timestamptz not null,
      created_at timestamptz not null,
      paid_at timestamptz,
      payment_id text,
      check ((kind = 'first') = (registration_id is not null)),
      check (kind = 'first' or participant_id is not null)
    );
    create index bill_registration_idx on bill (registration_id) where registration_id is not null;
    create index bill_participant_idx on bill (participant_id) where participant_id is not null;

    create table bill_line (
      bill_id text not null references bill (id),
      month text not null,
      program text not null check (program in ('JKK', 'JKM', 'JHT')),
      amount bigint not null check (amount >= 0),
      discount bigint not null check (discount >= 0),
      net bigint not null check (net = amount - discount),
      primary key (bill_id, month, program)
    );

    -- Every notification that passed its signature check, applied or not: money is never dropped.
    create table payment (
      id text primary key,
      external_id text not null unique,
      fingerprint text not null,
      payment_code text not null,
      amount bigint not null,
      channel text not null,
      paid_at timestamptz not null,
      received_at timestamptz not null,
      outcome text not null check (outcome in ('applied', 'unmatched')),
      unmatched_reason text check (unmatched_reason in ('amount_mismatch', 'bill_expired', 'bill_already_paid', 'unknown_payment_code')),
      bill_id text references bill (id),
      check ((outcome = 'unmatched') = (unmatched_reason is not null))
    );
    create index payment_unmatched_idx on payment (received_at) where outcome = 'unmatched';

    create table coverage_month (
      participant_id text not null references participant (id),
      month text not null,
      bill_id text not null references bill (id),
      primary key (participant_id, month)
    );

    -- Append-only double-entry ledger: one debit account, one credit account, a positive amount, a code (why)
    -- and a ref (which business record). Balances are sums; corrections are reversing transfers.
    create table ledger_transfer (
      id text primary key,
      debit_account text not null,
      credit_account text not null,
      amount bigint not null check (amount > 0),
      code text not null,
      ref text not null,
      created_at timestamptz not null,
      check (debit_account <> credit_account)
    );
    create index ledger_transfer_debit_idx on ledger_transfer (debit_account);
    create index ledger_transfer_credit_idx on ledger_transfer (credit_account);

    create function ledger_transfer_is_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'ledger_transfer is append-only';
    end;
    $$;
    create trigger ledger_transfer_append_only before update or delete on ledger_transfer
      for each row execute function ledger_transfer_is_append_only();
    create trigger ledger_transfer_no_truncate before truncate on ledger_transfer
      for each statement execute function ledger_transfer_is_append_only();

    -- Outbox: written in the same transaction as the change that causes the message; a worker delivers it.
    create table outbox_message (
      id text primary key,
      seq bigint generated always as identity,
      channel text not null check (channel in ('email', 'sms')),
      recipient text not null,
      subject text not null default '',
      body text not null,
      template text not null,
      data jsonb not null default '{}',
      status text not null default 'pending' check (status in ('pending', 'sent', 'failed')),
      attempts integer not null default 0,
      next_attempt_at timestamptz not null,
      last_error text,
      created_at timestamptz not null,
      sent_at timestamptz
    );
    create index outbox_pending_idx on outbox_message (next_attempt_at) where status = 'pending';
    create index outbox_recipient_idx on outbox_message (recipient, created_at desc);

    create table session (
      token_hash text primary key,
      participant_id text not null references participant (id),
      expires_at timestamptz not null,
      created_at timestamptz not null
    );
  `.execute(db);
}
