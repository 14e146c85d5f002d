import { createHash, randomUUID } from 'node:crypto';
import type { TestApp, TestResponse } from './test-app.js';

/**
 * Midtrans and Xendit as they call us: documented sample notifications adapted to a bill, signed the way each
 * provider signs (written from the providers' documentation, not from the server code). Shared by
 * test/api/channels.test.ts and the money-path simulation (test/simulation).
 */

export const MIDTRANS = '/api/v1/channels/midtrans/notifications';
export const XENDIT_EWALLET = '/api/v1/channels/xendit/ewallet';
export const XENDIT_RETAIL = '/api/v1/channels/xendit/retail-outlet';

/** README development defaults (src/config.ts): what a development server accepts without configuration. */
export const DEV_MIDTRANS_SERVER_KEY = 'dev-midtrans-server-key';
export const DEV_XENDIT_TOKEN = 'dev-xendit-callback-token';

/**
 * The documented samples carry their authors' times (2020–2021). The server refuses a payment time before the bill
 * was issued or more than 5 minutes ahead of its clock (invalid_paid_at), so a test file points the samples at its
 * app's clock: every sample built after `useSampleClock` says it was paid at that clock's current time (rounded up to
 * the second where the provider's format has seconds only), and the related times a minute earlier. Overrides still win.
 */
let sampleClock: (() => Date) | null = null;
export function useSampleClock(now: (() => Date) | null): void {
  sampleClock = now;
}

