import { describe, expect, it } from 'vitest';
import { isMonth } from '../../../shared/month.js';
import { benefitsFor, MAX_PROJECTION_YEARS, projectJhtBalance } from './benefits.js';
import type { Benefits, BenefitsRejection } from './benefits.js';
import { priceContribution } from './price-contribution.js';
import { defaultRuleBook as rules, jhtIllustrativeReturnBps } from './rule-book.js';

const ALL = ['JKK', 'JKM', 'JHT'];
const BASIC = ['JKK', 'JKM'];

function benefits(declaredIncome: number, programs: readonly string[] = ALL, month = '2026-06'): Benefits {
  const r = benefitsFor({ declaredIncome, programs, month }, rules);
  if (!r.ok) {
    throw new Error(`unexpected rejection ${r.code}`);
  }
  return r.value;
}

describe('benefitsFor (domain-rules.md §4)', () => {
  // declared income → ladder rung, JKK death (48× | + 12 jt + 10 jt), 56×, 80×, STMB/day (≤12 months | after), JHT
  it.each([
    [1_000_000, 1_000_000, 48_000_000, 70_000_000, 56_000_000, 80_000_000, 33_333, 16_667, 20_000],
    [1_050_000, 1_000_000, 48_000_000, 70_000_000, 56_000_000, 80_000_000, 33_333, 16_667, 20_000],
    [2_000_000, 2_000_000, 96_000_000, 118_000_000, 112_000_000, 160_000_000, 66_667, 33_333, 40_000],
    [2_200_000, 2_200_000, 105_600_000, 127_600_000, 123_200_000, 176_000_000, 73_333, 36_667, 44_000],
    [20_700_000, 20_700_000, 993_600_000, 1_015_600_000, 1_159_200_000, 1_656_000_000, 690_000, 345_000, 414_000],
    [25_000_000, 20_700_000, 993_600_000, 1_015_600_000, 1_159_200_000, 1_656_000_000, 690_000, 345_000, 414_000],
  ])(
    'income %i → base %i: JKK death %i (total %i), disability %i, partial@100%% %i, STMB %i/%i per day, JHT %i',
    (income, base, deathMultiple, deathTotal, disability, partial, stmbFull, stmbAfter, jhtMonthly) => {
      const b = benefits(income);
      expect(b.incomeBase).toBe(base);
      expect(b.jkk?.death).toEqual({
        multiplier: 48,
        incomeMultiple: deathMultiple,
        periodicLumpSum: 12_000_000,
        funeral: 10_000_000,
        total: deathTotal,
      });
      expect(b.jkk?.totalPermanentDisability).toEqual({ multiplier: 56, amount: disability });
      expect(b.jkk?.partialDisability).toEqual({ multiplier: 80, amountAtFullTablePercentage: partial });
      expect(b.jkk?.stmb).toEqual({
        fullMonths: 12,
        fullBps: 10_000,
        reducedBps: 5_000,
        perDayFirstMonths: stmbFull,
        perDayAfter: stmbAfter,
      });
      expect(b.jht).toEqual({ monthlyContribution: jhtMonthly, illustrativeReturnBps: 563 });
      // JKM does not depend on income.
      expect(b.jkm?.total).toBe(42_000_000);
    },
  );

  it('the rulebook real case: at the minimum income JKK death pays Rp70 jt; STMB ≈ Rp33.000/day (income/30)', () => {
    const jkk = benefits(1_000_000, BASIC).jkk;
    expect(jkk?.death.total).toBe(70_000_000);
    expect(jkk?.stmb.perDayFirstMonths).toBe(33_333);
    expect(jkk?.homecareCap).toBe(20_000_000);
    expect(jkk?.scholarship).toEqual({ maxChildren: 2, maxTotal: 174_000_000 });
  });

  it('JKM: 20 jt + 12 jt + 10 jt = Rp42 jt; scholarship up to Rp174 jt for 2 children after 36 paid months', () => {
    expect(benefits(3_000_000, BASIC).jkm).toEqual({
      deathLumpSum: 20_000_000,
      periodicLumpSum: 12_000_000,
      funeral: 10_000_000,
      total: 42_000_000,
      scholarship: { maxChildren: 2, maxTotal: 174_000_000, minContributionMonths: 36 },
    });
  });

  it('JHT section only when JHT is chosen; its contribution equals the quote line', () => {
    expect(benefits(2_000_000, BASIC).jht).toBeNull();
    const quote = priceContribution(
      { declaredIncome: 2_000_000, programs: ALL, months: 1, startMonth: '2026-06', sector: 'other', funding: 'self' },
      rules,
    );
    const line = quote.ok ? quote.value.months[0]?.lines.find((l) => l.program === 'JHT') : undefined;
    expect(benefits(2_000_000, ALL).jht?.monthlyContribution).toBe(line?.net);
  });

  it('reports its sources', () => {
    const b = benefits(1_000_000);
    expect(b.sources).toHaveLength(2);
    expect(b.sources[0]).toContain('PP 82/2019');
    expect(b.sources[1]).toContain('5,63%');
    expect(benefits(1_000_000, BASIC).sources).toHaveLength(1);
  });

  it.each<[string, number, readonly string[], string, BenefitsRejection]>([
    ['income below the lowest rung', 999_999, ALL, '2026-06', 'income_below_minimum'],
    ['missing JKM', 1_000_000, ['JKK'], '2026-06', 'invalid_programs'],
    ['unknown program', 1_000_000, ['JKK', 'JKM', 'JP'], '2026-06', 'invalid_programs'],
    ['malformed month', 1_000_000, ALL, '2026-13', 'invalid_months'],
    ['before PP 82/2019 benefit parameters', 1_000_000, BASIC, '2019-11', 'invalid_months'],
    ['JHT before any illustrative return row', 1_000_000, ALL, '2016-06', 'invalid_months'],
  ])('%s → %s', (_name, declaredIncome, programs, month, code) => {
    const r = benefitsFor({ declaredIncome, programs, month }, rules);
    expect(r.ok ? 'ok' : r.code).toBe(code);
  });

  it('the first month with PP 82/2019 parameters works without JHT', () => {
    expect(benefits(1_000_000, BASIC, '2019-12').jkm?.total).toBe(42_000_000);
  });
});

