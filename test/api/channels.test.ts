import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAllBalances } from '../../src/modules/ledger/ledger.js';
import {
  DEV_MIDTRANS_SERVER_KEY,
  DEV_XENDIT_TOKEN,
  ewalletFor,
  fpcFor,
  MIDTRANS,
  MIDTRANS_DOCS,
  midtransFor,
  midtransPending,
  midtransSigned,
  midtransWallTime,
  useSampleClock,
  postMidtrans as sendMidtrans,
  postXendit as sendXendit,
  XENDIT_EWALLET,
  XENDIT_EWALLET_DOC,
  XENDIT_FPC_DOC,
  XENDIT_RETAIL,
} from '../support/channel-clients.js';
import { login, makePerson, registerVerified, type Person } from '../support/factories.js';
import { createTestApp, type TestApp, type TestResponse } from '../support/test-app.js';
import { nikHashOf } from '../support/nik.js';

/**
 * Midtrans and Xendit callback adapters (/api/v1/channels/…), through the real app. Each provider's documented sample
 * notification is adapted to a real open bill (its payment code and amount) and sent signed the way the provider
 * signs it — the samples and signing (test/support/channel-clients.ts) are written from the providers' documentation,
 * not from the server code.
 * Tests run in order on one database; the ledger check at the end holds over everything they recorded.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  useSampleClock(() => t.clock.now());
});
afterAll(async () => {
  useSampleClock(null);
  await t.close();
});

/** A Midtrans WIB wall-clock time ("YYYY-MM-DD HH:mm:ss") as an ISO instant. */
const wibToIso = (wall: unknown) => new Date(`${String(wall).replace(' ', 'T')}+07:00`).toISOString();

// The providers' requests (documented samples, signing) are in test/support/channel-clients.ts.
const postMidtrans = (body: Record<string, unknown>, serverKey?: string, app: TestApp = t) => sendMidtrans(app, body, serverKey);
const postXendit = (path: string, body: unknown, token?: string | null, app: TestApp = t) => sendXendit(app, path, body, token);

// ---------------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------------

interface Bill {
  paymentCode: string;
  amount: number;
  months: { month: string }[];
}

/** A verified registration with an open first bill. */
async function openBill(options: { person?: Partial<Person>; months?: number } = {}) {
  const person = makePerson(options.person);
  const registrationId = await registerVerified(t, person);
  const res = await t.post(`/api/v1/registrations/${registrationId}/submit`, { programs: ['JKK', 'JKM'], declaredIncome: 1_000_000, months: options.months ?? 1 });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { person, registrationId, bill: res.body.bill as Bill };
}

async function count(table: 'payment' | 'ledger_transfer' | 'participant' | 'coverage_month'): Promise<number> {
  const row = await t.db.selectFrom(table).select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

async function recorded() {
  return { payments: await count('payment'), transfers: await count('ledger_transfer'), participants: await count('participant'), coverage: await count('coverage_month') };
}

async function billStatus(paymentCode: string): Promise<string> {
  const res = await t.get(`/api/v1/bills/${paymentCode}`);
  expect(res.status).toBe(200);
  return res.body.status as string;
}

async function suspense(): Promise<number> {
  return (await getAllBalances(t.db)).get('suspense') ?? 0;
}

function expectError(res: TestResponse, status: number, code: string, field?: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error.code).toBe(code);
  expect(typeof res.body.error.message).toBe('string');
  if (field !== undefined) {
    expect(res.body.error.field).toBe(field);
  }
}

