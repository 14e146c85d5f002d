import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/database.js';
import type { LocalDate, Month } from '../../shared/month.js';
import type { DayCount, StatusPoint } from './figures.js';

/**
 * THE dashboard queries, every one set-based with date bounds so each answers within a second at 1,000,000 members
 * on PostgreSQL (bench/dashboards.ts times them; the indexes are migration 2026-12-07T1430-dashboard-indexes). WIB
 * days and months are formed in SQL as `(instant at time zone 'UTC') + 7 hours` (no time-zone database needed).
 */
type Db = Kysely<Database>;

const wibDay = (col: string) => sql.raw(`to_char((${col} at time zone 'UTC') + interval '7 hours', 'YYYY-MM-DD')`);

/** Members who joined in [start, end), per WIB day × registration channel × branch. */
export async function newMemberRows(db: Db, start: Date, end: Date): Promise<{ byChannel: DayCount[]; byBranch: DayCount[] }> {
  const { rows } = await sql<{ day: string; channel: string; branch: string; n: number }>`
    select ${wibDay('p.created_at')} as day, r.channel, p.branch_code as branch, count(*)::int as n
    from participant p join registration r on r.id = p.registration_id
    where p.created_at >= ${start} and p.created_at < ${end}
    group by 1, 2, 3`.execute(db);
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
  const values = sql.join(dates.map((d, i) => sql`(${d}::date, ${i === 0 ? new Date(0) : ends[i - 1]}::timestamptz, ${ends[i]}::timestamptz)`));
  // The two statements are independent: run side by side on two pooled connections.
  const [joined, status] = await Promise.all([
    sql<{ date: string; n: number }>`
      with d(date, from_at, to_at) as (values ${values})
      select d.date::text as date,
             (select count(*) from participant p where p.created_at >= d.from_at and p.created_at < d.to_at)::int as n
      from d order by d.date`.execute(db),
    // Each change holds from its effective date until the participant's next one (lead over
    // membership_status_change_history_idx, index-only); the intervals are grouped before meeting the dates.
    sql<{ date: string; arrears: number; inactive: number }>`
      with d(date) as (values ${sql.join(dates.map((x) => sql`(${x}::date)`))}),
      c as (
        select to_status, since, until, count(*) as n
        from (
          select to_status, effective_date as since, lead(effective_date) over (partition by participant_id order by id) as until
          from membership_status_change
        ) x
        where to_status in ('arrears', 'inactive')
        group by 1, 2, 3
      )
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
  const values = sql.join(months.map((m, i) => sql`(${m}, ${starts[i]}::timestamptz, ${starts[i + 1]}::timestamptz)`));
  // Billed and collected are independent: two statements side by side on two pooled connections.
  const [billed, collected] = await Promise.all([
    sql<{ m: string; amount: string }>`
      with w(m, s, e) as (values ${values})
      select w.m, (select coalesce(sum(b.amount), 0) from bill b where b.created_at >= w.s and b.created_at < w.e and b.status <> 'cancelled')::bigint as amount
      from w`.execute(db),
    sql<{ m: string; amount: string }>`
      with w(m, s, e) as (values ${values})
      select w.m, (select coalesce(sum(t.amount), 0) from ledger_transfer t
        where t.code in ('contribution_jkk', 'contribution_jkm', 'contribution_jht') and t.created_at >= w.s and t.created_at < w.e)::bigint as amount
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
