import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/shared/crypto.js';
import { createLogger } from '../../src/shared/logger.js';
import { expectError, outbox } from '../support/api-errors.js';
import { activeMember, addResident, latestData, login, makePerson, wrongCode } from '../support/factories.js';
import { createTestApp, TEST_START, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());
beforeEach(() => t.clock.set(new Date(TEST_START)));

const e164 = (nationalPhone: string) => `+62${nationalPhone.slice(1)}`;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const requestOtp = (phone: string) => t.post('/api/v1/auth/otp', { phone });
const verify = (phone: string, code: string) => t.post('/api/v1/auth/verify', { phone, code });
const smsWithOtp = async (phone: string) => (await outbox(t, phone)).filter((m) => m.channel === 'sms' && m.data.otp);

/** An active member whose sign-in during the journey is more than the 60-second OTP cooldown ago. */
async function memberReadyToSignIn() {
  const m = await activeMember(t);
  t.clock.advance(61_000);
  return m;
}

describe('POST /api/v1/auth/otp', () => {
  it('202 and a login OTP by SMS for a participant’s phone', async () => {
    const m = await memberReadyToSignIn();
    const before = await smsWithOtp(m.person.phone);

    const res = await requestOtp(m.person.phone);

    expect(res.status).toBe(202);
    const after = await smsWithOtp(m.person.phone);
    expect(after).toHaveLength(before.length + 1);
    expect(after[0]).toMatchObject({ channel: 'sms', to: e164(m.person.phone), data: { otp: expect.stringMatching(/^\d{6}$/) } });
    expect(after[0]!.body).toContain(after[0]!.data.otp);
  });

  it('202 with the same body for an unknown phone, and no SMS is sent (no account enumeration)', async () => {
    const m = await memberReadyToSignIn();
    const stranger = makePerson().phone;

    const known = await requestOtp(m.person.phone);
    const unknown = await requestOtp(stranger);

    expect(unknown.status).toBe(202);
    expect(unknown.body).toEqual(known.body);
    expect(await outbox(t, stranger)).toEqual([]);
  });

  it('202 and no login SMS for a phone with only an unfinished registration', async () => {
    const person = makePerson();
    await addResident(t, person);
    expect((await t.post('/api/v1/registrations', person)).status).toBe(201);
    t.clock.advance(61_000);

    expect((await requestOtp(person.phone)).status).toBe(202);

    expect(await smsWithOtp(person.phone)).toHaveLength(1); // the registration OTP only
    expectError(await verify(person.phone, await latestData(t, person.phone, 'otp')), 422, 'invalid_otp', 'code');
  });
  it('202 even for input that is not a phone number: the contract says "202 always", and nothing is sent', async () => {
    for (const phone of ['not-a-phone', '0212345678', '']) {
      const res = await requestOtp(phone);
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ status: 'accepted' });
    }
  });
});

