import { spawnSync } from 'node:child_process';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { ConfigError, loadConfig } from '../../src/config.js';
import { addResident } from '../../src/modules/identity/index.js';
import { listMessagesTo } from '../../src/modules/notifications/index.js';
import { DEV_SNAP_PARTNER_PUBLIC_KEY } from '../../src/modules/payments/snap/dev-partner-key.js';
import { expectError, outbox } from '../support/api-errors.js';
import { makePerson, registerVerified } from '../support/factories.js';
import { portalClient, textOf } from '../support/portal-client.js';
import { createTestApp, TEST_PRODUCTION_NIK_KEYS, TEST_START, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());
beforeEach(() => t.clock.set(new Date(TEST_START)));

const e164 = (nationalPhone: string) => `+62${nationalPhone.slice(1)}`;
const PRODUCTION_SECRETS = { PAYMENT_WEBHOOK_SECRET: 'x', OTP_SECRET: 'y', CARD_SIGNING_SEED: 'z', STAFF_API_KEY: 'k', COOKIE_SECRET: 'c' };
/** Everything production needs besides the secrets (the NIK keys are checked in test/api/nik-at-rest.test.ts). */
const PRODUCTION_BASE = { PUBLIC_BASE_URL: 'https://lindung.example', ...TEST_PRODUCTION_NIK_KEYS };
const INSTANT_WIB = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+07:00$/;

describe('POST /dev/population', () => {
  it('201, and the identity check answers from it: refused before the resident is added, accepted after', async () => {
    const person = makePerson();
    const resident = { nik: person.nik, fullName: person.fullName, birthDate: person.birthDate, gender: person.gender };

    const stranger = await t.post('/api/v1/registrations', person);
    expectError(stranger, 422, 'identity_mismatch', 'nik');

    const res = await t.post('/dev/population', resident);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject(resident);
    expect((await t.post('/api/v1/registrations', person)).status).toBe(201);
  });

  it('posting the same NIK again replaces the resident’s data', async () => {
    const person = makePerson({ gender: 'M' });
    expect((await t.post('/dev/population', { ...person, fullName: 'Nama Lama' })).status).toBe(201);
    expect((await t.post('/dev/population', { nik: person.nik, fullName: person.fullName, birthDate: person.birthDate, gender: 'M' })).status).toBe(201);

    expect((await t.post('/api/v1/registrations', person)).status).toBe(201);
    expectError(await t.post('/api/v1/registrations', { ...person, fullName: 'Nama Lama' }), 422, 'identity_mismatch', 'nik');
  });

  const valid = { nik: '3275011705900001', fullName: 'Budi Santoso', birthDate: '1990-05-17', gender: 'M' };
  it.each<[string, unknown, string | undefined]>([
    ['malformed JSON', '{"nik":', undefined],
    ['a 15-digit NIK', { ...valid, nik: '327501170590000' }, 'nik'],
    ['a NIK with a letter', { ...valid, nik: '327501170590000X' }, 'nik'],
    ['a missing fullName', { nik: valid.nik, birthDate: valid.birthDate, gender: 'M' }, 'fullName'],
    ['an empty fullName', { ...valid, fullName: '' }, 'fullName'],
    ['a birth date in another format', { ...valid, birthDate: '17/05/1990' }, 'birthDate'],
    ['gender "L"', { ...valid, gender: 'L' }, 'gender'],
  ])('400 invalid_request for %s', async (_label, body, field) => {
    expectError(await t.post('/dev/population', body), 400, 'invalid_request', field);
  });
});

