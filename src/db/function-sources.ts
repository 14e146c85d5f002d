import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './database.js';
import { lockMigrations } from './advisory-lock.js';

/**
 * The database functions as source files (docs/architecture.md "Database functions"): src/db/functions/<name>.sql holds
 * the current definition of the function <name>, idempotent (`create or replace function …`, after a
 * `drop function if exists <old signature>` when the signature changes). Changing a function is a reviewed diff of its
 * file, never a copy of the whole function into a new migration.
 *
 * A repeatable step after the migrations (like Flyway's R__ migrations): every file whose sha256 differs from the one
 * `db_function_source` records is applied, in file-name order, together with the upsert of its checksum, in one
 * transaction; a file that has not changed is skipped (a start with nothing changed only reads the table). It takes
 * the migrator's lock, so two servers starting at once apply a file once and never beside a migration.
 */
export const FUNCTIONS_DIR = fileURLToPath(new URL('./functions/', import.meta.url));

export interface FunctionSource {
  /** The file name without `.sql`: the function's name. */
  name: string;
  text: string;
  sha256: string;
}

/** The .sql files of `dir`, in lexical order of their names. */
export function readFunctionSources(dir = FUNCTIONS_DIR): FunctionSource[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => {
      const text = readFileSync(`${dir}/${f}`, 'utf8');
      return { name: f.slice(0, -'.sql'.length), text, sha256: createHash('sha256').update(text).digest('hex') };
    });
}

/**
 * Applies the files that changed since they were last applied; returns their names, in the order applied. All of
 * them in ONE transaction, each with the upsert of its checksum: a caller and its callee changed together (e.g.
 * lindung_apply_payment and lindung_settle_bill) switch at once, so a server still running never calls a new caller
 * before its new callee exists; a file that fails leaves every function and checksum as it was.
 */
export async function applyFunctionSources(db: Kysely<Database>, dir = FUNCTIONS_DIR, now = new Date()): Promise<string[]> {
  const sources = readFunctionSources(dir);
  const recorded = await checksums(db);
  const changed = sources.filter((s) => recorded.get(s.name) !== s.sha256);
  if (changed.length === 0) {
    return [];
  }
  return db.transaction().execute(async (trx) => {
    await lockMigrations(trx);
    // Read again under the lock: another server may have applied some of them meanwhile.
    const current = await checksums(trx);
    const applied: string[] = [];
    for (const source of changed.filter((s) => current.get(s.name) !== s.sha256)) {
      await sql.raw(source.text).execute(trx);
      await trx
        .insertInto('db_function_source')
        .values({ name: source.name, sha256: source.sha256, applied_at: now })
        .onConflict((oc) => oc.column('name').doUpdateSet({ sha256: source.sha256, applied_at: now }))
        .execute();
      applied.push(source.name);
    }
    return applied;
  });
}

async function checksums(db: Kysely<Database> | Transaction<Database>): Promise<Map<string, string>> {
  return new Map((await db.selectFrom('db_function_source').select(['name', 'sha256']).execute()).map((r) => [r.name, r.sha256]));
}
