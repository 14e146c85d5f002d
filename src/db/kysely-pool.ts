import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import type pg from 'pg';

/**
 * A statement whose text starts with `/* prepared:NAME *\/` runs as a named prepared statement: parsed and planned
 * once per connection instead of on every call. Only for the few hot, fixed-shape statements that opt in with the
 * marker (the payment settlement, the VA inquiry); everything else goes through unchanged. The marker also names the
 * statement in PostgreSQL's logs and in `pg_prepared_statements`.
 */
const PREPARED_MARKER = /^\/\* prepared:([a-z_]+) \*\//;

/** pg's client-side `query_timeout` error: the statement's answer may still come, on a connection we must give up. */
const READ_TIMEOUT = 'Query read timeout';

/**
 * What Kysely's PostgresDialect is given instead of the pg pool itself: an object of Kysely's own `PostgresPool`
 * interface over the pool, whose connections hand each statement to node-postgres as a query config — named
 * (`{ name, text, values }`, node-postgres's prepared statements) when the text carries the marker. Nothing of pg's
 * pool or clients is patched: Kysely sees only these wrappers, and every other user of the pool the plain pg objects.
 *
 * A statement that timed out on our side (pg `query_timeout`) destroys its connection's socket at once: the pool
 * drops the client, and no later statement of the same transaction (Kysely's rollback) can read the old answer.
 */
export function kyselyPool(pool: pg.Pool): PostgresPool {
  const sessions = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  return {
    // Kysely opens a control connection of this class to cancel a statement (as it did with the pg pool directly).
    Client: (pool as unknown as Pick<PostgresPool, 'Client'>).Client,
    options: pool.options,
    end: () => pool.end(),
    connect: async () => {
      const client = await pool.connect();
      let session = sessions.get(client);
      if (!session) {
        session = sessionOf(client);
        sessions.set(client, session);
      }
      return session;
    },
  };
}

function sessionOf(client: pg.PoolClient): PostgresPoolClient {
  function query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
  function query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  function query<R>(textOrCursor: string | PostgresCursor<R>, parameters?: ReadonlyArray<unknown>) {
    if (typeof textOrCursor !== 'string') {
      // A cursor (Kysely's streamQuery) is a submittable: passed as it is.
      return client.query(textOrCursor as unknown as pg.Submittable) as unknown as PostgresCursor<R>;
    }
    const name = PREPARED_MARKER.exec(textOrCursor)?.[1];
    const values = parameters as unknown[];
    const result = name ? client.query({ name, text: textOrCursor, values }) : client.query(textOrCursor, values);
    return result.catch((err: unknown) => {
      if (err instanceof Error && err.message === READ_TIMEOUT) {
        (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
      }
      throw err;
    }) as Promise<PostgresQueryResult<R>>;
  }
  return {
    get processID() {
      return (client as unknown as { processID?: number }).processID;
    },
    query,
    // pg's pool sets `release` on the client at each checkout: look it up at call time.
    release: (destroy?: boolean) => client.release(destroy),
  };
}
