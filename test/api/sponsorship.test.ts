import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { priceContribution } from '../../src/modules/contributions/index.js';
import { fundingForMonth } from '../../src/modules/membership/index.js';
import { actionAllowed, type SponsorAction, type SponsorshipStatus } from '../../src/modules/sponsorship/index.js';
import { expectError, outbox } from '../support/api-errors.js';
import { activeMember, addResident, latestData, login, makePerson, payBill, type Person } from '../support/factories.js';
import { nikHashOf } from '../support/nik.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Sertakan (issue 17 item 4; README "Sertakan"): a member sponsors a worker — the worker consents by OTP, the sponsor
 * pays through the normal channels, the worker becomes a member funded 'sponsor' (the PP 50/2025 discount applies: a
 * sponsor is not APBN/APBD), the sponsor pays more months through the member bill path; the worker takes over, or the
 * sponsor stops.
 */
let t: TestApp;
const PLAN = { programs: ['JKK', 'JKM', 'JHT'], declaredIncome: 2_000_000, months: 1 };
type Headers = Record<string, string>;

function workerOf(p: Person) {
  const { consent: _c, ...worker } = p;
  return worker;
}

const sponsor = (h: Headers, body: unknown) => t.post('/api/v1/me/sponsorships', body, h);
const list = async (h: Headers) => (await t.get('/api/v1/me/sponsorships', h)).body as { id: string; status: string; kpj?: string; coveredThrough?: string; bill?: { paymentCode: string; amount: number } }[];

async function participantOf(person: Person) {
  return t.db.selectFrom('participant').selectAll().where('nik_hash', '=', nikHashOf(person.nik)).executeTakeFirstOrThrow();
}

/** The price of `months` months from `startMonth` for the plan, under a funding. */
function price(funding: 'self' | 'sponsor' | 'apbn', startMonth: string, months: number): number {
  const q = priceContribution({ ...PLAN, months, startMonth, sector: 'transport', funding }, t.deps.rules);
  if (!q.ok) throw new Error(q.code);
  return q.value.total;
}

beforeAll(async () => {
  t = await createTestApp({ start: '2026-12-07T02:00:00.000Z' }); // Monday 7 December 2026, 09:00 WIB
});
afterAll(async () => t.close());

describe('the pure rules', () => {
  it.each([
    ['awaiting_consent', 'consent', true],
    ['active', 'consent', false],
    ['awaiting_consent', 'bill', false],
    ['active', 'bill', true],
    ['awaiting_consent', 'stop', true],
    ['active', 'stop', true],
    ['ended', 'stop', false],
    ['active', 'take_over', true],
    ['ended', 'take_over', false],
  ] as const)('%s: %s allowed = %s', (status, action, allowed) => expect(actionAllowed(status as SponsorshipStatus, action as SponsorAction)).toBe(allowed));
});

