import { describe, expect, it } from 'vitest';
import { defaultRuleBook } from '../../contributions/index.js';
import { checkEnrolmentRow, duplicatesInBatch, type EnrolmentRow, memoizedPrice } from './enrolment-row.js';

const ctx = {
  today: '2026-12-07',
  sectorOf: (code: string) => (code === 'OJOL' ? ('transport' as const) : code === 'WARUNG' ? ('other' as const) : undefined),
  branchKnown: (code: string) => code === 'JKT-SALEMBA',
  startMonth: '2026-12',
  funding: 'partner' as const,
  rules: defaultRuleBook,
};
const row: EnrolmentRow = {
  nik: '3275011705900001', fullName: ' Budi  Santoso ', birthDate: '1990-05-17', gender: 'M', phone: '081234567890', email: '', address: 'Jl. Merdeka 1',
  occupationCode: 'OJOL', branchCode: 'JKT-SALEMBA', programs: ['JKM', 'JKK'], declaredIncome: 2_000_000, months: 3,
};

describe('checkEnrolmentRow: the codes of a registration, the column named', () => {
  it.each([
    ['gender', { gender: 'X' }, 'invalid_request', 'gender'],
    ['birth date', { birthDate: '2027-01-01' }, 'invalid_request', 'birthDate'],
    ['name', { fullName: '  ' }, 'invalid_request', 'fullName'],
    ['nik', { nik: '123' }, 'invalid_nik', 'nik'],
    ['nik checked at upload', { nikValid: false }, 'invalid_nik', 'nik'],
    ['phone', { phone: '0211234567' }, 'invalid_phone', 'phone'],
    ['email', { email: 'a@' }, 'invalid_email', 'email'],
    ['address', { address: ' ' }, 'invalid_request', 'address'],
    ['occupation', { occupationCode: 'NOPE' }, 'unknown_occupation', 'occupationCode'],
    ['branch', { branchCode: 'NOPE' }, 'unknown_branch', 'branchCode'],
    ['income not a number', { declaredIncome: Number.NaN }, 'invalid_request', 'declaredIncome'],
    ['income', { declaredIncome: 10 }, 'income_below_minimum', 'declaredIncome'],
    ['programs', { programs: ['JKK'] }, 'invalid_programs', 'programs'],
    ['months', { months: 2 }, 'invalid_months', 'months'],
  ] as [string, Partial<EnrolmentRow>, string, string][])('%s', (_name, change, code, field) => {
    expect(checkEnrolmentRow({ ...row, ...change }, ctx)).toMatchObject({ ok: false, code, field });
  });

  it('a duplicate in the batch is refused on its NIK; a good row is priced with the payer funding', () => {
    expect(checkEnrolmentRow(row, ctx, true)).toMatchObject({ ok: false, code: 'duplicate_in_batch', field: 'nik' });
    const ok = checkEnrolmentRow(row, { ...ctx, price: memoizedPrice() });
    expect(ok).toMatchObject({ ok: true, value: { fullName: 'Budi Santoso', phone: '+6281234567890', email: '', sector: 'transport', programs: ['JKK', 'JKM'] } });
    const apbd = checkEnrolmentRow(row, { ...ctx, funding: 'apbd' });
    expect(apbd.ok && apbd.value.quote.months.every((m) => m.lines.every((l) => l.discount === 0))).toBe(true);
  });

  it('duplicatesInBatch marks every repeat after the first', () => {
    expect(duplicatesInBatch(['a', 'b', 'a', 'c', 'b', 'a'])).toEqual([false, false, true, false, true, true]);
  });
});
