import { sql, type Kysely } from 'kysely';

/**
 * Heirs (ahli waris; issue 15 item 4 "Heirs"): the people a member declares in the portal (GET/PUT /api/v1/me/heirs,
 * the page /akun/ahli-waris); staff read them (GET /api/v1/staff/participants/{kpj}/heirs) when filing an heir's
 * claim. Frozen once shipped.
 *
 * `heir`: one row per declared person, `priority` 1..10 the member's order (a PUT replaces the whole list in one
 * transaction). `nik` only when the member gave it (16 digits; the API and the pages show it masked), `phone` only
 * when given (normalised, +62…). Distributed by `participant_id` with the member's other rows (scripts/citus/layout.ts).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table heir (
      id text not null,
      participant_id text not null references participant (id),
      full_name text not null check (length(full_name) between 1 and 100),
      relationship text not null check (relationship in ('spouse', 'child', 'parent', 'sibling', 'other')),
      birth_date date not null,
      phone text check (phone ~ '^[+]62[0-9]{8,13}$'),
      nik text check (nik ~ '^[0-9]{16}$'),
      priority int not null check (priority between 1 and 10),
      created_at timestamptz not null,
      updated_at timestamptz not null,
      primary key (participant_id, id),
      unique (participant_id, priority)
    );
  `.execute(db);
}