describe('illustrative JHT return rows', () => {
  it('are effective-dated, sourced, non-overlapping basis points', () => {
    const rows = [...rules.jhtIllustrativeReturns].sort((a, b) => (a.validFrom < b.validFrom ? -1 : 1));
    rows.forEach((row, i) => {
      expect(isMonth(row.validFrom)).toBe(true);
      expect(row.validTo === null || (isMonth(row.validTo) && row.validTo >= row.validFrom)).toBe(true);
      expect(row.source.length).toBeGreaterThan(0);
      expect(Number.isInteger(row.bps) && row.bps > 0).toBe(true);
      const next = rows[i + 1];
      if (next !== undefined) {
        expect(row.validTo !== null && row.validTo < next.validFrom).toBe(true);
      }
    });
  });

  it.each([
    ['2017-02', 719],
    ['2020-12', 719],
    ['2021-01', 563],
    ['2026-06', 563],
    ['2040-01', 563],
  ])('%s → %i bps (latest published credited rate: 2016 7,19%%, then 2020 5,63%%)', (month, bps) => {
    expect(jhtIllustrativeReturnBps(month, rules)).toBe(bps);
  });

  it('throws before the first published rate (configuration gap, not user input)', () => {
    expect(() => jhtIllustrativeReturnBps('2017-01', rules)).toThrow(RangeError);
  });
});

