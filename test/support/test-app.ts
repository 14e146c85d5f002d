import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { KyselyPlugin } from 'kysely';
import pg from 'pg';
import { inject } from 'vitest';
import { compose } from '../../src/compose.js';
import { loadConfig, type Config } from '../../src/config.js';
import { openPglite, openPostgres, type DatabaseHandle } from '../../src/db/connect.js';
import type { Transports } from '../../src/modules/notifications/deliver-outbox.js';
import { AdjustableClock } from '../../src/shared/clock.js';
import { createLogger, type Logger } from '../../src/shared/logger.js';
import { hmacSha256Hex } from '../../src/shared/crypto.js';
import { withDatabase } from './global-setup.js';


/** NIK keys for a production-mode test app (not the development ones, which production refuses). */
export const TEST_PRODUCTION_NIK_KEYS = {
  NIK_KEYS: `t1:${Buffer.from('lindung-test-production-nik-k1!!').toString('base64')}`,
  NIK_HASH_KEY: Buffer.from('lindung-test-production-hash-key').toString('hex'),
};

export const TEST_START = '2026-11-22T03:00:00.000Z'; // Sunday 22 November 2026, 10:00 WIB

/** A fresh database with the real migrations, copied from the suite's template. */
export async function openTestDatabase(): Promise<DatabaseHandle> {
  const template = inject('postgresTemplate');
  const url = process.env['DATABASE_URL'];
  if (template && url) {
    const name = `lindung_t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${name} template ${template}`);
    await admin.end();
    const handle = await openPostgres(withDatabase(url, name), 10);
    return {
      ...handle,
      close: async () => {
        await handle.close();
        const a = new pg.Client({ connectionString: url });
        await a.connect();
        // pg's pool.end() resolves before its connections have finished closing; dropping WITH (FORCE) right away
        // would kill them mid-close and surface as uncaught "terminating connection" errors. Let them go first.
        for (let i = 0; i < 100; i++) {
          const open = await a.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
          if (open.rows[0]?.n === 0) {
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await a.query(`drop database if exists ${name} with (force)`);
        await a.end();
      },
    };
  }
  const dump = readFileSync(inject('pgliteTemplatePath'));
  return openPglite({ loadDataDir: new Blob([dump]) });
}

export interface TestResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;

export interface TestAppOptions {
  env?: Record<string, string>;
  transports?: Transports;
  start?: string;
  logger?: Logger;
  /**
   * Also serve the app over real HTTP on 127.0.0.1 at a free port (browser tests). PUBLIC_BASE_URL is then the served
   * origin, whatever `env` says, so links in emails and the card's QR code point at this server; `origin` holds it.
   */
  listen?: boolean;
  /** Kysely plugins on the app's database (e.g. one that records the statements a request runs); `db` stays plain. */
  plugins?: KyselyPlugin[];
}

/**
 * The real app over a fresh database, driven through app.request() (no port). `logger` replaces the silent default,
 * e.g. createLogger('debug', (line) => lines.push(line)) to assert what reaches the logs. With `listen: true` it is
 * also served on a loopback port (see TestAppOptions.listen); close() stops that server too.
 */
export async function createTestApp(options: TestAppOptions = {}) {
  const listener = options.listen ? await listenOnLoopback() : null;
  const handle = await openTestDatabase().catch(async (err: unknown) => {
    await listener?.close();
    throw err;
  });
  const config: Config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    // Production refuses to start without an https base URL (src/config.ts).
    PUBLIC_BASE_URL: options.env?.['NODE_ENV'] === 'production' ? 'https://lindung.test' : 'http://lindung.test',
    // Rate limits are OFF in the test app: every request here comes from one "address", and the suite's files fire
    // far more sign-ins, registrations and quotes than a person would. Production keeps the defaults of
    // src/http/rate-limits.ts; test/api/abuse-limits.test.ts turns them on (RATE_LIMITS: 'on' or overrides).
    RATE_LIMITS: 'off',
    // The request deadline answers 503 by design (test/api/resilience.test.ts sets a short one): on a loaded CI machine a
    // slow request (a card PDF behind the fuzz's 8 concurrent requests) passed the 15 s default. Tests wait longer.
    REQUEST_TIMEOUT_MS: '120000',
    // Production refuses to start without the NIK keys (src/config.ts); a production test app gets test-only ones.
    ...(options.env?.['NODE_ENV'] === 'production' ? TEST_PRODUCTION_NIK_KEYS : {}),
    ...options.env,
    ...(listener ? { PUBLIC_BASE_URL: listener.origin } : {}),
  });
  // Every test file starts at a known instant and the clock runs on from there, as a server's does.
  const clock = new AdjustableClock();
  clock.set(new Date(options.start ?? TEST_START));
  const appHandle = options.plugins ? { ...handle, db: options.plugins.reduce((db, plugin) => db.withPlugin(plugin), handle.db) } : handle;
  const composed = compose(config, appHandle, { clock, logger: options.logger ?? createLogger('silent'), transports: options.transports ?? { email: null, sms: null } });
  const { app } = composed;
  listener?.handle(app.fetch);

  async function request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<TestResponse<T>> {
    const init: RequestInit = { method, headers: { ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
    const res = await app.request(path, init);
    const type = res.headers.get('content-type') ?? '';
    const parsed = type.includes('json') ? await res.json() : Buffer.from(await res.arrayBuffer());
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  return {
    ...composed,
    db: handle.db,
    handle,
    config,
    request,
    get: <T = any>(path: string, headers?: Record<string, string>) => request<T>('GET', path, undefined, headers),
    post: <T = any>(path: string, body?: unknown, headers?: Record<string, string>) => request<T>('POST', path, body, headers),
    /** Sends a payment notification signed with the configured secret, exactly as a channel would. */
    notify: (payload: Record<string, unknown> | string, signature?: string) => {
      const raw = typeof payload === 'string' ? payload : JSON.stringify(payload);
      return request('POST', '/api/v1/payments/notifications', raw, { 'x-signature': signature ?? hmacSha256Hex(config.paymentWebhookSecret, raw) });
    },
    /** The served origin (`http://127.0.0.1:PORT`) when created with `listen: true`; undefined otherwise. */
    origin: listener?.origin,
    close: async () => {
      await listener?.close();
      await handle.close();
    },
  };
}

type FetchHandler = (request: Request, env: any) => unknown;

/**
 * An HTTP server on a free loopback port whose handler is attached afterwards: the origin must be known before the
 * app is composed, because configuration (PUBLIC_BASE_URL) goes into it.
 */
async function listenOnLoopback() {
  let handler: FetchHandler | null = null;
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s: ServerType = serve(
      { fetch: (request, env) => (handler ? handler(request, env) : new Response('starting', { status: 503 })), hostname: '127.0.0.1', port: 0 },
      () => resolve(s),
    );
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    handle: (fetch: FetchHandler) => {
      handler = fetch;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        // A browser keeps idle keep-alive connections open; close() alone would wait for them.
        if ('closeAllConnections' in server) {
          server.closeAllConnections();
        }
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
