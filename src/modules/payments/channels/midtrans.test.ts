import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  isValidMidtransSignature,
  midtransChannel,
  midtransDecision,
  midtransSignature,
  MIDTRANS_TRANSACTION_STATUS,
  normaliseMidtransNotification,
} from './midtrans.js';

/**
 * The GoPay sample from docs.midtrans.com/docs/https-notification-webhooks ("Sample for Various Payment Methods",
 * tab GoPay), verbatim. Its signature_key was made with Midtrans' own sandbox key, which is not published, so the
 * signature tests below use the documented test vector instead.
 */
const GOPAY_SAMPLE = {
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
};

describe('midtransSignature', () => {
  it('matches the documented test vector (docs.midtrans.com "Handle Notifications": order 1111, 200, 100000.00)', () => {
    // Inputs from Midtrans' signature-key example; the output was verified independently (integrations.md §3.1).
    expect(midtransSignature('1111', '200', '100000.00', 'askvnoibnosifnboseofinbofinfgbiufglnbfg')).toBe(
      'edc076b21793ebe3e17926350f5b8ae67d902fe657b3d0aa31b932d5c127e2375d308a2bc94f3265ac2d80a1f181a79b997ac178a236fcff35af263fc4d4c231',
    );
  });

  it('is SHA-512 over the four strings concatenated, lowercase hex', () => {
    const expected = createHash('sha512').update('Order-5100200154600.00key').digest('hex');
    expect(midtransSignature('Order-5100', '200', '154600.00', 'key')).toBe(expected);
  });

  it('verifies in constant time; any change to a signed field, or a missing field, fails', () => {
    const key = 'server-key';
    const signed = { ...GOPAY_SAMPLE, signature_key: midtransSignature(GOPAY_SAMPLE.order_id, '200', '154600.00', key) };
    expect(isValidMidtransSignature(signed, key)).toBe(true);
    expect(isValidMidtransSignature({ ...signed, signature_key: signed.signature_key.toUpperCase() }, key)).toBe(true);
    expect(isValidMidtransSignature(signed, 'another-key')).toBe(false);
    expect(isValidMidtransSignature({ ...signed, gross_amount: '154600' }, key)).toBe(false); // the string as sent, not the number
    expect(isValidMidtransSignature({ ...signed, order_id: 'Order-5101' }, key)).toBe(false);
    expect(isValidMidtransSignature({ ...signed, status_code: '201' }, key)).toBe(false);
    expect(isValidMidtransSignature({ ...signed, signature_key: undefined }, key)).toBe(false);
    expect(isValidMidtransSignature({ ...signed, gross_amount: 154600 }, key)).toBe(false);
    expect(isValidMidtransSignature(GOPAY_SAMPLE, key)).toBe(false);
    expect(isValidMidtransSignature(null, key)).toBe(false);
    expect(isValidMidtransSignature([signed], key)).toBe(false);
  });
});

describe('transaction_status table', () => {
  it.each([
    ['settlement', '200', undefined, 'paid'],
    ['settlement', '200', 'accept', 'paid'],
    ['capture', '200', 'accept', 'paid'],
    ['capture', '200', 'challenge', 'not_paid'],
    ['capture', '200', 'deny', 'not_paid'],
    ['settlement', '201', 'accept', 'unknown_status'],
    ['pending', '201', 'accept', 'not_paid'],
    ['authorize', '200', 'accept', 'not_paid'],
    ['deny', '202', 'deny', 'not_paid'],
    ['cancel', '200', 'accept', 'not_paid'],
    ['expire', '407', 'accept', 'not_paid'],
    ['failure', '202', undefined, 'not_paid'],
    ['refund', '200', 'accept', 'refunded'],
    ['partial_refund', '200', 'accept', 'refunded'],
    ['chargeback', '200', 'accept', 'unknown_status'],
    ['SETTLEMENT', '200', 'accept', 'unknown_status'],
    ['constructor', '200', undefined, 'unknown_status'],
  ] as const)('%s / status_code %s / fraud %s → %s', (status, code, fraud, expected) => {
    expect(midtransDecision(status, code, fraud)).toBe(expected);
  });

  it('only settlement and capture can settle a bill', () => {
    expect(Object.entries(MIDTRANS_TRANSACTION_STATUS).filter(([, d]) => d === 'paid').map(([s]) => s).sort()).toEqual(['capture', 'settlement']);
  });
});

