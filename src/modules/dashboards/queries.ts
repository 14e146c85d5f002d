import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/database.js';
import { localDateInJakarta, type LocalDate, type Month } from '../../shared/month.js';
import type { DayCount, StatusPoint } from './figures.js';
import { rollupState, statusIntervalsSql, statusRollupCurrent, type RollupState } from './rollup.js';

/**
 * THE dashboard queries, every one set-based with date bounds so each answers within a second at 1,000,000 members
 * on PostgreSQL (bench/dashboards.ts times them, in `npm run bench`; the indexes are migration 2026-12-07T1430-dashboard-indexes;
 * closed days and the status intervals come from the daily rollup, rollup.ts, and only the days after it are read live). WIB
 * days and months are formed in SQL as `(instant at time zone 'UTC') + 7 hours` (no time-zone database needed).
 */
type Db = Kysely<Database>;

/** The rollup's last day and the first instant read live; without a rollup, nothing rolled up and everything live. */
const reach = (state: RollupState | null) => (state ? { through: state.through, liveFrom: state.liveFrom } : { through: '1969-12-31', liveFrom: new Date(0) });

const wibDay = (col: string) => sql.raw(`to_char((${col} at time zone 'UTC') + interval '7 hours', 'YYYY-MM-DD')`);

/** Members who joined in [start, end) (WIB day starts), per WIB day × registration channel × branch: rolled-up days, then live. */
export async function newMemberRows(db: Db, start: Date, end: Date): Promise<{ byChannel: DayCount[]; byBranch: DayCount[] }> {
  const state = await rollupState(db);
  const liveStart = state && state.liveFrom > start ? state.liveFrom : start;
  type Row = { day: string; channel: string; branch: string; n: number };
  const [rolled, live] = await Promise.all([
    liveStart > start && state
      ? sql<Row>`
          select to_char(day, 'YYYY-MM-DD') as day, channel, branch_code as branch, n::int as n from dashboard_day_rollup
          where figure = 'new_members' and day >= ${localDateInJakarta(start)}::date and day < ${localDateInJakarta(end)}::date and day <= ${state.through}::date`.execute(db)
      : { rows: [] as Row[] },
    liveStart < end
      ? sql<Row>`
          select ${wibDay('p.created_at')} as day, r.channel, p.branch_code as branch, count(*)::int as n
          from participant p join registration r on r.id = p.registration_id
          where p.created_at >= ${liveStart} and p.created_at < ${end}
          group by 1, 2, 3`.execute(db)
      : { rows: [] as Row[] },
  ]);
  const rows = [...rolled.rows, ...live.rows];
  return {
    byChannel: rows.map((r) => ({ day: r.day, key: r.channel, count: r.n })),
    byBranch: rows.map((r) => ({ day: r.day, key: r.branch, count: r.n })),
  };
}

/**
 * Members, and those in arrears or inactive, at the end of each date (`ends[i]` = the instant the day after
 * `dates[i]` starts, WIB). The status is the last recorded change effective by the date (none = active): each change
 * holds from its effective date until the participant's next one (one pass over membership_status_change).
 */
export async function statusPoints(db: Db, dates: readonly LocalDate[], ends: readonly Date[]): Promise<StatusPoint[]> {
  if (dates.length === 0) {
    return [];
  }
  const state = await rollupState(db);
  const { through, liveFrom } = reach(state);
  const values = sql.join(
    dates.map((d, i) => {
      const from = i === 0 ? new Date(0) : (ends[i - 1] as Date);
      return sql`(${d}::date, ${from}::timestamptz, ${ends[i]}::timestamptz, ${localDateInJakarta(from)}::date, ${localDateInJakarta(ends[i] as Date)}::date)`;
    }),
  );
  // The status intervals from the rollup while no status change was recorded since its refresh, else live.
  const intervals = (await statusRollupCurrent(db, state)) ? sql`select to_status, since, until, n from dashboard_status_interval` : statusIntervalsSql(null);
  // The two statements are independent: run side by side on two pooled connections.
  const [joined, status] = await Promise.all([
    sql<{ date: string; n: number }>`
      with d(date, from_at, to_at, from_day, to_day) as (values ${values})
      select d.date::text as date,
             ((select coalesce(sum(r.n), 0) from dashboard_day_rollup r
               where r.figure = 'new_members' and r.day >= d.from_day and r.day < d.to_day and r.day <= ${through}::date)
              + (select count(*) from participant p where p.created_at >= greatest(d.from_at, ${liveFrom}::timestamptz) and p.created_at < d.to_at))::int as n
      from d order by d.date`.execute(db),
    // Each change holds from its effective date until the participant's next one (lead over
    // membership_status_change_history_idx, index-only); the intervals are grouped before meeting the dates.
    sql<{ date: string; arrears: number; inactive: number }>`
      with d(date) as (values ${sql.join(dates.map((x) => sql`(${x}::date)`))}),
      c as (${intervals})
      select d.date::text as date,
             coalesce(sum(c.n) filter (where c.to_status = 'arrears'), 0)::int as arrears,
             coalesce(sum(c.n) filter (where c.to_status = 'inactive'), 0)::int as inactive
      from d left join c on c.since <= d.date and (c.until is null or c.until > d.date)
      group by d.date order by d.date`.execute(db),
  ]);
  let running = 0;
  return dates.map((date, i) => {
    running += joined.rows[i]?.n ?? 0;
    const s = status.rows.find((r) => r.date === date);
    return { date, total: running, arrears: s?.arrears ?? 0, inactive: s?.inactive ?? 0 };
  });
}

