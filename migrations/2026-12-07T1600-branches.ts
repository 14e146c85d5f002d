import { sql, type Kysely } from 'kysely';
import { BRANCHES } from '../src/modules/reference/branches.js';

/**
 * Branch offices become admin-maintained reference data (issue 16): the table `branch`, seeded here from the code
 * list src/modules/reference/branches.ts (which stays as this seed: later branches are added on the console's
 * "Kantor & titik layanan" pages, not in the code). A code is stored with participants, registrations, service points
 * and staff accounts: never deleted, renamed or reused, deactivated instead (`active`). Each write audited.
 * Frozen once shipped, like every migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table branch (
      code text primary key check (code ~ '^[A-Z0-9]+(-[A-Z0-9]+)*$' and length(code) <= 40),
      name text not null check (length(name) between 1 and 120),
      city text not null check (length(city) between 1 and 80),
      province text not null check (length(province) between 1 and 80),
      active boolean not null default true,
      updated_by text not null,
      updated_at timestamptz not null
    )
  `.execute(db);
  const at = new Date('2026-12-07T16:00:00Z');
  await db
    .insertInto('branch')
    .values(BRANCHES.map((b) => ({ code: b.code, name: b.name, city: b.city, province: b.province, active: true, updated_by: 'migration', updated_at: at })))
    .execute();
}
