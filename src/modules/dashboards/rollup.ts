import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/database.js';
import { addDays, localDateInJakarta, type LocalDate } from '../../shared/month.js';
import { wibDayStart } from './figures.js';

/**
 * The dashboards' rollup (migration 2026-12-07T1540-dashboard-rollup): closed WIB days' totals, and the status
 * intervals, so each figure reads a few hundred rows instead of scanning a year of members, bills and ledger
 * transfers. Refreshed once a day by the daily cycle's status job after the day's status changes; the figures read
 * the days after `through` live (queries.ts), so what they show is the same as a live read, but for rows changed on an
 * already rolled-up day since (a bill cancelled later, a participant's branch changed): those show from the next
 * refresh. Without a refresh (a fresh database, the tests) everything is read live.
 */
type Db = Kysely<Database>;

/** How many closed days a full refresh rewrites: more than the longest window (12 months) with room. */
export const ROLLUP_DAYS = 400;
/** How many closed days a daily refresh rewrites when the last refresh is at most that old (else a full one). */
export const ROLLUP_RECENT_DAYS = 35;

export interface RollupState {
  /** The last WIB day in the rollup. */
  through: LocalDate;
  /** The first instant read live: the start of the day after `through` (WIB). */
  liveFrom: Date;
  /** The status intervals are current while no status change has an id above this. */
  statusMaxId: number;
}

const wibDate = (col: string) => sql.raw(`((${col} at time zone 'UTC') + interval '7 hours')::date`);

/** The rollup's reach, or null when it was never refreshed. */
export async function rollupState(db: Db): Promise<RollupState | null> {
  const row = await db.selectFrom('dashboard_rollup_state').select(['through', 'status_max_id']).where('id', '=', 1).executeTakeFirst();
  return row ? { through: row.through, liveFrom: wibDayStart(addDays(row.through, 1)), statusMaxId: Number(row.status_max_id) } : null;
}

/** Whether the status intervals were rolled up after the last status change (one probe of the primary key). */
export async function statusRollupCurrent(db: Db, state: RollupState | null): Promise<boolean> {
  if (!state) {
    return false;
  }
  const { rows } = await sql<{ max: string | null }>`select max(id)::int8 as max from membership_status_change`.execute(db);
  return Number(rows[0]?.max ?? 0) === state.statusMaxId;
}

/** The status intervals as statusPoints groups them (each change until the participant's next), up to a change id. */
export const statusIntervalsSql = (maxId: number | null) => sql`
  select to_status, since, until, count(*) as n
  from (
    select to_status, effective_date as since, lead(effective_date) over (partition by participant_id order by id) as until
    from membership_status_change ${maxId === null ? sql`` : sql`where id <= ${maxId}`}
  ) x
  where to_status in ('arrears', 'inactive')
  group by 1, 2, 3`;

/**
 * Rewrites the closed WIB days before `now` and the status intervals, in one transaction. Daily (the last refresh at
 * most ROLLUP_RECENT_DAYS old): the last ROLLUP_RECENT_DAYS days of every figure. Full (the first, or after a gap):
 * new members by channel × branch since the start (the status figure counts every member who joined before a date),
 * billed and collected over the last ROLLUP_DAYS. A change to a day older than the daily reach (a bill cancelled more
 * than ROLLUP_RECENT_DAYS after it was issued) shows after the next full refresh. Idempotent.
 */
export async function refreshDashboardRollup(db: Db, now: Date): Promise<{ through: LocalDate; rows: number; full: boolean }> {
  const today = localDateInJakarta(now);
  const through = addDays(today, -1);
  const recent = addDays(today, -ROLLUP_RECENT_DAYS);
  const last = await rollupState(db);
  const full = !last || last.through < addDays(recent, -1);
  const from = full ? addDays(today, -ROLLUP_DAYS) : recent;
  const start = wibDayStart(from);
  const end = wibDayStart(today);
  return db.transaction().execute(async (trx) => {
    const maxId = Number((await sql<{ max: string | null }>`select max(id)::int8 as max from membership_status_change`.execute(trx)).rows[0]?.max ?? 0);
    await sql`delete from dashboard_day_rollup where day >= ${from}::date ${full ? sql`or figure = 'new_members'` : sql``}`.execute(trx);
    await sql`delete from dashboard_status_interval`.execute(trx);
    const written = await Promise.all([
      sql`insert into dashboard_day_rollup (figure, day, channel, branch_code, n)
        select 'new_members', ${wibDate('p.created_at')}, r.channel, p.branch_code, count(*)
        from participant p join registration r on r.id = p.registration_id
        where p.created_at < ${end} ${full ? sql`` : sql`and p.created_at >= ${start}`} group by 2, 3, 4`.execute(trx),
      sql`insert into dashboard_day_rollup (figure, day, n)
        select 'billed', ${wibDate('created_at')}, sum(amount) from bill
        where created_at >= ${start} and created_at < ${end} and status <> 'cancelled' group by 2`.execute(trx),
      sql`insert into dashboard_day_rollup (figure, day, n)
        select 'collected', ${wibDate('created_at')}, sum(amount) from ledger_transfer
        where code in ('contribution_jkk', 'contribution_jkm', 'contribution_jht') and created_at >= ${start} and created_at < ${end} group by 2`.execute(trx),
      sql`insert into dashboard_status_interval (to_status, since, until, n) ${statusIntervalsSql(maxId)}`.execute(trx),
    ]);
    await sql`insert into dashboard_rollup_state (id, through, status_max_id, refreshed_at) values (1, ${through}::date, ${maxId}, ${now})
      on conflict (id) do update set through = excluded.through, status_max_id = excluded.status_max_id, refreshed_at = excluded.refreshed_at`.execute(trx);
    return { through, full, rows: written.reduce((a, r) => a + Number(r.numAffectedRows ?? 0), 0) };
  });
}
