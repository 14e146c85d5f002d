import { ConfigError, loadConfig } from './config.js';
import { migrateToLatest, openPglite, openPostgres } from './db/connect.js';
import { startServer } from './server.js';
import { createLogger } from './shared/logger.js';

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
    // Migrations run without the serving pool's timeouts (a migration may rightly take long), on their own connection.
    const migrating = await openPostgres(config.databaseUrl, { poolSize: 1, onError: () => {} });
    await migrateToLatest(migrating.db).finally(() => migrating.close());
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

await main();
