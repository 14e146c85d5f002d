import { sql, type Kysely } from 'kysely';

/**
 * The kinds the collection cycle (issue 4) adds to bills and payments, in one place so that the later migrations of
 * the wallet, auto-debit and reconciliation never redefine the same constraint:
 *
 * - bill.kind `dues`: a month's dues opened by the monthly cycle (jobs), payable until the arrears window closes;
 * - bill.kind `wallet`: a month settled from the member's contribution wallet (no payment of its own);
 * - payment.outcome `topup`: money for a member's contribution wallet, not for a bill (bill_id is null).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table bill drop constraint bill_kind_check;
    alter table bill add constraint bill_kind_check check (kind in ('first', 'renewal', 'dues', 'wallet'));
    alter table payment drop constraint payment_outcome_check;
    alter table payment add constraint payment_outcome_check check (outcome in ('applied', 'unmatched', 'topup'));
  `.execute(db);
}
