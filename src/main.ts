import { ConfigError, loadConfig } from './config.js';
import { migrateToLatest, openPglite, openPostgres } from './db/connect.js';
import { isDatabaseUnavailable } from './db/unavailable.js';
import { startServer } from './server.js';
import { createLogger, type Logger } from './shared/logger.js';

/** Composition root: config → database → migrations → app + outbox worker + job runner → HTTP server (src/server.ts). */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  let handle;
  if (config.databaseUrl) {
    // Migrations run without the serving pool's timeouts (a migration may rightly take long), on their own connection;
    // a database that is still starting (or restarting) is waited for, up to START_WAIT_MS.
    const url = config.databaseUrl;
    await untilDatabaseAnswers(logger, async () => {
      const migrating = await openPostgres(url, { poolSize: 1, connectTimeoutMs: config.databaseConnectTimeoutMs, onError: () => {} });
      await migrateToLatest(migrating.db).finally(() => migrating.close());
    });
    handle = await openPostgres(config.databaseUrl, {
      poolSize: config.databasePoolSize,
      connectTimeoutMs: config.databaseConnectTimeoutMs,
      statementTimeoutMs: config.databaseStatementTimeoutMs,
      onError: (err) => logger.warn('database connection lost', { error: String(err) }),
    });
  } else {
    handle = await openPglite({ dataDir: config.dataDir });
    await migrateToLatest(handle.db);
  }
  const { shutdown } = startServer(config, handle, { logger });
  const stop = (signal: string) => {
    logger.info('shutting down', { signal, timeoutMs: config.shutdownTimeoutMs });
    void shutdown().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/** How long the start waits for an unavailable PostgreSQL before giving up (exit 1, for the supervisor to see). */
const START_WAIT_MS = 60_000;

async function untilDatabaseAnswers(logger: Logger, attempt: () => Promise<void>): Promise<void> {
  const startedAt = Date.now();
  for (let wait = 500; ; wait = Math.min(wait * 2, 5_000)) {
    try {
      return await attempt();
    } catch (err) {
      // A failing migration is not a reason to wait; only a database that cannot be reached yet is.
      if (!isDatabaseUnavailable(err) || Date.now() - startedAt > START_WAIT_MS) {
        throw err;
      }
      logger.warn('database unavailable at start; waiting', { error: String(err), retryInMs: wait });
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

await main();
