import { sql, type Transaction } from 'kysely';
import type { Database } from './database.js';

/**
 * Takes the transaction-scoped advisory lock named `key` (released at commit or rollback): what serialises writers
 * that have no row to lock, or that must agree with a database function taking the same lock — `lindung:person:<nik>`
 * is the per-person lock of the settlement functions (migrations/…-settlement-rule-fidelity.ts), so the key text is
 * part of the contract between them. One hash for every caller: hashtextextended(key, 0).
 */
export async function lockKey(trx: Transaction<Database>, key: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(trx);
}
