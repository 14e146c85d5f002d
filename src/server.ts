import { serve, type ServerType } from '@hono/node-server';
import { compose } from './compose.js';
import type { Config } from './config.js';
import type { DatabaseHandle } from './db/connect.js';
import { settlementsIdle } from './modules/payments/index.js';
import type { Logger } from './shared/logger.js';

export interface Stoppable {
  stop(): Promise<void>;
}

/**
 * The graceful shutdown (SIGTERM/SIGINT): stop accepting connections and mark the process draining (/readyz answers
 * 503), then wait — at most `timeoutMs` in all — for the in-flight HTTP requests, the settlement batcher and the
 * background loops (outbox worker, job runner: each finishes its current pass); then close the database pool.
 * Whatever is still running at the deadline is cut off: a payment whose answer never left is sent again by its channel
 * (idempotent by externalId), a job's lease expires and another pass takes it again.
 * Resolves `true` when everything drained in time, `false` when the deadline cut it short.
 */
export async function drainAndClose(parts: {
  server: ServerType;
  handle: DatabaseHandle;
  loops: readonly (Stoppable | null)[];
  lifecycle: { draining: boolean };
  timeoutMs: number;
  logger: Logger;
}): Promise<boolean> {
  const { server, handle, loops, lifecycle, timeoutMs, logger } = parts;
  lifecycle.draining = true;
  const startedAt = Date.now();
  const httpDone = new Promise<void>((resolve) => server.close(() => resolve()));
  // Idle keep-alive connections would hold close() open; requests still running keep theirs until they answered.
  closeIdle(server);
  const idleSweep = setInterval(() => closeIdle(server), 100);
  const drained = Promise.all([httpDone, ...loops.map((l) => l?.stop())]).then(() => settlementsIdle(handle.db));
  let timer: NodeJS.Timeout | undefined;
  const inTime = await Promise.race([
    drained.then(() => true),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  clearInterval(idleSweep);
  if (!inTime) {
    logger.warn('shutdown: in-flight work did not finish in time; closing anyway', { timeoutMs });
    if ('closeAllConnections' in server) {
      server.closeAllConnections();
    }
  }
  await handle.close().catch((err: unknown) => logger.warn('shutdown: closing the database failed', { error: String(err) }));
  logger.info('shutdown complete', { drained: inTime, ms: Date.now() - startedAt });
  return inTime;
}

function closeIdle(server: ServerType): void {
  if ('closeIdleConnections' in server) {
    server.closeIdleConnections();
  }
}

/** Composes the app over an open database and serves it; `shutdown()` drains and closes (drainAndClose). */
export function startServer(config: Config, handle: DatabaseHandle, options: { logger?: Logger; onListening?: (port: number) => void } = {}) {
  const composed = compose(config, handle, options.logger ? { logger: options.logger } : {});
  const { app, deps, startWorker, startJobs, lifecycle } = composed;
  const worker = config.worker ? startWorker() : null;
  const jobs = config.worker ? startJobs() : null;
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    deps.logger.info('Lindung listening', {
      url: `http://localhost:${info.port}`,
      database: handle.kind === 'pglite' ? `embedded (${config.dataDir})` : 'postgresql',
      mode: config.env,
    });
    options.onListening?.(info.port);
  });
  let closing: Promise<boolean> | null = null;
  return {
    ...composed,
    server,
    shutdown: () => {
      closing ??= drainAndClose({ server, handle, loops: [jobs, worker], lifecycle, timeoutMs: config.shutdownTimeoutMs, logger: deps.logger });
      return closing;
    },
  };
}
