import { serve } from '@hono/node-server';
import { compose } from './compose.js';
import { ConfigError, loadConfig } from './config.js';
import { migrateToLatest, openPglite, openPostgres } from './db/connect.js';

/** Composition root: config → database → migrations → app + outbox worker + job runner → HTTP server. */
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
  const handle = config.databaseUrl ? await openPostgres(config.databaseUrl, config.databasePoolSize) : await openPglite({ dataDir: config.dataDir });
  await migrateToLatest(handle.db);
  const { app, deps, startWorker, startJobs } = compose(config, handle);
  const worker = config.worker ? startWorker() : null;
  const jobs = config.worker ? startJobs() : null;
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    deps.logger.info('Lindung listening', {
      url: `http://localhost:${info.port}`,
      database: handle.kind === 'pglite' ? `embedded (${config.dataDir})` : 'postgresql',
      mode: config.env,
    });
  });
  let closing = false;
  const shutdown = async () => {
    if (closing) {
      return;
    }
    closing = true;
    server.close();
    await jobs?.stop();
    await worker?.stop();
    await handle.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

await main();
