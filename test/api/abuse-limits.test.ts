import { request as httpRequest } from 'node:http';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose } from '../../src/compose.js';
import { hmacSha256Hex } from '../../src/shared/crypto.js';
import { createLogger } from '../../src/shared/logger.js';
import { expectError } from '../support/api-errors.js';
import { makePerson } from '../support/factories.js';
import { portalClient, textOf } from '../support/portal-client.js';
import { SnapBankClient } from '../support/snap-client.js';
import { createTestApp, type TestApp, type TestResponse } from '../support/test-app.js';

/** Rate limits, body-size limits and no-store (issue 13, "Abuse" and "Input"), through the real app. */

type AppLike = Pick<TestApp['app'], 'request'>;

/** A JSON request from a given client address: the socket's remote address, as @hono/node-server passes it. */
async function from(app: AppLike, address: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<TestResponse> {
  const init: RequestInit = { method, headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
  }
  const res = await app.request(path, init, { incoming: { socket: { remoteAddress: address } } });
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, body: type.includes('json') ? await res.json() : await res.text(), headers: res.headers };
}

let phoneCounter = 0;
/** A fresh, valid mobile number each call (0813 + 8 digits). */
function freshPhone(): string {
  phoneCounter += 1;
  return `0813${String(40_000_000 + phoneCounter * 7 + (process.pid % 1000) * 10_000).slice(-8)}`;
}

/** Counts of each status in `responses`. */
function tally(responses: TestResponse[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const r of responses) {
    out[r.status] = (out[r.status] ?? 0) + 1;
  }
  return out;
}

const AT = new Date('2026-11-22T03:10:00.000Z'); // the start of a one-minute window

describe('rate limits with the production defaults (RATE_LIMITS unset in production; "on" here)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { RATE_LIMITS: 'on' } });
  });
  afterAll(async () => t.close());

  it('300 POST /auth/otp from one address: 429 rate_limited with Retry-After after 60 a minute; another address is unaffected; the next window serves again', async () => {
    const answers: TestResponse[] = [];
    for (let i = 0; i < 300; i++) {
      t.clock.set(AT); // the whole burst inside one window, however slow the machine
      answers.push(await from(t.app, '203.0.113.7', 'POST', '/api/v1/auth/otp', { phone: freshPhone() }));
    }
    expect(tally(answers)).toEqual({ 202: 60, 429: 240 });
    const refused = answers[60] as TestResponse;
    expectError(refused, 429, 'rate_limited');
    expect(refused.headers.get('retry-after')).toBe('60');
    expect(refused.headers.get('cache-control')).toBe('no-store');

    expect((await from(t.app, '203.0.113.8', 'POST', '/api/v1/auth/otp', { phone: freshPhone() })).status).toBe(202);
    t.clock.set(new Date(AT.getTime() + 45_000));
    const later = await from(t.app, '203.0.113.7', 'POST', '/api/v1/auth/otp', { phone: freshPhone() });
    expectError(later, 429, 'rate_limited');
    expect(later.headers.get('retry-after')).toBe('15');
    t.clock.set(new Date(AT.getTime() + 60_000));
    expect((await from(t.app, '203.0.113.7', 'POST', '/api/v1/auth/otp', { phone: freshPhone() })).status).toBe(202);
    // the flood cost one counter write past the limit: the instance remembers the refusal until the window ends
    const counters = await sql<{ n: number }>`select n from rate_limit_counter where bucket = 'signin-ip' and window_start = ${AT}`.execute(t.db);
    expect(counters.rows.map((r) => Number(r.n)).sort((a, b) => a - b)).toEqual([1, 61]);
  });

  it('300 POST /auth/verify from one address: 429s appear (the code is never checked once limited)', async () => {
    const answers: TestResponse[] = [];
    const at = new Date(AT.getTime() + 10 * 60_000);
    for (let i = 0; i < 300; i++) {
      t.clock.set(at);
      answers.push(await from(t.app, '198.51.100.20', 'POST', '/api/v1/auth/verify', { phone: freshPhone(), code: '123456' }));
    }
    expect(tally(answers)).toEqual({ 422: 60, 429: 240 });
  });

  it('one phone is limited across addresses (10 sign-in requests per 10 minutes)', async () => {
    const phone = freshPhone();
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      t.clock.set(new Date(AT.getTime() + 20 * 60_000));
      statuses.push((await from(t.app, `192.0.2.${i + 1}`, 'POST', '/api/v1/auth/verify', { phone: `+62${phone.slice(1)}`, code: '000000' })).status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 422)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
  });

  it('windows that have ended are swept from the store', async () => {
    t.clock.set(new Date(AT.getTime() + 3 * 3_600_000));
    expect((await from(t.app, '203.0.113.9', 'POST', '/api/v1/auth/otp', { phone: freshPhone() })).status).toBe(202);
    const left = await sql<{ ended: number; open: number }>`
      select count(*) filter (where expires_at <= ${t.clock.now()})::int as ended, count(*) filter (where expires_at > ${t.clock.now()})::int as open
      from rate_limit_counter`.execute(t.db);
    expect(left.rows[0]).toEqual({ ended: 0, open: 2 }); // this request's IP and phone counters
  });

  it('X-Forwarded-For is ignored without TRUST_PROXY: a script cannot escape the limit by writing it', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 62; i++) {
      t.clock.set(new Date(AT.getTime() + 30 * 60_000));
      statuses.push((await from(t.app, '203.0.113.50', 'POST', '/api/v1/auth/otp', { phone: freshPhone() }, { 'x-forwarded-for': `10.1.0.${i}` })).status);
    }
    expect(statuses.filter((s) => s === 429)).toHaveLength(2);
  });
});

