import { sql, type Kysely } from 'kysely';

/**
 * The counter queue (issue 16 item 2, antrean loket). Frozen once shipped.
 *
 * `queue_ticket`: a number taken at a branch (`branch_code`; `service_point` is null until issue 16's service points
 * get queues of their own), numbered from 1 each WIB day, for a purpose; called by a counter officer at a desk, then
 * served or a no-show. `queue_day_counter` hands out the numbers: one row per branch, service point ('' for the
 * branch itself) and day, bumped atomically (`insert … on conflict do update … returning`).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table queue_day_counter (
      branch_code text not null,
      service_point text not null default '',
      day date not null,
      last_number integer not null check (last_number > 0),
      primary key (branch_code, service_point, day)
    );
    create table queue_ticket (
      id text primary key,
      branch_code text not null,
      service_point text,
      day date not null,
      number integer not null check (number > 0),
      purpose text not null check (purpose in ('registration', 'payment', 'claim', 'other')),
      status text not null default 'waiting' check (status in ('waiting', 'called', 'served', 'no_show')),
      taken_at timestamptz not null,
      taken_by text not null,
      called_at timestamptz,
      called_by text,
      desk text,
      ended_at timestamptz,
      ended_by text,
      check ((status = 'waiting') = (called_at is null)),
      check ((status in ('served', 'no_show')) = (ended_at is not null))
    );
    create unique index queue_ticket_number on queue_ticket (branch_code, coalesce(service_point, ''), day, number);
    create index queue_ticket_waiting on queue_ticket (branch_code, day, number) where status = 'waiting';
  `.execute(db);
}
