import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, PostgresDialect } from 'kysely';
import { Migrator, type MigrationProvider } from 'kysely/migration';
import pg from 'pg';
import { migrations } from '../../migrations/index.js';
import type { Database } from './database.js';

/**
 * One dialect for both back ends: Kysely's PostgresDialect over node-postgres, either to a PostgreSQL server
 * (DATABASE_URL) or to embedded PGlite through PGlite's own node-postgres adapter (pool of one connection, so
 * transactions are serialised and isolated; `kysely-pglite` shares one session unlocked and is unsafe here).
 */
export type DatabaseHandle = {
  db: Kysely<Database>;
  kind: 'postgres' | 'pglite';
  close(): Promise<void>;
};

const INT8_OID = 20;
const DATE_OID = 1082;

/** The one decoding rule for bigint money: a JS number, refused if it is not a safe integer. */
export function decodeInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) {
    throw new RangeError(`int8 value out of safe range: ${text}`);
  }
  return n;
}

const typeParsers = {
  getTypeParser(oid: number, format?: string): (value: string) => unknown {
    if (oid === INT8_OID) {
      return decodeInt8;
    }
    if (oid === DATE_OID) {
      return (value: string) => value;
    }
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

const PREPARED_MARKER = /^\/\* prepared:([a-z_]+) \*\//;

/**
 * A query whose text starts with `/* prepared:NAME *\/` runs as a named prepared statement: parsed and planned once
 * per connection instead of on every call. Only for the few hot, fixed-shape statements that opt in with the marker
 * (the payment settlement); everything else goes through unchanged.
 */
function withPreparedStatements(pool: pg.Pool): pg.Pool {
  const patched = new WeakSet<pg.PoolClient>();
  const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
  const patchedConnect = async (): Promise<pg.PoolClient> => {
    const client = await connect();
    if (!patched.has(client)) {
      const query = client.query.bind(client) as (config: unknown, values?: unknown) => unknown;
      client.query = ((text: unknown, values?: unknown) => {
        const name = typeof text === 'string' ? PREPARED_MARKER.exec(text)?.[1] : undefined;
        return name ? query({ name, text, values }) : query(text, values);
      }) as typeof client.query;
      patched.add(client);
    }
    return client;
  };
  pool.connect = patchedConnect as typeof pool.connect;
  return pool;
}

/**
 * Every session runs with JIT compilation off. The application's statements are short OLTP statements or the cycle's
 * set-based batches of CYCLE_BATCH rows; the batches' cost estimates pass jit_above_cost, and compiling them took
 * ~40 ms of a ~250 ms dues batch (auto_explain, 100 000 members) — more than it saved. An `options` parameter in
 * DATABASE_URL takes precedence (node-postgres lets the connection string override the config).
 */
export const POSTGRES_SESSION_OPTIONS = '-c jit=off';

export async function openPostgres(url: string, poolSize = 10): Promise<DatabaseHandle> {
  const pool = withPreparedStatements(new pg.Pool({ connectionString: url, max: poolSize, types: typeParsers, options: POSTGRES_SESSION_OPTIONS }));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, kind: 'postgres', close: () => db.destroy() };
}

/**
 * PostgreSQL settings of the embedded database, on top of PGlite's own start parameters. Its buffer pool lives in the
 * server's WebAssembly memory and counts in the server's RSS once the load has touched it: under the notification
 * benchmark (~900 notifications/s), 64MB held the server at 302–313 MiB peak and PostgreSQL's 128MB default at
 * 404–405 MiB, with the same CPU per notification. Pages that fall out of it are read back from the operating system's
 * page cache, which is not the server's memory.
 */
export const PGLITE_SETTINGS = { shared_buffers: '64MB' } as const;

export async function openPglite(options: { dataDir?: string; loadDataDir?: Blob } = {}): Promise<DatabaseHandle & { pglite: PGlite }> {
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
  }
  const startParams = [...PGlite.defaultStartParams, ...Object.entries(PGLITE_SETTINGS).flatMap(([name, value]) => ['-c', `${name}=${value}`])];
  const pglite = await PGlite.create(options.dataDir ?? 'memory://', { startParams, ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}) });
  const pool = withPreparedStatements(new pg.Pool({ ...createPgConfig(pglite), types: typeParsers } as pg.PoolConfig));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    kind: 'pglite',
    pglite,
    close: async () => {
      await db.destroy();
      await pglite.close();
    },
  };
}

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrateToLatest(db: Kysely<Database>): Promise<void> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`migration failed${failed ? ` at ${failed.migrationName}` : ''}: ${String(error)}`);
  }
}
