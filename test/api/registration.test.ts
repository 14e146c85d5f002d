import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/shared/logger.js';
import { expectError, outbox } from '../support/api-errors.js';
import { activeMember, addResident, latestData, makePerson, payBill, type Person, registerVerified, wrongCode } from '../support/factories.js';
import { createTestApp, TEST_START, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());
// Some tests move the clock months ahead; every test starts on 22 Nov 2026, 10:00 WIB.
beforeEach(() => t.clock.set(new Date(TEST_START)));

const STAFF = { 'x-api-key': 'dev-staff-key' };
const e164 = (nationalPhone: string) => `+62${nationalPhone.slice(1)}`;
/** A 6-digit code that is certainly not `code`. */
/** Rewrites characters [from, from + replacement.length) of a NIK. */
const spliceNik = (nik: string, from: number, replacement: string) => nik.slice(0, from) + replacement + nik.slice(from + replacement.length);

const register = (body: unknown) => t.post('/api/v1/registrations', body);

/** A resident of the population registry who has started (not verified) a registration. */
async function registered(overrides: Partial<Person> = {}) {
  const person = makePerson(overrides);
  await addResident(t, person);
  const res = await register(person);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { person, id: res.body.id as string };
}

async function verifyEmail(id: string, person: Person) {
  const res = await t.post(`/api/v1/registrations/${id}/verify-email`, { token: await latestData(t, person.email, 'token') });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res;
}

async function verifyPhone(id: string, person: Person) {
  const res = await t.post(`/api/v1/registrations/${id}/verify-phone`, { code: await latestData(t, person.phone, 'otp') });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res;
}

const SUBMIT = { programs: ['JKK', 'JKM'], declaredIncome: 1_000_000, months: 1 };

