import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduleJob } from '../../src/modules/jobs/job-queue.js';
import { createLogger } from '../../src/shared/logger.js';
import { SCRAPE_DATABASE_TIMEOUT_MS } from '../../src/shared/metrics.js';
import { expectError } from '../support/api-errors.js';
import { activeMember, makePerson, nextExternalId, registerVerified } from '../support/factories.js';
import { scrapeMetrics, sampleOf } from '../support/metrics.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const METRICS_TOKEN = 'metrics-token-0123456789';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const PRODUCTION = { NODE_ENV: 'production', PAYMENT_WEBHOOK_SECRET: 'x', OTP_SECRET: 'y', CARD_SIGNING_SEED: 'z', STAFF_API_KEY: 'k', COOKIE_SECRET: 'c' };

let t: TestApp;
const lines: string[] = [];
const logged = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
const accessLines = (requestId: string) => logged().filter((l) => l['msg'] === 'request' && l['requestId'] === requestId);

beforeAll(async () => {
  t = await createTestApp({ env: { METRICS_TOKEN }, logger: createLogger('info', (line) => lines.push(line)) });
});
afterAll(async () => t.close());

const scrape = () => scrapeMetrics(t, METRICS_TOKEN);
const sample = sampleOf;

describe('request ids and access logs', () => {
  it('gives each request an id, echoed in X-Request-Id, and logs one JSON line: method, route, status, ms, requestId', async () => {
    const res = await t.get('/healthz');
    const id = res.headers.get('x-request-id')!;
    expect(id).toMatch(UUID);
    const [line, ...more] = accessLines(id);
    expect(more).toEqual([]);
    expect(line).toMatchObject({ level: 'info', msg: 'request', requestId: id, method: 'GET', route: '/healthz', status: 200, ms: expect.any(Number) });

    const other = await t.get('/healthz');
    expect(other.headers.get('x-request-id')).not.toBe(id);
  });

  it('keeps a sane incoming X-Request-Id and replaces anything else with a new one', async () => {
    const kept = await t.get('/healthz', { 'x-request-id': 'gw-7f3a9c:01HZX.2=' });
    expect(kept.headers.get('x-request-id')).toBe('gw-7f3a9c:01HZX.2=');
    expect(accessLines('gw-7f3a9c:01HZX.2=')).toHaveLength(1);

    for (const bad of ['two words', 'x'.repeat(129), '<script>', '"quoted"']) {
      const res = await t.get('/healthz', { 'x-request-id': bad });
      expect(res.headers.get('x-request-id')).toMatch(UUID);
      expect(lines.join('\n')).not.toContain(bad);
    }
  });

  it('logs the route pattern, not the path (no payment code or KPJ in the logs); unmatched requests as `unmatched`', async () => {
    const bill = await t.get('/api/v1/bills/99887766554433');
    expect(bill.status).toBe(404);
    expect(accessLines(bill.headers.get('x-request-id')!)[0]).toMatchObject({ route: '/api/v1/bills/:paymentCode', status: 404 });
    expect(lines.join('\n')).not.toContain('99887766554433');

    const nothing = await t.post('/api/v1/tidak-ada', {});
    expect(accessLines(nothing.headers.get('x-request-id')!)[0]).toMatchObject({ method: 'POST', route: 'unmatched', status: 404 });

    const page = await t.get('/');
    expect(page.status).toBe(200);
    expect(accessLines(page.headers.get('x-request-id')!)[0]).toMatchObject({ route: '/', status: 200 });
  });

  it('every line logged while serving a request carries its id: an unhandled error is logged with it', async () => {
    const app = await createTestApp({ logger: createLogger('info', (line) => lines.push(line)) });
    try {
      // A handler that fails the way a bug would, added before the app's first request (Hono's router is built then).
      app.app.get('/api/v1/test-only-failure/:id', () => {
        throw new TypeError('a bug');
      });
      const res = await app.get('/api/v1/test-only-failure/42', { 'x-request-id': 'req-broken-1' });
      expect(res.status).toBe(500);
      expect(res.body.error.code).toBe('internal_error');
      expect(res.headers.get('x-request-id')).toBe('req-broken-1');
      const forRequest = logged().filter((l) => l['requestId'] === 'req-broken-1');
      expect(forRequest.map((l) => [l['level'], l['msg']])).toEqual([
        ['error', 'unhandled error'],
        ['info', 'request'],
      ]);
      expect(forRequest[0]!['error']).toContain('TypeError: a bug');
      expect(forRequest[1]).toMatchObject({ route: '/api/v1/test-only-failure/:id', status: 500 });
    } finally {
      await app.close();
    }
  });
});

