import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import { jhtAccount, JHT_INVESTMENT_ACCOUNT } from '../ledger/index.js';
import { daysInYear } from './domain/jht-return.js';
import { applyJhtRate } from './jht-rates.js';

/** The return's transfer id and ref: one return per account and year, so a rerun inserts nothing. */
export function jhtReturnTransferId(year: number, kpj: string): string {
  return `jht-return:${year}:${kpj}`;
}
export function jhtReturnRef(year: number): string {
  return `jht-return:${year}`;
}
/** The ref of an interim return (a full withdrawal's accrued return, claims module): `jht-interim:<year>`. */
export function jhtInterimRef(year: number): string {
  return `jht-interim:${year}`;
}

/**
 * One batch of the year's crediting job (jobs/monthly-cycle.ts, `jht-returns:<year>`): the participants after
 * `cursor` through `until` in id order, at most `limit`. The rate is applied (frozen) in the batch's transaction;
 * while it is not entered nothing is credited (`waiting`). Otherwise ONE statement reads every ledger row of the
 * batch's accounts `jht:<kpj>` and inserts each account's credit (domain/jht-return.ts yearCredit, set-based):
 *
 *   Σ over the account's movements of amount × days it counts in the year (dated before 1 January: every day; on day
 *   d of D: D − d + 1; after the year: none) — equal in integers to Σ of the end-of-day balances
 *   (domain/jht-return.test.ts) — then floor(Σ × rate / (10000 × D)) (0 if Σ ≤ 0), less the year's interim returns
 *   (`jht_interim_return`, ref jht-interim:<year>), never negative.
 *
 * A movement's day: a return's is 31 December of the year in its ref, any other's the WIB day it was posted. The
 * year's own return (a resumed batch) is left out of the sum. Inserted jht_investment → jht:<kpj>, id
 * jht-return:<year>:<kpj>, `on conflict (id) do nothing`: a rerun or a resumed job inserts nothing.
 */
export async function creditJhtReturnsBatch(
  trx: Transaction<Database>,
  input: { year: number; cursor: string; until: string | null; limit: number; now: Date },
): Promise<{ lastId: string | null; scanned: number; counts: { credited: number; amount: number; waiting: number } }> {
  let q = trx.selectFrom('participant').select(['id', 'kpj']).where('id', '>', input.cursor).orderBy('id').limit(input.limit);
  if (input.until !== null) {
    q = q.where('id', '<=', input.until);
  }
  const members = await q.execute();
  const lastId = members[members.length - 1]?.id ?? null;
  const rateBp = await applyJhtRate(trx, input.year, input.now);
  if (rateBp === null || members.length === 0) {
    return { lastId, scanned: members.length, counts: { credited: 0, amount: 0, waiting: rateBp === null ? members.length : 0 } };
  }
  const inserted = await insertYearCredits(trx, { year: input.year, rateBp, accounts: members.map((m) => jhtAccount(m.kpj)), now: input.now });
  return { lastId, scanned: members.length, counts: { credited: inserted.length, amount: inserted.reduce((s, r) => s + Number(r.amount), 0), waiting: 0 } };
}

async function insertYearCredits(trx: Transaction<Database>, o: { year: number; rateBp: number; accounts: string[]; now: Date }): Promise<{ amount: string }[]> {
  const days = daysInYear(o.year);
  // Days are counted as whole days since 1970-01-01 in WIB (UTC+7, as localDateInJakarta): integer arithmetic, no
  // time-zone conversion per row. A movement on day d counts min(D, max(0, 31 December + 1 − d)) days; amount × days
  // stays far inside bigint (an amount below 2.5 × 10^16 rupiah), and sum() of bigint is numeric: exact.
  const afterYear = Date.UTC(o.year + 1, 0, 1) / 86_400_000;
  const ref = jhtReturnRef(o.year);
  const { rows } = await sql<{ amount: string }>`
    with mv as (
      select t.credit_account as account, t.amount as signed, t.code, t.ref, t.created_at
        from ledger_transfer t where t.credit_account = any (${o.accounts}::text[])
      union all
      select t.debit_account, -t.amount, t.code, t.ref, t.created_at
        from ledger_transfer t where t.debit_account = any (${o.accounts}::text[])
    ),
    counted as (
      select account, signed, code, ref,
             least(${days}::int, greatest(0, ${afterYear}::int - case when code = 'jht_return'
               then make_date(split_part(ref, ':', 2)::int, 12, 31) - date '1970-01-01'
               else floor((extract(epoch from created_at) + 25200) / 86400)::int end)) as days
        from mv
       where not (code = 'jht_return' and ref = ${ref})
    ),
    per as (
      select account, sum(signed * days) as balance_days,
             sum(case when code = 'jht_interim_return' and ref = ${jhtInterimRef(o.year)} then signed else 0 end) as interim
        from counted group by account
    ),
    credit as (
      select account,
             greatest(0, case when balance_days > 0 then div(balance_days * ${o.rateBp}::int, ${10_000 * days}::numeric) else 0 end - interim) as amount
        from per
    )
    insert into ledger_transfer (id, debit_account, credit_account, amount, code, ref, created_at)
    select 'jht-return:' || ${o.year}::int || ':' || substr(account, 5), ${JHT_INVESTMENT_ACCOUNT}, account, amount, 'jht_return', ${ref}, ${o.now}
      from credit where amount > 0
    order by account
    on conflict (id) do nothing
    returning amount
  `.execute(trx);
  return rows;
}