function tally(results: TestResponse[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of results) {
    const key = r.status === 200 ? `${r.body.status}${r.body.reason ? `:${r.body.reason}` : ''}` : `${r.status}:${r.body.error?.code}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

/** The bill is paid by exactly this payment: channel, amount, time, and the ledger posted from clearing:<channel>. */
async function expectSettled(bill: Bill, externalId: string, channel: string, paidAt: string) {
  expect(await billStatus(bill.paymentCode)).toBe('paid');
  const payment = await t.db.selectFrom('payment').selectAll().where('external_id', '=', externalId).executeTakeFirstOrThrow();
  expect(payment).toMatchObject({ payment_code: bill.paymentCode, amount: bill.amount, channel, outcome: 'applied', unmatched_reason: null });
  expect(new Date(payment.paid_at).toISOString()).toBe(paidAt);
  const dbBill = await t.db.selectFrom('bill').select(['status', 'payment_id', 'participant_id']).where('payment_code', '=', bill.paymentCode).executeTakeFirstOrThrow();
  expect(dbBill).toMatchObject({ status: 'paid', payment_id: payment.id });
  expect(dbBill.participant_id).not.toBeNull();
  const transfers = await t.db.selectFrom('ledger_transfer').selectAll().where('ref', '=', payment.id).execute();
  expect(transfers.length).toBeGreaterThan(0);
  expect(transfers.every((x) => x.debit_account === `clearing:${channel}`)).toBe(true);
  expect(transfers.reduce((s, x) => s + x.amount, 0)).toBe(bill.amount);
  const covered = await t.db.selectFrom('coverage_month').select('month').where('participant_id', '=', dbBill.participant_id!).orderBy('month').execute();
  expect(covered.map((m) => m.month)).toEqual(bill.months.map((m) => m.month));
}

async function expectActiveMember(person: Person) {
  const token = await login(t, person.phone);
  const me = await t.get('/api/v1/me', { authorization: `Bearer ${token}` });
  expect(me.status).toBe(200);
  expect(me.body.status).toBe('active');
  expect(me.body.kpj).toMatch(/^\d{11}$/);
}

// ---------------------------------------------------------------------------------------------------------------
// Midtrans
// ---------------------------------------------------------------------------------------------------------------

describe('Midtrans: POST /api/v1/channels/midtrans/notifications', () => {
  it.each([
    ['gopay', 'ewallet'],
    ['qris', 'qris'],
    ['shopeepay', 'ewallet'],
    ['permataVa', 'va'],
    ['bcaVa', 'va'],
    ['bniVa', 'va'],
    ['briVa', 'va'],
    ['mandiriBill', 'va'],
    ['indomaret', 'retail'],
    ['alfamart', 'retail'],
  ] as const)('the documented %s sample settles an open bill (channel %s)', async (sample, channel) => {
    const { bill, person } = await openBill();
    const body = midtransFor(sample, bill);
    const res = await postMidtrans(body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ status: 'applied' });
    // settlement_time is WIB wall-clock time: 7 hours ahead of UTC.
    const paidAt = new Date(`${String(body['settlement_time']).replace(' ', 'T')}+07:00`).toISOString();
    await expectSettled(bill, `midtrans:${String(body['transaction_id'])}`, channel, paidAt);
    if (sample === 'gopay' || sample === 'indomaret') {
      await expectActiveMember(person);
    }
  });

  it('the documented sample as published (order_id "Order-5100", no such bill) is accepted and kept as unmatched', async () => {
    const s0 = await suspense();
    const body = { ...MIDTRANS_DOCS['gopay']!, transaction_id: randomUUID() };
    expect((await postMidtrans(body)).body).toEqual({ status: 'unmatched', reason: 'unknown_payment_code' });
    expect(await suspense()).toBe(s0 + 154_600);
  });

  it('401 invalid_signature for a missing, wrong or stale signature; nothing is recorded and the bill stays open', async () => {
    const { bill } = await openBill();
    const body = midtransFor('gopay', bill);
    const signed = midtransSigned(body);
    const before = await recorded();
    const attempts: [string, Record<string, unknown>][] = [
      ['no signature_key', body],
      ['empty signature_key', { ...body, signature_key: '' }],
      ['the documented sample signature (another server key)', { ...body, signature_key: MIDTRANS_DOCS['gopay']!['signature_key'] }],
      ['signed with another server key', midtransSigned(body, 'SB-Mid-server-not-ours')],
      ['garbage', { ...body, signature_key: 'deadbeef' }],
      ['gross_amount changed after signing', { ...signed, gross_amount: `${bill.amount - 1}.00` }],
      ['order_id changed after signing', { ...signed, order_id: '8000000000000001' }],
      ['status_code changed after signing', { ...signed, status_code: '201' }],
      ['gross_amount sent as a number', { ...midtransSigned(body), gross_amount: bill.amount }],
      ['signature of a pending notification on a settlement', { ...midtransSigned(midtransPending(body)), transaction_status: 'settlement', status_code: '200', settlement_time: body['settlement_time'] }],
    ];
    for (const [name, attempt] of attempts) {
      const res = await t.post(MIDTRANS, attempt);
      expect(res.status, name).toBe(401);
      expect(res.body.error.code, name).toBe('invalid_signature');
    }
    expect(await recorded()).toEqual(before);
    expect(await billStatus(bill.paymentCode)).toBe('open');
    // The same notification correctly signed then settles: the refusals were about the signature only.
    expect((await t.post(MIDTRANS, signed)).body).toEqual({ status: 'applied' });
  });

  it('sent twice: applied once, then duplicate; nothing changes the second time', async () => {
    const { bill } = await openBill();
    const body = midtransFor('bcaVa', bill);
    expect((await postMidtrans(body)).body).toEqual({ status: 'applied' });
    const before = await recorded();
    const balances = await getAllBalances(t.db);
    const again = await postMidtrans(body);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ status: 'duplicate' });
    expect(await recorded()).toEqual(before);
    expect(await getAllBalances(t.db)).toEqual(balances);
  });

  it('a generic notification under the id "midtrans:<transaction_id>" never blocks Midtrans\' own settlement of that transaction', async () => {
    const { bill } = await openBill();
    const body = midtransFor('bcaVa', bill);
    const spoofed = { externalId: `midtrans:${String(body['transaction_id'])}`, paymentCode: '8000000000000001', amount: bill.amount, channel: 'va', paidAt: t.clock.now().toISOString() };
    expect((await t.notify(spoofed)).body).toEqual({ status: 'unmatched', reason: 'unknown_payment_code' });
    const res = await postMidtrans(body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ status: 'applied' });
    expect(await billStatus(bill.paymentCode)).toBe('paid');
    // The generic sender's own id stays idempotent in its own namespace.
    expect((await t.notify(spoofed)).body).toEqual({ status: 'duplicate' });
  });

  it('a generic notification with the same id and the same money as a recorded channel payment is a duplicate, not a second payment', async () => {
    const { bill } = await openBill();
    const body = midtransFor('bcaVa', bill);
    expect((await postMidtrans(body)).body).toEqual({ status: 'applied' });
    const before = await recorded();
    const same = { externalId: `midtrans:${String(body['transaction_id'])}`, paymentCode: bill.paymentCode, amount: bill.amount, channel: 'va', paidAt: wibToIso(body['settlement_time']) };
    expect((await t.notify(same)).body).toEqual({ status: 'duplicate' });
    expect(await recorded()).toEqual(before);
  });

  it('422 invalid_paid_at naming settlement_time when Midtrans says it was paid before the bill was issued or over 5 minutes ahead; nothing recorded', async () => {
    const { bill } = await openBill();
    const before = await recorded();
    const now = t.clock.now().getTime();
    for (const at of [now - 24 * 3_600_000, now + 10 * 60_000]) {
      expectError(await postMidtrans(midtransFor('bcaVa', bill, { settlement_time: midtransWallTime(at) })), 422, 'invalid_paid_at', 'settlement_time');
    }
    expect(await recorded()).toEqual(before);
    expect(await billStatus(bill.paymentCode)).toBe('open');
  });

  it('20 concurrent identical notifications: one applied, 19 duplicates, one payment, ledger posted once', async () => {
    const { bill, person } = await openBill({ months: 3 });
    const body = midtransSigned(midtransFor('qris', bill));
    const before = await recorded();
    const results = await Promise.all(Array.from({ length: 20 }, () => t.post(MIDTRANS, body)));
    expect(tally(results)).toEqual({ applied: 1, duplicate: 19 });
    const payments = await t.db.selectFrom('payment').selectAll().where('external_id', '=', `midtrans:${String(body['transaction_id'])}`).execute();
    expect(payments).toHaveLength(1);
    const after = await recorded();
    expect(after.payments).toBe(before.payments + 1);
    expect(after.participants).toBe(before.participants + 1);
    expect(after.coverage).toBe(before.coverage + 3);
    const posted = await t.db.selectFrom('ledger_transfer').select('amount').where('ref', '=', payments[0]!.id).execute();
    expect(posted.reduce((s, x) => s + x.amount, 0)).toBe(bill.amount);
    expect(await t.db.selectFrom('participant').select('id').where('nik_hash', '=', nikHashOf(person.nik)).execute()).toHaveLength(1);
  });

  it('pending, then settlement of the same transaction: the pending is acknowledged, the settlement settles once', async () => {
    const { bill } = await openBill();
    const settled = midtransFor('bniVa', bill);
    const before = await recorded();
    const pending = await postMidtrans(midtransPending(settled));
    expect(pending.status).toBe(200);
    expect(pending.body).toEqual({ status: 'ignored', reason: 'not_paid', providerStatus: 'pending' });
    expect(await recorded()).toEqual(before);
    expect(await billStatus(bill.paymentCode)).toBe('open');
    // Midtrans re-sends the pending notification: still nothing.
    expect((await postMidtrans(midtransPending(settled))).body.status).toBe('ignored');
    expect((await postMidtrans(settled)).body).toEqual({ status: 'applied' });
    expect((await postMidtrans(settled)).body).toEqual({ status: 'duplicate' });
    // A late pending for the same transaction (out of order) changes nothing either.
    expect((await postMidtrans(midtransPending(settled))).body.status).toBe('ignored');
    expect((await recorded()).payments).toBe(before.payments + 1);
    await expectSettled(bill, `midtrans:${String(settled['transaction_id'])}`, 'va', wibToIso(settled['settlement_time']));
  });

  it.each([
    ['deny', '202', 'not_paid'],
    ['cancel', '200', 'not_paid'],
    ['expire', '407', 'not_paid'],
    ['failure', '202', 'not_paid'],
    ['authorize', '200', 'not_paid'],
    ['refund', '200', 'refunded'],
    ['partial_refund', '200', 'refunded'],
    ['some_future_status', '200', 'unknown_status'],
  ])('%s is acknowledged with 200 and settles nothing', async (status, code, reason) => {
    const { bill } = await openBill();
    const before = await recorded();
    const res = await postMidtrans(midtransFor('gopay', bill, { transaction_status: status, status_code: code }));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ignored', reason, providerStatus: status });
    expect(await recorded()).toEqual(before);
    expect(await billStatus(bill.paymentCode)).toBe('open');
  });

  it('a settlement with fraud_status challenge waits (acknowledged, not settled)', async () => {
    const { bill } = await openBill();
    const res = await postMidtrans(midtransFor('gopay', bill, { fraud_status: 'challenge' }));
    expect(res.body).toEqual({ status: 'ignored', reason: 'not_paid', providerStatus: 'settlement' });
    expect(await billStatus(bill.paymentCode)).toBe('open');
  });

  it.each(['card', 'akulaku'] as const)('the documented %s sample (a payment type we do not accept) is acknowledged and not recorded', async (sample) => {
    const { bill } = await openBill();
    const before = await recorded();
    const res = await postMidtrans(midtransFor(sample, bill));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ignored', reason: 'unsupported_payment_type', providerStatus: MIDTRANS_DOCS[sample]!['transaction_status'] });
    expect(await recorded()).toEqual(before);
    expect(await billStatus(bill.paymentCode)).toBe('open');
  });

  it('an expired bill: kept as unmatched (bill_expired), money in suspense, no participant', async () => {
    const { bill, person, registrationId } = await openBill();
    t.clock.advance(24 * 3_600_000 + 60_000);
    expect(await billStatus(bill.paymentCode)).toBe('expired');
    const s0 = await suspense();
    const body = midtransFor('indomaret', bill);
    const res = await postMidtrans(body);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'unmatched', reason: 'bill_expired' });
    expect(await suspense()).toBe(s0 + bill.amount);
    const stored = await t.db.selectFrom('payment').select(['outcome', 'unmatched_reason', 'amount', 'channel']).where('external_id', '=', `midtrans:${String(body['transaction_id'])}`).executeTakeFirstOrThrow();
    expect(stored).toEqual({ outcome: 'unmatched', unmatched_reason: 'bill_expired', amount: bill.amount, channel: 'retail' });
    expect(await t.db.selectFrom('participant').select('id').where('nik_hash', '=', nikHashOf(person.nik)).execute()).toHaveLength(0);
    const reg = await t.db.selectFrom('registration').select('status').where('id', '=', registrationId).executeTakeFirstOrThrow();
    expect(reg.status).toBe('submitted');
    // Re-sent: still one record.
    expect((await postMidtrans(body)).body).toEqual({ status: 'duplicate' });
  });

  it('an amount different from the bill: unmatched amount_mismatch, the bill stays open, the money in suspense', async () => {
    const { bill } = await openBill();
    const s0 = await suspense();
    const res = await postMidtrans(midtransFor('gopay', bill, { gross_amount: `${bill.amount - 100}.00` }));
    expect(res.body).toEqual({ status: 'unmatched', reason: 'amount_mismatch' });
    expect(await suspense()).toBe(s0 + bill.amount - 100);
    expect(await billStatus(bill.paymentCode)).toBe('open');
  });

  it('the same transaction restated with another settlement_time is a duplicate; with another amount, 409', async () => {
    const { bill } = await openBill();
    const body = midtransFor('shopeepay', bill);
    expect((await postMidtrans(body)).body).toEqual({ status: 'applied' });
    const before = await recorded();
    const restated = midtransWallTime(Date.parse(wibToIso(body['settlement_time'])) + 30_000);
    expect((await postMidtrans({ ...body, settlement_time: restated })).body).toEqual({ status: 'duplicate' });
    expectError(await postMidtrans({ ...body, gross_amount: `${bill.amount + 1}.00` }), 409, 'external_id_conflict', 'transaction_id');
    expect(await recorded()).toEqual(before);
  });

  it('400 invalid_request for malformed bodies, never a 5xx; nothing recorded', async () => {
    const { bill } = await openBill();
    const good = midtransFor('gopay', bill);
    const before = await recorded();
    const unsigned: [string, string][] = [
      ['malformed JSON', '{"order_id": "x", '],
      ['empty body', ''],
      ['JSON null', 'null'],
      ['JSON array', JSON.stringify([midtransSigned(good)])],
      ['JSON number', '42'],
      ['JSON string', '"settlement"'],
    ];
    for (const [name, raw] of unsigned) {
      const res = await t.request('POST', MIDTRANS, raw, { 'content-type': 'application/json' });
      expect(res.status, `${name}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.error.code, name).toBe('invalid_request');
    }
    // Correctly signed, but a field we cannot accept.
    const signedBad: [string, string, Record<string, unknown>][] = [
      ['a fraction of a rupiah', 'gross_amount', { gross_amount: `${bill.amount}.50` }],
      ['a non-numeric amount', 'gross_amount', { gross_amount: 'Rp16.800' }],
      ['a zero amount', 'gross_amount', { gross_amount: '0.00' }],
      ['an ISO transaction_time', 'transaction_time', { transaction_time: '2021-06-15T18:45:13+07:00' }],
      ['an impossible settlement_time', 'settlement_time', { settlement_time: '2021-06-31 18:45:28' }],
      ['no transaction_id', 'transaction_id', { transaction_id: undefined }],
      ['a NUL in order_id', 'order_id', { order_id: `${bill.paymentCode}\u0000` }],
      ['another currency', 'currency', { currency: 'USD' }],
      ['a numeric payment_type', 'payment_type', { payment_type: 1 }],
    ];
    for (const [name, field, change] of signedBad) {
      const res = await postMidtrans({ ...good, ...change });
      expect(res.status, `${name}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.error.code, name).toBe('invalid_request');
      expect(res.body.error.field, name).toBe(field);
    }
    expect(await recorded()).toEqual(before);
    expect(await billStatus(bill.paymentCode)).toBe('open');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Xendit
// ---------------------------------------------------------------------------------------------------------------

describe('Xendit: POST /api/v1/channels/xendit/ewallet and /xendit/retail-outlet', () => {
  it('the documented ewallet.capture callback settles an open bill (channel ewallet)', async () => {
    const { bill, person } = await openBill();
    const body = ewalletFor(bill);
    const res = await postXendit(XENDIT_EWALLET, body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ status: 'applied' });
    await expectSettled(bill, `xendit:${body.data.id}`, 'ewallet', body.data.updated);
    await expectActiveMember(person);
  });

  it('the documented ShopeePay capture (charge_amount only, nanosecond timestamps) settles too', async () => {
    const { bill } = await openBill();
    const now = t.clock.now().getTime();
    const nanos = (ms: number, digits: string) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, `.${String(ms % 1000).padStart(3, '0')}${digits}Z`);
    const body = ewalletFor(bill, { channel_code: 'ID_SHOPEEPAY', capture_amount: null, updated: nanos(now + 730, '483') }, { created: nanos(now + 1_536, '400713') });
    expect((await postXendit(XENDIT_EWALLET, body)).body).toEqual({ status: 'applied' });
    await expectSettled(bill, `xendit:${body.data.id}`, 'ewallet', new Date(now + 730).toISOString());
  });

  it.each([
    ['ALFAMART', true],
    ['INDOMARET', false],
  ])('the fixed payment code paid callback (%s) settles an open bill (channel retail)', async (outlet, withStatus) => {
    const { bill, person } = await openBill({ months: 3 });
    const sample = fpcFor(bill, { retail_outlet_name: outlet });
    const body: Record<string, unknown> = { ...sample };
    if (!withStatus) {
      delete body['status']; // the callback shape without a status field (as older integrations reproduce it) is a payment too
    }
    const res = await postXendit(XENDIT_RETAIL, body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ status: 'applied' });
    await expectSettled(bill, `xendit:${sample.fixed_payment_code_payment_id}`, 'retail', sample.transaction_timestamp);
    if (outlet === 'INDOMARET') {
      await expectActiveMember(person);
    }
  });

  it('the documented samples as published (no such bill) are accepted and kept as unmatched', async () => {
    expect((await postXendit(XENDIT_EWALLET, XENDIT_EWALLET_DOC)).body).toEqual({ status: 'unmatched', reason: 'unknown_payment_code' });
    expect((await postXendit(XENDIT_RETAIL, XENDIT_FPC_DOC)).body).toEqual({ status: 'unmatched', reason: 'unknown_payment_code' });
    expect((await postXendit(XENDIT_RETAIL, XENDIT_FPC_DOC)).body).toEqual({ status: 'duplicate' });
  });

  it('401 invalid_signature without the right x-callback-token, checked before the body; nothing recorded', async () => {
    const { bill } = await openBill();
    const ewallet = ewalletFor(bill);
    const fpc = fpcFor(bill);
    const before = await recorded();
    for (const [path, body] of [
      [XENDIT_EWALLET, ewallet],
      [XENDIT_RETAIL, fpc],
    ] as const) {
      for (const token of [null, '', 'wrong-token', DEV_XENDIT_TOKEN.toUpperCase(), `x${DEV_XENDIT_TOKEN}`, DEV_XENDIT_TOKEN.slice(0, -1), DEV_MIDTRANS_SERVER_KEY]) {
        const res = await postXendit(path, body, token);
        expect(res.status, `${path} ${JSON.stringify(token)}`).toBe(401);
        expect(res.body.error.code).toBe('invalid_signature');
      }
      // Even a malformed body is 401 without the token: nothing about it is looked at.
      expect((await postXendit(path, '{"event": ', 'wrong-token')).status).toBe(401);
    }
    expect(await recorded()).toEqual(before);
    expect(await billStatus(bill.paymentCode)).toBe('open');
    expect((await postXendit(XENDIT_EWALLET, ewallet)).body).toEqual({ status: 'applied' });
  });

  it('sent twice: applied once, then duplicate (e-wallet and retail outlet)', async () => {
    for (const [path, make] of [
      [XENDIT_EWALLET, ewalletFor],
      [XENDIT_RETAIL, fpcFor],
    ] as const) {
      const { bill } = await openBill();
      const body = make(bill);
      expect((await postXendit(path, body)).body).toEqual({ status: 'applied' });
      const before = await recorded();
      expect((await postXendit(path, body)).body).toEqual({ status: 'duplicate' });
      expect(await recorded()).toEqual(before);
    }
  });

  it('422 invalid_paid_at naming the time field for a Xendit payment time before the bill or over 5 minutes ahead; nothing recorded', async () => {
    const { bill } = await openBill();
    const before = await recorded();
    const ahead = new Date(t.clock.now().getTime() + 10 * 60_000).toISOString();
    const past = new Date(t.clock.now().getTime() - 3_600_000).toISOString();
    expectError(await postXendit(XENDIT_EWALLET, ewalletFor(bill, { updated: ahead })), 422, 'invalid_paid_at', 'data.updated');
    expectError(await postXendit(XENDIT_RETAIL, fpcFor(bill, { transaction_timestamp: past })), 422, 'invalid_paid_at', 'transaction_timestamp');
    expect(await recorded()).toEqual(before);
    expect(await billStatus(bill.paymentCode)).toBe('open');
  });

  it('20 concurrent identical callbacks: one applied, 19 duplicates, one payment (e-wallet and retail outlet)', async () => {
    for (const [path, make, idOf] of [
      [XENDIT_EWALLET, ewalletFor, (b: ReturnType<typeof ewalletFor>) => b.data.id],
      [XENDIT_RETAIL, fpcFor, (b: ReturnType<typeof fpcFor>) => b.fixed_payment_code_payment_id],
    ] as const) {
      const { bill } = await openBill({ months: 3 });
      const body = make(bill);
      const raw = JSON.stringify(body);
      const before = await recorded();
      const results = await Promise.all(Array.from({ length: 20 }, () => postXendit(path, raw)));
      expect(tally(results)).toEqual({ applied: 1, duplicate: 19 });
      expect(await t.db.selectFrom('payment').select('id').where('external_id', '=', `xendit:${idOf(body as never)}`).execute()).toHaveLength(1);
      const after = await recorded();
      expect(after.payments).toBe(before.payments + 1);
      expect(after.coverage).toBe(before.coverage + 3);
      expect(await billStatus(bill.paymentCode)).toBe('paid');
    }
  });

  it('PENDING, then SUCCEEDED for the same charge: settles once', async () => {
    const { bill } = await openBill();
    const succeeded = ewalletFor(bill);
    const pending = { ...succeeded, data: { ...succeeded.data, status: 'PENDING', updated: '2020-04-20T16:23:00Z' } };
    const before = await recorded();
    expect((await postXendit(XENDIT_EWALLET, pending)).body).toEqual({ status: 'ignored', reason: 'not_paid', providerStatus: 'PENDING' });
    expect(await recorded()).toEqual(before);
    expect((await postXendit(XENDIT_EWALLET, succeeded)).body).toEqual({ status: 'applied' });
    expect((await postXendit(XENDIT_EWALLET, succeeded)).body).toEqual({ status: 'duplicate' });
    expect((await recorded()).payments).toBe(before.payments + 1);
  });

  it.each([
    ['FAILED', 'not_paid'],
    ['VOIDED', 'not_paid'],
    ['REFUNDED', 'refunded'],
  ])('an e-wallet charge %s is acknowledged and settles nothing', async (status, reason) => {
    const { bill } = await openBill();
    const before = await recorded();
    const res = await postXendit(XENDIT_EWALLET, ewalletFor(bill, { status, failure_code: status === 'FAILED' ? 'USER_DECLINED_PAYMENT' : null }));
    expect(res.body).toEqual({ status: 'ignored', reason, providerStatus: status });
    expect(await recorded()).toEqual(before);
  });

  it('an expired bill: unmatched bill_expired (e-wallet and retail outlet), kept in suspense', async () => {
    const a = await openBill();
    const b = await openBill();
    t.clock.advance(24 * 3_600_000 + 60_000);
    const s0 = await suspense();
    expect((await postXendit(XENDIT_EWALLET, ewalletFor(a.bill))).body).toEqual({ status: 'unmatched', reason: 'bill_expired' });
    expect((await postXendit(XENDIT_RETAIL, fpcFor(b.bill))).body).toEqual({ status: 'unmatched', reason: 'bill_expired' });
    expect(await suspense()).toBe(s0 + a.bill.amount + b.bill.amount);
    expect(await billStatus(a.bill.paymentCode)).toBe('expired');
  });

  it('an amount short of the bill: unmatched amount_mismatch', async () => {
    const { bill } = await openBill();
    expect((await postXendit(XENDIT_EWALLET, ewalletFor(bill, { capture_amount: bill.amount - 500, charge_amount: bill.amount - 500 }))).body).toEqual({
      status: 'unmatched',
      reason: 'amount_mismatch',
    });
    expect((await postXendit(XENDIT_RETAIL, fpcFor(bill, { amount: bill.amount - 1 }))).body).toEqual({ status: 'unmatched', reason: 'amount_mismatch' });
    expect(await billStatus(bill.paymentCode)).toBe('open');
  });

  it('the same charge restated with another updated time is a duplicate; with another amount, 409 naming data.id', async () => {
    const { bill } = await openBill();
    const body = ewalletFor(bill);
    expect((await postXendit(XENDIT_EWALLET, body)).body).toEqual({ status: 'applied' });
    const restated = new Date(Date.parse(body.data.updated) + 30_000).toISOString();
    expect((await postXendit(XENDIT_EWALLET, { ...body, data: { ...body.data, updated: restated } })).body).toEqual({ status: 'duplicate' });
    expectError(await postXendit(XENDIT_EWALLET, { ...body, data: { ...body.data, capture_amount: bill.amount * 2 } }), 409, 'external_id_conflict', 'data.id');
  });

  it('400 invalid_request for malformed bodies (with the right token), never a 5xx; nothing recorded', async () => {
    const { bill } = await openBill();
    const before = await recorded();
    for (const path of [XENDIT_EWALLET, XENDIT_RETAIL]) {
      for (const raw of ['{"event": ', '', 'null', '[]', '7', '"ewallet.capture"']) {
        const res = await postXendit(path, raw);
        expect(res.status, `${path} ${raw}`).toBe(400);
        expect(res.body.error.code).toBe('invalid_request');
      }
    }
    const good = ewalletFor(bill);
    const badEwallet: [string, unknown][] = [
      ['data', { ...good, data: 'x' }],
      ['data.reference_id', { ...good, data: { ...good.data, reference_id: 8123456789012345 } }],
      ['data.capture_amount', { ...good, data: { ...good.data, capture_amount: bill.amount + 0.5 } }],
      ['data.capture_amount', { ...good, data: { ...good.data, capture_amount: String(bill.amount) } }],
      ['data.currency', { ...good, data: { ...good.data, currency: 'PHP' } }],
      ['data.updated', { ...good, data: { ...good.data, updated: '2020-04-20 16:23:52' } }],
      ['data.id', { ...good, data: { ...good.data, id: 'ewc_\u0000' } }],
    ];
    for (const [field, body] of badEwallet) {
      expectError(await postXendit(XENDIT_EWALLET, body), 400, 'invalid_request', field);
    }
    const fpc = fpcFor(bill);
    const badFpc: [string, unknown][] = [
      ['amount', { ...fpc, amount: '16800' }],
      ['amount', { ...fpc, amount: bill.amount - 0.25 }],
      ['external_id', { ...fpc, external_id: null }],
      ['transaction_timestamp', { ...fpc, transaction_timestamp: 'today' }],
      ['retail_outlet_name', { ...fpc, retail_outlet_name: '' }],
    ];
    for (const [field, body] of badFpc) {
      expectError(await postXendit(XENDIT_RETAIL, body), 400, 'invalid_request', field);
    }
    expect(await recorded()).toEqual(before);
    expect(await billStatus(bill.paymentCode)).toBe('open');
  });
});

describe('odd values in every field never produce a 5xx', () => {
  const ODD: unknown[] = [null, true, 0, -1, 1.5, 1e300, '', ' ', 'x', '\u0000', 'ü'.repeat(5000), [], {}, ['a'], { nested: 1 }];

  it('Midtrans (each field of a signed notification replaced in turn)', async () => {
    const { bill } = await openBill();
    const good = midtransFor('bniVa', bill);
    for (const key of Object.keys(good)) {
      for (const value of ODD) {
        const res = await postMidtrans({ ...good, [key]: value });
        expect(res.status, `${key} = ${JSON.stringify(value)?.slice(0, 40)}: ${JSON.stringify(res.body)}`).toBeLessThan(500);
      }
    }
  });

  it('Xendit e-wallet and retail outlet (each field replaced in turn)', async () => {
    const { bill } = await openBill();
    const ewallet = ewalletFor(bill);
    const fpc = fpcFor(bill);
    const variants: unknown[] = [];
    for (const key of Object.keys(ewallet.data)) {
      for (const value of ODD) {
        variants.push({ ...ewallet, data: { ...ewallet.data, [key]: value } });
      }
    }
    for (const key of ['event', 'created', 'data']) {
      for (const value of ODD) {
        variants.push({ ...ewallet, [key]: value });
      }
    }
    for (const body of variants) {
      const res = await postXendit(XENDIT_EWALLET, body);
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
    }
    for (const key of Object.keys(fpc)) {
      for (const value of ODD) {
        const res = await postXendit(XENDIT_RETAIL, { ...fpc, [key]: value });
        expect(res.status, `${key} = ${JSON.stringify(value)?.slice(0, 40)}: ${JSON.stringify(res.body)}`).toBeLessThan(500);
      }
    }
  });
});

describe('ledger over every callback above', () => {
  it('balances sum to zero; every channel payment is posted in full from its clearing account', async () => {
    const payments = await t.db.selectFrom('payment').selectAll().where('external_id', 'like', '%:%').execute();
    const channelPayments = payments.filter((p) => p.external_id.startsWith('midtrans:') || p.external_id.startsWith('xendit:'));
    expect(channelPayments.length).toBeGreaterThan(20);
    for (const p of channelPayments) {
      const transfers = await t.db.selectFrom('ledger_transfer').selectAll().where('ref', '=', p.id).execute();
      expect(transfers.reduce((s, x) => s + x.amount, 0), p.external_id).toBe(p.amount);
      expect(transfers.every((x) => x.debit_account === `clearing:${p.channel}`)).toBe(true);
      if (p.outcome === 'unmatched') {
        expect(transfers.map((x) => x.credit_account)).toEqual(['suspense']);
      }
    }
    const balances = await getAllBalances(t.db);
    expect([...balances.values()].reduce((s, b) => s + BigInt(b), 0n)).toBe(0n);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Production
// ---------------------------------------------------------------------------------------------------------------

const PRODUCTION_SECRETS = { PAYMENT_WEBHOOK_SECRET: 'prod-webhook', OTP_SECRET: 'prod-otp', CARD_SIGNING_SEED: 'prod-seed', STAFF_API_KEY: 'prod-staff', COOKIE_SECRET: 'prod-cookie' };

describe('production without Midtrans/Xendit credentials', () => {
  let prod: TestApp;
  beforeAll(async () => {
    prod = await createTestApp({ env: { NODE_ENV: 'production', ...PRODUCTION_SECRETS } });
  });
  afterAll(async () => prod.close());

  it('every channel endpoint is 404 not_found (the development defaults do not apply), and nothing is recorded', async () => {
    expect(prod.config.channels.midtrans).toBeUndefined();
    expect(prod.config.channels.xendit).toBeUndefined();
    const bill = { paymentCode: '8123456789012345', amount: 16_800 };
    const calls = [
      await postMidtrans(midtransFor('gopay', bill), DEV_MIDTRANS_SERVER_KEY, prod),
      await prod.request('POST', MIDTRANS, '{"broken": ', { 'content-type': 'application/json' }),
      await postXendit(XENDIT_EWALLET, ewalletFor(bill), DEV_XENDIT_TOKEN, prod),
      await postXendit(XENDIT_RETAIL, fpcFor(bill), DEV_XENDIT_TOKEN, prod),
      await postXendit(XENDIT_RETAIL, fpcFor(bill), null, prod),
    ];
    for (const res of calls) {
      expectError(res, 404, 'not_found');
    }
    const n = await prod.db.selectFrom('payment').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(0);
  });
});

describe('production with Midtrans/Xendit credentials', () => {
  let prod: TestApp;
  beforeAll(async () => {
    prod = await createTestApp({ env: { NODE_ENV: 'production', ...PRODUCTION_SECRETS, MIDTRANS_SERVER_KEY: 'Mid-server-prod-key', XENDIT_CALLBACK_TOKEN: 'xendit-prod-token' } });
  });
  afterAll(async () => prod.close());

  it('accepts only the configured key and token; the development ones are refused with 401', async () => {
    const bill = { paymentCode: '8123456789012345', amount: 16_800 };
    useSampleClock(() => prod.clock.now());
    const midtrans = midtransFor('gopay', bill);
    const ewallet = ewalletFor(bill);
    useSampleClock(() => t.clock.now());
    expectError(await postMidtrans(midtrans, DEV_MIDTRANS_SERVER_KEY, prod), 401, 'invalid_signature');
    expect((await postMidtrans(midtrans, 'Mid-server-prod-key', prod)).body).toEqual({ status: 'unmatched', reason: 'unknown_payment_code' });
    expectError(await postXendit(XENDIT_EWALLET, ewallet, DEV_XENDIT_TOKEN, prod), 401, 'invalid_signature');
    expect((await postXendit(XENDIT_EWALLET, ewallet, 'xendit-prod-token', prod)).body).toEqual({ status: 'unmatched', reason: 'unknown_payment_code' });
  });
});
