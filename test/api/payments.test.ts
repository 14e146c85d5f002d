import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAllBalances, validateTransfer, type TransferCode } from '../../src/modules/ledger/ledger.js';
import { hmacSha256Hex } from '../../src/shared/crypto.js';
import { activeMember, makePerson, nextExternalId, payBill, registerVerified, type Person } from '../support/factories.js';
import { createTestApp, type TestApp, type TestResponse } from '../support/test-app.js';
import { nikHashOf } from '../support/nik.js';

/**
 * Bills and payment notifications (api-contract.md "Bills and payment notifications"), and the ledger they post.
 * Tests in this file run in order on one database: the ledger invariants at the end hold over every payment the
 * earlier tests made (applied, duplicate, conflicting, unmatched, concurrent).
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const NOTIFY = '/api/v1/payments/notifications';

interface Bill {
  id: string;
  paymentCode: string;
  amount: number;
  status: string;
  expiresAt: string;
  months: { month: string; total: number; lines: { program: string; net: number }[] }[];
}

function expectError(res: TestResponse, status: number, code: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error.code).toBe(code);
  expect(typeof res.body.error.message).toBe('string');
}

/** A verified registration with a submitted (open) first bill. */
async function submittedBill(options: { person?: Partial<Person>; programs?: string[]; declaredIncome?: number; months?: number } = {}) {
  const person = makePerson(options.person);
  const registrationId = await registerVerified(t, person);
  const res = await t.post(`/api/v1/registrations/${registrationId}/submit`, {
    programs: options.programs ?? ['JKK', 'JKM'],
    declaredIncome: options.declaredIncome ?? 1_000_000,
    months: options.months ?? 1,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { person, registrationId, bill: res.body.bill as Bill };
}

function notification(bill: { paymentCode: string; amount: number }, overrides: Record<string, unknown> = {}) {
  return { externalId: nextExternalId(), paymentCode: bill.paymentCode, amount: bill.amount, channel: 'va', paidAt: t.clock.now().toISOString(), ...overrides };
}

async function count(table: 'payment' | 'ledger_transfer' | 'participant' | 'coverage_month'): Promise<number> {
  const row = await t.db.selectFrom(table).select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

async function recorded() {
  return { payments: await count('payment'), transfers: await count('ledger_transfer'), participants: await count('participant'), coverage: await count('coverage_month') };
}

async function suspense(): Promise<number> {
  return (await getAllBalances(t.db)).get('suspense') ?? 0;
}

async function billStatus(paymentCode: string): Promise<string> {
  const res = await t.get(`/api/v1/bills/${paymentCode}`);
  expect(res.status).toBe(200);
  return res.body.status as string;
}

function tally(results: TestResponse[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of results) {
    const key = r.status === 200 ? `${r.body.status}${r.body.reason ? `:${r.body.reason}` : ''}` : `${r.status}:${r.body.error?.code}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

describe('GET /api/v1/bills/{paymentCode}', () => {
  it('shows an open bill with the name masked except initials', async () => {
    const { bill } = await submittedBill({ person: { fullName: 'Dewi Ayu Lestari', gender: 'F' }, months: 3 });
    const res = await t.get(`/api/v1/bills/${bill.paymentCode}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ paymentCode: bill.paymentCode, status: 'open', amount: bill.amount, expiresAt: bill.expiresAt, customerName: 'D*** A** L******' });
    expect(res.body.expiresAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/);
  });

  it('shows paid once the bill is settled, and keeps masking the (now participant) name', async () => {
    const { bill } = await submittedBill({ person: { fullName: 'Budi Santoso', gender: 'M' } });
    expect((await payBill(t, bill)).body).toEqual({ status: 'applied' });
    const res = await t.get(`/api/v1/bills/${bill.paymentCode}`);
    expect(res.body).toMatchObject({ status: 'paid', amount: bill.amount, customerName: 'B*** S******' });
  });

  it('shows cancelled when a new submit replaces the bill', async () => {
    const { registrationId, bill } = await submittedBill();
    const again = await t.post(`/api/v1/registrations/${registrationId}/submit`, { programs: ['JKK', 'JKM'], declaredIncome: 1_000_000, months: 3 });
    expect(again.status).toBe(201);
    expect(again.body.bill.paymentCode).not.toBe(bill.paymentCode);
    expect(await billStatus(bill.paymentCode)).toBe('cancelled');
    expect(await billStatus(again.body.bill.paymentCode)).toBe('open');
  });

  it('404 unknown_payment_code for a code that was never issued', async () => {
    expectError(await t.get('/api/v1/bills/8000000000000000'), 404, 'unknown_payment_code');
    expectError(await t.get('/api/v1/bills/not-a-code'), 404, 'unknown_payment_code');
  });

  it('400, not 500, for a code with a NUL character', async () => {
    expectError(await t.get('/api/v1/bills/8000%000000000000'), 400, 'invalid_request');
  });
});