describe('POST /api/v1/registrations', () => {
  it('creates a pending registration, emails a verification token and texts a 6-digit OTP to the E.164 phone', async () => {
    const person = makePerson();
    await addResident(t, person);

    const res = await register(person);

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: expect.any(String), status: 'pending_verification' });
    const emails = await outbox(t, person.email);
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatchObject({
      to: person.email,
      channel: 'email',
      subject: expect.stringMatching(/\S/),
      createdAt: expect.stringMatching(/^2026-11-22T10:00:\d\d\+07:00$/),
      data: { token: expect.stringMatching(/^\S{16,}$/) },
    });
    expect(emails[0]!.body).toContain(emails[0]!.data.token);

    const sms = await outbox(t, person.phone); // asked for in the national 08… form
    expect(sms).toHaveLength(1);
    expect(sms[0]).toMatchObject({ to: e164(person.phone), channel: 'sms', data: { otp: expect.stringMatching(/^\d{6}$/) } });
    expect(sms[0]!.body).toContain(sms[0]!.data.otp);
    expect(await outbox(t, e164(person.phone))).toEqual(sms);
  });

  describe('422 invalid_nik', () => {
    // Base NIK: Kota Bekasi (32.75.01), born 17 May 1990, male, serial 0001.
    const base = '3275011705900001';
    it.each([
      ['15 digits', base.slice(0, 15)],
      ['17 digits', `${base}1`],
      ['a letter', spliceNik(base, 15, 'X')],
      ['birth month 13', spliceNik(base, 8, '13')],
      ['birth month 00', spliceNik(base, 8, '00')],
      ['birth day 00', spliceNik(base, 6, '00')],
      ['province 00', spliceNik(base, 0, '00')],
      ['serial 0000', spliceNik(base, 12, '0000')],
    ])('%s (%s), even when the population registry lists it', async (_label, nik) => {
      const person = makePerson({ nik, birthDate: '1990-05-17', gender: 'M' });
      if (/^\d{16}$/.test(nik)) {
        await addResident(t, person); // so the rejection can only come from the NIK structure
      }
      expectError(await register(person), 422, 'invalid_nik', 'nik');
      expect(await outbox(t, person.email)).toEqual([]);
      expect(await outbox(t, person.phone)).toEqual([]);
    });
  });

  it.each<[string, string, Partial<Person>]>([
    ['invalid_phone', 'phone', { phone: '12345' }],
    ['invalid_phone', 'phone', { phone: '0215551234' }], // Jakarta landline: cannot receive the SMS OTP
    ['invalid_phone', 'phone', { phone: '+6591234567' }], // Singapore
    ['invalid_phone', 'phone', { phone: '0812-abc-7890' }],
    ['invalid_email', 'email', { email: 'budi.contoh.id' }],
    ['invalid_email', 'email', { email: 'budi@contoh' }],
    ['invalid_email', 'email', { email: 'bu..di@contoh.id' }],
    ['invalid_email', 'email', { email: 'budi santoso@contoh.id' }],
    ['unknown_occupation', 'occupationCode', { occupationCode: 'ASTRONOT' }],
    ['unknown_branch', 'branchCode', { branchCode: 'XXX-ANTAH-BERANTAH' }],
    ['consent_required', 'consent', { consent: false }],
  ])('422 %s (field %s) for %j; nothing is sent', async (code, field, override) => {
    const person = makePerson();
    await addResident(t, person);
    expectError(await register({ ...person, ...override }), 422, code, field);
    expect(await outbox(t, person.email)).toEqual([]);
  });

  describe('422 identity_mismatch against the population registry', () => {
    it.each<[string, ((p: Person) => Partial<Person>) | null]>([
      ['the NIK is unknown to the registry', null],
      ['the name differs', () => ({ fullName: 'Budi Santosa' })],
      ['the birth date differs', (p) => ({ birthDate: `1991${p.birthDate.slice(4)}` })],
      ['the gender differs', (p) => ({ gender: p.gender === 'M' ? 'F' : 'M' })],
    ])('when %s', async (_label, residentDiffers) => {
      const person = makePerson();
      if (residentDiffers) {
        await addResident(t, { ...person, ...residentDiffers(person) });
      }
      expectError(await register(person), 422, 'identity_mismatch', 'nik');
      expect(await outbox(t, person.email)).toEqual([]);
    });

    it.each([
      ['Budi Santoso', 'budi   SANTOSO'],
      ['Budi Santoso', '  Budi Santoso  '],
      ['Budi Santoso', 'BUDI\tsantoso'],
      ['BUDI SANTOSO', 'Budi Santoso'],
    ])('names compare case- and whitespace-insensitively: registry %j matches %j', async (registryName, enteredName) => {
      const person = makePerson({ gender: 'M' });
      await addResident(t, { ...person, fullName: registryName });
      const res = await register({ ...person, fullName: enteredName });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.status).toBe('pending_verification');
    });
  });

  it('409 already_registered while the NIK belongs to an active or in-arrears participant; allowed again once inactive', async () => {
    const m = await activeMember(t, { months: 1 }); // covered through 2026-11
    const status = async () => (await t.get(`/api/v1/participants/${m.kpj}`, STAFF)).body.status as string;
    const emailsBefore = (await outbox(t, m.person.email)).length;

    expect(await status()).toBe('active');
    expectError(await register(m.person), 409, 'already_registered', 'nik');

    t.clock.set(new Date('2026-12-20T10:00:00+07:00')); // December unpaid past its due date (15 Dec)
    expect(await status()).toBe('arrears');
    expectError(await register(m.person), 409, 'already_registered', 'nik');
    expect(await outbox(t, m.person.email)).toHaveLength(emailsBefore);

    t.clock.set(new Date('2027-04-22T10:00:00+07:00')); // December to March overdue: more than 3 months
    expect(await status()).toBe('inactive');
    const again = await register(m.person);
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    expect(again.body.status).toBe('pending_verification');

    // The returning worker completes the journey and is covered again from the current month, under the same KPJ.
    await verifyEmail(again.body.id, m.person);
    await verifyPhone(again.body.id, m.person);
    const submit = await t.post(`/api/v1/registrations/${again.body.id}/submit`, SUBMIT);
    expect(submit.status, JSON.stringify(submit.body)).toBe(201);
    expect(submit.body.bill.months.map((x: { month: string }) => x.month)).toEqual(['2027-04']);
    expect((await payBill(t, submit.body.bill)).body).toEqual({ status: 'applied' });
    expect((await t.get(`/api/v1/participants/${m.kpj}`, STAFF)).body).toMatchObject({ kpj: m.kpj, status: 'active', coveredThrough: '2027-04' });
  });

  describe('400 invalid_request for malformed JSON and wrong types', () => {
    it.each<[string, (p: Person) => unknown, string | undefined]>([
      ['malformed JSON', () => '{"nik": "3275', undefined],
      ['an empty body', () => '', undefined],
      ['a JSON array', () => '[]', undefined],
      ['JSON null', () => 'null', undefined],
      ['consent as the string "yes"', (p) => ({ ...p, consent: 'yes' }), 'consent'],
      ['nik missing', ({ nik: _nik, ...rest }) => rest, 'nik'],
      ['nik as a number', (p) => ({ ...p, nik: Number(p.nik) }), 'nik'],
      ['gender outside M/F', (p) => ({ ...p, gender: 'L' }), 'gender'],
      ['birthDate in another format', (p) => ({ ...p, birthDate: '17-05-1990' }), 'birthDate'],
      ['birthDate that does not exist', (p) => ({ ...p, birthDate: '1990-02-31' }), 'birthDate'],
      ['a blank fullName', (p) => ({ ...p, fullName: '   ' }), 'fullName'],
      ['address null', (p) => ({ ...p, address: null }), 'address'],
    ])('%s', async (_label, body, field) => {
      const person = makePerson();
      await addResident(t, person);
      expectError(await register(body(person)), 400, 'invalid_request', field);
      expect(await outbox(t, person.email)).toEqual([]);
    });
  });
});

