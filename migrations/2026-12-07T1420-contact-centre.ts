import { sql, type Kysely } from 'kysely';

/**
 * Contact centre (issue 16 item 4). Frozen once shipped.
 *
 * 1. `complaint`: a member's complaint ticket (pengaduan) opened by the contact centre: a category, a description, open
 *    until resolved (with a resolution), and an SLA due instant computed when it is opened. Distributed by
 *    `participant_id` with the member's other rows (scripts/citus/layout.ts).
 * 2. An index for the staff search by name and birth date (case- and space-insensitive name: the search normalises
 *    the name the same way before comparing).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table complaint (
      id text not null,
      participant_id text not null references participant (id),
      category text not null check (category in ('payment', 'card', 'claim', 'data', 'service', 'other')),
      description text not null check (length(description) between 1 and 2000),
      status text not null default 'open' check (status in ('open', 'resolved')),
      opened_at timestamptz not null,
      sla_due_at timestamptz not null,
      opened_by text not null,
      resolved_at timestamptz,
      resolved_by text,
      resolution text,
      primary key (participant_id, id),
      unique (id),
      check ((status = 'resolved') = (resolved_at is not null and resolution is not null))
    );
    create index complaint_open_sla on complaint (sla_due_at) where status = 'open';
    create index participant_name_birth on participant (lower(regexp_replace(full_name, '\\s+', ' ', 'g')), birth_date);
  `.execute(db);
}