describe('POST /api/v1/payments/notifications — signature', () => {
  it('401 invalid_signature for a missing, wrong or foreign signature, and nothing is recorded', async () => {
    const { bill, registrationId } = await submittedBill();
    const raw = JSON.stringify(notification(bill));
    const before = await recorded();
    const otherBody = JSON.stringify(notification(bill));
    const attempts: [string, Record<string, string>, string][] = [
      ['no header', {}, raw],
      ['empty header', { 'x-signature': '' }, raw],
      ['signed with another secret', { 'x-signature': hmacSha256Hex('not-the-secret', raw) }, raw],
      ['garbage', { 'x-signature': 'deadbeef' }, raw],
      ['signature over a different body', { 'x-signature': hmacSha256Hex(t.config.paymentWebhookSecret, otherBody) }, raw],
      ['body changed after signing (one trailing space)', { 'x-signature': hmacSha256Hex(t.config.paymentWebhookSecret, raw) }, `${raw} `],
      ['malformed JSON, unsigned', {}, '{"amount":'],
    ];
    for (const [name, headers, body] of attempts) {
      const res = await t.request('POST', NOTIFY, body, headers);
      expect(res.status, name).toBe(401);
      expect(res.body.error.code, name).toBe('invalid_signature');
    }
    expect(await recorded()).toEqual(before);
    expect(await billStatus(bill.paymentCode)).toBe('open');
    const reg = await t.db.selectFrom('registration').select(['status', 'participant_id']).where('id', '=', registrationId).executeTakeFirstOrThrow();
    expect(reg).toEqual({ status: 'submitted', participant_id: null });
    // The same body with the right signature is then applied: the refusals above were about the signature only.
    expect((await t.notify(raw)).body).toEqual({ status: 'applied' });
  });
});

