import { URI } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaffAccount, STAFF_POLICY, STAFF_ROLES, type StaffRole } from '../../src/modules/staff/index.js';
import { expectError } from '../support/api-errors.js';
import { activeMember } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Staff accounts, sessions, the lockout, TOTP, the one policy table (role × endpoint), the audit trail and the
 * participant search — api-contract.md "Staff" and "Development additions" (POST /dev/staff).
 */
let t: TestApp;
const PASSWORD = 'kata-sandi-staf-123';
const tokens = {} as Record<StaffRole, string>;
const KEY = { authorization: 'Bearer dev-staff-key' };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function createStaff(app: TestApp, username: string, roles: StaffRole[], extra: Record<string, unknown> = {}) {
  const res = await app.post('/dev/staff', { username, password: PASSWORD, roles, ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { username: string; roles: string[]; otpauthUri?: string };
}

const signIn = (app: TestApp, username: string, password = PASSWORD, totp?: string) =>
  app.post('/api/v1/staff/sessions', { username, password, ...(totp === undefined ? {} : { totp }) });

/** Signs one account per role in (again: tests move the clock past the 8-hour session). */
async function signInEveryRole() {
  for (const role of STAFF_ROLES) {
    const res = await signIn(t, `user-${role.replace('_', '-')}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    tokens[role] = res.body.token as string;
  }
}

beforeAll(async () => {
  t = await createTestApp();
  for (const role of STAFF_ROLES) {
    await createStaff(t, `user-${role.replace('_', '-')}`, [role]);
  }
  await signInEveryRole();
});
afterAll(async () => t.close());

describe('POST /dev/staff and POST /api/v1/staff/sessions', () => {
  it('creates an account (201) and signs it in: token, roles, expiresAt 8 hours on; the username in any case', async () => {
    expect(await createStaff(t, 'Siti.Counter', ['counter', 'contact_centre'], { branchCode: 'JKT01' })).toMatchObject({ username: 'siti.counter', roles: ['counter', 'contact_centre'] });
    // The clock read around the call bounds the server's (a loaded machine can spend seconds on one request).
    const before = t.clock.now().getTime();
    const res = await signIn(t, 'SITI.counter');
    const after = t.clock.now().getTime();
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ token: expect.stringMatching(/^stf_/), roles: ['counter', 'contact_centre'], expiresAt: expect.stringMatching(/\+07:00$/) });
    const expiresAt = new Date(res.body.expiresAt).getTime();
    expect(expiresAt).toBeGreaterThanOrEqual(before + 8 * 3_600_000 - 1_000); // the string may drop milliseconds
    expect(expiresAt).toBeLessThanOrEqual(after + 8 * 3_600_000);
    expect((await t.get('/api/v1/staff/participants?kpj=00000000000', bearer(res.body.token))).status).toBe(200);
  });

  it('refuses a taken username whatever its case, and a role outside the contract', async () => {
    expect((await t.post('/dev/staff', { username: 'SITI.COUNTER', password: PASSWORD, roles: ['counter'] })).status).toBe(400);
    expect((await t.post('/dev/staff', { username: 'budi', password: PASSWORD, roles: ['root'] })).status).toBe(400);
  });

  it('stores an argon2id hash with the OWASP parameters, never the password', async () => {
    const row = await t.db.selectFrom('staff_account').select('password_hash').where('username', '=', 'siti.counter').executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row.password_hash).not.toContain(PASSWORD);
  });

  it('one answer for an unknown username and a wrong password: 401 invalid_credentials', async () => {
    expectError(await signIn(t, 'nobody-here'), 401, 'invalid_credentials');
    expectError(await signIn(t, 'siti.counter', 'wrong-password'), 401, 'invalid_credentials');
  });

  it('5 failures in 15 minutes lock the account for 15 minutes (429, even with the right password), audited', async () => {
    await createStaff(t, 'rudi', ['counter']);
    for (let i = 0; i < 4; i += 1) {
      expectError(await signIn(t, 'rudi', 'wrong'), 401, 'invalid_credentials');
    }
    t.clock.set(new Date(t.clock.now().getTime() + 16 * 60_000)); // the 4 failures leave the window
    expectError(await signIn(t, 'rudi', 'wrong'), 401, 'invalid_credentials');
    expect((await signIn(t, 'rudi')).status).toBe(200);
    for (let i = 0; i < 5; i += 1) {
      expectError(await signIn(t, 'rudi', 'wrong'), 401, 'invalid_credentials');
    }
    expectError(await signIn(t, 'rudi'), 429, 'too_many_attempts');
    t.clock.set(new Date(t.clock.now().getTime() + 14 * 60_000));
    expectError(await signIn(t, 'rudi'), 429, 'too_many_attempts');
    t.clock.set(new Date(t.clock.now().getTime() + 2 * 60_000));
    expect((await signIn(t, 'rudi')).status).toBe(200);
    const audit = await t.get('/api/v1/staff/audit?entity=staff-account:rudi', bearer(tokens.supervisor));
    expect(audit.body.events.map((e: { action: string; actor: string }) => `${e.actor} ${e.action}`)).toEqual(['system staff_account.create', 'system staff_account.lock']);
  });

  it('sessions end at sign-out (DELETE /staff/sessions/current) and after 8 hours', async () => {
    await createStaff(t, 'dewi', ['supervisor']);
    const first = (await signIn(t, 'dewi')).body.token as string;
    const second = (await signIn(t, 'dewi')).body.token as string;
    expect((await t.request('DELETE', '/api/v1/staff/sessions/current', undefined, bearer(first))).status).toBe(204);
    expectError(await t.get('/api/v1/staff/audit?entity=x:1', bearer(first)), 401, 'unauthorized');
    expect((await t.get('/api/v1/staff/audit?entity=x:1', bearer(second))).status).toBe(200);
    t.clock.set(new Date(t.clock.now().getTime() + 8 * 3_600_000 + 1_000));
    expectError(await t.get('/api/v1/staff/audit?entity=x:1', bearer(second)), 401, 'unauthorized');
  });

  it('a development account with a TOTP secret needs the code too', async () => {
    const made = await createStaff(t, 'totp-dev', ['admin'], { totp: true });
    expect(made.otpauthUri).toMatch(/^otpauth:\/\/totp\/Lindung:totp-dev\?/);
    const totp = URI.parse(made.otpauthUri ?? '');
    expectError(await signIn(t, 'totp-dev'), 401, 'invalid_credentials');
    expect((await signIn(t, 'totp-dev', PASSWORD, totp.generate({ timestamp: t.clock.now().getTime() }))).status).toBe(200);
  });

  it('a participant token is never a staff token (403), and no token is 401', async () => {
    const member = await activeMember(t);
    expectError(await t.get('/api/v1/staff/audit?entity=x:1', member.auth), 403, 'forbidden');
    expectError(await t.get('/api/v1/staff/audit?entity=x:1'), 401, 'unauthorized');
  });
});

describe('production: TOTP required (RFC 6238)', () => {
  let prod: TestApp;
  beforeAll(async () => {
    prod = await createTestApp({ env: { NODE_ENV: 'production', PAYMENT_WEBHOOK_SECRET: 'x', OTP_SECRET: 'y', CARD_SIGNING_SEED: 'z', STAFF_API_KEY: 'k', COOKIE_SECRET: 'c' } });
  });
  afterAll(async () => prod.close());

  it('has no /dev/staff; an account signs in only with password and the current code', async () => {
    expect((await prod.post('/dev/staff', { username: 'x', password: PASSWORD, roles: ['admin'] })).status).toBe(404);
    const made = await createStaffAccount(prod.db, { username: 'ops', password: PASSWORD, roles: ['admin'], withTotp: true }, { actor: 'system', at: prod.clock.now() });
    const totp = URI.parse(made?.otpauthUri ?? '');
    const code = (at: Date) => totp.generate({ timestamp: at.getTime() });
    expectError(await signIn(prod, 'ops'), 401, 'invalid_credentials');
    expectError(await signIn(prod, 'ops', PASSWORD, code(new Date(prod.clock.now().getTime() - 10 * 60_000))), 401, 'invalid_credentials');
    const res = await signIn(prod, 'ops', PASSWORD, code(prod.clock.now()));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.roles).toEqual(['admin']);
    expectError(await signIn(prod, 'ops', PASSWORD, code(prod.clock.now())), 401, 'invalid_credentials'); // a code is used once
    prod.clock.set(new Date(prod.clock.now().getTime() + 30_000));
    expect((await signIn(prod, 'ops', PASSWORD, code(prod.clock.now()))).status).toBe(200);
  });

  it('refuses an account without a TOTP secret', async () => {
    await createStaffAccount(prod.db, { username: 'nosecret', password: PASSWORD, roles: ['admin'], withTotp: false }, { actor: 'system', at: prod.clock.now() });
    expectError(await signIn(prod, 'nosecret', PASSWORD, '123456'), 401, 'invalid_credentials');
  });
});

/** A concrete path for a policy key (any value: the guard answers before the parameters are read). */
function concrete(key: string): { method: string; path: string } {
  const [method, path] = key.split(' ') as [string, string];
  return { method, path: path.replace('{year}', '2027').replace('{kpj}', '12345678901').replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000') };
}

describe('the policy table, role by role (through the real app)', () => {
  beforeAll(signInEveryRole);
  const entries = Object.entries(STAFF_POLICY).map(([key, roles]) => ({ key, roles: roles as readonly StaffRole[], ...concrete(key) }));
  const body = (method: string) => (method === 'GET' || method === 'DELETE' ? undefined : {});

  it.each(entries)('$key: 401 without a token, 403 for every other role', async ({ method, path, roles }) => {
    expectError(await t.request(method, path, body(method)), 401, 'unauthorized');
    for (const role of STAFF_ROLES.filter((r) => !roles.includes(r))) {
      const res = await t.request(method, path, body(method), bearer(tokens[role]));
      expect({ role, status: res.status }).toEqual({ role, status: 403 });
    }
  });

  it.each(entries.filter((e) => e.method !== 'DELETE'))('$key: every listed role and the staff key pass the guard', async ({ method, path, roles }) => {
    for (const [who, headers] of [...roles.map((r) => [r, bearer(tokens[r])] as const), ['key', KEY] as const]) {
      const res = await t.request(method, path, body(method), headers);
      expect({ who, passed: ![401, 403].includes(res.status) }).toEqual({ who, passed: true });
    }
  });

  it('lists every staff endpoint of the OpenAPI document', async () => {
    const doc = (await t.get('/api/v1/openapi.json')).body as { paths: Record<string, Record<string, { tags?: string[] }>> };
    const staffOps = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => op.tags?.includes('Staf (staff)'))
        .map(([method]) => `${method.toUpperCase()} /api/v1${path}`),
    );
    expect(staffOps.filter((k) => k !== 'POST /api/v1/staff/sessions' && !(k in STAFF_POLICY))).toEqual([]);
  });
});

describe('GET /api/v1/staff/audit', () => {
  beforeAll(signInEveryRole);
  it('every staff write is audited with its actor: an account by username, the staff key by its id', async () => {
    const decree = { decree: 'SKB 3 Menteri 2027', holidays: [{ date: '2027-01-01', name: 'Tahun Baru 2027 Masehi', kind: 'national_holiday' }], reason: 'keputusan terbit' };
    expect((await t.request('PUT', '/api/v1/staff/holidays/2027', decree, bearer(tokens.admin))).status).toBe(200);
    expect((await t.request('PUT', '/api/v1/staff/holidays/2027', decree, KEY)).status).toBe(200);
    const res = await t.get('/api/v1/staff/audit?entity=holiday-year:2027', bearer(tokens.admin));
    expect(res.status).toBe(200);
    expect(res.body.events).toEqual([
      { at: expect.stringMatching(/\+07:00$/), actor: 'user-admin', action: 'holiday_calendar.put', entity: 'holiday-year:2027', reason: 'keputusan terbit' },
      { at: expect.stringMatching(/\+07:00$/), actor: expect.stringMatching(/^staff-key:[0-9a-f]{12}$/), action: 'holiday_calendar.put', entity: 'holiday-year:2027', reason: 'keputusan terbit' },
    ]);
    const row = await t.db.selectFrom('staff_audit').select(['before', 'after']).where('subject', '=', 'staff-account:user-admin').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ before: null, after: { username: 'user-admin', roles: ['admin'] } });
  });
});

describe('a finance account resolves unmatched money', () => {
  beforeAll(signInEveryRole);

  it('refund by username: audited with before/after, found as payment:ID', async () => {
    const externalId = `stf-${process.pid}-1`;
    const paid = await t.notify({ externalId, paymentCode: '8000000000000018', amount: 16800, channel: 'counter', paidAt: t.clock.now().toISOString() });
    expect(paid.body.status).toBe('unmatched');
    const id = (await t.db.selectFrom('payment').select('id').where('external_id', '=', externalId).executeTakeFirstOrThrow()).id;
    expectError(await t.post(`/api/v1/staff/unmatched-payments/${id}/refund`, { reason: 'salah kode' }, bearer(tokens.counter)), 403, 'forbidden');
    const res = await t.post(`/api/v1/staff/unmatched-payments/${id}/refund`, { reason: 'salah kode' }, bearer(tokens.finance));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.resolvedBy).toBe('user-finance');
    const audit = await t.get(`/api/v1/staff/audit?entity=payment:${id}`, bearer(tokens.supervisor));
    expect(audit.body.events).toEqual([{ at: expect.any(String), actor: 'user-finance', action: 'unmatched_payment.refund', entity: `payment:${id}`, reason: 'salah kode' }]);
    const row = await t.db.selectFrom('staff_audit').select(['before', 'after']).where('subject', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ before: { resolution: null }, after: { resolution: 'refunded' } });
  });
});

describe('GET /api/v1/staff/participants and /coverage', () => {
  beforeAll(signInEveryRole);
  it('finds by KPJ, NIK or phone; the NIK is never returned', async () => {
    const member = await activeMember(t, { person: { fullName: 'Ayu Lestari' } });
    for (const q of [`kpj=${member.kpj}`, `nik=${member.person.nik}`, `phone=${member.person.phone}`]) {
      const res = await t.get(`/api/v1/staff/participants?${q}`, bearer(tokens.counter));
      expect(res.status).toBe(200);
      expect(res.body.participants).toContainEqual({ kpj: member.kpj, fullName: 'Ayu Lestari', status: expect.any(String), coveredThrough: expect.stringMatching(/^\d{4}-\d{2}$/) });
      expect(JSON.stringify(res.body)).not.toContain(member.person.nik);
      expect(JSON.stringify(res.body)).not.toContain(member.person.nik.slice(-4) + '"');
    }
    expectError(await t.get(`/api/v1/staff/participants?kpj=${member.kpj}&nik=${member.person.nik}`, bearer(tokens.counter)), 400, 'invalid_request', 'kpj');
    expectError(await t.get('/api/v1/staff/participants', bearer(tokens.counter)), 400, 'invalid_request', 'kpj');
  });

  it('coverage at an instant, for a claims verifier', async () => {
    const member = await activeMember(t);
    const before = await t.get(`/api/v1/staff/participants/${member.kpj}/coverage?at=2020-01-01T00:00:00%2B07:00`, bearer(tokens.claims_verifier));
    expect(before.body).toEqual({ covered: false, programs: [], month: '2020-01' });
    const now = await t.get(`/api/v1/staff/participants/${member.kpj}/coverage`, bearer(tokens.claims_verifier));
    expect(now.status).toBe(200);
    expect(now.body.covered).toBe(true);
  });
});

describe('sign-in attempts per client address (RATE_LIMITS on)', () => {
  it('10 failed sign-ins from one address in 15 minutes: then every attempt is refused with 429 rate_limited', async () => {
    const limited = await createTestApp({ env: { RATE_LIMITS: 'on' } });
    try {
      for (let i = 0; i < 10; i += 1) {
        expectError(await signIn(limited, `nobody-${i}`), 401, 'invalid_credentials');
      }
      expectError(await signIn(limited, 'nobody-else'), 429, 'rate_limited');
    } finally {
      await limited.close();
    }
  });
});
