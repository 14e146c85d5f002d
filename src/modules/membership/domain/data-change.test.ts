import { describe, expect, it } from 'vitest';
import { defaultRuleBook as rules } from '../../contributions/domain/rule-book.js';
import { BRANCHES } from '../../reference/branches.js';
import { OCCUPATIONS } from '../../reference/occupations.js';
import { incomeEffectiveMonth, nextPrograms, planDataChange, termsInForce } from './data-change.js';

// Due dates as in membership-status.test.ts: 2026-11 → 16 Nov; 2026-12 → 15 Dec; 2027-01 → 15 Jan; 2027-02 → 15 Feb.
const directory = { find: (code: string) => OCCUPATIONS.find((o) => o.code === code) };
const branches = { find: (code: string) => BRANCHES.find((b) => b.code === code) };

describe('incomeEffectiveMonth: a new income or program applies from the next unpaid month', () => {
  it.each([
    // coveredThrough, today, effective from
    ['2026-11', '2026-11-20', '2026-12'], // active, current month paid: next month
    ['2026-10', '2026-11-10', '2026-11'], // active, current month not yet paid
    ['2026-10', '2026-12-20', '2026-11'], // arrears: the first unpaid month (arrears are billed at the new income)
    ['2027-03', '2026-11-20', '2027-04'], // prepaid ahead: after the prepaid months (paid months never change)
    ['2026-10', '2027-02-16', '2027-02'], // inactive: the current month
    ['2025-12', '2026-12-20', '2026-12'], // long inactive: the current month
  ] as const)('covered through %s, today %s → from %s', (coveredThrough, today, from) => {
    expect(incomeEffectiveMonth({ coveredThrough, today }, rules)).toBe(from);
  });
});

describe('termsInForce: the income and programs of a bill month', () => {
  const history = [
    { fromMonth: '2026-11', amount: 1_000_000, programs: ['JKK', 'JKM'] },
    { fromMonth: '2027-01', amount: 3_000_000, programs: ['JKK', 'JKM'] },
    { fromMonth: '2027-04', amount: 3_000_000, programs: ['JKK', 'JKM', 'JHT'] },
  ];
  const latest = { amount: 3_000_000, programs: ['JKK', 'JKM', 'JHT'] };
  it.each([
    ['2026-10', 1_000_000, 'JKK,JKM'], // before the first row: the first row
    ['2026-11', 1_000_000, 'JKK,JKM'],
    ['2026-12', 1_000_000, 'JKK,JKM'],
    ['2027-01', 3_000_000, 'JKK,JKM'],
    ['2027-03', 3_000_000, 'JKK,JKM'],
    ['2027-04', 3_000_000, 'JKK,JKM,JHT'],
    ['2030-01', 3_000_000, 'JKK,JKM,JHT'],
  ] as const)('%s → %i %s', (month, amount, programs) => {
    const t = termsInForce(history, latest, month);
    expect([t.amount, t.programs.join(',')]).toEqual([amount, programs]);
  });
  it('no history: the participant’s own (latest) terms', () => {
    expect(termsInForce([], latest, '2026-01')).toEqual(latest);
  });
});

describe('nextPrograms', () => {
  it.each([
    [['JKK', 'JKM'], ['JHT'], [], { ok: true, value: ['JKK', 'JKM', 'JHT'] }],
    [['JKK', 'JKM', 'JHT'], ['JHT'], [], { ok: true, value: ['JKK', 'JKM', 'JHT'] }],
    [['JKK', 'JKM'], [], ['JKK'], { ok: false, code: 'program_required', field: 'removePrograms' }],
    [['JKK', 'JKM'], [], ['JKM'], { ok: false, code: 'program_required', field: 'removePrograms' }],
    [['JKK', 'JKM', 'JHT'], [], ['JHT'], { ok: false, code: 'program_removal_unsupported', field: 'removePrograms' }],
    [['JKK', 'JKM'], ['JKP'], [], { ok: false, code: 'invalid_programs', field: 'addPrograms' }],
    [['JKK', 'JKM'], [], ['XYZ'], { ok: false, code: 'invalid_programs', field: 'removePrograms' }],
  ] as const)('%j + %j − %j', (current, add, remove, expected) => {
    expect(nextPrograms(current, add, remove)).toMatchObject(expected);
  });
});

describe('planDataChange', () => {
  const current = { address: 'Jl. Merdeka No. 1', occupation_code: 'OJOL', sector: 'transport', branch_code: 'JKT-SALEMBA', declared_income: 1_000_000, programs: ['JKK', 'JKM'] };
  it('sets only what differs; the sector follows the occupation; pricing changes with income, programs or sector', () => {
    expect(planDataChange({ address: 'Jl. Merdeka No. 1', branchCode: 'JKT-SALEMBA' }, current, directory, branches)).toEqual({ ok: true, value: { set: {}, pricingChanged: false } });
    expect(planDataChange({ address: ' Jl.  Baru 2 ', branchCode: 'JKT-CILANDAK' }, current, directory, branches)).toEqual({ ok: true, value: { set: { address: 'Jl. Baru 2', branch_code: 'JKT-CILANDAK' }, pricingChanged: false } });
    expect(planDataChange({ occupationCode: 'PEDAGANG_PASAR' }, current, directory, branches)).toEqual({ ok: true, value: { set: { occupation_code: 'PEDAGANG_PASAR', sector: 'other' }, pricingChanged: true } });
    expect(planDataChange({ occupationCode: 'KURIR' }, current, directory, branches)).toEqual({ ok: true, value: { set: { occupation_code: 'KURIR' }, pricingChanged: false } });
    expect(planDataChange({ declaredIncome: 2_000_000 }, current, directory, branches)).toEqual({ ok: true, value: { set: { declared_income: 2_000_000 }, pricingChanged: true } });
  });
  it.each([
    [{ address: 'abc' }, 'invalid_address', 'address'],
    [{ occupationCode: 'ASTRONAUT' }, 'unknown_occupation', 'occupationCode'],
    [{ branchCode: 'NOWHERE' }, 'unknown_branch', 'branchCode'],
    [{ declaredIncome: -5 }, 'income_below_minimum', 'declaredIncome'],
    [{ declaredIncome: 1.5 }, 'income_below_minimum', 'declaredIncome'],
  ] as const)('%j → %s', (input, code, field) => {
    expect(planDataChange(input, current, directory, branches)).toMatchObject({ ok: false, code, field });
  });
});