describe('POST /api/v1/registrations/{id}/verify-email', () => {
  it('422 invalid_token for a wrong token; 200 for the emailed one', async () => {
    const { person, id } = await registered();
    const other = await registered();

    expectError(await t.post(`/api/v1/registrations/${id}/verify-email`, { token: 'bukan-token-yang-benar' }), 422, 'invalid_token', 'token');
    expectError(await t.post(`/api/v1/registrations/${id}/verify-email`, { token: '' }), 422, 'invalid_token', 'token');
    const othersToken = await latestData(t, other.person.email, 'token');
    expectError(await t.post(`/api/v1/registrations/${id}/verify-email`, { token: othersToken }), 422, 'invalid_token', 'token');

    const ok = await verifyEmail(id, person);
    expect(ok.body).toMatchObject({ id, status: 'pending_verification' }); // the phone is still unverified
  });

  it.each([
    ['verify-email', { token: 'x' }],
    ['verify-phone', { code: '123456' }],
    ['otp', undefined],
    ['submit', SUBMIT],
  ])('404 unknown_registration for %s on an unknown id', async (step, body) => {
    expectError(await t.post(`/api/v1/registrations/reg_tidakada/${step}`, body), 404, 'unknown_registration', undefined);
  });
});

describe('POST /api/v1/registrations/{id}/verify-phone and /otp', () => {
  const verifyPhoneWith = (id: string, code: string) => t.post(`/api/v1/registrations/${id}/verify-phone`, { code });
  const resend = (id: string) => t.post(`/api/v1/registrations/${id}/otp`);

  it('422 invalid_otp for a wrong code; 200 for the texted code, and verified once both channels are', async () => {
    const { person, id } = await registered();
    const code = await latestData(t, person.phone, 'otp');

    expectError(await verifyPhoneWith(id, wrongCode(code)), 422, 'invalid_otp', 'code');
    const phone = await verifyPhoneWith(id, code);
    expect(phone.status).toBe(200);
    expect(phone.body).toMatchObject({ id, status: 'pending_verification' });

    expect((await verifyEmail(id, person)).body).toMatchObject({ id, status: 'verified' });
  });

  it('after 5 wrong codes every further try is 429 too_many_attempts, the right code included', async () => {
    const { person, id } = await registered();
    const code = await latestData(t, person.phone, 'otp');

    for (let i = 0; i < 5; i++) {
      expectError(await verifyPhoneWith(id, wrongCode(code)), 422, 'invalid_otp', 'code');
    }
    expectError(await verifyPhoneWith(id, code), 429, 'too_many_attempts', 'code');
    expectError(await verifyPhoneWith(id, wrongCode(code)), 429, 'too_many_attempts', 'code');
    expectError(await verifyPhoneWith(id, code), 429, 'too_many_attempts', 'code');

    await verifyEmail(id, person);
    expectError(await t.post(`/api/v1/registrations/${id}/submit`, SUBMIT), 409, 'verification_incomplete', undefined);
  });

  it('a new OTP at most once per 60 s (429 too_many_requests); after that 202, and the new code lifts the lock', async () => {
    const { person, id } = await registered();
    const first = await latestData(t, person.phone, 'otp');
    for (let i = 0; i < 5; i++) {
      await verifyPhoneWith(id, wrongCode(first));
    }
    expectError(await verifyPhoneWith(id, first), 429, 'too_many_attempts', 'code');

    expectError(await resend(id), 429, 'too_many_requests', undefined);
    expect(await outbox(t, person.phone)).toHaveLength(1);

    t.clock.advance(60_000);
    expect((await resend(id)).status).toBe(202);
    const sms = await outbox(t, person.phone);
    expect(sms).toHaveLength(2);
    expect(sms[0]).toMatchObject({ channel: 'sms', to: e164(person.phone), data: { otp: expect.stringMatching(/^\d{6}$/) } });
    // The cooldown starts again with every code sent.
    expectError(await resend(id), 429, 'too_many_requests', undefined);

    const phone = await verifyPhoneWith(id, sms[0]!.data.otp!);
    expect(phone.status, JSON.stringify(phone.body)).toBe(200);
  });

  it('an OTP older than 5 minutes is refused with 422 invalid_otp; a fresh one works', async () => {
    const a = await registered();
    const b = await registered();
    const codeA = await latestData(t, a.person.phone, 'otp');
    const codeB = await latestData(t, b.person.phone, 'otp');

    t.clock.advance(4 * 60_000 + 45_000); // 4:45 — still valid
    expect((await verifyPhoneWith(a.id, codeA)).status).toBe(200);

    t.clock.advance(30_000); // 5:15
    expectError(await verifyPhoneWith(b.id, codeB), 422, 'invalid_otp', 'code');

    expect((await resend(b.id)).status).toBe(202);
    expect((await verifyPhoneWith(b.id, await latestData(t, b.person.phone, 'otp'))).status).toBe(200);
  });

  it('counts concurrent wrong codes exactly: of 10 at once, 5 are invalid_otp and 5 too_many_attempts', async () => {
    const { person, id } = await registered();
    const code = await latestData(t, person.phone, 'otp');

    const results = await Promise.all(Array.from({ length: 10 }, () => verifyPhoneWith(id, wrongCode(code))));

    const codes = results.map((r) => r.body.error?.code as string).sort();
    expect(codes).toEqual([...Array(5).fill('invalid_otp'), ...Array(5).fill('too_many_attempts')]);
    expectError(await verifyPhoneWith(id, code), 429, 'too_many_attempts', 'code');
  });

  it('concurrent resend requests after the cooldown send exactly one new OTP', async () => {
    const { person, id } = await registered();
    t.clock.advance(61_000);

    const results = await Promise.all(Array.from({ length: 5 }, () => resend(id)));

    expect(results.map((r) => r.status).sort()).toEqual([202, 429, 429, 429, 429]);
    expect(await outbox(t, person.phone)).toHaveLength(2);
  });
});

