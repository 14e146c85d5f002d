import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Database } from '../db/database.js';
import type { Clock } from './clock.js';
import { withinMs } from './deadline.js';
import type { Logger } from './logger.js';

/**
 * Prometheus metrics (prom-client), one registry per composed app, served by `GET /metrics` (src/app.ts). Labels are
 * bounded: routes are matched route patterns, never raw paths; channels, outcomes and reasons are closed sets.
 */
export interface Metrics {
  registry: Registry;
  /** Seconds per HTTP request, by method, matched route pattern and status. */
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  /** Payment notifications by channel and outcome (applied, topup, duplicate, unmatched, conflict) and unmatched reason. */
  paymentOutcomes: Counter<'channel' | 'outcome' | 'reason'>;
  /** Bill payments settled per settlement transaction (group commit, src/modules/payments/settlement.ts). */
  settlementBatchSize: Histogram<never>;
  /** The text exposition of every metric; Node's process metrics are registered on the first call. */
  scrape(): Promise<string>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  let processMetrics = false;
  return {
    registry,
    scrape() {
      if (!processMetrics) {
        // On the first scrape, not at start: tests compose many apps in one process and never scrape most of them.
        collectDefaultMetrics({ register: registry, prefix: 'lindung_' });
        processMetrics = true;
      }
      return registry.metrics();
    },
    httpDuration: new Histogram({
      name: 'lindung_http_request_duration_seconds',
      help: 'HTTP request duration in seconds, by method, matched route pattern and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    paymentOutcomes: new Counter({
      name: 'lindung_payment_outcomes_total',
      help: 'Payment notifications settled, by channel, outcome and (for unmatched) reason',
      labelNames: ['channel', 'outcome', 'reason'],
      registers: [registry],
    }),
    settlementBatchSize: new Histogram({
      name: 'lindung_settlement_batch_size',
      help: 'Bill payments settled together in one settlement transaction (group commit)',
      buckets: [1, 2, 4, 8, 16, 32, 64],
      registers: [registry],
    }),
  };
}

/** The connection pool's counts (node-postgres `pg.Pool`). */
export interface PoolCounts {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/** How long a scrape waits for the database before reporting NaN for the database-backed gauges. */
export const SCRAPE_DATABASE_TIMEOUT_MS = 1_000;

/**
 * The gauges read on each scrape: job lag and outbox backlog from the database (each query bounded by
 * SCRAPE_DATABASE_TIMEOUT_MS; NaN and a warning when it fails or times out, so a busy database never hangs a scrape),
 * and the connection pool's counts from memory.
 */
export function registerScrapeGauges(metrics: Metrics, source: { db: Kysely<Database>; clock: Clock; logger: Logger; pool: PoolCounts | undefined }): void {
  const { registry } = metrics;
  const { db, clock, logger, pool } = source;
  const fromDatabase = async (gauge: Gauge, name: string, read: () => Promise<number>) => {
    try {
      gauge.set(
        await withinMs(read(), SCRAPE_DATABASE_TIMEOUT_MS, () => {
          throw new Error(`no answer within ${SCRAPE_DATABASE_TIMEOUT_MS} ms`);
        }),
      );
    } catch (err) {
      gauge.set(Number.NaN);
      logger.warn('metrics: database gauge not read', { metric: name, error: String(err) });
    }
  };
  new Gauge({
    name: 'lindung_db_pool_connections',
    help: 'Database connection pool: connections open (total), idle, and requests waiting for one',
    labelNames: ['state'],
    registers: [registry],
    // First: prom-client collects in registration order, so the counts are read before this scrape's own queries
    // below take (or wait for) a connection.
    collect() {
      if (pool) {
        this.set({ state: 'total' }, pool.totalCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
      }
    },
  });
  new Gauge({
    name: 'lindung_job_lag_seconds',
    help: 'Seconds since the scheduled run time of the oldest due pending job (0 when none is due)',
    registers: [registry],
    collect() {
      return fromDatabase(this, 'lindung_job_lag_seconds', async () => {
        const now = clock.now();
        const row = await db.selectFrom('job').select((eb) => eb.fn.min('run_at').as('oldest')).where('status', '=', 'pending').where('run_at', '<=', now).executeTakeFirst();
        return row?.oldest ? Math.max(0, (now.getTime() - new Date(row.oldest).getTime()) / 1000) : 0;
      });
    },
  });
  new Gauge({
    name: 'lindung_outbox_backlog',
    help: 'Email and SMS messages not yet delivered (outbox status pending)',
    registers: [registry],
    collect() {
      return fromDatabase(this, 'lindung_outbox_backlog', async () => {
        const row = await sql<{ n: number }>`select count(*)::int as n from outbox_message where status = 'pending'`.execute(db);
        return row.rows[0]?.n ?? 0;
      });
    },
  });
}
