import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { AppError } from '../../http/errors.js';
import { recordStaffAction } from '../audit/index.js';

/**
 * The JHT return rate of each year (table jht_rate), in basis points, entered by an administrator as BPJS announces
 * it. The crediting job sets `applied_at` in the transaction of its first batch for the year: from then on the rate
 * is frozen (409 rate_already_applied), so every account of a year is credited at the same rate.
 */
export interface JhtRate {
  year: number;
  rateBp: number;
  setAt: Date;
  setBy: string;
  appliedAt: Date | null;
}

type Executor = Kysely<Database> | Transaction<Database>;

function toRate(r: { year: number; rate_bp: number; set_at: Date; set_by: string; applied_at: Date | null }): JhtRate {
  return { year: r.year, rateBp: r.rate_bp, setAt: r.set_at, setBy: r.set_by, appliedAt: r.applied_at };
}

/** Every entered rate, by year. */
export async function loadJhtRates(db: Executor): Promise<Map<number, number>> {
  const rows = await db.selectFrom('jht_rate').select(['year', 'rate_bp']).orderBy('year').execute();
  return new Map(rows.map((r) => [r.year, r.rate_bp]));
}

/**
 * Enters or replaces the rate of a year, audited in the same transaction (before/after). The year's row is locked
 * first, so a crediting batch that applies it either ran before (409 here) or waits and applies the new rate.
 */
export async function putJhtRate(deps: Deps, input: { year: number; rateBp: number; actor: string }): Promise<JhtRate> {
  return deps.db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const found = await trx.selectFrom('jht_rate').selectAll().where('year', '=', input.year).forUpdate().executeTakeFirst();
    const before = found ? toRate(found) : null;
    if (before?.appliedAt) {
      throw new AppError('rate_already_applied', 'year', `credited at ${before.rateBp} bp since ${before.appliedAt.toISOString()}`);
    }
    const row = await trx
      .insertInto('jht_rate')
      .values({ year: input.year, rate_bp: input.rateBp, set_at: now, set_by: input.actor, applied_at: null })
      .onConflict((oc) => oc.column('year').doUpdateSet({ rate_bp: input.rateBp, set_at: now, set_by: input.actor }))
      .returningAll()
      .executeTakeFirstOrThrow();
    const after = toRate(row);
    await recordStaffAction(trx, {
      actor: input.actor,
      action: 'jht_rate.put',
      subject: `jht_rate:${input.year}`,
      reason: null,
      detail: { year: input.year, rateBp: input.rateBp, previousRateBp: before?.rateBp ?? null },
      before: before ? { rateBp: before.rateBp, setBy: before.setBy, setAt: before.setAt.toISOString() } : null,
      after: { rateBp: after.rateBp, setBy: after.setBy, setAt: after.setAt.toISOString() },
      at: now,
    });
    return after;
  });
}

/**
 * The rate of `year` for a crediting batch, marking it applied (frozen) in the batch's transaction; null while not
 * entered (crediting waits).
 */
export async function applyJhtRate(trx: Transaction<Database>, year: number, now: Date): Promise<number | null> {
  const read = await trx.selectFrom('jht_rate').select(['rate_bp', 'applied_at']).where('year', '=', year).executeTakeFirst();
  if (!read || read.applied_at !== null) {
    // Applied (committed, so frozen): no row lock, so the lanes of the job do not queue on the year's row.
    return read?.rate_bp ?? null;
  }
  const row = await trx
    .updateTable('jht_rate')
    .set((eb) => ({ applied_at: eb.fn.coalesce('applied_at', eb.val(now)) }))
    .where('year', '=', year)
    .returning('rate_bp')
    .executeTakeFirst();
  return row?.rate_bp ?? null;
}

/**
 * The years before `year` whose crediting may run, ascending: those with a rate entered, up to the first gap (a year
 * without a rate waits, and so do the years after it: their opening balances include its return).
 */
export async function ratedYearsBefore(db: Executor, year: number): Promise<number[]> {
  const rows = await db.selectFrom('jht_rate').select('year').where('year', '<', year).orderBy('year').execute();
  const years = rows.map((r) => r.year);
  return years.filter((y, i) => years.slice(0, i + 1).every((z, k) => z === (years[0] as number) + k));
}

/** Every entered rate with who set it and whether crediting applied it, newest year first (the staff console). */
export async function listJhtRates(db: Executor): Promise<JhtRate[]> {
  const rows = await db.selectFrom('jht_rate').selectAll().orderBy('year', 'desc').execute();
  return rows.map(toRate);
}
