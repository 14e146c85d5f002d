import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDynamicQris, DEV_QRIS_MERCHANT } from '../../src/modules/payments/qris/qris.js';
import { activeMember } from '../support/factories.js';
import { amountText, CLIENT_SECRET, PARTNER_SERVICE_ID, SnapBankClient, snapTimestamp } from '../support/snap-client.js';
import { createTestApp, type TestApp, type TestResponse } from '../support/test-app.js';

/**
 * BI-SNAP endpoints (issue 4, item 1 and the QRIS notification of item 2), driven by a bank client written from the
 * standard (test/support/snap-client.ts, shared with the money-path simulation) — ASPI SNAP "Keamanan" (access token
 * B2B, transaction headers and signatures) and "Virtual Account" / "MPM" (bodies, response codes), as summarised in
 * ../shared/notes/integrations.md §2 — and NOT from the server's code.
 *
 * Tests in this file run in order on one database and one development clock.
 */

// ------------------------------------------------------------------------------------------------------------------

let t: TestApp;
let bank: SnapBankClient;
beforeAll(async () => {
  t = await createTestApp();
  bank = new SnapBankClient(t);
  await bank.login();
});
afterAll(async () => t.close());

function expectSnap(res: TestResponse, responseCode: string) {
  expect(res.body.responseCode, JSON.stringify(res.body)).toBe(responseCode);
  expect(res.status).toBe(Number(responseCode.slice(0, 3)));
  expect(typeof res.body.responseMessage).toBe('string');
  expect(res.headers.get('x-timestamp')).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/);
}

function masked(fullName: string): string {
  return fullName
    .split(' ')
    .map((w) => w[0] + '*'.repeat(w.length - 1))
    .join(' ');
}

async function me(auth: Record<string, string>) {
  const res = await t.get('/api/v1/me', auth);
  expect(res.status).toBe(200);
  return res.body as { coveredThrough: string; nextDue: { month: string; amount: number }; status: string };
}

async function participantId(kpj: string): Promise<string> {
  return (await t.db.selectFrom('participant').select('id').where('kpj', '=', kpj).executeTakeFirstOrThrow()).id;
}

async function coverageMonths(kpj: string): Promise<string[]> {
  const rows = await t.db.selectFrom('coverage_month').select('month').where('participant_id', '=', await participantId(kpj)).orderBy('month').execute();
  return rows.map((r) => r.month);
}

async function paymentsUnder(externalId: string) {
  return t.db.selectFrom('payment').select(['outcome', 'unmatched_reason', 'amount', 'channel', 'payment_code']).where('external_id', '=', externalId).execute();
}