describe('POST /api/v1/payments/notifications — settlement and idempotency', () => {
  it('applies a payment for the exact amount: bill paid, participant created, ledger posted', async () => {
    const { bill, registrationId, person } = await submittedBill({ programs: ['JKK', 'JKM', 'JHT'], declaredIncome: 2_000_000, months: 3 });
    const before = await recorded();
    const body = notification(bill, { channel: 'qris' });
    expect(await t.notify(body)).toMatchObject({ status: 200, body: { status: 'applied' } });
    expect(await billStatus(bill.paymentCode)).toBe('paid');
    const participant = await t.db.selectFrom('participant').select(['id', 'kpj']).where('nik_hash', '=', nikHashOf(person.nik)).executeTakeFirstOrThrow();
    expect(participant.kpj).toMatch(/^\d{11}$/);
    const reg = await t.db.selectFrom('registration').select(['status', 'participant_id']).where('id', '=', registrationId).executeTakeFirstOrThrow();
    expect(reg).toEqual({ status: 'completed', participant_id: participant.id });
    const months = await t.db.selectFrom('coverage_month').select('month').where('participant_id', '=', participant.id).orderBy('month').execute();
    expect(months.map((m) => m.month)).toEqual(bill.months.map((m) => m.month));
    const after = await recorded();
    expect(after.payments).toBe(before.payments + 1);
    expect(after.transfers).toBe(before.transfers + 3); // JKK, JKM, JHT
    const payment = await t.db.selectFrom('payment').selectAll().where('external_id', '=', body.externalId).executeTakeFirstOrThrow();
    const transfers = await t.db.selectFrom('ledger_transfer').selectAll().where('ref', '=', payment.id).execute();
    const byAccount = Object.fromEntries(transfers.map((x) => [x.credit_account, x.amount]));
    expect(byAccount).toEqual({ 'program:JKK': 3 * 10_000, 'program:JKM': 3 * 3_400, [`jht:${participant.kpj}`]: 3 * 40_000 });
    expect(transfers.every((x) => x.debit_account === 'clearing:qris')).toBe(true);
  });

  it('a repeat with the same externalId and content is a duplicate and changes nothing', async () => {
    const { bill } = await submittedBill();
    const body = notification(bill);
    expect((await t.notify(body)).body).toEqual({ status: 'applied' });
    const before = await recorded();
    const balances = await getAllBalances(t.db);
    for (let i = 0; i < 3; i++) {
      expect(await t.notify(body)).toMatchObject({ status: 200, body: { status: 'duplicate' } });
    }
    // Same content with the keys in another order and paidAt written in WIB: the same payment.
    const reordered = { paidAt: new Date(body.paidAt).toISOString().replace('Z', '+00:00'), channel: body.channel, amount: body.amount, paymentCode: body.paymentCode, externalId: body.externalId };
    expect((await t.notify(reordered)).body).toEqual({ status: 'duplicate' });
    expect(await recorded()).toEqual(before);
    expect(await getAllBalances(t.db)).toEqual(balances);
    expect(await billStatus(bill.paymentCode)).toBe('paid');
  });

  it('409 external_id_conflict for a known externalId with different content; nothing recorded', async () => {
    const { bill } = await submittedBill();
    const body = notification(bill);
    expect((await t.notify(body)).body).toEqual({ status: 'applied' });
    const before = await recorded();
    const other = await submittedBill();
    for (const change of [{ amount: body.amount + 1 }, { channel: 'ewallet' }, { paymentCode: other.bill.paymentCode }, { paidAt: new Date(Date.parse(body.paidAt) + 1000).toISOString() }]) {
      expectError(await t.notify({ ...body, ...change }), 409, 'external_id_conflict');
    }
    expect(await recorded()).toEqual(before);
    // The conflicting attempt for the other bill did not touch it.
    expect(await billStatus(other.bill.paymentCode)).toBe('open');
  });

  it('a conflict on an unmatched payment is still a conflict (the first content wins)', async () => {
    const body = notification({ paymentCode: '8999999999999999', amount: 50_000 });
    expect((await t.notify(body)).body).toEqual({ status: 'unmatched', reason: 'unknown_payment_code' });
    expectError(await t.notify({ ...body, amount: 60_000 }), 409, 'external_id_conflict');
    expect((await t.notify(body)).body).toEqual({ status: 'duplicate' });
  });

  it('40 concurrent identical notifications: one applied, 39 duplicates, one payment, bill paid once, ledger posted once', async () => {
    const { bill, person } = await submittedBill({ programs: ['JKK', 'JKM', 'JHT'], declaredIncome: 3_000_000, months: 6 });
    const raw = JSON.stringify(notification(bill, { channel: 'retail' }));
    const before = await recorded();
    const results = await Promise.all(Array.from({ length: 40 }, () => t.notify(raw)));
    expect(tally(results)).toEqual({ applied: 1, duplicate: 39 });
    const externalId = JSON.parse(raw).externalId as string;
    const payments = await t.db.selectFrom('payment').selectAll().where('external_id', '=', externalId).execute();
    expect(payments).toHaveLength(1);
    const after = await recorded();
    expect(after.payments).toBe(before.payments + 1);
    expect(after.transfers).toBe(before.transfers + 3);
    expect(after.participants).toBe(before.participants + 1);
    expect(after.coverage).toBe(before.coverage + 6);
    const transfers = await t.db.selectFrom('ledger_transfer').select(['amount']).where('ref', '=', payments[0]!.id).execute();
    expect(transfers.reduce((s, x) => s + x.amount, 0)).toBe(bill.amount);
    const dbBill = await t.db.selectFrom('bill').select(['status', 'payment_id']).where('payment_code', '=', bill.paymentCode).executeTakeFirstOrThrow();
    expect(dbBill).toEqual({ status: 'paid', payment_id: payments[0]!.id });
    expect(await t.db.selectFrom('participant').select('kpj').where('nik_hash', '=', nikHashOf(person.nik)).execute()).toHaveLength(1);
  });

  it('40 concurrent identical notifications for an unknown code: one unmatched, 39 duplicates, suspense credited once', async () => {
    const raw = JSON.stringify(notification({ paymentCode: '8111111111111111', amount: 77_777 }));
    const before = await recorded();
    const suspenseBefore = await suspense();
    const results = await Promise.all(Array.from({ length: 40 }, () => t.notify(raw)));
    expect(tally(results)).toEqual({ 'unmatched:unknown_payment_code': 1, duplicate: 39 });
    const after = await recorded();
    expect(after.payments).toBe(before.payments + 1);
    expect(after.transfers).toBe(before.transfers + 1);
    expect(await suspense()).toBe(suspenseBefore + 77_777);
  });

  it('40 concurrent different payments for one bill: one applied, 39 bill_already_paid, every rupiah in the ledger', async () => {
    const { bill } = await submittedBill({ months: 3 });
    const bodies = Array.from({ length: 40 }, (_, i) => notification(bill, { channel: i % 2 === 0 ? 'va' : 'ewallet' }));
    const before = await recorded();
    const suspenseBefore = await suspense();
    const results = await Promise.all(bodies.map((b) => t.notify(b)));
    expect(tally(results)).toEqual({ applied: 1, 'unmatched:bill_already_paid': 39 });
    const after = await recorded();
    expect(after.payments).toBe(before.payments + 40);
    expect(after.coverage).toBe(before.coverage + 3);
    expect(await suspense()).toBe(suspenseBefore + 39 * bill.amount);
    const ids = (await t.db.selectFrom('payment').select('id').where('external_id', 'in', bodies.map((b) => b.externalId)).execute()).map((p) => p.id);
    expect(ids).toHaveLength(40);
    const posted = await t.db.selectFrom('ledger_transfer').select('amount').where('ref', 'in', ids).execute();
    expect(posted.reduce((s, x) => s + x.amount, 0)).toBe(40 * bill.amount);
    expect(await billStatus(bill.paymentCode)).toBe('paid');
  });

  it('concurrent notifications with one externalId but two contents: the first recorded wins, the other content gets 409', async () => {
    const { bill } = await submittedBill();
    const exact = notification(bill);
    const short = { ...exact, amount: exact.amount - 100 };
    const bodies = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? exact : short));
    const results = await Promise.all(bodies.map((b) => t.notify(b)));
    const stored = await t.db.selectFrom('payment').selectAll().where('external_id', '=', exact.externalId).execute();
    expect(stored).toHaveLength(1);
    const winner = stored[0]!.amount === exact.amount ? exact : short;
    const counts = tally(results);
    const first = winner === exact ? 'applied' : 'unmatched:amount_mismatch';
    expect(counts).toEqual({ [first]: 1, duplicate: 9, '409:external_id_conflict': 10 });
  });
});