describe('a new worker: sponsor → consent → pay → member funded by the sponsor', () => {
  it('registers, consents by OTP (a wrong code says the tries left), pays, pays 3 more months, the worker takes over', async () => {
    const s = await activeMember(t);
    const person = makePerson({ email: '', occupationCode: 'OJOL' });
    await addResident(t, person);

    const made = await sponsor(s.auth, { worker: workerOf(person), ...PLAN });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body).toMatchObject({ status: 'awaiting_consent', workerName: person.fullName });
    expect(made.body.bill).toBeUndefined();
    const id = made.body.id as string;
    const reg = await t.db.selectFrom('registration').selectAll().where('nik_hash', '=', nikHashOf(person.nik)).executeTakeFirstOrThrow();
    const sponsorRow = await participantOf(s.person);
    expect(reg).toMatchObject({ channel: 'sertakan', funding: 'sponsor', payer_id: sponsorRow.id, email: s.person.email, registered_by: `participant:${s.kpj}` });
    // The worker's SMS: the consent link; the code is the registration's OTP.
    const sms = await outbox(t, person.phone);
    const link = sms.find((m) => typeof m.data['link'] === 'string' && m.body.startsWith('Sertakan'));
    expect(link?.body).toMatch(/\/sertakan\/setuju\/[A-Za-z0-9_-]+/);
    expect(link?.body).not.toContain(s.person.fullName); // the sponsor's name is masked
    expect(link!.body.length).toBeLessThanOrEqual(160);

    const wrong = await t.post(`/api/v1/sponsorships/${id}/consent`, { code: '000000' });
    expectError(wrong, 422, 'invalid_otp', 'code');
    expect(wrong.body.error.detail).toBe('attempts left: 4');
    const consented = await t.post(`/api/v1/sponsorships/${id}/consent`, { code: await latestData(t, person.phone, 'otp') });
    expect(consented.status, JSON.stringify(consented.body)).toBe(200);
    const bill = consented.body.bill as { paymentCode: string; amount: number };
    const month = '2026-12';
    expect(bill.amount).toBe(price('sponsor', month, 1));
    expect(bill.amount).toBe(price('self', month, 1));
    expect(bill.amount).toBeLessThan(price('apbn', month, 1)); // the discount applies to a sponsor
    // Again: the same answer.
    expect((await t.post(`/api/v1/sponsorships/${id}/consent`, { code: '000000' })).body).toMatchObject({ status: 'active', bill: { paymentCode: bill.paymentCode } });
    const row = await t.db.selectFrom('sponsorship').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'active', consent_text_version: 'sertakan-2026-12-07' });
    expect((await list(s.auth))[0]).toMatchObject({ id, status: 'active', bill: { paymentCode: bill.paymentCode, amount: bill.amount } });

    expect((await payBill(t, bill)).body).toEqual({ status: 'applied' });
    const worker = await participantOf(person);
    expect(worker.funding).toBe('sponsor');
    expect(await fundingForMonth(t.db, worker.id, '2027-01')).toMatchObject({ funding: 'sponsor', payerId: sponsorRow.id });
    expect((await list(s.auth))[0]).toMatchObject({ id, status: 'active', kpj: worker.kpj, coveredThrough: month });

    // The sponsor pays 3 more months: the member bill path, the worker's funding in force.
    const more = await t.post(`/api/v1/me/sponsorships/${id}/bills`, { months: 3 }, s.auth);
    expect(more.status, JSON.stringify(more.body)).toBe(201);
    expect(more.body.amount).toBe(price('sponsor', '2027-01', 3));
    expect((await payBill(t, more.body)).body).toEqual({ status: 'applied' });
    expect((await list(s.auth))[0]).toMatchObject({ coveredThrough: '2027-03' });
    // The worker's own portal still works: they see their cover.
    t.clock.advance(61_000);
    const workerToken = await login(t, person.phone);
    const wh = { authorization: `Bearer ${workerToken}` };
    expect((await t.get('/api/v1/me', wh)).body).toMatchObject({ kpj: worker.kpj, coveredThrough: '2027-03' });

    // Someone else cannot bill or stop it.
    const other = await activeMember(t);
    expectError(await t.post(`/api/v1/me/sponsorships/${id}/bills`, { months: 1 }, other.auth), 404, 'unknown_sponsorship');
    expectError(await t.post('/api/v1/me/sponsorship/take-over', {}, other.auth), 409, 'not_sponsored');

    // The worker takes over: self-paying from the next unpaid month; the sponsor is told.
    const taken = await t.post('/api/v1/me/sponsorship/take-over', {}, wh);
    expect(taken.status, JSON.stringify(taken.body)).toBe(200);
    expect(taken.body).toMatchObject({ id, status: 'ended', endedReason: 'taken_over' });
    // Effective-dated: the months the sponsor paid stay theirs; the worker pays from April 2027.
    expect(await fundingForMonth(t.db, worker.id, '2027-03')).toMatchObject({ funding: 'sponsor', payerId: sponsorRow.id });
    expect(await fundingForMonth(t.db, worker.id, '2027-04')).toMatchObject({ funding: 'self', payerId: null });
    expect((await outbox(t, s.person.phone)).some((m) => m.data['reason'] !== undefined && m.body.includes('Apr 2027'))).toBe(true);
    expectError(await t.post(`/api/v1/me/sponsorships/${id}/bills`, { months: 1 }, s.auth), 409, 'sponsorship_not_active');
    expectError(await t.post('/api/v1/me/sponsorship/take-over', {}, wh), 409, 'not_sponsored');
  });
});