describe('POST /api/v1/registrations/{id}/submit', () => {
  const submit = (id: string, body: unknown = SUBMIT) => t.post(`/api/v1/registrations/${id}/submit`, body);

  it.each([
    ['neither channel is verified', { email: false, phone: false }],
    ['only the email is verified', { email: true, phone: false }],
    ['only the phone is verified', { email: false, phone: true }],
  ])('409 verification_incomplete when %s; no bill is issued', async (_label, verified) => {
    const { person, id } = await registered();
    if (verified.email) await verifyEmail(id, person);
    if (verified.phone) await verifyPhone(id, person);

    expectError(await submit(id), 409, 'verification_incomplete', undefined);
    expect((await outbox(t, person.email)).map((m) => m.data.paymentCode)).toEqual([undefined]);
  });

  it.each<[string, string, Record<string, unknown>]>([
    ['income_below_minimum', 'declaredIncome', { declaredIncome: 999_999 }],
    ['income_below_minimum', 'declaredIncome', { declaredIncome: 0 }],
    ['invalid_programs', 'programs', { programs: ['JKK'] }],
    ['invalid_programs', 'programs', { programs: [] }],
    ['invalid_programs', 'programs', { programs: ['JKK', 'JKM', 'JKP'] }],
    ['invalid_programs', 'programs', { programs: ['JKK', 'JKM', 'JKM'] }],
    ['invalid_months', 'months', { months: 2 }],
    ['invalid_months', 'months', { months: 0 }],
    ['invalid_months', 'months', { months: 24 }],
  ])('422 %s (field %s) for %j, as for a quote; no bill is issued', async (code, field, override) => {
    const person = makePerson();
    const id = await registerVerified(t, person);
    const body = { ...SUBMIT, ...override };
    expectError(await t.post('/api/v1/quotes', body), 422, code, field); // the same answer as a quote
    expectError(await submit(id, body), 422, code, field);
    expect((await outbox(t, person.email)).map((m) => m.data.paymentCode)).toEqual([undefined]);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['months as a string', { months: '3' }, 'months'],
    ['programs as a string', { programs: 'JKK,JKM' }, 'programs'],
    ['a fractional income', { declaredIncome: 1_500_000.5 }, 'declaredIncome'],
  ])('400 invalid_request for %s', async (_label, override, field) => {
    const id = await registerVerified(t, makePerson());
    expectError(await submit(id, { ...SUBMIT, ...override }), 400, 'invalid_request', field);
  });

  it('issues an open first bill whose code expires 24 hours later, and emails the payment code', async () => {
    const person = makePerson({ occupationCode: 'PEDAGANG_PASAR' });
    const id = await registerVerified(t, person);

    const res = await submit(id, { programs: ['JKK', 'JKM', 'JHT'], declaredIncome: 2_000_000, months: 3 });

    expect(res.status).toBe(201);
    const bill = res.body.bill;
    expect(bill).toMatchObject({ id: expect.any(String), paymentCode: expect.stringMatching(/^\d{16}$/), status: 'open' });
    expect(bill.expiresAt).toMatch(/^2026-11-23T10:00:\d\d\+07:00$/);
    expect(bill.months.map((m: { month: string }) => m.month)).toEqual(['2026-11', '2026-12', '2027-01']);
    expect(bill.amount).toBe(bill.months.reduce((s: number, m: { total: number }) => s + m.total, 0));
    const quote = await t.post('/api/v1/quotes', { programs: ['JKK', 'JKM', 'JHT'], declaredIncome: 2_000_000, months: 3, occupationCode: 'PEDAGANG_PASAR' });
    expect(bill.months).toEqual(quote.body.months);

    expect((await t.get(`/api/v1/bills/${bill.paymentCode}`)).body).toMatchObject({ status: 'open', amount: bill.amount, expiresAt: bill.expiresAt });
    const [mail] = await outbox(t, person.email);
    expect(mail).toMatchObject({ channel: 'email', subject: expect.stringContaining(bill.paymentCode) });
    expect(mail!.body).toContain(bill.paymentCode);
  });

  it('a re-submit replaces the open bill: the old code shows cancelled, the new one open', async () => {
    const id = await registerVerified(t, makePerson());
    const first = (await submit(id, { ...SUBMIT, months: 1 })).body.bill;
    const second = await submit(id, { ...SUBMIT, months: 3 });

    expect(second.status).toBe(201);
    expect(second.body.bill.paymentCode).not.toBe(first.paymentCode);
    expect((await t.get(`/api/v1/bills/${first.paymentCode}`)).body.status).toBe('cancelled');
    expect((await t.get(`/api/v1/bills/${second.body.bill.paymentCode}`)).body).toMatchObject({ status: 'open', amount: second.body.bill.amount });
  });

  it('8 concurrent submits of one registration: each answers 201, exactly one first bill stays open, the others show cancelled', async () => {
    const id = await registerVerified(t, makePerson());
    const answers = await Promise.all(Array.from({ length: 8 }, () => submit(id)));
    expect(answers.map((r) => r.status)).toEqual(Array(8).fill(201));
    const open = await t.db.selectFrom('bill').select('payment_code').where('registration_id', '=', id).where('status', '=', 'open').execute();
    expect(open).toHaveLength(1);
    const codes = answers.map((r) => r.body.bill.paymentCode as string);
    expect(new Set(codes).size).toBe(8);
    expect(codes).toContain(open[0]!.payment_code);
    for (const code of codes.filter((c) => c !== open[0]!.payment_code)) {
      expect((await t.get(`/api/v1/bills/${code}`)).body.status).toBe('cancelled');
    }
  });

  it('after the first bill expired, a re-submit issues a new open bill', async () => {
    const id = await registerVerified(t, makePerson());
    const first = (await submit(id)).body.bill;

    t.clock.advance(24 * 3_600_000 + 1_000);
    expect((await t.get(`/api/v1/bills/${first.paymentCode}`)).body.status).toBe('expired');

    const again = await submit(id);
    expect(again.status).toBe(201);
    expect(again.body.bill).toMatchObject({ status: 'open', expiresAt: expect.stringMatching(/^2026-11-24T10:00:\d\d\+07:00$/) });
  });

  it('409 once the first bill is paid; the paid bill stays paid', async () => {
    const m = await activeMember(t);

    expectError(await submit(m.registrationId), 409, 'registration_completed', undefined);
    expect((await t.get(`/api/v1/bills/${m.bill.paymentCode}`)).body.status).toBe('paid');
  });
});