describe('rate limits shared by server instances, per route (small limits set through RATE_LIMITS)', () => {
  let t: TestApp;
  let second: AppLike;
  beforeAll(async () => {
    t = await createTestApp({
      env: {
        RATE_LIMITS: 'signin-ip=10/60,registration-ip=3/60,quote-ip=3/60,staff-auth-failure-ip=3/900,snap-token-ip=2/60',
      },
    });
    // A second server instance on the same database: its own app, limiter and memory; only the database is shared.
    second = compose(t.config, t.handle, { clock: t.clock, logger: createLogger('silent'), transports: { email: null, sms: null } }).app;
  });
  afterAll(async () => t.close());

  it('two instances on one database count together: 20 concurrent sign-ins over both, limit 10 → exactly 10 served', async () => {
    t.clock.set(AT);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => from(i % 2 === 0 ? t.app : second, '203.0.113.99', 'POST', '/api/v1/auth/otp', { phone: freshPhone() })),
    );
    expect(tally(answers)).toEqual({ 202: 10, 429: 10 });
    // and either instance keeps refusing
    expectError(await from(second, '203.0.113.99', 'POST', '/api/v1/auth/otp', { phone: freshPhone() }), 429, 'rate_limited');
    expectError(await from(t.app, '203.0.113.99', 'POST', '/api/v1/auth/otp', { phone: freshPhone() }), 429, 'rate_limited');
  });

  it('registration and its verify/otp endpoints share the per-address registration limit', async () => {
    t.clock.set(new Date(AT.getTime() + 60_000));
    const ip = '198.51.100.31';
    const statuses = [
      (await from(t.app, ip, 'POST', '/api/v1/registrations', { ...makePerson(), nik: '1' })).status,
      (await from(t.app, ip, 'POST', '/api/v1/registrations/reg_unknown/verify-email', { token: 'x' })).status,
      (await from(t.app, ip, 'POST', '/api/v1/registrations/reg_unknown/verify-phone', { code: '123456' })).status,
    ];
    expect(statuses).toEqual([422, 404, 404]);
    expectError(await from(t.app, ip, 'POST', '/api/v1/registrations/reg_unknown/otp'), 429, 'rate_limited');
    expectError(await from(t.app, ip, 'POST', '/api/v1/registrations', makePerson()), 429, 'rate_limited');
  });

  it('quotes: POST /api/v1/quotes and the portal simulator count together per address; the portal answers with an Indonesian page', async () => {
    t.clock.set(new Date(AT.getTime() + 2 * 60_000));
    const quote = { declaredIncome: 2_000_000, programs: ['JKK', 'JKM'], months: 1 };
    expect((await from(t.app, '198.51.100.40', 'POST', '/api/v1/quotes', quote)).status).toBe(200);
    expect((await from(t.app, '198.51.100.40', 'POST', '/api/v1/quotes', quote)).status).toBe(200);
    expect((await from(t.app, '198.51.100.40', 'GET', '/simulasi?income=2000000&programs=JKK&programs=JKM&months=1', undefined, { accept: 'text/html' })).status).toBe(200);
    // the simulator's empty form is no calculation: not counted
    expect((await from(t.app, '198.51.100.40', 'GET', '/simulasi', undefined, { accept: 'text/html' })).status).toBe(200);
    const page = await from(t.app, '198.51.100.40', 'GET', '/simulasi?income=3000000&programs=JKK&programs=JKM&months=1', undefined, { accept: 'text/html' });
    expect(page.status).toBe(429);
    expect(page.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(textOf(page.body as string)).toContain('Terlalu banyak permintaan');
    expectError(await from(t.app, '198.51.100.40', 'POST', '/api/v1/quotes', quote), 429, 'rate_limited');
  });

  it('portal sign-in and registration forms are limited too (the portal client has one address)', async () => {
    t.clock.set(new Date(AT.getTime() + 3 * 60_000));
    const browser = portalClient(t);
    const answers = [];
    for (let i = 0; i < 11; i++) {
      answers.push(await browser.submit('/masuk', '/masuk', { phone: freshPhone() }, { follow: false }));
    }
    expect(answers.slice(0, 10).map((a) => a.status)).toEqual(Array(10).fill(303));
    const refused = answers[10]!;
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(textOf(refused.html)).toContain('Terlalu banyak permintaan');

    const statuses = [];
    for (let i = 0; i < 4; i++) {
      statuses.push((await browser.submit('/daftar', '/daftar', { nik: '1' }, { follow: false })).status);
    }
    // A refused registration form is a 303 back to the form (Post/Redirect/Get, issue 18 item 2); the limit still bites.
    expect(statuses).toEqual([303, 303, 303, 429]);
  });

  it('staff sign-in: failed staff keys are counted per address; after 3 the right key is refused too, from that address only', async () => {
    t.clock.set(new Date(AT.getTime() + 4 * 60_000));
    const ip = '198.51.100.60';
    const path = '/api/v1/participants/12345678901';
    const right = { authorization: `Bearer ${t.config.staffApiKey}` };
    expect((await from(t.app, ip, 'GET', path, undefined, right)).status).toBe(404); // allowed, an unknown KPJ
    expect((await from(t.app, ip, 'GET', path)).status).toBe(401); // no key at all: not an attempt
    for (let i = 0; i < 3; i++) {
      expectError(await from(t.app, ip, 'GET', path, undefined, { authorization: `Bearer guess-${i}` }), 401, 'unauthorized');
    }
    const refused = await from(second, ip, 'GET', path, undefined, right);
    expectError(refused, 429, 'rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expectError(await from(t.app, ip, 'GET', '/api/v1/staff/unmatched-payments', undefined, { 'x-api-key': 'another-guess' }), 429, 'rate_limited');
    expect((await from(t.app, '198.51.100.61', 'GET', path, undefined, right)).status).toBe(404);
  });

  it('BI-SNAP access token: over the limit → 429 in the SNAP shape (4297300 Too Many Requests) with X-TIMESTAMP', async () => {
    t.clock.set(new Date(AT.getTime() + 5 * 60_000));
    const bank = new SnapBankClient(t);
    expect((await bank.accessToken()).body.responseCode).toBe('2007300');
    expect((await bank.accessToken()).body.responseCode).toBe('2007300');
    const refused = await bank.accessToken();
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ responseCode: '4297300', responseMessage: 'Too Many Requests' });
    expect(refused.headers.get('x-timestamp')).toBeTruthy();
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});

