import { sql, type Kysely } from 'kysely';
import type { TableDescription } from './rules.js';

/** Column lists as JSON arrays (PGlite and node-postgres both decode json; name[] arrays they may not). */
const COLUMNS_OF = (rel: string, keys: string) =>
  `(select coalesce(json_agg(a.attname::text order by key.ord), '[]') from unnest(${keys}) with ordinality as key(attnum, ord)
     join pg_attribute a on a.attrelid = ${rel} and a.attnum = key.attnum)`;

/**
 * The tables of the public schema as the rules see them, read from pg_catalog of a migrated database (PostgreSQL
 * or PGlite): columns with type, nullability and identity; primary keys, unique constraints and unique indexes; foreign
 * keys; user triggers.
 */
export async function describeTables(db: Kysely<any>): Promise<TableDescription[]> {
  const tables = await sql<{ name: string }>`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition order by c.relname`.execute(db);
  const columns = await sql<{ table: string; name: string; type: string; not_null: boolean; identity: boolean }>`
    select c.relname as table, a.attname as name, format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as not_null,
           a.attidentity in ('a', 'd') as identity
      from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind in ('r', 'p') and a.attnum > 0 and not a.attisdropped
     order by c.relname, a.attnum`.execute(db);
  const uniques = await sql<{ table: string; name: string; columns: string[]; primary: boolean; expression: boolean }>`
    select c.relname as table, i.relname as name, ${sql.raw(COLUMNS_OF('x.indrelid', 'x.indkey::int2[]'))} as columns,
           x.indisprimary as primary, (x.indexprs is not null or 0 = any (x.indkey::int2[])) as expression
      from pg_index x join pg_class c on c.oid = x.indrelid join pg_class i on i.oid = x.indexrelid
      join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and x.indisunique order by c.relname, i.relname`.execute(db);
  const foreignKeys = await sql<{ table: string; name: string; columns: string[]; references: string; referenced_columns: string[] }>`
    select c.relname as table, k.conname as name, ${sql.raw(COLUMNS_OF('k.conrelid', 'k.conkey'))} as columns,
           r.relname as references, ${sql.raw(COLUMNS_OF('k.confrelid', 'k.confkey'))} as referenced_columns
      from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_class r on r.oid = k.confrelid
      join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and k.contype = 'f' order by c.relname, k.conname`.execute(db);
  const triggers = await sql<{ table: string; name: string }>`
    select c.relname as table, t.tgname as name from pg_trigger t join pg_class c on c.oid = t.tgrelid
      join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and not t.tgisinternal order by c.relname, t.tgname`.execute(db);

  return tables.rows.map(({ name }) => ({
    name,
    columns: columns.rows.filter((c) => c.table === name).map((c) => ({ name: c.name, type: c.type, notNull: c.not_null, identity: c.identity })),
    uniques: uniques.rows.filter((u) => u.table === name).map((u) => ({ name: u.name, columns: u.columns, primary: u.primary, expression: u.expression })),
    foreignKeys: foreignKeys.rows
      .filter((f) => f.table === name)
      .map((f) => ({ name: f.name, columns: f.columns, references: f.references, referencedColumns: f.referenced_columns })),
    triggers: triggers.rows.filter((t) => t.table === name).map((t) => t.name),
  }));
}
