import { describe, expect, it } from 'vitest';
import {
  isValidXenditToken,
  normaliseXenditEwallet,
  normaliseXenditFixedPaymentCode,
  XENDIT_EWALLET_STATUS,
  xenditEwalletDecision,
  xenditFpcDecision,
} from './xendit.js';

/**
 * The e-wallet charge callback example of Xendit's API reference (eWallets → "Callback", event ewallet.capture; the
 * same example ids — ewc_532as23lew2321id, business 5abe2389ewpejrt238 — are used across Xendit's eWallet reference
 * and the SDKs generated from its Postman collection), verbatim.
 */
const EWALLET_CAPTURE_SAMPLE = {
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
 * A fixed payment code payment as Xendit's API returns it (fixture of xendit/xendit-go retailoutlet/retailoutlet_test.go,
 * GetPaymentsByFixedPaymentCode): the fields of the `ro_fpc_paid` callback, verbatim.
 */
const FPC_PAID_SAMPLE = {
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

describe('isValidXenditToken', () => {
  it('accepts exactly the configured token', () => {
    expect(isValidXenditToken('token-abc', 'token-abc')).toBe(true);
  });
  it.each([undefined, '', 'token-ab', 'token-abcd', 'TOKEN-ABC', ' token-abc'])('refuses %j', (received) => {
    expect(isValidXenditToken('token-abc', received)).toBe(false);
  });
});

describe('status tables', () => {
  it.each([
    ['SUCCEEDED', 'paid'],
    ['PENDING', 'not_paid'],
    ['FAILED', 'not_paid'],
    ['VOIDED', 'not_paid'],
    ['REFUNDED', 'refunded'],
    ['succeeded', 'unknown_status'],
    ['COMPLETED', 'unknown_status'],
    ['hasOwnProperty', 'unknown_status'],
  ])('e-wallet %s → %s', (status, decision) => {
    expect(xenditEwalletDecision(status)).toBe(decision);
  });

  it('only SUCCEEDED settles an e-wallet charge', () => {
    expect(Object.entries(XENDIT_EWALLET_STATUS).filter(([, d]) => d === 'paid').map(([s]) => s)).toEqual(['SUCCEEDED']);
  });

  it.each([
    [undefined, 'paid'],
    ['COMPLETED', 'paid'],
    ['SETTLING', 'paid'],
    ['ACTIVE', 'unknown_status'],
    ['EXPIRED', 'unknown_status'],
  ])('fixed payment code status %s → %s', (status, decision) => {
    expect(xenditFpcDecision(status)).toBe(decision);
  });
});

describe('normaliseXenditEwallet', () => {
  it('turns the documented ewallet.capture callback into one payment event', () => {
    expect(normaliseXenditEwallet(EWALLET_CAPTURE_SAMPLE)).toEqual({
      ok: true,
      value: {
        kind: 'payment',
        provider: 'xendit',
        idField: 'data.id',
        paidAtField: 'data.updated',
        notification: {
          externalId: 'xendit:ewc_532as23lew2321id',
          paymentCode: 'test_reference_id',
          amount: 123456,
          channel: 'ewallet',
          paidAt: new Date('2020-04-20T16:23:52Z'),
        },
      },
    });
  });

  it('falls back to charge_amount and to the envelope time', () => {
    const { capture_amount: _c, updated: _u, ...data } = EWALLET_CAPTURE_SAMPLE.data;
    const r = normaliseXenditEwallet({ ...EWALLET_CAPTURE_SAMPLE, data });
    expect(r.ok && r.value.kind === 'payment' && r.value.notification).toMatchObject({ amount: 123456, paidAt: new Date('2020-04-20T16:25:52Z') });
  });

  it.each([
    ['PENDING', 'not_paid'],
    ['FAILED', 'not_paid'],
    ['VOIDED', 'not_paid'],
    ['REFUNDED', 'refunded'],
    ['MYSTERY', 'unknown_status'],
  ])('acknowledges %s without a payment (%s)', (status, reason) => {
    const r = normaliseXenditEwallet({ ...EWALLET_CAPTURE_SAMPLE, data: { ...EWALLET_CAPTURE_SAMPLE.data, status } });
    expect(r.ok && r.value).toEqual({ kind: 'ignored', provider: 'xendit', reason, providerStatus: status, providerEventId: 'ewc_532as23lew2321id', orderRef: 'test_reference_id' });
  });

  it('acknowledges other events without a payment', () => {
    expect(normaliseXenditEwallet({ ...EWALLET_CAPTURE_SAMPLE, event: 'ewallet.void' })).toMatchObject({ ok: true, value: { kind: 'ignored', reason: 'unsupported_event' } });
    expect(normaliseXenditEwallet({ ...EWALLET_CAPTURE_SAMPLE, event: 'ewallet.refund' })).toMatchObject({ ok: true, value: { kind: 'ignored', reason: 'refunded' } });
    // Nothing is settled from them, so they are not held to the capture's shape.
    expect(normaliseXenditEwallet({ event: 'ewallet.void', data: { id: 'ewc_532as23lew2321id' } })).toEqual({
      ok: true,
      value: { kind: 'ignored', provider: 'xendit', reason: 'unsupported_event', providerStatus: 'ewallet.void', providerEventId: 'ewc_532as23lew2321id', orderRef: undefined },
    });
  });

  it.each([
    ['event', { event: undefined }],
    ['data', { data: null }],
    ['data', { data: [] }],
    ['data.id', { data: { ...EWALLET_CAPTURE_SAMPLE.data, id: '' } }],
    ['data.status', { data: { ...EWALLET_CAPTURE_SAMPLE.data, status: 1 } }],
    ['data.reference_id', { data: { ...EWALLET_CAPTURE_SAMPLE.data, reference_id: undefined } }],
    ['data.capture_amount', { data: { ...EWALLET_CAPTURE_SAMPLE.data, capture_amount: 123456.5 } }],
    ['data.capture_amount', { data: { ...EWALLET_CAPTURE_SAMPLE.data, capture_amount: '123456' } }],
    ['data.charge_amount', { data: { ...EWALLET_CAPTURE_SAMPLE.data, capture_amount: null, charge_amount: 0 } }],
    ['data.currency', { data: { ...EWALLET_CAPTURE_SAMPLE.data, currency: 'PHP' } }],
    ['data.updated', { data: { ...EWALLET_CAPTURE_SAMPLE.data, updated: '2020-04-20 16:23:52' } }],
    ['data.updated', { created: undefined, data: { ...EWALLET_CAPTURE_SAMPLE.data, updated: undefined } }],
    ['created', { created: 'yesterday', data: { ...EWALLET_CAPTURE_SAMPLE.data, updated: undefined } }],
  ])('400 naming %s for a bad value', (field, change) => {
    const r = normaliseXenditEwallet({ ...EWALLET_CAPTURE_SAMPLE, ...change });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.field).toBe(field);
  });
});

