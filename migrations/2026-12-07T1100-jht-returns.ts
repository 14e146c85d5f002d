import { sql, type Kysely } from 'kysely';

/**
 * JHT returns (issue 15 item 3; domain-rules.md "JHT return (hasil pengembangan)"). Frozen once shipped.
 *
 * 1. `jht_rate`: the credited return rate of a year in basis points, as BPJS announces it, entered by an
 *    administrator (PUT /api/v1/staff/jht-rates/{year}). `applied_at` is set by the crediting job in the transaction
 *    of its first batch for the year; from then on the rate is frozen (409 rate_already_applied).
 * 2. The ledger checks of migrations/2026-12-07T0620-ledger-and-bill-checks.ts, dropped and added again with the
 *    new account `jht_investment` (the JHT investment-return account the returns are paid from) and the new transfer
 *    code `jht_return` (jht_investment → jht:<kpj>, id `jht-return:<year>:<kpj>`, ref `jht-return:<year>`, the
 *    return of that year, dated 31 December of it).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table jht_rate (
      year int primary key check (year between 2000 and 2999),
      rate_bp int not null check (rate_bp between 0 and 10000),
      set_at timestamptz not null,
      set_by text not null,
      applied_at timestamptz
    );
    alter table ledger_transfer drop constraint ledger_transfer_debit_account_format;
    alter table ledger_transfer drop constraint ledger_transfer_credit_account_format;
    alter table ledger_transfer drop constraint ledger_transfer_code_check;
    alter table ledger_transfer add constraint ledger_transfer_debit_account_format check
      (debit_account ~ '^(clearing:[a-z]+|program:(JKK|JKM)|jht:[0-9]{11}|wallet:[0-9]{11}|suspense|jht_investment)$') not valid;
    alter table ledger_transfer add constraint ledger_transfer_credit_account_format check
      (credit_account ~ '^(clearing:[a-z]+|program:(JKK|JKM)|jht:[0-9]{11}|wallet:[0-9]{11}|suspense|jht_investment)$') not valid;
    alter table ledger_transfer add constraint ledger_transfer_code_check check (code in
      ('contribution_jkk', 'contribution_jkm', 'contribution_jht', 'unmatched_payment', 'refund', 'manual_assignment',
       'wallet_topup', 'overpayment', 'jht_return')) not valid;
    alter table ledger_transfer validate constraint ledger_transfer_debit_account_format;
    alter table ledger_transfer validate constraint ledger_transfer_credit_account_format;
    alter table ledger_transfer validate constraint ledger_transfer_code_check;
  `.execute(db);
}
