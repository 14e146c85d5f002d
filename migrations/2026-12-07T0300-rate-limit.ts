import { sql, type Kysely } from 'kysely';

/**
 * Rate-limit counters (src/http/rate-limiter.ts), shared by every server instance on the database: one row per bucket,
 * key and fixed window; each write is one atomic upsert (n = n + k RETURNING n, k = the requests written together).
 * `key` is an HMAC of the client IP or phone, never the value itself. Windows that have ended are swept by the
 * instances on the fly (by expires_at).
 * UNLOGGED: the counters write no WAL (cheaper on every request); a crash empties the table — every window starts
 * again, which is harmless for traffic limits — and standbys do not carry it.
 * Frozen once shipped, like every migration. Kept within PostgreSQL 15 and what PGlite runs.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create unlogged table rate_limit_counter (
      bucket text not null,
      key text not null,
      window_start timestamptz not null,
      expires_at timestamptz not null,
      n integer not null check (n > 0),
      primary key (bucket, key, window_start)
    );
    create index rate_limit_counter_expiry_idx on rate_limit_counter (expires_at);
  `.execute(db);
}
