import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import { validateTransfer, type TransferDraft } from './domain/chart-of-accounts.js';

export * from './domain/chart-of-accounts.js';

/**
 * The only writer of money movements. Transfers are validated, then inserted in one statement; the table refuses
 * updates and deletes (a trigger), so balances can only ever be derived by summing.
 */
export async function postTransfers(trx: Transaction<Database>, transfers: readonly TransferDraft[], now: Date): Promise<void> {
  if (transfers.length === 0) {
    return;
  }
  for (const t of transfers) {
    const problem = validateTransfer(t);
    if (problem) {
      throw new Error(`ledger refused transfer ${t.id}: ${problem}`);
    }
  }
  await trx
    .insertInto('ledger_transfer')
    .values(
      transfers.map((t) => ({
        id: t.id,
        debit_account: t.debitAccount,
        credit_account: t.creditAccount,
        amount: t.amount,
        code: t.code,
        ref: t.ref,
        created_at: now,
      })),
    )
    .execute();
}

/** Balance = credits − debits. */
export async function getBalance(db: Kysely<Database>, account: string): Promise<number> {
  const row = await sql<{ balance: number }>`
    select coalesce((select sum(amount) from ledger_transfer where credit_account = ${account}), 0)::int8
         - coalesce((select sum(amount) from ledger_transfer where debit_account = ${account}), 0)::int8 as balance`.execute(db);
  return row.rows[0]?.balance ?? 0;
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