describe('with the HTTP identity provider (a Dukcapil-style service on 127.0.0.1)', () => {
  const requests: Record<string, unknown>[] = [];
  let reply: { status: number; body: unknown } = { status: 200, body: {} };
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      requests.push(JSON.parse(raw) as Record<string, unknown>);
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply.body));
    });
  });
  const lines: string[] = [];
  let d: TestApp;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    d = await createTestApp({
      env: { IDENTITY_PROVIDER: 'http', IDENTITY_URL: `http://127.0.0.1:${port}/nik`, IDENTITY_USER: 'lindung', IDENTITY_PASSWORD: 'rahasia-dukcapil' },
      logger: createLogger('debug', (line) => lines.push(line)),
    });
  });
  afterAll(async () => {
    await d.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const verdicts = (over: Record<string, string> = {}) => ({ content: [{ NIK: 'Sesuai', NAMA_LGKP: 'Sesuai (100)', TGL_LHR: 'Sesuai', JENIS_KLMIN: 'Sesuai', ...over }] });

  it('asks the service with the NIK, the name, the date as DD-MM-YYYY and the gender; a full match registers', async () => {
    const person = makePerson({ birthDate: '1990-05-17', gender: 'F' });
    reply = { status: 200, body: verdicts() };

    const res = await d.post('/api/v1/registrations', person);

    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(requests.at(-1)).toMatchObject({ NIK: person.nik, NAMA_LGKP: person.fullName, TGL_LHR: '17-05-1990', JENIS_KLMIN: 'PEREMPUAN', user_id: 'lindung' });
  });

  it.each<[string, unknown]>([
    ['the name does not match', verdicts({ NAMA_LGKP: 'Tidak Sesuai (73)' })],
    ['the birth date does not match', verdicts({ TGL_LHR: 'Tidak Sesuai' })],
    ['the NIK is not found', { content: [{ RESPONSE_CODE: '11', RESPONSE: 'Data Tidak Ditemukan' }] }],
  ])('422 identity_mismatch when %s', async (_label, body) => {
    const person = makePerson();
    reply = { status: 200, body };
    expectError(await d.post('/api/v1/registrations', person), 422, 'identity_mismatch', 'nik');
    expect(await outbox(d, person.email)).toEqual([]);
  });

  it.each<[string, { status: number; body: unknown }]>([
    ['answers HTTP 500', { status: 500, body: { error: 'down' } }],
    ['reports another error code (quota)', { status: 200, body: { content: [{ RESPONSE_CODE: '05', RESPONSE: 'Kuota habis' }] } }],
    ['returns an unknown verdict', { status: 200, body: verdicts({ NAMA_LGKP: 'Mungkin' }) }],
  ])('503 identity_unavailable (not a mismatch) when the service %s; nothing is sent or logged in full', async (_label, r) => {
    const person = makePerson();
    reply = r;
    expectError(await d.post('/api/v1/registrations', person), 503, 'identity_unavailable', undefined);
    expect(await outbox(d, person.email)).toEqual([]);
    const log = lines.join('\n');
    expect(log).toContain('identity provider unavailable');
    expect(log).not.toContain(person.nik);
    expect(log).not.toContain('rahasia-dukcapil');
  });
});

describe('FIRST_BILL_TTL_HOURS', () => {
  it('overrides the rulebook lifetime of a payment code', async () => {
    const short = await createTestApp({ env: { FIRST_BILL_TTL_HOURS: '2' } });
    try {
      const id = await registerVerified(short, makePerson());
      const submit = await short.post(`/api/v1/registrations/${id}/submit`, { programs: ['JKK', 'JKM'], declaredIncome: 1_000_000, months: 1 });
      expect(submit.status).toBe(201);
      // Issued 2026-11-22 10:00 WIB: the code is valid for 2 hours, not 24.
      expect(submit.body.bill.expiresAt).toMatch(/^2026-11-22T12:0\d:\d\d\+07:00$/);
    } finally {
      await short.close();
    }
  });
});