describe('GET /dev/outbox?to=', () => {
  it('lists every email and SMS to one address, newest first, with channel, subject, body, createdAt and data', async () => {
    const person = makePerson();
    const id = await registerVerified(t, person);
    t.clock.advance(60_000);
    const bill = (await t.post(`/api/v1/registrations/${id}/submit`, { programs: ['JKK', 'JKM'], declaredIncome: 1_000_000, months: 1 })).body.bill;
    const other = makePerson();
    await registerVerified(t, other);

    const emails = await outbox(t, person.email);

    expect(emails.map((m) => m.to)).toEqual([person.email, person.email]);
    expect(emails.map((m) => m.channel)).toEqual(['email', 'email']);
    const [paymentMail, tokenMail] = emails;
    expect(paymentMail).toMatchObject({ subject: expect.stringContaining(bill.paymentCode), body: expect.stringContaining(bill.paymentCode), createdAt: expect.stringMatching(/^2026-11-22T10:01:/) });
    expect(tokenMail).toMatchObject({ subject: expect.stringMatching(/\S/), createdAt: expect.stringMatching(/^2026-11-22T10:00:/), data: { token: expect.any(String) } });
    expect(tokenMail!.body).toContain(tokenMail!.data.token);
    for (const m of emails) {
      expect(m.createdAt).toMatch(INSTANT_WIB);
    }
  });

  it('finds SMS by the phone in any common spelling, and emails case-insensitively', async () => {
    const person = makePerson();
    await registerVerified(t, person);
    const sms = await outbox(t, e164(person.phone));
    expect(sms).toHaveLength(1);
    expect(sms[0]).toMatchObject({ channel: 'sms', to: e164(person.phone), subject: expect.any(String), data: { otp: expect.stringMatching(/^\d{6}$/) } });

    for (const spelling of [person.phone, e164(person.phone).slice(1), `${person.phone.slice(0, 4)}-${person.phone.slice(4, 8)}-${person.phone.slice(8)}`]) {
      expect(await outbox(t, spelling)).toEqual(sms);
    }
    expect(await outbox(t, person.email.toUpperCase())).toEqual(await outbox(t, person.email));
  });

  it('is empty for an address nothing was sent to; 400 without `to`', async () => {
    expect(await outbox(t, 'tidak-pernah@contoh.id')).toEqual([]);
    expectError(await t.get('/dev/outbox'), 400, 'invalid_request', 'to');
  });
});

describe('GET/POST /dev/clock', () => {
  it('reads, sets and reads back the server clock, which every time rule follows; {now:null} returns to real time', async () => {
    const start = await t.get('/dev/clock');
    expect(start.status).toBe(200);
    expect(start.body.now).toMatch(/^2026-11-22T10:00:\d\d\+07:00$/);

    const set = await t.post('/dev/clock', { now: '2027-01-15T08:30:00+07:00' });
    expect(set.status).toBe(200);
    expect(set.body.now).toMatch(/^2027-01-15T08:30:0\d\+07:00$/);
    expect((await t.get('/dev/clock')).body.now).toMatch(/^2027-01-15T08:30:0\d\+07:00$/);
    // Offsets other than WIB are accepted and read back in WIB.
    expect((await t.post('/dev/clock', { now: '2027-01-15T01:30:00Z' })).body.now).toMatch(/^2027-01-15T08:30:0\d\+07:00$/);

    // The quote's default start month and a bill's expiry follow the moved clock.
    const quote = await t.post('/api/v1/quotes', { programs: ['JKK', 'JKM'], declaredIncome: 1_000_000, months: 1 });
    expect(quote.body.months[0].month).toBe('2027-01');
    const id = await registerVerified(t, makePerson());
    const bill = (await t.post(`/api/v1/registrations/${id}/submit`, { programs: ['JKK', 'JKM'], declaredIncome: 1_000_000, months: 1 })).body.bill;
    expect(bill.expiresAt).toMatch(/^2027-01-16T08:30:\d\d\+07:00$/);

    const real = await t.post('/dev/clock', { now: null });
    expect(real.status).toBe(200);
    expect(Math.abs(Date.parse(real.body.now) - Date.now())).toBeLessThan(5_000);
    expect(Math.abs(Date.parse((await t.get('/dev/clock')).body.now) - Date.now())).toBeLessThan(5_000);
  });

  it.each<[string, unknown]>([
    ['not an instant', { now: 'besok' }],
    ['an instant without an offset', { now: '2027-01-15T08:30:00' }],
    ['a date only', { now: '2027-01-15' }],
    ['a number', { now: 1_800_000_000_000 }],
    ['no `now`', {}],
  ])('400 invalid_request for %s, and the clock does not move', async (_label, body) => {
    expectError(await t.post('/dev/clock', body), 400, 'invalid_request', 'now');
    expect((await t.get('/dev/clock')).body.now).toMatch(/^2026-11-22T10:00:\d\d\+07:00$/);
  });
});