describe('payment_type table', () => {
  it.each([
    ['bank_transfer', 'va'],
    ['echannel', 'va'],
    ['gopay', 'ewallet'],
    ['shopeepay', 'ewallet'],
    ['qris', 'qris'],
    ['other_qris', 'qris'],
    ['cstore', 'retail'],
  ])('%s → %s', (type, channel) => {
    expect(midtransChannel(type)).toBe(channel);
  });

  it.each(['credit_card', 'akulaku', 'kredivo', 'bca_klikpay', 'bca_klikbca', 'bri_epay', 'cimb_clicks', 'danamon_online', 'uob_ezpay', 'toString', ''])(
    '%j is not accepted',
    (type) => {
      expect(midtransChannel(type)).toBeUndefined();
    },
  );
});

describe('normaliseMidtransNotification', () => {
  it('turns the documented GoPay settlement into one payment event', () => {
    expect(normaliseMidtransNotification(GOPAY_SAMPLE)).toEqual({
      ok: true,
      value: {
        kind: 'payment',
        provider: 'midtrans',
        idField: 'transaction_id',
        paidAtField: 'settlement_time',
        notification: {
          externalId: 'midtrans:513f1f01-c9da-474c-9fc9-d5c64364b709',
          paymentCode: 'Order-5100',
          amount: 154600,
          channel: 'ewallet',
          paidAt: new Date('2021-06-15T11:45:28.000Z'), // settlement_time 18:45:28 WIB
        },
      },
    });
  });

  it('uses transaction_time when there is no settlement_time', () => {
    const { settlement_time: _omit, ...rest } = GOPAY_SAMPLE;
    const r = normaliseMidtransNotification(rest);
    expect(r.ok && r.value.kind === 'payment' && r.value.notification.paidAt.toISOString()).toBe('2021-06-15T11:45:13.000Z');
  });

  it('acknowledges a pending notification without a payment', () => {
    const { settlement_time: _omit, ...rest } = GOPAY_SAMPLE;
    expect(normaliseMidtransNotification({ ...rest, transaction_status: 'pending', status_code: '201' })).toEqual({
      ok: true,
      value: { kind: 'ignored', provider: 'midtrans', reason: 'not_paid', providerStatus: 'pending', providerEventId: GOPAY_SAMPLE.transaction_id, orderRef: 'Order-5100' },
    });
  });

  it('acknowledges a paid card capture as an unsupported payment type', () => {
    const r = normaliseMidtransNotification({ ...GOPAY_SAMPLE, transaction_status: 'capture', payment_type: 'credit_card' });
    expect(r.ok && r.value).toMatchObject({ kind: 'ignored', reason: 'unsupported_payment_type', providerStatus: 'capture' });
  });

  it.each([
    ['gross_amount', { gross_amount: '154600.50' }],
    ['gross_amount', { gross_amount: 154600 }],
    ['gross_amount', { gross_amount: undefined }],
    ['transaction_time', { transaction_time: '2021-06-15T18:45:13Z' }],
    ['transaction_time', { transaction_time: undefined }],
    ['settlement_time', { settlement_time: '2021-02-30 18:45:28' }],
    ['transaction_id', { transaction_id: undefined }],
    ['transaction_id', { transaction_id: '' }],
    ['order_id', { order_id: 'Order\u00005100' }],
    ['order_id', { order_id: 'x'.repeat(65) }],
    ['status_code', { status_code: 200 }],
    ['transaction_status', { transaction_status: null }],
    ['payment_type', { payment_type: 7 }],
    ['fraud_status', { fraud_status: 1 }],
    ['currency', { currency: 'USD' }],
  ])('400 naming %s for %j', (field, change) => {
    const r = normaliseMidtransNotification({ ...GOPAY_SAMPLE, ...change });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.field).toBe(field);
    expect(!r.ok && r.code).toBe('invalid_request');
  });
});
