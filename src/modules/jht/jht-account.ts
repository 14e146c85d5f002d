import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { addDays, localDateInJakarta, type LocalDate } from '../../shared/month.js';
import { jhtAccount } from '../ledger/index.js';
import { accruedReturn, lastAnnouncedRate, splitAtYear, yearOf, type JhtMovement } from './domain/jht-return.js';
import { loadJhtRates } from './jht-rates.js';

/**
 * A member's JHT account `jht:<kpj>`, read from the ledger (never stored elsewhere): contributions (credited when a
 * payment settles, dated by the WIB day of the settlement), returns (`jht_return`, dated 31 December of their year;
 * `jht_interim_return`, paid with a full withdrawal, dated the day it was posted) and withdrawals (any debit of the
 * account; claims post them).
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

/**
 * Every entry of the account `jht:<kpj>`, oldest first, and the interim returns (`jht_interim_return`, a full
 * withdrawal's accrued return, ref jht-interim:<year>) by year. An interim return is a `return` entry of its year,
 * dated the day it was posted.
 */
export async function jhtLedgerOf(db: Executor, kpj: string): Promise<{ entries: JhtEntry[]; interimByYear: Map<number, number> }> {
  const account = jhtAccount(kpj);
  const { rows } = await sql<{ incoming: boolean; code: string; ref: string; amount: string | number; created_at: Date }>`
    select true as incoming, code, ref, amount, created_at from ledger_transfer where credit_account = ${account}
    union all
    select false as incoming, code, ref, amount, created_at from ledger_transfer where debit_account = ${account}
    order by created_at, incoming desc, ref
  `.execute(db);
  const entries: JhtEntry[] = [];
  const interimByYear = new Map<number, number>();
  for (const r of rows) {
    const amount = Number(r.amount);
    const day = localDateInJakarta(r.created_at);
    const refYear = Number(r.ref.split(':')[1]);
    if (r.incoming && r.code === 'jht_return') {
      entries.push({ date: `${refYear}-12-31`, kind: 'return', amount, year: refYear });
    } else if (r.incoming && r.code === 'jht_interim_return') {
      entries.push({ date: day, kind: 'return', amount, year: refYear });
      interimByYear.set(refYear, (interimByYear.get(refYear) ?? 0) + amount);
    } else {
      entries.push({ date: day, kind: r.incoming ? 'contribution' : 'withdrawal', amount });
    }
  }
  entries.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { entries, interimByYear };
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
  const { entries, interimByYear } = await jhtLedgerOf(db, kpj);
  const movements = movementsOf(entries);
  const balance = movements.reduce((s, m) => s + m.amount, 0);
  const year = yearOf(day);
  const lastRateBp = lastAnnouncedRate(await loadJhtRates(db));
  const interimReturns = interimByYear.get(year) ?? 0;
  const accrued = accruedReturn({ year, ...splitAtYear(year, movements), through: addDays(day, -1), lastRateBp, interimReturns });
  return { balance, accrued, entries: [...entries].reverse() };
}

/** GET /me/jht: balance, this year's accrual to the end of yesterday, the entries newest first. */
export async function getJhtView(deps: Deps, participantId: string): Promise<JhtView | null> {
  const member = await deps.db.selectFrom('participant').select('kpj').where('id', '=', participantId).executeTakeFirst();
  return member ? jhtBalanceAndAccrual(deps.db, member.kpj, localDateInJakarta(deps.clock.now())) : null;
}
