import { sql, type Kysely } from 'kysely';

/**
 * Collective bills (issue 17, docs/architecture.md "Collective bills"): ONE payment code for many members' bills — a
 * partner's enrolment batch, a payer's monthly roster, a government invoice. `payer_bill` holds the collective (its
 * own code, '9' + 14 digits + Luhn, never a member bill's '8…' or a top-up code's '7…'); `bill.payer_bill_id` links
 * the member bills it pays (they take the collective's expiry and can no longer be paid on their own: unmatched
 * `bill_paid_by_payer`). Paid through the settlement engine (lindung_apply_payment finds the code here when no bill
 * has it): one payment `clearing:<channel>` → `clearing:payer` (`payer_collective`), an excess → `suspense`
 * (`payer_excess`), then a fan-out job settles every member bill from `clearing:payer`.
 * Frozen once shipped, like every migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table payer_bill (
      id text primary key check (length(id) between 1 and 200),
      payer_id text not null check (length(payer_id) between 1 and 200),
      purpose text not null check (purpose in ('enrolment', 'roster', 'invoice')),
      label text not null check (length(label) between 1 and 200),
      payment_code text not null unique check (payment_code ~ '^9[0-9]{15}$'),
      amount bigint not null check (amount >= 0),
      member_count int not null check (member_count >= 0),
      status text not null check (status in ('open', 'settling', 'paid', 'cancelled')),
      expires_at timestamptz not null,
      created_at timestamptz not null,
      paid_at timestamptz,
      payment_id text,
      fanned_out_at timestamptz,
      check ((status in ('settling', 'paid')) = (payment_id is not null and paid_at is not null)),
      check ((status = 'paid') = (fanned_out_at is not null))
    );
    create index payer_bill_payer_idx on payer_bill (payer_id, created_at);

    alter table bill add column payer_bill_id text references payer_bill (id);
    create index bill_payer_bill_idx on bill (payer_bill_id, id) where payer_bill_id is not null;

    alter table payment drop constraint payment_unmatched_reason_check;
    alter table payment add constraint payment_unmatched_reason_check check (unmatched_reason in
      ('amount_mismatch', 'bill_expired', 'bill_already_paid', 'unknown_payment_code', 'bill_replaced', 'prepay_limit',
       'bill_paid_by_payer'));

    alter table ledger_transfer drop constraint ledger_transfer_code_check;
    alter table ledger_transfer add constraint ledger_transfer_code_check check (code in
      ('contribution_jkk', 'contribution_jkm', 'contribution_jht', 'unmatched_payment', 'refund', 'manual_assignment',
       'wallet_topup', 'overpayment', 'jht_return', 'claim_benefit', 'jht_interim_return', 'payout',
       'payer_collective', 'payer_excess')) not valid;
    alter table ledger_transfer validate constraint ledger_transfer_code_check;
  `.execute(db);
}
