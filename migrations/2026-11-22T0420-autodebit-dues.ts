import { sql, type Kysely } from 'kysely';

/**
 * Auto-debit (autodebet; issue 4 item 4) and the indexes the dues opening of the monthly cycle needs (item 5). Frozen
 * once shipped, like every migration. Kept within PostgreSQL 15 and what PGlite runs.
 *
 * - `autodebit_mandate`: a member's standing permission to debit a bank account or e-wallet. The provider's token
 *   stands in for the account (the system never holds credentials); only a masked account number is shown. At most
 *   one active mandate per member, by a partial unique index (not a read-then-write check).
 * - `autodebit_attempt`: one row per mandate, contribution month and attempt, written BEFORE the provider is called
 *   (status 'pending', with the deterministic reference `autodebit:<mandateId>:<month>:<attempt>`), then completed
 *   with the result. The primary key makes each attempt happen once however often the job runs; a 'pending' row left
 *   by a crash is resumed with the same reference, which the provider treats as the same charge.
 * - Dues bills (bill.kind 'dues', allowed since 2026-11-22T0400) need no new table: their id is deterministic
 *   (`bil_dues_<month>_<participantId>`).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table autodebit_mandate (
      id text primary key,
      participant_id text not null references participant (id),
      provider_kind text not null check (provider_kind in ('bank', 'ewallet')),
      provider_name text not null,
      token text not null,
      account_masked text not null,
      status text not null check (status in ('active', 'revoked')),
      created_at timestamptz not null,
      revoked_at timestamptz,
      check ((status = 'revoked') = (revoked_at is not null))
    );
    create unique index autodebit_mandate_one_active_idx on autodebit_mandate (participant_id) where status = 'active';
    create index autodebit_mandate_participant_idx on autodebit_mandate (participant_id, created_at desc);
    -- The collection job walks the active mandates by id.
    create index autodebit_mandate_active_idx on autodebit_mandate (id) where status = 'active';

    create table autodebit_attempt (
      mandate_id text not null references autodebit_mandate (id),
      month text not null,
      attempt integer not null check (attempt > 0),
      reference text not null unique,
      participant_id text not null references participant (id),
      bill_id text not null references bill (id),
      payment_code text not null,
      amount bigint not null check (amount > 0),
      status text not null check (status in ('pending', 'succeeded', 'failed', 'cancelled')),
      provider_ref text,
      failure_reason text,
      retryable boolean,
      -- What the settlement made of a successful charge: applied, duplicate, or unmatched:<reason> (money in suspense).
      settlement text,
      created_at timestamptz not null,
      -- Set (committed) just before the provider is called: a pending row with sent_at may have moved money and is
      -- only ever completed by asking the provider again with the same reference; one without was never sent.
      sent_at timestamptz,
      finished_at timestamptz,
      primary key (mandate_id, month, attempt),
      check ((status = 'pending') = (finished_at is null)),
      check (status not in ('succeeded', 'failed') or sent_at is not null),
      check (status <> 'succeeded' or provider_ref is not null),
      check (status <> 'failed' or (failure_reason is not null and retryable is not null))
    );
    create index autodebit_attempt_pending_idx on autodebit_attempt (month, attempt, mandate_id) where status = 'pending';
    create index autodebit_attempt_participant_idx on autodebit_attempt (participant_id, month desc);
  `.execute(db);
}
