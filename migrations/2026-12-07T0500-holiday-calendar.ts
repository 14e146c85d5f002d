import { sql, type Kysely } from 'kysely';

/**
 * The holiday calendar as administrator-maintained data (issue 13; domain-rules.md "Holidays", second release): one
 * row per year entered from its official decree (SKB 3 Menteri), and that year's holidays. A year without a row has
 * no holidays (due dates skip weekends only). Staff replace a year's list with PUT /api/v1/staff/holidays/{year};
 * the years whose decree the rule book carries are inserted by contributions/holiday-calendar.ts when missing.
 * Frozen once shipped, like every migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table holiday_year (
      year integer primary key check (year between 2000 and 2999),
      decree text not null check (length(decree) > 0),
      entered_by text not null,
      entered_at timestamptz not null
    );
    create table holiday (
      date date primary key,
      year integer not null references holiday_year (year) on delete cascade,
      name text not null check (length(name) > 0),
      kind text not null check (kind in ('national_holiday', 'joint_leave')),
      check (extract(year from date)::integer = year)
    );
    create index holiday_by_year_idx on holiday (year, date);
  `.execute(db);
}