describe('rate limits over real HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ listen: true, env: { RATE_LIMITS: 'quote-ip=2/60' } });
  });
  afterAll(async () => t.close());

  it("the client is the socket's remote address (127.0.0.1 here): its counter is the one that refuses", async () => {
    t.clock.set(AT);
    const quote = () =>
      fetch(`${t.origin}/api/v1/quotes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ declaredIncome: 2_000_000, programs: ['JKK', 'JKM'], months: 1 }) });
    expect([(await quote()).status, (await quote()).status, (await quote()).status]).toEqual([200, 200, 429]);
    const key = hmacSha256Hex(t.config.otpSecret, ['rate-limit', 'quote-ip', '127.0.0.1'].join('\0')).slice(0, 32);
    const row = await sql<{ n: number }>`select n from rate_limit_counter where bucket = 'quote-ip' and key = ${key}`.execute(t.db);
    expect(row.rows.map((r) => Number(r.n))).toEqual([3]);
  });
});

describe('rate limits behind a trusted proxy (TRUST_PROXY=1)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { RATE_LIMITS: 'signin-ip=2/60', TRUST_PROXY: '1' } });
  });
  afterAll(async () => t.close());

  it('the client is the address our proxy appended to X-Forwarded-For; what the client wrote before it is not trusted', async () => {
    t.clock.set(AT);
    const viaProxy = (client: string, spoofed?: string) =>
      from(t.app, '10.0.0.1', 'POST', '/api/v1/auth/otp', { phone: freshPhone() }, { 'x-forwarded-for': spoofed ? `${spoofed}, ${client}` : client });
    expect((await viaProxy('203.0.113.1')).status).toBe(202);
    expect((await viaProxy('203.0.113.1', '1.1.1.1')).status).toBe(202);
    expectError(await viaProxy('203.0.113.1', '2.2.2.2'), 429, 'rate_limited');
    expect((await viaProxy('203.0.113.2')).status).toBe(202);
  });
});

describe('body-size limits, before any other work', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ listen: true });
  });
  afterAll(async () => t.close());

  it('an unsigned 1 MiB payment notification: 413 payload_too_large, not 401 — the signature is never computed', async () => {
    const res = await t.request('POST', '/api/v1/payments/notifications', JSON.stringify({ pad: 'x'.repeat(1024 * 1024) }), { 'x-signature': 'ab' });
    expectError(res, 413, 'payload_too_large');
    // a body within the limit still reaches the signature check
    const small = await t.request('POST', '/api/v1/payments/notifications', JSON.stringify({ pad: 'x' }), { 'x-signature': 'ab' });
    expect([small.status, small.body.error.code]).toEqual([401, 'invalid_signature']);
  });

  it('a quote padded past 64 KiB: 413 (a 32 MiB one was priced before); a normal quote still 200', async () => {
    const quote = { declaredIncome: 2_000_000, programs: ['JKK', 'JKM'], months: 1 };
    expect((await t.post('/api/v1/quotes', quote)).status).toBe(200);
    const padded = JSON.stringify(quote) + ' '.repeat(65 * 1024);
    const res = await t.request('POST', '/api/v1/quotes', padded, { 'accept-language': 'en' });
    expect(res.status).toBe(413);
    expect(res.body.error).toMatchObject({ code: 'payload_too_large', message: 'The data sent is too large. Send less data.' });
  });

  it('a streamed body is refused while the client is still sending: 413 arrives after a few MiB of 64 MiB', async () => {
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const url = new URL('/api/v1/payments/notifications', t.origin);
    const outcome = await new Promise<{ status: number; sentBytes: number; body: string }>((resolve, reject) => {
      let sent = 0;
      let answered = false;
      const req = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
        answered = true;
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, sentBytes: sent, body });
          req.destroy();
        });
      });
      req.on('error', (err) => (answered ? undefined : reject(err)));
      const pump = () => {
        while (!answered && sent < 64 * 1024 * 1024) {
          sent += chunk.length;
          if (!req.write(chunk)) {
            req.once('drain', pump);
            return;
          }
        }
        if (!answered) {
          req.end();
        }
      };
      pump();
    });
    expect(outcome.status).toBe(413);
    expect(JSON.parse(outcome.body).error.code).toBe('payload_too_large');
    expect(outcome.sentBytes).toBeLessThan(32 * 1024 * 1024);
  });

  it('a declared Content-Length over the limit is refused at once, without waiting for the body', async () => {
    const url = new URL('/api/v1/quotes', t.origin);
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(64 * 1024 * 1024) } }, (res) => {
        resolve(res.statusCode ?? 0);
        res.resume();
        req.destroy();
      });
      req.on('error', () => undefined);
      req.write('{"declaredIncome":');
      setTimeout(() => reject(new Error('no answer before the body was sent')), 5000);
    });
    expect(status).toBe(413);
  });

  it('portal forms over 32 KiB: the Indonesian 413 page, before the form (and its CSRF token) is read', async () => {
    const browser = portalClient(t);
    const res = await browser.submit('/daftar', '/daftar', { nik: '3275011705900001', address: 'x'.repeat(40 * 1024) }, { follow: false });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(textOf(res.html)).toContain('Data terlalu besar');
    // an ordinary form is still read (refused, so 303 back to the form with its errors: Post/Redirect/Get)
    expect((await browser.submit('/daftar', '/daftar', { nik: '1' }, { follow: false })).status).toBe(303);
  });

  it('the settlement-file upload keeps its larger limit (a 200 KiB file is read and judged, not refused as too large)', async () => {
    const staff = { authorization: `Bearer ${t.config.staffApiKey}` };
    const csv = `reference,amount\n${'x,1\n'.repeat(50_000)}`;
    const res = await t.request('POST', '/api/v1/staff/reconciliation-runs', { channel: 'va', settlementDate: '2026-11-21', csv }, staff);
    expect(res.status).not.toBe(413);
    // without the staff key nothing is read at all
    expect((await t.post('/api/v1/staff/reconciliation-runs', { channel: 'va', settlementDate: '2026-11-21', csv })).status).toBe(401);
  });
});

describe('Cache-Control: no-store on personal API answers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  it('sign-in, registration, /me, staff views and errors are no-store; reference data stays publicly cacheable; openapi.json is not no-store', async () => {
    const person = makePerson();
    const personal: TestResponse[] = [
      await t.post('/api/v1/auth/otp', { phone: person.phone }),
      await t.post('/api/v1/auth/verify', { phone: person.phone, code: '000000' }),
      await t.post('/api/v1/registrations', person),
      await t.get('/api/v1/me'),
      await t.get('/api/v1/participants/12345678901', { authorization: `Bearer ${t.config.staffApiKey}` }),
      await t.get('/api/v1/staff/unmatched-payments', { authorization: `Bearer ${t.config.staffApiKey}` }),
      await t.post('/api/v1/quotes', { declaredIncome: 2_000_000, programs: ['JKK', 'JKM'], months: 1 }),
    ];
    expect(personal.map((r) => [r.status, r.headers.get('cache-control')])).toEqual(personal.map((r) => [r.status, 'no-store']));
    expect((await t.get('/api/v1/reference/occupations')).headers.get('cache-control')).toBe('public, max-age=3600');
    expect((await t.get('/api/v1/openapi.json')).headers.get('cache-control')).toBeNull();
  });
});
