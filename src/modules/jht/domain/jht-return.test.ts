import { describe, expect, it } from 'vitest';
import { accruedReturn, compoundReturns, dayOfYear, daysInYear, lastAnnouncedRate, yearCredit, yearReturn, type JhtMovement } from './jht-return.js';
import { naiveYearReturn } from './naive-day-sum.js';

// Figures by hand: return = floor(Σ end-of-day balance × rate_bp / (10000 × days in year)); a movement on day d of a
// year of D days counts for D − d + 1 days.
describe('JHT return, daily balance method', () => {
  it('counts days: 365 in 2027, 366 in 2028; 2 July 2027 is day 183, 29 February 2028 day 60', () => {
    expect([daysInYear(2027), daysInYear(2028), daysInYear(2100), daysInYear(2000)]).toEqual([365, 366, 365, 366]);
    expect([dayOfYear('2027-01-01'), dayOfYear('2027-07-02'), dayOfYear('2027-12-31'), dayOfYear('2028-02-29')]).toEqual([1, 183, 365, 60]);
  });

  const cases: { name: string; year: number; opening: number; movements: JhtMovement[]; rateBp: number | null; expected: number | null }[] = [
    {
      // 100000×365 + 50000×183 + 20000×1 = 45,670,000; × 725 / 3,650,000 = 9071.4
      name: 'contributions on several days',
      year: 2027,
      opening: 0,
      movements: [
        { date: '2027-07-02', amount: 50_000 },
        { date: '2027-01-01', amount: 100_000 },
        { date: '2027-12-31', amount: 20_000 },
      ],
      rateBp: 725,
      expected: 9071,
    },
    {
      // 1,000,000×365 − 400,000×183 = 291,800,000; × 725 / 3,650,000 = 57,960.3
      name: 'a withdrawal mid-year',
      year: 2027,
      opening: 1_000_000,
      movements: [{ date: '2027-07-02', amount: -400_000 }],
      rateBp: 725,
      expected: 57_960,
    },
    {
      // 1,000,000×366 + 100,000×307 = 396,700,000; × 725 / 3,660,000 = 78,581.3
      name: 'a leap year (2028, 366 days), paid on 29 February',
      year: 2028,
      opening: 1_000_000,
      movements: [{ date: '2028-02-29', amount: 100_000 }],
      rateBp: 725,
      expected: 78_581,
    },
    { name: 'no movements, opening balance only: 500,000 × 7.25%', year: 2027, opening: 500_000, movements: [], rateBp: 725, expected: 36_250 },
    { name: 'no movements, empty account', year: 2027, opening: 0, movements: [], rateBp: 725, expected: 0 },
    { name: 'rate not announced: wait', year: 2027, opening: 1_000_000, movements: [], rateBp: null, expected: null },
  ];
  it.each(cases)('$name → $expected', (c) => {
    expect(yearReturn({ year: c.year, openingBalance: c.opening, movements: c.movements, rateBp: c.rateBp })).toBe(c.expected);
  });

  it('three years compounding: each return joins the next opening balance (dated 31 December)', () => {
    // 2026: 1,000,000 × 7.00% = 70,000; 2027: 1,070,000 × 7.25% = 77,575; 2028 (366 days): 1,147,575 × 6.50% = 74,592.4
    const rates = new Map([[2026, 700], [2027, 725], [2028, 650]]);
    expect(compoundReturns([{ date: '2026-01-01', amount: 1_000_000 }], rates, 2026, 2028)).toEqual([
      { year: 2026, amount: 70_000 },
      { year: 2027, amount: 77_575 },
      { year: 2028, amount: 74_592 },
    ]);
  });

  it('a missing rate stops the compounding at that year (later years wait too)', () => {
    const rates = new Map([[2026, 700], [2028, 650]]);
    expect(compoundReturns([{ date: '2026-01-01', amount: 1_000_000 }], rates, 2026, 2028)).toEqual([{ year: 2026, amount: 70_000 }]);
  });

  it('accrues the current year to a given day at the last announced rate', () => {
    const rates = new Map([[2025, 650], [2026, 725]]);
    expect(lastAnnouncedRate(rates)).toBe(725);
    expect(lastAnnouncedRate(new Map())).toBeNull();
    // 1,000,000 × 90 days (to 31 March) × 725 / 3,650,000 = 17,876.7
    const base = { year: 2027, openingBalance: 1_000_000, movements: [{ date: '2027-06-01', amount: 500_000 }], lastRateBp: 725 };
    expect(accruedReturn({ ...base, through: '2027-03-31' })).toBe(17_876);
    expect(accruedReturn({ ...base, through: '2026-12-31' })).toBe(0);
    expect(accruedReturn({ ...base, lastRateBp: null, through: '2027-03-31' })).toBe(0);
    // through the whole year equals the year's return at that rate
    expect(accruedReturn({ ...base, through: '2027-12-31' })).toBe(yearReturn({ ...base, rateBp: 725 }));
  });
});

