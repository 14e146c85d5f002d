import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { addDays, localDateInJakarta, type LocalDate } from '../../shared/month.js';
import { jhtAccount, JHT_INVESTMENT_ACCOUNT } from '../ledger/index.js';
import { accruedReturn, lastAnnouncedRate, splitAtYear, yearOf, yearReturn, type JhtMovement } from './domain/jht-return.js';
import { applyJhtRate, loadJhtRates } from './jht-rates.js';

/**
 * A member's JHT account `jht:<kpj>`, read from the ledger (never stored elsewhere): contributions (credited when a
 * payment settles, dated by the WIB day of the settlement), returns (`jht_return`, dated 31 December of their year)
 * and withdrawals (any debit of the account; claims post them).
 */
export type JhtEntryKind = 'contribution' | 'return' | 'withdrawal';

export interface JhtEntry {
  date: LocalDate;
  kind: JhtEntryKind;
  /** Rupiah, positive; a withdrawal lowers the balance by it. */
  amount: number;
  /** The year of a return. */
  year?: number;
}

type Executor = Kysely<Database> | Transaction<Database>;

/** The return's transfer id and ref: one return per account and year, so a rerun inserts nothing. */
export function jhtReturnTransferId(year: number, kpj: string): string {
  return `jht-return:${year}:${kpj}`;
}
function jhtReturnRef(year: number): string {
  return `jht-return:${year}`;
}

/** Every entry of the accounts of `kpjs`, oldest first (one statement for a whole batch). */
export async function jhtEntriesOf(db: Executor, kpjs: readonly string[]): Promise<Map<string, JhtEntry[]>> {
  const out = new Map<string, JhtEntry[]>(kpjs.map((k) => [k, []]));
  if (kpjs.length === 0) {
    return out;
  }
  const accounts = kpjs.map(jhtAccount);
  const { rows } = await sql<{ account: string; incoming: boolean; code: string; ref: string; amount: string | number; created_at: Date }>`
    select credit_account as account, true as incoming, code, ref, amount, created_at from ledger_transfer
     where credit_account = any (${accounts}::text[])
    union all
    select debit_account as account, false as incoming, code, ref, amount, created_at from ledger_transfer
     where debit_account = any (${accounts}::text[])
    order by created_at, ref
  `.execute(db);
  for (const r of rows) {
    const amount = Number(r.amount);
    const returnYear = r.incoming && r.code === 'jht_return' ? Number(r.ref.split(':')[1]) : null;
    const entry: JhtEntry =
      returnYear !== null
        ? { date: `${returnYear}-12-31`, kind: 'return', amount, year: returnYear }
        : { date: localDateInJakarta(r.created_at), kind: r.incoming ? 'contribution' : 'withdrawal', amount };
    out.get(r.account.slice('jht:'.length))?.push(entry);
  }
  for (const list of out.values()) {
    list.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  }
  return out;
}

export function movementsOf(entries: readonly JhtEntry[]): JhtMovement[] {
  return entries.map((e) => ({ date: e.date, amount: e.kind === 'withdrawal' ? -e.amount : e.amount }));
}

export interface JhtView {
  balance: number;
  accrued: number;
  entries: JhtEntry[];
}

/**
 * A JHT account's balance (contributions + credited returns − withdrawals) and the return of `day`'s year accrued to
 * the end of the day before `day` (WIB) at the last announced rate, not yet credited — what a withdrawal approved on
 * `day` pays on top of the balance (domain-rules.md "JHT return during a year"), and what GET /me/jht shows for today.
 */
export async function jhtBalanceAndAccrual(db: Executor, kpj: string, day: LocalDate): Promise<JhtView> {
  const entries = (await jhtEntriesOf(db, [kpj])).get(kpj) ?? [];
  const movements = movementsOf(entries);
  const balance = movements.reduce((s, m) => s + m.amount, 0);
  const year = yearOf(day);
  const lastRateBp = lastAnnouncedRate(await loadJhtRates(db));
  const accrued = accruedReturn({ year, ...splitAtYear(year, movements), through: addDays(day, -1), lastRateBp });
  return { balance, accrued, entries: [...entries].reverse() };
}

/** GET /me/jht: balance, this year's accrual to the end of yesterday, the entries newest first. */
export async function getJhtView(deps: Deps, participantId: string): Promise<JhtView | null> {
  const member = await deps.db.selectFrom('participant').select('kpj').where('id', '=', participantId).executeTakeFirst();
  return member ? jhtBalanceAndAccrual(deps.db, member.kpj, localDateInJakarta(deps.clock.now())) : null;
}

/**
 * One batch of the year's crediting job (jobs/monthly-cycle.ts, `jht-returns:<year>`): the participants after
 * `cursor` through `until` in id order, at most `limit`; each account's return for `year` (its movements read in one
 * statement, the rule in domain/jht-return.ts) posted jht_investment → jht:<kpj> in one insert, id
 * jht-return:<year>:<kpj> (a rerun or a resumed job inserts nothing). The rate is applied (frozen) in the batch's
 * transaction; while it is not entered nothing is credited (`waiting`).
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
  if (rateBp === null) {
    return { lastId, scanned: members.length, counts: { credited: 0, amount: 0, waiting: members.length } };
  }
  const entries = await jhtEntriesOf(trx, members.map((m) => m.kpj));
  const ref = jhtReturnRef(input.year);
  const rows = [...entries].flatMap(([kpj, list]) => {
    const own = list.filter((e) => !(e.kind === 'return' && e.year === input.year));
    const amount = yearReturn({ year: input.year, ...splitAtYear(input.year, movementsOf(own)), rateBp }) ?? 0;
    return amount > 0
      ? [{ id: jhtReturnTransferId(input.year, kpj), debit_account: JHT_INVESTMENT_ACCOUNT, credit_account: jhtAccount(kpj), amount, code: 'jht_return', ref, created_at: input.now }]
      : [];
  });
  const inserted = rows.length === 0 ? [] : await trx.insertInto('ledger_transfer').values(rows).onConflict((oc) => oc.column('id').doNothing()).returning('amount').execute();
  const amount = inserted.reduce((s, r) => s + Number(r.amount), 0);
  return { lastId, scanned: members.length, counts: { credited: inserted.length, amount, waiting: 0 } };
}