/** "YYYY-MM-DD HH:mm:ss" in WIB, as Midtrans writes its times. */
export function midtransWallTime(ms: number): string {
  return new Date(ms + 7 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

function sampleTimes(): { paid: number; before: number } | null {
  const now = sampleClock?.().getTime();
  return now === undefined ? null : { paid: Math.ceil(now / 1000) * 1000, before: Math.ceil(now / 1000) * 1000 - 60_000 };
}

/** Midtrans: signature_key = SHA512(order_id + status_code + gross_amount + ServerKey), lowercase hex. */
export function midtransSigned(body: Record<string, unknown>, serverKey = DEV_MIDTRANS_SERVER_KEY): Record<string, unknown> {
  const input = `${String(body['order_id'])}${String(body['status_code'])}${String(body['gross_amount'])}${serverKey}`;
  return { ...body, signature_key: createHash('sha512').update(input).digest('hex') };
}

/** Sends a Midtrans notification signed with `serverKey` (default: the development key). */
export function postMidtrans(app: TestApp, body: Record<string, unknown>, serverKey?: string): Promise<TestResponse> {
  return app.post(MIDTRANS, midtransSigned(body, serverKey));
}

/** Xendit: the account's verification token in the x-callback-token header (`null`: no header at all). */
export function postXendit(app: TestApp, path: string, body: unknown, token: string | null = DEV_XENDIT_TOKEN): Promise<TestResponse> {
  return app.request('POST', path, typeof body === 'string' ? body : JSON.stringify(body), token === null ? {} : { 'x-callback-token': token });
}

// ---------------------------------------------------------------------------------------------------------------
// Documented samples
// ---------------------------------------------------------------------------------------------------------------

/**
 * Midtrans samples, verbatim from docs.midtrans.com/docs/https-notification-webhooks, "Sample HTTP Notifications Sent
 * From Midtrans" → "Sample for Various Payment Methods" (tabs Card, GoPay, QRIS, ShopeePay, Permata VA, BCA VA, BNI VA,
 * BRI VA, Mandiri Bill, Indomaret, Alfamart, Akulaku). Their signature_key was made with Midtrans' sandbox key; every
 * test re-signs with the key configured here.
 */
export const MIDTRANS_DOCS: Record<string, Record<string, unknown>> = {
  card: {
    transaction_time: '2020-01-09 18:27:19',
    transaction_status: 'capture',
    transaction_id: '57d5293c-e65f-4a29-95e4-5959c3fa335b',
    status_message: 'midtrans payment notification',
    status_code: '200',
    signature_key: '16d6f84b2fb0468e2a9cf99a8ac4e5d803d42180347aaa70cb2a7abb13b5c6130458ca9c71956a962c0827637cd3bc7d40b21a8ae9fab12c7c3efe351b18d00a',
    payment_type: 'credit_card',
    order_id: 'Postman-1578568851',
    merchant_id: 'G141532850',
    masked_card: '48111111-1114',
    gross_amount: '10000.00',
    fraud_status: 'accept',
    eci: '05',
    currency: 'IDR',
    channel_response_message: 'Approved',
    channel_response_code: '00',
    card_type: 'credit',
    bank: 'bni',
    approval_code: '1578569243927',
  },
  gopay: {
    transaction_time: '2021-06-15 18:45:13',
    transaction_status: 'settlement',
    transaction_id: '513f1f01-c9da-474c-9fc9-d5c64364b709',
    status_message: 'midtrans payment notification',
    status_code: '200',
    signature_key: '2496c78cac93a70ca08014bdaaff08eb7119ef79ef69c4833d4399cada077147febc1a231992eb8665a7e26d89b1dc323c13f721d21c7485f70bff06cca6eed3',
    settlement_time: '2021-06-15 18:45:28',
    payment_type: 'gopay',
    order_id: 'Order-5100',
    merchant_id: 'G141532850',
    gross_amount: '154600.00',
    fraud_status: 'accept',
    currency: 'IDR',
  },
  qris: {
    transaction_type: 'on-us',
    transaction_time: '2021-06-23 14:02:42',
    transaction_status: 'settlement',
    transaction_id: '513f1f01-c9da-474c-9fc9-d5c64364b709',
    status_message: 'midtrans payment notification',
    status_code: '200',
    signature_key: '2496c78cac93a70ca08014bdaaff08eb7119ef79ef69c4833d4399cada077147febc1a231992eb8665a7e26d89b1dc323c13f721d21c7485f70bff06cca6eed3',
    settlement_time: '2021-06-23 14:06:48',
    payment_type: 'qris',
    order_id: 'qris-01',
    merchant_id: 'G141532850',
    merchant_cross_reference_id: '0197f326-973a-743c-b0a9-77cfc3c95d53',
    issuer: 'gopay',
    gross_amount: '5539.00',
    fraud_status: 'accept',
    currency: 'IDR',
    acquirer: 'gopay',
  },
  shopeepay: {
    transaction_time: '2021-06-23 13:28:05',
    transaction_status: 'settlement',
    transaction_id: '513f1f01-c9da-474c-9fc9-d5c64364b709',
    status_message: 'midtrans payment notification',
    status_code: '200',
    signature_key: '2496c78cac93a70ca08014bdaaff08eb7119ef79ef69c4833d4399cada077147febc1a231992eb8665a7e26d89b1dc323c13f721d21c7485f70bff06cca6eed3',
    settlement_time: '2021-06-23 13:28:21',
    payment_type: 'shopeepay',
    order_id: 'shopeepay-01',
    merchant_id: 'G141532850',
    gross_amount: '16700.00',
    fraud_status: 'accept',
    currency: 'IDR',
  },
  permataVa: {
    transaction_time: '2021-06-23 11:18:59',
    transaction_status: 'settlement',
    transaction_id: '6fd88567-62da-43ff-8fe6-5717e430ffc7',
    status_message: 'midtrans payment notification',
    status_code: '200',
    signature_key: '0c0df82489931602577d9e434966c0540249b7c0aeaae2b718305af89a11e2bf9b4008aba07d1b3b248b15b4fbecdd15e81dbb2648b974efc4e0656e8c976094',
    settlement_time: '2021-06-23 11:20:06',
    permata_va_number: '8562000087926752',
    payment_type: 'bank_transfer',
    order_id: 'permata-va-01',
    merchant_id: 'G141532850',
    gross_amount: '185000.00',
    fraud_status: 'accept',
    currency: 'IDR',
  },
  bcaVa: {
    va_numbers: [{ va_number: '333333333333333', bank: 'bca' }],
    transaction_time: '2021-06-23 11:27:20',
    transaction_status: 'settlement',
    transaction_id: '9aed5972-5b6a-401e-894b-a32c91ed1a3a',
    status_message: 'midtrans payment notification',
    status_code: '200',
    signature_key: 'fe5f725ea770c451017e9d6300af72b830a668d2f7d5da9b778ec2c4f9177efe5127d492d9ddfbcf6806ea5cd7dc1a7337c674d6139026b28f49ad0ea1ce5107',
    settlement_time: '2021-06-23 11:27:50',
    payment_type: 'bank_transfer',
    payment_amounts: [],
    order_id: 'bca-va-01',
    merchant_id: 'G141532850',
    gross_amount: '100000.00',
    fraud_status: 'accept',
    currency: 'IDR',
  },
  bniVa: {
    va_numbers: [{ va_number: '3333000000111111', bank: 'bni' }],
    transaction_time: '2021-06-23 11:41:33',
    transaction_status: 'settlement',
    transaction_id: '9aed5972-5b6a-401e-894b-a32c91ed1a3a',
    status_message: 'midtrans payment notification',
    status_code: '200',
    signature_key: 'fe5f725ea770c451017e9d6300af72b830a668d2f7d5da9b778ec2c4f9177efe5127d492d9ddfbcf6806ea5cd7dc1a7337c674d6139026b28f49ad0ea1ce5107',
    settlement_time: '2021-06-23 11:42:03',
    payment_type: 'bank_transfer',
    payment_amounts: [{ paid_at: '2021-06-23 11:42:02', amount: '150000.00' }],
    order_id: 'bni-va-01',
    merchant_id: 'G141532850',
    gross_amount: '150000.00',
    fraud_status: 'accept',
    currency: 'IDR',
  },
  briVa: {
    va_numbers: [{ va_number: '123456789123456789', bank: 'bri' }],
    transaction_time: '2021-06-23 11:53:34',
    transaction_status: 'settlement',
    transaction_id: '9aed5972-5b6a-401e-894b-a32c91ed1a3a',
    status_message: 'midtrans payment notification',
    status_code: '200',
    signature_key: 'fe5f725ea770c451017e9d6300af72b830a668d2f7d5da9b778ec2c4f9177efe5127d492d9ddfbcf6806ea5cd7dc1a7337c674d6139026b28f49ad0ea1ce5107',
    settlement_time: '2021-06-23 11:53:34',
    payment_type: 'bank_transfer',
    payment_amounts: [],
    order_id: 'bri-va-01',
    merchant_id: 'G141532850',
    gross_amount: '300000.00',
    fraud_status: 'accept',
    currency: 'IDR',
  },
  mandiriBill: {
    transaction_time: '2021-06-23 11:57:49',
    transaction_status: 'settlement',
    transaction_id: '883af6a4-c1b4-4d39-9bd8-b148fcebe853',
    status_message: 'midtrans payment notification',
    status_code: '200',
    signature_key: 'bbceb3724b0b2446c59435795039fed2d249d3438f06bf90c999cc9d383b95170b7b58f9412fba25ce7756da8075ab1d78a48800156380a62dc84eb22b3f7de9',
    settlement_time: '2021-06-23 11:58:44',
    payment_type: 'echannel',
    order_id: 'mandiri-bill-01',
    merchant_id: 'G141532850',
    gross_amount: '30000.00',
    fraud_status: 'accept',
    currency: 'IDR',
    biller_code: '70012',
    bill_key: '990000000260',
  },
  indomaret: {
    transaction_time: '2021-06-23 13:13:21',
    transaction_status: 'settlement',
    transaction_id: '991af93c-1049-4973-b38f-d6052c72e367',
    store: 'indomaret',
    status_message: 'midtrans payment notification',
    status_code: '200',
    signature_key: 'a198f93ac43cf98171dcb4bd0323c7e3afbee77a162a09e2381f0a218c761a4ef0254d7650602971735c486fea2e8e9c6d41ee65d6a53d65a12fb1c824e86f9f',
    settlement_time: '2021-06-23 13:13:56',
    payment_type: 'cstore',
    payment_code: '300063000630006300',
    order_id: 'indomaret-01',
    merchant_id: 'G141532850',
    gross_amount: '336000.00',
    currency: 'IDR',
    approval_code: 'ABC0101BCA02',
  },
  alfamart: {
    transaction_time: '2021-06-23 13:17:01',
    transaction_status: 'settlement',
    transaction_id: '991af93c-1049-4973-b38f-d6052c72e367',
    store: 'alfamart',
    status_message: 'midtrans payment notification',
    status_code: '200',
    signature_key: 'a198f93ac43cf98171dcb4bd0323c7e3afbee77a162a09e2381f0a218c761a4ef0254d7650602971735c486fea2e8e9c6d41ee65d6a53d65a12fb1c824e86f9f',
    settlement_time: '2021-06-23 13:18:04',
    payment_type: 'cstore',
    payment_code: '300063000630006300',
    order_id: 'alfamart-01',
    merchant_id: 'G141532850',
    gross_amount: '662000.00',
    fraud_status: 'accept',
    currency: 'IDR',
  },
  akulaku: {
    transaction_time: '2021-06-23 10:55:24',
    transaction_status: 'settlement',
    transaction_id: 'b3a40398-d95d-4bb9-afe8-9a57bc0786ea',
    status_message: 'midtrans payment notification',
    status_code: '200',
    signature_key: '35c4111539e184b268b7c1cd62a9c254e5d27c992c8fd55084f930b69b09eaafcfe14b0d512c697648295fdb45de777e1316b401f4729846a91b3de88cde3f05',
    settlement_time: '2021-06-23 10:56:55',
    payment_type: 'akulaku',
    order_id: 'akulaku-01',
    merchant_id: 'G141532850',
    gross_amount: '130000.00',
    fraud_status: 'accept',
    currency: 'IDR',
  },
};

/** A documented Midtrans sample for one of our bills: order_id = payment code, gross_amount = bill amount, a fresh transaction_id. */
export function midtransFor(sample: keyof typeof MIDTRANS_DOCS, bill: { paymentCode: string; amount: number }, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const base = MIDTRANS_DOCS[sample]!;
  const at = sampleTimes();
  const paidAt = at ? midtransWallTime(at.paid) : '2021-06-23 11:42:02';
  const amounts = Array.isArray(base['payment_amounts']) && base['payment_amounts'].length > 0 ? { payment_amounts: [{ paid_at: paidAt, amount: `${bill.amount}.00` }] } : {};
  const times = at ? { transaction_time: midtransWallTime(at.before), ...('settlement_time' in base ? { settlement_time: midtransWallTime(at.paid) } : {}) } : {};
  return { ...base, ...amounts, ...times, order_id: bill.paymentCode, gross_amount: `${bill.amount}.00`, transaction_id: randomUUID(), ...overrides };
}

/** "pending" for a documented sample, per the docs' status table: status_code 201, no settlement_time yet. */
export function midtransPending(settled: Record<string, unknown>): Record<string, unknown> {
  const { settlement_time: _omit, ...rest } = settled;
  return { ...rest, transaction_status: 'pending', status_code: '201' };
}

/**
 * Xendit e-wallet charge callback (event ewallet.capture), verbatim from the example of Xendit's API reference
 * (eWallets → callback; charge ewc_532as23lew2321id, OVO — the same example ids run through Xendit's eWallet reference
 * and the SDKs generated from its Postman collection).
 */
export const XENDIT_EWALLET_DOC = {
  event: 'ewallet.capture',
  business_id: '5abe2389ewpejrt238',
  created: '2020-04-20T16:25:52Z',
  data: {
    id: 'ewc_532as23lew2321id',
    reference_id: 'test_reference_id',
    status: 'SUCCEEDED',
    currency: 'IDR',
    checkout_method: 'ONE_TIME_PAYMENT',
    charge_amount: 123456,
    capture_amount: 123456,
    refunded_amount: 0,
    channel_code: 'OVO',
    channel_properties: { mobile_number: '+6287777771111' },
    actions: null,
    is_redirect_required: false,
    callback_url: 'https://webhook.me/gethooked',
    created: '2020-04-20T16:23:52Z',
    updated: '2020-04-20T16:23:52Z',
    void_status: null,
    voided_at: null,
    capture_now: true,
    customer_id: null,
    payment_method_id: null,
    failure_code: null,
    basket: null,
    metadata: { branch_code: 'senayan_372' },
  },
};

/**
 * Xendit fixed payment code paid (retail outlet) callback: the payment record of xendit/xendit-go
 * retailoutlet/retailoutlet_test.go (GetPaymentsByFixedPaymentCode fixture), verbatim — the same fields the
 * `ro_fpc_paid` callback carries.
 */
export const XENDIT_FPC_DOC = {
  status: 'COMPLETED',
  fixed_payment_code_payment_id: '61c53c4fdc1b825d9a58ff54',
  fixed_payment_code_id: '61c53c3727c7a679826dd90a',
  amount: 2500000,
  name: 'JOHN DOE',
  prefix: 'TEST',
  payment_code: 'TEST892185',
  payment_id: '1640315983260',
  external_id: 'FPC-1640315959',
  retail_outlet_name: 'ALFAMART',
  transaction_timestamp: '2021-12-24T03:19:43.260Z',
  id: '61c53c4f6cc577e4038ab099',
  owner_id: '60ca10b83ffd534ece8aa856',
};

export function ewalletFor(bill: { paymentCode: string; amount: number }, data: Record<string, unknown> = {}, envelope: Record<string, unknown> = {}) {
  const at = sampleTimes();
  const times = at ? { created: new Date(at.before).toISOString(), updated: new Date(at.paid).toISOString() } : {};
  return {
    ...XENDIT_EWALLET_DOC,
    ...(at ? { created: new Date(at.paid).toISOString() } : {}),
    ...envelope,
    data: { ...XENDIT_EWALLET_DOC.data, ...times, id: `ewc_${randomUUID()}`, reference_id: bill.paymentCode, charge_amount: bill.amount, capture_amount: bill.amount, ...data },
  };
}

export function fpcFor(bill: { paymentCode: string; amount: number }, overrides: Record<string, unknown> = {}) {
  const at = sampleTimes();
  const times = at ? { transaction_timestamp: new Date(at.paid).toISOString() } : {};
  return { ...XENDIT_FPC_DOC, ...times, fixed_payment_code_payment_id: randomUUID().replace(/-/g, '').slice(0, 24), external_id: bill.paymentCode, amount: bill.amount, ...overrides };
}
