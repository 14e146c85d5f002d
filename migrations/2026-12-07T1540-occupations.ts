import { sql, type Kysely } from 'kysely';
import { OCCUPATIONS } from '../src/modules/reference/occupations.js';

/**
 * Occupations become admin-maintained reference data (issue 16): the table `occupation`, seeded here from the code
 * list src/modules/reference/occupations.ts (which stays as this seed: later occupations are added on the console's
 * Pekerjaan page, not in the code). A code is stored with participants and registrations: never deleted or reused,
 * deactivated instead (`active`); the sector (transport / other) decides PP 50/2025 discounts. Each write audited.
 * Frozen once shipped, like every migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table occupation (
      code text primary key check (code ~ '^[A-Z0-9]+(_[A-Z0-9]+)*$' and length(code) <= 40),
      name text not null check (length(name) between 1 and 120),
      name_en text not null check (length(name_en) between 1 and 120),
      sector text not null check (sector in ('transport', 'other')),
      active boolean not null default true,
      updated_by text not null,
      updated_at timestamptz not null
    )
  `.execute(db);
  const at = new Date('2026-12-07T15:40:00Z');
  await db
    .insertInto('occupation')
    .values(OCCUPATIONS.map((o) => ({ code: o.code, name: o.name, name_en: o.nameEn, sector: o.sector, active: true, updated_by: 'migration', updated_at: at })))
    .execute();
}