describe('normaliseXenditFixedPaymentCode', () => {
  it('turns the fixed payment code payment into one payment event (channel retail)', () => {
    expect(normaliseXenditFixedPaymentCode(FPC_PAID_SAMPLE)).toEqual({
      ok: true,
      value: {
        kind: 'payment',
        provider: 'xendit',
        idField: 'fixed_payment_code_payment_id',
        paidAtField: 'transaction_timestamp',
        notification: {
          externalId: 'xendit:61c53c4fdc1b825d9a58ff54',
          paymentCode: 'FPC-1640315959',
          amount: 2500000,
          channel: 'retail',
          paidAt: new Date('2021-12-24T03:19:43.260Z'),
        },
      },
    });
  });

  it('accepts the callback without a status field (it is sent on payment), Indomaret as well', () => {
    const { status: _s, ...noStatus } = FPC_PAID_SAMPLE;
    const r = normaliseXenditFixedPaymentCode({ ...noStatus, retail_outlet_name: 'INDOMARET' });
    expect(r.ok && r.value.kind).toBe('payment');
  });

  it('uses id when fixed_payment_code_payment_id is absent', () => {
    const { fixed_payment_code_payment_id: _f, ...rest } = FPC_PAID_SAMPLE;
    const r = normaliseXenditFixedPaymentCode(rest);
    expect(r.ok && r.value.kind === 'payment' && r.value.notification.externalId).toBe('xendit:61c53c4f6cc577e4038ab099');
  });

  it('acknowledges an unexpected status without a payment', () => {
    expect(normaliseXenditFixedPaymentCode({ ...FPC_PAID_SAMPLE, status: 'EXPIRED' })).toMatchObject({ ok: true, value: { kind: 'ignored', reason: 'unknown_status', providerStatus: 'EXPIRED' } });
  });

  it.each([
    ['fixed_payment_code_payment_id', { fixed_payment_code_payment_id: undefined, id: undefined }],
    ['external_id', { external_id: '' }],
    ['retail_outlet_name', { retail_outlet_name: undefined }],
    ['amount', { amount: 2500000.75 }],
    ['amount', { amount: -1 }],
    ['transaction_timestamp', { transaction_timestamp: undefined }],
    ['transaction_timestamp', { transaction_timestamp: '2021-12-24 03:19:43' }],
    ['currency', { currency: 'PHP' }],
    ['status', { status: 7 }],
  ])('400 naming %s for a bad value', (field, change) => {
    const r = normaliseXenditFixedPaymentCode({ ...FPC_PAID_SAMPLE, ...change });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.field).toBe(field);
  });
});
