import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import { validateTransfer, walletAccount, type TransferDraft } from './domain/chart-of-accounts.js';

/**
 * The ledger: append-only double-entry transfers. Settlement writes them inside the database function
 * lindung_apply_payment (one transaction with the bill and the cover); the chart of accounts and the transfer codes
 * here are what every transfer must obey (checked by validateTransfer in the tests over everything written).
 */
export * from './domain/chart-of-accounts.js';

/**
 * Writes one transfer in the caller's transaction after validateTransfer (a refusal is a programming error: thrown).
 * Its id is the idempotency key chosen by the caller; a second write of the same id fails on the primary key.
 */
export async function postTransfer(trx: Transaction<Database>, t: TransferDraft, at: Date): Promise<void> {
  const problem = validateTransfer(t);
  if (problem) {
    throw new Error(`transfer ${t.id} refused: ${problem}`);
  }
  await trx
    .insertInto('ledger_transfer')
    .values({ id: t.id, debit_account: t.debitAccount, credit_account: t.creditAccount, amount: t.amount, code: t.code, ref: t.ref, created_at: at })
    .execute();
}

/**
 * A member's contribution-wallet balance: credits minus debits of `wallet:<kpj>`. Here, with the other balances, so
 * that membership's /me can show it without depending on the wallet module (which depends on membership; issue 14).
 */
export async function walletBalance(db: Kysely<Database> | Transaction<Database>, kpj: string): Promise<number> {
  const account = walletAccount(kpj);
  const row = await sql<{ balance: number }>`
    select coalesce(sum(case when credit_account = ${account} then amount else -amount end), 0)::int8 as balance
      from ledger_transfer where credit_account = ${account} or debit_account = ${account}`.execute(db);
  return Number(row.rows[0]?.balance ?? 0);
}

/** Every account's balance; the sum over all accounts is zero by construction of double entry. */
export async function getAllBalances(db: Kysely<Database>): Promise<Map<string, number>> {
  const rows = await sql<{ account: string; balance: number }>`
    select account, sum(delta)::int8 as balance from (
      select credit_account as account, amount as delta from ledger_transfer
      union all
      select debit_account as account, -amount as delta from ledger_transfer
    ) t group by account`.execute(db);
  return new Map(rows.rows.map((r) => [r.account, r.balance]));
}
