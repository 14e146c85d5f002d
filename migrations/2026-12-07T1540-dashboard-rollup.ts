import { sql, type Kysely } from 'kysely';

/**
 * The dashboards' rollup (issue 16: each dashboard query within 1 s at 1,000,000 members). Refreshed once a day by the
 * daily cycle's status job, right after the day's status changes (src/modules/dashboards/rollup.ts):
 * - dashboard_day_rollup: per closed WIB day, new members by registration channel × branch, and the rupiah billed
 *   (bills issued, not cancelled) and collected (contribution transfers) — `n` is members or rupiah;
 * - dashboard_status_interval: each status interval (arrears / inactive, from its effective date until the
 *   participant's next change) grouped, as of the status change with id `status_max_id`;
 * - dashboard_rollup_state: one row, the last closed day rolled up (`through`), when, and `status_max_id`.
 * Daily the last 35 days are rewritten; the first refresh (or one after a gap) rewrites all.
 * The figures read closed days from the rollup and the days after `through` live, and the status intervals only while
 * no status change was recorded since (else live). Frozen once shipped.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table dashboard_day_rollup (
      figure text not null check (figure in ('new_members', 'billed', 'collected')),
      day date not null,
      channel text not null default '',
      branch_code text not null default '',
      n bigint not null,
      primary key (figure, day, channel, branch_code)
    );
    create table dashboard_status_interval (
      to_status text not null,
      since date not null,
      until date,
      n bigint not null
    );
    create table dashboard_rollup_state (
      id bigint primary key check (id = 1),
      through date not null,
      status_max_id bigint not null,
      refreshed_at timestamptz not null
    );
  `.execute(db);
}