/**
 * Billed (bills issued, not cancelled) and collected (contribution transfers of the ledger) per WIB month: `months[i]`
 * runs over [starts[i], starts[i + 1]). One index range per month (bill_created_idx, ledger_transfer_code_created_idx,
 * both covering the amount), no per-row date formatting.
 */
export async function moneyRows(db: Db, months: readonly Month[], starts: readonly Date[]): Promise<{ billed: Map<Month, number>; collected: Map<Month, number> }> {
  const { through, liveFrom } = reach(await rollupState(db));
  const values = sql.join(
    months.map((m, i) => sql`(${m}, ${starts[i]}::timestamptz, ${starts[i + 1]}::timestamptz, ${localDateInJakarta(starts[i] as Date)}::date, ${localDateInJakarta(starts[i + 1] as Date)}::date)`),
  );
  const rolled = (figure: 'billed' | 'collected') =>
    sql`(select coalesce(sum(r.n), 0) from dashboard_day_rollup r where r.figure = ${figure} and r.day >= w.sd and r.day < w.ed and r.day <= ${through}::date)`;
  // Billed and collected are independent: two statements side by side on two pooled connections.
  const [billed, collected] = await Promise.all([
    sql<{ m: string; amount: string }>`
      with w(m, s, e, sd, ed) as (values ${values})
      select w.m, (${rolled('billed')} + (select coalesce(sum(b.amount), 0) from bill b
        where b.created_at >= greatest(w.s, ${liveFrom}::timestamptz) and b.created_at < w.e and b.status <> 'cancelled'))::bigint as amount
      from w`.execute(db),
    sql<{ m: string; amount: string }>`
      with w(m, s, e, sd, ed) as (values ${values})
      select w.m, (${rolled('collected')} + (select coalesce(sum(t.amount), 0) from ledger_transfer t
        where t.code in ('contribution_jkk', 'contribution_jkm', 'contribution_jht') and t.created_at >= greatest(w.s, ${liveFrom}::timestamptz) and t.created_at < w.e))::bigint as amount
      from w`.execute(db),
  ]);
  const toMap = (rows: { m: string; amount: string }[]) => new Map(rows.map((r) => [r.m, Number(r.amount)]));
  return { billed: toMap(billed.rows), collected: toMap(collected.rows) };
}

/** Claims per status × whole days since filing at `now`, with the sum of their totals (rupiah; null totals as 0). */
export async function claimRows(db: Db, now: Date): Promise<{ status: string; ageDays: number; count: number; amount: number }[]> {
  const { rows } = await sql<{ status: string; age: number; n: number; amount: string }>`
    select status, floor(extract(epoch from (${now}::timestamptz - submitted_at)) / 86400)::int as age,
           count(*)::int as n, coalesce(sum(total), 0)::bigint as amount
    from claim where submitted_at <= ${now} group by 1, 2`.execute(db);
  return rows.map((r) => ({ status: r.status, ageDays: Math.max(0, r.age), count: r.n, amount: Number(r.amount) }));
}

/** Payouts per status with their count and sum (rupiah). */
export async function payoutRows(db: Db): Promise<{ status: string; count: number; amount: number }[]> {
  const { rows } = await sql<{ status: string; n: number; amount: string }>`
    select status, count(*)::int as n, coalesce(sum(amount), 0)::bigint as amount from payout group by 1 order by 1`.execute(db);
  return rows.map((r) => ({ status: r.status, count: r.n, amount: Number(r.amount) }));
}