describe('refusals', () => {
  it('self, already sponsored, the registration’s own codes, neither worker nor kpj, no session', async () => {
    const s = await activeMember(t);
    expectError(await sponsor(s.auth, { kpj: s.kpj, ...PLAN }), 422, 'cannot_sponsor_self', 'kpj');
    expectError(await sponsor(s.auth, { worker: workerOf(s.person), ...PLAN }), 422, 'cannot_sponsor_self', 'nik');
    expectError(await sponsor(s.auth, PLAN), 400, 'invalid_request', 'worker');
    expectError(await sponsor({}, PLAN), 401, 'unauthorized');
    const person = makePerson();
    expectError(await sponsor(s.auth, { worker: workerOf(person), ...PLAN }), 422, 'identity_mismatch', 'nik'); // not in the registry
    await addResident(t, person);
    expectError(await sponsor(s.auth, { worker: workerOf(person), ...PLAN, declaredIncome: 1000 }), 422, 'income_below_minimum', 'declaredIncome');
    expect((await sponsor(s.auth, { worker: workerOf(person), ...PLAN })).status).toBe(201);
    const second = await activeMember(t);
    expectError(await sponsor(second.auth, { worker: workerOf(person), ...PLAN }), 409, 'already_sponsored', 'nik');
    expectError(await t.post('/api/v1/sponsorships/spn_unknown/consent', { code: '123456' }), 404, 'unknown_sponsorship');
  });
});

describe('an existing member sponsored by KPJ, then the sponsor stops', () => {
  it('consents with the sponsorship code, is billed the chosen months as sponsor-funded, and pays themself again after the stop', async () => {
    const s = await activeMember(t);
    const w = await activeMember(t, { programs: PLAN.programs, declaredIncome: PLAN.declaredIncome });
    const made = await sponsor(s.auth, { kpj: w.kpj, ...PLAN, months: 3 });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body).toMatchObject({ status: 'awaiting_consent', kpj: w.kpj });
    const id = made.body.id as string;
    const text = (await outbox(t, w.person.phone)).find((m) => typeof m.data['link'] === 'string' && m.body.startsWith('Sertakan'));
    expect(text!.body.length).toBeLessThanOrEqual(160);
    const consented = await t.post(`/api/v1/sponsorships/${id}/consent`, { code: await latestData(t, w.person.phone, 'otp') });
    expect(consented.status, JSON.stringify(consented.body)).toBe(200);
    const workerRow = await participantOf(w.person);
    expect(await fundingForMonth(t.db, workerRow.id, '2027-01')).toMatchObject({ funding: 'sponsor', payerId: (await participantOf(s.person)).id });
    expect(consented.body.bill.amount).toBe(price('sponsor', '2027-01', 3)); // from the month after the cover
    // A second sponsor for the same worker: refused.
    const other = await activeMember(t);
    expectError(await sponsor(other.auth, { kpj: w.kpj, ...PLAN }), 409, 'already_sponsored', 'kpj');

    const stopped = await t.post(`/api/v1/me/sponsorships/${id}/stop`, {}, s.auth);
    expect(stopped.status, JSON.stringify(stopped.body)).toBe(200);
    expect(stopped.body).toMatchObject({ status: 'ended', endedReason: 'sponsor_stopped' });
    expect(await fundingForMonth(t.db, workerRow.id, '2027-01')).toMatchObject({ funding: 'self', payerId: null });
    expect((await outbox(t, w.person.phone)).some((m) => m.data['reason'] !== undefined)).toBe(true);
    expectError(await sponsor(s.auth, { kpj: w.kpj, ...PLAN, months: 2 }), 422, 'invalid_months', 'months');
    expectError(await t.post(`/api/v1/me/sponsorships/${id}/stop`, {}, s.auth), 409, 'sponsorship_not_active');
    // Now another sponsor may.
    expect((await sponsor(other.auth, { kpj: w.kpj, ...PLAN })).status).toBe(201);
  });

  it('five wrong codes lock the code', async () => {
    const s = await activeMember(t);
    const w = await activeMember(t);
    const id = (await sponsor(s.auth, { kpj: w.kpj, ...PLAN })).body.id as string;
    for (let left = 4; left >= 0; left--) {
      const wrong = await t.post(`/api/v1/sponsorships/${id}/consent`, { code: '000000' });
      expectError(wrong, 422, 'invalid_otp', 'code');
      expect(wrong.body.error.detail).toBe(`attempts left: ${left}`);
    }
    expectError(await t.post(`/api/v1/sponsorships/${id}/consent`, { code: await latestData(t, w.person.phone, 'otp') }), 429, 'too_many_attempts', 'code');
    expect((await participantOf(w.person)).funding).toBe('self');
  });
});