describe('POST /api/v1/auth/verify', () => {
  it('exchanges the SMS code for a bearer token that opens GET /me, whichever way the phone is written', async () => {
    const m = await memberReadyToSignIn();
    expect((await requestOtp(e164(m.person.phone))).status).toBe(202);

    const res = await verify(m.person.phone, await latestData(t, m.person.phone, 'otp'));

    expect(res.status).toBe(200);
    expect(res.body.token).toEqual(expect.stringMatching(/^\S{20,}$/));
    const me = await t.get('/api/v1/me', bearer(res.body.token));
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ kpj: m.kpj, fullName: m.person.fullName, status: 'active' });
  });

  it('422 invalid_otp for a wrong code, for a code already used, and for an unknown phone', async () => {
    const m = await memberReadyToSignIn();
    await requestOtp(m.person.phone);
    const code = await latestData(t, m.person.phone, 'otp');

    expectError(await verify(m.person.phone, wrongCode(code)), 422, 'invalid_otp', 'code');
    expect((await verify(m.person.phone, code)).status).toBe(200);
    expectError(await verify(m.person.phone, code), 422, 'invalid_otp', 'code');
    expectError(await verify(makePerson().phone, code), 422, 'invalid_otp', 'code');
  });

  it('after 5 wrong codes every try is 429 too_many_attempts, the right code included, until a new OTP is sent', async () => {
    const m = await memberReadyToSignIn();
    await requestOtp(m.person.phone);
    const code = await latestData(t, m.person.phone, 'otp');

    for (let i = 0; i < 5; i++) {
      expectError(await verify(m.person.phone, wrongCode(code)), 422, 'invalid_otp', 'code');
    }
    expectError(await verify(m.person.phone, code), 429, 'too_many_attempts', 'code');
    expectError(await verify(m.person.phone, wrongCode(code)), 429, 'too_many_attempts', 'code');

    // Within the 60-second cooldown no new code is sent, so the lock stays.
    const sent = (await smsWithOtp(m.person.phone)).length;
    expect((await requestOtp(m.person.phone)).status).toBe(202);
    expect(await smsWithOtp(m.person.phone)).toHaveLength(sent);
    expectError(await verify(m.person.phone, code), 429, 'too_many_attempts', 'code');

    t.clock.advance(61_000);
    expect((await requestOtp(m.person.phone)).status).toBe(202);
    expect(await smsWithOtp(m.person.phone)).toHaveLength(sent + 1);
    const res = await verify(m.person.phone, await latestData(t, m.person.phone, 'otp'));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });

  it('counts concurrent wrong codes exactly: of 10 at once, 5 are invalid_otp and 5 too_many_attempts', async () => {
    const m = await memberReadyToSignIn();
    await requestOtp(m.person.phone);
    const code = await latestData(t, m.person.phone, 'otp');

    const results = await Promise.all(Array.from({ length: 10 }, () => verify(m.person.phone, wrongCode(code))));

    expect(results.map((r) => r.body.error?.code as string).sort()).toEqual([...Array(5).fill('invalid_otp'), ...Array(5).fill('too_many_attempts')]);
    expectError(await verify(m.person.phone, code), 429, 'too_many_attempts', 'code');
  });

  it('a login code expires after 5 minutes', async () => {
    const m = await memberReadyToSignIn();
    await requestOtp(m.person.phone);
    const code = await latestData(t, m.person.phone, 'otp');

    t.clock.advance(5 * 60_000 + 15_000);

    expectError(await verify(m.person.phone, code), 422, 'invalid_otp', 'code');
  });
});

describe('sessions: GET /api/v1/me and the other member endpoints', () => {
  it.each<[string, Record<string, string>]>([
    ['no Authorization header', {}],
    ['a garbage bearer token', { authorization: 'Bearer bukan-token-sesi' }],
    ['an empty bearer token', { authorization: 'Bearer ' }],
    ['a Basic credential', { authorization: 'Basic dXNlcjpwYXNz' }],
    ['the staff key (not a participant)', { 'x-api-key': 'dev-staff-key' }],
  ])('401 unauthorized with %s', async (_label, headers) => {
    expectError(await t.get('/api/v1/me', headers), 401, 'unauthorized', undefined);
  });

  it.each([
    ['GET', '/api/v1/me/card'],
    ['GET', '/api/v1/me/card.pdf'],
    ['POST', '/api/v1/me/bills'],
  ])('%s %s without a session → 401 unauthorized', async (method, path) => {
    const res = await t.request(method, path, method === 'POST' ? { months: 1 } : undefined, { authorization: 'Bearer bukan-token-sesi' });
    expectError(res, 401, 'unauthorized', undefined);
  });

  it('a session lasts SESSION_TTL_MINUTES (default 720), then 401', async () => {
    const m = await activeMember(t);

    t.clock.advance(719 * 60_000);
    expect((await t.get('/api/v1/me', m.auth)).status).toBe(200);

    t.clock.advance(2 * 60_000);
    expectError(await t.get('/api/v1/me', m.auth), 401, 'unauthorized', undefined);
    expectError(await t.get('/api/v1/me/card', m.auth), 401, 'unauthorized', undefined);
  });

  it('SESSION_TTL_MINUTES configures the lifetime', async () => {
    const short = await createTestApp({ env: { SESSION_TTL_MINUTES: '30' } });
    try {
      const m = await activeMember(short);
      short.clock.advance(29 * 60_000);
      expect((await short.get('/api/v1/me', m.auth)).status).toBe(200);
      short.clock.advance(2 * 60_000);
      expect((await short.get('/api/v1/me', m.auth)).status).toBe(401);
    } finally {
      await short.close();
    }
  });

  it('signing in again issues a new token; the earlier session keeps working', async () => {
    const m = await memberReadyToSignIn();
    const token = await login(t, m.person.phone);
    expect(token).not.toBe(m.token);
    expect((await t.get('/api/v1/me', bearer(token))).body.kpj).toBe(m.kpj);
    expect((await t.get('/api/v1/me', m.auth)).body.kpj).toBe(m.kpj);
  });

  it('a participant token gets 403 forbidden on the staff endpoint; the staff key is let in', async () => {
    const m = await activeMember(t);

    expectError(await t.get(`/api/v1/participants/${m.kpj}`, m.auth), 403, 'forbidden', undefined);
    const staff = await t.get(`/api/v1/participants/${m.kpj}`, { 'x-api-key': 'dev-staff-key' });
    expect(staff.status).toBe(200);
    expect(staff.body.kpj).toBe(m.kpj);
  });
});

