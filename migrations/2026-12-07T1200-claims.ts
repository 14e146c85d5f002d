import { sql, type Kysely } from 'kysely';

/**
 * Claims and payouts (issue 15 items 4–5; api-contract.md "Claims"; domain-rules.md "Second release"). Frozen once
 * shipped.
 *
 * 1. `claim`: one model for JHT, JKK and JKM. The claimant is the member (`claimant` null) or, for a death, an heir
 *    (`claimant` = { nik, fullName, relationship, phone }) filed by staff. `event` = { at, kind, description?, place? }
 *    (JKK/JKM), `reason`/`reason_date` (JHT), `children` (scholarship), `assessment` (the JKK officer's facts),
 *    `bank_account` = { bankCode, accountNumber, accountName }, `flags` (e.g. `late_report`). `verified_by` and
 *    `approved_by` are staff accounts; a straight-through claim has `verified_automatically` and no verifier.
 *    At most one open claim (neither paid nor rejected) per member and type (a unique partial index →
 *    `claim_in_progress`).
 * 2. Four eyes in the database: a CHECK that the approver is never the verifier, and a trigger that refuses any
 *    status change outside the state machine (claim-state.ts), an approval without an approver holding
 *    `claims_approver`, and a verification by an account without `claims_verifier` (a disabled account neither).
 * 3. `claim_line` (the entitlement, written when verified), `claim_document` (sha256-addressed files in the document
 *    store), `claim_event` (the state history: every filing and transition, actor and reason; append-only).
 * 4. `payout`: one per approved claim; `payout_attempt`: one per transfer sent, its id the provider's idempotency key.
 *    Every table carries `participant_id`, the distribution column of the Citus layout (scripts/citus/layout.ts).
 * 5. Ledger: accounts `benefit:JKK|JKM` (benefit expense), `payout_clearing` (approved, not yet paid out) and
 *    `disbursement:<provider>` (the bank the provider pays from); codes `claim_benefit` (jht:<kpj> or benefit:<P> →
 *    payout_clearing, id `claim:<claimId>`), `jht_interim_return` (jht_investment → jht:<kpj>, the current year's
 *    accrued return paid with a full JHT withdrawal, id `jht-interim:<claimId>`) and `payout` (payout_clearing →
 *    disbursement:<provider>, id `payout:<payoutId>`, posted on the provider's confirmation).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table claim (
      id text primary key,
      participant_id text not null references participant (id),
      kpj text not null,
      type text not null check (type in ('JHT', 'JKK', 'JKM')),
      status text not null check (status in ('submitted', 'verified', 'approved', 'paid', 'rejected', 'returned')),
      reason text,
      reason_date date,
      event jsonb,
      event_at timestamptz,
      claimant jsonb,
      children jsonb,
      assessment jsonb,
      bank_account jsonb not null,
      flags text[] not null default '{}',
      channel text not null check (channel in ('self_service', 'staff')),
      filed_by text not null,
      verified_by bigint references staff_account (id),
      verified_automatically boolean not null default false,
      approved_by bigint references staff_account (id),
      decision_reason text,
      total bigint check (total >= 0),
      submitted_at timestamptz not null,
      updated_at timestamptz not null,
      constraint claim_four_eyes check (approved_by is null or verified_by is null or approved_by <> verified_by),
      constraint claim_approved_has_officers check (
        status not in ('approved', 'paid') or (approved_by is not null and (verified_by is not null or verified_automatically))
      ),
      constraint claim_verified_has_total check (status not in ('verified', 'approved', 'paid') or total is not null)
    );
    create unique index claim_one_open_per_type_idx on claim (participant_id, type) where status not in ('paid', 'rejected');
    create index claim_queue_idx on claim (status, submitted_at);
    create index claim_kpj_idx on claim (kpj);

    create function claim_guard() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        if new.status <> 'submitted' then
          raise exception 'a claim is filed as submitted, not %', new.status using errcode = 'check_violation';
        end if;
        return new;
      end if;
      if new.status is distinct from old.status and not (
        (old.status = 'submitted' and new.status in ('verified', 'rejected', 'returned')) or
        (old.status = 'verified' and new.status in ('approved', 'rejected')) or
        (old.status = 'approved' and new.status = 'paid') or
        (old.status = 'returned' and new.status = 'submitted')
      ) then
        raise exception 'claim % may not move from % to %', old.id, old.status, new.status using errcode = 'check_violation';
      end if;
      if new.status = 'verified' and old.status <> 'verified' and new.verified_by is not null and not exists (
        select 1 from staff_account where id = new.verified_by and not disabled and 'claims_verifier' = any (roles)
      ) then
        raise exception 'claim % verified by an account without claims_verifier', new.id using errcode = 'check_violation';
      end if;
      if new.status = 'approved' and old.status <> 'approved' and not exists (
        select 1 from staff_account where id = new.approved_by and not disabled and 'claims_approver' = any (roles)
      ) then
        raise exception 'claim % approved by an account without claims_approver', new.id using errcode = 'check_violation';
      end if;
      if old.status in ('approved', 'paid') and (new.verified_by is distinct from old.verified_by
          or new.approved_by is distinct from old.approved_by or new.total is distinct from old.total) then
        raise exception 'claim % was approved: its officers and total are fixed', new.id using errcode = 'check_violation';
      end if;
      return new;
    end;
    $$;
    create trigger claim_guard before insert or update on claim for each row execute function claim_guard();

    create table claim_line (
      claim_id text not null references claim (id),
      participant_id text not null,
      n int not null,
      benefit text not null,
      amount bigint not null check (amount >= 0),
      child text,
      primary key (claim_id, n)
    );

    create table claim_document (
      id text primary key,
      claim_id text not null references claim (id),
      participant_id text not null,
      kind text not null,
      sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
      content_type text not null check (content_type in ('image/jpeg', 'image/png', 'application/pdf')),
      size_bytes int not null check (size_bytes > 0),
      file_name text,
      uploaded_by text not null,
      uploaded_at timestamptz not null
    );
    create index claim_document_claim_idx on claim_document (claim_id);

    create table claim_event (
      id bigint generated always as identity primary key,
      claim_id text not null references claim (id),
      participant_id text not null,
      at timestamptz not null,
      status text not null,
      actor text not null,
      reason text
    );
    create index claim_event_claim_idx on claim_event (claim_id, id);
    create function claim_event_is_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'claim_event is append-only';
    end;
    $$;
    create trigger claim_event_append_only before update or delete on claim_event
      for each row execute function claim_event_is_append_only();

    create table payout (
      id text primary key,
      claim_id text not null unique references claim (id),
      participant_id text not null references participant (id),
      amount bigint not null check (amount > 0),
      bank_account jsonb not null,
      status text not null check (status in ('pending', 'paid', 'failed')),
      attempts int not null default 0,
      next_attempt_at timestamptz,
      failure_reason text,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      paid_at timestamptz
    );
    create index payout_due_idx on payout (next_attempt_at) where status = 'pending';

    create table payout_attempt (
      id text primary key,
      payout_id text not null references payout (id),
      participant_id text not null,
      n int not null,
      provider text not null,
      status text not null check (status in ('sending', 'pending', 'paid', 'failed')),
      provider_ref text,
      reason text,
      sent_at timestamptz not null,
      settled_at timestamptz,
      unique (payout_id, n)
    );

    alter table ledger_transfer drop constraint ledger_transfer_debit_account_format;
    alter table ledger_transfer drop constraint ledger_transfer_credit_account_format;
    alter table ledger_transfer drop constraint ledger_transfer_code_check;
    alter table ledger_transfer add constraint ledger_transfer_debit_account_format check
      (debit_account ~ '^(clearing:[a-z]+|program:(JKK|JKM)|jht:[0-9]{11}|wallet:[0-9]{11}|suspense|jht_investment|benefit:(JKK|JKM)|payout_clearing|disbursement:[a-z]+)$') not valid;
    alter table ledger_transfer add constraint ledger_transfer_credit_account_format check
      (credit_account ~ '^(clearing:[a-z]+|program:(JKK|JKM)|jht:[0-9]{11}|wallet:[0-9]{11}|suspense|jht_investment|benefit:(JKK|JKM)|payout_clearing|disbursement:[a-z]+)$') not valid;
    alter table ledger_transfer add constraint ledger_transfer_code_check check (code in
      ('contribution_jkk', 'contribution_jkm', 'contribution_jht', 'unmatched_payment', 'refund', 'manual_assignment',
       'wallet_topup', 'overpayment', 'jht_return', 'claim_benefit', 'jht_interim_return', 'payout')) not valid;
    alter table ledger_transfer validate constraint ledger_transfer_debit_account_format;
    alter table ledger_transfer validate constraint ledger_transfer_credit_account_format;
    alter table ledger_transfer validate constraint ledger_transfer_code_check;
  `.execute(db);
}