describe('closing what is left open (wave 2)', () => {
  it('the sponsor stops before the first payment: the registration is closed (cancelled) and the worker registers alone', async () => {
    const s = await activeMember(t);
    const person = makePerson({ email: '' });
    await addResident(t, person);
    const id = (await sponsor(s.auth, { worker: workerOf(person), ...PLAN })).body.id as string;
    const consented = await t.post(`/api/v1/sponsorships/${id}/consent`, { code: await latestData(t, person.phone, 'otp') });
    expect(consented.status, JSON.stringify(consented.body)).toBe(200);
    expect((await t.post(`/api/v1/me/sponsorships/${id}/stop`, {}, s.auth)).status).toBe(200);
    const reg = await t.db.selectFrom('registration').selectAll().where('nik_hash', '=', nikHashOf(person.nik)).executeTakeFirstOrThrow();
    expect(reg.status).toBe('cancelled');
    const bill = await t.db.selectFrom('bill').select('status').where('registration_id', '=', reg.id).executeTakeFirstOrThrow();
    expect(bill.status).toBe('cancelled');
    expectError(await t.post(`/api/v1/registrations/${reg.id}/submit`, PLAN), 404, 'unknown_registration');
    // Alone: a registration of their own, self-funded.
    t.clock.advance(61_000);
    const own = await t.post('/api/v1/registrations', { ...person, email: 'sendiri@example.org' });
    expect(own.status, JSON.stringify(own.body)).toBe(201);
    expect((await t.post(`/api/v1/registrations/${own.body.id}/verify-phone`, { code: await latestData(t, person.phone, 'otp') })).status).toBe(200);
    expect((await t.post(`/api/v1/registrations/${own.body.id}/verify-email`, { token: await latestData(t, 'sendiri@example.org', 'token') })).status).toBe(200);
    const submitted = await t.post(`/api/v1/registrations/${own.body.id}/submit`, PLAN);
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
    expect((await payBill(t, submitted.body.bill)).body).toEqual({ status: 'applied' });
    expect((await participantOf(person)).funding).toBe('self');
  });

  it('a consent request never answered expires after 7 days: it no longer blocks, and its link says it expired', async () => {
    const s = await activeMember(t);
    const person = makePerson({ email: '' });
    await addResident(t, person);
    const first = (await sponsor(s.auth, { worker: workerOf(person), ...PLAN })).body.id as string;
    const link = (await outbox(t, person.phone)).map((m) => m.data['link']).find((l): l is string => typeof l === 'string')!;
    const other = await activeMember(t);
    expectError(await sponsor(other.auth, { worker: workerOf(person), ...PLAN }), 409, 'already_sponsored', 'nik');
    t.clock.advance(7 * 86_400_000 - 60 * 60_000); // not yet: 7 days after the request
    const otherAuth = { authorization: `Bearer ${await login(t, other.person.phone)}` }; // the sessions have lapsed
    const sponsorAuth = { authorization: `Bearer ${await login(t, s.person.phone)}` };
    expectError(await sponsor(otherAuth, { worker: workerOf(person), ...PLAN }), 409, 'already_sponsored', 'nik');
    t.clock.advance(2 * 60 * 60_000);
    const page = await t.get(new URL(link).pathname);
    expect(String(page.body)).toContain('kedaluwarsa');
    expectError(await t.post(`/api/v1/sponsorships/${first}/consent`, { code: '123456' }), 409, 'sponsorship_not_active');
    expect((await list(sponsorAuth)).find((v) => v.id === first)).toMatchObject({ status: 'ended', endedReason: 'expired' });
    const oldReg = await t.db.selectFrom('registration').select('status').where('nik_hash', '=', nikHashOf(person.nik)).orderBy('created_at').executeTakeFirstOrThrow();
    expect(oldReg.status).toBe('cancelled');
    const second = await sponsor(otherAuth, { worker: workerOf(person), ...PLAN });
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    expect(second.body).toMatchObject({ status: 'awaiting_consent' });
  });
});
