import {
  PostgresQueryCompiler,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectError, outbox } from '../support/api-errors.js';
import { activeMember, addResident, latestData, login, makePerson, membersSharingPhone, type Person, wrongCode } from '../support/factories.js';
import { createTestApp, TEST_START, type TestApp } from '../support/test-app.js';
import { nikHashOf } from '../support/nik.js';

/**
 * Issue 13, "Abuse": OTP guessing across resends, account enumeration by answers and by timing, the cooldown race
 * and the daily SMS cap per phone, the API logout, and the choice between participants sharing one phone.
 */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());
beforeEach(() => t.clock.set(new Date(TEST_START)));

const DAY_MS = 24 * 60 * 60_000;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const requestOtp = (phone: string) => t.post('/api/v1/auth/otp', { phone });
const verify = (phone: string, code: string) => t.post('/api/v1/auth/verify', { phone, code });
const smsWithOtpIn = async (app: TestApp, phone: string) => (await outbox(app, phone)).filter((m) => m.channel === 'sms' && m.data.otp);
const smsWithOtp = (phone: string) => smsWithOtpIn(t, phone);

/** Records the SQL text (not the parameters) of every statement the app's database runs. */
class StatementRecorder implements KyselyPlugin {
  statements: string[] = [];
  readonly #compiler = new PostgresQueryCompiler();
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.statements.push(this.#compiler.compileQuery(args.node, args.queryId).sql);
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}
/** Past the 60-second resend cooldown. */
const afterCooldown = () => t.clock.advance(61_000);
/** To 00:05 WIB of the next day (TEST_START is 10:00 WIB): the daily bounds start again. */
const nextDay = () => t.clock.set(new Date(Date.parse(TEST_START) + DAY_MS - 10 * 60 * 60_000 + 5 * 60_000));

describe('wrong codes are bounded per phone per day, across resends', () => {
  it('login: after 10 wrong codes in one day (two codes of 5) every try is 429 too_many_attempts, a new code and the right code included, until 00:00 WIB', async () => {
    const m = await activeMember(t);
    afterCooldown();
    for (let round = 0; round < 2; round++) {
      expect((await requestOtp(m.person.phone)).status).toBe(202);
      const code = await latestData(t, m.person.phone, 'otp');
      for (let i = 0; i < 5; i++) {
        expectError(await verify(m.person.phone, wrongCode(code)), 422, 'invalid_otp', 'code');
      }
      afterCooldown();
    }
    // A new code is still sent (within the SMS cap), but the phone is locked for today.
    expect((await requestOtp(m.person.phone)).status).toBe(202);
    const fresh = await latestData(t, m.person.phone, 'otp');
    const locked = await verify(m.person.phone, fresh);
    expectError(locked, 429, 'too_many_attempts', 'code');
    expect(locked.body.error.message).toMatch(/dikunci sampai pukul 00\.00 WIB/);
    expect(locked.body.error.detail).toMatch(/today/);

    t.clock.advance(6 * 60 * 60_000);
    expectError(await verify(m.person.phone, fresh), 429, 'too_many_attempts', 'code');

    nextDay();
    expect((await requestOtp(m.person.phone)).status).toBe(202);
    const res = await verify(m.person.phone, await latestData(t, m.person.phone, 'otp'));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });

  it('registration: resends do not give 5 new tries each; the 10th wrong code of the day locks the phone for its registration too', async () => {
    const person = makePerson();
    await addResident(t, person);
    const created = await t.post('/api/v1/registrations', person);
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const verifyPhone = (code: string) => t.post(`/api/v1/registrations/${id}/verify-phone`, { code });
    for (let round = 0; round < 2; round++) {
      const code = await latestData(t, person.phone, 'otp');
      for (let i = 0; i < 5; i++) {
        expectError(await verifyPhone(wrongCode(code)), 422, 'invalid_otp', 'code');
      }
      afterCooldown();
      expect((await t.post(`/api/v1/registrations/${id}/otp`)).status).toBe(202);
    }
    expectError(await verifyPhone(await latestData(t, person.phone, 'otp')), 429, 'too_many_attempts', 'code');

    nextDay();
    expect((await t.post(`/api/v1/registrations/${id}/otp`)).status).toBe(202);
    expect((await verifyPhone(await latestData(t, person.phone, 'otp'))).status).toBe(200);
  });
});

describe('account enumeration', () => {
  /** What a guesser sees for a phone: the answer codes of a request, 6 wrong codes, a new request and 6 more. */
  async function answers(phone: string, guess: string): Promise<string[]> {
    const seen: string[] = [];
    for (let round = 0; round < 2; round++) {
      const sent = await requestOtp(phone);
      seen.push(`${sent.status} ${JSON.stringify(sent.body)}`);
      for (let i = 0; i < 6; i++) {
        const res = await verify(phone, guess);
        seen.push(`${res.status} ${res.body.error?.code} ${res.body.error?.field}`);
      }
      afterCooldown();
    }
    const last = await verify(phone, guess);
    seen.push(`${last.status} ${last.body.error?.code} ${last.body.error?.field}`);
    return seen;
  }

  it('a registered and an unregistered phone get the same sequence of answers to wrong codes', async () => {
    const m = await activeMember(t);
    afterCooldown();
    const code = await latestData(t, m.person.phone, 'otp');
    const stranger = makePerson().phone;

    const registered = await answers(m.person.phone, wrongCode(code));
    const unregistered = await answers(stranger, wrongCode(code));

    expect(unregistered).toEqual(registered);
    expect(registered.filter((a) => a.includes('too_many_attempts')).length).toBeGreaterThan(0);
    expect(await outbox(t, stranger)).toEqual([]); // still no SMS to a phone that is not a participant's
  });

  it('the same statements run for a registered and an unregistered phone, for /auth/otp and for a wrong code (so the time taken tells nothing)', async () => {
    const recorder = new StatementRecorder();
    const app = await createTestApp({ plugins: [recorder] });
    try {
      const m = await activeMember(app);
      const stranger = makePerson().phone;
      const statementsOf = async (call: () => Promise<unknown>) => {
        recorder.statements = [];
        await call();
        return recorder.statements;
      };
      const otpAndGuess = async (phone: string) => {
        app.clock.advance(DAY_MS); // a new day: the same cooldown and daily counts for both phones
        const otp = await statementsOf(() => app.post('/api/v1/auth/otp', { phone }));
        const guess = await statementsOf(() => app.post('/api/v1/auth/verify', { phone, code: '000000' }));
        return { otp, guess };
      };

      const registered = await otpAndGuess(m.person.phone);
      const unregistered = await otpAndGuess(stranger);

      expect(unregistered.otp).toEqual(registered.otp);
      expect(unregistered.guess).toEqual(registered.guess);
      expect(registered.otp.some((q) => q.includes('insert into outbox_message'))).toBe(true);
      expect(await smsWithOtpIn(app, stranger)).toEqual([]);
    } finally {
      await app.close();
    }
  });
});

describe('SMS per phone', () => {
  it('10 concurrent /auth/otp send exactly one SMS (three rounds, one per cooldown)', async () => {
    const m = await activeMember(t);
    for (let round = 1; round <= 3; round++) {
      afterCooldown();
      const before = (await smsWithOtp(m.person.phone)).length;

      const results = await Promise.all(Array.from({ length: 10 }, () => requestOtp(m.person.phone)));

      expect(results.map((r) => r.status)).toEqual(Array(10).fill(202));
      expect(await smsWithOtp(m.person.phone), `round ${round}`).toHaveLength(before + 1);
    }
  });

  it('registering again and again with one identity and a victim’s phone sends at most 5 SMS a day: then 429 sms_limit_reached and nothing is stored', async () => {
    const victim = makePerson().phone;
    const person: Person = { ...makePerson(), phone: victim };
    await addResident(t, person);

    const answers: number[] = [];
    for (let i = 0; i < 15; i++) {
      const res = await t.post('/api/v1/registrations', person);
      answers.push(res.status);
      if (res.status === 429) {
        expectError(res, 429, 'sms_limit_reached', 'phone');
      }
    }

    expect(answers).toEqual([...Array(5).fill(201), ...Array(10).fill(429)]);
    expect(await smsWithOtp(victim)).toHaveLength(5);
    expect(await t.db.selectFrom('registration').select('id').where('nik_hash', '=', nikHashOf(person.nik)).execute()).toHaveLength(5);

    nextDay();
    expect((await t.post('/api/v1/registrations', person)).status).toBe(201);
    expect(await smsWithOtp(victim)).toHaveLength(6);
  });

  it('the cap counts every kind of code for the phone: registration, resend and login (202 without an SMS)', async () => {
    const m = await activeMember(t); // a registration code and a login code
    afterCooldown();
    expect((await requestOtp(m.person.phone)).status).toBe(202); // 3
    afterCooldown();
    expect((await t.post(`/api/v1/registrations/${m.registrationId}/otp`)).status).toBe(202); // 4
    afterCooldown();
    expect((await requestOtp(m.person.phone)).status).toBe(202); // 5
    expect(await smsWithOtp(m.person.phone)).toHaveLength(5);

    afterCooldown();
    const capped = await requestOtp(m.person.phone);
    expect(capped.status).toBe(202);
    expect(capped.body).toEqual({ status: 'accepted' });
    expectError(await t.post(`/api/v1/registrations/${m.registrationId}/otp`), 429, 'sms_limit_reached', 'phone');
    expect(await smsWithOtp(m.person.phone)).toHaveLength(5);
  });
});

describe('POST /api/v1/auth/logout', () => {
  it('204, and the token then gets 401 everywhere; other sessions of the member keep working', async () => {
    const m = await activeMember(t);
    afterCooldown();
    const other = await login(t, m.person.phone);

    const out = await t.post('/api/v1/auth/logout', undefined, m.auth);

    expect(out.status).toBe(204);
    expectError(await t.get('/api/v1/me', m.auth), 401, 'unauthorized', undefined);
    expectError(await t.post('/api/v1/auth/logout', undefined, m.auth), 401, 'unauthorized', undefined);
    expect((await t.get('/api/v1/me', bearer(other))).status).toBe(200);
  });

  it('401 without a participant token', async () => {
    expectError(await t.post('/api/v1/auth/logout'), 401, 'unauthorized', undefined);
    expectError(await t.post('/api/v1/auth/logout', undefined, bearer('bukan-token-sesi')), 401, 'unauthorized', undefined);
  });
});

describe('participants sharing one phone', () => {
  it('/auth/verify lists every participant of the phone (newest first, names masked); the token opens the newest', async () => {
    const { phone, husband, wife } = await membersSharingPhone(t);
    expect((await requestOtp(phone)).status).toBe(202);

    const res = await verify(phone, await latestData(t, phone, 'otp'));

    expect(res.status).toBe(200);
    expect(res.body.participants).toEqual([
      { kpj: wife.kpj, nameMasked: expect.stringMatching(/\*/) },
      { kpj: husband.kpj, nameMasked: expect.stringMatching(/\*/) },
    ]);
    expect(res.body.participants[1].nameMasked).not.toBe(husband.person.fullName);
    expect((await t.get('/api/v1/me', bearer(res.body.token))).body.kpj).toBe(wife.kpj);
  });

  it('a single participant gets the one-entry list', async () => {
    const m = await activeMember(t);
    afterCooldown();
    await requestOtp(m.person.phone);
    const res = await verify(m.person.phone, await latestData(t, m.person.phone, 'otp'));
    expect(res.body.participants).toEqual([{ kpj: m.kpj, nameMasked: expect.any(String) }]);
  });

  it('POST /auth/switch re-issues the session for the other participant; the old token stops working; the end stays', async () => {
    const { phone, husband, wife } = await membersSharingPhone(t);
    await requestOtp(phone);
    const signedIn = await verify(phone, await latestData(t, phone, 'otp'));
    t.clock.advance(10 * 60_000);

    const switched = await t.post('/api/v1/auth/switch', { kpj: husband.kpj }, bearer(signedIn.body.token));

    expect(switched.status, JSON.stringify(switched.body)).toBe(200);
    expect(switched.body.expiresAt).toBe(signedIn.body.expiresAt);
    expect((await t.get('/api/v1/me', bearer(switched.body.token))).body.kpj).toBe(husband.kpj);
    expectError(await t.get('/api/v1/me', bearer(signedIn.body.token)), 401, 'unauthorized', undefined);
    // and back
    const back = await t.post('/api/v1/auth/switch', { kpj: wife.kpj }, bearer(switched.body.token));
    expect((await t.get('/api/v1/me', bearer(back.body.token))).body.kpj).toBe(wife.kpj);
  });

  it('404 unknown_participant for a KPJ that does not share the phone; 401 without a session', async () => {
    const { phone } = await membersSharingPhone(t);
    const stranger = await activeMember(t);
    await requestOtp(phone);
    const signedIn = await verify(phone, await latestData(t, phone, 'otp'));

    expectError(await t.post('/api/v1/auth/switch', { kpj: stranger.kpj }, bearer(signedIn.body.token)), 404, 'unknown_participant', 'kpj');
    expectError(await t.post('/api/v1/auth/switch', { kpj: '99999999999' }, bearer(signedIn.body.token)), 404, 'unknown_participant', 'kpj');
    expectError(await t.post('/api/v1/auth/switch', { kpj: stranger.kpj }), 401, 'unauthorized', undefined);
    expect((await t.get('/api/v1/me', bearer(signedIn.body.token))).status).toBe(200);
  });
});

describe('OpenAPI', () => {
  it('documents logout and switch, and the participants of a sign-in', async () => {
    const doc = (await t.get('/api/v1/openapi.json')).body;
    const path = (p: string) => doc.paths[p] ?? doc.paths[`/api/v1${p}`];
    expect(path('/auth/logout')?.post?.responses).toHaveProperty('204');
    expect(path('/auth/switch')?.post?.responses).toHaveProperty('200');
    expect(doc.components.schemas.SignIn.properties).toHaveProperty('participants');
  });
});
