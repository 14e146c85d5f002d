import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { averageRating, channelOf, isApprovalCode, isIdempotencyKey } from '../../src/modules/assisted-registration/index.js';
import { getAllBalances } from '../../src/modules/ledger/ledger.js';
import { deliverDueMessages } from '../../src/modules/notifications/deliver-outbox.js';
import { expectError, outbox } from '../support/api-errors.js';
import { addResident, latestData, makePerson, type Person } from '../support/factories.js';
import { STAFF_PASSWORD, type Headers } from '../support/claims.js';
import { csrfOf, portalClient, textOf } from '../support/portal-client.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { nikHashOf } from '../support/nik.js';

/**
 * Assisted registration at a branch counter or an SPO desk, cash/EDC at the counter, the e-survey (issue 16 items 2–3;
 * README "Registration at the counter"): the same registry check as the web, the OTP read out by the worker, the bill
 * paid through the same settlement (channel counter) — ledger exact, a double submit one payment.
 */
let t: TestApp;
let seq = 0;
const BRANCH = 'JKT-SALEMBA';
const PLAN = { programs: ['JKK', 'JKM', 'JHT'], declaredIncome: 2_000_000, months: 3 };
const MONTHLY = { JKK: 10_000, JKM: 3_400, JHT: 40_000 };

async function officer(roles: string[], extra: Record<string, string> = { branchCode: BRANCH }): Promise<Headers> {
  const username = `loket-reg-${process.pid}-${++seq}`;
  const made = await t.post('/dev/staff', { username, password: STAFF_PASSWORD, roles, ...extra });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  const session = await t.post('/api/v1/staff/sessions', { username, password: STAFF_PASSWORD });
  return { authorization: `Bearer ${session.body.token as string}` };
}

function form(p: Person, overrides: Record<string, unknown> = {}) {
  const { branchCode: _b, ...person } = p;
  return { ...person, ...PLAN, ...overrides };
}

const register = (h: Headers, body: unknown) => t.post('/api/v1/staff/registrations', body, h);
const pay = (h: Headers, body: Record<string, unknown>) => t.post('/api/v1/staff/payments', body, h);

beforeAll(async () => {
  t = await createTestApp({ start: '2026-12-07T02:00:00.000Z' }); // Monday 7 December 2026, 09:00 WIB
});
afterAll(async () => t.close());

describe('the pure rules', () => {
  it.each([
    ['spo', 'spo'],
    ['branch_counter', 'counter'],
    [null, 'counter'],
  ] as const)('a service point of kind %s registers with channel %s', (kind, channel) => expect(channelOf(kind)).toBe(channel));
  it('keys, approval codes and the average', () => {
    expect(isIdempotencyKey(randomUUID())).toBe(true);
    expect(isIdempotencyKey('counter-1')).toBe(false);
    expect(isApprovalCode('A1B2C3')).toBe(true);
    expect(isApprovalCode('12345')).toBe(false);
    expect(averageRating([])).toBeNull();
    expect(averageRating([5, 4, 4])).toBe(4.3);
  });
});

