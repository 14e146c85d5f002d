import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely } from 'kysely';
import type { Database } from './database.js';
import { lockMigrations } from './advisory-lock.js';

/**
 * The database functions as source files (docs/architecture.md "Database functions"): src/db/functions/<name>.sql holds
 * the current definition of the function <name>, idempotent (`create or replace function …`, after a
 * `drop function if exists <old signature>` when the signature changes). Changing a function is a reviewed diff of its
 * file, never a copy of the whole function into a new migration.
 *
 * A repeatable step after the migrations (like Flyway's R__ migrations): every file whose sha256 differs from the one
 * `db_function_source` records is applied, in file-name order, each in its own transaction together with the upsert
 * of its checksum; a file that has not changed is skipped (a start with nothing changed only reads the table). It
 * takes the migrator's lock, so two servers starting at once apply a file once and never beside a migration.
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

/** Applies the files that changed since they were last applied; returns their names, in the order applied. */
export async function applyFunctionSources(db: Kysely<Database>, dir = FUNCTIONS_DIR, now = new Date()): Promise<string[]> {
  const sources = readFunctionSources(dir);
  const recorded = new Map((await db.selectFrom('db_function_source').select(['name', 'sha256']).execute()).map((r) => [r.name, r.sha256]));
  const applied: string[] = [];
  for (const source of sources.filter((s) => recorded.get(s.name) !== s.sha256)) {
    const done = await db.transaction().execute(async (trx) => {
      await lockMigrations(trx);
      // Read again under the lock: another server may have applied this very text meanwhile.
      const current = await trx.selectFrom('db_function_source').select('sha256').where('name', '=', source.name).executeTakeFirst();
      if (current?.sha256 === source.sha256) {
        return false;
      }
      await sql.raw(source.text).execute(trx);
      await trx
        .insertInto('db_function_source')
        .values({ name: source.name, sha256: source.sha256, applied_at: now })
        .onConflict((oc) => oc.column('name').doUpdateSet({ sha256: source.sha256, applied_at: now }))
        .execute();
      return true;
    });
    if (done) {
      applied.push(source.name);
    }
  }
  return applied;
}
