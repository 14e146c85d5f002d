import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import { idUntil } from '../../db/id-range.js';
import type { Deps } from '../../deps.js';
import { sweepWalletIn } from './wallet.js';

/**
 * The scheduled wallet sweep (the daily `wallet-sweep:<date>` job, src/modules/jobs/monthly-cycle.ts): a wallet that
 * holds at least one month's dues is normally swept right after the credit that filled it, but a month may become
 * payable later — the horizon moves on each month (a wallet that stopped at 12 months ahead pays one more), or the
 * sweep after a credit failed (logged; the money stayed in the wallet). The job walks every participant in id order,
 * a batch at a time; in each batch the members whose wallet balance is positive are swept (sweepWalletIn, through
 * `lindung_sweep_wallet`, which pays only whole months the balance covers), in the batch's transaction together with
 * the job's progress. A sweep is idempotent, so a resumed or repeated job pays nothing twice.
 */
export async function sweepWalletsBatch(
  trx: Transaction<Database>,
  deps: Deps,
  input: { cursor: string; until: string | null; limit: number },
): Promise<{ lastId: string | null; scanned: number; counts: { wallets: number; swept: number; months: number } }> {
  const { rows } = await sql<{ last_id: string | null; scanned: number; holders: string[] }>`
    select max(b.id) as last_id, count(*)::int as scanned,
           coalesce(array_agg(b.id order by b.id) filter (where b.balance > 0), '{}') as holders
      from (select p.id,
                   (select coalesce(sum(case when t.credit_account = 'wallet:' || p.kpj then t.amount else -t.amount end), 0)
                      from ledger_transfer t
                     where t.credit_account = 'wallet:' || p.kpj or t.debit_account = 'wallet:' || p.kpj) as balance
              from participant p
             where p.id > ${input.cursor}::text ${idUntil(sql.ref('p.id'), input.until)}
             order by p.id
             limit ${input.limit}::int) b
  `.execute(trx);
  const row = rows[0];
  const counts = { wallets: row?.holders.length ?? 0, swept: 0, months: 0 };
  for (const participantId of row?.holders ?? []) {
    const r = await sweepWalletIn(trx, deps, participantId);
    counts.swept += r.settledMonths.length > 0 ? 1 : 0;
    counts.months += r.settledMonths.length;
  }
  return { lastId: row?.last_id ?? null, scanned: row?.scanned ?? 0, counts };
}

/**
 * Whether any wallet was ever credited: the daily cycle schedules the sweep job only then (one probe of the partial
 * index ledger_transfer_wallet_credit_idx).
 */
export async function anyWalletCredited(db: Kysely<Database> | Transaction<Database>): Promise<boolean> {
  const { rows } = await sql<{ found: boolean }>`
    select exists (select 1 from ledger_transfer where credit_account like 'wallet:%') as found
  `.execute(db);
  return rows[0]?.found ?? false;
}
