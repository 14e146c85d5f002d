import { describe, expect, it } from 'vitest';
import { contributionBase, discountBps, priceContribution, priceMonth, validatePrograms } from './price-contribution.js';
import type { Quote } from './price-contribution.js';
import { defaultRuleBook as rules } from './rule-book.js';
import type { Funding, Sector } from './rule-book.js';

const ALL = ['JKK', 'JKM', 'JHT'];
const BASIC = ['JKK', 'JKM'];

function quote(input: {
  declaredIncome: number;
  programs?: readonly string[];
  months?: number;
  startMonth: string;
  sector?: Sector;
  funding?: Funding;
}): Quote {
  const r = priceContribution(
    { programs: BASIC, months: 1, sector: 'other', funding: 'self', ...input },
    rules,
  );
  if (!r.ok) {
    throw new Error(`unexpected rejection ${r.code}`);
  }
  return r.value;
}

describe('validatePrograms', () => {
  it.each([
    [['JKK', 'JKM'], ['JKK', 'JKM']],
    [['JKM', 'JKK'], ['JKK', 'JKM']],
    [['JHT', 'JKM', 'JKK'], ['JKK', 'JKM', 'JHT']],
  ])('%j → %j (canonical order)', (input, expected) => {
    expect(validatePrograms(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['missing JKM', ['JKK']],
    ['missing JKK', ['JKM', 'JHT']],
    ['empty', []],
    ['duplicate', ['JKK', 'JKM', 'JKM']],
    ['JP is not open to BPU', ['JKK', 'JKM', 'JP']],
    ['JKP is not open to BPU', ['JKK', 'JKM', 'JKP']],
    ['lower case', ['jkk', 'jkm']],
  ])('rejects %s', (_label, input) => {
    const r = validatePrograms(input);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.code).toBe('invalid_programs');
  });
});

describe('contributionBase (income ladder)', () => {
  it.each([
    [1_000_000, 1_000_000],
    [1_099_999, 1_000_000],
    [1_100_000, 1_100_000],
    [2_150_000, 2_100_000],
    [2_200_000, 2_200_000],
    [20_700_000, 20_700_000],
    [20_799_999, 20_700_000],
    [50_000_000, 20_700_000],
  ])('declared %i → base %i', (income, base) => {
    expect(contributionBase(income, '2026-11', rules)).toEqual({ ok: true, value: base });
  });

  it.each([999_999, 0, -1, Number.NaN])('rejects %d as income_below_minimum', (income) => {
    const r = contributionBase(income, '2026-11', rules);
    expect(!r.ok && r.code).toBe('income_below_minimum');
  });

  it('throws for a month before any ladder is in force (configuration error)', () => {
    expect(() => contributionBase(1_000_000, '2015-06', rules)).toThrow(RangeError);
  });
});

describe('priceContribution — domain-rules.md §1.3 worked examples', () => {
  // Full price: a month with no discount (2025-06) or APBN funding in a discounted month.
  it.each([
    ['minimum, JKK+JKM', 1_000_000, BASIC, '2025-06', 'self', 16_800],
    ['minimum, JKK+JKM, APBN in a discount month', 1_000_000, BASIC, '2026-06', 'apbn', 16_800],
    ['minimum, all three', 1_000_000, ALL, '2025-06', 'self', 36_800],
    ['2.000.000, JKK+JKM', 2_000_000, BASIC, '2025-06', 'self', 26_800],
    ['2.000.000, all three', 2_000_000, ALL, '2025-06', 'self', 66_800],
    ['2.200.000, JKK+JKM', 2_200_000, BASIC, '2025-06', 'self', 28_800],
    ['2.200.000, all three', 2_200_000, ALL, '2025-06', 'self', 72_800],
    ['maximum, JKK+JKM', 20_700_000, BASIC, '2025-06', 'self', 213_800],
    ['maximum, all three', 20_700_000, ALL, '2025-06', 'self', 627_800],
  ] as const)('%s → %i', (_label, declaredIncome, programs, startMonth, funding, total) => {
    const q = quote({ declaredIncome, programs, startMonth, funding });
    expect(q.total).toBe(total);
    expect(q.months).toHaveLength(1);
    expect(q.months[0]?.total).toBe(total);
  });

  it('itemises lines in canonical order with net = amount − discount', () => {
    const q = quote({ declaredIncome: 2_000_000, programs: ['JHT', 'JKM', 'JKK'], startMonth: '2025-06' });
    expect(q).toEqual({
      contributionBase: 2_000_000,
      total: 66_800,
      months: [
        {
          month: '2025-06',
          total: 66_800,
          lines: [
            { program: 'JKK', amount: 20_000, discount: 0, net: 20_000 },
            { program: 'JKM', amount: 6_800, discount: 0, net: 6_800 },
            { program: 'JHT', amount: 40_000, discount: 0, net: 40_000 },
          ],
        },
      ],
    });
  });

  // PP 50/2025: 50% off JKK and JKM; JHT never discounted.
  it.each([
    ['transport, first discount month', 1_000_000, BASIC, '2026-01', 'transport', 8_400],
    ['transport, last discount month', 1_000_000, BASIC, '2027-03', 'transport', 8_400],
    ['transport, after the period', 1_000_000, BASIC, '2027-04', 'transport', 16_800],
    ['transport, before the period', 1_000_000, BASIC, '2025-12', 'transport', 16_800],
    ['other, not yet discounted', 1_000_000, BASIC, '2026-03', 'other', 16_800],
    ['other, first discount month', 1_000_000, BASIC, '2026-04', 'other', 8_400],
    ['other, last discount month', 1_000_000, BASIC, '2026-12', 'other', 8_400],
    ['other, after the period', 1_000_000, BASIC, '2027-01', 'other', 16_800],
    ['2.000.000 JKK+JKM discounted', 2_000_000, BASIC, '2026-06', 'other', 13_400],
    ['2.200.000 JKK+JKM discounted', 2_200_000, BASIC, '2026-06', 'other', 14_400],
    ['maximum JKK+JKM discounted', 20_700_000, BASIC, '2026-06', 'other', 106_900],
    ['minimum all three discounted (JHT full)', 1_000_000, ALL, '2026-06', 'other', 28_400],
    ['maximum all three discounted (JHT full)', 20_700_000, ALL, '2026-06', 'other', 520_900],
  ] as const)('%s → %i', (_label, declaredIncome, programs, startMonth, sector, total) => {
    expect(quote({ declaredIncome, programs, startMonth, sector }).total).toBe(total);
  });

  it('the discounted minimum itemises as JKK 5.000 + JKM 3.400 = 8.400', () => {
    const q = quote({ declaredIncome: 1_000_000, startMonth: '2026-01', sector: 'transport' });
    expect(q.months[0]?.lines).toEqual([
      { program: 'JKK', amount: 10_000, discount: 5_000, net: 5_000 },
      { program: 'JKM', amount: 6_800, discount: 3_400, net: 3_400 },
    ]);
  });

  it.each([
    ['self', 8_400],
    ['sponsor', 8_400],
    ['partner', 8_400],
    ['apbn', 16_800],
    ['apbd', 16_800],
  ] as const)('funding %s in a discounted month → %i', (funding, total) => {
    expect(quote({ declaredIncome: 1_000_000, startMonth: '2026-06', funding }).total).toBe(total);
    expect(quote({ declaredIncome: 1_000_000, startMonth: '2026-06', sector: 'transport', funding }).total).toBe(total);
  });

  it('PP 49/2020 (history): JKK and JKM cut by 99%, JKM pays Rp68', () => {
    const q = quote({ declaredIncome: 1_000_000, startMonth: '2020-08' });
    expect(q.months[0]?.lines).toEqual([
      { program: 'JKK', amount: 10_000, discount: 9_900, net: 100 },
      { program: 'JKM', amount: 6_800, discount: 6_732, net: 68 },
    ]);
  });
});

describe('priceContribution — 12-month prepayment priced month by month', () => {
  const months = (start: string) => quote({ declaredIncome: 1_000_000, months: 12, startMonth: start, sector: 'other' });

  const D = 8_400; // discounted JKK+JKM at the minimum
  const F = 16_800; // full JKK+JKM at the minimum

  it.each([
    // start 2026-12: 'other' gets only 2026-12; transport gets 2026-12..2027-03.
    ['other', '2026-12', [D, F, F, F, F, F, F, F, F, F, F, F]],
    ['transport', '2026-12', [D, D, D, D, F, F, F, F, F, F, F, F]],
    // start 2026-04: 'other' discounted through 2026-12, full from 2027-01.
    ['other', '2026-04', [D, D, D, D, D, D, D, D, D, F, F, F]],
    ['transport', '2026-04', [D, D, D, D, D, D, D, D, D, D, D, D]],
    // start 2025-12: transport discount starts in 2026-01; 'other' in 2026-04.
    ['transport', '2025-12', [F, D, D, D, D, D, D, D, D, D, D, D]],
    ['other', '2025-12', [F, F, F, F, D, D, D, D, D, D, D, D]],
  ] as const)('%s from %s', (sector, startMonth, expected) => {
    const q = quote({ declaredIncome: 1_000_000, months: 12, startMonth, sector });
    expect(q.months.map((m) => m.total)).toEqual(expected);
    expect(q.total).toBe(expected.reduce((a, b) => a + b, 0));
    expect(q.months[0]?.month).toBe(startMonth);
  });

  it('lists consecutive months across the year boundary', () => {
    expect(months('2026-12').months.map((m) => m.month)).toEqual([
      '2026-12', '2027-01', '2027-02', '2027-03', '2027-04', '2027-05',
      '2027-06', '2027-07', '2027-08', '2027-09', '2027-10', '2027-11',
    ]);
  });

  it.each([
    ['other', 788_200], // 53.400 + 11 × 66.800
    ['transport', 748_000], // 4 × 53.400 + 8 × 66.800
  ] as const)('all three programs at Rp2.000.000 from 2026-12, %s → %i', (sector, total) => {
    const q = quote({ declaredIncome: 2_000_000, programs: ALL, months: 12, startMonth: '2026-12', sector });
    expect(q.total).toBe(total);
    expect(q.contributionBase).toBe(2_000_000);
    for (const m of q.months) {
      expect(m.lines.find((l) => l.program === 'JHT')).toEqual({ program: 'JHT', amount: 40_000, discount: 0, net: 40_000 });
    }
  });

  it.each([1, 3, 6, 12])('accepts %i months', (n) => {
    expect(quote({ declaredIncome: 1_000_000, months: n, startMonth: '2025-01' }).months).toHaveLength(n);
  });
});

describe('priceContribution — rejections', () => {
  const base = {
    declaredIncome: 1_000_000,
    programs: BASIC,
    months: 1,
    startMonth: '2026-11',
    sector: 'other' as const,
    funding: 'self' as const,
  };

  it.each([
    ['income below minimum', { declaredIncome: 999_999 }, 'income_below_minimum'],
    ['missing JKM', { programs: ['JKK'] }, 'invalid_programs'],
    ['duplicates', { programs: ['JKK', 'JKM', 'JKK'] }, 'invalid_programs'],
    ['JP', { programs: ['JKK', 'JKM', 'JP'] }, 'invalid_programs'],
    ['2 months', { months: 2 }, 'invalid_months'],
    ['0 months', { months: 0 }, 'invalid_months'],
    ['24 months', { months: 24 }, 'invalid_months'],
    ['fractional months', { months: 1.5 }, 'invalid_months'],
    ['malformed start month', { startMonth: '2026-13' }, 'invalid_start_month'],
  ] as const)('%s → %s', (_label, override, code) => {
    const r = priceContribution({ ...base, ...override }, rules);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.code).toBe(code);
  });

  it('checks programs before months before income', () => {
    const r = priceContribution({ ...base, programs: ['JKK'], months: 2, declaredIncome: 1 }, rules);
    expect(!r.ok && r.code).toBe('invalid_programs');
    const r2 = priceContribution({ ...base, months: 2, declaredIncome: 1 }, rules);
    expect(!r2.ok && r2.code).toBe('invalid_months');
  });
});