describe('POST /api/v1/payments/notifications — unmatched money is kept, never dropped', () => {
  it('amount_mismatch for a short payment; the bill stays open and the money goes to suspense', async () => {
    // (A payment larger than the bill settles it and credits the excess to the member's wallet: test/api/wallet.test.ts.)
    const { bill, person } = await submittedBill({ months: 3 });
    const s0 = await suspense();
    expect((await t.notify(notification(bill, { amount: bill.amount - 1 }))).body).toEqual({ status: 'unmatched', reason: 'amount_mismatch' });
    expect((await t.notify(notification(bill, { amount: 1 }))).body).toEqual({ status: 'unmatched', reason: 'amount_mismatch' });
    expect(await suspense()).toBe(s0 + bill.amount);
    expect(await billStatus(bill.paymentCode)).toBe('open');
    expect(await t.db.selectFrom('participant').select('id').where('nik_hash', '=', nikHashOf(person.nik)).execute()).toHaveLength(0);
    // The exact amount still settles it.
    expect((await payBill(t, bill)).body).toEqual({ status: 'applied' });
  });

  it('bill_already_paid for a second payment of a paid bill', async () => {
    const { bill } = await submittedBill();
    expect((await payBill(t, bill)).body).toEqual({ status: 'applied' });
    const s0 = await suspense();
    expect((await payBill(t, bill, 'counter')).body).toEqual({ status: 'unmatched', reason: 'bill_already_paid' });
    expect(await suspense()).toBe(s0 + bill.amount);
  });

  it('unknown_payment_code for a code that was never issued', async () => {
    const s0 = await suspense();
    expect((await t.notify(notification({ paymentCode: '8000000000000001', amount: 16_800 }))).body).toEqual({ status: 'unmatched', reason: 'unknown_payment_code' });
    expect(await suspense()).toBe(s0 + 16_800);
  });

  it('a cancelled (replaced) code can no longer be paid: unmatched, money in suspense', async () => {
    const { registrationId, bill } = await submittedBill();
    expect((await t.post(`/api/v1/registrations/${registrationId}/submit`, { programs: ['JKK', 'JKM'], declaredIncome: 1_000_000, months: 1 })).status).toBe(201);
    const s0 = await suspense();
    const res = await payBill(t, bill);
    expect(res.body.status).toBe('unmatched');
    expect(res.body.reason).toBe('bill_replaced');
    expect(await suspense()).toBe(s0 + bill.amount);
  });

  it('the first bill is payable until 24 h after issue, and bill_expired after: kept as unmatched, no participant', async () => {
    const early = await submittedBill();
    const late = await submittedBill({ months: 3 });
    t.clock.advance(24 * 3_600_000 - 60_000);
    expect(await billStatus(early.bill.paymentCode)).toBe('open');
    expect((await payBill(t, early.bill)).body).toEqual({ status: 'applied' });

    t.clock.advance(2 * 60_000); // now 24 h + 1 min after both were issued
    expect(await billStatus(late.bill.paymentCode)).toBe('expired');
    const s0 = await suspense();
    const before = await recorded();
    const body = notification(late.bill);
    expect((await t.notify(body)).body).toEqual({ status: 'unmatched', reason: 'bill_expired' });
    expect(await suspense()).toBe(s0 + late.bill.amount);
    const after = await recorded();
    expect(after).toEqual({ ...before, payments: before.payments + 1, transfers: before.transfers + 1 });
    const stored = await t.db.selectFrom('payment').select(['outcome', 'unmatched_reason', 'amount']).where('external_id', '=', body.externalId).executeTakeFirstOrThrow();
    expect(stored).toEqual({ outcome: 'unmatched', unmatched_reason: 'bill_expired', amount: late.bill.amount });
    const reg = await t.db.selectFrom('registration').select(['status', 'participant_id']).where('id', '=', late.registrationId).executeTakeFirstOrThrow();
    expect(reg).toEqual({ status: 'submitted', participant_id: null });
    expect(await t.db.selectFrom('participant').select('id').where('nik_hash', '=', nikHashOf(late.person.nik)).execute()).toHaveLength(0);
    expect(await billStatus(late.bill.paymentCode)).toBe('expired');
    // The registrant can submit again and pay the new code.
    const again = await t.post(`/api/v1/registrations/${late.registrationId}/submit`, { programs: ['JKK', 'JKM'], declaredIncome: 1_000_000, months: 1 });
    expect(again.status).toBe(201);
    expect((await payBill(t, again.body.bill)).body).toEqual({ status: 'applied' });
  });

  it("expiry is judged on the channel's paidAt: a notification arriving after expiresAt for a payment made before it settles", async () => {
    const { person, bill } = await submittedBill();
    const paidAt = new Date(Date.parse(bill.expiresAt) - 60_000).toISOString(); // paid a minute before expiry
    t.clock.advance(24 * 3_600_000 + 3_600_000); // the channel's message arrives an hour after expiry
    expect(await billStatus(bill.paymentCode)).toBe('expired');
    expect((await t.notify(notification(bill, { paidAt }))).body).toEqual({ status: 'applied' });
    expect(await billStatus(bill.paymentCode)).toBe('paid');
    expect(await t.db.selectFrom('participant').select('id').where('nik_hash', '=', nikHashOf(person.nik)).execute()).toHaveLength(1);
    // Paid exactly at expiresAt still counts; a second payment of it is bill_already_paid.
    expect((await t.notify(notification(bill, { paidAt: new Date(Date.parse(bill.expiresAt)).toISOString() }))).body).toEqual({ status: 'unmatched', reason: 'bill_already_paid' });
  });

  it('a late notification paid before expiry of a bill since replaced is unmatched bill_replaced (or bill_already_paid once the new bill paid those months)', async () => {
    const { registrationId, bill } = await submittedBill();
    const paidAt = t.clock.now().toISOString();
    const again = await t.post(`/api/v1/registrations/${registrationId}/submit`, { programs: ['JKK', 'JKM'], declaredIncome: 1_000_000, months: 1 });
    expect(again.status).toBe(201);
    expect((await t.notify(notification(bill, { paidAt }))).body).toEqual({ status: 'unmatched', reason: 'bill_replaced' });
    expect((await payBill(t, again.body.bill)).body).toEqual({ status: 'applied' });
    expect((await t.notify(notification(bill, { paidAt }))).body).toEqual({ status: 'unmatched', reason: 'bill_already_paid' });
  });

  it('422 invalid_paid_at for a paidAt more than 5 minutes ahead of the server clock or before the bill was issued; nothing recorded', async () => {
    const { bill } = await submittedBill();
    const issued = Date.parse(t.clock.now().toISOString()) - 1_000; // the bill was issued at most a second ago
    t.clock.advance(60_000);
    const before = await recorded();
    const s0 = await suspense();
    const now = t.clock.now().getTime();
    for (const paidAt of [now + 5 * 60_000 + 1_000, now + 24 * 3_600_000, issued - 6 * 60_000]) {
      const res = await t.notify(notification(bill, { paidAt: new Date(paidAt).toISOString() }));
      expectError(res, 422, 'invalid_paid_at');
      expect(res.body.error.field).toBe('paidAt');
    }
    // Even for a code that is no bill's, the future is refused.
    expectError(await t.notify(notification({ paymentCode: '8000000000000001', amount: 16_800 }, { paidAt: new Date(now + 10 * 60_000).toISOString() })), 422, 'invalid_paid_at');
    expect(await recorded()).toEqual(before);
    expect(await suspense()).toBe(s0);
    expect(await billStatus(bill.paymentCode)).toBe('open');
    // Up to 5 minutes ahead of the clock, or before the issue, is clock skew, and settles.
    expect((await t.notify(notification(bill, { paidAt: new Date(now + 4 * 60_000).toISOString() }))).body).toEqual({ status: 'applied' });
    const early = (await submittedBill()).bill;
    expect((await t.notify(notification(early, { paidAt: new Date(t.clock.now().getTime() - 4 * 60_000).toISOString() }))).body).toEqual({ status: 'applied' });
  });

  it('a bill reaching past the 12-month prepayment horizon (issued before the rule) is not settled: unmatched prepay_limit, money in suspense', async () => {
    const m = await activeMember(t);
    const res = await t.post('/api/v1/me/bills', { months: 3 }, m.auth);
    expect(res.status).toBe(201);
    const bill = res.body.bill as Bill;
    // Such a bill can no longer be issued (422 prepay_limit); one from before the rule is made here by moving the
    // open bill's months two years on, as if two 12-month bills had been issued back to back.
    const id = (await t.db.selectFrom('bill').select('id').where('payment_code', '=', bill.paymentCode).executeTakeFirstOrThrow()).id;
    await sql`update bill_line set month = to_char(to_date(month, 'YYYY-MM') + interval '24 months', 'YYYY-MM') where bill_id = ${id}`.execute(t.db);
    const cover = await t.db.selectFrom('coverage_month').select('month').where('participant_id', '=', (await t.db.selectFrom('participant').select('id').where('kpj', '=', m.kpj).executeTakeFirstOrThrow()).id).execute();
    const s0 = await suspense();
    expect((await payBill(t, bill)).body).toEqual({ status: 'unmatched', reason: 'prepay_limit' });
    expect(await suspense()).toBe(s0 + bill.amount);
    expect(await billStatus(bill.paymentCode)).toBe('open');
    expect((await t.get('/api/v1/me', m.auth)).body.coveredThrough).toBe(cover.map((c) => c.month).sort().at(-1));
  });

  it('a renewal bill of a member is settled the same way (applied once, then bill_already_paid)', async () => {
    const m = await activeMember(t, { programs: ['JKK', 'JKM', 'JHT'], declaredIncome: 5_000_000 });
    const res = await t.post('/api/v1/me/bills', { months: 3 }, m.auth);
    expect(res.status).toBe(201);
    const bill = res.body.bill as Bill;
    expect((await t.notify(notification(bill, { amount: bill.amount - 1 }))).body).toEqual({ status: 'unmatched', reason: 'amount_mismatch' });
    expect((await payBill(t, bill, 'autodebit')).body).toEqual({ status: 'applied' });
    expect((await payBill(t, bill, 'autodebit')).body).toEqual({ status: 'unmatched', reason: 'bill_already_paid' });
  });
});