describe('the movement sum equals the day-by-day sum (the set-based crediting computes the former)', () => {
  // Σ over movements of amount × days remaining (day d of D counts D − d + 1 days) against a walk over every day of the
  // year summing its end-of-day balance: equal in integers, so the floors agree.
  const cases: { name: string; year: number; opening: number; movements: JhtMovement[] }[] = [
    { name: '12 contributions on varied days', year: 2027, opening: 250_000, movements: Array.from({ length: 12 }, (_, m) => ({ date: `2027-${String(m + 1).padStart(2, '0')}-${String(1 + ((m * 7) % 28)).padStart(2, '0')}`, amount: 20_000 + m * 1_000 })) },
    { name: 'leap year 2028: 29 February, 31 December, 1 January', year: 2028, opening: 1_000_000, movements: [{ date: '2028-02-29', amount: 100_000 }, { date: '2028-12-31', amount: 40_000 }, { date: '2028-01-01', amount: 60_000 }] },
    { name: 'partial withdrawal (30%) in a leap year', year: 2028, opening: 2_000_000, movements: [{ date: '2028-03-15', amount: 20_000 }, { date: '2028-08-17', amount: -606_000 }] },
    { name: 'full withdrawal with its interim return, the same day', year: 2028, opening: 1_000_000, movements: [{ date: '2028-07-01', amount: 36_051 }, { date: '2028-07-01', amount: -1_036_051 }] },
    { name: 'contributions after a full withdrawal', year: 2027, opening: 500_000, movements: [{ date: '2027-04-01', amount: -500_000 }, { date: '2027-10-10', amount: 20_000 }] },
    { name: 'large balance (Σ beyond 2^53)', year: 2029, opening: 90_000_000_000_000, movements: [{ date: '2029-06-30', amount: 1 }] },
  ];
  it.each(cases)('$name', (c) => {
    for (const rateBp of [0, 563, 719, 725, 1_010]) {
      expect(yearReturn({ year: c.year, openingBalance: c.opening, movements: c.movements, rateBp })).toBe(naiveYearReturn(c.year, c.opening, c.movements, rateBp));
    }
  });
});

describe('interim returns (full withdrawal during a year) and the year-end credit', () => {
  // 2028 (366 days): 1,000,000 from 1 January; full withdrawal approved 1 July (day 183): the interim return accrued to
  // 30 June at the last announced rate 725 bp: 1,000,000 × 182 × 725 / 3,660,000 = 36,051.9 → 36,051; paid in, then the
  // whole 1,036,051 withdrawn the same day.
  const opening = 1_000_000;
  const interim = 36_051;
  const movements: JhtMovement[] = [
    { date: '2028-07-01', amount: interim },
    { date: '2028-07-01', amount: -(opening + interim) },
  ];
  it('the interim return is the accrual to the day before approval', () => {
    expect(accruedReturn({ year: 2028, openingBalance: opening, movements: [], through: '2028-06-30', lastRateBp: 725 })).toBe(interim);
  });
  const cases: { name: string; rateBp: number | null; interimReturns: number; expected: number | null }[] = [
    { name: 'the year rate equals the last announced one: nothing more', rateBp: 725, interimReturns: interim, expected: 0 },
    // 182,000,000 × 800 / 3,660,000 = 39,781.4 → 39,781 − 36,051
    { name: 'a higher rate is announced: the difference', rateBp: 800, interimReturns: interim, expected: 3_730 },
    // 182,000,000 × 600 / 3,660,000 = 29,836.0 < 36,051: never negative
    { name: 'a lower rate is announced: nothing (never clawed back)', rateBp: 600, interimReturns: interim, expected: 0 },
    { name: 'no interim return: the whole year return', rateBp: 800, interimReturns: 0, expected: 39_781 },
    { name: 'rate not announced: wait', rateBp: null, interimReturns: interim, expected: null },
  ];
  it.each(cases)('$name → $expected', (c) => {
    expect(yearCredit({ year: 2028, openingBalance: opening, movements, rateBp: c.rateBp, interimReturns: c.interimReturns })).toBe(c.expected);
  });
  it('after the withdrawal nothing accrues: the interim already paid is subtracted', () => {
    expect(accruedReturn({ year: 2028, openingBalance: opening, movements, through: '2028-09-30', lastRateBp: 725, interimReturns: interim })).toBe(0);
    expect(accruedReturn({ year: 2028, openingBalance: opening, movements, through: '2028-09-30', lastRateBp: 725 })).toBe(interim);
  });
});