describe('GET /metrics', () => {
  it('needs the bearer METRICS_TOKEN when it is set: 401 without it or with another', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong-token-0123456789' }, { authorization: METRICS_TOKEN }] as Record<string, string>[]) {
      const res = await t.get('/metrics', headers);
      expectError(res, 401, 'unauthorized', undefined);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
    }
  });

  it('is absent (404) in production without METRICS_TOKEN, and open in development without it', async () => {
    const prod = await createTestApp({ env: PRODUCTION });
    const dev = await createTestApp({ env: { NODE_ENV: 'development' } });
    try {
      expectError(await prod.get('/metrics'), 404, 'not_found', undefined);
      const res = await dev.get('/metrics');
      expect(res.status).toBe(200);
      expect((res.body as Buffer).toString()).toContain('# TYPE lindung_payment_outcomes_total counter');
    } finally {
      await prod.close();
      await dev.close();
    }
  });

  it('after payments: outcome counters by channel, outcome and reason, settlement batch sizes and route latencies moved', async () => {
    const before = await scrape();
    const member = await activeMember(t); // pays its first bill: applied, va
    const person = makePerson();
    const id = await registerVerified(t, person);
    const bill = (await t.post(`/api/v1/registrations/${id}/submit`, { programs: ['JKK', 'JKM'], declaredIncome: 1_000_000, months: 1 })).body.bill;
    const payment = { externalId: nextExternalId(), paymentCode: bill.paymentCode, amount: bill.amount, channel: 'qris', paidAt: t.clock.now().toISOString() };
    expect((await t.notify(payment)).body).toEqual({ status: 'applied' });
    expect((await t.notify(payment)).body).toEqual({ status: 'duplicate' });
    expect((await t.notify({ ...payment, externalId: nextExternalId(), paymentCode: '9999999999999' })).body).toMatchObject({ status: 'unmatched', reason: 'unknown_payment_code' });
    expect((await t.notify({ ...payment, externalId: nextExternalId() })).body).toMatchObject({ status: 'unmatched', reason: 'bill_already_paid' });

    const after = await scrape();
    const moved = (key: string) => sample(after, key) - sample(before, key);
    expect(moved('lindung_payment_outcomes_total{channel="va",outcome="applied",reason=""}')).toBe(1);
    expect(moved('lindung_payment_outcomes_total{channel="qris",outcome="applied",reason=""}')).toBe(1);
    expect(moved('lindung_payment_outcomes_total{channel="qris",outcome="duplicate",reason=""}')).toBe(1);
    expect(moved('lindung_payment_outcomes_total{channel="qris",outcome="unmatched",reason="unknown_payment_code"}')).toBe(1);
    expect(moved('lindung_payment_outcomes_total{channel="qris",outcome="unmatched",reason="bill_already_paid"}')).toBe(1);
    // Five bill payments, one after another: five settlement transactions of one.
    expect(moved('lindung_settlement_batch_size_count')).toBe(5);
    expect(moved('lindung_settlement_batch_size_bucket{le="1"}')).toBe(5);
    expect(moved('lindung_http_request_duration_seconds_count{method="POST",route="/api/v1/payments/notifications",status="200"}')).toBe(5);
    expect(moved('lindung_http_request_duration_seconds_count{method="GET",route="/api/v1/me",status="200"}')).toBe(1);
    expect([...after.keys()].filter((k) => k.includes(member.kpj) || k.includes(bill.paymentCode))).toEqual([]);
  });

  it('reads job lag, outbox backlog and pool usage on each scrape', async () => {
    const now = t.clock.now();
    await scheduleJob(t.db, { id: 'metrics-test:lag', kind: 'metrics-test', runAt: new Date(now.getTime() - 90_000) }, now);
    const pending = await t.db.selectFrom('outbox_message').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'pending').executeTakeFirstOrThrow();

    const s = await scrape();
    expect(sample(s, 'lindung_job_lag_seconds')).toBeGreaterThanOrEqual(90);
    expect(sample(s, 'lindung_job_lag_seconds')).toBeLessThan(90 + 60);
    expect(sample(s, 'lindung_outbox_backlog')).toBe(Number(pending.n));
    expect(Number(pending.n)).toBeGreaterThan(0); // the test app runs no delivery worker: every message waits
    expect(sample(s, 'lindung_db_pool_connections{state="total"}')).toBeGreaterThanOrEqual(1);
    expect(s.has('lindung_db_pool_connections{state="idle"}')).toBe(true);
    expect(sample(s, 'lindung_db_pool_connections{state="waiting"}')).toBe(0); // not even the scrape's own queries
    expect(s.has('lindung_process_resident_memory_bytes')).toBe(true);
  });

  it('answers in about a second when the database does not: its gauges are NaN (and a warning logged), the rest is there', async () => {
    let release!: () => void;
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = t.db.transaction().execute(async (trx) => {
      await sql`lock table job, outbox_message in access exclusive mode`.execute(trx);
      locked();
      await new Promise<void>((resolve) => (release = resolve));
    });
    await isLocked;
    const started = performance.now();
    let s: Map<string, number>;
    try {
      s = await scrape();
    } finally {
      release();
      await holder;
    }
    const ms = performance.now() - started;
    expect(ms).toBeGreaterThanOrEqual(SCRAPE_DATABASE_TIMEOUT_MS - 50);
    expect(ms).toBeLessThan(SCRAPE_DATABASE_TIMEOUT_MS + 2_000);
    expect(s.get('lindung_job_lag_seconds')).toBeNaN();
    expect(s.get('lindung_outbox_backlog')).toBeNaN();
    expect(sample(s, 'lindung_payment_outcomes_total{channel="va",outcome="applied",reason=""}')).toBeGreaterThan(0);
    const warned = logged().filter((l) => l['level'] === 'warn' && l['msg'] === 'metrics: database gauge not read').map((l) => l['metric']);
    expect(warned.sort()).toEqual(['lindung_job_lag_seconds', 'lindung_outbox_backlog']);
    expect((await scrape()).get('lindung_outbox_backlog')).toBeGreaterThan(0); // and the next scrape reads it again
  });
});
