import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose } from '../../src/compose.js';
import { loadConfig } from '../../src/config.js';
import { openPostgres, type DatabaseHandle } from '../../src/db/connect.js';
import { isDatabaseUnavailable } from '../../src/db/unavailable.js';
import { startJobRunner } from '../../src/modules/jobs/run-due-jobs.js';
import { startOutboxWorker } from '../../src/modules/notifications/deliver-outbox.js';
import { drainAndClose } from '../../src/server.js';
import { createLogger } from '../../src/shared/logger.js';
import { hmacSha256Hex } from '../../src/shared/crypto.js';
import { makePerson, nextExternalId, registerVerified } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Resilience (issue 13) in process: an unreachable or silent database is answered 503 `service_unavailable` with
 * Retry-After (never 500, never a hang past the request deadline), GET /readyz tells ready from unavailable while
 * GET /healthz stays liveness only, and the shutdown drains in-flight requests and settlements before closing the
 * pool. The outage and crash tests with a real PostgreSQL and a real server process are in test/resilience/.
 */

/** A "database" at a loopback port: `refuse` closes the port (connection refused); `silent` accepts and never answers, like a frozen server. */
async function fakeDatabase(kind: 'refuse' | 'silent'): Promise<{ url: string; close(): Promise<void> }> {
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => {
    sockets.push(socket);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((ok) => {
      sockets.forEach((s) => s.destroy());
      server.close(() => ok());
    });
  if (kind === 'refuse') {
    await close();
  }
  return { url: `postgres://lindung@127.0.0.1:${port}/lindung`, close };
}

/** The real app over a database handle that cannot serve (no migrations needed: nothing ever reaches it). */
function appOver(handle: DatabaseHandle, env: Record<string, string> = {}, logger = createLogger('silent')) {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', WORKER: 'off', ...env });
  return compose(config, handle, { logger, transports: { email: null, sms: null } });
}

const NOTIFY = '/api/v1/payments/notifications';
function signedNotification() {
  const raw = JSON.stringify({ externalId: nextExternalId(), paymentCode: '123456789012', amount: 37_800, channel: 'va', paidAt: '2026-11-22T03:00:00.000Z' });
  return { method: 'POST', body: raw, headers: { 'content-type': 'application/json', 'x-signature': hmacSha256Hex('dev-webhook-secret', raw) } };
}

describe('which errors mean "the database is unavailable"', () => {
  const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });
  it('connection losses, shut-downs, cancels and timeouts are; data and programming errors are not', () => {
    for (const err of [
      withCode('57P01', 'terminating connection due to administrator command'),
      withCode('57P02'),
      withCode('57P03', 'the database system is starting up'),
      withCode('57014', 'canceling statement due to statement timeout'),
      withCode('08006'),
      withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'),
      withCode('ECONNRESET'),
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
      new Error('Query read timeout'),
      new Error('Client has encountered a connection error and is not queryable'),
      new Error('wrapped', { cause: withCode('57P01') }),
      new AggregateError([withCode('ECONNREFUSED')], ''),
    ]) {
      expect(isDatabaseUnavailable(err), `${String(err)} ${(err as { code?: string }).code}`).toBe(true);
    }
    for (const err of [withCode('23505', 'duplicate key'), withCode('22021'), withCode('40P01'), new TypeError('x is undefined'), 'ECONNREFUSED', null]) {
      expect(isDatabaseUnavailable(err), String(err)).toBe(false);
    }
  });
});

