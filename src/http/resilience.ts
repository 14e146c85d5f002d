import type { Context, MiddlewareHandler } from 'hono';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.js';
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
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new AppError('service_unavailable', undefined, 'request deadline exceeded')), ms);
    });
    try {
      await Promise.race([next(), deadline]);
    } finally {
      clearTimeout(timer);
    }
  };
}

/** Resolves true when `select 1` answers within `ms`, false when it fails or does not answer in time. */
export async function databaseAnswers(db: Kysely<Database>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const probe = sql`select 1`.execute(db).then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([probe, late]);
  } finally {
    clearTimeout(timer);
  }
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
