import type { Context, MiddlewareHandler } from 'hono';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { withinMs } from '../shared/deadline.js';
import { AppError, RETRY_AFTER_SECONDS } from './errors.js';

/** What the process is doing: set to draining by the shutdown (src/server.ts), so /readyz sends traffic elsewhere. */
export interface Lifecycle {
  draining: boolean;
}

/**
 * The request deadline: a request that has no answer after `ms` (REQUEST_TIMEOUT_MS) is answered 503
 * `service_unavailable` with Retry-After — e.g. while the database is frozen and connections neither fail nor answer.
 * The work itself is not cancelled: it ends on its own statement or connection timeout, and a money-moving request
 * sent again is idempotent.
 */
export function requestDeadline(ms: number): MiddlewareHandler {
  return async (_c, next) => {
    await withinMs(next(), ms, () => {
      throw new AppError('service_unavailable', undefined, 'request deadline exceeded');
    });
  };
}

/** Resolves true when `select 1` answers within `ms`, false when it fails or does not answer in time. */
export function databaseAnswers(db: Kysely<Database>, ms: number): Promise<boolean> {
  const probe = sql`select 1`.execute(db).then(
    () => true,
    () => false,
  );
  return withinMs(probe, ms, () => false);
}

/**
 * GET /readyz — readiness (GET /healthz is liveness and never touches the database): 200 `{ "status": "ready" }` when
 * the database answers `select 1` within READINESS_TIMEOUT_MS, else 503 `{ "status": "unavailable" }` with
 * Retry-After; 503 too while the process drains for shutdown.
 */
export function readinessHandler(db: Kysely<Database>, timeoutMs: number, lifecycle: Lifecycle) {
  return async (c: Context) => {
    if (!lifecycle.draining && (await databaseAnswers(db, timeoutMs))) {
      return c.json({ status: 'ready' });
    }
    c.header('retry-after', String(RETRY_AFTER_SECONDS));
    c.header('cache-control', 'no-store');
    return c.json({ status: 'unavailable' }, 503);
  };
}