async function billCount(kpj: string): Promise<number> {
  const row = await t.db
    .selectFrom('bill')
    .select(({ fn }) => fn.countAll<number>().as('n'))
    .where('participant_id', '=', await participantId(kpj))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

function addMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

// ------------------------------------------------------------------------------------------------------------------

describe('acceptance: token → inquiry → payment → repeated payment → wrong signature → expired timestamp', () => {
  let member: Awaited<ReturnType<typeof activeMember>>;
  let coverBefore: string[];
  let amountDue: number;
  let paymentCode: string;
  const paymentRequestId = `PAY-ACCEPT-${Date.now()}`;
  let paymentBody: ReturnType<SnapBankClient['paymentBody']>;
  let firstPaymentExternalId: string;
  let firstPaymentAnswer: unknown;

  beforeAll(async () => {
    member = await activeMember(t);
    coverBefore = await coverageMonths(member.kpj);
    amountDue = (await me(member.auth)).nextDue.amount;
  });

  it('1. access token B2B: 2007300, an opaque Bearer token for 900 seconds', async () => {
    const res = await bank.accessToken();
    expectSnap(res, '2007300');
    expect(res.body).toMatchObject({ responseMessage: 'Successful', tokenType: 'Bearer', expiresIn: '900' });
    expect(res.body.accessToken).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    bank.token = res.body.accessToken as string;
  });

  it('2. inquiry on the member’s stable VA (partnerServiceId + KPJ): 2002400 with the amount due, a 1-month bill', async () => {
    const res = await bank.inquiry(member.kpj, { inquiryRequestId: paymentRequestId });
    expectSnap(res, '2002400');
    const va = res.body.virtualAccountData;
    expect(va).toMatchObject({
      inquiryStatus: '00',
      partnerServiceId: PARTNER_SERVICE_ID,
      customerNo: member.kpj,
      virtualAccountNo: PARTNER_SERVICE_ID + member.kpj,
      virtualAccountName: masked(member.person.fullName),
      inquiryRequestId: paymentRequestId,
      totalAmount: { value: amountText(amountDue), currency: 'IDR' },
      virtualAccountTrxType: 'C',
    });
    expect(va.virtualAccountName).not.toBe(member.person.fullName);
    expect(va.billDetails).toHaveLength(1);
    paymentCode = va.billDetails[0].billNo as string;
    const bill = await t.db.selectFrom('bill').selectAll().where('payment_code', '=', paymentCode).executeTakeFirstOrThrow();
    expect(bill).toMatchObject({ status: 'open', kind: 'renewal', participant_id: await participantId(member.kpj), month_count: 1 });
    expect(Number(bill.amount)).toBe(amountDue);
    expect(bill.first_month).toBe(addMonth(coverBefore.at(-1) as string));
  });

  it('   a second inquiry quotes the same open bill (an inquiry issues at most one bill)', async () => {
    const bills = await billCount(member.kpj);
    const res = await bank.inquiry(member.kpj);
    expectSnap(res, '2002400');
    expect(res.body.virtualAccountData.billDetails[0].billNo).toBe(paymentCode);
    expect(await billCount(member.kpj)).toBe(bills);
  });

  it('3. payment: 2002500; the member is covered for exactly the paid month', async () => {
    paymentBody = bank.paymentBody(member.kpj, paymentRequestId, amountText(amountDue));
    firstPaymentExternalId = bank.nextExternalId();
    const res = await bank.payment(paymentBody, { externalId: firstPaymentExternalId });
    expectSnap(res, '2002500');
    expect(res.body.virtualAccountData).toMatchObject({
      paymentFlagStatus: '00',
      paymentFlagReason: { english: 'Success', indonesia: 'Sukses' },
      virtualAccountNo: PARTNER_SERVICE_ID + member.kpj,
      paymentRequestId,
      paidAmount: { value: amountText(amountDue), currency: 'IDR' },
    });
    firstPaymentAnswer = res.body;
    expect(await coverageMonths(member.kpj)).toEqual([...coverBefore, addMonth(coverBefore.at(-1) as string)]);
    expect((await me(member.auth)).coveredThrough).toBe(addMonth(coverBefore.at(-1) as string));
  });

  it('4. the same payment again with the same X-EXTERNAL-ID: the same answer, no second credit', async () => {
    const res = await bank.payment(paymentBody, { externalId: firstPaymentExternalId });
    expectSnap(res, '2002500');
    expect(res.body).toEqual(firstPaymentAnswer);
  });

  it('   the bank’s retry (new X-EXTERNAL-ID, flagAdvise Y, same paymentRequestId): 2002500 again, no second credit', async () => {
    const res = await bank.payment({ ...paymentBody, flagAdvise: 'Y', trxDateTime: snapTimestamp(new Date(t.clock.now().getTime() + 2_000)) });
    expectSnap(res, '2002500');
    expect(res.body.virtualAccountData.paymentFlagStatus).toBe('00');
  });

  it('   the same X-EXTERNAL-ID with a different request: 4092500 Conflict, nothing recorded', async () => {
    const res = await bank.payment({ ...paymentBody, paymentRequestId: `${paymentRequestId}-other` }, { externalId: firstPaymentExternalId });
    expectSnap(res, '4092500');
    expect(await paymentsUnder(`snap:88899:${paymentRequestId}-other`)).toEqual([]);
  });

  it('5. a wrong signature: 4012500 (wrong secret, or a body changed after signing)', async () => {
    const wrongSecret = await bank.payment(bank.paymentBody(member.kpj, `${paymentRequestId}-x`, amountText(amountDue)), { secret: 'not-the-secret' });
    expectSnap(wrongSecret, '4012500');
    const signed = JSON.stringify(bank.paymentBody(member.kpj, `${paymentRequestId}-y`, amountText(amountDue)));
    const tampered = await bank.payment(undefined, {
      rawBody: signed,
      headers: { 'X-SIGNATURE': createHmac('sha512', CLIENT_SECRET).update(`POST:/snap/v1.0/transfer-va/payment:${bank.token}:${'0'.repeat(64)}:${snapTimestamp(t.clock.now())}`).digest('base64') },
    });
    expectSnap(tampered, '4012500');
    expectSnap(await bank.inquiry(member.kpj, { secret: 'not-the-secret' }), '4012400');
  });

  it('6. an expired timestamp (6 minutes old, correctly signed): 4002501 Invalid Field Format [X-TIMESTAMP]; likewise 6 minutes ahead', async () => {
    const old = snapTimestamp(new Date(t.clock.now().getTime() - 6 * 60_000));
    const res = await bank.payment(bank.paymentBody(member.kpj, `${paymentRequestId}-late`, amountText(amountDue)), { timestamp: old });
    expectSnap(res, '4002501');
    expect(res.body.responseMessage).toBe('Invalid Field Format [X-TIMESTAMP]');
    const ahead = snapTimestamp(new Date(t.clock.now().getTime() + 6 * 60_000));
    expectSnap(await bank.inquiry(member.kpj, { timestamp: ahead }), '4002401');
    // Within the window (4 minutes old) is fine.
    expectSnap(await bank.inquiry(member.kpj, { timestamp: snapTimestamp(new Date(t.clock.now().getTime() - 4 * 60_000)) }), '2002400');
    // The access token endpoint applies the same window.
    expectSnap(await bank.accessToken({ timestamp: old }), '4007301');
  });

  it('no double credit: exactly one applied payment, one bill paid, cover extended by exactly the paid month', async () => {
    const recorded = await paymentsUnder(`snap:88899:${paymentRequestId}`);
    expect(recorded).toEqual([{ outcome: 'applied', unmatched_reason: null, amount: amountDue, channel: 'va', payment_code: paymentCode }]);
    const pid = await participantId(member.kpj);
    const snapPayments = await t.db.selectFrom('payment').innerJoin('bill', 'bill.id', 'payment.bill_id').select('payment.external_id').where('bill.participant_id', '=', pid).where('payment.channel', '=', 'va').where('payment.external_id', 'like', 'snap:%').execute();
    expect(snapPayments).toHaveLength(1);
    const transfers = await t.db.selectFrom('ledger_transfer').select(['amount']).where('ref', '=', (await t.db.selectFrom('payment').select('id').where('external_id', '=', `snap:88899:${paymentRequestId}`).executeTakeFirstOrThrow()).id).execute();
    expect(transfers.reduce((s, r) => s + Number(r.amount), 0)).toBe(amountDue);
    expect(await coverageMonths(member.kpj)).toHaveLength(coverBefore.length + 1);
  });
});

// ------------------------------------------------------------------------------------------------------------------

describe('access token B2B refusals', () => {
  it('a signature by another key or over another string: 4017300 Unauthorized [Signature]', async () => {
    const res = await bank.accessToken({ signWith: 'someone-else' });
    expectSnap(res, '4017300');
    expect(res.body.responseMessage).toBe('Unauthorized. [Signature]');
    expect(res.body.accessToken).toBeUndefined();
  });

  it('an unknown X-CLIENT-KEY: 4017300 Unauthorized [Unknown client]', async () => {
    const res = await bank.accessToken({ clientKey: 'another-bank' });
    expectSnap(res, '4017300');
    expect(res.body.responseMessage).toBe('Unauthorized. [Unknown client]');
  });

  it('missing headers: 4007302; a timestamp without a zone: 4007301', async () => {
    expectSnap(await t.request('POST', '/snap/v1.0/access-token/b2b', JSON.stringify({ grantType: 'client_credentials' }), {}), '4007302');
    expectSnap(await bank.accessToken({ timestamp: snapTimestamp(t.clock.now()).slice(0, 19) }), '4007301');
  });

  it('a grantType other than client_credentials: 4007301; malformed JSON: 4007300', async () => {
    const wrongGrant = await bank.accessToken({ body: JSON.stringify({ grantType: 'password' }) });
    expectSnap(wrongGrant, '4007301');
    expect(wrongGrant.body.responseMessage).toBe('Invalid Field Format [grantType]');
    expectSnap(await bank.accessToken({ body: '{"grantType":' }), '4007300');
  });
});

describe('transaction refusals', () => {
  let member: Awaited<ReturnType<typeof activeMember>>;
  beforeAll(async () => {
    member = await activeMember(t);
  });

  it('a bad token: unknown, missing, or expired after 900 seconds → 4012401 Invalid Token (B2B)', async () => {
    expectSnap(await bank.inquiry(member.kpj, { token: 'bm90LWEtdG9rZW4' }), '4012401');
    expectSnap(await bank.inquiry(member.kpj, { token: null }), '4012401');
    const old = bank.token;
    t.clock.advance(901_000);
    const expired = await bank.inquiry(member.kpj, { token: old });
    expectSnap(expired, '4012401');
    expect(expired.body.responseMessage).toBe('Invalid Token (B2B)');
    await bank.login();
    expectSnap(await bank.inquiry(member.kpj), '2002400');
  });

  it('missing or malformed transaction headers: 400xx02 / 400xx01 naming the header', async () => {
    const noExternal = await bank.inquiry(member.kpj, { headers: { 'X-EXTERNAL-ID': undefined } });
    expectSnap(noExternal, '4002402');
    expect(noExternal.body.responseMessage).toBe('Invalid Mandatory Field [X-EXTERNAL-ID]');
    expectSnap(await bank.inquiry(member.kpj, { headers: { 'X-SIGNATURE': undefined } }), '4002402');
    expectSnap(await bank.inquiry(member.kpj, { headers: { 'CHANNEL-ID': undefined } }), '4002402');
    expectSnap(await bank.inquiry(member.kpj, { headers: { 'X-EXTERNAL-ID': '9'.repeat(37) } }), '4002401');
    expectSnap(await bank.inquiry(member.kpj, { timestamp: 'not-a-timestamp' }), '4002401');
  });

  it('EndpointUrl: the path as called (/snap/…) or relative to the base URL (/v1.0/…); another endpoint’s path is refused', async () => {
    expectSnap(await bank.inquiry(member.kpj, { signedPath: '/v1.0/transfer-va/inquiry' }), '2002400');
    expectSnap(await bank.inquiry(member.kpj, { signedPath: '/snap/v1.0/transfer-va/payment' }), '4012400');
    expectSnap(await bank.inquiry(member.kpj, { signedPath: '/transfer-va/inquiry' }), '4012400');
  });

  it('minify: a body with escapes signed after re-serialising (JSON.stringify(JSON.parse(body))) is accepted', async () => {
    const raw = `{"partnerServiceId":"${PARTNER_SERVICE_ID}","customerNo":"${member.kpj}","virtualAccountNo":"${PARTNER_SERVICE_ID}${member.kpj}","inquiryRequestId":"INQ-ESC-${Date.now()}","additionalInfo":{"note":"caf\\u00e9"}}`;
    expect(JSON.stringify(JSON.parse(raw))).not.toBe(raw);
    expectSnap(await bank.call('/snap/v1.0/transfer-va/inquiry', undefined, { rawBody: raw }), '2002400');
    expectSnap(await bank.call('/snap/v1.0/transfer-va/inquiry', undefined, { rawBody: raw, signedBody: JSON.stringify(JSON.parse(raw)) }), '2002400');
    expectSnap(await bank.call('/snap/v1.0/transfer-va/inquiry', undefined, { rawBody: raw, signedBody: raw.replace('caf', 'cafe') }), '4012400');
  });

  it('an unknown VA: inquiry 4042412 (no member with that KPJ, a number that cannot be a KPJ, another biller’s prefix)', async () => {
    const noSuchKpj = '99999999990'; // 10 digits + a Luhn check digit, never issued
    const res = await bank.inquiry(noSuchKpj);
    expectSnap(res, '4042412');
    expect(res.body.virtualAccountData).toMatchObject({ inquiryStatus: '01', customerNo: noSuchKpj, virtualAccountName: '' });
    expectSnap(await bank.inquiry('12345678901'), '4042412');
    expectSnap(await bank.inquiry(member.kpj, { partnerServiceId: '   77777' }), '4042412');
  });

  it('a payment to an unknown VA: 4042512, and the money is recorded as unmatched, never dropped', async () => {
    const id = `PAY-UNKNOWN-${Date.now()}`;
    const res = await bank.payment(bank.paymentBody('99999999990', id, '10000.00'));
    expectSnap(res, '4042512');
    expect(res.body.virtualAccountData.paymentFlagStatus).toBe('01');
    expect(await paymentsUnder(`snap:88899:${id}`)).toEqual([
      { outcome: 'unmatched', unmatched_reason: 'unknown_payment_code', amount: 10_000, channel: 'va', payment_code: 'VA:8889999999999990' },
    ]);
  });

  it('malformed JSON: 400xx00 Bad Request, never 5xx', async () => {
    for (const [path, code] of [
      ['/snap/v1.0/transfer-va/inquiry', '4002400'],
      ['/snap/v1.0/transfer-va/payment', '4002500'],
      ['/snap/v1.0/qr/qr-mpm-notify', '4005200'],
    ] as const) {
      expectSnap(await bank.call(path, undefined, { rawBody: '{"partnerServiceId":"   88899","customerNo":' }), code);
      expectSnap(await bank.call(path, undefined, { rawBody: '[1,2,3]' }), code);
      expectSnap(await bank.call(path, undefined, { rawBody: '' }), code);
    }
  });

  it('missing and malformed fields: 400xx02 / 400xx01 naming the field', async () => {
    const body = bank.paymentBody(member.kpj, `PAY-FIELDS-${Date.now()}`, '10000.00');
    const { paymentRequestId: _omitted, ...withoutId } = body;
    const missing = await bank.payment(withoutId);
    expectSnap(missing, '4002502');
    expect(missing.body.responseMessage).toBe('Invalid Mandatory Field [paymentRequestId]');
    const notNumeric = await bank.payment({ ...body, paidAmount: { value: 'sepuluh ribu', currency: 'IDR' } });
    expectSnap(notNumeric, '4002501');
    expect(notNumeric.body.responseMessage).toBe('Invalid Field Format [paidAmount.value]');
    expectSnap(await bank.payment({ ...body, paidAmount: { value: '10000.00', currency: 'USD' } }), '4002501');
    expectSnap(await bank.payment({ ...body, paidAmount: { value: '10000.50', currency: 'IDR' } }), '4002501');
    expectSnap(await bank.payment({ ...body, flagAdvise: 'MAYBE' }), '4002501');
    expectSnap(await bank.payment({ ...body, customerNo: 12345 }), '4002501');
    expectSnap(await bank.payment({ ...body, virtualAccountNo: `${PARTNER_SERVICE_ID}00000000000` }), '4002501');
    expectSnap(await bank.inquiry(member.kpj, { inquiryRequestId: 'with\u0000nul' }), '4002401');
    expect(await paymentsUnder(`snap:88899:${body.paymentRequestId}`)).toEqual([]);
  });
});

describe('amounts, paid bills and inconsistent repeats', () => {
  let member: Awaited<ReturnType<typeof activeMember>>;
  let amountDue: number;
  let paymentCode: string;

  beforeAll(async () => {
    member = await activeMember(t);
    const inquiry = await bank.inquiry(member.kpj);
    expectSnap(inquiry, '2002400');
    amountDue = Number((inquiry.body.virtualAccountData.totalAmount.value as string).slice(0, -3));
    paymentCode = inquiry.body.virtualAccountData.billDetails[0].billNo as string;
  });

  it('a short amount: 4042513 Invalid Amount; kept as unmatched (suspense); the bill stays open and the cover unchanged', async () => {
    // (More than the bill settles it and credits the excess to the member's wallet: test/api/wallet.test.ts.)
    const cover = await coverageMonths(member.kpj);
    const id = `PAY-WRONG-${Date.now()}`;
    const res = await bank.payment(bank.paymentBody(member.kpj, id, amountText(amountDue - 1_000)));
    expectSnap(res, '4042513');
    expect(res.body.virtualAccountData).toMatchObject({ paymentFlagStatus: '01', paymentFlagReason: { english: 'Invalid Amount' } });
    expect(await paymentsUnder(`snap:88899:${id}`)).toEqual([
      { outcome: 'unmatched', unmatched_reason: 'amount_mismatch', amount: amountDue - 1_000, channel: 'va', payment_code: paymentCode },
    ]);
    expect(await coverageMonths(member.kpj)).toEqual(cover);
    // A repeat of that payment is answered the same way (idempotent), not as a success.
    expectSnap(await bank.payment(bank.paymentBody(member.kpj, id, amountText(amountDue - 1_000))), '4042513');
  });

  it('a trxDateTime before the bill was issued, or over 5 minutes ahead: 4002501 Invalid Field Format [trxDateTime], nothing recorded', async () => {
    const cover = await coverageMonths(member.kpj);
    const now = t.clock.now().getTime();
    for (const [i, at] of [now - 3 * 3_600_000, now + 6 * 60_000].entries()) {
      const id = `PAY-WHEN-${i}-${Date.now()}`;
      const res = await bank.payment(bank.paymentBody(member.kpj, id, amountText(amountDue), { trxDateTime: snapTimestamp(new Date(at)) }));
      expectSnap(res, '4002501');
      expect(res.body.responseMessage).toBe('Invalid Field Format [trxDateTime]');
      expect(await paymentsUnder(`snap:88899:${id}`)).toEqual([]);
    }
    expect(await coverageMonths(member.kpj)).toEqual(cover);
  });

  it('the same paymentRequestId with other money: 4042518 Inconsistent Request, flagged with the first payment’s status', async () => {
    const id = `PAY-OK-${Date.now()}`;
    expectSnap(await bank.payment(bank.paymentBody(member.kpj, id, amountText(amountDue))), '2002500');
    const res = await bank.payment(bank.paymentBody(member.kpj, id, amountText(amountDue + 5_000)));
    expectSnap(res, '4042518');
    expect(res.body.virtualAccountData).toMatchObject({ paymentFlagStatus: '00', paidAmount: { value: amountText(amountDue) } });
    expect(await paymentsUnder(`snap:88899:${id}`)).toHaveLength(1);
  });

  it('another payment for the bill already paid: 4042514 Paid Bill, kept as unmatched', async () => {
    const id = `PAY-TWICE-${Date.now()}`;
    const res = await bank.payment(bank.paymentBody(member.kpj, id, amountText(amountDue)));
    expectSnap(res, '4042514');
    expect(await paymentsUnder(`snap:88899:${id}`)).toEqual([
      { outcome: 'unmatched', unmatched_reason: 'bill_already_paid', amount: amountDue, channel: 'va', payment_code: paymentCode },
    ]);
  });

  it('an open multi-month bill issued in the portal is what the VA quotes and collects', async () => {
    const issued = await t.post('/api/v1/me/bills', { months: 3 }, member.auth);
    expect(issued.status).toBe(201);
    const bill = issued.body.bill as { paymentCode: string; amount: number };
    const inquiry = await bank.inquiry(member.kpj);
    expectSnap(inquiry, '2002400');
    expect(inquiry.body.virtualAccountData.totalAmount.value).toBe(amountText(bill.amount));
    expect(inquiry.body.virtualAccountData.billDetails[0]).toMatchObject({ billNo: bill.paymentCode });
    const cover = await coverageMonths(member.kpj);
    expectSnap(await bank.payment(bank.paymentBody(member.kpj, `PAY-3M-${Date.now()}`, amountText(bill.amount))), '2002500');
    expect(await coverageMonths(member.kpj)).toHaveLength(cover.length + 3);
  });
});

describe('QRIS acquirer notification (qr-mpm-notify, service 52)', () => {
  let member: Awaited<ReturnType<typeof activeMember>>;
  let bill: { paymentCode: string; amount: number };

  async function openBill(): Promise<{ paymentCode: string; amount: number }> {
    const res = await t.post('/api/v1/me/bills', { months: 1 }, member.auth);
    expect(res.status).toBe(201);
    return res.body.bill as { paymentCode: string; amount: number };
  }

  const notify = (ref: string, amount: number, extra: Record<string, unknown> = {}) => ({
    originalReferenceNo: ref,
    latestTransactionStatus: '00',
    transactionStatusDesc: 'success',
    amount: { value: amountText(amount), currency: 'IDR' },
    additionalInfo: {},
    ...extra,
  });

  beforeAll(async () => {
    member = await activeMember(t);
    bill = await openBill();
  });

  it('status 00 with our partner reference (the payment code): 2005200, settled like any payment', async () => {
    const cover = await coverageMonths(member.kpj);
    const ref = `QR${Date.now()}`;
    const res = await bank.qrNotify(notify(ref, bill.amount, { originalPartnerReferenceNo: bill.paymentCode }));
    expectSnap(res, '2005200');
    expect(res.body.additionalInfo).toEqual({ settlement: 'applied' });
    expect(await paymentsUnder(`qris:${ref}`)).toEqual([{ outcome: 'applied', unmatched_reason: null, amount: bill.amount, channel: 'qris', payment_code: bill.paymentCode }]);
    expect(await coverageMonths(member.kpj)).toHaveLength(cover.length + 1);

    const again = await bank.qrNotify(notify(ref, bill.amount, { originalPartnerReferenceNo: bill.paymentCode }));
    expectSnap(again, '2005200');
    expect(again.body.additionalInfo).toEqual({ settlement: 'duplicate' });
    expect(await coverageMonths(member.kpj)).toHaveLength(cover.length + 1);

    const changed = await bank.qrNotify(notify(ref, bill.amount + 100, { originalPartnerReferenceNo: bill.paymentCode }));
    expectSnap(changed, '4045218');
  });

  it('without a partner reference, the payment code is read from the QR string (tag 62.01) when the acquirer echoes it', async () => {
    const next = await openBill();
    const qr = buildDynamicQris({ merchant: DEV_QRIS_MERCHANT, amount: next.amount, billNumber: next.paymentCode });
    expect(qr.ok).toBe(true);
    const ref = `QR${Date.now()}b`;
    const paidAt = new Date(Math.ceil(t.clock.now().getTime() / 1000) * 1000);
    const res = await bank.qrNotify(notify(ref, next.amount, { additionalInfo: { qrContent: qr.ok ? qr.value : '', paidTime: snapTimestamp(paidAt) } }));
    expectSnap(res, '2005200');
    expect(res.body.additionalInfo).toEqual({ settlement: 'applied' });
    const [row] = await t.db.selectFrom('payment').select(['payment_code', 'paid_at']).where('external_id', '=', `qris:${ref}`).execute();
    expect(row?.payment_code).toBe(next.paymentCode);
    expect(row?.paid_at.toISOString()).toBe(paidAt.toISOString());
  });

  it('a reference that matches no bill: acknowledged, kept as unmatched for reconciliation', async () => {
    const ref = `QR${Date.now()}c`;
    const res = await bank.qrNotify(notify(ref, 25_000, { originalPartnerReferenceNo: '8000000000000000' }));
    expectSnap(res, '2005200');
    expect(res.body.additionalInfo).toEqual({ settlement: 'unmatched', reason: 'unknown_payment_code' });
    expect(await paymentsUnder(`qris:${ref}`)).toMatchObject([{ outcome: 'unmatched', unmatched_reason: 'unknown_payment_code', amount: 25_000, channel: 'qris' }]);
  });

  it('other statuses move no money: acknowledged, nothing recorded; status 00 without an amount: 4005202', async () => {
    const ref = `QR${Date.now()}d`;
    const failed = await bank.qrNotify(notify(ref, bill.amount, { latestTransactionStatus: '06', originalPartnerReferenceNo: bill.paymentCode }));
    expectSnap(failed, '2005200');
    expect(failed.body.additionalInfo).toEqual({ settlement: 'ignored', transactionStatus: 'failed' });
    expect(await paymentsUnder(`qris:${ref}`)).toEqual([]);
    expectSnap(await bank.qrNotify(notify(ref, bill.amount, { latestTransactionStatus: '99' })), '4005201');
    const { amount: _omitted, ...noAmount } = notify(ref, bill.amount);
    const res = await bank.qrNotify(noAmount);
    expectSnap(res, '4005202');
    expect(res.body.responseMessage).toBe('Invalid Mandatory Field [amount]');
  });
});

describe('production without SNAP credentials', () => {
  let prod: TestApp;
  beforeAll(async () => {
    prod = await createTestApp({ env: { NODE_ENV: 'production', PAYMENT_WEBHOOK_SECRET: 'x', OTP_SECRET: 'y', CARD_SIGNING_SEED: 'z', STAFF_API_KEY: 'k', COOKIE_SECRET: 'c' } });
  });
  afterAll(async () => prod.close());

  it('refuses every SNAP call, even one signed with the development key: 401xx00 Unauthorized [SNAP channel not configured]', async () => {
    expect(prod.config.channels.snap).toBeUndefined();
    const prodBank = new SnapBankClient(prod);
    const token = await prodBank.accessToken();
    expectSnap(token, '4017300');
    expect(token.body.responseMessage).toBe('Unauthorized. [SNAP channel not configured]');
    expect(token.body.accessToken).toBeUndefined();
    prodBank.token = 'anything';
    expectSnap(await prodBank.inquiry('99999999990'), '4012400');
    expectSnap(await prodBank.payment(prodBank.paymentBody('99999999990', 'PAY-PROD', '10000.00')), '4012500');
    expectSnap(await prodBank.qrNotify({ originalReferenceNo: 'x', latestTransactionStatus: '00' }), '4015200');
  });
});

describe('an expired bill (runs last: it moves the clock a day on)', () => {
  it('a payment after the quoted bill expired: 4042519, kept as unmatched; the next inquiry issues a fresh bill', async () => {
    const member = await activeMember(t);
    const inquiry = await bank.inquiry(member.kpj);
    expectSnap(inquiry, '2002400');
    const stale = inquiry.body.virtualAccountData.billDetails[0].billNo as string;
    const amount = inquiry.body.virtualAccountData.totalAmount.value as string;
    t.clock.advance(25 * 3_600_000);
    await bank.login();
    const id = `PAY-LATE-${Date.now()}`;
    const res = await bank.payment(bank.paymentBody(member.kpj, id, amount));
    expectSnap(res, '4042519');
    expect(res.body.responseMessage).toBe('Invalid Bill/Virtual Account [Expired]');
    expect(await paymentsUnder(`snap:88899:${id}`)).toMatchObject([{ outcome: 'unmatched', unmatched_reason: 'bill_expired', payment_code: stale }]);
    const fresh = await bank.inquiry(member.kpj);
    expectSnap(fresh, '2002400');
    expect(fresh.body.virtualAccountData.billDetails[0].billNo).not.toBe(stale);
  });
});