describe('production mode (NODE_ENV=production)', () => {
  let prod: TestApp;
  beforeAll(async () => {
    prod = await createTestApp({ env: { NODE_ENV: 'production', ...PRODUCTION_SECRETS } });
  });
  afterAll(async () => prod.close());

  it.each([
    ['GET', '/dev/outbox?to=budi@contoh.id'],
    ['GET', '/dev/clock'],
    ['POST', '/dev/clock'],
    ['POST', '/dev/population'],
    ['GET', '/dev'],
    ['GET', '/dev/anything'],
  ])('%s %s → 404 not_found', async (method, path) => {
    const body = path === '/dev/clock' ? { now: '2030-01-01T00:00:00+07:00' } : path === '/dev/population' ? { nik: '3275011705900001', fullName: 'Budi Santoso', birthDate: '1990-05-17', gender: 'M' } : undefined;
    const res = await prod.request(method, path, method === 'POST' ? body : undefined);
    expectError(res, 404, 'not_found', undefined);
  });

  it('still serves the API, and a POST to /dev/clock has not moved the clock', async () => {
    await prod.post('/dev/clock', { now: '2030-01-01T00:00:00+07:00' });
    expect((await prod.get('/healthz')).body).toEqual({ status: 'ok' });
    expect((await prod.get('/api/v1/reference/occupations')).status).toBe(200);
    const quote = await prod.post('/api/v1/quotes', { programs: ['JKK', 'JKM'], declaredIncome: 1_000_000, months: 1 });
    expect(quote.body.months[0].month).toBe('2026-11');
  });

  it('the pay page shows no sample-merchant QRIS (no QR, no development note, no simulator); development shows them', async () => {
    // Production has no /dev: the resident goes straight into the stand-in registry, the codes are read from the outbox table.
    const person = makePerson();
    await addResident(prod.db, { nik: person.nik, fullName: person.fullName, birthDate: person.birthDate, gender: person.gender }, prod.clock.now(), prod.config.nik);
    const created = await prod.post('/api/v1/registrations', person);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;
    const sent = async (key: 'token' | 'otp') => {
      const rows = await listMessagesTo(prod.db, [person.email, e164(person.phone)]);
      return rows.map((m) => m.data[key]).find((v): v is string => typeof v === 'string') ?? '';
    };
    expect((await prod.post(`/api/v1/registrations/${id}/verify-email`, { token: await sent('token') })).status).toBe(200);
    expect((await prod.post(`/api/v1/registrations/${id}/verify-phone`, { code: await sent('otp') })).status).toBe(200);
    const submit = await prod.post(`/api/v1/registrations/${id}/submit`, { programs: ['JKK', 'JKM'], declaredIncome: 1_000_000, months: 1 });
    expect(submit.status, JSON.stringify(submit.body)).toBe(201);

    const page = await portalClient(prod).get(`/bayar/${submit.body.bill.paymentCode as string}`);
    expect(page.status).toBe(200);
    // No QRIS without a real merchant QR: not even its steps ("scan the QRIS above" would point at nothing; issue 18
    // item 8 moved the QR and its steps right under the amount). The other channels' steps stay.
    expect(textOf(page.html)).not.toContain('QRIS (semua aplikasi bank dan dompet digital)');
    expect(textOf(page.html)).toContain('Transfer virtual account');
    expect(page.html).not.toContain('class="qr"');
    expect(page.html.slice(page.html.indexOf('<main'))).not.toContain('<svg'); // the header's logo mark is an inline SVG
    expect(textOf(page.html)).not.toContain('Kode QRIS untuk membayar');
    expect(textOf(page.html)).not.toContain('Mode pengembangan');
    expect(page.html).not.toMatch(/action="\/bayar\/\d+\/simulasi"/);

    // The same page in development carries the sample merchant's QRIS, said to be one.
    const devPerson = makePerson();
    const devId = await registerVerified(t, devPerson);
    const devSubmit = await t.post(`/api/v1/registrations/${devId}/submit`, { programs: ['JKK', 'JKM'], declaredIncome: 1_000_000, months: 1 });
    const devPage = await portalClient(t).get(`/bayar/${devSubmit.body.bill.paymentCode as string}`);
    expect(devPage.html).toContain('class="qr"');
    expect(textOf(devPage.html)).toContain('Kode QRIS untuk membayar');
    expect(textOf(devPage.html)).toContain('Mode pengembangan: QRIS ini dibuat dengan data pedagang contoh');
  });

  it('uses the configured secrets, not the development ones: the development staff key is refused', async () => {
    expect((await prod.get('/api/v1/participants/10000000018', { 'x-api-key': 'dev-staff-key' })).status).toBe(401);
    expect((await prod.get('/api/v1/participants/10000000018', { 'x-api-key': 'k' })).status).toBe(404);
  });
});

