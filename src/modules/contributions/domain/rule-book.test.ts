import { describe, expect, it } from 'vitest';
import { dayOfWeek, isLocalDate, isMonth } from '../../../shared/month.js';
import {
  benefitParametersAt,
  buildIncomeLadder,
  defaultRuleBook as rules,
  holidayCalendarMissing,
  holidayYear,
  inForce,
  jhtSelfServiceCap,
  PROGRAMS,
} from './rule-book.js';
import type { Effective } from './rule-book.js';

function allRows(): Effective[] {
  return [
    ...rules.incomeLadders,
    ...rules.programRates,
    ...rules.discountRules,
    ...rules.dueDayRules,
    ...rules.jhtSelfServiceCaps,
    ...rules.benefitParameters,
  ];
}

describe('defaultRuleBook data integrity', () => {
  it('every effective-dated row has valid months, a non-empty period and a source', () => {
    for (const row of allRows()) {
      expect(isMonth(row.validFrom)).toBe(true);
      if (row.validTo !== null) {
        expect(isMonth(row.validTo)).toBe(true);
        expect(row.validTo >= row.validFrom).toBe(true);
      }
      expect(row.source.length).toBeGreaterThan(0);
    }
  });

  it('the ladder runs from Rp1.000.000 to Rp20.700.000 in Rp100.000 steps, ascending', () => {
    const rungs = rules.incomeLadders[0]?.rungs ?? [];
    expect(rungs[0]).toBe(1_000_000);
    expect(rungs[rungs.length - 1]).toBe(20_700_000);
    expect(rungs).toHaveLength(198);
    expect(rungs.every((r, i) => i === 0 || r > (rungs[i - 1] ?? 0))).toBe(true);
  });

  it.each(PROGRAMS)('exactly one %s rate is in force for each sample month', (program) => {
    for (const month of ['2015-07', '2020-10', '2026-06', '2030-01']) {
      const rows = rules.programRates.filter((r) => r.program === program);
      expect(rows.filter((r) => r.validFrom <= month && (r.validTo === null || month <= r.validTo))).toHaveLength(1);
    }
  });

  it('discount rules are in basis points between 0 and 10 000 and never touch JHT', () => {
    for (const rule of rules.discountRules) {
      expect(rule.bps).toBeGreaterThan(0);
      expect(rule.bps).toBeLessThanOrEqual(10_000);
      expect(rule.programs).not.toContain('JHT');
    }
  });

  it('holidays are real, unique dates with Indonesian names, each year from its decree and inside that year', () => {
    const dates = rules.holidayYears.flatMap((y) => y.holidays.map((h) => h.date));
    expect(new Set(dates).size).toBe(dates.length);
    for (const y of rules.holidayYears) {
      expect(y.decree.length).toBeGreaterThan(0);
      for (const h of y.holidays) {
        expect(isLocalDate(h.date)).toBe(true);
        expect(h.date.startsWith(`${y.year}-`)).toBe(true);
        expect(h.name.length).toBeGreaterThan(0);
      }
    }
  });

  it('2026 has the SKB figures: 17 libur nasional and 8 cuti bersama', () => {
    const y2026 = holidayYear(2026, rules)?.holidays ?? [];
    expect(holidayYear(2026, rules)?.decree).toMatch(/^SKB /);
    expect(y2026.filter((h) => h.kind === 'national_holiday')).toHaveLength(17);
    expect(y2026.filter((h) => h.kind === 'joint_leave')).toHaveLength(8);
  });

  it('no year is estimated: 2027 (no official SKB available) and 2028 have no calendar and are flagged as missing', () => {
    expect(holidayCalendarMissing(2026, rules)).toBe(false);
    expect(holidayCalendarMissing(2027, rules)).toBe(true);
    expect(holidayCalendarMissing(2028, rules)).toBe(true);
  });

  it.each([
    ['2026-01-01', 4],
    ['2026-08-17', 1],
    ['2026-12-25', 5],
  ])('%s falls on weekday %i (sanity check of fixed dates)', (date, dow) => {
    expect(dayOfWeek(date)).toBe(dow);
  });

  it('policy values', () => {
    expect(rules.prepaymentOptions).toEqual([1, 3, 6, 12]);
    expect(rules.firstBillLifetimeMs).toBe(24 * 60 * 60 * 1000);
    expect(rules.arrearsWindowMonths).toBe(3);
  });
});

describe('lookups', () => {
  it.each([
    ['2024-12', 10_000_000],
    ['2025-05', 15_000_000],
    ['2027-01', 15_000_000],
  ])('JMO JHT self-service cap in %s is %i', (month, cap) => {
    expect(jhtSelfServiceCap(month, rules)).toBe(cap);
  });

  it('benefit parameters: JKM 42 jt = 20 + 12 + 10; JKK 48× and 56×', () => {
    const b = benefitParametersAt('2026-06', rules);
    expect(b.jkmDeathLumpSum + b.jkmPeriodicLumpSum + b.jkmFuneral).toBe(b.jkmTotal);
    expect(b.jkmTotal).toBe(42_000_000);
    expect(b.jkkDeathMultiplier).toBe(48);
    expect(b.jkkTotalDisabilityMultiplier).toBe(56);
  });

  it('inForce prefers the most recently started overlapping row', () => {
    const rows = [
      { validFrom: '2020-01', validTo: null, source: 'a' },
      { validFrom: '2026-01', validTo: '2026-06', source: 'b' },
    ];
    expect(inForce(rows, '2026-03')?.source).toBe('b');
    expect(inForce(rows, '2026-07')?.source).toBe('a');
    expect(inForce(rows, '2019-12')).toBeUndefined();
  });

  it('buildIncomeLadder', () => {
    expect(buildIncomeLadder(1_000_000, 1_300_000, 100_000)).toEqual([1_000_000, 1_100_000, 1_200_000, 1_300_000]);
    expect(() => buildIncomeLadder(2, 1, 1)).toThrow(RangeError);
  });
});