describe('POST /api/v1/payments/notifications — bad input', () => {
  it('400 invalid_request for malformed JSON or wrong fields with a valid signature; nothing recorded', async () => {
    const { bill } = await submittedBill();
    const before = await recorded();
    const good = notification(bill);
    const cases: [string, string][] = [
      ['malformed JSON', '{"externalId": "x", '],
      ['empty body', ''],
      ['JSON null', 'null'],
      ['JSON array', JSON.stringify([good])],
      ['wrong channel', JSON.stringify({ ...good, channel: 'bank_transfer' })],
      ['channel in upper case', JSON.stringify({ ...good, channel: 'VA' })],
      ['amount as a string', JSON.stringify({ ...good, amount: String(good.amount) })],
      ['amount with decimals', JSON.stringify({ ...good, amount: good.amount + 0.5 })],
      ['amount zero', JSON.stringify({ ...good, amount: 0 })],
      ['amount negative', JSON.stringify({ ...good, amount: -good.amount })],
      ['paidAt without an offset', JSON.stringify({ ...good, paidAt: '2026-11-22T10:00:00' })],
      ['paidAt not a date', JSON.stringify({ ...good, paidAt: 'yesterday' })],
      ['externalId missing', JSON.stringify({ ...good, externalId: undefined })],
      ['externalId empty', JSON.stringify({ ...good, externalId: '' })],
      ['paymentCode a number', JSON.stringify({ ...good, paymentCode: Number(good.paymentCode) })],
      ['externalId with a NUL character', JSON.stringify({ ...good, externalId: 'ext\u0000id' })],
      ['paymentCode with a NUL character', JSON.stringify({ ...good, paymentCode: `${good.paymentCode}\u0000` })],
    ];
    for (const [name, raw] of cases) {
      const res = await t.notify(raw);
      expect(res.status, `${name}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.error.code, name).toBe('invalid_request');
    }
    expect(await recorded()).toEqual(before);
    expect(await billStatus(bill.paymentCode)).toBe('open');
  });
});

describe('ledger invariants over every payment above', () => {
  it('each payment is posted in full: applied money to the program funds and JHT exactly as the bill lines, unmatched to suspense', async () => {
    const payments = await t.db.selectFrom('payment').selectAll().execute();
    const transfers = await t.db.selectFrom('ledger_transfer').selectAll().execute();
    expect(payments.length).toBeGreaterThan(50);
    const paymentIds = new Set(payments.map((p) => p.id));
    // No transfer without a payment behind it.
    expect(transfers.filter((x) => !paymentIds.has(x.ref))).toEqual([]);
    // Every transfer the settlement function wrote obeys the chart of accounts and the transfer codes.
    const invalid = transfers
      .map((x) => ({ id: x.id, problem: validateTransfer({ id: x.id, debitAccount: x.debit_account, creditAccount: x.credit_account, amount: x.amount, code: x.code as TransferCode, ref: x.ref }) }))
      .filter((x) => x.problem !== null);
    expect(invalid).toEqual([]);

    const expectedBalances = new Map<string, number>();
    const credit = (account: string, amount: number) => expectedBalances.set(account, (expectedBalances.get(account) ?? 0) + amount);
    let applied = 0;
    for (const p of payments) {
      const mine = transfers.filter((x) => x.ref === p.id);
      expect(mine.reduce((s, x) => s + x.amount, 0), `payment ${p.id}`).toBe(p.amount);
      expect(mine.every((x) => x.debit_account === `clearing:${p.channel}`)).toBe(true);
      credit(`clearing:${p.channel}`, -p.amount);
      if (p.outcome === 'unmatched') {
        expect(mine.map((x) => [x.credit_account, x.amount])).toEqual([['suspense', p.amount]]);
        credit('suspense', p.amount);
        continue;
      }
      applied += 1;
      const bill = await t.db.selectFrom('bill').selectAll().where('id', '=', p.bill_id ?? '').executeTakeFirstOrThrow();
      expect(bill).toMatchObject({ status: 'paid', payment_id: p.id, amount: p.amount });
      const owner = await t.db.selectFrom('participant').select('kpj').where('id', '=', bill.participant_id ?? '').executeTakeFirstOrThrow();
      const lines = await t.db.selectFrom('bill_line').selectAll().where('bill_id', '=', bill.id).execute();
      const expected: Record<string, number> = {};
      for (const l of lines) {
        const account = l.program === 'JHT' ? `jht:${owner.kpj}` : `program:${l.program}`;
        if (l.net > 0) {
          expected[account] = (expected[account] ?? 0) + l.net;
        }
      }
      const actual = Object.fromEntries(mine.map((x) => [x.credit_account, x.amount]));
      expect(actual, `payment ${p.id}`).toEqual(expected);
      for (const [account, amount] of Object.entries(expected)) {
        credit(account, amount);
      }
    }
    expect(applied).toBeGreaterThan(10);

    // Every paid bill was paid by exactly one applied payment.
    const paidBills = await t.db.selectFrom('bill').select(['id', 'payment_id']).where('status', '=', 'paid').execute();
    expect(paidBills.length).toBe(applied);

    const balances = await getAllBalances(t.db);
    expect([...balances.values()].reduce((s, b) => s + BigInt(b), 0n)).toBe(0n);
    for (const [account, amount] of expectedBalances) {
      expect(balances.get(account) ?? 0, account).toBe(amount);
    }
    expect(balances.get('suspense')).toBe(payments.filter((p) => p.outcome === 'unmatched').reduce((s, p) => s + p.amount, 0));
  });

  it('the database refuses UPDATE and DELETE on ledger_transfer', async () => {
    const before = await t.db.selectFrom('ledger_transfer').selectAll().orderBy('id').execute();
    expect(before.length).toBeGreaterThan(0);
    await expect(sql`update ledger_transfer set amount = amount + 1`.execute(t.db)).rejects.toThrow(/append-only/);
    await expect(t.db.updateTable('ledger_transfer').set({ credit_account: 'suspense' }).where('id', '=', before[0]!.id).execute()).rejects.toThrow(/append-only/);
    await expect(t.db.deleteFrom('ledger_transfer').where('id', '=', before[0]!.id).execute()).rejects.toThrow(/append-only/);
    await expect(sql`delete from ledger_transfer`.execute(t.db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate ledger_transfer`.execute(t.db)).rejects.toThrow(/append-only/);
    expect(await t.db.selectFrom('ledger_transfer').selectAll().orderBy('id').execute()).toEqual(before);
  });
});
