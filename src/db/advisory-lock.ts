import { sql, type Transaction } from 'kysely';
import type { Database } from './database.js';

/**
 * Takes the transaction-scoped advisory lock named `key` (released at commit or rollback): what serialises writers
 * that have no row to lock, or that must agree with a database function taking the same lock — `lindung:person:<nik_hash>`
 * is the per-person lock of the settlement functions (src/db/functions/lindung_apply_payment.sql), so the key text is
 * part of the contract between them. One hash for every caller: hashtextextended(key, 0).
 */
export async function lockKey(trx: Transaction<Database>, key: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(trx);
}

/**
 * Kysely's migration lock on PostgreSQL (kysely/dist/dialect/postgres/postgres-adapter.js `LOCK_ID`, a session-level
 * `pg_advisory_lock` held while migrations run). The repeatable step that applies src/db/functions/*.sql takes the same
 * key, transaction-scoped, so it never runs beside a migration nor beside another server's step.
 */
export const MIGRATION_LOCK_ID = '3853314791062309107';

export async function lockMigrations(trx: Transaction<Database>): Promise<void> {
  await sql`select pg_advisory_xact_lock(${sql.lit(MIGRATION_LOCK_ID)}::int8)`.execute(trx);
}