describe('counter registration → OTP → cash', () => {
  it('a worker without email: registry checked, OTP by SMS, bill after verification, cash settles it, KPJ, ledger exact, one payment for a double submit', async () => {
    const counter = await officer(['counter']);
    const person = makePerson({ email: '' });
    await addResident(t, person);
    const made = await register(counter, form(person));
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body).toMatchObject({ status: 'pending_verification', channel: 'counter', branchCode: BRANCH, servicePointCode: null, paymentCode: null, bill: null });
    const id = made.body.registrationId as string;
    // Wrong code first: refused, nothing issued.
    expectError(await t.post(`/api/v1/staff/registrations/${id}/verify`, { code: '000000' }, counter), 422, 'invalid_otp', 'code');
    const otp = await latestData(t, person.phone, 'otp');
    const verified = await t.post(`/api/v1/staff/registrations/${id}/verify`, { code: otp }, counter);
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    const bill = verified.body.bill as { paymentCode: string; amount: number };
    expect(bill.amount).toBe(3 * (MONTHLY.JKK + MONTHLY.JKM + MONTHLY.JHT));
    expect(verified.body.paymentCode).toBe(bill.paymentCode);
    // Again: the same open bill, not a new one.
    expect((await t.post(`/api/v1/staff/registrations/${id}/verify`, { code: otp }, counter)).body.paymentCode).toBe(bill.paymentCode);
    const sms = await outbox(t, person.phone);
    expect(sms.some((m) => m.body.includes(bill.paymentCode))).toBe(true); // the payment code by SMS: no email

    const balances = await getAllBalances(t.db);
    const key = randomUUID();
    const body = { paymentCode: bill.paymentCode, amount: bill.amount, method: 'cash', idempotencyKey: key };
    const [first, second] = await Promise.all([pay(counter, body), pay(counter, body)]);
    const outcomes = [first.body.status, second.body.status].sort();
    expect(outcomes, JSON.stringify([first.body, second.body])).toEqual(['applied', 'duplicate']);
    expect((await pay(counter, body)).body).toMatchObject({ status: 'duplicate', kpj: expect.stringMatching(/^\d{11}$/) });
    const payments = await t.db.selectFrom('payment').selectAll().where('external_id', '=', `counter:${key}`).execute();
    expect(payments).toHaveLength(1);
    expect(payments[0]!.channel).toBe('counter');
    // The till slip and its audit entry, once for the three submits.
    const audits = await t.db.selectFrom('staff_audit').selectAll().where('action', '=', 'counter_payment.take').where('subject', '=', `bill:${bill.paymentCode}`).execute();
    expect(audits).toHaveLength(1);
    expect(audits[0]!.detail).toMatchObject({ method: 'cash', amount: bill.amount, externalId: `counter:${key}` });
    const participant = await t.db.selectFrom('participant').select(['id', 'kpj']).where('nik_hash', '=', nikHashOf(person.nik)).executeTakeFirstOrThrow();
    expect(first.body.kpj ?? second.body.kpj).toBe(participant.kpj);
    const reg = await t.db.selectFrom('registration').select(['status', 'channel', 'registered_by']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(reg).toMatchObject({ status: 'completed', channel: 'counter' });
    const transfers = await t.db.selectFrom('ledger_transfer').selectAll().where('ref', '=', payments[0]!.id).execute();
    expect(Object.fromEntries(transfers.map((x) => [x.credit_account, Number(x.amount)]))).toEqual({ 'program:JKK': 3 * MONTHLY.JKK, 'program:JKM': 3 * MONTHLY.JKM, [`jht:${participant.kpj}`]: 3 * MONTHLY.JHT });
    expect(transfers.every((x) => x.debit_account === 'clearing:counter')).toBe(true);
    const after = await getAllBalances(t.db);
    expect(Number(after.get('clearing:counter') ?? 0) - Number(balances.get('clearing:counter') ?? 0)).toBe(-bill.amount);
    // The card link and the e-survey by SMS.
    const texts = (await outbox(t, person.phone)).map((m) => m.body);
    expect(texts.some((x) => x.includes(participant.kpj) && x.includes('Kartu digital'))).toBe(true);
    expect(texts.some((x) => /\/survei\/[A-Za-z0-9_-]+/.test(x))).toBe(true);
    // The settlement's card email to the empty address is never sent: the outbox worker marks it failed, no retry.
    const emailed: string[] = [];
    const transports = { email: { send: async (m: { to: string }) => (emailed.push(m.to), { providerMessageId: 'x' }) }, sms: { send: async () => ({ providerMessageId: 'y' }) } };
    while ((await deliverDueMessages(t.deps, transports)) > 0);
    expect(emailed).not.toContain('');
    const toNobody = await t.db.selectFrom('outbox_message').select(['status', 'template']).where('channel', '=', 'email').where('recipient', '=', '').execute();
    expect(toNobody.length).toBeGreaterThan(0);
    expect(toNobody.every((m) => m.status === 'failed')).toBe(true);
    // The same key with another amount: refused.
    expectError(await pay(counter, { ...body, amount: bill.amount + 1 }), 409, 'idempotency_key_reused', 'idempotencyKey');
    // A new key for the paid bill: nothing recorded, no money taken.
    expectError(await pay(counter, { ...body, idempotencyKey: randomUUID() }), 409, 'bill_not_payable', 'paymentCode');
  });

  it('EDC needs the approval code; the amount must be the bill’s; an SPO officer registers with channel spo', async () => {
    const admin = await officer(['admin'], {});
    expect((await t.request('PUT', '/api/v1/staff/service-points/SPO-BRI-SALEMBA', { branchCode: BRANCH, kind: 'spo', name: 'SPO BRI Salemba', reason: 'Kerja sama' }, admin)).status).toBe(200);
    const spo = await officer(['counter'], { servicePointCode: 'SPO-BRI-SALEMBA' });
    const person = makePerson();
    await addResident(t, person);
    const made = await register(spo, form(person));
    expect(made.body).toMatchObject({ channel: 'spo', branchCode: BRANCH, servicePointCode: 'SPO-BRI-SALEMBA' });
    const id = made.body.registrationId as string;
    // With an email: the link is sent but does not block.
    expect((await outbox(t, person.email)).length).toBe(1);
    const verified = await t.post(`/api/v1/staff/registrations/${id}/verify`, { code: await latestData(t, person.phone, 'otp') }, spo);
    const bill = verified.body.bill as { paymentCode: string; amount: number };
    const edc = { paymentCode: bill.paymentCode, amount: bill.amount, method: 'edc', idempotencyKey: randomUUID() };
    expectError(await pay(spo, edc), 422, 'approval_code_required', 'approvalCode');
    expectError(await pay(spo, { ...edc, approvalCode: 'A1B2C3', amount: bill.amount - 1 }), 422, 'amount_not_bill', 'amount');
    expect((await pay(spo, { ...edc, approvalCode: 'A1B2C3' })).body).toMatchObject({ status: 'applied', method: 'edc' });
    const slip = await t.db.selectFrom('counter_payment').selectAll().where('idempotency_key', '=', edc.idempotencyKey).executeTakeFirstOrThrow();
    expect(slip).toMatchObject({ method: 'edc', approval_code: 'A1B2C3', branch_code: BRANCH, service_point_code: 'SPO-BRI-SALEMBA' });
    // The admin sets an account's service point (PATCH /staff/accounts); an unknown one is refused.
    const username = `loket-reg-${process.pid}-${seq}`;
    const patched = await t.request('PATCH', `/api/v1/staff/accounts/${username}`, { servicePointCode: null, reason: 'Kembali ke kantor' }, admin);
    expect(patched.body.servicePointCode).toBeUndefined();
    expectError(await t.request('PATCH', `/api/v1/staff/accounts/${username}`, { servicePointCode: 'SPO-TIDAK-ADA', reason: 'Salah' }, admin), 422, 'unknown_service_point', 'servicePointCode');
    const back = await t.request('PATCH', `/api/v1/staff/accounts/${username}`, { servicePointCode: 'SPO-BRI-SALEMBA', reason: 'Tugas SPO' }, admin);
    expect(back.body).toMatchObject({ servicePointCode: 'SPO-BRI-SALEMBA' });
  });

  it('a registry mismatch is refused before anything is sent; an already-active NIK too; another branch cannot see the registration', async () => {
    const counter = await officer(['counter']);
    const person = makePerson({ email: '' });
    await addResident(t, person);
    expectError(await register(counter, form(person, { fullName: 'Nama Lain Sekali' })), 422, 'identity_mismatch', 'nik');
    expect(await outbox(t, person.phone)).toHaveLength(0);
    expectError(await register(counter, form(person, { declaredIncome: 1000 })), 422, 'income_below_minimum', 'declaredIncome');
    const made = await register(counter, form(person));
    const other = await officer(['counter'], { branchCode: 'JKT-CILANDAK' });
    expectError(await t.post(`/api/v1/staff/registrations/${made.body.registrationId as string}/verify`, { code: '123456' }, other), 404, 'unknown_registration');
    expectError(await register(await officer(['counter'], {}), form(person)), 400, 'staff_without_branch');
  });

  it('the e-survey: answered once through the public page; supervisors see the average', async () => {
    const counter = await officer(['counter']);
    const person = makePerson({ email: '' });
    await addResident(t, person);
    const id = (await register(counter, form(person))).body.registrationId as string;
    const bill = (await t.post(`/api/v1/staff/registrations/${id}/verify`, { code: await latestData(t, person.phone, 'otp') }, counter)).body.bill as { paymentCode: string; amount: number };
    await pay(counter, { paymentCode: bill.paymentCode, amount: bill.amount, method: 'cash', idempotencyKey: randomUUID() });
    const link = (await outbox(t, person.phone)).map((m) => /\/survei\/([A-Za-z0-9_-]+)/.exec(m.body)).find(Boolean)![1]!;
    const visitor = portalClient(t);
    const page = await visitor.open(`/survei/${link}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('name="rating"');
    const answered = await visitor.submit(`/survei/${link}`, `/survei/${link}`, { rating: '4', comment: 'Cepat' }, { follow: false });
    expect(answered.status).toBe(303);
    expect(textOf((await visitor.open(`/survei/${link}`)).html)).toContain('Terima kasih');
    const again = await visitor.post(`/survei/${link}`, { _csrf: csrfOf(page.html), rating: '1', comment: '' });
    expect(again.status).toBe(409);
    expect((await visitor.open('/survei/tidak-ada')).status).toBe(404);
    const supervisor = await officer(['supervisor']);
    const summary = await t.get('/api/v1/staff/surveys/summary', supervisor);
    expect(summary.body.answered).toBeGreaterThanOrEqual(1);
    expect(summary.body.byRating[3]).toBeGreaterThanOrEqual(1);
  });
});
