import { sql, type Kysely } from 'kysely';

/**
 * The record of the repeatable step that applies src/db/functions/*.sql after the migrations (src/db/function-sources.ts;
 * docs/architecture.md "Database functions"): one row per file, the sha256 of the text last applied. A file whose
 * checksum differs is applied again; one that matches is skipped. Frozen once shipped, like every migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table db_function_source (
      name text primary key,
      sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
      applied_at timestamptz not null
    );
  `.execute(db);
}
