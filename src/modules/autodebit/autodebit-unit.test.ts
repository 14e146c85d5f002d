import { describe, expect, it } from 'vitest';
import { isLuhnValid } from '../../shared/ids.js';
import { newPaymentCodes } from '../contributions/dues.js';
import { renderTemplate, type AutodebitFailed } from '../notifications/templates.js';
import { createDevDebitProvider, tokenHint } from './debit-provider.js';
import { findDebitProvider, normalizeAccount } from './mandates.js';

describe('accounts and providers', () => {
  it('a bank account is 6–20 digits as typed, shown by its last four', () => {
    expect(normalizeAccount('bank', '1234 5678-90')).toEqual({ ok: true, value: { account: '1234567890', masked: '****7890' } });
    expect(normalizeAccount('bank', '12345').ok).toBe(false);
    expect(normalizeAccount('bank', '123456789012345678901').ok).toBe(false);
    expect(normalizeAccount('bank', '12a4567').ok).toBe(false);
  });

  it('an e-wallet account is its phone number, shown masked', () => {
    expect(normalizeAccount('ewallet', '0812-3456-7890')).toEqual({ ok: true, value: { account: '+6281234567890', masked: '0812****7890' } });
    expect(normalizeAccount('ewallet', '12345')).toMatchObject({ ok: false, code: 'invalid_account_number', field: 'accountNumber' });
  });

  it('providers come from the list, matched without case', () => {
    expect(findDebitProvider('bank', 'bca')).toEqual({ kind: 'bank', name: 'BCA' });
    expect(findDebitProvider('ewallet', ' gopay ')).toEqual({ kind: 'ewallet', name: 'GoPay' });
    expect(findDebitProvider('ewallet', 'BCA')).toBeNull();
    expect(findDebitProvider('card', 'BCA')).toBeNull();
  });

  it('a token appears in logs only as a hint', () => {
    expect(tokenHint('devtok_ok_0123456789abcdef')).toBe('devt…cdef');
    expect(tokenHint('short')).toBe('…');
  });
});

describe('the development debit provider', () => {
  it('is deterministic by account and idempotent by reference', async () => {
    const p = createDevDebitProvider();
    const ok = (await p.link({ providerKind: 'bank', providerName: 'BCA', account: '1234567890' })).token;
    const poor = (await p.link({ providerKind: 'bank', providerName: 'BCA', account: '5555000002' })).token;
    const closed = (await p.link({ providerKind: 'bank', providerName: 'BCA', account: '5555000003' })).token;
    const flaky = (await p.link({ providerKind: 'bank', providerName: 'BCA', account: '5555000004' })).token;
    expect(poor).toContain('saldo-kurang');
    expect(closed).toContain('gagal');
    expect((await p.link({ providerKind: 'bank', providerName: 'BCA', account: '1234567890' })).token).toBe(ok);

    const first = await p.charge({ token: ok, amount: 8_400, reference: 'r1' });
    expect(first).toMatchObject({ status: 'succeeded' });
    expect(await p.charge({ token: ok, amount: 8_400, reference: 'r1' })).toEqual(first);
    expect(await p.charge({ token: poor, amount: 8_400, reference: 'r2' })).toEqual({ status: 'failed', reason: 'insufficient_funds', retryable: true });
    expect(await p.charge({ token: closed, amount: 8_400, reference: 'r3' })).toEqual({ status: 'failed', reason: 'account_inactive', retryable: false });
    await expect(p.charge({ token: flaky, amount: 8_400, reference: 'r4' })).rejects.toThrow(/connection lost/);
    expect(await p.charge({ token: flaky, amount: 8_400, reference: 'r4' })).toMatchObject({ status: 'succeeded' });
    expect(p.charges.map((c) => c.reference)).toEqual(['r1', 'r4']);
  });
});

describe('dues payment codes', () => {
  it('16 digits starting with 8, with a Luhn check digit, all different', () => {
    const codes = newPaymentCodes(2_000);
    for (const c of codes) {
      expect(c).toMatch(/^8\d{15}$/);
      expect(isLuhnValid(c)).toBe(true);
    }
    expect(new Set(codes).size).toBe(codes.length);
  });
});

describe('auto-debit failure messages', () => {
  const base: AutodebitFailed = {
    fullName: 'Budi Santoso',
    kpj: '10000000017',
    month: '2027-01',
    amount: 627_800,
    providerName: 'CIMB Niaga',
    accountMasked: '0812****7890',
    reason: 'limit_exceeded',
    attempt: 1,
    attempts: 3,
    nextAttemptDate: '2027-01-18',
    paymentCode: '8123456789012345',
    payBy: '2027-04-15',
  };

  it('SMS stays one part (≤ 160 characters) even for the largest amount and the longest reason', () => {
    for (const t of [base, { ...base, nextAttemptDate: null, attempt: 3 }, { ...base, reason: 'rejected', nextAttemptDate: null }]) {
      const sms = renderTemplate({ template: 'autodebit_failed_sms', ...t }).body;
      expect(sms.length, sms).toBeLessThanOrEqual(160);
    }
  });

  it('the email says when the next attempt is, or — after the last — to pay manually by the payment code', () => {
    const next = renderTemplate({ template: 'autodebit_failed_email', ...base });
    expect(next.subject).toBe('Autodebet iuran Januari 2027 gagal — dicoba lagi 18 Januari 2027');
    expect(next.body).toContain('gagal: melebihi batas transaksi.');
    expect(next.body).toContain('percobaan 2 dari 3');
    const last = renderTemplate({ template: 'autodebit_failed_email', ...base, attempt: 3, nextAttemptDate: null });
    expect(last.subject).toBe('Autodebet iuran Januari 2027 gagal — mohon bayar manual');
    expect(last.body).toContain('Ini percobaan terakhir');
    expect(last.body).toContain('Mohon bayar manual dengan kode bayar 8123456789012345 paling lambat 15 April 2027');
    expect(renderTemplate({ template: 'autodebit_failed_email', ...base, reason: 'something_new' }).body).toContain('gagal: ditolak oleh bank/penyedia.');
  });
});
