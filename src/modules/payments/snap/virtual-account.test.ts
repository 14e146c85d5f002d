import { describe, expect, it } from 'vitest';
import { fieldError } from '../../../../test/support/snap-field-error.js';
import { readAmount, snapAmount } from './fields.js';
import type { RecordedPayment } from './settle.js';
import { billDetails, freeTexts, memberVirtualAccount, readVaNumber, unknownVaPaymentCode, vaExternalId, vaPaymentAnswer } from './virtual-account.js';

const PSID = '   88899';
const KPJ = '10000000017'; // kpj_seq's first value + its Luhn digit

describe('the member’s stable VA number', () => {
  it('is partnerServiceId (8 characters, space-padded) + the 11-digit KPJ', () => {
    expect(memberVirtualAccount(PSID, KPJ)).toEqual({ partnerServiceId: '   88899', customerNo: KPJ, virtualAccountNo: `   88899${KPJ}` });
    expect(memberVirtualAccount('88899', KPJ).virtualAccountNo).toBe(`   88899${KPJ}`);
  });

  it('reads the three identifiers and finds the KPJ; padding may be left out', () => {
    expect(readVaNumber({ partnerServiceId: PSID, customerNo: KPJ, virtualAccountNo: PSID + KPJ }, PSID)).toEqual({
      received: { partnerServiceId: PSID, customerNo: KPJ, virtualAccountNo: PSID + KPJ },
      kpj: KPJ,
    });
    expect(readVaNumber({ partnerServiceId: '88899', customerNo: KPJ, virtualAccountNo: `88899${KPJ}` }, PSID).kpj).toBe(KPJ);
  });

  it('an unknown prefix, a wrong length or a failed Luhn digit is no KPJ (unknown VA, no database read)', () => {
    expect(readVaNumber({ partnerServiceId: '   77777', customerNo: KPJ, virtualAccountNo: `   77777${KPJ}` }, PSID).kpj).toBeNull();
    expect(readVaNumber({ partnerServiceId: PSID, customerNo: '10000000018', virtualAccountNo: `${PSID}10000000018` }, PSID).kpj).toBeNull();
    expect(readVaNumber({ partnerServiceId: PSID, customerNo: '1000000001', virtualAccountNo: `${PSID}1000000001` }, PSID).kpj).toBeNull();
  });

  it('refuses missing or inconsistent identifiers, naming the field', () => {
    expect(fieldError(() => readVaNumber({ customerNo: KPJ, virtualAccountNo: PSID + KPJ }, PSID))).toEqual({ kase: 'invalidMandatoryField', field: 'partnerServiceId' });
    expect(fieldError(() => readVaNumber({ partnerServiceId: PSID, customerNo: 10000000017, virtualAccountNo: PSID + KPJ }, PSID))).toEqual({
      kase: 'invalidFieldFormat',
      field: 'customerNo',
    });
    expect(fieldError(() => readVaNumber({ partnerServiceId: PSID, customerNo: KPJ, virtualAccountNo: `${PSID}10000000025` }, PSID))).toEqual({
      kase: 'invalidFieldFormat',
      field: 'virtualAccountNo',
    });
    expect(fieldError(() => readVaNumber({ partnerServiceId: '123456789', customerNo: KPJ, virtualAccountNo: `123456789${KPJ}` }, PSID))).toEqual({
      kase: 'invalidFieldFormat',
      field: 'partnerServiceId',
    });
  });

  it('payment ids and the code of an unknown VA never look like a bill’s payment code', () => {
    expect(vaExternalId(PSID, 'abc-123')).toBe('snap:88899:abc-123');
    expect(unknownVaPaymentCode({ partnerServiceId: PSID, customerNo: '99999999990', virtualAccountNo: `${PSID}99999999990` })).toBe('VA:8889999999999990');
  });
});