describe('loadConfig (src/config.ts)', () => {
  it('refuses production with the development default secrets, naming all of them', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/PAYMENT_WEBHOOK_SECRET, OTP_SECRET, CARD_SIGNING_SEED, STAFF_API_KEY, COOKIE_SECRET/);
  });

  it.each(Object.keys(PRODUCTION_SECRETS))('refuses production while %s is left at its default (or set to it)', (name) => {
    const defaults: Record<string, string> = { PAYMENT_WEBHOOK_SECRET: 'dev-webhook-secret', OTP_SECRET: 'dev-otp-secret', CARD_SIGNING_SEED: 'dev-card-signing-seed', STAFF_API_KEY: 'dev-staff-key', COOKIE_SECRET: 'dev-cookie-secret' };
    const { [name]: _omitted, ...others } = PRODUCTION_SECRETS as Record<string, string>;
    for (const env of [{ NODE_ENV: 'production', ...others }, { NODE_ENV: 'production', ...others, [name]: defaults[name]! }]) {
      let error: unknown;
      try {
        loadConfig(env);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toBe(`production refuses development default secrets: set ${name}`);
    }
  });

  it.each([
    ['MIDTRANS_SERVER_KEY', 'dev-midtrans-server-key'],
    ['XENDIT_CALLBACK_TOKEN', 'dev-xendit-callback-token'],
    ['SNAP_CLIENT_SECRET', 'dev-snap-client-secret'],
  ])('refuses production with the channel credential %s set to its development value', (name, value) => {
    expect(() => loadConfig({ NODE_ENV: 'production', ...PRODUCTION_SECRETS, [name]: value })).toThrow(
      new ConfigError(`production refuses development default secrets: set ${name}`),
    );
    expect(() => loadConfig({ NODE_ENV: 'production', ...PRODUCTION_SECRETS, ...PRODUCTION_BASE, [name]: `${value}-real` })).not.toThrow();
  });

  it('accepts production with every secret set and an https base URL, with development mode off', () => {
    const config = loadConfig({ NODE_ENV: 'production', ...PRODUCTION_SECRETS, ...PRODUCTION_BASE });
    expect(config).toMatchObject({ env: 'production', isDevelopment: false, paymentWebhookSecret: 'x', otpSecret: 'y', cardSigningSeed: 'z', staffApiKey: 'k' });
  });

  it('is production when NODE_ENV is unset: it refuses the development secrets, and with them set runs without /dev', () => {
    expect(() => loadConfig({})).toThrow(new ConfigError('production refuses development default secrets: set PAYMENT_WEBHOOK_SECRET, OTP_SECRET, CARD_SIGNING_SEED, STAFF_API_KEY, COOKIE_SECRET'));
    expect(loadConfig({ ...PRODUCTION_SECRETS, ...PRODUCTION_BASE })).toMatchObject({ env: 'production', isDevelopment: false });
  });

  it.each([
    ['unset', {}, 'unset'],
    ['http', { PUBLIC_BASE_URL: 'http://lindung.example' }, 'http://lindung.example'],
    ['http on localhost', { PUBLIC_BASE_URL: 'http://localhost:3000' }, 'http://localhost:3000'],
  ])('refuses production with PUBLIC_BASE_URL %s, saying what it needs', (_label, env, shown) => {
    expect(() => loadConfig({ NODE_ENV: 'production', ...PRODUCTION_SECRETS, ...env })).toThrow(
      new ConfigError(`production needs PUBLIC_BASE_URL, the server's public https:// address (links in emails, the card's QR code); it is ${shown}`),
    );
  });

  it('refuses production with the repository\'s test SNAP key as SNAP_PARTNER_PUBLIC_KEY, in any spelling of it; accepts another key', () => {
    const refusal = new ConfigError("production refuses the repository's test key as SNAP_PARTNER_PUBLIC_KEY: set the bank's own public key");
    const pkcs1 = createPublicKey(DEV_SNAP_PARTNER_PUBLIC_KEY).export({ type: 'pkcs1', format: 'pem' }).toString();
    for (const key of [DEV_SNAP_PARTNER_PUBLIC_KEY, DEV_SNAP_PARTNER_PUBLIC_KEY.trim().replace(/\n/g, '\\n'), pkcs1]) {
      expect(() => loadConfig({ NODE_ENV: 'production', ...PRODUCTION_SECRETS, ...PRODUCTION_BASE, SNAP_PARTNER_PUBLIC_KEY: key })).toThrow(refusal);
    }
    const bankKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(loadConfig({ NODE_ENV: 'production', ...PRODUCTION_SECRETS, ...PRODUCTION_BASE, SNAP_PARTNER_PUBLIC_KEY: bankKey }).channels.snap).toBeUndefined();
    expect(loadConfig({ NODE_ENV: 'development', SNAP_PARTNER_PUBLIC_KEY: DEV_SNAP_PARTNER_PUBLIC_KEY }).channels.snap).toBeDefined();
  });

  it('is development mode with the development secrets, port 3000 and ./data when asked for (NODE_ENV=development, as npm start sets)', () => {
    expect(loadConfig({ NODE_ENV: 'development' })).toMatchObject({
      env: 'development',
      isDevelopment: true,
      port: 3000,
      dataDir: './data',
      databaseUrl: undefined,
      paymentWebhookSecret: 'dev-webhook-secret',
      sessionTtlMinutes: 720,
    });
  });

  it('runs two jobs side by side on PostgreSQL, one on the embedded database, or JOB_CONCURRENCY', () => {
    const dev = { NODE_ENV: 'development' };
    expect(loadConfig(dev).jobConcurrency).toBe(1);
    expect(loadConfig({ ...dev, DATABASE_URL: 'postgres://localhost/lindung' }).jobConcurrency).toBe(2);
    expect(loadConfig({ ...dev, DATABASE_URL: 'postgres://localhost/lindung', JOB_CONCURRENCY: '4' }).jobConcurrency).toBe(4);
    expect(loadConfig({ ...dev, JOB_CONCURRENCY: '1' }).jobConcurrency).toBe(1);
  });

  it('walks the participants in two lanes on PostgreSQL, one on the embedded database, or JOB_LANES', () => {
    const dev = { NODE_ENV: 'development' };
    expect(loadConfig(dev).jobLanes).toBe(1);
    expect(loadConfig({ ...dev, DATABASE_URL: 'postgres://localhost/lindung' }).jobLanes).toBe(2);
    expect(loadConfig({ ...dev, DATABASE_URL: 'postgres://localhost/lindung', JOB_LANES: '3' }).jobLanes).toBe(3);
    expect(loadConfig({ ...dev, JOB_LANES: '2' }).jobLanes).toBe(2);
  });

  it.each([
    [{ JOB_CONCURRENCY: '0' }, /JOB_CONCURRENCY/],
    [{ JOB_CONCURRENCY: '9' }, /JOB_CONCURRENCY/],
    [{ JOB_LANES: '0' }, /JOB_LANES/],
    [{ PORT: 'abc' }, /PORT/],
    [{ NODE_ENV: 'staging' }, /NODE_ENV/],
    [{ SESSION_TTL_MINUTES: '0' }, /SESSION_TTL_MINUTES/],
    [{ IDENTITY_PROVIDER: 'http' }, /IDENTITY_URL/],
  ])('rejects an invalid environment %j', (env, message) => {
    expect(() => loadConfig({ NODE_ENV: 'development', ...env })).toThrow(message);
  });

  it('npm start refuses to start in production with default secrets: exit code 1 and the reason on stderr', () => {
    const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'], NODE_ENV: 'production', DATA_DIR: '/nonexistent-lindung-data', PORT: '0' };
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: process.cwd(), env, encoding: 'utf8', timeout: 20_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('production refuses development default secrets');
  });
});

describe('database sessions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  it('run without JIT compilation on PostgreSQL (src/db/connect.ts), on every connection of the pool', async () => {
    if (t.handle.kind !== 'postgres') {
      return; // PGlite has no JIT
    }
    const jit = await Promise.all(
      Array.from({ length: 4 }, () => t.db.transaction().execute(async (trx) => (await sql<{ jit: string }>`show jit`.execute(trx)).rows[0]?.jit)),
    );
    expect(jit).toEqual(['off', 'off', 'off', 'off']);
  });
});
