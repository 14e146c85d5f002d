import { sql, type Kysely } from 'kysely';

/**
 * Rate-limit counters (src/http/rate-limiter.ts), shared by every server instance on the database: one row per bucket,
 * key and fixed window; each request is one atomic upsert (n = n + 1 RETURNING n). `key` is an HMAC of the client IP
 * or phone, never the value itself. Windows that have ended are swept by the instances on the fly (by expires_at).
 * Frozen once shipped, like every migration. Kept within PostgreSQL 15 and what PGlite runs.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table rate_limit_counter (
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