describe('projectJhtBalance', () => {
  it('0% return: balance = contributions × months, exactly, every year', () => {
    const points = projectJhtBalance({ monthlyContribution: 20_000, annualReturnBps: 0, years: 30 });
    expect(points).toHaveLength(30);
    points.forEach((p, i) => {
      const year = i + 1;
      expect(p).toEqual({ year, balance: 240_000 * year, contributed: 240_000 * year, returns: 0 });
    });
  });

  it('no years → no points', () => {
    expect(projectJhtBalance({ monthlyContribution: 20_000, annualReturnBps: 563, years: 0 })).toEqual([]);
  });

  it('pins the (1+r)^(1/12) convention: 1 + r = 4096 = 2^12 doubles the balance every month (hand-checked)', () => {
    // Paid at the start of each month, then doubled: year 1 = 2 + 4 + … + 4096 = 2^13 − 2 = 8190 per rupiah;
    // year 2 = 8190 × 4096 + 8190 = 33.554.430. (r/12 would grow by 1 + 4095/12 a month instead.)
    const points = projectJhtBalance({ monthlyContribution: 1_000, annualReturnBps: 40_950_000, years: 2 });
    expect(points).toEqual([
      { year: 1, balance: 8_190_000, contributed: 12_000, returns: 8_178_000 },
      { year: 2, balance: 33_554_430_000, contributed: 24_000, returns: 33_554_406_000 },
    ]);
  });

  // Reference values: the same convention in 120-digit decimal arithmetic (Python `decimal`), rounded half up.
  it.each([
    [1, 247_258],
    [2, 508_436],
    [3, 784_319],
    [10, 3_202_975],
    [20, 8_741_911],
    [30, 18_320_448],
  ])('Rp20.000/month at 5,63%%: year %i → %i', (year, balance) => {
    const point = projectJhtBalance({ monthlyContribution: 20_000, annualReturnBps: 563, years: 30 })[year - 1];
    expect(point).toEqual({ year, balance, contributed: 240_000 * year, returns: balance - 240_000 * year });
  });

  it('year 1 matches the closed form C × Σ(1+r)^(k/12), k = 1..12', () => {
    let expected = 0;
    for (let k = 1; k <= 12; k++) {
      expected += 20_000 * 1.0563 ** (k / 12);
    }
    expect(projectJhtBalance({ monthlyContribution: 20_000, annualReturnBps: 563, years: 1 })[0]?.balance).toBe(
      Math.round(expected),
    );
  });

  it('a full year grows the opening balance by exactly r: B(y+1) ≈ B(y) × (1 + r) + B(1)', () => {
    const points = projectJhtBalance({ monthlyContribution: 414_000, annualReturnBps: 719, years: 30 });
    const first = points[0]?.balance ?? 0;
    for (let i = 0; i + 1 < points.length; i++) {
      const now = points[i]?.balance ?? 0;
      const next = points[i + 1]?.balance ?? 0;
      // each side carries at most ±0.5 rupiah of rounding, scaled by 1.0719 for B(y)
      expect(Math.abs(next - (now * 1.0719 + first))).toBeLessThanOrEqual(1.6);
    }
  });

  it('is monotonic, returns grow, and the three figures add up', () => {
    const points = projectJhtBalance({ monthlyContribution: 36_800, annualReturnBps: 563, years: 40 });
    points.forEach((p, i) => {
      expect(Number.isSafeInteger(p.balance)).toBe(true);
      expect(p.contributed).toBe(36_800 * 12 * p.year);
      expect(p.balance).toBe(p.contributed + p.returns);
      const prev = points[i - 1];
      if (prev !== undefined) {
        expect(p.balance).toBeGreaterThan(prev.balance);
        expect(p.returns).toBeGreaterThan(prev.returns);
      }
    });
  });

  it('is deterministic and handles the longest horizon', () => {
    const input = { monthlyContribution: 414_000, annualReturnBps: 563, years: MAX_PROJECTION_YEARS };
    const a = projectJhtBalance(input);
    expect(a).toHaveLength(MAX_PROJECTION_YEARS);
    expect(projectJhtBalance(input)).toEqual(a);
  });

  it.each([
    ['negative contribution', { monthlyContribution: -1, annualReturnBps: 563, years: 1 }],
    ['fractional contribution', { monthlyContribution: 0.5, annualReturnBps: 563, years: 1 }],
    ['fractional bps', { monthlyContribution: 1, annualReturnBps: 5.5, years: 1 }],
    ['−100% return', { monthlyContribution: 1, annualReturnBps: -10_000, years: 1 }],
    ['negative years', { monthlyContribution: 1, annualReturnBps: 563, years: -1 }],
    ['fractional years', { monthlyContribution: 1, annualReturnBps: 563, years: 1.5 }],
    ['too many years', { monthlyContribution: 1, annualReturnBps: 563, years: MAX_PROJECTION_YEARS + 1 }],
  ])('rejects %s', (_name, input) => {
    expect(() => projectJhtBalance(input)).toThrow(RangeError);
  });
});
