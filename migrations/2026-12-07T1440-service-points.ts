import { sql, type Kysely } from 'kysely';

/**
 * Service points (issue 16 item 7): where members are served — a bank's SPO desk (`spo`) or a branch office counter
 * (`branch_counter`). Each belongs to a branch. The branches themselves stay code data (src/modules/reference/
 * branches.ts, shipped with the code and checked at registration); a service point names its branch by code and the
 * application checks the code against that list. Admin-maintained, never deleted (deactivated instead, `active`),
 * each write audited. Frozen once shipped, like every migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table service_point (
      code text primary key check (code ~ '^[A-Z0-9][A-Z0-9-]{1,39}$'),
      branch_code text not null,
      kind text not null check (kind in ('spo', 'branch_counter')),
      name text not null check (length(name) between 1 and 200),
      active boolean not null default true,
      updated_by text not null,
      updated_at timestamptz not null
    );
    create index service_point_branch_idx on service_point (branch_code);
  `.execute(db);
}