describe('a database that refuses connections', () => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof appOver>['app'];
  beforeAll(async () => {
    const db = await fakeDatabase('refuse');
    handle = await openPostgres(db.url, { poolSize: 2, connectTimeoutMs: 1_000, statementTimeoutMs: 1_000 });
    app = appOver(handle).app;
  });
  afterAll(async () => handle.close());

  it('is answered 503 service_unavailable with Retry-After, in Indonesian first — and a payment notification too, never applied', async () => {
    const bill = await app.request('/api/v1/bills/123456789012');
    expect(bill.status).toBe(503);
    expect(bill.headers.get('retry-after')).toBe('5');
    const body = await bill.json();
    expect(body.error).toMatchObject({ code: 'service_unavailable', message: expect.stringMatching(/^Layanan sedang tidak tersedia/) });
    const en = await app.request('/api/v1/bills/123456789012', { headers: { 'accept-language': 'en' } });
    expect((await en.json()).error.message).toMatch(/^The service is temporarily unavailable/);
    const paid = await app.request(NOTIFY, signedNotification());
    expect(paid.status).toBe(503);
    expect(paid.headers.get('retry-after')).toBe('5');
    expect((await paid.json()).error.code).toBe('service_unavailable');
  });

  it('a portal page is the error page with 503 and Retry-After, in Indonesian', async () => {
    const page = await app.request('/bayar/123456789012');
    expect(page.status).toBe(503);
    expect(page.headers.get('retry-after')).toBe('5');
    expect(await page.text()).toContain('Terjadi gangguan');
  });

  it('the outbox worker and the job runner keep running: each failed pass is logged and the next waits longer', async () => {
    const lines: { msg: string; retryInMs?: number }[] = [];
    const { deps, transports } = appOver(handle, {}, createLogger('error', (line) => lines.push(JSON.parse(line))));
    const worker = startOutboxWorker(deps, transports, 10);
    const jobs = startJobRunner(deps, { intervalMs: 10 });
    await new Promise((r) => setTimeout(r, 2_200)); // failures at ~0 s, ~1 s, then ~3 s
    const stopping = Date.now();
    await Promise.all([worker.stop(), jobs.stop()]);
    expect(Date.now() - stopping).toBeLessThan(500); // stop() wakes a loop from its back-off sleep
    for (const msg of ['outbox worker error', 'job runner error']) {
      // 10 ms apart without back-off: ~100 failed passes by now; with it, 1 s then 2 s.
      expect(lines.filter((l) => l.msg === msg).map((l) => l.retryInMs)).toEqual([1_000, 2_000]);
    }
  });

  it('/healthz stays 200 (liveness) while /readyz is 503 unavailable', async () => {
    expect((await app.request('/healthz')).status).toBe(200);
    const ready = await app.request('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.headers.get('retry-after')).toBe('5');
    expect(await ready.json()).toEqual({ status: 'unavailable' });
  });
});

describe('a database that accepts connections and never answers (frozen)', () => {
  let handle: DatabaseHandle;
  let db: Awaited<ReturnType<typeof fakeDatabase>>;
  let app: ReturnType<typeof appOver>['app'];
  beforeAll(async () => {
    db = await fakeDatabase('silent');
    // The pool would wait 60 s for a connection: the request deadline (300 ms) and the readiness timeout answer first.
    handle = await openPostgres(db.url, { poolSize: 2, connectTimeoutMs: 60_000 });
    app = appOver(handle, { REQUEST_TIMEOUT_MS: '300', READINESS_TIMEOUT_MS: '200' }).app;
  });
  afterAll(async () => {
    await db.close();
    await handle.close().catch(() => {});
  });

  it('a request is answered 503 with Retry-After at its deadline, not left hanging', async () => {
    const startedAt = Date.now();
    const res = await app.request(NOTIFY, signedNotification());
    const ms = Date.now() - startedAt;
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect((await res.json()).error).toMatchObject({ code: 'service_unavailable', detail: 'request deadline exceeded' });
    expect(ms).toBeGreaterThanOrEqual(290);
    expect(ms).toBeLessThan(3_000);
  });

  it('a settlement batch cut off by the database fails as a whole at once, not again one by one behind the timeouts', async () => {
    const quick = await openPostgres(db.url, { poolSize: 2, connectTimeoutMs: 300 });
    try {
      const { app: quickApp } = appOver(quick);
      const startedAt = Date.now();
      // The first goes alone; the other seven wait for it and then go together as one batch.
      const answers = await Promise.all(Array.from({ length: 8 }, async () => (await quickApp.request(NOTIFY, signedNotification())).status));
      expect(answers).toEqual(Array.from({ length: 8 }, () => 503));
      // Alone 300 ms + the batch 300 ms; settling the batch again one by one would add 7 × 300 ms.
      expect(Date.now() - startedAt).toBeLessThan(1_500);
    } finally {
      await quick.close().catch(() => {});
    }
  });

  it('/readyz answers 503 within its timeout; /healthz 200', async () => {
    const startedAt = Date.now();
    const ready = await app.request('/readyz');
    expect(ready.status).toBe(503);
    expect(Date.now() - startedAt).toBeLessThan(2_000);
    expect((await app.request('/healthz')).status).toBe(200);
  });
});

