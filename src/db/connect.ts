import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, PostgresDialect } from 'kysely';
import { Migrator, type MigrationProvider } from 'kysely/migration';
import pg from 'pg';
import { migrations } from '../../migrations/index.js';
import type { Database } from './database.js';
import { applyFunctionSources } from './function-sources.js';
import { kyselyPool } from './kysely-pool.js';

/**
 * One dialect for both back ends: Kysely's PostgresDialect over node-postgres, either to a PostgreSQL server
 * (DATABASE_URL) or to embedded PGlite through PGlite's own node-postgres adapter (pool of one connection, so
 * transactions are serialised and isolated; `kysely-pglite` shares one session unlocked and is unsafe here).
 */
export type DatabaseHandle = {
  db: Kysely<Database>;
  kind: 'postgres' | 'pglite';
  /** The connection pool, for its counts (the /metrics pool gauges). */
  pool?: Pick<pg.Pool, 'totalCount' | 'idleCount' | 'waitingCount'>;
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

/**
 * Every session runs with JIT compilation off. The application's statements are short OLTP statements or the cycle's
 * set-based batches of CYCLE_BATCH rows; the batches' cost estimates pass jit_above_cost, and compiling them took
 * ~40 ms of a ~250 ms dues batch (auto_explain, 100 000 members) — more than it saved. An `options` parameter in
 * DATABASE_URL takes precedence (node-postgres lets the connection string override the config).
 */
export const POSTGRES_SESSION_OPTIONS = '-c jit=off';

/**
 * How the serving pool survives a database that goes away (README, "Resilience"). Every limit is off when unset, as
 * for the test suite, the benchmarks and the migrations at start-up.
 */
export interface PostgresPoolOptions {
  poolSize?: number;
  /** Waiting for a free pool connection or for a new connection's start-up (pg `connectionTimeoutMillis`). */
  connectTimeoutMs?: number;
  /**
   * PostgreSQL's `statement_timeout` for every session; the client also gives up on a statement that has no answer
   * `QUERY_TIMEOUT_GRACE_MS` later (a frozen or unreachable server cancels nothing) and then drops that connection.
   */
  statementTimeoutMs?: number;
  /** Where pool and connection errors are reported (an error with no listener would end the process). */
  onError?: (err: Error) => void;
}

/** How much longer than statement_timeout the client waits for a statement's answer before giving the connection up. */
export const QUERY_TIMEOUT_GRACE_MS = 2_000;

export async function openPostgres(url: string, options: number | PostgresPoolOptions = {}): Promise<DatabaseHandle> {
  const o: PostgresPoolOptions = typeof options === 'number' ? { poolSize: options } : options;
  const onError = o.onError ?? (() => {});
  const pool = new pg.Pool({
    connectionString: url,
    max: o.poolSize ?? 10,
    types: typeParsers,
    options: POSTGRES_SESSION_OPTIONS,
    ...(o.connectTimeoutMs ? { connectionTimeoutMillis: o.connectTimeoutMs } : {}),
    ...(o.statementTimeoutMs ? { statement_timeout: o.statementTimeoutMs, query_timeout: o.statementTimeoutMs + QUERY_TIMEOUT_GRACE_MS } : {}),
    keepAlive: true,
  });
  // An idle connection the server terminated (pg_terminate_backend, a restart) errors here; the pool drops it and
  // opens a new one on demand.
  pool.on('error', onError);
  // A checked-out connection has no 'error' listener of the pool's: when the server goes away between two statements
  // of a transaction, the error event would end the process. Each new client gets one listener (pg's 'connect' event);
  // the failed statement itself rejects (and the request answers 503). A statement timed out on our side destroys
  // its connection (kyselyPool), so the pool never hands out one that still waits for an old answer.
  pool.on('connect', (client) => client.on('error', onError));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: kyselyPool(pool) }) });
  return { db, kind: 'postgres', pool, close: () => db.destroy() };
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
  const pool = new pg.Pool({ ...createPgConfig(pglite), types: typeParsers } as pg.PoolConfig);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: kyselyPool(pool) }) });
  return {
    db,
    kind: 'pglite',
    pglite,
    pool,
    close: async () => {
      await db.destroy();
      await pglite.close();
    },
  };
}

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** The migrations (migrations/index.ts), then the database function files that changed (src/db/function-sources.ts). */
export async function migrateToLatest(db: Kysely<Database>): Promise<void> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`migration failed${failed ? ` at ${failed.migrationName}` : ''}: ${String(error)}`, { cause: error });
  }
  await applyFunctionSources(db);
}
