import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/database.js';

/**
 * The ledger: append-only double-entry transfers. Settlement writes them inside the database function
 * lindung_apply_payment (one transaction with the bill and the cover); the chart of accounts and the transfer codes
 * here are what every transfer must obey (checked by validateTransfer in the tests over everything written).
 */
export * from './domain/chart-of-accounts.js';

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