/** Serves an app on a loopback port; `entered` counts the requests that reached it. */
async function served(fetchApp: (r: Request) => Response | Promise<Response>) {
  const counter = { entered: 0 };
  const server = await new Promise<ServerType>((ok) => {
    const s = serve({ fetch: (r: Request) => ((counter.entered += 1), fetchApp(r)), hostname: '127.0.0.1', port: 0 }, () => ok(s));
  });
  return { server, counter, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** The test app's database handle, closing which closes (and on PostgreSQL drops) the test database; `closed` tells. */
function watchedHandle(app: TestApp) {
  const state = { closed: false };
  return { state, handle: { ...app.handle, close: () => ((state.closed = true), app.close()) } };
}

describe('readiness and shutdown on the real database', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });

  it('/readyz is 200 { status: ready } when the database answers', async () => {
    const res = await t.get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready' });
  });

  it('the shutdown answers every in-flight payment, waits for the background loops, then closes the pool', async () => {
    const bills: { paymentCode: string; amount: number }[] = [];
    for (let i = 0; i < 6; i++) {
      const id = await registerVerified(t, makePerson());
      const res = await t.post(`/api/v1/registrations/${id}/submit`, { programs: ['JKK', 'JKM'], declaredIncome: 1_000_000, months: 1 });
      bills.push(res.body.bill);
    }
    const { server, counter, origin } = await served(t.app.fetch);
    const { state, handle } = watchedHandle(t);
    let loopStopped = false;
    const slowLoop = { stop: () => new Promise<void>((ok) => setTimeout(() => ((loopStopped = true), ok()), 300)) };
    const inFlight = bills.map((b) => {
      const raw = JSON.stringify({ externalId: nextExternalId(), paymentCode: b.paymentCode, amount: b.amount, channel: 'va', paidAt: t.clock.now().toISOString() });
      return fetch(`${origin}${NOTIFY}`, { method: 'POST', body: raw, headers: { 'content-type': 'application/json', 'x-signature': hmacSha256Hex(t.config.paymentWebhookSecret, raw) } });
    });
    while (counter.entered < bills.length) {
      await new Promise((r) => setTimeout(r, 1)); // every request has reached the server
    }
    const shutdown = drainAndClose({ server, handle, loops: [slowLoop, null], lifecycle: t.lifecycle, timeoutMs: 10_000, logger: createLogger('silent') });
    expect(t.lifecycle.draining).toBe(true);
    expect((await t.app.request('/readyz')).status).toBe(503);
    expect(state.closed).toBe(false);
    const answers = await Promise.all(inFlight.map(async (r) => [(await r).status, ((await (await r).json()) as { status: string }).status]));
    expect(answers).toEqual(bills.map(() => [200, 'applied']));
    expect(await shutdown).toBe(true);
    expect(loopStopped).toBe(true);
    expect(state.closed).toBe(true);
  });

  it('is bounded: work that does not finish in time is cut off and the pool closed anyway', async () => {
    const other = await createTestApp();
    const { server } = await served(other.app.fetch);
    const { state, handle } = watchedHandle(other);
    const stuck = { stop: () => new Promise<void>(() => {}) };
    const startedAt = Date.now();
    const drained = await drainAndClose({ server, handle, loops: [stuck], lifecycle: other.lifecycle, timeoutMs: 200, logger: createLogger('silent') });
    expect(drained).toBe(false);
    expect(Date.now() - startedAt).toBeLessThan(5_000);
    expect(state.closed).toBe(true);
  });
});