describe('SNAP amounts', () => {
  it.each([
    ['16800.00', 16_800],
    ['16800', 16_800],
    ['16800.0', 16_800],
  ])('%s → %d rupiah', (value, rupiah) => {
    expect(readAmount({ a: { value, currency: 'IDR' } }, 'a', true)).toBe(rupiah);
  });

  it.each([
    [{ value: '16800.50', currency: 'IDR' }, 'a.value'],
    [{ value: '0.00', currency: 'IDR' }, 'a.value'],
    [{ value: '-1.00', currency: 'IDR' }, 'a.value'],
    [{ value: '1e5', currency: 'IDR' }, 'a.value'],
    [{ value: 16800, currency: 'IDR' }, 'a.value'],
    [{ value: '16800.00', currency: 'USD' }, 'a.currency'],
    ['16800.00', 'a'],
  ])('refuses %j (%s)', (a, field) => {
    expect(fieldError(() => readAmount({ a }, 'a', true))).toEqual({ kase: 'invalidFieldFormat', field });
  });

  it('a missing mandatory amount, and the amount object we send', () => {
    expect(fieldError(() => readAmount({}, 'paidAmount', true))).toEqual({ kase: 'invalidMandatoryField', field: 'paidAmount' });
    expect(readAmount({}, 'totalAmount', false)).toBeUndefined();
    expect(snapAmount(66_800)).toEqual({ value: '66800.00', currency: 'IDR' });
  });
});

describe('VA payment outcome → SNAP answer', () => {
  const recorded = (over: Partial<RecordedPayment>): RecordedPayment => ({
    paymentCode: '8123',
    amount: 1,
    channel: 'va',
    paidAt: new Date(0),
    outcome: 'applied',
    unmatchedReason: null,
    ...over,
  });

  it.each([
    [{ status: 'applied' } as const, 'success', '00'],
    [{ status: 'duplicate', recorded: recorded({}) } as const, 'success', '00'],
    [{ status: 'unmatched', reason: 'amount_mismatch' } as const, 'invalidAmount', '01'],
    [{ status: 'unmatched', reason: 'bill_already_paid' } as const, 'paidBill', '01'],
    [{ status: 'unmatched', reason: 'bill_expired' } as const, 'billExpired', '01'],
    [{ status: 'unmatched', reason: 'unknown_payment_code' } as const, 'billNotFound', '01'],
    [{ status: 'duplicate', recorded: recorded({ outcome: 'unmatched', unmatchedReason: 'amount_mismatch' }) } as const, 'invalidAmount', '01'],
    [{ status: 'inconsistent', recorded: recorded({}) } as const, 'inconsistentRequest', '00'],
    [{ status: 'inconsistent', recorded: recorded({ outcome: 'unmatched', unmatchedReason: 'bill_expired' }) } as const, 'inconsistentRequest', '01'],
  ])('%j → %s, paymentFlagStatus %s', (settlement, kase, flag) => {
    const a = vaPaymentAnswer(settlement);
    expect(a.kase).toBe(kase);
    expect(a.flag).toBe(flag);
  });
});

describe('bill details and free texts fit the standard’s lengths', () => {
  it.each([[['2026-12']], [['2026-12', '2027-01', '2027-02']], [Array.from({ length: 12 }, (_, i) => `2027-${String(i + 1).padStart(2, '0')}`)]])('%j', (months) => {
    const bill = { paymentCode: '8123456789012345', amount: 627_800 * 12, months, expiresAt: new Date(0) };
    const [d] = billDetails(bill);
    expect(d?.billNo.length).toBeLessThanOrEqual(18);
    expect(d?.billName.length).toBeLessThanOrEqual(20);
    expect(d?.billShortName.length).toBeLessThanOrEqual(10);
    expect(d?.billDescription.english.length).toBeLessThanOrEqual(18);
    expect(d?.billDescription.indonesia.length).toBeLessThanOrEqual(18);
    for (const f of freeTexts(bill)) {
      expect(f.english.length).toBeLessThanOrEqual(32);
      expect(f.indonesia.length).toBeLessThanOrEqual(32);
    }
  });
});