describe('priceMonth / discountBps', () => {
  it.each([
    ['JKK', '2026-06', 'other', 'self', 5_000],
    ['JKM', '2026-06', 'other', 'sponsor', 5_000],
    ['JHT', '2026-06', 'other', 'self', 0],
    ['JKK', '2026-06', 'other', 'apbd', 0],
    ['JKK', '2026-02', 'other', 'self', 0],
    ['JKK', '2026-02', 'transport', 'self', 5_000],
    ['JKM', '2020-10', 'other', 'apbn', 9_900],
  ] as const)('%s %s %s %s → %i bps', (program, month, sector, funding, bps) => {
    expect(discountBps(program, month, sector, funding, rules)).toBe(bps);
  });

  it('prices one month from a given base', () => {
    expect(
      priceMonth({ base: 2_200_000, programs: ['JKK', 'JKM', 'JHT'], month: '2026-12', sector: 'other', funding: 'self' }, rules),
    ).toEqual({
      month: '2026-12',
      total: 58_400,
      lines: [
        { program: 'JKK', amount: 22_000, discount: 11_000, net: 11_000 },
        { program: 'JKM', amount: 6_800, discount: 3_400, net: 3_400 },
        { program: 'JHT', amount: 44_000, discount: 0, net: 44_000 },
      ],
    });
  });

  it('looks the base up per month: a ladder change mid-quote reprices later months', () => {
    const changed = {
      ...rules,
      incomeLadders: [
        { ...rules.incomeLadders[0]!, validTo: '2026-12' },
        { validFrom: '2027-01', validTo: null, source: 'test ladder', rungs: [1_000_000, 1_500_000, 2_000_000] },
      ],
    };
    const r = priceContribution(
      { declaredIncome: 1_900_000, programs: BASIC, months: 3, startMonth: '2026-11', sector: 'other', funding: 'apbn' },
      changed,
    );
    expect(r.ok && r.value.contributionBase).toBe(1_900_000);
    expect(r.ok && r.value.months.map((m) => m.lines[0]?.amount)).toEqual([19_000, 19_000, 15_000]);
  });
});
