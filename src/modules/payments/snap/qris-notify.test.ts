import { describe, expect, it } from 'vitest';
import { fieldError } from '../../../../test/support/snap-field-error.js';
import { buildDynamicQris, DEV_QRIS_MERCHANT } from '../qris/qris.js';
import { readQrNotify } from './qris-notify.js';

const NOW = new Date('2026-11-22T03:00:00.000Z');

/** The ASPI sample request of API Payment Notification (service 52), with our reference and an IDR amount. */
const SAMPLE = {
  originalReferenceNo: '2020102977770000000009',
  originalPartnerReferenceNo: '8123456789012345',
  latestTransactionStatus: '00',
  transactionStatusDesc: 'success',
  customerNumber: '6281388370001',
  accountType: 'tabungan',
  destinationNumber: '8377388292',
  destinationAccountName: 'John Doe',
  amount: { value: '16800.00', currency: 'IDR' },
  sessionId: '0UYEB77329002HY',
  bankCode: '002',
  externalStoreId: '124928924949487',
  additionalInfo: { deviceId: '12345679237', channel: 'mobilephone' },
};

describe('qr-mpm-notify → the payment event', () => {
  it('status 00: externalId qris:<originalReferenceNo>, the partner reference as payment code, channel qris, received now', () => {
    expect(readQrNotify(SAMPLE, NOW)).toEqual({
      kind: 'payment',
      originalReferenceNo: '2020102977770000000009',
      paymentCodeFrom: 'partner_reference',
      notification: { externalId: 'qris:2020102977770000000009', paymentCode: '8123456789012345', amount: 16_800, channel: 'qris', paidAt: NOW },
    });
  });

  it('paidTime in additionalInfo is the payment time (zone optional: WIB)', () => {
    const e = readQrNotify({ ...SAMPLE, additionalInfo: { paidTime: '2026-11-22T09:58:00' } }, NOW);
    expect(e.kind === 'payment' && e.notification.paidAt.toISOString()).toBe('2026-11-22T02:58:00.000Z');
    expect(fieldError(() => readQrNotify({ ...SAMPLE, additionalInfo: { paidTime: 'kemarin' } }, NOW))).toEqual({ kase: 'invalidFieldFormat', field: 'additionalInfo.paidTime' });
  });

  it('without a partner reference: tag 62.01 of an echoed QR string; else a code that matches no bill (kept as unmatched)', () => {
    const qr = buildDynamicQris({ merchant: DEV_QRIS_MERCHANT, amount: 16_800, billNumber: '8999888877776666' });
    const { originalPartnerReferenceNo: _omitted, ...noRef } = SAMPLE;
    const fromQr = readQrNotify({ ...noRef, additionalInfo: { qrContent: qr.ok ? qr.value : '' } }, NOW);
    expect(fromQr).toMatchObject({ paymentCodeFrom: 'qr_content', notification: { paymentCode: '8999888877776666' } });
    const badCrc = readQrNotify({ ...noRef, additionalInfo: { qrContent: `${qr.ok ? qr.value.slice(0, -4) : ''}0000` } }, NOW);
    expect(badCrc).toMatchObject({ paymentCodeFrom: 'none', notification: { paymentCode: 'QRIS:2020102977770000000009' } });
    expect(readQrNotify(noRef, NOW)).toMatchObject({ paymentCodeFrom: 'none', notification: { paymentCode: 'QRIS:2020102977770000000009' } });
  });

  it.each([
    ['01', 'initiated'],
    ['02', 'paying'],
    ['03', 'pending'],
    ['04', 'refunded'],
    ['05', 'canceled'],
    ['06', 'failed'],
    ['07', 'not_found'],
  ])('status %s (%s) moves no money', (code, status) => {
    const { amount: _omitted, ...noAmount } = SAMPLE;
    expect(readQrNotify({ ...noAmount, latestTransactionStatus: code }, NOW)).toEqual({
      kind: 'ignored',
      originalReferenceNo: SAMPLE.originalReferenceNo,
      originalPartnerReferenceNo: SAMPLE.originalPartnerReferenceNo,
      status,
    });
  });

  it('refuses a missing reference, an unknown status, a missing amount on success, a non-IDR amount', () => {
    const { originalReferenceNo: _r, ...noRef } = SAMPLE;
    expect(fieldError(() => readQrNotify(noRef, NOW))).toEqual({ kase: 'invalidMandatoryField', field: 'originalReferenceNo' });
    expect(fieldError(() => readQrNotify({ ...SAMPLE, latestTransactionStatus: '99' }, NOW))).toEqual({ kase: 'invalidFieldFormat', field: 'latestTransactionStatus' });
    const { amount: _a, ...noAmount } = SAMPLE;
    expect(fieldError(() => readQrNotify(noAmount, NOW))).toEqual({ kase: 'invalidMandatoryField', field: 'amount' });
    expect(fieldError(() => readQrNotify({ ...SAMPLE, amount: { value: '16800.00', currency: 'USD' } }, NOW))).toEqual({ kase: 'invalidFieldFormat', field: 'amount.currency' });
    expect(fieldError(() => readQrNotify({ ...SAMPLE, additionalInfo: 'x' }, NOW))).toEqual({ kase: 'invalidFieldFormat', field: 'additionalInfo' });
    expect(fieldError(() => readQrNotify({ ...SAMPLE, originalReferenceNo: 'has space' }, NOW))).toEqual({ kase: 'invalidFieldFormat', field: 'originalReferenceNo' });
  });
});