describe('secrets at rest and in logs', () => {
  it('stores OTPs only as keyed hashes, never the code', async () => {
    const m = await memberReadyToSignIn();
    await requestOtp(m.person.phone);
    const loginCode = await latestData(t, m.person.phone, 'otp');
    const person = makePerson();
    await addResident(t, person);
    const reg = await t.post('/api/v1/registrations', person);
    const registrationCode = await latestData(t, person.phone, 'otp');

    const challenges = [
      [loginCode, await t.db.selectFrom('otp_challenge').selectAll().where('purpose', '=', 'login').where('subject', '=', e164(m.person.phone)).orderBy('created_at', 'desc').executeTakeFirstOrThrow()],
      [registrationCode, await t.db.selectFrom('otp_challenge').selectAll().where('purpose', '=', 'registration').where('subject', '=', reg.body.id).executeTakeFirstOrThrow()],
    ] as const;
    for (const [code, row] of challenges) {
      for (const value of Object.values(row)) {
        expect(String(value)).not.toContain(code);
      }
      expect(row.code_hash).toMatch(/^[0-9a-f]{64}$/);
      // An unkeyed hash of a 6-digit code is reversed by trying a million codes.
      expect(row.code_hash).not.toBe(sha256Hex(code));
    }
  });

  it('stores session tokens only as hashes', async () => {
    const m = await activeMember(t);
    const rows = await t.db.selectFrom('session').selectAll().execute();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      for (const value of Object.values(row)) {
        expect(String(value)).not.toContain(m.token);
      }
    }
  });

  it('never writes a full NIK (nor an OTP or email token) to the logs, nor its first digits', async () => {
    const lines: string[] = [];
    const logged = await createTestApp({ logger: createLogger('debug', (line) => lines.push(line)) });
    try {
      const m = await activeMember(logged);
      // A second attempt with the same NIK and a mismatching one exercise the rejection paths too.
      await logged.post('/api/v1/registrations', m.person);
      await logged.post('/api/v1/registrations', { ...m.person, fullName: 'Nama Lain' });
      const otp = await latestData(logged, m.person.phone, 'otp');
      const token = await latestData(logged, m.person.email, 'token');

      const log = lines.join('\n');
      // The registration is logged by its id only (docs/security.md); a 16-digit run would keep only its last 4.
      expect(log).toContain('registration created');
      expect(log).not.toContain(m.person.nik);
      expect(log).not.toContain(m.person.nik.slice(0, 12));
      expect(log).not.toContain(token);
      expect(log).not.toContain(m.token);
      expect(log).not.toMatch(new RegExp(`\\b${otp}\\b`));
    } finally {
      await logged.close();
    }
  });
});
